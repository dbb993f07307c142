package mm.common.agent;

import io.aeron.Aeron;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

/**
 * Start-up handshake between processes. Aeron delivers a stream to a subscriber only from the moment it
 * joins, so a bounded source (a recording) must not publish until every consumer has subscribed. Each role
 * raises a "ready" counter once its subscriptions exist; the source waits until it sees them all.
 */
public final class Readiness
{
    private static final String SUFFIX = ": ready";

    private Readiness()
    {
    }

    /** Raises this role's ready counter; call after the role's subscriptions are added. */
    public static AtomicCounter markReady(final Aeron aeron, final String role)
    {
        final AtomicCounter counter = EngineCounters.add(aeron, role, "ready");
        counter.setRelease(1);
        return counter;
    }

    /** True when every role in {@code roles} has a ready counter set to 1 in this driver. */
    public static boolean allReady(final CountersReader counters, final String[] roles)
    {
        for (final String role : roles)
        {
            if (!isReady(counters, role))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isReady(final CountersReader counters, final String role)
    {
        final String label = role + SUFFIX;
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
