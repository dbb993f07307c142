package mm.feed.binance;

/**
 * The most recent losses of sync of one book (a broken update-id chain, or a diff that could not be applied
 * exactly), with how long each took to resync. Fixed-size primitive storage: recording never allocates.
 */
public final class GapLog
{
    /** The update-id chain broke: an update was missed. */
    public static final int REASON_GAP = 1;
    /** A diff held a price or quantity that is not exact at the book's scale, so it could not be applied. */
    public static final int REASON_REJECTED_VALUE = 2;

    /** Resync duration of an entry that has not resynced (yet). */
    public static final long NOT_RESYNCED = -1;

    private static final int FIELDS = 7;

    private final int capacity;
    private final long[] entries;
    private long total;

    public GapLog(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        entries = new long[capacity * FIELDS];
    }

    void record(
        final int reason, final long receiveTimeNs, final long expectedId,
        final long receivedFirstId, final long receivedPreviousId, final long receivedLastId)
    {
        final int base = (int)(total % capacity) * FIELDS;
        entries[base] = reason;
        entries[base + 1] = receiveTimeNs;
        entries[base + 2] = expectedId;
        entries[base + 3] = receivedFirstId;
        entries[base + 4] = receivedPreviousId;
        entries[base + 5] = receivedLastId;
        entries[base + 6] = NOT_RESYNCED;
        total++;
    }

    /** Marks the latest entry as resynced at {@code receiveTimeNs}. */
    void resynced(final long receiveTimeNs)
    {
        if (total > 0)
        {
            final int base = base(size() - 1);
            if (entries[base + 6] == NOT_RESYNCED)
            {
                entries[base + 6] = receiveTimeNs - entries[base + 1];
            }
        }
    }

    /** Losses recorded since creation (the log keeps only the last {@link #capacity()}). */
    public long total()
    {
        return total;
    }

    public int capacity()
    {
        return capacity;
    }

    /** Entries held, oldest first at index 0. */
    public int size()
    {
        return (int)Math.min(total, capacity);
    }

    private int base(final int index)
    {
        if (index < 0 || index >= size())
        {
            throw new IndexOutOfBoundsException(index);
        }
        final long first = total - size();
        return (int)((first + index) % capacity) * FIELDS;
    }

    /** {@link #REASON_GAP} or {@link #REASON_REJECTED_VALUE}. */
    public int reason(final int index)
    {
        return (int)entries[base(index)];
    }

    public long receiveTimeNs(final int index)
    {
        return entries[base(index) + 1];
    }

    /** The id the chain needed: previous u + 1 for spot (compared with U), previous u for futures (compared with pu). */
    public long expectedId(final int index)
    {
        return entries[base(index) + 2];
    }

    /** {@code U} of the diff that broke the chain. */
    public long receivedFirstId(final int index)
    {
        return entries[base(index) + 3];
    }

    /** {@code pu} of the diff that broke the chain (futures), or {@link BinanceJsonDecoder#NO_VALUE}. */
    public long receivedPreviousId(final int index)
    {
        return entries[base(index) + 4];
    }

    /** {@code u} of the diff that broke the chain. */
    public long receivedLastId(final int index)
    {
        return entries[base(index) + 5];
    }

    /** Receive-time from the loss to SYNCED again, or {@link #NOT_RESYNCED}. */
    public long resyncDurationNs(final int index)
    {
        return entries[base(index) + 6];
    }
}
