package mm.common.agent;

import io.aeron.Aeron;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Engine counters live in the media driver's shared memory (like Aeron's own), so {@code mm stat} and
 * the demo's status line read them without touching the agents. Labels start with the agent name.
 * <p>
 * Each counter has one writer, the agent that owns it, so it is written with {@code incrementRelease} /
 * {@code setRelease} (an ordered store readers see whole), not the atomic read-modify-write of
 * {@code increment}, which costs a locked instruction on every count.
 */
public final class EngineCounters
{
    /** Counter type id of every engine counter, apart from Aeron's own type ids. */
    public static final int ENGINE_COUNTER_TYPE_ID = 9001;

    private EngineCounters()
    {
    }

    public static AtomicCounter add(final Aeron aeron, final String agentName, final String name)
    {
        return aeron.addCounter(ENGINE_COUNTER_TYPE_ID, agentName + ": " + name);
    }
}
