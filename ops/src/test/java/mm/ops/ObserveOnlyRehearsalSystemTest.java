package mm.ops;

import mm.common.config.Config;
import mm.common.json.JsonTree;
import mm.common.sbe.Messages;
import mm.feed.binance.venue.FakeBinanceVenue;
import mm.journal.JournalReader;
import mm.sbe.BooleanType;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.OrderActionDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An observe-only rehearsal end to end: the engine on a live feed (the fake Binance venue streaming a real
 * recording over WebSocket on 127.0.0.1) with {@code gateway.venue=observe-only} and an order endpoint
 * configured. The gateway computes, throttles and journals every action with {@code sent=FALSE}, its shadow
 * simulated venue fills some of them on the live data ({@code shadow=TRUE}), nothing ever connects to the
 * order endpoint, and {@code ./mm report} turns the run's journal into the day's would-be fills and PnL.
 */
class ObserveOnlyRehearsalSystemTest
{
    @Test
    void rehearsesOnTheLiveFeedWithShadowFillsAndNeverTouchesTheOrderEndpoint(@TempDir final Path dir) throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        final AtomicInteger orderConnections = new AtomicInteger();
        try (ServerSocket orderEndpoint = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            FakeBinanceVenue venue = FakeBinanceVenue.start(new FakeBinanceVenue.Options().recordings(List.of(
                TestPaths.shared().resolve("data/binance/hftbacktest/spot/btcusdt_20240808.gz"))).speed(50)))
        {
            final Thread acceptor = Thread.ofVirtual().start(() ->
            {
                while (!orderEndpoint.isClosed())
                {
                    try (Socket ignored = orderEndpoint.accept())
                    {
                        orderConnections.incrementAndGet();
                    }
                    catch (final java.io.IOException ex)
                    {
                        return; // closed
                    }
                }
            });
            final Config config = Main.demoConfig().withOverrides(LiveFeedEngineSystemTest.liveFeed(venue))
                .withOverrides(Map.of(
                "gateway.venue", "observe-only",
                "binance.order.wsUrl", "ws://127.0.0.1:" + orderEndpoint.getLocalPort() + "/ws-api/v3",
                "journal.dir", dir.toString(),
                "journal.runId", "rehearsal"));
            try (Engine engine = new Engine(EngineConfig.from(config, TestPaths.repoRoot()), out))
            {
                engine.start(EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL));
                final CounterView counters = new CounterView(engine.aeron().countersReader());
                final long deadlineNs = System.nanoTime() + 90_000_000_000L;
                while (counters.value("gateway: fills", 0) < 2)
                {
                    assertNull(engine.firstError(), output.toString(StandardCharsets.UTF_8));
                    assertTrue(System.nanoTime() < deadlineNs, "no shadow fills within 90 s: orders " +
                        counters.value("gateway: new orders", -1) + ", diffs " + counters.value("feed-binance: diffs applied", -1));
                    Thread.sleep(50);
                }
                assertTrue(counters.value("risk: fills", 0) >= 1, "the risk guard booked the shadow fills");
            }
            orderEndpoint.close();
            acceptor.join(5_000);
        }
        assertEquals(0, orderConnections.get(), "observe-only never connects to an order endpoint");

        final Path runDir = dir.resolve("rehearsal");
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final OrderActionDecoder action = new OrderActionDecoder();
        final int[] actions = {0};
        JournalReader.forEach(runDir, "order-actions", (buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == OrderActionDecoder.TEMPLATE_ID)
            {
                action.wrap(buffer, offset + Messages.HEADER_LENGTH, header.blockLength(), header.version());
                assertEquals(BooleanType.FALSE, action.sent(), "journaled as computed, not sent");
                actions[0]++;
            }
        });
        assertTrue(actions[0] > 0);
        final ExecutionReportDecoder execution = new ExecutionReportDecoder();
        final int[] shadowFillCount = {0};
        JournalReader.forEach(runDir, "executions", (buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == ExecutionReportDecoder.TEMPLATE_ID)
            {
                execution.wrap(buffer, offset + Messages.HEADER_LENGTH, header.blockLength(), header.version());
                assertEquals(BooleanType.TRUE, execution.shadow(), "every execution comes from the shadow venue");
                shadowFillCount[0] += execution.execType() == ExecType.TRADE ? 1 : 0;
            }
        });
        final int shadowFills = shadowFillCount[0];
        assertTrue(shadowFills >= 2, "shadow fills journaled: " + shadowFills);

        final ByteArrayOutputStream reportOutput = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[]{"report", runDir.toString()},
            new PrintStream(reportOutput, true, StandardCharsets.UTF_8)));
        final String printed = reportOutput.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("observe-only: shadow fills, nothing was sent"), printed);
        final Map<String, Object> report = JsonTree.object(JsonTree.parse(Files.readAllBytes(runDir.resolve("report/report.json"))));
        assertTrue(Files.size(runDir.resolve("report/report.html")) > 1_000);
        System.out.println("observe-only rehearsal: " + actions[0] + " actions computed, " + shadowFills + " shadow fills; " +
            printed.lines().findFirst().orElse(""));
        assertTrue(report.toString().contains("fills"), report.toString());
    }
}
