package mm.feed.binance.transport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's side of Binance's 5 messages a second rule. */
class OutboundRateLimiterTest
{
    @Test
    void spacesMessagesAndCapsTheWindow()
    {
        final OutboundRateLimiter limiter = new OutboundRateLimiter(4, 1_000);
        assertTrue(limiter.tryAcquire(0));
        assertFalse(limiter.tryAcquire(0));
        assertEquals(250, limiter.delayMs(0));
        assertTrue(limiter.tryAcquire(250));
        assertTrue(limiter.tryAcquire(500));
        assertTrue(limiter.tryAcquire(750));
        assertEquals(250, limiter.delayMs(750));
        assertTrue(limiter.tryAcquire(1_000));
        assertEquals(4 + 1, limiter.sent());
    }

    @Test
    void neverMoreThanTheLimitInAnySecondWhateverTheCallPattern()
    {
        final OutboundRateLimiter limiter = new OutboundRateLimiter(4, 1_000);
        final Random random = new Random(5);
        final List<Long> sent = new ArrayList<>();
        long nowMs = 0;
        for (int i = 0; i < 20_000; i++)
        {
            nowMs += random.nextInt(40);
            if (limiter.tryAcquire(nowMs))
            {
                sent.add(nowMs);
            }
        }
        for (int i = 4; i < sent.size(); i++)
        {
            assertTrue(sent.get(i) - sent.get(i - 4) >= 1_000, "5 messages within a second at " + sent.get(i));
        }
        assertTrue(sent.size() > 4 * (nowMs / 1_000) * 9 / 10, "the budget is used: " + sent.size());
    }
}
