package mm.perf;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes the benchmark thread itself allocated over an iteration. JMH's {@code -prof gc} divides the whole
 * JVM's allocation by the ops, so a benchmark that carries an embedded media driver (whose conductor thread
 * allocates now and then) or long ops shows a fraction of a byte per op that the hot path never allocated; this
 * figure is the hot path's own. Printed after each iteration and, when {@code -Dmm.perf.threadAllocationFile}
 * names a file, appended there for measurement iterations ({@code ./mm bench} reads it into the report).
 */
public final class ThreadAllocation
{
    public static final String FILE_PROPERTY = "mm.perf.threadAllocationFile";
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private long startBytes;
    private long startOps;

    /** Call at the start of an iteration with the benchmark's op count so far. */
    public void start(final long ops)
    {
        startOps = ops;
        startBytes = THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Call at the end of the iteration, on the benchmark thread. */
    public void end(final String benchmark, final String params, final IterationParams iteration, final long ops)
    {
        final long bytes = THREADS.getCurrentThreadAllocatedBytes() - startBytes;
        final long iterationOps = ops - startOps;
        final boolean measured = iteration.getType() == IterationType.MEASUREMENT;
        System.out.printf("%n%s %s thread allocation: %d bytes over %d ops (%s)%n", benchmark, params, bytes,
            iterationOps, measured ? "measured" : "warm-up");
        final String file = System.getProperty(FILE_PROPERTY);
        if (measured && file != null)
        {
            try
            {
                Files.writeString(Path.of(file), benchmark + "\t" + params + "\t" + bytes + "\t" + iterationOps + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
