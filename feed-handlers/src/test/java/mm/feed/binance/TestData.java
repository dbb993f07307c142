package mm.feed.binance;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Locates the shared recordings (data recorded by others) and loads them for tests. */
final class TestData
{
    private TestData()
    {
    }

    /** {@code <repo root>/../shared} from the surefire property, else /work/shared. */
    static Path shared()
    {
        final String root = System.getProperty("mm.repo.root");
        if (root != null)
        {
            final Path candidate = Path.of(root).resolve("../shared").normalize();
            if (Files.isDirectory(candidate))
            {
                return candidate;
            }
        }
        return Path.of("/work/shared");
    }

    static Path hftbacktest(final String relative)
    {
        return shared().resolve("data/binance/hftbacktest").resolve(relative);
    }

    static Path sample(final String name)
    {
        return shared().resolve("reference/binance/samples").resolve(name);
    }

    /** One recording line held in memory: receive time and the JSON bytes. */
    record Line(long receiveTimeNs, byte[] json)
    {
        String text()
        {
            return new String(json, java.nio.charset.StandardCharsets.UTF_8);
        }

        boolean isDepth()
        {
            return text().contains("\"e\":\"depthUpdate\"");
        }
    }

    static List<Line> readLines(final Path... files)
    {
        final List<Line> lines = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(files))
        {
            while (reader.next())
            {
                final byte[] json = new byte[reader.jsonLength()];
                reader.buffer().getBytes(reader.jsonOffset(), json);
                lines.add(new Line(reader.receiveTimeNs(), json));
            }
        }
        return lines;
    }

    /** Feeds in-memory lines through a sync. */
    static void replay(final BookSync sync, final List<Line> lines)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        for (final Line line : lines)
        {
            buffer.wrap(line.json());
            sync.onLine(buffer, 0, line.json().length, line.receiveTimeNs());
        }
    }

    /** Streams files through a sync with the reader, as production replay does. */
    static void replayFiles(final BookSync sync, final Path... files)
    {
        try (RecordingReader reader = new RecordingReader(Arrays.asList(files)))
        {
            while (reader.next())
            {
                sync.onLine(reader.buffer(), reader.jsonOffset(), reader.jsonLength(), reader.receiveTimeNs());
            }
        }
    }
}
