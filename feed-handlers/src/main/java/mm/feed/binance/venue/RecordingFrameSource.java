package mm.feed.binance.venue;

import mm.feed.binance.RecordingReader;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Streams an hftbacktest recording (combined-stream JSON lines, with REST snapshot lines) as JSON text frames:
 * the recorded bytes exactly, with the {@code {"stream":..,"data":..}} envelope for combined connections and
 * the bare data object for raw ones.
 */
public final class RecordingFrameSource implements VenueFrameSource
{
    private static final byte[] STREAM_PREFIX = "{\"stream\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_PREFIX = "{\"lastUpdateId\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY = "\"data\":".getBytes(StandardCharsets.US_ASCII);
    private static final int NAME_CACHE_SIZE = 32;

    private final RecordingReader reader;
    private final byte[][] cachedNameBytes = new byte[NAME_CACHE_SIZE][];
    private final String[] cachedNames = new String[NAME_CACHE_SIZE];
    private int cachedCount;

    private boolean snapshot;
    private String streamName;
    private int rawOffset;
    private int rawLength;

    public RecordingFrameSource(final List<Path> files)
    {
        this.reader = new RecordingReader(files);
    }

    public boolean next()
    {
        if (!reader.next())
        {
            return false;
        }
        final DirectBuffer buffer = reader.buffer();
        final int offset = reader.jsonOffset();
        final int length = reader.jsonLength();
        if (!startsWith(buffer, offset, length, STREAM_PREFIX))
        {
            // no envelope: a REST snapshot line (or an uncombined event, streamed as is)
            snapshot = startsWith(buffer, offset, length, SNAPSHOT_PREFIX);
            streamName = null;
            rawOffset = offset;
            rawLength = length;
            return true;
        }
        snapshot = false;
        final int nameStart = offset + STREAM_PREFIX.length;
        int nameEnd = nameStart;
        while (nameEnd < offset + length && buffer.getByte(nameEnd) != '"')
        {
            nameEnd++;
        }
        streamName = name(buffer, nameStart, nameEnd - nameStart);
        final int data = indexOf(buffer, nameEnd, offset + length, DATA_KEY);
        if (data < 0 || buffer.getByte(offset + length - 1) != '}')
        {
            rawOffset = offset;
            rawLength = length;
        }
        else
        {
            rawOffset = data + DATA_KEY.length;
            rawLength = offset + length - 1 - rawOffset;
        }
        return true;
    }

    private String name(final DirectBuffer buffer, final int offset, final int length)
    {
        outer:
        for (int i = 0; i < cachedCount; i++)
        {
            final byte[] bytes = cachedNameBytes[i];
            if (bytes.length != length)
            {
                continue;
            }
            for (int j = 0; j < length; j++)
            {
                if (bytes[j] != buffer.getByte(offset + j))
                {
                    continue outer;
                }
            }
            return cachedNames[i];
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final String name = new String(bytes, StandardCharsets.UTF_8);
        if (cachedCount < NAME_CACHE_SIZE)
        {
            cachedNameBytes[cachedCount] = bytes;
            cachedNames[cachedCount] = name;
            cachedCount++;
        }
        return name;
    }

    private static boolean startsWith(final DirectBuffer buffer, final int offset, final int length, final byte[] prefix)
    {
        if (length < prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (buffer.getByte(offset + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(final DirectBuffer buffer, final int from, final int end, final byte[] needle)
    {
        outer:
        for (int i = from; i <= end - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (buffer.getByte(i + j) != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public long recordedTimeNs()
    {
        return reader.receiveTimeNs();
    }

    public boolean isSnapshot()
    {
        return snapshot;
    }

    public DirectBuffer jsonBuffer()
    {
        return reader.buffer();
    }

    public int jsonOffset()
    {
        return reader.jsonOffset();
    }

    public int jsonLength()
    {
        return reader.jsonLength();
    }

    public String streamName()
    {
        return streamName;
    }

    public boolean isBinary()
    {
        return false;
    }

    public DirectBuffer frameBuffer()
    {
        return reader.buffer();
    }

    public int frameOffset()
    {
        return reader.jsonOffset();
    }

    public int frameLength()
    {
        return reader.jsonLength();
    }

    public int rawFrameOffset()
    {
        return rawOffset;
    }

    public int rawFrameLength()
    {
        return rawLength;
    }

    public void close()
    {
        reader.close();
    }
}
