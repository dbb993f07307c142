package mm.gateway;

import mm.common.Decimals;
import mm.sbe.Side;
import mm.sbe.VenueRejectReason;

/**
 * A deterministic simulated venue. It acknowledges orders at once, rejects post-only orders that would
 * cross its last seen book, and fills a resting order when a recorded public trade trades through its price
 * (strictly better than the order's price: a conservative fill rule that needs no queue model). Resting
 * orders fill in arrival order. It reads time only from its callers.
 */
public final class SimVenue
{
    /** What the venue reports back; the gateway turns these into ExecutionReports. */
    public interface Listener
    {
        void onAck(long clOrdId, long timeNs);

        void onCanceled(long clOrdId, long leavesQty, long timeNs);

        void onRejected(long clOrdId, VenueRejectReason reason, long timeNs);

        void onFill(long clOrdId, long lastPrice, long lastQty, long leavesQty, long fee, long tradeId, long timeNs);
    }

    private static final int INITIAL_CAPACITY = 64;

    private final Listener listener;
    private final long makerFeePpm;
    private long[] clOrdIds = new long[INITIAL_CAPACITY];
    private int[] instrumentIds = new int[INITIAL_CAPACITY];
    private byte[] sides = new byte[INITIAL_CAPACITY];
    private long[] prices = new long[INITIAL_CAPACITY];
    private long[] leaves = new long[INITIAL_CAPACITY];
    private int restingCount;
    private long bestBid;
    private long bestAsk;
    private int bookInstrumentId;

    /**
     * @param makerFeePpm maker fee in parts per million of notional, charged on every fill (all sim fills
     *                    are maker fills: our orders rest).
     */
    public SimVenue(final Listener listener, final long makerFeePpm)
    {
        this.listener = listener;
        this.makerFeePpm = makerFeePpm;
    }

    public void onBook(final int instrumentId, final long bestBid, final long bestAsk)
    {
        this.bookInstrumentId = instrumentId;
        this.bestBid = bestBid;
        this.bestAsk = bestAsk;
    }

    public void newOrder(
        final long timeNs,
        final int instrumentId,
        final long clOrdId,
        final Side side,
        final long price,
        final long qty,
        final boolean postOnly)
    {
        if (qty <= 0 || price <= 0)
        {
            listener.onRejected(clOrdId, VenueRejectReason.INVALID_ORDER, timeNs);
            return;
        }
        if (postOnly && instrumentId == bookInstrumentId &&
            ((side == Side.BUY && bestAsk > 0 && price >= bestAsk) || (side == Side.SELL && price <= bestBid)))
        {
            listener.onRejected(clOrdId, VenueRejectReason.POST_ONLY_WOULD_CROSS, timeNs);
            return;
        }
        ensureCapacity();
        clOrdIds[restingCount] = clOrdId;
        instrumentIds[restingCount] = instrumentId;
        sides[restingCount] = (byte)side.value();
        prices[restingCount] = price;
        leaves[restingCount] = qty;
        restingCount++;
        listener.onAck(clOrdId, timeNs);
    }

    public void cancel(final long timeNs, final long clOrdId)
    {
        final int index = indexOf(clOrdId);
        if (index < 0)
        {
            listener.onRejected(clOrdId, VenueRejectReason.UNKNOWN_ORDER, timeNs);
            return;
        }
        final long leavesQty = leaves[index];
        remove(index);
        listener.onCanceled(clOrdId, leavesQty, timeNs);
    }

    /** A public trade: fills resting orders it trades through, oldest first, up to the trade's quantity. */
    public void onTrade(final int instrumentId, final long tradeId, final long price, final long qty, final long timeNs)
    {
        long remaining = qty;
        int i = 0;
        while (i < restingCount && remaining > 0)
        {
            final boolean through = instrumentIds[i] == instrumentId &&
                (sides[i] == Side.BUY.value() ? price < prices[i] : price > prices[i]);
            if (!through)
            {
                i++;
                continue;
            }
            final long fillQty = Math.min(leaves[i], remaining);
            final long fillPrice = prices[i];
            remaining -= fillQty;
            leaves[i] -= fillQty;
            final long clOrdId = clOrdIds[i];
            final long leavesQty = leaves[i];
            if (leavesQty == 0)
            {
                remove(i);
            }
            else
            {
                i++;
            }
            listener.onFill(clOrdId, fillPrice, fillQty, leavesQty, fee(fillPrice, fillQty), tradeId, timeNs);
        }
    }

    public int restingCount()
    {
        return restingCount;
    }

    /** Fee at the money exponent, rounded up: the venue never charges less than the rate. */
    private long fee(final long price, final long qty)
    {
        final long notional = Decimals.multiplyExact(price, qty);
        final long scaled = Decimals.multiplyExact(notional, makerFeePpm);
        if (notional == Decimals.INVALID || scaled == Decimals.INVALID)
        {
            throw new ArithmeticException("fee overflows 63 bits: price " + price + " qty " + qty);
        }
        return -Math.floorDiv(-scaled, 1_000_000L);
    }

    private int indexOf(final long clOrdId)
    {
        for (int i = 0; i < restingCount; i++)
        {
            if (clOrdIds[i] == clOrdId)
            {
                return i;
            }
        }
        return -1;
    }

    private void remove(final int index)
    {
        final int tail = restingCount - index - 1;
        System.arraycopy(clOrdIds, index + 1, clOrdIds, index, tail);
        System.arraycopy(instrumentIds, index + 1, instrumentIds, index, tail);
        System.arraycopy(sides, index + 1, sides, index, tail);
        System.arraycopy(prices, index + 1, prices, index, tail);
        System.arraycopy(leaves, index + 1, leaves, index, tail);
        restingCount--;
    }

    private void ensureCapacity()
    {
        if (restingCount == clOrdIds.length)
        {
            final int capacity = clOrdIds.length * 2;
            clOrdIds = java.util.Arrays.copyOf(clOrdIds, capacity);
            instrumentIds = java.util.Arrays.copyOf(instrumentIds, capacity);
            sides = java.util.Arrays.copyOf(sides, capacity);
            prices = java.util.Arrays.copyOf(prices, capacity);
            leaves = java.util.Arrays.copyOf(leaves, capacity);
        }
    }
}
