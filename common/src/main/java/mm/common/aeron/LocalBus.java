package mm.common.aeron;

import io.aeron.logbuffer.ControlledFragmentHandler;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The streams of an in-process run (backtest, replay) on one thread, without a media driver: the same agents,
 * their {@link Inbox}es and {@link Outbox}es, connected to in-memory streams instead of Aeron publications and
 * subscriptions, so a message costs a copy into a ring and a read from it instead of a trip through shared memory
 * that another thread (the driver conductor, the next agent) must see.
 * <p>
 * Each stream is a ring of whole messages that every reader consumes at its own position, in publication order,
 * as from an Aeron IPC stream. A publisher is refused (back-pressure) when a message would overwrite what the
 * slowest reader has not read yet, as Aeron's flow control refuses an offer; the outbox queues it and retries.
 * Taps see each message as it is published (the journal's recorder). Readers only see messages published after
 * they subscribed, so connect every agent before the first one runs.
 * <p>
 * Not thread-safe: the agents, the bus and the taps run on one thread.
 */
public final class LocalBus
{
    /** Bytes per stream: enough for a few hundred top-of-book messages in flight, small enough to stay in cache. */
    public static final int DEFAULT_STREAM_CAPACITY = 64 * 1024;
    private static final int HEADER_LENGTH = Integer.BYTES;
    private static final int ALIGNMENT = 8;

    /** Sees every message of a stream as it is published; the message is only valid during the call. */
    @FunctionalInterface
    public interface Tap
    {
        void onMessage(DirectBuffer buffer, int offset, int length);
    }

    private final int streamCapacity;
    private final Int2ObjectHashMap<Stream> streams = new Int2ObjectHashMap<>();

    public LocalBus()
    {
        this(DEFAULT_STREAM_CAPACITY);
    }

    /**
     * @param streamCapacity bytes of each stream's ring, a power of two; the largest message must fit in half.
     */
    public LocalBus(final int streamCapacity)
    {
        if (!BitUtil.isPowerOfTwo(streamCapacity) || streamCapacity < 1024)
        {
            throw new IllegalArgumentException("streamCapacity must be a power of two of at least 1024: " + streamCapacity);
        }
        this.streamCapacity = streamCapacity;
    }

    /** What publishing on {@code streamId} offers to: redirect an {@link Outbox} to it. */
    public Outbox.Sink publisher(final int streamId)
    {
        return stream(streamId);
    }

    /** A reader of {@code streamId} from the next message published on it. */
    public Inbox.Source subscribe(final int streamId)
    {
        final Stream stream = stream(streamId);
        final Reader reader = new Reader(stream);
        stream.readers = Arrays.copyOf(stream.readers, stream.readers.length + 1);
        stream.readers[stream.readers.length - 1] = reader;
        return reader;
    }

    /** {@code tap} sees every message published on {@code streamId} from now on, as it is published. */
    public void tap(final int streamId, final Tap tap)
    {
        final Stream stream = stream(streamId);
        stream.taps = Arrays.copyOf(stream.taps, stream.taps.length + 1);
        stream.taps[stream.taps.length - 1] = tap;
    }

    /** Every input of {@code inbox} reads its stream here, and its outboxes and tee publish here. */
    public void connect(final Inbox inbox)
    {
        for (int i = 0; i < inbox.inputCount(); i++)
        {
            inbox.replaceInput(i, subscribe(inbox.inputStreamId(i)));
        }
        for (int i = 0; i < inbox.outputCount(); i++)
        {
            connect(inbox.output(i));
        }
        if (inbox.tee() != null)
        {
            connect(inbox.tee());
        }
    }

    /** {@code outbox} publishes here (a source without an inbox, e.g. the feed's market data). */
    public void connect(final Outbox outbox)
    {
        outbox.redirect(publisher(outbox.streamId()));
    }

    /** Messages published on {@code streamId} so far. */
    public long messageCount(final int streamId)
    {
        final Stream stream = streams.get(streamId);
        return stream == null ? 0 : stream.messageCount;
    }

    private Stream stream(final int streamId)
    {
        Stream stream = streams.get(streamId);
        if (stream == null)
        {
            stream = new Stream(streamId, streamCapacity);
            streams.put(streamId, stream);
        }
        return stream;
    }

    private static int recordLength(final int messageLength)
    {
        return BitUtil.align(HEADER_LENGTH + messageLength, ALIGNMENT);
    }

    /** One stream: a ring of {@code [int32 length][message]} records, 8-byte aligned; a negative length pads to the end. */
    private static final class Stream implements Outbox.Sink
    {
        private final int streamId;
        private final UnsafeBuffer ring;
        private final int capacity;
        private final int mask;
        private long tail;
        private long messageCount;
        private Reader[] readers = new Reader[0];
        private Tap[] taps = new Tap[0];

        Stream(final int streamId, final int capacity)
        {
            this.streamId = streamId;
            this.capacity = capacity;
            this.mask = capacity - 1;
            this.ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity, 64));
        }

        public boolean offer(final DirectBuffer buffer, final int offset, final int length)
        {
            final Reader[] readers = this.readers;
            if (readers.length == 0)
            {
                messageCount++;
                tap(buffer, offset, length); // nobody reads it back: nothing to keep
                return true;
            }
            final int recordLength = recordLength(length);
            if (recordLength > capacity >> 1)
            {
                throw new IllegalArgumentException("message of " + length + " bytes does not fit stream " + streamId +
                    " (capacity " + capacity + " bytes)");
            }
            long slowest = tail;
            for (final Reader reader : readers)
            {
                slowest = Math.min(slowest, reader.position);
            }
            int index = (int)tail & mask;
            final int toEnd = capacity - index;
            final int padding = toEnd < recordLength ? toEnd : 0;
            if (tail + padding + recordLength - slowest > capacity)
            {
                return false;
            }
            if (padding > 0)
            {
                ring.putInt(index, -padding);
                tail += padding;
                index = 0;
            }
            ring.putInt(index, length);
            ring.putBytes(index + HEADER_LENGTH, buffer, offset, length);
            tail += recordLength;
            messageCount++;
            tap(ring, index + HEADER_LENGTH, length);
            return true;
        }

        private void tap(final DirectBuffer buffer, final int offset, final int length)
        {
            for (final Tap tap : taps)
            {
                tap.onMessage(buffer, offset, length);
            }
        }
    }

    private static final class Reader implements Inbox.Source
    {
        private final Stream stream;
        private long position;

        Reader(final Stream stream)
        {
            this.stream = stream;
            this.position = stream.tail;
        }

        public int controlledPoll(final ControlledFragmentHandler handler, final int fragmentLimit)
        {
            final Stream stream = this.stream;
            final UnsafeBuffer ring = stream.ring;
            int consumed = 0;
            while (consumed < fragmentLimit && position < stream.tail)
            {
                final int index = (int)position & stream.mask;
                final int length = ring.getInt(index);
                if (length < 0)
                {
                    position -= length;
                    continue;
                }
                final ControlledFragmentHandler.Action action = handler.onFragment(ring, index + HEADER_LENGTH, length, null);
                if (action == ControlledFragmentHandler.Action.ABORT)
                {
                    break;
                }
                position += recordLength(length);
                consumed++;
                if (action == ControlledFragmentHandler.Action.BREAK)
                {
                    break;
                }
            }
            return consumed;
        }
    }
}
