package mm.ops;

import mm.common.config.Config;
import mm.journal.JournalReader;
import mm.journal.JournalVerifier;
import mm.journal.RunManifest;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.OrderActionDecoder;
import mm.sbe.OrderActionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a running engine, then a restart into the same run folder ({@code journal.resume=true}): what
 * the journal had recorded is still there, the restart appends a second session, the journal verifies and the
 * replay of the whole journal (session by session) matches it.
 */
class CrashRecoverySystemTest
{
    @Test
    void aKilledRunResumesIntoItsJournalWhichStillVerifiesAndReplays(@TempDir final Path dir) throws Exception
    {
        final Path runDir = dir.resolve("runs").resolve("crash");
        final Map<String, String> overrides = Map.of(
            "journal.dir", dir.resolve("runs").toString(),
            "journal.runId", "crash",
            "driver.dir", dir.resolve("aeron-child").toString(),
            "feed.speed", "10");
        final Path configFile = dir.resolve("crash.properties");
        Files.writeString(configFile, Main.demoConfig().withOverrides(overrides).canonicalText());

        final Process child = startEngine(configFile, dir.resolve("child.log"));
        final long deadlineMs = System.currentTimeMillis() + 60_000;
        long recorded = 0;
        while (recorded < 300)
        {
            assertTrue(child.isAlive(), "the engine stopped early: " + Files.readString(dir.resolve("child.log")));
            assertTrue(System.currentTimeMillis() < deadlineMs, "the engine recorded only " + recorded + " events");
            Thread.sleep(100);
            recorded = Files.isDirectory(runDir.resolve("market-data")) ? JournalReader.count(runDir, "market-data") : 0;
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no manifest close
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        final long beforeRestart = JournalReader.count(runDir, "market-data");
        assertTrue(beforeRestart >= 300, "what the journal acknowledged is still there: " + beforeRestart);

        final Config restart = Config.load(configFile).withOverrides(Map.of(
            "journal.resume", "true", "feed.speed", "0", "driver.dir", dir.resolve("aeron-restart").toString()));
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        assertEquals(0, Main.runInProcess(EngineConfig.from(restart, TestPaths.repoRoot()),
            EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL),
            new PrintStream(output, true, StandardCharsets.UTF_8), false), output.toString(StandardCharsets.UTF_8));

        final List<RunManifest.Session> sessions = RunManifest.readSessions(runDir);
        assertEquals(2, sessions.size());
        assertEquals(beforeRestart, sessions.get(1).firstMessages().get("market-data"),
            "the restart appended after every message the first session recorded");
        assertEquals(List.of(), JournalVerifier.verify(runDir));
        // the restart replays the same recording: the same first input, yet other client order ids
        final long split = sessions.get(1).firstMessages().get("order-actions");
        final Set<Long> firstSession = clOrdIds(runDir, 0, split);
        final Set<Long> secondSession = clOrdIds(runDir, split, Long.MAX_VALUE);
        assertFalse(firstSession.isEmpty() || secondSession.isEmpty(), "both sessions placed orders");
        final Set<Long> shared = new HashSet<>(firstSession);
        shared.retainAll(secondSession);
        assertEquals(Set.of(), shared, "no client order id is used by both sessions of the run");
        for (final Replay.StreamResult result : Replay.run(runDir, Map.of(), TestPaths.repoRoot()))
        {
            assertTrue(result.equal(), result.stream() + " diverged at " + result.firstDivergence() +
                "\n recorded " + result.recordedMessage() + "\n replayed " + result.replayedMessage());
        }
    }

    /** Client order ids of the venue actions journaled in [from, to) of the run's order-actions stream. */
    private static Set<Long> clOrdIds(final Path runDir, final long from, final long to)
    {
        final Set<Long> ids = new HashSet<>();
        final OrderActionDecoder action = new OrderActionDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        try (JournalReader reader = JournalReader.open(runDir, "order-actions"))
        {
            while (reader.next())
            {
                final long index = reader.messageIndex();
                if (index >= from && index < to)
                {
                    action.wrapAndApplyHeader(reader.buffer(), 0, header);
                    if (action.action() != OrderActionType.CANCEL)
                    {
                        ids.add(action.clOrdId());
                    }
                }
            }
        }
        return ids;
    }

    private static Process startEngine(final Path configFile, final Path log) throws Exception
    {
        return new ProcessBuilder(ProcessLauncher.roleCommand(TestPaths.repoRoot(), configFile, Role.ALL, log.getParent()))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
