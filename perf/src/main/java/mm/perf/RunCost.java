package mm.perf;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What whole runs timed inside one JMH iteration cost the benchmark thread: events per second of wall time and of
 * the thread's CPU time, and the bytes it allocated (for benchmarks whose op is a whole replay or backtest, where
 * a shared machine makes wall time alone misleading, and work on other threads — the replay's agents, the
 * backtest's journal and read-ahead — shows in the process's CPU time). Call {@link #begin()} and {@link #end(long)} around each run,
 * {@link #reset()} at the start of an iteration and {@link #print} at its end.
 */
final class RunCost
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
        (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();

    private long bytes;
    private long cpuNs;
    private long processCpuNs;
    private long startProcessCpuNs;
    private long wallNs;
    private long events;
    private long startBytes;
    private long startCpuNs;
    private long startNs;

    void reset()
    {
        bytes = 0;
        cpuNs = 0;
        processCpuNs = 0;
        wallNs = 0;
        events = 0;
    }

    void begin()
    {
        startBytes = THREADS.getCurrentThreadAllocatedBytes();
        startCpuNs = THREADS.getCurrentThreadCpuTime();
        startProcessCpuNs = PROCESS.getProcessCpuTime();
        startNs = System.nanoTime();
    }

    void end(final long runEvents)
    {
        wallNs += System.nanoTime() - startNs;
        cpuNs += THREADS.getCurrentThreadCpuTime() - startCpuNs;
        processCpuNs += PROCESS.getProcessCpuTime() - startProcessCpuNs;
        bytes += THREADS.getCurrentThreadAllocatedBytes() - startBytes;
        events += runEvents;
    }

    /** One line after the iteration: {@code label}, then the figures; {@code runs} names what was timed. */
    void print(final String label, final String runs)
    {
        System.out.printf(Locale.ROOT, "%n%s: %,.0f market-data events per second of wall time, %,.0f per second of " +
            "the benchmark thread's CPU time (%.0f%% of the wall time on CPU), %,.0f per second of the process's CPU " +
            "time (all its threads, JIT and GC included: %.2f cores busy); %,d bytes allocated by the benchmark thread " +
            "inside the timed %s, %.1f per event%n", label, events * 1e9 / Math.max(1, wallNs),
            events * 1e9 / Math.max(1, cpuNs), 100.0 * cpuNs / Math.max(1, wallNs),
            events * 1e9 / Math.max(1, processCpuNs), processCpuNs / (double)Math.max(1, wallNs), bytes, runs,
            bytes / (double)Math.max(1, events));
    }
}
