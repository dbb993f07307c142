package mm.feed.binance;

/**
 * Cross-checks the rebuilt book against Binance's bookTicker stream: when a bookTicker's update id equals
 * the final id {@code u} of an applied diff, its best bid/ask price and quantity must equal the book's best
 * right after that diff. The two streams are not ordered with respect to each other, so the last few of each
 * are kept in fixed rings and the check is made whichever arrives second.
 * <p>
 * Both streams carry the venue's book update ids in increasing order, so the rings are merged like sorted
 * lists rather than indexed: an applied diff {@code u} consumes the remembered bookTickers up to {@code u}
 * (none of them can meet a later diff, whose id is higher) and compares the last one with id {@code u}; a
 * bookTicker at or below the last diff's id is looked up in the diff ring by binary search. An id that goes
 * back (a spliced recording, a replayed stretch) starts that ring afresh: the check is best-effort there.
 * Allocation-free after construction.
 */
public final class BookTickerOracle
{
    /** How many mismatches keep their details for error messages. */
    public static final int MAX_MISMATCH_DETAILS = 8;

    private static final int FIELDS = 5; // u, bid, bidQty, ask, askQty

    private final int ringSize;
    /** bookTickers not yet met by a diff, oldest first from {@link #tickerHead}, ids non-decreasing. */
    private final long[] tickers;
    private int tickerHead;
    private int tickerCount;
    /** The last applied diffs, oldest first from {@link #diffHead}, ids increasing. */
    private final long[] diffs;
    private int diffHead;
    private int diffCount;

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
    }

    /** An applied diff whose final id is {@code u}; the prices are the book's best right after it. */
    public void onDiffApplied(final long u, final long bid, final long bidQty, final long ask, final long askQty)
    {
        if (diffCount > 0 && u <= diffs[slot(diffHead, diffCount - 1) * FIELDS])
        {
            diffCount = 0; // the ids went back
        }
        final long[] tickers = this.tickers;
        int matchBase = -1;
        while (tickerCount > 0)
        {
            final int base = tickerHead * FIELDS;
            final long tickerId = tickers[base];
            if (tickerId > u)
            {
                break;
            }
            if (tickerId == u)
            {
                matchBase = base; // several bookTickers may carry the same id: the last one is compared
            }
            tickerHead = slot(tickerHead, 1);
            tickerCount--;
        }
        if (matchBase >= 0)
        {
            // consumed slots are only overwritten by later bookTickers, so the values are still there
            compare(u, tickers[matchBase + 1], tickers[matchBase + 2], tickers[matchBase + 3], tickers[matchBase + 4],
                bid, bidQty, ask, askQty);
        }
        if (diffCount == ringSize)
        {
            diffHead = slot(diffHead, 1);
            diffCount--;
        }
        put(diffs, slot(diffHead, diffCount), u, bid, bidQty, ask, askQty);
        diffCount++;
    }

    /** A bookTicker event with update id {@code u}. */
    public void onBookTicker(final long u, final long bid, final long bidQty, final long ask, final long askQty)
    {
        // most bookTickers come before the diff that ends at their id (diffs are batched): no lookup then
        if (diffCount > 0 && u <= diffs[slot(diffHead, diffCount - 1) * FIELDS])
        {
            final int diffBase = findDiff(u);
            if (diffBase >= 0)
            {
                // several bookTickers may carry the same id: the diff stays remembered for all of them
                compare(u, bid, bidQty, ask, askQty,
                    diffs[diffBase + 1], diffs[diffBase + 2], diffs[diffBase + 3], diffs[diffBase + 4]);
                return;
            }
        }
        if (tickerCount > 0 && u < tickers[slot(tickerHead, tickerCount - 1) * FIELDS])
        {
            tickerCount = 0; // the ids went back
        }
        if (tickerCount == ringSize)
        {
            tickerHead = slot(tickerHead, 1);
            tickerCount--;
        }
        put(tickers, slot(tickerHead, tickerCount), u, bid, bidQty, ask, askQty);
        tickerCount++;
    }

    /** Binary search of the diff ring (ids increasing from its head) for {@code u}: its base index, or -1. */
    private int findDiff(final long u)
    {
        final long[] diffs = this.diffs;
        int low = 0;
        int high = diffCount - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int base = slot(diffHead, mid) * FIELDS;
            final long id = diffs[base];
            if (id < u)
            {
                low = mid + 1;
            }
            else if (id > u)
            {
                high = mid - 1;
            }
            else
            {
                return base;
            }
        }
        return -1;
    }

    /** The ring slot {@code ahead} places after {@code from}. */
    private int slot(final int from, final int ahead)
    {
        final int slot = from + ahead;
        return slot >= ringSize ? slot - ringSize : slot;
    }

    private static void put(
        final long[] ring, final int slot, final long u, final long bid, final long bidQty, final long ask, final long askQty)
    {
        final int base = slot * FIELDS;
        ring[base] = u;
        ring[base + 1] = bid;
        ring[base + 2] = bidQty;
        ring[base + 3] = ask;
        ring[base + 4] = askQty;
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
        tickerHead = 0;
        tickerCount = 0;
        diffHead = 0;
        diffCount = 0;
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
