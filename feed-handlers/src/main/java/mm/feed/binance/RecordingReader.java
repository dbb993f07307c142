package mm.feed.binance;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads hftbacktest recordings line by line: {@code <local receive timestamp> <space> <raw JSON>}, gzip
 * compressed (detected by its magic bytes, so plain text works too), several files in order as one stream.
 * <p>
 * Timestamps are normalised to epoch nanoseconds by magnitude, because the 2023 files hold microseconds
 * and the 2024 files nanoseconds (seconds and milliseconds are recognised as well). Each line is copied into
 * one growable byte array that is reused, so reading does not allocate per line (the JDK's inflater aside).
 * Lines without a valid timestamp prefix are counted in {@link #skippedLines()} and skipped; a gzip file
 * cut short ends that file (counted in {@link #truncatedFiles()}). I/O errors are thrown as
 * {@link UncheckedIOException}: a recording that cannot be read is not a feed condition to survive.
 */
public final class RecordingReader implements AutoCloseable
{
    /** Timestamps below these bounds are taken as seconds, milliseconds or microseconds since the epoch. */
    private static final long SECONDS_BELOW = 100_000_000_000L;
    private static final long MILLIS_BELOW = 100_000_000_000_000L;
    private static final long MICROS_BELOW = 100_000_000_000_000_000L;

    private static final int CHUNK_SIZE = 64 * 1024;

    private final List<Path> files;
    private final byte[] chunk = new byte[CHUNK_SIZE];
    private int chunkPosition;
    private int chunkLimit;
    private byte[] line = new byte[CHUNK_SIZE];
    private final UnsafeBuffer lineBuffer = new UnsafeBuffer(line);
    private int lineLength;

    private int fileIndex = -1;
    private boolean endOfFile;
    private InputStream input;
    private String currentFile;
    private long lineNumber;
    private long linesRead;
    private long skippedLines;
    private long truncatedFiles;

    private long receiveTimeNs;
    private int jsonOffset;
    private int jsonLength;

    public RecordingReader(final List<Path> files)
    {
        this.files = List.copyOf(files);
    }

    public RecordingReader(final Path... files)
    {
        this(Arrays.asList(files));
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
                if (input == null && !openNextFile())
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

    @Override
    public void close()
    {
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
        if (fileIndex + 1 >= files.size())
        {
            return false;
        }
        fileIndex++;
        final Path path = files.get(fileIndex);
        currentFile = path.toString();
        lineNumber = 0;
        chunkPosition = 0;
        chunkLimit = 0;
        endOfFile = false;
        final BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(path), CHUNK_SIZE);
        raw.mark(2);
        final int b0 = raw.read();
        final int b1 = raw.read();
        raw.reset();
        input = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, CHUNK_SIZE) : raw;
        return true;
    }

    private void closeCurrent() throws IOException
    {
        if (input != null)
        {
            final InputStream in = input;
            input = null;
            in.close();
        }
    }

    /** Copies the next line (without its line end) into {@link #line}; false at the end of the file. */
    private boolean readLine() throws IOException
    {
        lineLength = 0;
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
            int i = start;
            while (i < limit && chunk[i] != '\n')
            {
                i++;
            }
            append(chunk, start, i - start);
            if (i < limit)
            {
                chunkPosition = i + 1;
                if (lineLength > 0 && line[lineLength - 1] == '\r')
                {
                    lineLength--;
                }
                return true;
            }
            chunkPosition = limit;
        }
    }

    private boolean fill() throws IOException
    {
        if (endOfFile)
        {
            return false;
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

    private void append(final byte[] source, final int offset, final int length)
    {
        if (length == 0)
        {
            return;
        }
        final int needed = lineLength + length;
        if (needed > line.length)
        {
            line = Arrays.copyOf(line, Math.max(needed, line.length * 2));
            lineBuffer.wrap(line);
        }
        System.arraycopy(source, offset, line, lineLength, length);
        lineLength = needed;
    }

    /** Splits {@code <digits> <spaces> <json>}; false if the line does not have that shape. */
    private boolean parseLine()
    {
        final byte[] line = this.line;
        final int length = lineLength;
        long timestamp = 0;
        int i = 0;
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
        if (i == 0 || i >= length || line[i] != ' ')
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
        jsonOffset = i;
        jsonLength = length - i;
        return true;
    }
}
