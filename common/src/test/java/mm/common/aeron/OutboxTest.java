package mm.common.aeron;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";

    private MediaDriver driver;
    private Aeron aeron;

    @BeforeEach
    void setUp()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    @AfterEach
    void tearDown()
    {
        aeron.close();
        driver.close();
    }

    @Test
    void queuesUnderBackPressureAndDeliversEverythingInOrder()
    {
        final Subscription subscription = aeron.addSubscription(CHANNEL, 7);
        final ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, 7);
        final Outbox outbox = new Outbox(publication);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
        // 64k term: the window fills after about 32 KiB unread, the rest must queue
        for (int i = 0; i < 200; i++)
        {
            message.putInt(0, i);
            outbox.send(message, 0, message.capacity());
        }
        assertFalse(outbox.isEmpty(), "back-pressure queued messages instead of dropping them");
        assertTrue(outbox.deferredCount() > 0);

        final List<Integer> received = new ArrayList<>();
        final long deadlineNs = System.nanoTime() + 30_000_000_000L;
        while (received.size() < 200 && System.nanoTime() < deadlineNs)
        {
            subscription.poll((buffer, offset, length, header) -> received.add(buffer.getInt(offset)), 10);
            outbox.flush();
        }
        assertEquals(200, received.size());
        for (int i = 0; i < 200; i++)
        {
            assertEquals(i, received.get(i));
        }
        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.noSubscriberDropCount());
    }

    @Test
    void notConnectedIsQueuedByDefaultSoNothingIsLostAtStartUp()
    {
        final Outbox outbox = new Outbox(aeron.addExclusivePublication(CHANNEL, 9));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        message.putInt(0, 42);
        outbox.send(message, 0, message.capacity());
        assertFalse(outbox.isEmpty(), "kept until a subscriber is connected");
        final Subscription subscription = aeron.addSubscription(CHANNEL, 9);
        final List<Integer> received = new ArrayList<>();
        final long deadlineNs = System.nanoTime() + 30_000_000_000L;
        while (received.isEmpty() && System.nanoTime() < deadlineNs)
        {
            outbox.flush();
            subscription.poll((buffer, offset, length, header) -> received.add(buffer.getInt(offset)), 10);
        }
        assertEquals(List.of(42), received);
        assertEquals(0, outbox.noSubscriberDropCount());
    }

    @Test
    void aLossyOutboxDropsAndCountsWhatTheBackPressuredPublicationRefusesAndNeverQueues()
    {
        final Subscription subscription = aeron.addSubscription(CHANNEL, 10);
        final ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, 10);
        final org.agrona.concurrent.status.AtomicCounter dropped = aeron.addCounter(1002, "dropped");
        final Outbox outbox = new Outbox(publication).dropWhenBackPressured(dropped);
        final long deadlineNs = System.nanoTime() + 30_000_000_000L;
        while (!publication.isConnected() && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
        // 64k term: about 32 messages fit the window, the rest is refused while nobody reads
        for (int i = 0; i < 200; i++)
        {
            message.putInt(0, i);
            outbox.send(message, 0, message.capacity());
            assertTrue(outbox.isEmpty(), "never queued: the agent never waits for a lagging journal");
        }
        assertTrue(outbox.backPressureDropCount() > 100, "dropped: " + outbox.backPressureDropCount());
        assertEquals(outbox.backPressureDropCount(), dropped.get());
        assertEquals(200, outbox.sentCount() + outbox.backPressureDropCount());
        final List<Integer> received = new ArrayList<>();
        subscription.poll((buffer, offset, length, header) -> received.add(buffer.getInt(offset)), 1000);
        assertEquals((int)outbox.sentCount(), received.size());
        assertEquals(0, received.get(0), "what went out went out in order");
    }

    @Test
    void aStreamNobodyReadsDoesNotStallTheSender()
    {
        final Outbox outbox = Outbox.droppingWhenUnsubscribed(aeron.addExclusivePublication(CHANNEL, 8));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 1000; i++)
        {
            outbox.send(message, 0, message.capacity());
        }
        assertTrue(outbox.isEmpty());
        assertEquals(1000, outbox.noSubscriberDropCount());
    }
}
