package mm.feed.binance.transport;

/**
 * Request-weight accounting for Binance REST calls. Binance limits REQUEST_WEIGHT per IP per minute (the
 * window resets on the minute, which is what the {@code X-MBX-USED-WEIGHT-1M} response header reports); this
 * budget keeps our own use under a configured share of it. A request that would exceed the budget is
 * refused and counted, never sent. Pure: the caller passes the time. Owned by one thread.
 */
public final class RestWeightBudget
{
    private static final long MINUTE_MS = 60_000;

    private final int weightPerMinute;
    private long minute = Long.MIN_VALUE;
    private int used;
    private long refused;
    private long acquired;

    public RestWeightBudget(final int weightPerMinute)
    {
        if (weightPerMinute < 1)
        {
            throw new IllegalArgumentException("weightPerMinute must be positive: " + weightPerMinute);
        }
        this.weightPerMinute = weightPerMinute;
    }

    /**
     * Weight of {@code GET /api/v3/depth} by its limit (Binance spot docs): 1-100 → 5, 101-500 → 25,
     * 501-1000 → 50, 1001-5000 → 250. Larger limits are capped to 5000 by Binance, so weigh 250.
     */
    public static int depthWeight(final int limit)
    {
        if (limit <= 100)
        {
            return 5;
        }
        if (limit <= 500)
        {
            return 25;
        }
        if (limit <= 1000)
        {
            return 50;
        }
        return 250;
    }

    /** Takes {@code weight} from this minute's budget, or refuses (and counts) when it would not fit. */
    public boolean tryAcquire(final int weight, final long nowMs)
    {
        roll(nowMs);
        if (used + weight > weightPerMinute)
        {
            refused++;
            return false;
        }
        used += weight;
        acquired++;
        return true;
    }

    /**
     * The venue reported the IP's weight used this minute (other processes on the same IP count too): never
     * believe we have used less than that.
     */
    public void onVenueReport(final int usedWeight, final long nowMs)
    {
        roll(nowMs);
        if (usedWeight > used)
        {
            used = usedWeight;
        }
    }

    /** Milliseconds until the window resets. */
    public long msUntilReset(final long nowMs)
    {
        return MINUTE_MS - Math.floorMod(nowMs, MINUTE_MS);
    }

    private void roll(final long nowMs)
    {
        final long m = Math.floorDiv(nowMs, MINUTE_MS);
        if (m != minute)
        {
            minute = m;
            used = 0;
        }
    }

    /** Weight used in the current minute (as of the last call). */
    public int used()
    {
        return used;
    }

    public int weightPerMinute()
    {
        return weightPerMinute;
    }

    /** Requests refused for lack of budget. */
    public long refused()
    {
        return refused;
    }

    public long acquired()
    {
        return acquired;
    }
}
