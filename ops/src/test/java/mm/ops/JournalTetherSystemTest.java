package mm.ops;

import mm.common.config.Config;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's wiring of {@code journal.tether}: in a live run ({@code engine.lockstep=false}) the journal subscribes
 * untethered on a channel whose publishers carry the driver's untethered timeouts, and each deciding agent drops, and
 * counts, the journal-only records the journal cannot take; in lockstep nothing of that is set up. What the driver
 * and the outboxes then do is in {@code JournalBackPressureTest} (journal) and {@code OutboxTest} (common).
 */
class JournalTetherSystemTest
{
    @Test
    void aLiveRunsJournalIsUntetheredAndItsAgentsDropWhatItCannotTake(@TempDir final Path dir) throws Exception
    {
        final List<String> labels = startAndReadCounterLabels(dir, Map.of("engine.lockstep", "false", "journal.maxStallMs", "50"));
        for (final String role : List.of("quoting", "risk", "gateway"))
        {
            assertTrue(labels.contains(role + ": " + Engine.JOURNAL_RECORDS_DROPPED), role + ": " + labels);
        }
        assertTrue(labels.contains("journal: bytes lost (fell behind, untethered)"), labels.toString());
        assertTrue(labels.contains("journal: lag bytes (max over streams)"), labels.toString());
        final long untetheredSubscriptions = labels.stream()
            .filter(l -> l.startsWith("sub-pos") && l.contains("tether=false")).count();
        // a subscriber's position counter exists once it is linked to a publication: every recorded stream but
        // market data, which has no publisher in this engine (no feed role)
        assertEquals(8, untetheredSubscriptions, "the journal's subscriptions: " + labels);
    }

    @Test
    void aLockstepRunsJournalIsTetheredAndNothingIsDropped(@TempDir final Path dir) throws Exception
    {
        final List<String> labels = startAndReadCounterLabels(dir, Map.of());
        assertTrue(labels.stream().noneMatch(l -> l.contains(Engine.JOURNAL_RECORDS_DROPPED)), labels.toString());
        assertTrue(labels.stream().noneMatch(l -> l.contains("tether=false")), labels.toString());
        assertTrue(labels.contains("journal: lag bytes (max over streams)"), "the lag is counted either way");
    }

    private static List<String> startAndReadCounterLabels(final Path dir, final Map<String, String> overrides)
        throws Exception
    {
        final Map<String, String> all = new java.util.HashMap<>(overrides);
        all.put("journal.dir", dir.toString());
        all.put("journal.runId", "tether");
        all.put("alerts.enabled", "false");
        final Config config = Main.demoConfig().withOverrides(all);
        final EngineConfig engineConfig = EngineConfig.from(config, TestPaths.repoRoot());
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (Engine engine = new Engine(engineConfig, new PrintStream(output, true, StandardCharsets.UTF_8)))
        {
            engine.start(EnumSet.of(Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL));
            final List<String> labels = new ArrayList<>();
            final CountersReader counters = engine.aeron().countersReader();
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            // subscriptions' position counters appear once the driver has linked them
            while (System.nanoTime() < deadlineNs)
            {
                labels.clear();
                counters.forEach((id, typeId, key, label) -> labels.add(label));
                if (labels.stream().filter(l -> l.startsWith("sub-pos")).count() >= 16)
                {
                    break;
                }
                Thread.sleep(20);
            }
            return labels;
        }
    }
}
