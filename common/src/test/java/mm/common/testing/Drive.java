package mm.common.testing;

import org.agrona.concurrent.Agent;

import java.util.function.BooleanSupplier;

/** Drives agents by hand, as Aeron's DriverConductorTest does: no agent threads, no sleeps. */
public final class Drive
{
    private Drive()
    {
    }

    /** Calls doWork on every agent in turn until {@code condition} holds; fails after 10 s. */
    public static void until(final BooleanSupplier condition, final Agent... agents)
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new AssertionError("condition not reached while driving agents");
            }
            for (final Agent agent : agents)
            {
                try
                {
                    agent.doWork();
                }
                catch (final Exception ex)
                {
                    throw new AssertionError(ex);
                }
            }
        }
    }

    /** Calls doWork on every agent {@code rounds} times: for asserting that nothing happens. */
    public static void rounds(final int rounds, final Agent... agents)
    {
        for (int i = 0; i < rounds; i++)
        {
            for (final Agent agent : agents)
            {
                try
                {
                    agent.doWork();
                }
                catch (final Exception ex)
                {
                    throw new AssertionError(ex);
                }
            }
        }
    }
}
