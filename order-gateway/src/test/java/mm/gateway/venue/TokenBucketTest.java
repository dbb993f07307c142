package mm.gateway.venue;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_005L * S;

    @Test
    void headroomLowersTheCapacityAndRefillIsExactOverTime()
    {
        // T0 is 5 s into a venue window: the window count caps until T0 + 5 s, the bucket refills meanwhile
        final TokenBucket bucket = new TokenBucket(LimitKind.ORDERS, 50, 10 * S, 20);
        assertEquals(40, bucket.capacity());
        assertTrue(bucket.tryAcquire(T0, 40));
        assertFalse(bucket.tryAcquire(T0, 1));
        assertEquals(1, bucket.refusals());
        assertFalse(bucket.tryAcquire(T0 + 4 * S, 1)); // 16 tokens back, but this window has had its 40
        assertEquals(T0 + 5 * S, bucket.availableAtNs(T0 + 4 * S, 1));
        assertTrue(bucket.tryAcquire(T0 + 5 * S, 20)); // new window; 5 s at one token per 250 ms
        assertFalse(bucket.tryAcquire(T0 + 5 * S, 1));
        assertEquals(T0 + 5 * S + 250_000_000L, bucket.availableAtNs(T0 + 5 * S, 1));
        // the remainder of elapsed time is kept: 10 refills of 100 ms give 4 tokens, not 0
        long t = T0 + 5 * S;
        int got = 0;
        for (int i = 0; i < 10; i++)
        {
            t += 100_000_000L;
            got += bucket.tryAcquire(t, 1) ? 1 : 0;
        }
        assertEquals(4, got);
        assertEquals(24, bucket.windowCount());
        assertEquals(Long.MAX_VALUE, bucket.availableAtNs(t, 41));
    }

    @Test
    void neverMoreThanTheVenueAllowsInAnyOfItsWindowsAtTenPerSecond()
    {
        // Binance's 50 orders per 10 s with 10 % headroom, asked 10 times a second for a minute
        final VenueThrottle throttle = new VenueThrottle(
            List.of(new VenueLimit(LimitKind.ORDERS, 10 * S, 50), new VenueLimit(LimitKind.REQUEST_WEIGHT, 60 * S, 6000)), 10);
        final long[] sentAt = new long[600];
        int sent = 0;
        for (int i = 0; i < 600; i++)
        {
            final long now = T0 + i * 100_000_000L;
            if (throttle.tryAcquire(now, 1, 1))
            {
                sentAt[sent++] = now;
            }
        }
        // the venue counts in windows aligned to the epoch (:00, :10, ...); T0 + 5 s starts mid-window
        final int[] perWindow = new int[8];
        for (int i = 0; i < sent; i++)
        {
            perWindow[(int)((sentAt[i] / (10 * S)) - (T0 / (10 * S)))]++;
        }
        for (final int count : perWindow)
        {
            assertTrue(count <= 45, "a venue window got " + count + " orders: " + java.util.Arrays.toString(perWindow));
        }
        assertTrue(sent >= 260, "the throttle should still send about 4.5 a second, sent " + sent);
        assertEquals(600 - sent, throttle.refusals());
    }

    @Test
    void allOrNothingAcrossBucketsAndVenueUsageTightens()
    {
        final VenueThrottle throttle = new VenueThrottle(List.of(
            new VenueLimit(LimitKind.ORDERS, S, 10), new VenueLimit(LimitKind.RAW_REQUESTS, S, 2)), 0);
        assertTrue(throttle.tryAcquire(T0, 1, 1));
        assertTrue(throttle.tryAcquire(T0, 1, 0)); // a cancel: no order token
        assertFalse(throttle.tryAcquire(T0, 1, 1)); // raw requests exhausted: the order bucket is not touched
        assertEquals(9, throttle.bucket(0).tokens());
        throttle.observeUsage(T0, LimitKind.ORDERS, S, 8);
        assertEquals(2, throttle.bucket(0).tokens());
        throttle.backOffUntil(T0 + 5 * S);
        assertFalse(throttle.canSend(T0 + 4 * S, 1, 0));
        assertTrue(throttle.canSend(T0 + 5 * S, 1, 0));
        assertEquals(T0 + 5 * S, throttle.availableAtNs(T0, 1, 0));
    }

    @Test
    void kiteDailyLimitResetsAtUtcMidnightAndRefillsWithoutOverflow()
    {
        final TokenBucket day = new TokenBucket(LimitKind.ORDERS, 5000, VenueLimit.DAY_NS, 10);
        assertEquals(4500, day.capacity());
        assertTrue(day.tryAcquire(T0, 4500));
        assertFalse(day.tryAcquire(T0 + 20 * S, 1)); // a token is back (19.2 s each) but the day is used up
        final long midnight = (T0 / VenueLimit.DAY_NS + 1) * VenueLimit.DAY_NS;
        assertEquals(midnight, day.availableAtNs(T0 + 20 * S, 1));
        final long refilled = (midnight - T0) / 19_200_000_000L;
        assertTrue(day.tryAcquire(midnight, refilled));
        assertFalse(day.tryAcquire(midnight, 1));
        final long muchLater = T0 + 400L * VenueLimit.DAY_NS;
        assertTrue(day.tryAcquire(muchLater, 4500)); // long idle: full, never more
        assertFalse(day.tryAcquire(muchLater, 1));
    }

    @Test
    void rejectsNonsense()
    {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(LimitKind.ORDERS, 0, S, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(LimitKind.ORDERS, 10, S, 95));
    }
}
