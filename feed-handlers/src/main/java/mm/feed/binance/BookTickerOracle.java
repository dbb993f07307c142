package mm.feed.binance;

import org.agrona.collections.Long2LongHashMap;

/**
 * Cross-checks the rebuilt book against Binance's bookTicker stream: when a bookTicker's update id equals
 * the final id {@code u} of an applied diff, its best bid/ask price and quantity must equal the book's best
 * right after that diff. The two streams are not ordered with respect to each other, so the last few of each
 * are kept in fixed rings indexed by update id and the check is made whichever arrives second.
 * Allocation-free after construction.
 */
public final class BookTickerOracle
{
    /** How many mismatches keep their details for error messages. */
    public static final int MAX_MISMATCH_DETAILS = 8;

    private static final int FIELDS = 5; // u, bid, bidQty, ask, askQty
    private static final long MISSING = -1;

    private final int ringSize;
    private final long[] tickers;
    private final long[] diffs;
    private final Long2LongHashMap tickerSlotById;
    private final Long2LongHashMap diffSlotById;
    private int nextTicker;
    private int nextDiff;
    /** The highest id of a diff remembered since the last reset: a bookTicker above it has no diff to meet yet. */
    private long highestDiffId = MISSING;

    private long checks;
    private long mismatches;
    private final long[] mismatchDetails = new long[MAX_MISMATCH_DETAILS * 2 * FIELDS];

    /** @param ringSize how many recent bookTickers and applied diffs to remember, each. */
    public BookTickerOracle(final int ringSize)
    {
        if (ringSize < 1)
        {
            throw new IllegalArgumentException("ringSize must be positive: " + ringSize);
        }
        this.ringSize = ringSize;
        tickers = new long[ringSize * FIELDS];
        diffs = new long[ringSize * FIELDS];
        // Sized so that the ring's worth of keys never triggers a rehash (which would allocate).
        tickerSlotById = new Long2LongHashMap(ringSize * 4, 0.5f, MISSING);
        diffSlotById = new Long2LongHashMap(ringSize * 4, 0.5f, MISSING);
        java.util.Arrays.fill(tickers, MISSING);
        java.util.Arrays.fill(diffs, MISSING);
    }

    /** An applied diff whose final id is {@code u}; the prices are the book's best right after it. */
    public void onDiffApplied(final long u, final long bid, final long bidQty, final long ask, final long askQty)
    {
        final long tickerSlot = tickerSlotById.get(u);
        if (tickerSlot != MISSING)
        {
            final int base = (int)tickerSlot * FIELDS;
            compare(u, tickers[base + 1], tickers[base + 2], tickers[base + 3], tickers[base + 4],
                bid, bidQty, ask, askQty);
            tickerSlotById.remove(u);
            tickers[base] = MISSING;
        }
        nextDiff = store(diffs, diffSlotById, nextDiff, u, bid, bidQty, ask, askQty);
        highestDiffId = Math.max(highestDiffId, u);
    }

    /** A bookTicker event with update id {@code u}. */
    public void onBookTicker(final long u, final long bid, final long bidQty, final long ask, final long askQty)
    {
        // most bookTickers come before the diff that ends at their id (diffs are batched): skip the lookup then
        final long diffSlot = u > highestDiffId ? MISSING : diffSlotById.get(u);
        if (diffSlot != MISSING)
        {
            // Several bookTickers may carry the same id: the diff stays remembered for all of them.
            final int base = (int)diffSlot * FIELDS;
            compare(u, bid, bidQty, ask, askQty, diffs[base + 1], diffs[base + 2], diffs[base + 3], diffs[base + 4]);
            return;
        }
        nextTicker = store(tickers, tickerSlotById, nextTicker, u, bid, bidQty, ask, askQty);
    }

    private int store(
        final long[] ring, final Long2LongHashMap index, final int slot,
        final long u, final long bid, final long bidQty, final long ask, final long askQty)
    {
        final int base = slot * FIELDS;
        final long evicted = ring[base];
        if (evicted != MISSING && index.get(evicted) == slot)
        {
            index.remove(evicted);
        }
        ring[base] = u;
        ring[base + 1] = bid;
        ring[base + 2] = bidQty;
        ring[base + 3] = ask;
        ring[base + 4] = askQty;
        index.put(u, slot);
        return slot + 1 == ringSize ? 0 : slot + 1;
    }

    private void compare(
        final long u,
        final long tickerBid, final long tickerBidQty, final long tickerAsk, final long tickerAskQty,
        final long bookBid, final long bookBidQty, final long bookAsk, final long bookAskQty)
    {
        checks++;
        if (tickerBid == bookBid && tickerBidQty == bookBidQty && tickerAsk == bookAsk && tickerAskQty == bookAskQty)
        {
            return;
        }
        if (mismatches < MAX_MISMATCH_DETAILS)
        {
            final int base = (int)mismatches * 2 * FIELDS;
            final long[] d = mismatchDetails;
            d[base] = u;
            d[base + 1] = tickerBid;
            d[base + 2] = tickerBidQty;
            d[base + 3] = tickerAsk;
            d[base + 4] = tickerAskQty;
            d[base + 5] = u;
            d[base + 6] = bookBid;
            d[base + 7] = bookBidQty;
            d[base + 8] = bookAsk;
            d[base + 9] = bookAskQty;
        }
        mismatches++;
    }

    /** Forgets everything remembered (not the counters). */
    public void reset()
    {
        tickerSlotById.clear();
        diffSlotById.clear();
        java.util.Arrays.fill(tickers, MISSING);
        java.util.Arrays.fill(diffs, MISSING);
        nextTicker = 0;
        nextDiff = 0;
        highestDiffId = MISSING;
    }

    /** Number of (bookTicker, applied diff) pairs with equal update ids that were compared. */
    public long checks()
    {
        return checks;
    }

    public long mismatches()
    {
        return mismatches;
    }

    /**
     * Describes one of the first {@link #MAX_MISMATCH_DETAILS} mismatches; allocates, for error messages.
     *
     * @param index 0-based, below {@code min(mismatches(), MAX_MISMATCH_DETAILS)}.
     * @param priceExponent the exponent prices were parsed at.
     * @param qtyExponent the exponent quantities were parsed at.
     */
    public String mismatchDescription(final int index, final int priceExponent, final int qtyExponent)
    {
        if (index < 0 || index >= Math.min(mismatches, MAX_MISMATCH_DETAILS))
        {
            throw new IndexOutOfBoundsException(index);
        }
        final int base = index * 2 * FIELDS;
        final long[] d = mismatchDetails;
        return "u=" + d[base] +
            " bookTicker bid " + text(d[base + 1], priceExponent) + " x " + text(d[base + 2], qtyExponent) +
            " ask " + text(d[base + 3], priceExponent) + " x " + text(d[base + 4], qtyExponent) +
            " but book bid " + text(d[base + 6], priceExponent) + " x " + text(d[base + 7], qtyExponent) +
            " ask " + text(d[base + 8], priceExponent) + " x " + text(d[base + 9], qtyExponent);
    }

    private static String text(final long mantissa, final int exponent)
    {
        return mantissa == OrderBook.NO_PRICE ? "none" : mm.common.Decimals.toString(mantissa, exponent);
    }
}
