package mm.common.net;

import java.util.Random;

/**
 * When to try connecting again: exponential backoff with full jitter, and a circuit breaker that stops
 * attempts for a cool-down after repeated failures. Pure: the caller passes the time, the randomness is
 * injected (seed it in tests), and nothing here touches threads or sockets.
 * <p>
 * Full jitter (a delay drawn uniformly from {@code [0, min(max, initial * 2^(failures-1))]}) spreads the
 * reconnects of many clients after a venue outage instead of having them arrive in waves. The breaker
 * opens after {@code failuresToOpen} consecutive failures; after {@code coolDownMs} one trial attempt is
 * allowed (half-open): success closes the breaker, failure opens it again for another cool-down.
 * <p>
 * Not thread-safe: owned by the client's event loop.
 */
public final class ReconnectPolicy
{
    /** State of the circuit breaker. */
    public enum Circuit
    {
        CLOSED, OPEN, HALF_OPEN
    }

    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final int failuresToOpen;
    private final long coolDownMs;
    private final Random random;

    private int consecutiveFailures;
    private Circuit circuit = Circuit.CLOSED;
    private long openedAtMs;
    private long circuitOpens;
    private long failures;

    /**
     * @param initialBackoffMs ceiling of the first delay after a failure, at least 1.
     * @param maxBackoffMs the ceiling never grows beyond this.
     * @param failuresToOpen consecutive failures that open the breaker, at least 1.
     * @param coolDownMs how long the breaker stays open before one trial attempt.
     * @param random source of the jitter; seed it for reproducible tests.
     */
    public ReconnectPolicy(
        final long initialBackoffMs, final long maxBackoffMs, final int failuresToOpen, final long coolDownMs,
        final Random random)
    {
        if (initialBackoffMs < 1 || maxBackoffMs < initialBackoffMs || failuresToOpen < 1 || coolDownMs < 0)
        {
            throw new IllegalArgumentException("invalid reconnect policy: initial=" + initialBackoffMs +
                " max=" + maxBackoffMs + " failuresToOpen=" + failuresToOpen + " coolDown=" + coolDownMs);
        }
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.failuresToOpen = failuresToOpen;
        this.coolDownMs = coolDownMs;
        this.random = random;
    }

    /**
     * A connection attempt failed, or a working connection was lost unexpectedly.
     *
     * @return milliseconds to wait before the next attempt (the cool-down when the breaker opens).
     */
    public long onFailure(final long nowMs)
    {
        failures++;
        consecutiveFailures++;
        if (circuit == Circuit.HALF_OPEN || consecutiveFailures >= failuresToOpen)
        {
            if (circuit != Circuit.OPEN)
            {
                circuitOpens++;
            }
            circuit = Circuit.OPEN;
            openedAtMs = nowMs;
            return coolDownMs;
        }
        return jitteredDelayMs(consecutiveFailures);
    }

    /** The connection works (upgraded and data flowed): the breaker closes and the backoff starts over. */
    public void onSuccess()
    {
        consecutiveFailures = 0;
        circuit = Circuit.CLOSED;
    }

    /**
     * Asks whether an attempt may start now; moves an open breaker whose cool-down has passed to half-open.
     *
     * @return false while the breaker is open.
     */
    public boolean tryAttempt(final long nowMs)
    {
        if (circuit == Circuit.OPEN)
        {
            if (nowMs - openedAtMs < coolDownMs)
            {
                return false;
            }
            circuit = Circuit.HALF_OPEN;
        }
        return true;
    }

    /** Milliseconds until an open breaker allows a trial, 0 when not open. */
    public long remainingCoolDownMs(final long nowMs)
    {
        return circuit == Circuit.OPEN ? Math.max(0, coolDownMs - (nowMs - openedAtMs)) : 0;
    }

    /** Full jitter: uniform in {@code [0, min(max, initial * 2^(n-1))]}. */
    long jitteredDelayMs(final int failureCount)
    {
        final int shift = Math.min(Math.max(failureCount - 1, 0), 40);
        final long ceiling = initialBackoffMs > (maxBackoffMs >> shift) ? maxBackoffMs : initialBackoffMs << shift;
        return random.nextLong(Math.min(ceiling, maxBackoffMs) + 1);
    }

    public Circuit circuit()
    {
        return circuit;
    }

    public int consecutiveFailures()
    {
        return consecutiveFailures;
    }

    /** Failures since creation. */
    public long failures()
    {
        return failures;
    }

    /** Times the breaker went from closed or half-open to open. */
    public long circuitOpens()
    {
        return circuitOpens;
    }
}
