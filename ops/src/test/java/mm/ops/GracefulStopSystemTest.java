package mm.ops;

import mm.common.config.Config;
import mm.journal.JournalReader;
import mm.journal.JournalVerifier;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.OrderActionDecoder;
import mm.sbe.OrderActionType;
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
 * Stopping a run before it is done (what SIGTERM does through the shutdown hook) cancels every working order
 * through the gateway's inbox, lets the journal record the answers and closes it: nothing is left resting,
 * and the journal verifies and replays.
 */
class GracefulStopSystemTest
{
    @Test
    void stoppingARunningEngineCancelsItsOrdersAndClosesTheJournal(@TempDir final Path dir) throws Exception
    {
        final Config config = Main.demoConfig().withOverrides(Map.of(
            "feed.speed", "1", "journal.dir", dir.toString(), "journal.runId", "stop"));
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final Path runDir = dir.resolve("stop");
        try (Engine engine = new Engine(EngineConfig.from(config, TestPaths.repoRoot()),
            new PrintStream(output, true, StandardCharsets.UTF_8)))
        {
            engine.start(EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL));
            final CounterView counters = new CounterView(engine.aeron().countersReader());
            final long deadlineMs = System.currentTimeMillis() + 30_000;
            while (counters.value("gateway: working orders", 0) < 2)
            {
                assertTrue(System.currentTimeMillis() < deadlineMs, "no working orders: " + output);
                Thread.sleep(20);
            }
        }
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("0 working orders left"), output.toString());
        final long[] cancels = {0};
        final long[] canceled = {0};
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        JournalReader.forEach(runDir, "order-actions", (buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            final OrderActionDecoder action = new OrderActionDecoder().wrapAndApplyHeader(buffer, offset, header);
            cancels[0] += action.action() == OrderActionType.CANCEL ? 1 : 0;
        });
        JournalReader.forEach(runDir, "executions", (buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == ExecutionReportDecoder.TEMPLATE_ID)
            {
                canceled[0] += new ExecutionReportDecoder().wrapAndApplyHeader(buffer, offset, header).execType() ==
                    ExecType.CANCELED ? 1 : 0;
            }
        });
        assertTrue(cancels[0] >= 2 && canceled[0] >= 2, "cancels sent " + cancels[0] + ", answered " + canceled[0]);
        assertEquals(List.of(), JournalVerifier.verify(runDir));
        for (final Replay.StreamResult result : Replay.run(runDir, Map.of(), TestPaths.repoRoot()))
        {
            assertTrue(result.equal(), result.stream() + " diverged at " + result.firstDivergence() +
                "\n recorded " + result.recordedMessage() + "\n replayed " + result.replayedMessage());
        }
    }
}
