package mm.feed.binance.transport;

/**
 * At most {@code maxPerWindow} messages in any window of {@code windowMs}, spaced at least
 * {@code windowMs / maxPerWindow} apart: Binance disconnects (and may ban) a client that sends more than 5
 * messages a second, pings, pongs and subscription commands alike, and counts them on arrival, where network
 * jitter can bunch a burst together with the next one. Spacing the sends keeps the arrivals under the limit
 * unless the jitter is larger than the spacing. Pure and allocation-free; owned by one thread.
 */
public final class OutboundRateLimiter
{
    private final long windowMs;
    private final long spacingMs;
    private final long[] sentAtMs;
    private int next;
    private long lastSentMs = Long.MIN_VALUE / 2;
    private long sent;

    public OutboundRateLimiter(final int maxPerWindow, final long windowMs)
    {
        if (maxPerWindow < 1 || windowMs < 1)
        {
            throw new IllegalArgumentException("maxPerWindow and windowMs must be positive");
        }
        this.windowMs = windowMs;
        this.spacingMs = windowMs / maxPerWindow;
        this.sentAtMs = new long[maxPerWindow];
        java.util.Arrays.fill(sentAtMs, Long.MIN_VALUE / 2);
    }

    /** Milliseconds until one more message may be sent; 0 means now. */
    public long delayMs(final long nowMs)
    {
        final long oldest = sentAtMs[next];
        return Math.max(0, Math.max(oldest + windowMs, lastSentMs + spacingMs) - nowMs);
    }

    /** Takes a slot if one is free now. */
    public boolean tryAcquire(final long nowMs)
    {
        if (delayMs(nowMs) > 0)
        {
            return false;
        }
        sentAtMs[next] = nowMs;
        next = next + 1 == sentAtMs.length ? 0 : next + 1;
        lastSentMs = nowMs;
        sent++;
        return true;
    }

    public long sent()
    {
        return sent;
    }
}
