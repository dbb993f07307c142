package mm.gateway.venue;

import java.util.List;

/**
 * Every limit of one venue as {@link TokenBucket}s, plus the venue's explicit back-off (HTTP 429 with a retry
 * time, 418 ban). A request is allowed only when every bucket it draws from has room, and then draws from all
 * of them at once (never half). Deterministic and allocation-free after construction: time is passed in.
 * <p>
 * Each request states its cost: request weight (Binance REQUEST_WEIGHT), new orders (ORDERS) and one raw
 * request (RAW_REQUESTS, Kite's per-second request limit).
 */
public final class VenueThrottle
{
    private final TokenBucket[] buckets;
    private final int headroomPercent;
    private long backOffUntilNs = Long.MIN_VALUE;
    private long backOffs;
    private long refusals;

    public VenueThrottle(final List<VenueLimit> limits, final int headroomPercent)
    {
        this.headroomPercent = headroomPercent;
        this.buckets = new TokenBucket[limits.size()];
        for (int i = 0; i < buckets.length; i++)
        {
            final VenueLimit limit = limits.get(i);
            buckets[i] = new TokenBucket(limit.kind(), limit.limit(), limit.intervalNs(), headroomPercent);
        }
    }

    /** Whether a request of this cost may go now. Takes nothing. */
    public boolean canSend(final long nowNs, final int weight, final int orders)
    {
        if (nowNs < backOffUntilNs)
        {
            return false;
        }
        for (final TokenBucket bucket : buckets)
        {
            if (!bucket.canAcquire(nowNs, cost(bucket.kind(), weight, orders)))
            {
                return false;
            }
        }
        return true;
    }

    /** Takes the cost from every bucket if all have room; otherwise takes nothing and returns false. */
    public boolean tryAcquire(final long nowNs, final int weight, final int orders)
    {
        if (!canSend(nowNs, weight, orders))
        {
            refusals++;
            return false;
        }
        for (final TokenBucket bucket : buckets)
        {
            final long cost = cost(bucket.kind(), weight, orders);
            if (cost > 0)
            {
                bucket.tryAcquire(nowNs, cost);
            }
        }
        return true;
    }

    /** Earliest time a request of this cost could go (assuming nothing else is sent meanwhile). */
    public long availableAtNs(final long nowNs, final int weight, final int orders)
    {
        long at = Math.max(nowNs, backOffUntilNs);
        for (final TokenBucket bucket : buckets)
        {
            at = Math.max(at, bucket.availableAtNs(nowNs, cost(bucket.kind(), weight, orders)));
        }
        return at;
    }

    /** The venue's count of a limit's current window (Binance {@code rateLimits[].count}). */
    public void observeUsage(final long nowNs, final LimitKind kind, final long intervalNs, final long used)
    {
        for (final TokenBucket bucket : buckets)
        {
            if (bucket.kind() == kind && bucket.intervalNs() == intervalNs)
            {
                bucket.observeUsage(nowNs, used);
            }
        }
    }

    /** The venue refused for a limit of this kind: its window is full, whatever we counted. */
    public void onLimitExceeded(final long nowNs, final LimitKind kind)
    {
        for (final TokenBucket bucket : buckets)
        {
            if (bucket.kind() == kind)
            {
                bucket.drain(nowNs);
            }
        }
    }

    /** Nothing goes before {@code untilNs} (a 429 Retry-After or a 418 ban). */
    public void backOffUntil(final long untilNs)
    {
        backOffs++;
        if (untilNs > backOffUntilNs)
        {
            backOffUntilNs = untilNs;
        }
    }

    public long backOffUntilNs()
    {
        return backOffUntilNs;
    }

    public long backOffs()
    {
        return backOffs;
    }

    /** Requests refused locally. */
    public long refusals()
    {
        return refusals;
    }

    public int headroomPercent()
    {
        return headroomPercent;
    }

    public int bucketCount()
    {
        return buckets.length;
    }

    public TokenBucket bucket(final int index)
    {
        return buckets[index];
    }

    private static long cost(final LimitKind kind, final int weight, final int orders)
    {
        return switch (kind)
        {
            case REQUEST_WEIGHT -> weight;
            case ORDERS -> orders;
            case RAW_REQUESTS -> 1;
        };
    }
}
