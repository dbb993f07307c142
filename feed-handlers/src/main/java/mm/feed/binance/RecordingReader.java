package mm.feed.binance;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPInputStream;

/**
 * Reads hftbacktest recordings line by line: {@code <local receive timestamp> <space> <raw JSON>}, gzip
 * compressed (detected by its magic bytes, so plain text works too), several files in order as one stream.
 * <p>
 * Timestamps are normalised to epoch nanoseconds by magnitude, because the 2023 files hold microseconds
 * and the 2024 files nanoseconds (seconds and milliseconds are recognised as well). A line that lies inside
 * one chunk of the decompressed bytes is handed out in place; only a line that runs across chunks is copied
 * into one growable byte array that is reused, so reading does not allocate per line (the JDK's inflater aside).
 * Lines without a valid timestamp prefix are counted in {@link #skippedLines()} and skipped; a gzip file
 * cut short ends that file (counted in {@link #truncatedFiles()}). I/O errors are thrown as
 * {@link UncheckedIOException}: a recording that cannot be read is not a feed condition to survive.
 * <p>
 * {@link #readAhead(List)} makes a reader that opens and gunzips the files on a background daemon thread
 * ({@code mm-recording-readahead}), handing filled chunks over through a pair of single-producer queues, so
 * that the consuming thread only splits lines: it returns exactly the same lines, line numbers, files and counts
 * as the synchronous reader. The thread starts on the first {@link #next()} and ends on {@link #close()}.
 */
public final class RecordingReader implements AutoCloseable
{
    /** Timestamps below these bounds are taken as seconds, milliseconds or microseconds since the epoch. */
    private static final long SECONDS_BELOW = 100_000_000_000L;
    private static final long MILLIS_BELOW = 100_000_000_000_000L;
    private static final long MICROS_BELOW = 100_000_000_000_000_000L;

    private static final int CHUNK_SIZE = 64 * 1024;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    static final String READ_AHEAD_THREAD_NAME = "mm-recording-readahead";
    static final int READ_AHEAD_CHUNK_BYTES = 256 * 1024;
    static final int READ_AHEAD_CHUNKS = 4;

    private final List<Path> files;
    /** Null for the synchronous reader. */
    private final ReadAhead readAhead;
    /** The bytes being split into lines: the synchronous reader's own array, or the current read-ahead chunk's. */
    private byte[] chunk;
    private Chunk currentChunk;
    private int chunkPosition;
    private int chunkLimit;
    /** Where lines that run across chunks are put together. */
    private byte[] line = new byte[CHUNK_SIZE];
    /** The current line's bytes: {@link #chunk} (in place) or {@link #line}, from {@link #lineStart}. */
    private byte[] lineArray = line;
    private int lineStart;
    private int lineLength;
    /** A view of the current line, re-wrapped per line (a wrap allocates nothing). */
    private final UnsafeBuffer lineBuffer = new UnsafeBuffer(line);

    private int fileIndex = -1;
    private boolean endOfFile;
    private boolean fileOpen;
    private InputStream input;
    private String currentFile;
    private long lineNumber;
    private long linesRead;
    private long skippedLines;
    private long truncatedFiles;

    private long receiveTimeNs;
    private int jsonOffset;
    private int jsonLength;

    /** A synchronous reader: the calling thread opens, gunzips and splits the files. */
    public RecordingReader(final List<Path> files)
    {
        this.files = List.copyOf(files);
        this.readAhead = null;
        this.chunk = new byte[CHUNK_SIZE];
    }

    public RecordingReader(final Path... files)
    {
        this(Arrays.asList(files));
    }

    private RecordingReader(final List<Path> files, final int chunkBytes, final int chunks)
    {
        this.files = List.copyOf(files);
        this.readAhead = new ReadAhead(this.files, chunkBytes, chunks);
        this.chunk = null;
    }

    /**
     * A reader whose files are opened and gunzipped on a background daemon thread, a few chunks ahead of the
     * caller, so that the caller's thread only splits lines. Same lines, line numbers, counts and exceptions as
     * the synchronous reader; after an I/O error it goes on with the next file. Must be closed to end its thread.
     */
    public static RecordingReader readAhead(final List<Path> files)
    {
        return new RecordingReader(files, READ_AHEAD_CHUNK_BYTES, READ_AHEAD_CHUNKS);
    }

    /** Read-ahead with given chunk sizes (tests use small chunks to put many boundaries inside lines). */
    static RecordingReader readAhead(final List<Path> files, final int chunkBytes, final int chunks)
    {
        return new RecordingReader(files, chunkBytes, chunks);
    }

    /** Whether the files are read on a background thread. */
    public boolean isReadAhead()
    {
        return readAhead != null;
    }

    /**
     * The CPU time the read-ahead thread spent gunzipping, once it has handed over the end of the recording
     * (it ends then, before the last lines are read): -1 before that, or without read-ahead. For benchmarks
     * that budget CPU per event; a thread that has ended cannot be asked.
     */
    public long readAheadCpuNs()
    {
        return readAhead == null ? -1 : readAhead.cpuNs;
    }

    /** The read-ahead thread, or null (synchronous, or before the first read); for tests. */
    Thread readAheadThread()
    {
        return readAhead == null ? null : readAhead.thread();
    }

    /**
     * Advances to the next line with a timestamp and JSON, opening the next file when one ends.
     *
     * @return false when every file is exhausted.
     */
    public boolean next()
    {
        try
        {
            while (true)
            {
                if (!fileOpen && !openNextFile())
                {
                    return false;
                }
                if (!readLine())
                {
                    closeCurrent();
                    continue;
                }
                lineNumber++;
                if (lineLength == 0)
                {
                    continue;
                }
                if (parseLine())
                {
                    linesRead++;
                    return true;
                }
                skippedLines++;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reading " + currentFile, ex);
        }
    }

    /** Local receive time of the current line in epoch nanoseconds. */
    public long receiveTimeNs()
    {
        return receiveTimeNs;
    }

    /** Buffer holding the current line; valid until the next {@link #next()}. */
    public DirectBuffer buffer()
    {
        return lineBuffer;
    }

    public int jsonOffset()
    {
        return jsonOffset;
    }

    public int jsonLength()
    {
        return jsonLength;
    }

    /** 1-based line number of the current line within the current file. */
    public long lineNumber()
    {
        return lineNumber;
    }

    public String currentFile()
    {
        return currentFile;
    }

    /** Lines returned so far over all files. */
    public long linesRead()
    {
        return linesRead;
    }

    /** Non-empty lines without a valid {@code <timestamp> <space> <json>} shape. */
    public long skippedLines()
    {
        return skippedLines;
    }

    /** Gzip files that ended before their trailer. */
    public long truncatedFiles()
    {
        return truncatedFiles;
    }

    /** Normalises an epoch timestamp in s, ms, µs or ns to ns, by magnitude. */
    public static long toEpochNs(final long timestamp)
    {
        if (timestamp < SECONDS_BELOW)
        {
            return timestamp * 1_000_000_000L;
        }
        if (timestamp < MILLIS_BELOW)
        {
            return timestamp * 1_000_000L;
        }
        if (timestamp < MICROS_BELOW)
        {
            return timestamp * 1_000L;
        }
        return timestamp;
    }

    /** Closes the open file; a read-ahead reader also stops its thread (which closes the file it reads). */
    @Override
    public void close()
    {
        if (readAhead != null)
        {
            readAhead.stop();
        }
        try
        {
            closeCurrent();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        fileIndex = files.size();
    }

    private boolean openNextFile() throws IOException
    {
        if (readAhead != null)
        {
            return openNextReadAheadFile();
        }
        if (fileIndex + 1 >= files.size())
        {
            return false;
        }
        fileIndex++;
        startFile(fileIndex);
        input = open(files.get(fileIndex));
        fileOpen = true;
        return true;
    }

    private void startFile(final int index)
    {
        currentFile = files.get(index).toString();
        lineNumber = 0;
        chunkPosition = 0;
        chunkLimit = 0;
        endOfFile = false;
    }

    /** Takes the file the next chunk belongs to; the end-of-recording marker stays queued for later calls. */
    private boolean openNextReadAheadFile() throws IOException
    {
        if (fileIndex >= files.size() || !readAhead.start())
        {
            return false;
        }
        final Chunk next = readAhead.awaitFull();
        if (next.kind == Chunk.END_OF_RECORDING)
        {
            if (next.error != null)
            {
                throw rethrow(next.error);
            }
            return false;
        }
        fileIndex = next.fileIndex;
        startFile(fileIndex);
        if (next.kind == Chunk.END_OF_FILE && next.error != null)
        {
            // the file could not be opened: as the synchronous reader, no file is open and the next call goes on
            readAhead.full.poll();
            final Throwable error = next.error;
            readAhead.recycle(next);
            throw rethrow(error);
        }
        fileOpen = true;
        return true;
    }

    /** Opens a recording file, gunzipping it when it starts with the gzip magic bytes. */
    private static InputStream open(final Path path) throws IOException
    {
        final BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(path), CHUNK_SIZE);
        try
        {
            raw.mark(2);
            final int b0 = raw.read();
            final int b1 = raw.read();
            raw.reset();
            return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, CHUNK_SIZE) : raw;
        }
        catch (final IOException | RuntimeException ex)
        {
            raw.close();
            throw ex;
        }
    }

    private void closeCurrent() throws IOException
    {
        fileOpen = false;
        if (currentChunk != null)
        {
            readAhead.recycle(currentChunk);
            currentChunk = null;
            chunk = null;
        }
        if (input != null)
        {
            final InputStream in = input;
            input = null;
            in.close();
        }
    }

    /**
     * Finds the next line (without its line end): in place in the chunk when it ends there, else put together in
     * {@link #line}; false at the end of the file.
     */
    private boolean readLine() throws IOException
    {
        lineLength = 0;
        boolean copied = false;
        boolean any = false;
        while (true)
        {
            if (chunkPosition >= chunkLimit && !fill())
            {
                return any;
            }
            any = true;
            final byte[] chunk = this.chunk;
            final int start = chunkPosition;
            final int limit = chunkLimit;
            final int end = indexOfNewline(chunk, start, limit);
            if (end < limit && !copied)
            {
                // the whole line is in this chunk, which stays ours until the next call: no copy
                chunkPosition = end + 1;
                lineArray = chunk;
                lineStart = start;
                lineLength = end - start;
                trimCarriageReturn();
                return true;
            }
            append(chunk, start, end - start);
            copied = true;
            if (end < limit)
            {
                chunkPosition = end + 1;
                trimCarriageReturn();
                return true;
            }
            chunkPosition = limit;
        }
    }

    private void trimCarriageReturn()
    {
        if (lineLength > 0 && lineArray[lineStart + lineLength - 1] == '\r')
        {
            lineLength--;
        }
    }

    /** The index of the first '\n' in {@code bytes[from, limit)}, or {@code limit}: eight bytes a step. */
    static int indexOfNewline(final byte[] bytes, final int from, final int limit)
    {
        int i = from;
        while (i + Long.BYTES <= limit)
        {
            // a zero byte of word ^ 0x0a.. is a '\n'; the lowest flagged byte is exact (borrows only run upwards)
            final long word = (long)LONG_LE.get(bytes, i) ^ NEWLINES;
            final long zeros = (word - ONES) & ~word & HIGH_BITS;
            if (zeros != 0)
            {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < limit && bytes[i] != '\n')
        {
            i++;
        }
        return i;
    }

    private boolean fill() throws IOException
    {
        if (endOfFile)
        {
            return false;
        }
        if (readAhead != null)
        {
            return fillFromReadAhead();
        }
        int read;
        try
        {
            read = input.read(chunk, 0, chunk.length);
        }
        catch (final EOFException ex)
        {
            // A gzip file cut short (e.g. a recorder killed mid-write): keep what was readable.
            truncatedFiles++;
            read = -1;
        }
        if (read <= 0)
        {
            endOfFile = true;
            return false;
        }
        chunkPosition = 0;
        chunkLimit = read;
        return true;
    }

    /** Swaps to the next chunk of the current file; false (and the file's outcome counted) at its end. */
    private boolean fillFromReadAhead() throws IOException
    {
        if (currentChunk != null)
        {
            readAhead.recycle(currentChunk);
            currentChunk = null;
            chunk = null;
        }
        final Chunk next = readAhead.awaitFull();
        if (next.kind == Chunk.END_OF_RECORDING)
        {
            // only after a failure of the thread itself (every file ends with END_OF_FILE): left queued
            endOfFile = true;
            if (next.error != null)
            {
                throw rethrow(next.error);
            }
            return false;
        }
        readAhead.full.poll();
        if (next.kind == Chunk.DATA)
        {
            currentChunk = next;
            chunk = next.data;
            chunkPosition = 0;
            chunkLimit = next.length;
            return true;
        }
        endOfFile = true;
        if (next.truncated)
        {
            truncatedFiles++;
        }
        final Throwable error = next.error;
        readAhead.recycle(next);
        if (error != null)
        {
            throw rethrow(error);
        }
        return false;
    }

    /** An error of the read-ahead thread, thrown on the reader's thread: I/O errors are wrapped by next(). */
    private static IOException rethrow(final Throwable error)
    {
        if (error instanceof IOException io)
        {
            return io;
        }
        if (error instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (error instanceof Error fatal)
        {
            throw fatal;
        }
        throw new IllegalStateException("read-ahead failed", error);
    }

    /** Adds to the line being put together in {@link #line}, which becomes the current line's bytes. */
    private void append(final byte[] source, final int offset, final int length)
    {
        lineArray = line;
        lineStart = 0;
        if (length == 0)
        {
            return;
        }
        final int needed = lineLength + length;
        if (needed > line.length)
        {
            line = Arrays.copyOf(line, Math.max(needed, line.length * 2));
            lineArray = line;
        }
        System.arraycopy(source, offset, line, lineLength, length);
        lineLength = needed;
    }

    /** Splits {@code <digits> <spaces> <json>}; false if the line does not have that shape. */
    private boolean parseLine()
    {
        final byte[] line = this.lineArray;
        final int start = this.lineStart;
        final int length = start + lineLength;
        long timestamp = 0;
        int i = start;
        while (i < length)
        {
            final int digit = line[i] - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            if (timestamp > (Long.MAX_VALUE - digit) / 10)
            {
                return false;
            }
            timestamp = timestamp * 10 + digit;
            i++;
        }
        if (i == start || i >= length || line[i] != ' ')
        {
            return false;
        }
        while (i < length && line[i] == ' ')
        {
            i++;
        }
        if (i >= length)
        {
            return false;
        }
        receiveTimeNs = toEpochNs(timestamp);
        lineBuffer.wrap(line, start, lineLength);
        jsonOffset = i - start;
        jsonLength = length - i;
        return true;
    }

    /**
     * What the read-ahead thread hands over: a run of bytes of one file, the end of a file (with how it ended), or
     * the end of the recording. Objects go round between the two queues, so none is allocated per chunk.
     */
    static final class Chunk
    {
        static final int DATA = 0;
        static final int END_OF_FILE = 1;
        static final int END_OF_RECORDING = 2;

        final byte[] data;
        int kind;
        int fileIndex;
        int length;
        /** END_OF_FILE: a gzip file cut short, ended at what was readable. */
        boolean truncated;
        /** END_OF_FILE: why the file ended early (could not be opened or read). */
        Throwable error;

        Chunk(final int bytes)
        {
            data = new byte[bytes];
        }

        void set(final int kind, final int fileIndex, final int length, final boolean truncated, final Throwable error)
        {
            this.kind = kind;
            this.fileIndex = fileIndex;
            this.length = length;
            this.truncated = truncated;
            this.error = error;
        }
    }

    /**
     * The background side of a read-ahead reader: one daemon thread that opens the files in order and fills
     * chunks, full ones going to the reader through {@link #full} and empty ones coming back through
     * {@link #free}. Both sides wait with a backoff (spin, yield, then park up to a millisecond), never a lock.
     */
    private static final class ReadAhead implements Runnable
    {
        private static final long MAX_SPINS = 100;
        private static final long MAX_YIELDS = 10;
        private static final long MIN_PARK_NS = 1_000;
        private static final long MAX_PARK_NS = 1_000_000;
        /**
         * The thread waits for a free chunk while the reader works through the full ones, about a millisecond a
         * chunk: it parks from the start, at 100 µs and up, as short parks and spins only cost CPU (on a small
         * host, CPU the reader's thread needs) and the chunks ahead keep the reader fed meanwhile.
         */
        private static final long PRODUCER_MIN_PARK_NS = 100_000;
        private static final long STOP_TIMEOUT_MS = 10_000;

        private final List<Path> files;
        final OneToOneConcurrentArrayQueue<Chunk> full;
        private final OneToOneConcurrentArrayQueue<Chunk> free;
        private final BackoffIdleStrategy consumerIdle =
            new BackoffIdleStrategy(MAX_SPINS, MAX_YIELDS, MIN_PARK_NS, MAX_PARK_NS);
        private final BackoffIdleStrategy producerIdle =
            new BackoffIdleStrategy(1, 1, PRODUCER_MIN_PARK_NS, MAX_PARK_NS);
        private volatile boolean stopped;
        private volatile long cpuNs = -1;
        private Thread thread;

        ReadAhead(final List<Path> files, final int chunkBytes, final int chunks)
        {
            if (chunkBytes < 1 || chunks < 2)
            {
                throw new IllegalArgumentException("read-ahead needs chunks of at least 1 byte and at least 2 chunks");
            }
            this.files = files;
            full = new OneToOneConcurrentArrayQueue<>(chunks);
            free = new OneToOneConcurrentArrayQueue<>(chunks);
            for (int i = 0; i < chunks; i++)
            {
                free.offer(new Chunk(chunkBytes));
            }
        }

        /** Starts the thread on first use; false once stopped. */
        boolean start()
        {
            if (stopped)
            {
                return false;
            }
            if (thread == null)
            {
                thread = new Thread(this, READ_AHEAD_THREAD_NAME);
                thread.setDaemon(true);
                thread.start();
            }
            return true;
        }

        /** The next full chunk, left at the head of the queue: waits until the thread has one. */
        Chunk awaitFull()
        {
            final BackoffIdleStrategy idle = consumerIdle;
            Chunk next;
            while ((next = full.peek()) == null)
            {
                if (!thread.isAlive() && (next = full.peek()) == null)
                {
                    throw new IllegalStateException("the recording read-ahead thread ended without a result");
                }
                idle.idle();
            }
            idle.reset();
            return next;
        }

        /** Returns a chunk the reader is done with; the reader's thread only (the free queue is one-to-one). */
        void recycle(final Chunk chunk)
        {
            chunk.error = null;
            free.offer(chunk); // never full: there are only as many chunks as slots
        }

        /** Stops the thread, even while it waits for an empty chunk, and waits for it to close its file. */
        void stop()
        {
            stopped = true;
            final Thread thread = this.thread;
            if (thread != null && thread != Thread.currentThread())
            {
                LockSupport.unpark(thread);
                try
                {
                    thread.join(STOP_TIMEOUT_MS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Test hook: the thread, or null before the first read. */
        Thread thread()
        {
            return thread;
        }

        @Override
        public void run()
        {
            try
            {
                for (int i = 0; i < files.size(); i++)
                {
                    if (!produceFile(i))
                    {
                        return;
                    }
                }
                final Chunk end = takeFree();
                if (end != null)
                {
                    end.set(Chunk.END_OF_RECORDING, files.size(), 0, false, null);
                    cpuNs = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    full.offer(end); // after cpuNs: the reader sees the time once it sees the end
                }
            }
            catch (final Throwable ex)
            {
                // not an I/O error of a file (those end the file): hand it over rather than leave the reader waiting
                final Chunk failed = takeFree();
                if (failed != null)
                {
                    failed.set(Chunk.END_OF_RECORDING, files.size(), 0, false, ex);
                    full.offer(failed);
                }
            }
        }

        /** Hands over one file's bytes and then its end; false if stopped meanwhile. */
        private boolean produceFile(final int fileIndex)
        {
            InputStream in = null;
            try
            {
                try
                {
                    in = open(files.get(fileIndex));
                }
                catch (final IOException ex)
                {
                    return handOverEnd(fileIndex, false, ex, null);
                }
                while (true)
                {
                    final Chunk chunk = takeFree();
                    if (chunk == null)
                    {
                        return false;
                    }
                    final byte[] data = chunk.data;
                    int length = 0;
                    boolean ended = false;
                    boolean truncated = false;
                    IOException error = null;
                    try
                    {
                        while (length < data.length)
                        {
                            final int read = in.read(data, length, data.length - length);
                            if (read <= 0)
                            {
                                ended = true;
                                break;
                            }
                            length += read;
                        }
                    }
                    catch (final EOFException ex)
                    {
                        // a gzip file cut short: keep what was readable, as the synchronous reader does
                        ended = true;
                        truncated = true;
                    }
                    catch (final IOException ex)
                    {
                        ended = true;
                        error = ex;
                    }
                    if (length > 0)
                    {
                        chunk.set(Chunk.DATA, fileIndex, length, false, null);
                        full.offer(chunk);
                    }
                    if (ended)
                    {
                        // an empty chunk stays on this thread as the end marker: only the reader returns chunks
                        // to the free queue (one-to-one: one thread may offer)
                        return handOverEnd(fileIndex, truncated, error, length > 0 ? null : chunk);
                    }
                }
            }
            finally
            {
                if (in != null)
                {
                    try
                    {
                        in.close();
                    }
                    catch (final IOException ignored)
                    {
                        // read to the end (or abandoned): nothing more to lose
                    }
                }
            }
        }

        /** @param spare an empty chunk this thread holds, or null to take one from the free queue. */
        private boolean handOverEnd(final int fileIndex, final boolean truncated, final Throwable error, final Chunk spare)
        {
            final Chunk end = spare != null ? spare : takeFree();
            if (end == null)
            {
                return false;
            }
            end.set(Chunk.END_OF_FILE, fileIndex, 0, truncated, error);
            full.offer(end);
            return true;
        }

        /** An empty chunk, waiting for the reader to return one; null once stopped. */
        private Chunk takeFree()
        {
            final BackoffIdleStrategy idle = producerIdle;
            Chunk chunk;
            while ((chunk = free.poll()) == null)
            {
                if (stopped)
                {
                    return null;
                }
                idle.idle();
            }
            idle.reset();
            if (stopped)
            {
                return null;
            }
            return chunk;
        }
    }
}
