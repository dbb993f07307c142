package mm.ops;

import mm.common.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify-journal} and {@code replay --verify} on a real run of the bundled recording (parity in every
 * deployment shape is in {@link DeploymentShapesSystemTest}): a changed decision is caught and located, and a
 * changed journal byte is caught.
 */
class ReplaySystemTest
{
    @TempDir
    static Path journalDir;
    private static Path runDir;

    @BeforeAll
    static void recordARun() throws Exception
    {
        final Config config = Main.demoConfig().withOverrides(Map.of(
            "feed.speed", "0", "journal.dir", journalDir.toString(), "journal.runId", "replay-test"));
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final int exitCode = Main.runInProcess(EngineConfig.from(config, TestPaths.repoRoot()),
            EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL),
            new PrintStream(output, true, StandardCharsets.UTF_8), false);
        assertEquals(0, exitCode, output.toString(StandardCharsets.UTF_8));
        runDir = journalDir.resolve("replay-test");
    }

    @Test
    void replayVerifiesAndTheCommandsSayOk() throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"verify-journal", runDir.toString()}, out));
        assertEquals(0, Main.run(new String[] {"replay", runDir.toString(), "--verify"}, out));
        final String text = output.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(": OK"), text);
        assertTrue(text.contains("every output identical to the journal"), text);
        assertFalse(text.contains("DIFFERS"), text);
    }

    @Test
    void aChangedDecisionIsCaughtAtTheFirstDivergingMessage() throws Exception
    {
        final List<Replay.StreamResult> results = Replay.run(
            runDir, Map.of("quoting.as.gamma", "0.3"), TestPaths.repoRoot());
        final Replay.StreamResult intents = results.get(0);
        assertEquals("quote-intents", intents.stream());
        assertFalse(intents.equal());
        assertTrue(intents.firstDivergence() >= 0);
        // found by the manifest's digest, then located by the replay that reads the recorded messages
        assertFalse(intents.byDigest());
        assertTrue(intents.firstDivergence() < intents.replayedCount(), intents.toString());
        assertTrue(intents.recordedMessage().startsWith("[QuoteIntent]"), intents.recordedMessage());
        assertTrue(intents.replayedMessage().startsWith("[QuoteIntent]"), intents.replayedMessage());

        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        assertEquals(1, Main.run(new String[] {"replay", runDir.toString(), "--verify", "--set", "quoting.as.gamma=0.3"},
            new PrintStream(output, true, StandardCharsets.UTF_8)));
        final String text = output.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("first divergence at message " + intents.firstDivergence()), text);
    }

    @Test
    void agentsSideBySideFindWhatAgentsInTurnFind()
    {
        final Map<String, String> divergence = Map.of("quoting.as.gamma", "0.3");
        assertEquals(Replay.run(runDir, divergence, TestPaths.repoRoot(), false),
            Replay.run(runDir, divergence, TestPaths.repoRoot(), true));
        final List<Replay.StreamResult> same = Replay.run(runDir, Map.of(), TestPaths.repoRoot(), false);
        assertTrue(same.stream().allMatch(Replay.StreamResult::equal), same.toString());
        // a clean run of one session: compared with the manifest's count and SHA-256, recorded outputs unread
        assertTrue(same.stream().allMatch(Replay.StreamResult::byDigest), same.toString());
        assertEquals(same, Replay.run(runDir, Map.of(), TestPaths.repoRoot(), true));
    }

    @Test
    void aChangedJournalByteIsCaught(@TempDir final Path copyDir) throws Exception
    {
        final Path copy = copyDir.resolve("copy");
        try (Stream<Path> files = Files.walk(runDir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Path target = copy.resolve(runDir.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target);
                }
            }
        }
        assertEquals(List.of(), mm.journal.JournalVerifier.verify(copy), "an exact copy verifies");
        final Path queueFile;
        try (Stream<Path> files = Files.list(copy.resolve("executions")))
        {
            queueFile = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(queueFile.toFile(), "rw"))
        {
            file.seek(file.length() - 1);
            file.write(0x5a);
        }
        final List<String> problems = mm.journal.JournalVerifier.verify(copy);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("executions: file") && p.contains("SHA-256")), problems.toString());
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        assertEquals(1, Main.run(new String[] {"verify-journal", copy.toString()},
            new PrintStream(output, true, StandardCharsets.UTF_8)));

        // a document header whose length runs past the end of its file: reported, the other streams still checked
        try (RandomAccessFile file = new RandomAccessFile(queueFile.toFile(), "rw"))
        {
            long position = 0;
            while (true)
            {
                file.seek(position);
                final int header = Integer.reverseBytes(file.readInt());
                final int length = header & 0x3FFF_FFFF;
                if ((header & 0x4000_0000) == 0)
                {
                    file.seek(position);
                    file.writeInt(Integer.reverseBytes(0x3FFF_FFF0)); // the first message, now a billion bytes long
                    break;
                }
                position = (position + 4 + length + 3) & ~3L;
            }
        }
        final List<String> damaged = mm.journal.JournalVerifier.verify(copy);
        assertTrue(damaged.stream().anyMatch(p -> p.startsWith("executions: queue unreadable") &&
            p.contains("runs past the end of the file")), damaged.toString());
        assertTrue(damaged.stream().noneMatch(p -> p.startsWith("market-data")), damaged.toString());
    }
}
