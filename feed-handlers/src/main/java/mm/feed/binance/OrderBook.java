package mm.feed.binance;

import java.util.Arrays;

/**
 * One instrument's full-depth price levels, both sides, as sorted primitive arrays of mantissas.
 * <p>
 * Each side is kept in ascending order of a key with the best level at the END of the array (bids keyed
 * by price, asks by negated price), because almost every update lands near the top of the book: an insert
 * or delete there moves only the few elements after it, and the search gallops from the end. The arrays
 * start at a configurable capacity and double if ever exceeded ({@link #capacityGrowths()} counts it, as
 * that allocates). Prices are mantissas at {@link #priceExponent()}, quantities at {@link #qtyExponent()}.
 */
public final class OrderBook
{
    public static final int BID = 0;
    public static final int ASK = 1;

    /** Best price of an empty side. */
    public static final long NO_PRICE = Long.MIN_VALUE;

    /** Binance's REST snapshot holds up to 5000 levels per side; deeper levels appear only as they change. */
    public static final int DEFAULT_CAPACITY = 8192;

    private final long[][] keys = new long[2][];
    private final long[][] qtys = new long[2][];
    private final int[] counts = new int[2];
    private int priceExponent;
    private int qtyExponent;
    private long updateId;
    private long capacityGrowths;

    public OrderBook()
    {
        this(DEFAULT_CAPACITY, 0, 0);
    }

    public OrderBook(final int capacityPerSide, final int priceExponent, final int qtyExponent)
    {
        if (capacityPerSide < 1)
        {
            throw new IllegalArgumentException("capacityPerSide must be positive: " + capacityPerSide);
        }
        for (int side = 0; side < 2; side++)
        {
            keys[side] = new long[capacityPerSide];
            qtys[side] = new long[capacityPerSide];
        }
        exponents(priceExponent, qtyExponent);
    }

    /** Sets the scale of the mantissas; only meaningful on an empty book. */
    public void exponents(final int priceExponent, final int qtyExponent)
    {
        this.priceExponent = priceExponent;
        this.qtyExponent = qtyExponent;
    }

    public int priceExponent()
    {
        return priceExponent;
    }

    public int qtyExponent()
    {
        return qtyExponent;
    }

    /** Venue update id the book reflects (set by the sync logic), or 0. */
    public long updateId()
    {
        return updateId;
    }

    public void updateId(final long updateId)
    {
        this.updateId = updateId;
    }

    /** Removes every level on both sides. */
    public void clear()
    {
        counts[BID] = 0;
        counts[ASK] = 0;
        updateId = 0;
    }

    /**
     * Sets the quantity at a price: a quantity of 0 deletes the level (a no-op if it is absent).
     *
     * @return false (and no change) if price is not positive or qty is negative.
     */
    public boolean set(final int side, final long price, final long qty)
    {
        if (price <= 0 || qty < 0)
        {
            return false;
        }
        final long key = side == BID ? price : -price;
        final long[] keys = this.keys[side];
        final long[] qtys = this.qtys[side];
        final int count = counts[side];
        final int index = search(keys, count, key);
        if (index >= 0)
        {
            if (qty == 0)
            {
                final int tail = count - index - 1;
                if (tail > 0)
                {
                    System.arraycopy(keys, index + 1, keys, index, tail);
                    System.arraycopy(qtys, index + 1, qtys, index, tail);
                }
                counts[side] = count - 1;
            }
            else
            {
                qtys[index] = qty;
            }
            return true;
        }
        if (qty == 0)
        {
            return true;
        }
        final int insertAt = -index - 1;
        if (count == keys.length)
        {
            grow(side);
        }
        final long[] k = this.keys[side];
        final long[] q = this.qtys[side];
        final int tail = count - insertAt;
        if (tail > 0)
        {
            System.arraycopy(k, insertAt, k, insertAt + 1, tail);
            System.arraycopy(q, insertAt, q, insertAt + 1, tail);
        }
        k[insertAt] = key;
        q[insertAt] = qty;
        counts[side] = count + 1;
        return true;
    }

    /**
     * Finds {@code key} in ascending {@code keys[0, count)}: its index, or {@code -(insertion point) - 1}.
     * Gallops down from the end first, as updates cluster at the top of the book.
     */
    private static int search(final long[] keys, final int count, final long key)
    {
        int high = count; // keys[high, count) are all > key
        int low;
        int step = 1;
        while (true)
        {
            low = count - step;
            if (low <= 0)
            {
                low = 0;
                break;
            }
            if (keys[low] <= key)
            {
                break;
            }
            high = low;
            step <<= 1;
        }
        // Binary search in [low, high).
        int lo = low;
        int hi = high - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final long k = keys[mid];
            if (k < key)
            {
                lo = mid + 1;
            }
            else if (k > key)
            {
                hi = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private void grow(final int side)
    {
        final int newCapacity = keys[side].length * 2;
        keys[side] = Arrays.copyOf(keys[side], newCapacity);
        qtys[side] = Arrays.copyOf(qtys[side], newCapacity);
        capacityGrowths++;
    }

    /** Number of times a side outgrew its capacity (each one allocated). */
    public long capacityGrowths()
    {
        return capacityGrowths;
    }

    /** Current capacity of a side. */
    public int capacity(final int side)
    {
        return keys[side].length;
    }

    public int levels(final int side)
    {
        return counts[side];
    }

    public int bidLevels()
    {
        return counts[BID];
    }

    public int askLevels()
    {
        return counts[ASK];
    }

    /** Price at {@code depth} levels from the top (0 = best), or {@link #NO_PRICE} beyond the book. */
    public long price(final int side, final int depth)
    {
        final int count = counts[side];
        if (depth < 0 || depth >= count)
        {
            return NO_PRICE;
        }
        final long key = keys[side][count - 1 - depth];
        return side == BID ? key : -key;
    }

    /** Quantity at {@code depth} levels from the top (0 = best), or 0 beyond the book. */
    public long qty(final int side, final int depth)
    {
        final int count = counts[side];
        if (depth < 0 || depth >= count)
        {
            return 0;
        }
        return qtys[side][count - 1 - depth];
    }

    public long bestBidPrice()
    {
        return price(BID, 0);
    }

    public long bestBidQty()
    {
        return qty(BID, 0);
    }

    public long bestAskPrice()
    {
        return price(ASK, 0);
    }

    public long bestAskQty()
    {
        return qty(ASK, 0);
    }

    /**
     * Copies up to {@code n} levels from the top of a side, best first.
     *
     * @return the number of levels copied (fewer if the side or the arrays are shorter).
     */
    public int copyTop(final int side, final int n, final long[] prices, final long[] qtys)
    {
        final int count = counts[side];
        final int copied = Math.min(Math.min(n, count), Math.min(prices.length, qtys.length));
        final long[] keys = this.keys[side];
        final long[] sideQtys = this.qtys[side];
        final boolean bid = side == BID;
        for (int i = 0; i < copied; i++)
        {
            final int index = count - 1 - i;
            prices[i] = bid ? keys[index] : -keys[index];
            qtys[i] = sideQtys[index];
        }
        return copied;
    }

    /** True if both sides are present and the best bid is at or above the best ask. */
    public boolean isCrossed()
    {
        return counts[BID] > 0 && counts[ASK] > 0 && bestBidPrice() >= bestAskPrice();
    }

    @Override
    public String toString()
    {
        return "OrderBook{bids=" + counts[BID] + ", asks=" + counts[ASK] +
            ", bestBid=" + bestBidPrice() + "x" + bestBidQty() +
            ", bestAsk=" + bestAskPrice() + "x" + bestAskQty() +
            ", priceExponent=" + priceExponent + ", qtyExponent=" + qtyExponent + ", updateId=" + updateId + '}';
    }
}
