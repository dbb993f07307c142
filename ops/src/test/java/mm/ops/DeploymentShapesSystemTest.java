package mm.ops;

import mm.common.config.Config;
import mm.journal.JournalReader;
import mm.journal.JournalVerifier;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.MessageHeaderDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same real recording through the whole pipeline in each deployment shape: one thread, a thread per agent,
 * and a process per role over a standalone driver. Every journaled stream, including the order commands,
 * the venue actions and each deciding agent's inbox, must be byte-identical.
 */
class DeploymentShapesSystemTest
{
    private static final String[] STREAMS = {
        "market-data", "quote-intents", "order-commands", "order-actions", "executions",
        "inbox-quoting", "inbox-risk", "inbox-gateway"};

    @Test
    void sameRecordingGivesByteIdenticalStreamsInEveryDeploymentShape(@TempDir final Path journalDir) throws Exception
    {
        final Path composite = run(journalDir, "composite");
        final Path threaded = run(journalDir, "threaded");
        final Path process = run(journalDir, "process");

        for (final String stream : STREAMS)
        {
            final String expected = JournalReader.sha256(composite, stream);
            assertEquals(expected, JournalReader.sha256(threaded, stream), stream + ": threaded differs from composite");
            assertEquals(expected, JournalReader.sha256(process, stream), stream + ": process differs from composite");
        }
        // a moved level is one cancel-replace (it was a cancel and a new): about 50 actions on this recording
        assertTrue(JournalReader.count(composite, "order-actions") > 30, "the run placed and moved quotes");
        for (final Path runDir : List.of(composite, threaded, process))
        {
            assertEquals(List.of(), JournalVerifier.verify(runDir), runDir + ": verify-journal");
            for (final Replay.StreamResult result : Replay.run(runDir, Map.of(), TestPaths.repoRoot()))
            {
                assertTrue(result.equal(), runDir.getFileName() + ": replay of " + result.stream() + " diverged at " +
                    result.firstDivergence() + "\n recorded " + result.recordedMessage() + "\n replayed " +
                    result.replayedMessage());
            }
        }
        assertTrue(countFills(composite) > 0, "recorded trades traded through some quotes");
    }

    private static Path run(final Path journalDir, final String shape) throws Exception
    {
        final Config config = Main.demoConfig().withOverrides(Map.of(
            "engine.deployment", shape,
            "feed.speed", "0",
            "journal.dir", journalDir.toString(),
            "journal.runId", shape));
        final EngineConfig engineConfig = EngineConfig.from(config, TestPaths.repoRoot());
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        final int exitCode = "process".equals(shape) ?
            new ProcessLauncher(engineConfig, out).run() :
            Main.runInProcess(engineConfig,
                EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL), out, false);
        assertEquals(0, exitCode, shape + " run failed:\n" + output.toString(StandardCharsets.UTF_8));
        return journalDir.resolve(shape);
    }

    private static long countFills(final Path runDir)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final ExecutionReportDecoder report = new ExecutionReportDecoder();
        final long[] fills = {0};
        JournalReader.forEach(runDir, "executions", (buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == ExecutionReportDecoder.TEMPLATE_ID)
            {
                report.wrapAndApplyHeader(buffer, offset, header);
                if (report.execType() == ExecType.TRADE)
                {
                    fills[0]++;
                }
            }
        });
        return fills[0];
    }

}
