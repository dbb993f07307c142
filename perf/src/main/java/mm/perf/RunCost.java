package mm.perf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What whole runs timed inside one JMH iteration cost the benchmark thread: events per second of wall time and of
 * the thread's CPU time, and the bytes it allocated (for benchmarks whose op is a whole replay or backtest, where
 * a shared machine makes wall time alone misleading, and work on other threads — the replay's agents, the
 * backtest's journal and read-ahead — shows in the process's CPU time). Call {@link #begin()} and {@link #end(long)} around each run,
 * {@link #reset()} at the start of an iteration and {@link #print} at its end.
 * <p>
 * It also splits the process's CPU time by thread (Java threads grouped by name without their number; what is
 * left is the JVM's own threads, JIT and GC, and threads that ended inside the run), as microseconds per
 * market-data event: the budget that says how many cores a run needs to go at a given rate.
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
    /** Thread id to its CPU time at {@link #begin()}. */
    private final Map<Long, Long> startThreadCpuNs = new HashMap<>();
    /** Thread group name to CPU time inside the runs of this iteration. */
    private final Map<String, Long> groupCpuNs = new TreeMap<>();

    void reset()
    {
        groupCpuNs.clear();
        bytes = 0;
        cpuNs = 0;
        processCpuNs = 0;
        wallNs = 0;
        events = 0;
    }

    void begin()
    {
        // the thread snapshot allocates: taken before the benchmark thread's allocation count starts
        startThreadCpuNs.clear();
        for (final long id : THREADS.getAllThreadIds())
        {
            startThreadCpuNs.put(id, THREADS.getThreadCpuTime(id));
        }
        startBytes = THREADS.getCurrentThreadAllocatedBytes();
        startCpuNs = THREADS.getCurrentThreadCpuTime();
        startProcessCpuNs = PROCESS.getProcessCpuTime();
        startNs = System.nanoTime();
    }

    void end(final long runEvents)
    {
        end(runEvents, null, -1);
    }

    /**
     * As {@link #end(long)}, with the CPU time of a thread that ended inside the run (so it cannot be asked now)
     * when {@code endedThreadCpuNs} is known (not negative); a live thread of that name is then not counted twice.
     */
    void end(final long runEvents, final String endedThreadName, final long endedThreadCpuNs)
    {
        wallNs += System.nanoTime() - startNs;
        cpuNs += THREADS.getCurrentThreadCpuTime() - startCpuNs;
        processCpuNs += PROCESS.getProcessCpuTime() - startProcessCpuNs;
        bytes += THREADS.getCurrentThreadAllocatedBytes() - startBytes;
        events += runEvents;
        final long currentId = Thread.currentThread().threadId();
        for (final ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds()))
        {
            if (info == null)
            {
                continue; // ended since the ids were read
            }
            final long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu > 0)
            {
                final String group = info.getThreadId() == currentId ? "benchmark thread" :
                    info.getThreadName().replaceAll("[-#]?[0-9]+$", "");
                if (endedThreadCpuNs >= 0 && group.equals(endedThreadName))
                {
                    continue;
                }
                groupCpuNs.merge(group, cpu - startThreadCpuNs.getOrDefault(info.getThreadId(), 0L), Long::sum);
            }
        }
        if (endedThreadCpuNs >= 0)
        {
            groupCpuNs.merge(endedThreadName, endedThreadCpuNs, Long::sum);
        }
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
        final StringBuilder budget = new StringBuilder();
        long listedNs = 0;
        for (final Map.Entry<String, Long> group : groupCpuNs.entrySet())
        {
            if (group.getValue() * 100 >= processCpuNs) // groups under 1% are left in the rest
            {
                budget.append(String.format(Locale.ROOT, "%s %.2f, ", group.getKey(), usPerEvent(group.getValue())));
                listedNs += group.getValue();
            }
        }
        final int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "%s CPU per market-data event (us): %sthe rest (JIT, GC, smaller and ended " +
            "threads) %.2f; %.2f in all, so %d cores allow at most %,.0f events per second%n", label, budget,
            usPerEvent(processCpuNs - listedNs), usPerEvent(processCpuNs), cores,
            events * 1e9 * cores / Math.max(1, processCpuNs));
    }

    private double usPerEvent(final long ns)
    {
        return ns / 1e3 / Math.max(1, events);
    }
}
