package mm.ops;

import mm.common.config.Config;
import mm.journal.JournalReader;
import mm.journal.JournalVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backtest's in-process engine (every agent on one thread over a {@code LocalBus}, no media driver between
 * them) against the composite shape over the media driver: on the same recording and configuration every journaled
 * stream, the inboxes included, must have the same SHA-256, and so must the report built from the journal. The
 * composite shape is itself checked against the threaded and process shapes by {@link DeploymentShapesSystemTest}.
 */
class InProcessBacktestSystemTest
{
    private static final String[] STREAMS = {
        "market-data", "quote-intents", "order-commands", "order-actions", "executions", "control",
        "inbox-quoting", "inbox-risk", "inbox-gateway"};

    @Test
    void inProcessBacktestJournalsExactlyWhatTheCompositeShapeJournals(@TempDir final Path dir) throws Exception
    {
        assertSameRuns(dir, Map.of());
    }

    /** Tight risk limits: REDUCING, back to ACTIVE, a halt with its CancelAll and post-mortem, all at the same points. */
    @Test
    void riskStateChangesAndTheHaltAreTheSameInProcess(@TempDir final Path dir) throws Exception
    {
        final Path inProcess = assertSameRuns(dir, Map.of(
            "risk.maxConsecutiveLosses", "10", "risk.maxDailyLoss", "1", "risk.coolOffMs", "10000"));
        try (java.util.stream.Stream<Path> files = Files.list(inProcess.resolve("post-mortem")))
        {
            assertEquals(1, files.count(), "one halt, one post-mortem");
        }
    }

    private static Path assertSameRuns(final Path dir, final Map<String, String> risk) throws Exception
    {
        final Path composite = dir.resolve("composite");
        final Path inProcess = dir.resolve("in-process");
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.runInProcess(config(dir, "composite", risk),
            EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL), out, false),
            output.toString(StandardCharsets.UTF_8));
        final InProcessBacktest.Result result = InProcessBacktest.run(config(dir, "in-process", risk), out, true);
        final String text = output.toString(StandardCharsets.UTF_8);
        assertEquals(0, result.exitCode(), text);
        assertEquals(inProcess, result.runDir());
        assertEquals(2_719, result.marketDataEvents(), "every event of the bundled recording, EndOfData included");
        assertEquals(10_000, result.recordingLines());
        assertTrue(text.contains("summary for BTCUSDT"), text);

        for (final String stream : STREAMS)
        {
            assertEquals(JournalReader.sha256(composite, stream), JournalReader.sha256(inProcess, stream),
                stream + ": the in-process backtest differs from the composite shape");
            assertEquals(JournalReader.count(composite, stream), JournalReader.count(inProcess, stream), stream);
        }
        assertTrue(JournalReader.count(inProcess, "order-actions") > 30, "the run placed and moved quotes");
        assertEquals(List.of(), JournalVerifier.verify(inProcess), "verify-journal");
        // the step ends an agent only waits for have no inbox record; the ones it answers to have
        final mm.common.aeron.Streams streams = config(dir, "streams", risk).streams;
        assertEquals(Map.of(), stepEndsByStream(inProcess, "inbox-quoting"));
        assertEquals(Map.of(streams.quoteIntents(), 2_719L), stepEndsByStream(inProcess, "inbox-risk"));
        assertEquals(Map.of(streams.orderCommands(), 2_719L), stepEndsByStream(inProcess, "inbox-gateway"));
        for (final Replay.StreamResult replayed : Replay.run(inProcess, Map.of(), TestPaths.repoRoot()))
        {
            assertTrue(replayed.equal(), "replay of " + replayed.stream() + " diverged at " + replayed.firstDivergence());
        }
        final mm.common.Instrument instrument = config(dir, "report", risk).quoting.instrument();
        final BacktestReport.Summary expected = BacktestReport.write(composite, instrument, dir.resolve("report-composite"));
        final BacktestReport.Summary actual = BacktestReport.write(inProcess, instrument, dir.resolve("report-in-process"));
        assertEquals(expected.fills(), actual.fills());
        assertEquals(expected.netPnl(), actual.netPnl());
        assertEquals(expected.riskEvents(), actual.riskEvents());
        assertEquals(Files.readString(dir.resolve("report-composite/report.html")).replace("composite", "RUN"),
            Files.readString(dir.resolve("report-in-process/report.html")).replace("in-process", "RUN"),
            "the same report");
        return inProcess;
    }

    /** The StepEnd records of an inbox, counted by the stream they came from. */
    private static Map<Integer, Long> stepEndsByStream(final Path runDir, final String inbox)
    {
        final Map<Integer, Long> counts = new HashMap<>();
        final mm.sbe.MessageHeaderDecoder header = new mm.sbe.MessageHeaderDecoder();
        final mm.sbe.InboxRecordDecoder record = new mm.sbe.InboxRecordDecoder();
        JournalReader.forEach(runDir, inbox, (buffer, offset, length) ->
        {
            record.wrapAndApplyHeader(buffer, offset, header);
            final int payload = record.limit() + mm.sbe.InboxRecordDecoder.payloadHeaderLength();
            if (header.wrap(buffer, payload).templateId() == mm.sbe.StepEndDecoder.TEMPLATE_ID)
            {
                counts.merge(record.streamId(), 1L, Long::sum);
            }
        });
        return counts;
    }

    private static EngineConfig config(final Path journalDir, final String runId, final Map<String, String> risk)
    {
        final Map<String, String> overrides = new HashMap<>(risk);
        overrides.putAll(Map.of(
            "engine.deployment", "composite",
            "feed.speed", "0",
            "journal.dir", journalDir.toString(),
            "journal.runId", runId));
        final Config config = Main.demoConfig().withOverrides(overrides);
        return EngineConfig.from(config, TestPaths.repoRoot());
    }
}
