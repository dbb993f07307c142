package mm.common.agent;

import net.openhft.affinity.AffinityLock;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Thread factories that pin each agent thread to a core with OpenHFT affinity. Where pinning is impossible
 * (too few free cores, a VM, no permission) the thread still runs, unpinned, and one warning is printed
 * for the whole process.
 */
public final class Pinning
{
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private Pinning()
    {
    }

    /**
     * @param cpu  the core to pin to, or -1 for any free core.
     * @param warn where the single "could not pin" warning goes.
     */
    public static ThreadFactory threadFactory(final String name, final int cpu, final Consumer<String> warn)
    {
        return runnable -> new Thread(() ->
        {
            AffinityLock lock = null;
            try
            {
                lock = cpu >= 0 ? AffinityLock.acquireLock(cpu) : AffinityLock.acquireLock();
                if (!lock.isBound() && WARNED.compareAndSet(false, true))
                {
                    warn.accept("could not pin thread '" + name + "'" + (cpu >= 0 ? " to cpu " + cpu : "") +
                        ": running unpinned (no free reservable core on this host)");
                }
            }
            catch (final Throwable ex)
            {
                if (WARNED.compareAndSet(false, true))
                {
                    warn.accept("could not pin thread '" + name + "': running unpinned (" + ex + ")");
                }
            }
            try
            {
                runnable.run();
            }
            finally
            {
                if (lock != null)
                {
                    lock.release();
                }
            }
        }, name);
    }
}
