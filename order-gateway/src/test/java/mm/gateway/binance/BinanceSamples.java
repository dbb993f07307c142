package mm.gateway.binance;

import mm.common.json.JsonTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The shared Binance reference samples (official examples and signing vectors, made by others). */
final class BinanceSamples
{
    private BinanceSamples()
    {
    }

    static Path samples()
    {
        final String root = System.getProperty("mm.repo.root");
        final Path shared = root != null && Files.isDirectory(Path.of(root).resolve("../shared")) ?
            Path.of(root).resolve("../shared").normalize() : Path.of("/work/shared");
        return shared.resolve("reference/binance/samples");
    }

    static Map<String, Object> load(final String name)
    {
        try
        {
            return JsonTree.object(JsonTree.parse(Files.readAllBytes(samples().resolve(name))));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
