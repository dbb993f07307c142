package mm.gateway.venue;

/**
 * A token bucket for one venue limit ({@code limit} per {@code intervalNs}), kept below the venue's figure by a
 * headroom. Deterministic and allocation-free: time is passed in as nanoseconds and never read from a clock;
 * refill is integer arithmetic with no drift (whole tokens are added, the remainder of the elapsed time is kept
 * for the next refill). The bucket starts full, as a venue's fresh window does.
 * <p>
 * A bucket alone is not enough: one that starts full and refills at capacity per interval can spend almost
 * twice its capacity within one venue window. Venues count in calendar-aligned windows (Binance resets its
 * 10-second window at :00, :10, ... and its day at 00:00 UTC), so the bucket also counts what it granted in the
 * current aligned window ({@code nowNs / intervalNs}, epoch time) and never lets that exceed its capacity. The
 * bucket smooths, the window count caps. The venue's own count, when it reports one, raises the window count
 * ({@link #observeUsage}) so the two never disagree in the dangerous direction.
 */
public final class TokenBucket
{
    private static final long UNSET = Long.MIN_VALUE;

    private final LimitKind kind;
    private final long intervalNs;
    private final long venueLimit;
    private final long capacity;
    private final long nsPerToken;
    private long tokens;
    private long lastRefillNs = UNSET;
    private long windowIndex = Long.MIN_VALUE;
    private long windowCount;
    private long refusals;

    /**
     * @param venueLimit what the venue allows per interval, at least 1.
     * @param intervalNs the venue's interval, at least 1 ns.
     * @param headroomPercent share of the limit kept unused, in [0, 90]; the bucket holds at least one token.
     */
    public TokenBucket(final LimitKind kind, final long venueLimit, final long intervalNs, final int headroomPercent)
    {
        if (venueLimit < 1 || intervalNs < 1 || headroomPercent < 0 || headroomPercent > 90)
        {
            throw new IllegalArgumentException("invalid limit " + kind + ": " + venueLimit + " per " + intervalNs +
                " ns with " + headroomPercent + "% headroom");
        }
        this.kind = kind;
        this.intervalNs = intervalNs;
        this.venueLimit = venueLimit;
        // floor(limit * (100 - headroom) / 100) without overflow for any realistic limit
        this.capacity = Math.max(1, Math.multiplyExact(venueLimit, 100 - headroomPercent) / 100);
        // rounded up: refilling a little slower than the limit errs on the safe side
        this.nsPerToken = Math.max(1, (intervalNs + capacity - 1) / capacity);
        this.tokens = capacity;
    }

    /** Takes {@code count} tokens if all are there; otherwise takes none and counts a refusal. */
    public boolean tryAcquire(final long nowNs, final long count)
    {
        if (canAcquire(nowNs, count))
        {
            tokens -= count;
            windowCount += count;
            return true;
        }
        refusals++;
        return false;
    }

    /** Whether {@link #tryAcquire} would succeed now (takes nothing). */
    public boolean canAcquire(final long nowNs, final long count)
    {
        refill(nowNs);
        return tokens >= count && windowCount + count <= capacity;
    }

    /** The earliest time at which {@code count} tokens are there, {@code nowNs} if they are now. */
    public long availableAtNs(final long nowNs, final long count)
    {
        refill(nowNs);
        if (count > capacity)
        {
            return Long.MAX_VALUE;
        }
        final long bucketAt = tokens >= count ? nowNs : lastRefillNs + (count - tokens) * nsPerToken;
        final long windowAt = windowCount + count <= capacity ? nowNs : (windowIndex + 1) * intervalNs;
        return Math.max(bucketAt, windowAt);
    }

    /**
     * The venue reports {@code used} of its window: never believe there is more room than it says.
     * Only lowers the tokens; a fresh venue window does not refill the bucket faster than its own rate.
     */
    public void observeUsage(final long nowNs, final long used)
    {
        refill(nowNs);
        if (used > windowCount)
        {
            windowCount = used;
        }
        final long room = Math.max(0, capacity - Math.max(0, used));
        if (room < tokens)
        {
            tokens = room;
        }
    }

    /** Empties the bucket (after a venue's rate-limit rejection, whose window we cannot see). */
    public void drain(final long nowNs)
    {
        refill(nowNs);
        tokens = 0;
        windowCount = capacity;
    }

    private void refill(final long nowNs)
    {
        final long window = nowNs / intervalNs;
        if (window > windowIndex)
        {
            windowIndex = window;
            windowCount = 0;
        }
        if (lastRefillNs == UNSET)
        {
            lastRefillNs = nowNs;
            return;
        }
        if (nowNs <= lastRefillNs)
        {
            return; // time never runs backwards here: an older timestamp refills nothing
        }
        if (tokens >= capacity)
        {
            lastRefillNs = nowNs;
            return;
        }
        final long added = (nowNs - lastRefillNs) / nsPerToken;
        if (added >= capacity - tokens)
        {
            tokens = capacity;
            lastRefillNs = nowNs;
        }
        else
        {
            tokens += added;
            lastRefillNs += added * nsPerToken;
        }
    }

    public LimitKind kind()
    {
        return kind;
    }

    public long intervalNs()
    {
        return intervalNs;
    }

    /** The venue's figure. */
    public long venueLimit()
    {
        return venueLimit;
    }

    /** The venue's figure less the headroom. */
    public long capacity()
    {
        return capacity;
    }

    /** Tokens now (after the last refill). */
    public long tokens()
    {
        return tokens;
    }

    /** Granted (or reported by the venue) in the current aligned window. */
    public long windowCount()
    {
        return windowCount;
    }

    /** Times {@link #tryAcquire} said no. */
    public long refusals()
    {
        return refusals;
    }

    @Override
    public String toString()
    {
        return "TokenBucket[" + kind + " " + venueLimit + "/" + intervalNs + "ns, capacity " + capacity +
            ", tokens " + tokens + "]";
    }
}
