package mm.driver;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverProfileTest
{
    @Test
    void smallHostProfileIsAppliedToContext()
    {
        final MediaDriver.Context context = DriverProfile.named("small-host").newContext();
        try
        {
            assertEquals(ThreadingMode.SHARED, context.threadingMode());
            assertInstanceOf(BackoffIdleStrategy.class, context.sharedIdleStrategy());
            assertEquals(1024 * 1024, context.ipcTermBufferLength());
            assertEquals(4 * 1024 * 1024, context.publicationTermBufferLength());
            assertTrue(context.termBufferSparseFile());
            assertTrue(context.dirDeleteOnStart());
            assertTrue(context.dirDeleteOnShutdown());
        }
        finally
        {
            context.close();
        }
    }

    @Test
    void lowLatencyProfileIsAppliedToContextWithoutLaunching()
    {
        // Not launched: three spinning driver threads would take over a 2-core test machine.
        final MediaDriver.Context context = DriverProfile.named("low-latency").newContext();
        try
        {
            assertEquals(ThreadingMode.DEDICATED, context.threadingMode());
            assertInstanceOf(BusySpinIdleStrategy.class, context.conductorIdleStrategy());
            assertInstanceOf(NoOpIdleStrategy.class, context.senderIdleStrategy());
            assertInstanceOf(NoOpIdleStrategy.class, context.receiverIdleStrategy());
            assertEquals(16 * 1024 * 1024, context.ipcTermBufferLength());
            assertEquals(8 * 1024, context.ipcMtuLength());
            assertFalse(context.termBufferSparseFile(), "non-sparse term files are pre-touched");
            assertEquals(2 * 1024 * 1024, context.socketRcvbufLength());
            assertEquals(2 * 1024 * 1024, context.initialWindowLength());
            assertFalse(context.dirDeleteOnShutdown());
        }
        finally
        {
            context.close();
        }
    }

    @Test
    void configPicksProfileOverridesAndDir()
    {
        final Config config = new Config(Map.of(
            "driver.profile", "small-host",
            "driver.ipcTermLength", "256k",
            "driver.dir", System.getProperty("java.io.tmpdir") + "/mm-test-driver"), "test");
        final DriverProfile profile = DriverProfile.fromConfig(config);
        assertEquals(256 * 1024, profile.ipcTermLength());
        assertEquals(System.getProperty("java.io.tmpdir") + "/mm-test-driver", profile.aeronDirectoryName());
        config.rejectUnknownKeys();
    }

    @Test
    void defaultProfileIsSmallHostWithNoDir()
    {
        final DriverProfile profile = DriverProfile.fromConfig(Config.empty());
        assertEquals("small-host", profile.name());
        assertNull(profile.aeronDirectoryName());
    }

    @Test
    void badProfileNameNamesTheKey()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> DriverProfile.fromConfig(new Config(Map.of("driver.profile", "turbo"), "test")));
        assertEquals("driver.profile", ex.key());
        assertTrue(ex.getMessage().contains("turbo"), ex.getMessage());
        assertTrue(ex.getMessage().contains("small-host"), ex.getMessage());
    }

    @Test
    void termLengthNotPowerOfTwoIsRejected()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> DriverProfile.fromConfig(new Config(Map.of("driver.ipcTermLength", "3m"), "test")));
        assertEquals("driver.ipcTermLength", ex.key());
        assertTrue(ex.getMessage().contains("power of two"), ex.getMessage());
    }

    @Test
    void unparsableLengthIsRejected()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> DriverProfile.fromConfig(new Config(Map.of("driver.mtuLength", "big"), "test")));
        assertEquals("driver.mtuLength", ex.key());
    }

    @Test
    void misalignedMtuIsRejected()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> DriverProfile.named("small-host").mtuLength(1000).conclude());
        assertEquals("driver.mtuLength", ex.key());
    }

    @Test
    void unknownIdleStrategyIsRejected()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> DriverProfile.fromConfig(new Config(Map.of("driver.sharedIdleStrategy", "nap"), "test")));
        assertEquals("driver.sharedIdleStrategy", ex.key());
    }

    @Test
    void unknownThreadingModeIsRejected()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> DriverProfile.fromConfig(new Config(Map.of("driver.threadingMode", "invoker"), "test")));
        assertEquals("driver.threadingMode", ex.key());
    }

    @Test
    void windowLargerThanSocketBufferIsRejected()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> DriverProfile.named("low-latency")
            .initialWindowLength(4 * 1024 * 1024).conclude());
        assertEquals("driver.initialWindowLength", ex.key());
    }

    @Test
    void dirInMissingFolderIsRejected()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> DriverProfile.fromConfig(
            new Config(Map.of("driver.dir", "/no/such/place/aeron"), "test")));
        assertEquals("driver.dir", ex.key());
    }

    @Test
    void lengthsAcceptSuffixes()
    {
        assertEquals(65536, DriverProfile.parseLength("k", "64k"));
        assertEquals(1024 * 1024, DriverProfile.parseLength("k", "1m"));
        assertEquals(1024 * 1024 * 1024, DriverProfile.parseLength("k", "1g"));
        assertEquals(1408, DriverProfile.parseLength("k", "1_408"));
        assertThrows(ConfigException.class, () -> DriverProfile.parseLength("k", "2g"));
        assertThrows(ConfigException.class, () -> DriverProfile.parseLength("k", "-1"));
    }
}
