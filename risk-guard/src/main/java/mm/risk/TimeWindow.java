package mm.risk;

/**
 * Counts events in a sliding time window, allocation-free: the times of the last {@code capacity} events in a
 * ring. A limit of "more than N events within W" needs a capacity of N + 1: the window is breached when the
 * (N+1)-th most recent event is no older than W.
 */
final class TimeWindow
{
    private long[] times;
    private int head;
    private int size;

    TimeWindow(final int capacity)
    {
        times = new long[Math.max(1, capacity)];
    }

    /** Makes room for {@code capacity} events (a runtime limit change); keeps nothing. */
    void capacity(final int capacity)
    {
        if (capacity != times.length)
        {
            times = new long[Math.max(1, capacity)];
            head = 0;
            size = 0;
        }
    }

    void add(final long timeNs)
    {
        times[head] = timeNs;
        head = (head + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /** Events at or after {@code sinceNs}, counting at most the capacity. */
    int countSince(final long sinceNs)
    {
        int count = 0;
        int index = head;
        for (int i = 0; i < size; i++)
        {
            index = index == 0 ? times.length - 1 : index - 1;
            if (times[index] < sinceNs)
            {
                break;
            }
            count++;
        }
        return count;
    }

    void clear()
    {
        head = 0;
        size = 0;
    }
}
