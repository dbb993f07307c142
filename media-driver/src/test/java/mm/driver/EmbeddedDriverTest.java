package mm.driver;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import mm.common.config.Config;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDriverTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int STREAM_ID = 77;
    private static final long TIMEOUT_NS = 10_000_000_000L;

    @Test
    void smallHostDriverCarriesMessagesAndDeletesItsFolder()
    {
        final String dir;
        try (EmbeddedDriver driver = EmbeddedDriver.launch(new Config(Map.of("driver.profile", "small-host"), "test"));
            Aeron aeron = driver.connectClient();
            Subscription subscription = aeron.addSubscription(CHANNEL, STREAM_ID);
            Publication publication = aeron.addPublication(CHANNEL, STREAM_ID))
        {
            dir = driver.aeronDirectoryName();
            assertTrue(Files.isDirectory(Path.of(dir)), dir);
            assertEquals("small-host", driver.profile().name());

            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
            final int messageCount = 100;
            final List<Long> received = new ArrayList<>();
            final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
            int sent = 0;
            while (received.size() < messageCount)
            {
                if (sent < messageCount)
                {
                    buffer.putLong(0, sent);
                    if (publication.offer(buffer, 0, Long.BYTES) > 0)
                    {
                        sent++;
                    }
                }
                subscription.poll((b, offset, length, header) -> received.add(b.getLong(offset)), 10);
                assertTrue(System.nanoTime() < deadlineNs, "round trip timed out after " + received.size());
                Thread.onSpinWait();
            }
            for (int i = 0; i < messageCount; i++)
            {
                assertEquals(i, received.get(i));
            }
        }
        assertFalse(Files.exists(Path.of(dir)), "small-host deletes the driver folder at shutdown");
    }

    @Test
    void countersOnlyDriverParksItsThreadsAndStillServesCounters()
    {
        final DriverProfile profile = DriverProfile.named(DriverProfile.SMALL_HOST).countersOnly();
        assertTrue(profile.isCountersOnly());
        final MediaDriver.Context context = profile.newContext();
        assertInstanceOf(BackoffIdleStrategy.class, context.sharedIdleStrategy());
        // small-host's own backoff parks at most 100 µs
        assertTrue(context.sharedIdleStrategy().toString().contains("maxParkPeriodNs=20000000"),
            context.sharedIdleStrategy().toString());
        assertFalse(context.asyncExecutorEnabled(), "no async executor thread");
        assertEquals(100_000_000L, context.timerIntervalNs());

        try (EmbeddedDriver driver = EmbeddedDriver.launch(profile);
            Aeron aeron = driver.connectClient())
        {
            // a run of requests, as an engine makes at start (the client sleeps 1 ms before each look for a reply)
            final List<Counter> counters = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                counters.add(aeron.addCounter(1001, "counters-only test " + i));
            }
            counters.get(7).setRelease(42);
            final CountersReader reader = aeron.countersReader();
            assertEquals(42, reader.getCounterValue(counters.get(7).id()));
            assertEquals("counters-only test 7", reader.getCounterLabel(counters.get(7).id()));
            counters.forEach(Counter::close);
        }
    }

    @Test
    void eachEmbeddedDriverGetsItsOwnFolder()
    {
        final String first = DriverProfile.uniqueEmbeddedDir();
        final String second = DriverProfile.uniqueEmbeddedDir();
        assertNotEquals(first, second);
        assertTrue(first.contains(String.valueOf(ProcessHandle.current().pid())), first);
    }
}
