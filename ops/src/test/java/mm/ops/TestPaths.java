package mm.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and the shared data are, for tests. */
final class TestPaths
{
    private TestPaths()
    {
    }

    static Path repoRoot()
    {
        final String root = System.getProperty("mm.repo.root");
        Path path = root != null ? Path.of(root) : Path.of("..");
        path = path.toAbsolutePath().normalize();
        if (!Files.exists(path.resolve("jvm.options")))
        {
            throw new IllegalStateException("repository root not found at " + path);
        }
        return path;
    }

    static Path shared()
    {
        return repoRoot().resolve("../shared").normalize();
    }
}
