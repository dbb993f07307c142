package mm.ops;

import mm.common.config.Config;
import mm.feed.binance.venue.FakeBinanceVenue;
import mm.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline on a live feed: the composite engine (feed, quoting, risk, simulated gateway, journal on
 * one thread) with {@code feed.source=websocket}, fed by the fake venue streaming a real recording over a real
 * WebSocket on 127.0.0.1 with REST snapshots. A live feed never ends by itself, so the test stops the engine
 * after enough book updates and checks that orders were placed and journaled. Also: {@code mm fake-venue}.
 */
class LiveFeedEngineSystemTest
{
    /** The demo engine in one composite thread on the fake venue's live streams. */
    static Map<String, String> liveFeed(final FakeBinanceVenue venue)
    {
        return Map.of(
            "engine.deployment", "composite",
            "engine.idleStrategy", "yielding",
            "feed.source", "websocket",
            "feed.wsUrl", venue.wsBaseUrl(),
            "feed.restUrl", venue.restBaseUrl());
    }

    private static Path spotRecording()
    {
        return TestPaths.shared().resolve("data/binance/hftbacktest/spot/btcusdt_20240808.gz");
    }

    @Test
    void compositeEngineQuotesAndTradesOnTheLiveFeed(@TempDir final Path journalDir) throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        try (FakeBinanceVenue venue = FakeBinanceVenue.start(
            new FakeBinanceVenue.Options().recordings(List.of(spotRecording())).speed(20)))
        {
            final Config config = Main.demoConfig().withOverrides(liveFeed(venue)).withOverrides(Map.of(
                "feed.backoffInitialMs", "50",
                "feed.snapshotRetryMs", "50",
                "journal.dir", journalDir.toString(),
                "journal.runId", "live"));
            final EngineConfig engineConfig = EngineConfig.from(config, TestPaths.repoRoot());
            final long startNs = System.nanoTime();
            final CounterView counters;
            final long diffsApplied;
            final long newOrders;
            try (Engine engine = new Engine(engineConfig, out))
            {
                engine.start(EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL));
                counters = new CounterView(engine.aeron().countersReader());
                final long deadlineNs = System.nanoTime() + 30_000_000_000L;
                while (counters.value("feed-binance: diffs applied", 0) < 300 || counters.value("gateway: new orders", 0) < 5)
                {
                    assertNull(engine.firstError(), output.toString(StandardCharsets.UTF_8));
                    assertTrue(System.nanoTime() < deadlineNs, "no orders within 30 s: feed state " +
                        counters.value("feed-binance: connection state", -1) + ", diffs " +
                        counters.value("feed-binance: diffs applied", -1) + ", orders " + counters.value("gateway: new orders", -1) +
                        "\n" + output.toString(StandardCharsets.UTF_8));
                    Thread.sleep(20);
                }
                diffsApplied = counters.value("feed-binance: diffs applied", 0);
                newOrders = counters.value("gateway: new orders", 0);
                assertEquals(2, counters.value("feed-binance: connection state", -1), "connected");
                assertEquals(0, counters.value("feed-binance: bookTicker mismatches", -1));
                // live receive times: the gateway's latency monitor measures tick-to-order (shown by ./mm top)
                final long measuredDeadlineNs = System.nanoTime() + 10_000_000_000L;
                while (counters.value("latency: tick-to-order events measured", 0) == 0 && System.nanoTime() < measuredDeadlineNs)
                {
                    Thread.sleep(20);
                }
                assertTrue(counters.value("latency: tick-to-order events measured", 0) > 0, Main.latencyLine(counters));
                assertEquals(0, counters.value("latency: actions with a non-live time", -1));
                assertTrue(engine.isDone() == false, "a live feed is never done");
                assertNull(engine.firstError());
            }
            System.out.printf("live engine: %d diffs applied, %d new orders in %d ms%n", diffsApplied, newOrders,
                (System.nanoTime() - startNs) / 1_000_000);
            final Path runDir = journalDir.resolve("live");
            assertTrue(JournalReader.count(runDir, "market-data") >= diffsApplied, "market data journaled");
            assertTrue(JournalReader.count(runDir, "order-actions") >= 5, "orders journaled");
            assertTrue(venue.sessionsOpened() >= 1 && venue.snapshotsServed() >= 1);
        }
    }

    @Test
    void fakeVenueCommandServesUntilInterrupted() throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final Thread command = new Thread(() ->
        {
            try
            {
                exitCode.set(Main.run(new String[]{"fake-venue", "binance", "--recording", spotRecording().toString(),
                    "--speed", "0", "--faults", "drop:0.01", "--seed", "3"}, out));
            }
            catch (final InterruptedException ex)
            {
                exitCode.set(130);
            }
        }, "fake-venue-command");
        command.start();
        final Pattern rest = Pattern.compile("rest\\s+: (http://127\\.0\\.0\\.1:\\d+/api/v3/depth\\?symbol=BTCUSDT&limit=1000)");
        Matcher matcher = rest.matcher("");
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        // the engine hint is the last line printed: wait for it, not just for the URL before it
        while (!matcher.find() || !output.toString(StandardCharsets.UTF_8).contains("feed.source=websocket"))
        {
            assertTrue(System.nanoTime() < deadlineNs, "no URL printed: " + output);
            Thread.sleep(10);
            matcher = rest.matcher(output.toString(StandardCharsets.UTF_8));
        }
        final String text = output.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("ws://127.0.0.1:") && text.contains("/stream?streams=btcusdt@depth@100ms"), text);
        assertTrue(text.contains("feed.source=websocket"), text);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(matcher.group(1))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().startsWith("{\"lastUpdateId\":"));
        }
        command.interrupt();
        command.join(5_000);
        assertEquals(0, exitCode.get());
    }
}
