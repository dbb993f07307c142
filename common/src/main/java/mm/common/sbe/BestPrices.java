package mm.common.sbe;

import mm.sbe.BookTopNDecoder;

/**
 * Best bid and ask of a BookTopN message. SBE groups must be walked to their end before the next group can
 * be read, so this reads the first level of each side and steps over the rest.
 */
public final class BestPrices
{
    private long bid;
    private long bidQty;
    private long ask;
    private long askQty;

    /** Reads from a decoder wrapped at the start of its body; leaves it past both groups. */
    public BestPrices read(final BookTopNDecoder book)
    {
        final BookTopNDecoder.BidsDecoder bids = book.bids();
        bid = 0;
        bidQty = 0;
        if (bids.hasNext())
        {
            bids.next();
            bid = bids.price();
            bidQty = bids.qty();
        }
        while (bids.hasNext())
        {
            bids.next();
        }
        final BookTopNDecoder.AsksDecoder asks = book.asks();
        ask = 0;
        askQty = 0;
        if (asks.hasNext())
        {
            asks.next();
            ask = asks.price();
            askQty = asks.qty();
        }
        while (asks.hasNext())
        {
            asks.next();
        }
        return this;
    }

    /** Both sides present. */
    public boolean isTwoSided()
    {
        return bidQty > 0 && askQty > 0;
    }

    public long bid()
    {
        return bid;
    }

    public long bidQty()
    {
        return bidQty;
    }

    public long ask()
    {
        return ask;
    }

    public long askQty()
    {
        return askQty;
    }

    /** Mid price rounded down to a whole mantissa. */
    public long midFloor()
    {
        return Math.floorDiv(bid + ask, 2);
    }
}
