package mm.perf.latency;

import one.profiler.AsyncProfiler;
import one.profiler.Counter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * async-profiler attached to this JVM on request: CPU sampling where the kernel permits perf events
 * ({@code cpu}), otherwise {@code itimer} (setitimer signals, no kernel support needed), otherwise {@code wall};
 * which one ran and why the others did not is part of the result. Writes async-profiler's own HTML flame graph
 * and the collapsed stacks (one line per stack and its sample count) that the report draws from.
 */
public final class FlameProfiler
{
    private static final String[] EVENTS = {"cpu", "itimer", "wall"};
    private static final long INTERVAL_NS = 1_000_000;

    private FlameProfiler()
    {
    }

    /**
     * The native library from async-profiler's jar, extracted into {@code dir} (for JMH's {@code -prof async},
     * which wants a path), or null when this platform has none in the jar.
     */
    public static Path extractLibrary(final Path dir)
    {
        final String arch = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
        try (java.io.InputStream in = FlameProfiler.class.getClassLoader().getResourceAsStream(arch + "/libasyncProfiler.so"))
        {
            if (in == null || !System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"))
            {
                return null;
            }
            Files.createDirectories(dir);
            final Path lib = dir.resolve("libasyncProfiler.so");
            Files.copy(in, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return lib;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** A flame graph written by {@link Profile#stop}. */
    public record Result(String event, List<String> fallbacks, long samples, Path html, Path collapsed)
    {
    }

    /** Starts sampling with the first event that works; returns null (and says why) when none does. */
    public static Profile start(final PrintStream out)
    {
        return start(out, null);
    }

    /**
     * Starts sampling {@code event} when given (e.g. {@code alloc}: every allocation's stack, to find what
     * allocates in steady state), else the first of cpu, itimer, wall that works.
     */
    public static Profile start(final PrintStream out, final String event)
    {
        final AsyncProfiler profiler;
        try
        {
            profiler = AsyncProfiler.getInstance();
        }
        catch (final RuntimeException | UnsatisfiedLinkError ex)
        {
            out.println("bench: async-profiler cannot load: " + ex);
            return null;
        }
        final List<String> fallbacks = new ArrayList<>();
        for (final String candidate : event != null ? new String[]{event} : EVENTS)
        {
            try
            {
                profiler.execute("start,event=" + candidate +
                    (candidate.equals("alloc") ? ",alloc=1,threads" : ",interval=" + INTERVAL_NS));
                out.println("bench: async-profiler sampling event=" + candidate +
                    (fallbacks.isEmpty() ? "" : " (" + String.join("; ", fallbacks) + ")"));
                return new Profile(profiler, candidate, fallbacks);
            }
            catch (final IOException | RuntimeException ex)
            {
                fallbacks.add(candidate + " refused: " + ex.getMessage());
            }
        }
        out.println("bench: async-profiler could not start: " + fallbacks);
        return null;
    }

    /** A running profile. */
    public static final class Profile
    {
        private final AsyncProfiler profiler;
        private final String event;
        private final List<String> fallbacks;

        private Profile(final AsyncProfiler profiler, final String event, final List<String> fallbacks)
        {
            this.profiler = profiler;
            this.event = event;
            this.fallbacks = fallbacks;
        }

        /** Stops and writes {@code <name>.html} (async-profiler's flame graph) and {@code <name>.collapsed}. */
        public Result stop(final Path dir, final String name)
        {
            try
            {
                Files.createDirectories(dir);
                final Path html = dir.resolve(name + ".html");
                final Path collapsed = dir.resolve(name + ".collapsed");
                profiler.stop();
                final long samples = profiler.getSamples();
                Files.writeString(collapsed, profiler.dumpCollapsed(Counter.SAMPLES), StandardCharsets.UTF_8);
                profiler.execute("flamegraph,file=" + html.toAbsolutePath());
                return new Result(event, fallbacks, samples, html, collapsed);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        /** Stops without writing anything. */
        public void abort()
        {
            try
            {
                profiler.stop();
            }
            catch (final IllegalStateException ignored)
            {
                // not running
            }
        }
    }
}
