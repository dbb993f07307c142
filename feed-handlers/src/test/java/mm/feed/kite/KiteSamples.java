package mm.feed.kite;

import org.agrona.concurrent.UnsafeBuffer;
import org.json.JSONObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared Kite reference samples (made by others, not by us) and the test resources. */
final class KiteSamples
{
    static final String FULL_PACKET = "ticker_full.packet.bin";
    static final String FULL_PACKET_EXPECTED = "ticker_full.expected.json";
    static final String FOUR_PACKET_MESSAGE = "kite_message_S1_full_plus_3_synthetic.bin";
    static final String FOUR_PACKET_EXPECTED = "kite_message_S1_full_plus_3_synthetic.expected.json";

    private KiteSamples()
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

    static Path sample(final String name)
    {
        return shared().resolve("reference/kite/samples").resolve(name);
    }

    static Path resource(final String name)
    {
        final String root = System.getProperty("mm.repo.root");
        final Path base = root != null ? Path.of(root, "feed-handlers") : Path.of("").toAbsolutePath();
        return base.resolve("src/test/resources/kite").resolve(name);
    }

    static byte[] bytes(final Path path)
    {
        try
        {
            return Files.readAllBytes(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] sampleBytes(final String name)
    {
        return bytes(sample(name));
    }

    static JSONObject sampleJson(final String name)
    {
        return new JSONObject(new String(sampleBytes(name), StandardCharsets.UTF_8));
    }

    /** Wraps packets into one message: {@code [u16 count]([u16 length][packet])*}. */
    static byte[] frame(final byte[]... packets)
    {
        int length = 2;
        for (final byte[] packet : packets)
        {
            length += 2 + packet.length;
        }
        final byte[] message = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        buffer.putShort(0, (short)packets.length, java.nio.ByteOrder.BIG_ENDIAN);
        int p = 2;
        for (final byte[] packet : packets)
        {
            buffer.putShort(p, (short)packet.length, java.nio.ByteOrder.BIG_ENDIAN);
            buffer.putBytes(p + 2, packet);
            p += 2 + packet.length;
        }
        return message;
    }
}
