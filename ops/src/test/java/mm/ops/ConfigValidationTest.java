package mm.ops;

import mm.common.config.Config;
import mm.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad config stops startup with a message naming the key, the value and the rule. */
class ConfigValidationTest
{
    @Test
    void theBundledDemoConfigIsValid()
    {
        final EngineConfig config = EngineConfig.from(Main.demoConfig(), TestPaths.repoRoot());
        assertEquals("BTCUSDT", config.feed.instrument().symbol());
    }

    @Test
    void badValuesNameKeyValueAndRule()
    {
        assertMessage(Map.of("quoting.as.gamma", "-3"),
            "config key 'quoting.as.gamma' has value '-3': must be a number in [0.000000001, 1000000]");
        assertMessage(Map.of("quoting.levels", "20"),
            "config key 'quoting.levels' has value '20': must be an integer in [1, 19]");
        assertMessage(Map.of("engine.deployment", "cluster"),
            "config key 'engine.deployment' has value 'cluster': must be one of [composite, threaded, process]");
        assertMessage(Map.of("quoting.quoteQty", "0.0000001"),
            "config key 'quoting.quoteQty' has value '0.0000001': must be a multiple of the lot size");
        assertMessage(Map.of("instrument.1.tickSize", "0.001", "instrument.1.priceExponent", "-2"),
            "config key 'instrument.1.tickSize' has value '0.001': must be a decimal number with at most 2 decimals");
        assertMessage(Map.of("feed.recording", "data/nope.gz"),
            "config key 'feed.recording' has value 'data/nope.gz': must name readable recording files");
        assertMessage(Map.of("feed.speed", "fast"),
            "config key 'feed.speed' has value 'fast': must be a number >= 0");
        assertMessage(Map.of("driver.profile", "turbo"), "config key 'driver.profile' has value 'turbo'");
        assertMessage(Map.of("aeron.channel", "tcp://localhost"),
            "config key 'aeron.channel' has value 'tcp://localhost': must be an aeron:ipc or aeron:udp channel URI");
        assertMessage(Map.of("stream.executions", "1001"), "every stream needs its own id");
    }

    @Test
    void theJournalIsTetheredInLockstepAndUntetheredInLiveRuns()
    {
        final EngineConfig lockstep = EngineConfig.from(Main.demoConfig(), TestPaths.repoRoot());
        assertTrue(lockstep.journalTether, "a simulation's journal is complete");
        assertEquals("aeron:ipc?term-length=1m", lockstep.streams.channel());
        final EngineConfig live = EngineConfig.from(Main.demoConfig().withOverrides(Map.of(
            "engine.lockstep", "false", "journal.maxStallMs", "20", "journal.rejoinMs", "500")), TestPaths.repoRoot());
        assertFalse(live.journalTether);
        assertTrue(live.streams.channel().contains("untethered-window-limit-timeout=20ms"), live.streams.channel());
        assertTrue(live.streams.channel().contains("untethered-resting-timeout=500ms"), live.streams.channel());
        assertTrue(EngineConfig.from(Main.demoConfig().withOverrides(Map.of("engine.lockstep", "false",
            "journal.tether", "true")), TestPaths.repoRoot()).journalTether, "a live run may keep a complete journal");
        assertMessage(Map.of("journal.tether", "false"),
            "config key 'journal.tether' has value 'false': must be true when engine.lockstep=true");
        assertMessage(Map.of("engine.lockstep", "false", "journal.maxStallMs", "0"), "config key 'journal.maxStallMs'");
    }

    @Test
    void anUnknownKeyIsATypoNotASilentDefault()
    {
        assertMessage(Map.of("quoting.halfSpreadTick", "3"),
            "config key 'quoting.halfSpreadTick' has value '3': is not a known key");
        assertMessage(Map.of("quoting.halfSpreadTicks", "3"),
            "config key 'quoting.halfSpreadTicks' has value '3': is not a known key");
    }

    @Test
    void configCheckCommandReportsTheBadKeyAndExitsNonZero(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("bad.properties");
        Files.writeString(file, Main.demoConfig().canonicalText().replace("risk.maxPosition=0.005", "risk.maxPosition=lots"));
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> Main.run(new String[]{"config", "check", file.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8)));
        assertTrue(ex.getMessage().startsWith("config key 'risk.maxPosition' has value 'lots'"), ex.getMessage());
    }

    private static void assertMessage(final Map<String, String> overrides, final String expectedPrefix)
    {
        final Config config = Main.demoConfig().withOverrides(overrides);
        final ConfigException ex = assertThrows(ConfigException.class, () -> EngineConfig.from(config, TestPaths.repoRoot()));
        assertTrue(ex.getMessage().contains(expectedPrefix), "got: " + ex.getMessage());
    }
}
