package mm.gateway.venue;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The adapter's own record of the orders it sent and the venue has not finished, so that each transition is
 * reported once: a venue often says the same thing twice (Binance: the request's response and the execution
 * report; Kite: the REST answer, the ticker's order message and the postback), and a fill is recognised by the
 * cumulative quantity growing, never by counting messages. Slots are reused; the maps are Agrona primitive maps,
 * so steady state allocates nothing. Not thread-safe: owned by the gateway thread.
 */
public final class OrderTable
{
    /** Sent, no answer yet. */
    public static final byte PENDING_NEW = 1;
    /** Acknowledged and resting. */
    public static final byte LIVE = 2;

    private static final long MISSING = -1;

    private final Long2LongHashMap byClOrdId;
    private final Long2LongHashMap byVenueId;
    private long[] clOrdIds;
    private long[] venueIds;
    private int[] instrumentIds;
    private byte[] sides;
    private byte[] states;
    private long[] prices;
    private long[] qtys;
    private long[] cumQtys;
    private long[] cumNotional;
    private long[] cumFees;
    private int[] modifications;
    private int[] freeSlots;
    private int freeCount;
    private int size;

    public OrderTable(final int initialCapacity)
    {
        final int capacity = Math.max(16, initialCapacity);
        byClOrdId = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
        byVenueId = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
        clOrdIds = new long[capacity];
        venueIds = new long[capacity];
        instrumentIds = new int[capacity];
        sides = new byte[capacity];
        states = new byte[capacity];
        prices = new long[capacity];
        qtys = new long[capacity];
        cumQtys = new long[capacity];
        cumNotional = new long[capacity];
        cumFees = new long[capacity];
        modifications = new int[capacity];
        freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    /** Records a new order; returns its slot, or -1 if the id is already in the table. */
    public int add(final long clOrdId, final int instrumentId, final byte side, final long price, final long qty)
    {
        if (byClOrdId.get(clOrdId) != MISSING)
        {
            return -1;
        }
        if (freeCount == 0)
        {
            grow();
        }
        final int slot = freeSlots[--freeCount];
        clOrdIds[slot] = clOrdId;
        venueIds[slot] = 0;
        instrumentIds[slot] = instrumentId;
        sides[slot] = side;
        states[slot] = PENDING_NEW;
        prices[slot] = price;
        qtys[slot] = qty;
        cumQtys[slot] = 0;
        cumNotional[slot] = 0;
        cumFees[slot] = 0;
        modifications[slot] = 0;
        byClOrdId.put(clOrdId, slot);
        size++;
        return slot;
    }

    /** The slot of a client order id, or -1. */
    public int slot(final long clOrdId)
    {
        return (int)byClOrdId.get(clOrdId);
    }

    /** The slot of a venue order id, or -1. */
    public int slotByVenueId(final long venueOrderId)
    {
        return (int)byVenueId.get(venueOrderId);
    }

    public void venueId(final int slot, final long venueOrderId)
    {
        if (venueIds[slot] != 0)
        {
            byVenueId.remove(venueIds[slot]);
        }
        venueIds[slot] = venueOrderId;
        if (venueOrderId != 0)
        {
            byVenueId.put(venueOrderId, slot);
        }
    }

    /** Moves a pending order to live; true only the first time (the caller reports the ack then). */
    public boolean markLive(final int slot)
    {
        if (states[slot] == PENDING_NEW)
        {
            states[slot] = LIVE;
            return true;
        }
        return false;
    }

    /**
     * The venue's cumulative filled quantity: returns what is new since the last report (0 for a repeat or an
     * older message).
     */
    public long advanceCumQty(final int slot, final long cumQty)
    {
        final long last = cumQtys[slot];
        if (cumQty <= last)
        {
            return 0;
        }
        cumQtys[slot] = cumQty;
        return cumQty - last;
    }

    /** Records the cumulative notional (price times quantity mantissas) and returns the previous one. */
    public long swapCumNotional(final int slot, final long notional)
    {
        final long previous = cumNotional[slot];
        cumNotional[slot] = notional;
        return previous;
    }

    /** Adds a reported fill's fee: the order's fees so far are what a status answer's cumulative fee builds on. */
    public void addFee(final int slot, final long fee)
    {
        cumFees[slot] += fee;
    }

    public long cumFee(final int slot)
    {
        return cumFees[slot];
    }

    public void amend(final int slot, final long price, final long qty)
    {
        prices[slot] = price;
        qtys[slot] = qty;
    }

    /** Counts a modification and returns how many the order has had. */
    public int countModification(final int slot)
    {
        return ++modifications[slot];
    }

    public int modifications(final int slot)
    {
        return modifications[slot];
    }

    /** Forgets a finished order. */
    public void remove(final int slot)
    {
        byClOrdId.remove(clOrdIds[slot]);
        if (venueIds[slot] != 0)
        {
            byVenueId.remove(venueIds[slot]);
        }
        states[slot] = 0;
        freeSlots[freeCount++] = slot;
        size--;
    }

    public long clOrdId(final int slot)
    {
        return clOrdIds[slot];
    }

    public long venueId(final int slot)
    {
        return venueIds[slot];
    }

    public int instrumentId(final int slot)
    {
        return instrumentIds[slot];
    }

    public byte side(final int slot)
    {
        return sides[slot];
    }

    public byte state(final int slot)
    {
        return states[slot];
    }

    public long price(final int slot)
    {
        return prices[slot];
    }

    public long qty(final int slot)
    {
        return qtys[slot];
    }

    public long cumQty(final int slot)
    {
        return cumQtys[slot];
    }

    public long leavesQty(final int slot)
    {
        return Math.max(0, qtys[slot] - cumQtys[slot]);
    }

    /** Orders in the table. */
    public int size()
    {
        return size;
    }

    private void grow()
    {
        final int old = clOrdIds.length;
        final int capacity = old * 2;
        clOrdIds = Arrays.copyOf(clOrdIds, capacity);
        venueIds = Arrays.copyOf(venueIds, capacity);
        instrumentIds = Arrays.copyOf(instrumentIds, capacity);
        sides = Arrays.copyOf(sides, capacity);
        states = Arrays.copyOf(states, capacity);
        prices = Arrays.copyOf(prices, capacity);
        qtys = Arrays.copyOf(qtys, capacity);
        cumQtys = Arrays.copyOf(cumQtys, capacity);
        cumNotional = Arrays.copyOf(cumNotional, capacity);
        cumFees = Arrays.copyOf(cumFees, capacity);
        modifications = Arrays.copyOf(modifications, capacity);
        freeSlots = Arrays.copyOf(freeSlots, capacity);
        for (int i = 0; i < old; i++)
        {
            freeSlots[freeCount++] = capacity - 1 - i;
        }
    }
}
