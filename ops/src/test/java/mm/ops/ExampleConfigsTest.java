package mm.ops;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example deployment file in config/ passes ./mm config check, so the examples never rot. */
class ExampleConfigsTest
{
    @Test
    void everyExampleConfigIsValid() throws Exception
    {
        final List<Path> files;
        try (Stream<Path> stream = Files.list(TestPaths.repoRoot().resolve("config")))
        {
            files = stream.filter(p -> p.toString().endsWith(".properties")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (final Path file : files)
        {
            final ByteArrayOutputStream output = new ByteArrayOutputStream();
            final int exitCode = Main.run(new String[]{"config", "check", file.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
            assertEquals(0, exitCode, file + ": " + output);
            assertTrue(output.toString(StandardCharsets.UTF_8).contains("is valid"), output.toString(StandardCharsets.UTF_8));
        }
    }

}
