package mm.ops;

import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.feed.kite.venue.FakeKiteServer;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline on the Kite feed: the composite engine (feed-kite, quoting, risk, simulated gateway) against
 * {@link FakeKiteServer} over a real WebSocket on 127.0.0.1, until orders are produced. Also config validation
 * and {@code mm fake-venue kite}.
 */
class KiteFeedEngineSystemTest
{
    private static final String CSV =
        "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n" +
        "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE\n" +
        "779521,3045,SBIN,STATE BANK OF INDIA,0,,0,0.05,1,EQ,NSE,NSE\n";

    private static Map<String, String> config(final Path dir, final String url) throws Exception
    {
        final Path csv = Files.writeString(dir.resolve("instruments.csv"), CSV);
        final Path key = Files.writeString(dir.resolve("api_key"), "kite-key\n");
        final Path token = Files.writeString(dir.resolve("access_token"), "kite-token\n");
        final Map<String, String> map = new HashMap<>(Map.ofEntries(
            Map.entry("engine.deployment", "composite"),
            Map.entry("engine.idleStrategy", "yielding"),
            Map.entry("engine.feed", "kite"),
            Map.entry("aeron.channel", "aeron:ipc?term-length=1m"),
            Map.entry("driver.profile", "small-host"),
            Map.entry("feed-kite.url", url),
            Map.entry("feed-kite.instrumentsCsv", csv.toString()),
            Map.entry("feed-kite.instruments", "NSE:INFY,NSE:SBIN"),
            Map.entry("feed-kite.apiKeyFile", key.toString()),
            Map.entry("feed-kite.accessTokenFile", token.toString()),
            Map.entry("feed-kite.marketHours", "00:00-24:00"),
            Map.entry("feed-kite.marketDays", "ALL"),
            Map.entry("feed-kite.backoffInitialMs", "20"),
            Map.entry("quoting.instrument", "1000"),
            Map.entry("quoting.model", "symmetric"),
            Map.entry("quoting.halfSpreadTicks", "2"),
            Map.entry("quoting.skewTicksPerQuoteQty", "1"),
            Map.entry("quoting.quoteQty", "1"),
            Map.entry("risk.maxPosition", "100"),
            Map.entry("risk.maxOrderNotional", "1000000"),
            Map.entry("gateway.venue", "sim"),
            Map.entry("journal.enabled", "false")));
        return map;
    }

    @Test
    void compositeEngineQuotesOnTheKiteFeed(@TempDir final Path dir) throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        try (FakeKiteServer server = new FakeKiteServer(0, "kite-key", "kite-token", 11, 10, List.of(), 1, 20))
        {
            final EngineConfig engineConfig = EngineConfig.from(new Config(config(dir, server.url()), "test"), TestPaths.repoRoot());
            assertEquals(Role.FEED_KITE, engineConfig.feedRole());
            try (Engine engine = new Engine(engineConfig, out))
            {
                engine.start(EnumSet.of(Role.FEED_KITE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL));
                final CounterView counters = new CounterView(engine.aeron().countersReader());
                final long deadlineNs = System.nanoTime() + 30_000_000_000L;
                // orders placed and moved: a moved level is one cancel-replace
                while (counters.value("feed-kite: events published", 0) < 100 || counters.value("gateway: venue actions", 0) < 5)
                {
                    assertNull(engine.firstError(), output.toString(StandardCharsets.UTF_8));
                    assertTrue(System.nanoTime() < deadlineNs, "no orders within 30 s: connection state " +
                        counters.value("feed-kite: connection state", -1) + ", events " +
                        counters.value("feed-kite: events published", -1) + ", venue actions " +
                        counters.value("gateway: venue actions", -1) + ", risk state " +
                        counters.value("risk: trading state", -1) + ", rejected levels " +
                        counters.value("risk: rejected levels", -1) + "\n" + output.toString(StandardCharsets.UTF_8));
                    Thread.sleep(20);
                }
                assertEquals(2, counters.value("feed-kite: connection state", -1), "connected");
                assertTrue(counters.value("feed-kite: order postbacks", 0) >= 0);
                assertTrue(!engine.isDone(), "a live feed is never done");
                assertNull(engine.firstError());
            }
        }
    }

    @Test
    void quotingInstrumentMustBeKiteAndKeysAreValidated(@TempDir final Path dir) throws Exception
    {
        final Map<String, String> map = config(dir, "ws://127.0.0.1:1/");
        map.put("instrument.1.venue", "binance-spot");
        map.put("instrument.1.symbol", "BTCUSDT");
        map.put("instrument.1.tickSize", "0.01");
        map.put("instrument.1.lotSize", "0.001");
        map.put("quoting.instrument", "1");
        map.put("quoting.quoteQty", "0.001");
        final ConfigException notKite = assertThrows(ConfigException.class,
            () -> EngineConfig.from(new Config(map, "test"), TestPaths.repoRoot()));
        assertTrue(notKite.getMessage().contains("quoting.instrument"), notKite.getMessage());
        final Map<String, String> badMode = config(dir, "ws://127.0.0.1:1/");
        badMode.put("feed-kite.mode", "depth");
        assertTrue(assertThrows(ConfigException.class, () -> EngineConfig.from(new Config(badMode, "test"), TestPaths.repoRoot()))
            .getMessage().contains("feed-kite.mode"));
        final Map<String, String> unknown = config(dir, "ws://127.0.0.1:1/");
        unknown.put("feed-kite.instruments", "NSE:NOPE");
        assertTrue(assertThrows(ConfigException.class, () -> EngineConfig.from(new Config(unknown, "test"), TestPaths.repoRoot()))
            .getMessage().contains("NSE:NOPE"));
        final Map<String, String> noToken = config(dir, "ws://127.0.0.1:1/");
        noToken.remove("feed-kite.accessTokenFile");
        noToken.put("feed-kite.accessTokenEnv", "MM_TEST_SURELY_UNSET_VARIABLE");
        assertTrue(assertThrows(ConfigException.class, () -> EngineConfig.from(new Config(noToken, "test"), TestPaths.repoRoot()))
            .getMessage().contains("feed-kite.accessTokenEnv"));
    }

    @Test
    void fakeVenueKiteCommandServesUntilInterrupted() throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final Thread command = new Thread(() ->
        {
            try
            {
                exitCode.set(Main.run(new String[]{"fake-venue", "kite", "--faults", "truncated,disconnect",
                    "--access-token", "secret"}, out));
            }
            catch (final InterruptedException ex)
            {
                exitCode.set(130);
            }
        }, "fake-kite-command");
        command.start();
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!output.toString(StandardCharsets.UTF_8).contains("ws://127.0.0.1:"))
        {
            assertTrue(System.nanoTime() < deadlineNs, "no URL printed: " + output);
            Thread.sleep(10);
        }
        assertTrue(!output.toString(StandardCharsets.UTF_8).contains("secret"), "the token is not printed");
        command.interrupt();
        command.join(5_000);
        assertEquals(0, exitCode.get());
        assertEquals(2, Main.run(new String[]{"fake-venue", "kite", "--faults", "nonsense"}, out));
    }
}
