package mm.ops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./mm stops with a clear message when it cannot find a JDK 25 or Maven. */
class MmScriptTest
{
    @Test
    void noJdk25StopsWithAClearMessage() throws Exception
    {
        final Result result = run(Map.of("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64", "MM_JVM_DIRS", "/nonexistent"));
        assertEquals(2, result.exitCode);
        assertTrue(result.output.contains("mm: no JDK 25 or newer found"), result.output);
    }

    @Test
    void noMavenStopsWithAClearMessage() throws Exception
    {
        final Result result = run(Map.of("MVN", "/nonexistent/mvn"));
        assertEquals(2, result.exitCode);
        assertTrue(result.output.contains("mm: Maven (/nonexistent/mvn) not found"), result.output);
    }

    private record Result(int exitCode, String output)
    {
    }

    private static Result run(final Map<String, String> env) throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder("bash", TestPaths.repoRoot().resolve("mm").toString(), "help")
            .redirectErrorStream(true);
        builder.environment().putAll(env);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
