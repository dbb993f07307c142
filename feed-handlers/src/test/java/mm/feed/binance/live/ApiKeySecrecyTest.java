package mm.feed.binance.live;

import io.aeron.Aeron;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import mm.common.InstrumentRegistry;
import mm.common.aeron.Streams;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.driver.EmbeddedDriver;
import mm.feed.binance.FeedContext;
import mm.feed.binance.transport.ConnectionState;
import mm.feed.binance.venue.FakeBinanceVenue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static mm.feed.binance.live.LiveTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The API key reaches the venue (the upgrade succeeds with it and fails without it) and appears nowhere else:
 * not in Netty's or our logs at any level, not on stdout or stderr, not in exceptions, not in any toString.
 * (Netty loggers created earlier in this JVM keep the logging backend they were created with; our code logs
 * nothing and prints only ledger details, which are checked.)
 */
class ApiKeySecrecyTest
{
    private static final String KEY = "mmTESTkey7Hq2Vd9Lp4XcR8sWn3Ym6Zb";
    private static final String OTHER_KEY = "someoneElsesKey0123456789abcdef";

    @Test
    void keyIsSentButNeverShown() throws Exception
    {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        final List<String> logs = new ArrayList<>();
        final Handler capture = new Handler()
        {
            public void publish(final LogRecord record)
            {
                synchronized (logs)
                {
                    logs.add(record.getLoggerName() + " " + record.getMessage() + " " +
                        java.util.Arrays.toString(record.getParameters()) + " " + record.getThrown());
                }
            }

            public void flush()
            {
            }

            public void close()
            {
            }
        };
        final Logger root = Logger.getLogger("");
        final Logger netty = Logger.getLogger("io.netty");
        final Level nettyLevel = netty.getLevel();
        root.addHandler(capture);
        netty.setLevel(Level.ALL);
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final PrintStream tee = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        System.setErr(tee);
        final List<String> texts = new ArrayList<>();
        try (EmbeddedDriver driver = EmbeddedDriver.launch(); Aeron aeron = driver.connectClient())
        {
            final Streams streams = Streams.fromConfig(Config.empty());
            marketData = aeron.addSubscription(streams.channel(), streams.marketData());
            final InstrumentRegistry registry = new InstrumentRegistry();
            registry.add(LiveTestSupport.BTCUSDT);

            // the key the venue expects is someone else's: refused, AUTH_FAILED
            try (FakeBinanceVenue venue = FakeBinanceVenue.start(LiveTestSupport.venueOptions().requiredApiKey(OTHER_KEY)))
            {
                final FeedContext context = configured(registry, venue);
                final BinanceLiveFeedAgent agent = new BinanceLiveFeedAgent(context, aeron, streams, () -> true, new Random(1));
                try
                {
                    driveUntil(agent, () -> agent.client().state() == ConnectionState.AUTH_FAILED);
                    assertEquals(1, venue.upgradesRefused());
                    texts.add(context.toString());
                    texts.add(context.apiKey().toString());
                    texts.add(agent.toString());
                    texts.add(agent.client().toString());
                    texts.add(agent.client().lastFailure());
                    texts.add(agent.client().ledger().toString());
                    texts.add(agent.rest().toString());
                }
                finally
                {
                    agent.onClose();
                }
            }
            // the venue expects this key: accepted, so the header carried it
            try (FakeBinanceVenue venue = FakeBinanceVenue.start(LiveTestSupport.venueOptions().requiredApiKey(KEY)))
            {
                final FeedContext context = configured(registry, venue);
                final BinanceLiveFeedAgent agent = new BinanceLiveFeedAgent(context, aeron, streams, () -> true, new Random(1));
                try
                {
                    driveUntil(agent, () -> agent.sync().isSynced());
                    venue.disconnectAll();
                    driveUntil(agent, () -> agent.client().connects() == 2 && agent.sync().isSynced());
                    assertEquals(0, venue.upgradesRefused());
                    texts.add(agent.toString());
                    texts.add(agent.client().toString());
                    texts.add(agent.client().ledger().gaps().toString());
                }
                finally
                {
                    agent.onClose();
                }
            }
            // config errors about the key name the variable, never the value
            final ConfigException bad = assertThrows(ConfigException.class, () -> FeedContext.fromConfig(
                config(Map.of("feed.apiKeyEnv", "MM_BINANCE_KEY")), registry, Path.of("."),
                Map.of("MM_BINANCE_KEY", KEY + " trailing words")::get));
            texts.add(bad.getMessage());
            texts.add(bad.toString());
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(capture);
            netty.setLevel(nettyLevel);
        }
        texts.add(console.toString(StandardCharsets.UTF_8));
        synchronized (logs)
        {
            texts.addAll(logs);
        }
        for (final String text : texts)
        {
            assertFalse(text.contains(KEY), "the API key leaked into: " + text.replace(KEY, "<KEY>"));
            assertFalse(text.contains(KEY.substring(0, 12)), "part of the API key leaked into: " + text);
        }
    }

    private static Config config(final Map<String, String> extra)
    {
        final Map<String, String> values = new java.util.HashMap<>(Map.of(
            "feed.source", "websocket",
            "feed.instrument", "1",
            "feed.wsUrl", "ws://127.0.0.1:1",
            "feed.restUrl", "http://127.0.0.1:1"));
        values.putAll(extra);
        return new Config(values, "test");
    }

    /** A context read from config, as in production, with the key from the (injected) environment. */
    private static FeedContext configured(final InstrumentRegistry registry, final FakeBinanceVenue venue)
    {
        final Config config = config(Map.of(
            "feed.wsUrl", venue.wsBaseUrl(),
            "feed.restUrl", venue.restBaseUrl(),
            "feed.apiKeyEnv", "MM_BINANCE_KEY",
            "feed.backoffInitialMs", "20",
            "feed.snapshotRetryMs", "20"));
        return FeedContext.fromConfig(config, registry, Path.of("."), Map.of("MM_BINANCE_KEY", KEY)::get);
    }

    private static void driveUntil(final BinanceLiveFeedAgent agent, final java.util.function.BooleanSupplier condition)
    {
        await("agent condition", 20_000, () ->
        {
            agent.doWork();
            if (marketData != null)
            {
                marketData.poll((buffer, offset, length, header) -> { }, 100);
            }
            return condition.getAsBoolean();
        });
    }

    /** A market-data consumer: a feed with nobody subscribed keeps what it publishes and waits for one. */
    private static io.aeron.Subscription marketData;
}
