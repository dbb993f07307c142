package mm.common.agent;

import org.agrona.concurrent.IdleStrategy;

/**
 * Runs bounded agents connected by a {@link mm.common.aeron.LocalBus} on the caller's thread, one duty cycle of
 * each in turn, until every one is done: the composite shape without a media driver, for backtests. With lockstep
 * the agents' inputs come in one fixed order whatever the turn order, so the outputs are those of every other shape.
 */
public final class InProcessRunner
{
    /** Cycles between two looks at the clock for {@code onTick}. */
    private static final int CYCLES_PER_CLOCK_READ = 1024;

    private final IdleStrategy idleStrategy;
    private final BoundedAgent[] agents;
    private volatile boolean stopped;

    /**
     * @param idleStrategy used when a whole cycle did no work (a paced feed waiting for its next line).
     */
    public InProcessRunner(final IdleStrategy idleStrategy, final BoundedAgent... agents)
    {
        this.idleStrategy = idleStrategy;
        this.agents = agents.clone();
    }

    /** One duty cycle of every agent, in the given order; returns the work done. */
    public int doWork() throws Exception
    {
        int work = 0;
        for (final BoundedAgent agent : agents)
        {
            work += agent.doWork();
        }
        return work;
    }

    public boolean isDone()
    {
        for (final BoundedAgent agent : agents)
        {
            if (!agent.isDone())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs cycles until every agent is done (or {@link #stop()}), calling {@code onTick} (from this thread) about every {@code tickNs}.
     *
     * @param onTick e.g. a status line; null for none.
     */
    public void run(final long tickNs, final Runnable onTick) throws Exception
    {
        long nextTickNs = System.nanoTime() + tickNs;
        int cycles = 0;
        while (!stopped && !isDone())
        {
            idleStrategy.idle(doWork());
            if (onTick != null && ++cycles == CYCLES_PER_CLOCK_READ)
            {
                cycles = 0;
                final long nowNs = System.nanoTime();
                if (nowNs >= nextTickNs)
                {
                    nextTickNs = nowNs + tickNs;
                    onTick.run();
                }
            }
        }
    }

    /** Ends {@link #run} after its current cycle (from any thread, e.g. a shutdown hook). */
    public void stop()
    {
        stopped = true;
    }

    public boolean isStopped()
    {
        return stopped;
    }

    /** Closes every agent ({@code onClose}), in reverse order. */
    public void close()
    {
        for (int i = agents.length - 1; i >= 0; i--)
        {
            agents[i].onClose();
        }
    }
}
