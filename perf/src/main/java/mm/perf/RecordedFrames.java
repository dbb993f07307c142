package mm.perf;

import mm.feed.binance.BinanceJsonDecoder;
import mm.feed.binance.RecordingReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frames of a real Binance JSON recording held in memory, in recorded order and grouped by message type,
 * so that benchmarks measure decoding rather than gzip, and report per type (a 1000-level snapshot and a
 * 180-byte bookTicker averaged together mean nothing).
 * <p>
 * The recording is the bundled one ({@code data/binance-spot-btcusdt-20240808-excerpt.jsonl.gz}: real spot
 * BTCUSDT, 10,000 lines, one REST snapshot) unless {@code -Dmm.perf.recording=FILE} names another
 * hftbacktest-format file.
 */
final class RecordedFrames
{
    /** Message kinds a benchmark can be restricted to. */
    static final String ALL = "all";
    static final String DIFF = "diff";
    static final String TRADE = "trade";
    static final String BOOK_TICKER = "bookTicker";
    static final String SNAPSHOT = "snapshot";

    /** simdjson-java reads 64 bytes past the end of its input unless the array has them; it copies otherwise. */
    static final int SIMDJSON_PADDING = 64;

    final byte[][] json;
    final int[] type;
    final long[] receiveTimeNs;

    private RecordedFrames(final byte[][] json, final int[] type, final long[] receiveTimeNs)
    {
        this.json = json;
        this.type = type;
        this.receiveTimeNs = receiveTimeNs;
    }

    static Path recording()
    {
        final String file = System.getProperty("mm.perf.recording");
        return file != null ? Path.of(file) :
            Path.of(System.getProperty("mm.home", "."), "data", "binance-spot-btcusdt-20240808-excerpt.jsonl.gz");
    }

    static RecordedFrames load()
    {
        final List<byte[]> lines = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(recording()))
        {
            while (reader.next())
            {
                final byte[] bytes = new byte[reader.jsonLength()];
                reader.buffer().getBytes(reader.jsonOffset(), bytes);
                lines.add(bytes);
                times.add(reader.receiveTimeNs());
            }
        }
        final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
        final int n = lines.size();
        final int[] types = new int[n];
        final long[] receiveTimes = new long[n];
        for (int i = 0; i < n; i++)
        {
            types[i] = decoder.decode(new UnsafeBuffer(lines.get(i)), 0, lines.get(i).length);
            receiveTimes[i] = times.get(i);
        }
        return new RecordedFrames(lines.toArray(new byte[0][]), types, receiveTimes);
    }

    /** The decoder's type constant for a kind, or {@link Integer#MIN_VALUE} for {@link #ALL}. */
    static int typeOf(final String kind)
    {
        return switch (kind)
        {
            case ALL -> Integer.MIN_VALUE;
            case DIFF -> BinanceJsonDecoder.DEPTH_UPDATE;
            case TRADE -> BinanceJsonDecoder.TRADE;
            case BOOK_TICKER -> BinanceJsonDecoder.BOOK_TICKER;
            case SNAPSHOT -> BinanceJsonDecoder.SNAPSHOT;
            default -> throw new IllegalArgumentException("unknown kind: " + kind);
        };
    }

    /** Indexes of the frames of one kind, in recorded order. */
    int[] indexesOf(final String kind)
    {
        final int wanted = typeOf(kind);
        final int[] indexes = new int[json.length];
        int count = 0;
        for (int i = 0; i < json.length; i++)
        {
            if (wanted == Integer.MIN_VALUE || type[i] == wanted)
            {
                indexes[count++] = i;
            }
        }
        if (count == 0)
        {
            throw new IllegalStateException("no " + kind + " frames in " + recording());
        }
        return Arrays.copyOf(indexes, count);
    }

    /** The frames of one kind as exact-length arrays. */
    byte[][] framesOf(final String kind)
    {
        final int[] indexes = indexesOf(kind);
        final byte[][] frames = new byte[indexes.length][];
        for (int i = 0; i < indexes.length; i++)
        {
            frames[i] = json[indexes[i]];
        }
        return frames;
    }

    /** The frames of one kind with {@link #SIMDJSON_PADDING} spare bytes after each, simdjson-java's best case. */
    byte[][] paddedFramesOf(final String kind)
    {
        final byte[][] exact = framesOf(kind);
        final byte[][] padded = new byte[exact.length][];
        for (int i = 0; i < exact.length; i++)
        {
            padded[i] = Arrays.copyOf(exact[i], exact[i].length + SIMDJSON_PADDING);
        }
        return padded;
    }

    /** Mean frame length of a kind in bytes, for reports. */
    double meanLength(final String kind)
    {
        long total = 0;
        final byte[][] frames = framesOf(kind);
        for (final byte[] frame : frames)
        {
            total += frame.length;
        }
        return (double)total / frames.length;
    }
}
