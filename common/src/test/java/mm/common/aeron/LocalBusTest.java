package mm.common.aeron;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import mm.common.testing.Allocations;
import mm.common.testing.TestMessages;
import mm.sbe.InboxRecordDecoder;
import mm.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process streams of a backtest: an {@link Outbox} redirected to a {@link LocalBus} stream reaches every
 * connected {@link Inbox} in order, a held-back message stays until the ordering rule lets it through, a slow
 * reader back-pressures the publisher (nothing lost, nothing reordered, across the ring's wrap), taps see every
 * message once, and the Aeron publications and subscriptions the agents were built with carry nothing.
 */
class LocalBusTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int MARKET_DATA = 11;
    private static final int OUTPUT = 12;
    private static final int TEE = 13;

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

    /** Consumes market data while {@link #allowedUpTo} allows it, republishing each event on its output. */
    private final class Agent implements Inbox.Handler
    {
        final List<Long> consumed = new ArrayList<>();
        final Outbox output = new Outbox(aeron.addExclusivePublication(CHANNEL, OUTPUT));
        final Inbox inbox;
        long allowedUpTo = Long.MAX_VALUE;
        /** A template the agent says needs no journal record (a pacing marker), or 0. */
        int notJournaledTemplateId;
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[1024]);

        Agent(final boolean tee)
        {
            final AtomicCounter skipped = aeron.addCounter(1001, "skipped");
            inbox = new Inbox(this, skipped, 7, tee ? new Outbox(aeron.addExclusivePublication(CHANNEL, TEE)) : null,
                output);
            inbox.addInput(aeron.addSubscription(CHANNEL, MARKET_DATA));
        }

        public boolean canConsume(final int input, final long eventSeq)
        {
            return eventSeq <= allowedUpTo;
        }

        public void onMessage(final int input, final int templateId, final long eventSeq, final DirectBuffer buffer,
            final int bodyOffset, final int blockLength, final int version)
        {
            consumed.add(eventSeq);
            copy.putLong(0, eventSeq);
            output.send(copy, 0, Long.BYTES);
        }

        public long inputTimeNs()
        {
            return 0;
        }

        public boolean journals(final int input, final int templateId)
        {
            return templateId != notJournaledTemplateId;
        }
    }

    @Test
    void aMessageTheAgentSaysNeedsNoRecordIsConsumedButNotTeedAndTheRecordsStayNumberedInARow()
    {
        final LocalBus bus = new LocalBus();
        final Agent agent = new Agent(true);
        agent.notJournaledTemplateId = mm.sbe.StepEndDecoder.TEMPLATE_ID;
        bus.connect(agent.inbox);
        final Outbox feed = new Outbox(aeron.addExclusivePublication(CHANNEL, MARKET_DATA));
        bus.connect(feed);
        final List<String> teed = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final MessageHeaderDecoder payloadHeader = new MessageHeaderDecoder();
        final InboxRecordDecoder record = new InboxRecordDecoder();
        bus.tap(TEE, (buffer, offset, length) ->
        {
            record.wrapAndApplyHeader(buffer, offset, header);
            final int payloadOffset = record.limit() + InboxRecordDecoder.payloadHeaderLength();
            teed.add(record.inboxSeq() + ":" + payloadHeader.wrap(buffer, payloadOffset).templateId());
        });
        for (long seq = 1; seq <= 3; seq++)
        {
            final byte[] book = TestMessages.book(seq, 1, seq, 100, 1, 101, 1);
            feed.send(new UnsafeBuffer(book), 0, book.length);
            final byte[] stepEnd = TestMessages.stepEnd(seq, seq);
            feed.send(new UnsafeBuffer(stepEnd), 0, stepEnd.length);
        }
        agent.inbox.poll(16);
        assertEquals(List.of(1L, 1L, 2L, 2L, 3L, 3L), agent.consumed, "every message reaches the agent");
        assertEquals(6, agent.inbox.consumedCount());
        final int book = mm.sbe.BookTopNDecoder.TEMPLATE_ID;
        assertEquals(List.of("0:" + book, "1:" + book, "2:" + book), teed);
    }

    @Test
    void messagesReachEveryInboxInOrderAndHeldBackOnesWait()
    {
        final LocalBus bus = new LocalBus();
        final Agent first = new Agent(true);
        final Agent second = new Agent(false);
        bus.connect(first.inbox);
        bus.connect(second.inbox);
        final Outbox feed = new Outbox(aeron.addExclusivePublication(CHANNEL, MARKET_DATA));
        bus.connect(feed);
        final List<Long> outputs = new ArrayList<>();
        bus.tap(OUTPUT, (buffer, offset, length) -> outputs.add(buffer.getLong(offset)));
        final List<Long> teed = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final InboxRecordDecoder record = new InboxRecordDecoder();
        bus.tap(TEE, (buffer, offset, length) ->
        {
            record.wrapAndApplyHeader(buffer, offset, header);
            assertEquals(MARKET_DATA, record.streamId());
            teed.add(record.inboxSeq());
        });

        for (long seq = 1; seq <= 5; seq++)
        {
            final byte[] book = TestMessages.book(seq, 1, seq, 100, 1, 101, 1);
            feed.send(new UnsafeBuffer(book), 0, book.length);
        }
        second.allowedUpTo = 2;
        first.inbox.poll(16);
        second.inbox.poll(16);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), first.consumed);
        assertEquals(List.of(1L, 2L), second.consumed, "3 is held back by the ordering rule, and 4 and 5 behind it");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), teed, "the tee goes to the bus too");
        second.allowedUpTo = Long.MAX_VALUE;
        second.inbox.poll(2);
        assertEquals(List.of(1L, 2L, 3L, 4L), second.consumed, "fragment limit");
        second.inbox.poll(16);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), second.consumed);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 1L, 2L, 3L, 4L, 5L), outputs);
        assertEquals(5, bus.messageCount(MARKET_DATA));
        assertEquals(10, bus.messageCount(OUTPUT));
        assertEquals(0, aeron.addSubscription(CHANNEL, OUTPUT).poll((b, o, l, h) -> { }, 10),
            "nothing went through Aeron");
    }

    @Test
    void aSlowReaderBackPressuresThePublisherWithoutLossAcrossTheRingsWrap()
    {
        final LocalBus bus = new LocalBus(4096);
        final Agent slow = new Agent(false);
        bus.connect(slow.inbox);
        final Outbox feed = new Outbox(aeron.addExclusivePublication(CHANNEL, MARKET_DATA));
        bus.connect(feed);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[600]);
        final List<Long> sent = new ArrayList<>();
        long seq = 0;
        for (int round = 0; round < 50; round++)
        {
            // messages of varied sizes, so that records do not divide the ring evenly and some need padding
            for (int i = 0; i < 7; i++)
            {
                final byte[] book = TestMessages.book(++seq, 1, seq, 100, 1, 101, 1);
                message.putBytes(0, book);
                feed.send(message, 0, book.length + (int)(seq % 5) * 37);
                sent.add(seq);
            }
            slow.inbox.poll(3);
            feed.flush();
        }
        assertTrue(feed.deferredCount() > 0, "the reader fell behind by more than the ring");
        while (!feed.isEmpty() || slow.consumed.size() < sent.size())
        {
            slow.inbox.poll(16);
            feed.flush();
        }
        assertEquals(sent, slow.consumed, "everything, in order");
    }

    @Test
    void aStreamWithoutReadersOnlyFeedsItsTapsAndNeverRefuses()
    {
        final LocalBus bus = new LocalBus(1024);
        final List<Integer> tapped = new ArrayList<>();
        bus.tap(OUTPUT, (buffer, offset, length) -> tapped.add(buffer.getInt(offset)));
        final Outbox.Sink publisher = bus.publisher(OUTPUT);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[300]);
        for (int i = 0; i < 100; i++)
        {
            message.putInt(0, i);
            assertTrue(publisher.offer(message, 0, message.capacity()));
        }
        assertEquals(100, tapped.size());
        assertEquals(99, tapped.get(99));
    }

    @Test
    void aMessageLargerThanHalfTheRingIsRefusedLoudly()
    {
        final LocalBus bus = new LocalBus(1024);
        bus.subscribe(OUTPUT);
        final Outbox.Sink publisher = bus.publisher(OUTPUT);
        assertThrows(IllegalArgumentException.class, () -> publisher.offer(new UnsafeBuffer(new byte[600]), 0, 600));
        assertThrows(IllegalArgumentException.class, () -> new LocalBus(1000));
    }

    @Test
    void aRedirectedOutboxNeedsNoSubscriberAndAnOutboxWithQueuedMessagesCannotBeRedirected()
    {
        final Outbox outbox = new Outbox(aeron.addExclusivePublication(CHANNEL, OUTPUT));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        outbox.send(message, 0, 8); // not connected: queued
        assertFalse(outbox.isEmpty());
        assertThrows(IllegalStateException.class, () -> outbox.redirect((b, o, l) -> true));

        final Outbox redirected = new Outbox(aeron.addExclusivePublication(CHANNEL, TEE));
        final LocalBus bus = new LocalBus();
        bus.connect(redirected);
        assertTrue(redirected.isRedirected());
        redirected.send(message, 0, 8);
        assertTrue(redirected.isEmpty());
        assertEquals(1, redirected.sentCount());
        assertEquals(1, bus.messageCount(TEE));
    }

    @Test
    void publishingConsumingTeeingAndTappingAllocateNothing()
    {
        final LocalBus bus = new LocalBus(8192);
        final Outbox output = new Outbox(aeron.addExclusivePublication(CHANNEL, OUTPUT));
        final long[] sums = new long[2];
        final Inbox.Handler handler = new Inbox.Handler()
        {
            public boolean canConsume(final int input, final long eventSeq)
            {
                return true;
            }

            public void onMessage(final int input, final int templateId, final long eventSeq, final DirectBuffer buffer,
                final int bodyOffset, final int blockLength, final int version)
            {
                sums[0] += eventSeq;
                output.send(buffer, bodyOffset, Long.BYTES);
            }

            public long inputTimeNs()
            {
                return 0;
            }
        };
        final Inbox inbox = new Inbox(handler, aeron.addCounter(1001, "skipped"), 7,
            new Outbox(aeron.addExclusivePublication(CHANNEL, TEE)), output);
        inbox.addInput(aeron.addSubscription(CHANNEL, MARKET_DATA));
        bus.connect(inbox);
        final Outbox feed = new Outbox(aeron.addExclusivePublication(CHANNEL, MARKET_DATA));
        bus.connect(feed);
        bus.tap(OUTPUT, (buffer, offset, length) -> sums[1] += buffer.getLong(offset));
        final UnsafeBuffer book = new UnsafeBuffer(TestMessages.book(1, 1, 1, 100, 1, 101, 1));
        final Runnable work = () ->
        {
            for (int i = 0; i < 20_000; i++)
            {
                book.putLong(mm.common.sbe.Messages.HEADER_LENGTH, i);
                feed.send(book, 0, book.capacity());
                inbox.poll(16);
            }
        };
        work.run();
        assertEquals(0, Allocations.leastBytesAllocated(3, work));
        assertEquals(sums[0], sums[1], "every event went out");
    }
}
