package mm.common.agent;

import io.aeron.Aeron;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

/**
 * Start and end handshakes between roles, through counters in the media driver's shared memory, so they
 * work between threads and between processes alike.
 * <ul>
 * <li>Ready: Aeron delivers a stream to a subscriber only from the moment it joins, so a bounded source (a
 * recording) must not publish until every consumer has subscribed. Each role raises "ready" once its
 * subscriptions exist.</li>
 * <li>Done: a role raises "done" when its bounded run is complete and its outputs are flushed; the journal
 * records until every role is done, so the last inputs each agent consumed are in its journaled inbox.</li>
 * </ul>
 */
public final class Readiness
{
    private static final String READY = "ready";
    private static final String DONE = "done";

    private Readiness()
    {
    }

    /** Raises this role's ready counter; call after the role's subscriptions are added. */
    public static AtomicCounter markReady(final Aeron aeron, final String role)
    {
        final AtomicCounter counter = EngineCounters.add(aeron, role, READY);
        counter.setRelease(1);
        return counter;
    }

    /** This role's done counter, 0 until the caller sets it to 1. */
    public static AtomicCounter doneCounter(final Aeron aeron, final String role)
    {
        return EngineCounters.add(aeron, role, DONE);
    }

    /** True when every role in {@code roles} has its ready counter at 1 in this driver. */
    public static boolean allReady(final CountersReader counters, final String[] roles)
    {
        return allRaised(counters, roles, READY);
    }

    /** True when every role in {@code roles} has its done counter at 1 in this driver. */
    public static boolean allDone(final CountersReader counters, final String[] roles)
    {
        return allRaised(counters, roles, DONE);
    }

    private static boolean allRaised(final CountersReader counters, final String[] roles, final String signal)
    {
        for (final String role : roles)
        {
            if (!isRaised(counters, role + ": " + signal))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isRaised(final CountersReader counters, final String label)
    {
        final boolean[] found = new boolean[1];
        counters.forEach((counterId, typeId, keyBuffer, counterLabel) ->
        {
            if (typeId == EngineCounters.ENGINE_COUNTER_TYPE_ID && label.equals(counterLabel) &&
                counters.getCounterValue(counterId) == 1)
            {
                found[0] = true;
            }
        });
        return found[0];
    }
}
