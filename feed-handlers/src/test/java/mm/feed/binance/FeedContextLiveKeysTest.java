package mm.feed.binance;

import mm.common.InstrumentRegistry;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.common.testing.TestInstruments;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live feed's {@code feed.*} keys: defaults, and a ConfigException naming key, value and rule for each bad value. */
class FeedContextLiveKeysTest
{
    private static final InstrumentRegistry REGISTRY = TestInstruments.registry();

    private static FeedContext read(final Map<String, String> values)
    {
        final Map<String, String> all = new HashMap<>(Map.of("feed.source", "websocket"));
        all.putAll(values);
        final Config config = new Config(all, "test");
        final FeedContext context = FeedContext.fromConfig(config, REGISTRY, Path.of("."), name -> "envKey0123456789");
        config.rejectUnknownKeys();
        return context;
    }

    @Test
    void websocketNeedsNoRecordingAndHasBinanceDefaults()
    {
        final FeedContext context = read(Map.of());
        assertEquals(FeedContext.Source.WEBSOCKET, context.source());
        assertEquals(URI.create("wss://stream.binance.com:9443"), context.wsUrl());
        assertEquals(URI.create("https://api.binance.com"), context.restUrl());
        assertEquals(List.of("btcusdt@depth@100ms", "btcusdt@trade", "btcusdt@bookTicker"), context.streams());
        assertEquals(1000, context.snapshotLimit());
        assertNull(context.apiKey());
        assertEquals(4, context.outboundPerSecond());
        assertTrue(context.connectionLifetimeMs() < FeedContext.MAX_CONNECTION_LIFETIME_MS);
        assertEquals(8 * 1024 * 1024, context.ringBytes());
        assertEquals("/api/v3/depth", FeedContext.depthPath(context.instrument().venue()));
    }

    @Test
    void everyKeyIsRead()
    {
        final FeedContext context = read(Map.ofEntries(
            Map.entry("feed.wsUrl", "ws://127.0.0.1:9000"),
            Map.entry("feed.restUrl", "http://127.0.0.1:9000/"),
            Map.entry("feed.streams", "btcusdt@depth@100ms, btcusdt@trade"),
            Map.entry("feed.snapshotLimit", "5000"),
            Map.entry("feed.apiKeyEnv", "MM_KEY"),
            Map.entry("feed.connectTimeoutMs", "1000"),
            Map.entry("feed.livenessTimeoutMs", "10000"),
            Map.entry("feed.connectionLifetimeMs", "3600000"),
            Map.entry("feed.backoffInitialMs", "10"),
            Map.entry("feed.backoffMaxMs", "1000"),
            Map.entry("feed.circuitFailures", "3"),
            Map.entry("feed.circuitCoolDownMs", "5000"),
            Map.entry("feed.outboundPerSecond", "2"),
            Map.entry("feed.restConnectTimeoutMs", "500"),
            Map.entry("feed.restReadTimeoutMs", "700"),
            Map.entry("feed.restWeightPerMinute", "600"),
            Map.entry("feed.snapshotRetryMs", "250"),
            Map.entry("feed.ringBytes", "4m")));
        assertEquals(List.of("btcusdt@depth@100ms", "btcusdt@trade"), context.streams());
        assertEquals(5000, context.snapshotLimit());
        assertTrue(context.apiKey().toString().contains("MM_KEY"));
        assertEquals(3, context.circuitFailures());
        assertEquals(4 * 1024 * 1024, context.ringBytes());
        assertEquals(600, context.restWeightPerMinute());
    }

    @Test
    void badValuesNameTheKey()
    {
        final Map<String, String> bad = Map.ofEntries(
            Map.entry("feed.source", "carrier-pigeon"),
            Map.entry("feed.wsUrl", "http://stream.binance.com"),
            Map.entry("feed.restUrl", "ftp://api.binance.com"),
            Map.entry("feed.streams", "BTCUSDT trade"),
            Map.entry("feed.snapshotLimit", "5001"),
            Map.entry("feed.connectTimeoutMs", "0"),
            Map.entry("feed.livenessTimeoutMs", "-1"),
            Map.entry("feed.connectionLifetimeMs", "86400001"),
            Map.entry("feed.backoffInitialMs", "0"),
            Map.entry("feed.circuitFailures", "0"),
            Map.entry("feed.outboundPerSecond", "6"),
            Map.entry("feed.restWeightPerMinute", "6001"),
            Map.entry("feed.ringBytes", "3m"));
        for (final Map.Entry<String, String> entry : bad.entrySet())
        {
            final ConfigException ex = assertThrows(ConfigException.class, () -> read(Map.of(entry.getKey(), entry.getValue())),
                entry.toString());
            assertEquals(entry.getKey(), ex.key(), ex.getMessage());
            assertTrue(ex.getMessage().contains(entry.getValue()), ex.getMessage());
        }
        final ConfigException order = assertThrows(ConfigException.class, () ->
            read(Map.of("feed.backoffInitialMs", "500", "feed.backoffMaxMs", "100")));
        assertEquals("feed.backoffMaxMs", order.key());
        final ConfigException repeated = assertThrows(ConfigException.class, () ->
            read(Map.of("feed.streams", "btcusdt@trade,btcusdt@trade")));
        assertEquals("feed.streams", repeated.key());
        final ConfigException budget = assertThrows(ConfigException.class, () ->
            read(Map.of("feed.snapshotLimit", "5000", "feed.restWeightPerMinute", "100")));
        assertEquals("feed.restWeightPerMinute", budget.key());
        final ConfigException ring = assertThrows(ConfigException.class, () ->
            read(Map.of("feed.snapshotLimit", "5000", "feed.ringBytes", "1m")));
        assertEquals("feed.ringBytes", ring.key());
        assertEquals(4 * 1024 * 1024, FeedContext.minRingBytes(5000));
        assertEquals(1024 * 1024, FeedContext.minRingBytes(1000));
        final ConfigException recording = assertThrows(ConfigException.class, () ->
            read(Map.of("feed.source", "recording")));
        assertEquals("feed.recording", recording.key());
    }
}
