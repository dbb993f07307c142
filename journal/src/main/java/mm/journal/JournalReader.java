package mm.journal;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads back one stream's journal queue, message by message in recorded order, with the raw bytes exactly as
 * they arrived. Use it as a cursor ({@link #open}, {@link #next()}, {@link #buffer()}...) or through
 * {@link #forEach} and {@link #sha256}, the hash that {@code replay --verify} and the run manifest compare.
 * <p>
 * It reads the queue's cycle files directly, mapped read-only (so reading never changes the files the manifest
 * checksums), instead of through a Chronicle tailer, whose per-document index and cycle bookkeeping was a third of
 * a replay: a Chronicle Queue file is a sequence of documents, each a 4-byte little-endian header (length in the
 * low 30 bits, bit 30 metadata, bit 31 not complete) and its bytes, every header 4-byte aligned (Chronicle pads
 * documents so in the queues it writes today; {@code JournalReaderTest} would fail on a version that did not). Data documents
 * are the messages; metadata documents (the queue's header and indexes) are skipped. A header of 0 is where
 * writing stopped; a not-complete header is the end-of-file marker of a rolled cycle or a write a crash cut short
 * (what a tailer does not return either). {@code JournalReaderTest} checks every message against Chronicle's own
 * tailer, across roll cycles. One reader is used by one thread.
 */
public final class JournalReader implements AutoCloseable
{
    /** Receives one recorded message; the buffer is only valid during the call. */
    @FunctionalInterface
    public interface MessageHandler
    {
        void onMessage(DirectBuffer buffer, int offset, int length);
    }

    private static final int HEADER_LENGTH = 4;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    private static final int META_DATA = 0x4000_0000;
    private static final int NOT_COMPLETE = 0x8000_0000;
    /** Mapped a window at a time, so daily files past 2 GiB read too. */
    private static final long WINDOW_BYTES = 256L * 1024 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    private final Path queueDir;
    /** The cycle files in order, looked for again at the end (a queue being written starts new ones). */
    private List<Path> files;
    private final long windowBytes;
    private int fileIndex = -1;
    private FileChannel channel;
    private long fileSize;
    private MappedByteBuffer window;
    private long windowStart;
    private long windowEnd;
    private final UnsafeBuffer mapped = new UnsafeBuffer(NO_BYTES);
    /** File offset of the next document's header. */
    private long position;

    private final UnsafeBuffer buffer = new UnsafeBuffer(NO_BYTES);
    private int length;
    private long messageIndex = -1;

    private JournalReader(final Path queueDir, final long windowBytes)
    {
        this.queueDir = queueDir;
        this.files = JournalQueues.queueFiles(queueDir);
        this.windowBytes = windowBytes;
    }

    /** Opens {@code <runDir>/<streamName>/} at its first message. */
    public static JournalReader open(final Path runDir, final String streamName)
    {
        return open(runDir, streamName, WINDOW_BYTES);
    }

    /** @param windowBytes how much of a file is mapped at a time (tests make it small). */
    static JournalReader open(final Path runDir, final String streamName, final long windowBytes)
    {
        final Path queueDir = runDir.resolve(streamName);
        if (!Files.isDirectory(queueDir))
        {
            throw new IllegalArgumentException("no journal queue at " + queueDir);
        }
        return new JournalReader(queueDir, windowBytes);
    }

    /**
     * Moves to the next message.
     *
     * @return false at the end of the recorded messages.
     */
    public boolean next()
    {
        try
        {
            while (true)
            {
                if (channel == null && !openNextFile())
                {
                    length = 0;
                    return false;
                }
                if (!map(position, HEADER_LENGTH))
                {
                    if (!nextFileOrStay())
                    {
                        return false;
                    }
                    continue;
                }
                final int header = mapped.getIntVolatile((int)(position - windowStart));
                if (header == 0 || (header & NOT_COMPLETE) != 0)
                {
                    // nothing written here yet, the end-of-file marker, or a write a crash cut short
                    if (!nextFileOrStay())
                    {
                        return false;
                    }
                    continue;
                }
                final int documentLength = header & LENGTH_MASK;
                final long start = position + HEADER_LENGTH;
                if (!map(position, HEADER_LENGTH + (long)documentLength))
                {
                    throw new IllegalStateException(files.get(fileIndex) + ": document at " + position + " of " +
                        documentLength + " bytes runs past the end of the file (" + fileSize + " bytes)");
                }
                position = (start + documentLength + 3) & ~3L;
                if ((header & META_DATA) != 0)
                {
                    continue;
                }
                // a view of the mapped file, valid until the window moves: at the next call
                buffer.wrap(mapped.addressOffset() + (start - windowStart), documentLength);
                length = documentLength;
                messageIndex++;
                return true;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reading " + files.get(fileIndex), ex);
        }
    }

    /** At the end of a cycle file: on to the next one, or false (staying put) at the last. */
    private boolean nextFileOrStay() throws IOException
    {
        if (!hasNextFile())
        {
            length = 0;
            return false;
        }
        closeFile();
        return true;
    }

    private boolean hasNextFile()
    {
        if (fileIndex + 1 < files.size())
        {
            return true;
        }
        if (fileIndex < files.size()) // not closed
        {
            files = JournalQueues.queueFiles(queueDir);
        }
        return fileIndex + 1 < files.size();
    }

    private boolean openNextFile() throws IOException
    {
        if (!hasNextFile())
        {
            return false;
        }
        fileIndex++;
        channel = FileChannel.open(files.get(fileIndex), StandardOpenOption.READ);
        fileSize = channel.size();
        position = 0;
        return true;
    }

    /**
     * Maps a window holding [from, from + bytes); false if the file is shorter, even after a fresh look at its size
     * (Chronicle grows a file it is writing a block at a time).
     */
    private boolean map(final long from, final long bytes) throws IOException
    {
        if (from >= windowStart && from + bytes <= windowEnd && window != null)
        {
            return true;
        }
        if (from + bytes > fileSize)
        {
            fileSize = channel.size();
            if (from + bytes > fileSize)
            {
                return false;
            }
        }
        unmap();
        windowStart = from & ~4095L;
        windowEnd = Math.min(fileSize, Math.max(windowStart + windowBytes, from + bytes));
        window = channel.map(FileChannel.MapMode.READ_ONLY, windowStart, windowEnd - windowStart);
        mapped.wrap(window);
        return true;
    }

    private void unmap()
    {
        if (window != null)
        {
            // views point at no memory once it is unmapped: a stale read fails instead of touching an unmapped page
            mapped.wrap(NO_BYTES);
            buffer.wrap(NO_BYTES);
            IoUtil.unmap(window);
            window = null;
            windowEnd = 0;
        }
    }

    private void closeFile() throws IOException
    {
        unmap();
        if (channel != null)
        {
            channel.close();
            channel = null;
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
        try
        {
            closeFile();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        fileIndex = files.size();
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
