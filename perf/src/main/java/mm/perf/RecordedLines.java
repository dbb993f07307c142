package mm.perf;

import mm.feed.binance.RecordingReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Lines of a real recording held in memory, so benchmarks measure decoding, not gzip. */
final class RecordedLines
{
    final UnsafeBuffer[] json;
    final long[] receiveTimeNs;

    private RecordedLines(final List<byte[]> lines, final List<Long> times)
    {
        json = new UnsafeBuffer[lines.size()];
        receiveTimeNs = new long[lines.size()];
        for (int i = 0; i < json.length; i++)
        {
            json[i] = new UnsafeBuffer(lines.get(i));
            receiveTimeNs[i] = times.get(i);
        }
    }

    /** The demo's bundled recording (real Binance spot BTCUSDT, 10,000 lines). */
    static RecordedLines load()
    {
        final Path file = Path.of(System.getProperty("mm.home", "."), "data",
            "binance-spot-btcusdt-20240808-excerpt.jsonl.gz");
        final List<byte[]> lines = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(file))
        {
            while (reader.next())
            {
                final byte[] bytes = new byte[reader.jsonLength()];
                reader.buffer().getBytes(reader.jsonOffset(), bytes);
                lines.add(bytes);
                times.add(reader.receiveTimeNs());
            }
        }
        return new RecordedLines(lines, times);
    }
}
