package mm.feed.binance.sbe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared recordings (data recorded by others), their SBE conversions (made once per test JVM) and vectors. */
final class SbeTestData
{
    private static List<SbeRecording.Entry> spotPair;
    private static Map<String, Object> vectors;

    private SbeTestData()
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

    /** 10,000 lines of the spot 2024-08-08 day with its REST snapshot: small enough for quick round trips. */
    static Path excerpt()
    {
        return shared().resolve("reference/binance/samples/binance_json_btcusdt_20240808_excerpt.jsonl.gz");
    }

    static List<Path> spotPairFiles()
    {
        return List.of(hftbacktest("spot/btcusdt_20240808.gz"), hftbacktest("spot/btcusdt_20240809.gz"));
    }

    /** The spot BTCUSDT 2024-08-08 + 08-09 pair converted to SBE at the default exponents, cached. */
    static synchronized List<SbeRecording.Entry> spotPairSbe()
    {
        if (spotPair == null)
        {
            spotPair = List.copyOf(SbeRecording.encode(spotPairFiles()));
        }
        return spotPair;
    }

    /** {@code sbe_stream_vectors.json}: 4 complete generated messages and 3 real production prefixes. */
    static synchronized Map<String, Object> vectors()
    {
        if (vectors == null)
        {
            try
            {
                vectors = MiniJson.parseObject(Files.readString(
                    shared().resolve("reference/binance/samples/sbe_stream_vectors.json")));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return vectors;
    }
}
