package mm.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Reads back one stream's journal queue, message by message in recorded order, with the raw bytes exactly as
 * they arrived. Use it as a cursor ({@link #open}, {@link #next()}, {@link #buffer()}...) or through
 * {@link #forEach} and {@link #sha256}, the hash that {@code replay --verify} and the run manifest compare.
 * <p>
 * The queue is opened read-only so reading never changes the files the manifest checksums. One reader is used
 * by one thread.
 */
public final class JournalReader implements AutoCloseable
{
    /** Receives one recorded message; the buffer is only valid during the call. */
    @FunctionalInterface
    public interface MessageHandler
    {
        void onMessage(DirectBuffer buffer, int offset, int length);
    }

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private byte[] bytes = new byte[4096];
    private int length;
    private long messageIndex = -1;

    private JournalReader(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.tailer = queue.createTailer();
        // one reader is used by one thread (see above): Chronicle's per-call check of that was 13% of a replay
        tailer.singleThreadedCheckDisabled(true);
    }

    /** Opens {@code <runDir>/<streamName>/} at its first message. */
    public static JournalReader open(final Path runDir, final String streamName)
    {
        return new JournalReader(JournalQueues.openForReading(runDir.resolve(streamName)));
    }

    /**
     * Moves to the next message.
     *
     * @return false at the end of the recorded messages.
     */
    public boolean next()
    {
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent())
            {
                length = 0;
                return false;
            }
            final Bytes<?> in = document.wire().bytes();
            final long remaining = in.readRemaining();
            if (remaining > Integer.MAX_VALUE - 8)
            {
                throw new IllegalStateException("journal message too large: " + remaining + " bytes");
            }
            length = (int)remaining;
            final long position = in.readPosition();
            final long address = length > 0 ? in.addressForRead(position, length) : 0;
            final BytesStore<?, ?> store = in.bytesStore();
            if (address != 0 && store != null && store.isDirectMemory() && store.inside(position, length))
            {
                // A view of the mapped file: the tailer keeps this mapping until it moves on, at the next call.
                buffer.wrap(address, length);
            }
            else
            {
                if (bytes.length < length)
                {
                    bytes = new byte[Math.max(length, bytes.length * 2)];
                }
                in.read(bytes, 0, length);
                buffer.wrap(bytes, 0, length);
            }
            messageIndex++;
            return true;
        }
    }

    /** The current message's bytes, at offset 0; valid until the next {@link #next()} or {@link #close()}. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return 0;
    }

    public int length()
    {
        return length;
    }

    /** Position of the current message in the stream, from 0. */
    public long messageIndex()
    {
        return messageIndex;
    }

    public void close()
    {
        tailer.close();
        queue.close();
    }

    /**
     * Hands every message of {@code streamName}'s queue in {@code runDir} to {@code handler}, in order.
     *
     * @return how many messages there were.
     */
    public static long forEach(final Path runDir, final String streamName, final MessageHandler handler)
    {
        long count = 0;
        try (JournalReader reader = open(runDir, streamName))
        {
            while (reader.next())
            {
                handler.onMessage(reader.buffer(), 0, reader.length());
                count++;
            }
        }
        return count;
    }

    /**
     * SHA-256, in lower-case hex, over the canonical message sequence of one stream: for each message in
     * order, its length as a 4-byte little-endian integer followed by its bytes. Independent of Chronicle's
     * file layout, so equal inputs give equal hashes across runs, days and roll cycles.
     */
    public static String sha256(final Path runDir, final String streamName)
    {
        final CanonicalDigest digest = new CanonicalDigest();
        try (JournalReader reader = open(runDir, streamName))
        {
            while (reader.next())
            {
                digest.add(reader.buffer, 0, reader.length);
            }
        }
        return digest.hex();
    }

    /** How many messages {@code streamName}'s queue holds. */
    public static long count(final Path runDir, final String streamName)
    {
        return forEach(runDir, streamName, (buffer, offset, length) -> {});
    }
}
