package mm.common.agent;

import mm.common.config.ConfigException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Idle strategies by name. Spinning ones are for tuned hosts with isolated cores; on small hosts (two cores,
 * a shared media driver) use backoff or yielding, or the spinning threads starve everything else.
 */
public final class IdleStrategies
{
    public static final String NAMES = "[busy-spin, no-op, yielding, backoff, sleeping]";

    private IdleStrategies()
    {
    }

    public static IdleStrategy byName(final String key, final String name)
    {
        return switch (name)
        {
            case "busy-spin" -> new BusySpinIdleStrategy();
            case "no-op" -> new NoOpIdleStrategy();
            case "yielding" -> new YieldingIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy(10, 20, 1_000, 100_000);
            case "sleeping" -> new SleepingMillisIdleStrategy(1);
            default -> throw new ConfigException(key, name, "must be one of " + NAMES);
        };
    }
}
