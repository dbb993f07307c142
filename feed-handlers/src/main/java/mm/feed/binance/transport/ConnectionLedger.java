package mm.feed.binance.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The record of connection gaps: when each connection was lost, when frames flowed again, and why, plus a
 * count per reason. Written on connection events only (never per frame), read by the agent, operations and
 * tests; the last {@code capacity} gaps are kept. Thread-safe (connection events are rare).
 */
public final class ConnectionLedger
{
    /** Reconnect time of a gap that has not closed (yet). */
    public static final long OPEN = -1;

    /** One gap: the connection of {@code generation} ended at {@code disconnectTimeNs} (epoch ns). */
    public record Gap(int generation, DisconnectReason reason, long disconnectTimeNs, long reconnectTimeNs, String detail)
    {
        /** Gap length in ms, or -1 while it is open. */
        public long durationMs()
        {
            return reconnectTimeNs == OPEN ? -1 : (reconnectTimeNs - disconnectTimeNs) / 1_000_000;
        }
    }

    private final int capacity;
    private final Gap[] gaps;
    private final long[] countByReason = new long[DisconnectReason.values().length];
    private long total;

    public ConnectionLedger(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.gaps = new Gap[capacity];
    }

    /** A gap opens. {@code detail} must never hold secrets (it is printed). */
    public synchronized void opened(
        final int generation, final DisconnectReason reason, final long disconnectTimeNs, final String detail)
    {
        gaps[(int)(total % capacity)] = new Gap(generation, reason, disconnectTimeNs, OPEN, detail);
        total++;
        countByReason[reason.ordinal()]++;
    }

    /** Frames flow again: closes the latest open gap. */
    public synchronized void closed(final long reconnectTimeNs)
    {
        if (total == 0)
        {
            return;
        }
        final int slot = (int)((total - 1) % capacity);
        final Gap gap = gaps[slot];
        if (gap != null && gap.reconnectTimeNs() == OPEN)
        {
            gaps[slot] = new Gap(gap.generation(), gap.reason(), gap.disconnectTimeNs(), reconnectTimeNs, gap.detail());
        }
    }

    /** Gaps since creation. */
    public synchronized long total()
    {
        return total;
    }

    public synchronized long count(final DisconnectReason reason)
    {
        return countByReason[reason.ordinal()];
    }

    /** The kept gaps, oldest first. */
    public synchronized List<Gap> gaps()
    {
        final List<Gap> list = new ArrayList<>();
        final long first = Math.max(0, total - capacity);
        for (long i = first; i < total; i++)
        {
            list.add(gaps[(int)(i % capacity)]);
        }
        return list;
    }

    /** The latest gap, or null. */
    public synchronized Gap last()
    {
        return total == 0 ? null : gaps[(int)((total - 1) % capacity)];
    }

    @Override
    public synchronized String toString()
    {
        return "ConnectionLedger{total=" + total + ", last=" + last() + "}";
    }
}
