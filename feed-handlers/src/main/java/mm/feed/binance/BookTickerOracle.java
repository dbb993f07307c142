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

    /** bookTickers not yet met by a diff, oldest first, ids non-decreasing. */
    private final Ring tickers;
    /** The last applied diffs, oldest first, ids increasing. */
    private final Ring diffs;

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
        tickers = new Ring(ringSize);
        diffs = new Ring(ringSize);
    }

    /** An applied diff whose final id is {@code u}; the prices are the book's best right after it. */
    public void onDiffApplied(final long u, final long bid, final long bidQty, final long ask, final long askQty)
    {
        if (diffs.count > 0 && u <= diffs.lastId())
        {
            diffs.clear(); // the ids went back
        }
        final Ring tickers = this.tickers;
        final long[] values = tickers.values;
        int matchBase = -1;
        while (tickers.count > 0)
        {
            final int base = tickers.base(0);
            final long tickerId = values[base];
            if (tickerId > u)
            {
                break;
            }
            if (tickerId == u)
            {
                matchBase = base; // several bookTickers may carry the same id: the last one is compared
            }
            tickers.removeFirst();
        }
        if (matchBase >= 0)
        {
            // removed slots are only overwritten by later bookTickers, so the values are still there
            compare(u, values[matchBase + 1], values[matchBase + 2], values[matchBase + 3], values[matchBase + 4],
                bid, bidQty, ask, askQty);
        }
        diffs.add(u, bid, bidQty, ask, askQty);
    }

    /** A bookTicker event with update id {@code u}. */
    public void onBookTicker(final long u, final long bid, final long bidQty, final long ask, final long askQty)
    {
        // most bookTickers come before the diff that ends at their id (diffs are batched): no lookup then
        if (diffs.count > 0 && u <= diffs.lastId())
        {
            final int diffBase = diffs.find(u);
            if (diffBase >= 0)
            {
                // several bookTickers may carry the same id: the diff stays remembered for all of them
                final long[] values = diffs.values;
                compare(u, bid, bidQty, ask, askQty,
                    values[diffBase + 1], values[diffBase + 2], values[diffBase + 3], values[diffBase + 4]);
                return;
            }
        }
        if (tickers.count > 0 && u < tickers.lastId())
        {
            tickers.clear(); // the ids went back
        }
        tickers.add(u, bid, bidQty, ask, askQty);
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
        tickers.clear();
        diffs.clear();
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

    /** A fixed ring of (u, bid, bidQty, ask, askQty) entries, oldest first; a full ring drops its oldest. */
    private static final class Ring
    {
        final long[] values;
        private final int size;
        private int head;
        int count;

        Ring(final int size)
        {
            this.size = size;
            values = new long[size * FIELDS];
        }

        /** Where the entry {@code index} places after the oldest starts in {@link #values}. */
        int base(final int index)
        {
            final int slot = head + index;
            return (slot >= size ? slot - size : slot) * FIELDS;
        }

        /** The newest entry's id; only when {@code count > 0}. */
        long lastId()
        {
            return values[base(count - 1)];
        }

        void add(final long u, final long bid, final long bidQty, final long ask, final long askQty)
        {
            if (count == size)
            {
                removeFirst();
            }
            final int base = base(count);
            values[base] = u;
            values[base + 1] = bid;
            values[base + 2] = bidQty;
            values[base + 3] = ask;
            values[base + 4] = askQty;
            count++;
        }

        void removeFirst()
        {
            head = head + 1 == size ? 0 : head + 1;
            count--;
        }

        void clear()
        {
            head = 0;
            count = 0;
        }

        /** Binary search (ids increasing from the oldest) for {@code u}: the entry's base index, or -1. */
        int find(final long u)
        {
            int low = 0;
            int high = count - 1;
            while (low <= high)
            {
                final int mid = (low + high) >>> 1;
                final int base = base(mid);
                final long id = values[base];
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
    }
}
