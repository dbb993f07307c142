package mm.common.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures heap bytes allocated by the current thread, for tests that prove a hot path allocates nothing.
 * The least of several runs is reported: an allocation per message shows in every run (thousands of
 * messages each), while a one-off of the JVM on this thread (a few hundred bytes seen once on a loaded
 * machine, e.g. around a JIT transition of the measuring call) does not.
 */
public final class Allocations
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    public static final long MEASUREMENT_OVERHEAD_BYTES = measurementOverhead();

    private Allocations()
    {
    }

    public static long allocatedBytes()
    {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** The least number of bytes {@code work} allocated in {@code trials} runs, measurement overhead removed. */
    public static long leastBytesAllocated(final int trials, final Runnable work)
    {
        long least = Long.MAX_VALUE;
        for (int trial = 0; trial < trials; trial++)
        {
            final long before = allocatedBytes();
            work.run();
            least = Math.min(least, allocatedBytes() - before - MEASUREMENT_OVERHEAD_BYTES);
        }
        return least;
    }

    private static long measurementOverhead()
    {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 100; i++)
        {
            final long before = allocatedBytes();
            least = Math.min(least, allocatedBytes() - before);
        }
        return least;
    }
}
