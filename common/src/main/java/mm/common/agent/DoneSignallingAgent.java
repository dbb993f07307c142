package mm.common.agent;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * Wraps a bounded agent so that completion is visible outside its thread and its process: a volatile flag
 * for the launcher in this JVM and a "done" counter in shared memory for the other roles (see
 * {@link Readiness}). With a duty-cycle counter it also keeps the longest {@code doWork} seen, in nanoseconds,
 * for {@code mm stat} (as Aeron's driver does for its own agents): two clock reads a cycle, no allocation.
 */
public final class DoneSignallingAgent implements BoundedAgent
{
    private final BoundedAgent delegate;
    private final AtomicCounter doneCounter;
    private final AtomicCounter maxDutyCycleNs;
    private long maxCycleNs;
    private volatile boolean done;

    public DoneSignallingAgent(final BoundedAgent delegate, final AtomicCounter doneCounter)
    {
        this(delegate, doneCounter, null);
    }

    /** @param maxDutyCycleNs where the longest duty cycle is published (null: not measured). */
    public DoneSignallingAgent(
        final BoundedAgent delegate, final AtomicCounter doneCounter, final AtomicCounter maxDutyCycleNs)
    {
        this.delegate = delegate;
        this.doneCounter = doneCounter;
        this.maxDutyCycleNs = maxDutyCycleNs;
    }

    public void onStart()
    {
        delegate.onStart();
    }

    public int doWork() throws Exception
    {
        final int work;
        if (maxDutyCycleNs != null)
        {
            final long startNs = System.nanoTime();
            work = delegate.doWork();
            final long cycleNs = System.nanoTime() - startNs;
            if (cycleNs > maxCycleNs)
            {
                maxCycleNs = cycleNs;
                maxDutyCycleNs.setRelease(cycleNs);
            }
        }
        else
        {
            work = delegate.doWork();
        }
        if (!done && delegate.isDone())
        {
            done = true;
            doneCounter.setRelease(1);
        }
        return work;
    }

    public void onClose()
    {
        delegate.onClose();
    }

    public String roleName()
    {
        return delegate.roleName();
    }

    public boolean isDone()
    {
        return done;
    }

    public BoundedAgent delegate()
    {
        return delegate;
    }
}
