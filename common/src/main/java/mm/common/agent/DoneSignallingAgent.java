package mm.common.agent;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * Wraps a bounded agent so that completion is visible outside its thread and its process: a volatile flag
 * for the launcher in this JVM and a "done" counter in shared memory for the other roles (see
 * {@link Readiness}).
 */
public final class DoneSignallingAgent implements BoundedAgent
{
    private final BoundedAgent delegate;
    private final AtomicCounter doneCounter;
    private volatile boolean done;

    public DoneSignallingAgent(final BoundedAgent delegate, final AtomicCounter doneCounter)
    {
        this.delegate = delegate;
        this.doneCounter = doneCounter;
    }

    public void onStart()
    {
        delegate.onStart();
    }

    public int doWork() throws Exception
    {
        final int work = delegate.doWork();
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
