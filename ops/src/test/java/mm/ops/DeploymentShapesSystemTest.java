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
        final Path composite = run(journalDir, "composite", Map.of());
        final Path threaded = run(journalDir, "threaded", Map.of());
        final Path process = run(journalDir, "process", Map.of());

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

    /**
     * Tight risk limits: a streak of losing fills puts trading in REDUCING (the approved quotes are re-checked and
     * only reducing levels stay), the cool-off ends it, and a daily loss halts for the day (CancelAll,
     * TradingStateChange, post-mortem). Decided in lockstep at fixed points of the risk guard's inbox, these
     * outputs, and the post-mortem file, are the same in every shape too.
     */
    @Test
    void riskStateChangesAndHaltsAreByteIdenticalInEveryDeploymentShape(@TempDir final Path journalDir) throws Exception
    {
        final Map<String, String> tight = Map.of(
            "risk.maxConsecutiveLosses", "10", "risk.maxDailyLoss", "1", "risk.coolOffMs", "10000");
        final Path composite = run(journalDir, "composite", tight);
        final Path threaded = run(journalDir, "threaded", tight);
        final Path process = run(journalDir, "process", tight);
        for (final String stream : STREAMS)
        {
            final String expected = JournalReader.sha256(composite, stream);
            assertEquals(expected, JournalReader.sha256(threaded, stream), stream + ": threaded differs from composite");
            assertEquals(expected, JournalReader.sha256(process, stream), stream + ": process differs from composite");
        }
        final StringBuilder states = new StringBuilder();
        final long[] cancels = {0};
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final mm.sbe.TradingStateChangeDecoder change = new mm.sbe.TradingStateChangeDecoder();
        JournalReader.forEach(composite, "order-commands", (buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == mm.sbe.TradingStateChangeDecoder.TEMPLATE_ID)
            {
                states.append(change.wrapAndApplyHeader(buffer, offset, header).state()).append(' ');
            }
            cancels[0] += header.templateId() == mm.sbe.CancelAllDecoder.TEMPLATE_ID ? 1 : 0;
        });
        assertTrue(states.toString().startsWith("REDUCING ACTIVE "), states.toString());
        assertTrue(states.toString().endsWith("HALTED "), states.toString());
        assertEquals(1, cancels[0], "the halt cancels everything, once");
        final String postMortem = onlyPostMortem(composite);
        assertTrue(postMortem.contains("\"trigger\": \"DAILY_LOSS\""), postMortem);
        assertEquals(postMortem, onlyPostMortem(threaded));
        assertEquals(postMortem, onlyPostMortem(process));
    }

    private static String onlyPostMortem(final Path runDir) throws java.io.IOException
    {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(runDir.resolve("post-mortem")))
        {
            final java.util.List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return java.nio.file.Files.readString(all.get(0));
        }
    }

    private static Path run(final Path journalDir, final String shape, final Map<String, String> risk) throws Exception
    {
        final Map<String, String> overrides = new java.util.HashMap<>(risk);
        overrides.putAll(Map.of(
            "engine.deployment", shape,
            "feed.speed", "0",
            "journal.dir", journalDir.toString(),
            "journal.runId", shape + (risk.isEmpty() ? "" : "-risk")));
        final Config config = Main.demoConfig().withOverrides(overrides);
        final EngineConfig engineConfig = EngineConfig.from(config, TestPaths.repoRoot());
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        final int exitCode = "process".equals(shape) ?
            new ProcessLauncher(engineConfig, out).run() :
            Main.runInProcess(engineConfig,
                EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL), out, false);
        assertEquals(0, exitCode, shape + " run failed:\n" + output.toString(StandardCharsets.UTF_8));
        return journalDir.resolve(shape + (risk.isEmpty() ? "" : "-risk"));
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
