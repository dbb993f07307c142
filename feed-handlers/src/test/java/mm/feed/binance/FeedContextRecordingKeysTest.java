package mm.feed.binance;

import mm.common.InstrumentRegistry;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.common.testing.TestInstruments;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recording source's {@code feed.*} keys: {@code feed.recording.readAhead} defaults on and is validated. */
class FeedContextRecordingKeysTest
{
    private static final InstrumentRegistry REGISTRY = TestInstruments.registry();
    private static final Path RECORDING = TestData.hftbacktest("spot/btcusdt_20230405.dat.gz");

    private static FeedContext read(final Map<String, String> values)
    {
        final Map<String, String> all = new HashMap<>(Map.of("feed.recording", RECORDING.toString()));
        all.putAll(values);
        final Config config = new Config(all, "test");
        final FeedContext context = FeedContext.fromConfig(config, REGISTRY, Path.of("."), name -> null);
        config.rejectUnknownKeys();
        return context;
    }

    @Test
    void readAheadIsOnByDefaultAndCanBeTurnedOff()
    {
        final FeedContext defaults = read(Map.of());
        assertEquals(List.of(RECORDING), defaults.files());
        assertTrue(defaults.recordingReadAhead());
        assertFalse(read(Map.of("feed.recording.readAhead", "false")).recordingReadAhead());
        assertTrue(read(Map.of("feed.recording.readAhead", "TRUE")).recordingReadAhead());
    }

    @Test
    void readAheadIsReadForALiveSourceToo()
    {
        // switching feed.source must not make the key unknown
        assertFalse(read(Map.of("feed.source", "websocket", "feed.recording.readAhead", "false")).recordingReadAhead());
    }

    @Test
    void aBadReadAheadValueNamesKeyValueAndRule()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> read(Map.of("feed.recording.readAhead", "yes")));
        assertEquals("feed.recording.readAhead", ex.key());
        assertTrue(ex.getMessage().contains("yes"), ex.getMessage());
        assertTrue(ex.getMessage().contains("true or false"), ex.getMessage());
    }
}
