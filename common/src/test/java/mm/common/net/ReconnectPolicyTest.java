package mm.common.net;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backoff with full jitter and the circuit breaker, driven with explicit times and a seeded Random. */
class ReconnectPolicyTest
{
    @Test
    void delaysStayUnderADoublingCeilingCappedAtTheMaximum()
    {
        final ReconnectPolicy policy = new ReconnectPolicy(100, 3_000, 1_000, 60_000, new Random(1));
        for (int failure = 1; failure <= 20; failure++)
        {
            final long ceiling = Math.min(3_000, 100L << Math.min(failure - 1, 30));
            final long delay = policy.onFailure(0);
            assertTrue(delay >= 0 && delay <= ceiling, "failure " + failure + ": " + delay + " > " + ceiling);
        }
        assertEquals(ReconnectPolicy.Circuit.CLOSED, policy.circuit());
    }

    @Test
    void jitterIsFullNotEqual()
    {
        // full jitter draws from [0, ceiling]: about a quarter of the draws fall below a quarter of the ceiling
        final ReconnectPolicy policy = new ReconnectPolicy(1_000, 1_000, 1_000_000, 0, new Random(7));
        int low = 0;
        long sum = 0;
        for (int i = 0; i < 10_000; i++)
        {
            final long delay = policy.jitteredDelayMs(1);
            sum += delay;
            if (delay < 250)
            {
                low++;
            }
        }
        assertTrue(low > 2_000 && low < 3_000, "draws below a quarter: " + low);
        assertTrue(Math.abs(sum / 10_000.0 - 500) < 25, "mean " + sum / 10_000.0);
    }

    @Test
    void sameSeedSameDelays()
    {
        assertEquals(delays(42), delays(42));
        assertFalse(delays(42).equals(delays(43)));
    }

    private static List<Long> delays(final long seed)
    {
        final ReconnectPolicy policy = new ReconnectPolicy(50, 10_000, 100, 0, new Random(seed));
        final List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            delays.add(policy.onFailure(i));
        }
        return delays;
    }

    @Test
    void breakerOpensAfterRepeatedFailuresAndHalfOpensAfterTheCoolDown()
    {
        final ReconnectPolicy policy = new ReconnectPolicy(10, 100, 3, 5_000, new Random(3));
        assertTrue(policy.tryAttempt(0));
        assertTrue(policy.onFailure(0) <= 10);
        assertTrue(policy.onFailure(10) <= 20);
        assertEquals(5_000, policy.onFailure(30), "third failure opens the breaker for the cool-down");
        assertEquals(ReconnectPolicy.Circuit.OPEN, policy.circuit());
        assertEquals(1, policy.circuitOpens());
        assertFalse(policy.tryAttempt(4_000), "no attempt during the cool-down");
        assertEquals(1_030, policy.remainingCoolDownMs(4_000));

        assertTrue(policy.tryAttempt(5_030), "one trial after the cool-down");
        assertEquals(ReconnectPolicy.Circuit.HALF_OPEN, policy.circuit());
        assertEquals(5_000, policy.onFailure(5_040), "a failed trial opens it again");
        assertEquals(ReconnectPolicy.Circuit.OPEN, policy.circuit());
        assertEquals(2, policy.circuitOpens());

        assertTrue(policy.tryAttempt(10_040));
        policy.onSuccess();
        assertEquals(ReconnectPolicy.Circuit.CLOSED, policy.circuit());
        assertEquals(0, policy.consecutiveFailures());
        assertTrue(policy.onFailure(10_100) <= 10, "after a success the backoff starts over");
        assertEquals(5, policy.failures());
    }
}
