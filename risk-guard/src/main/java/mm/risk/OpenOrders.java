package mm.risk;

import org.agrona.collections.Long2LongHashMap;

/**
 * Orders working at the venue as the execution reports tell it (NEW adds, a fill reduces, the last fill,
 * a cancel, a reject or an expiry removes), for the post-mortem's "open orders". Fixed capacity,
 * allocation-free; orders beyond it are counted in {@link #overflowCount()} and not listed.
 */
final class OpenOrders
{
    static final int CAPACITY = 4096;

    private final Long2LongHashMap slotByClOrdId = new Long2LongHashMap(CAPACITY * 2, 0.65f, -1);
    final long[] clOrdId = new long[CAPACITY];
    final int[] instrumentId = new int[CAPACITY];
    final boolean[] buy = new boolean[CAPACITY];
    final long[] price = new long[CAPACITY];
    final long[] leavesQty = new long[CAPACITY];
    final boolean[] used = new boolean[CAPACITY];
    private final int[] free = new int[CAPACITY];
    private int freeCount;
    private int size;
    private long overflowCount;

    OpenOrders()
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            free[i] = CAPACITY - 1 - i;
        }
        freeCount = CAPACITY;
    }

    void onLive(final long orderId, final int instrument, final boolean isBuy, final long orderPrice, final long leaves)
    {
        long slot = slotByClOrdId.get(orderId);
        if (slot < 0)
        {
            if (freeCount == 0)
            {
                overflowCount++;
                return;
            }
            slot = free[--freeCount];
            slotByClOrdId.put(orderId, slot);
            size++;
        }
        final int i = (int)slot;
        used[i] = true;
        clOrdId[i] = orderId;
        instrumentId[i] = instrument;
        buy[i] = isBuy;
        price[i] = orderPrice;
        leavesQty[i] = leaves;
    }

    void onDone(final long orderId)
    {
        final long slot = slotByClOrdId.remove(orderId);
        if (slot >= 0)
        {
            used[(int)slot] = false;
            free[freeCount++] = (int)slot;
            size--;
        }
    }

    int size()
    {
        return size;
    }

    long overflowCount()
    {
        return overflowCount;
    }
}
