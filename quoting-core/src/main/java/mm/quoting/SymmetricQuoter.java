package mm.quoting;

import mm.common.Instrument;
import mm.common.Ladder;

/**
 * Symmetric quotes around mid with a linear inventory skew: every {@code quoteQty} of inventory moves both
 * quotes {@code skewTicksPerQuoteQty} ticks against the position (long inventory lowers the quotes, so our
 * ask gets hit sooner). Rounding is conservative: bids round down, asks round up, and neither may cross or
 * touch the opposite best.
 */
public final class SymmetricQuoter implements QuotingModel
{
    private final long halfSpreadTicks;
    private final long skewTicksPerQuoteQty;
    private final long quoteQty;

    public SymmetricQuoter(final long halfSpreadTicks, final long skewTicksPerQuoteQty, final long quoteQty)
    {
        this.halfSpreadTicks = halfSpreadTicks;
        this.skewTicksPerQuoteQty = skewTicksPerQuoteQty;
        this.quoteQty = quoteQty;
    }

    public void quote(
        final Instrument instrument, final long bestBid, final long bestAsk, final long position, final Ladder out)
    {
        final long tick = instrument.tickSize();
        // skew in whole ticks, truncated toward zero so a tiny position does not move quotes
        final long skewTicks = position * skewTicksPerQuoteQty / quoteQty;
        final long midFloor = Math.floorDiv(bestBid + bestAsk, 2);
        final long midCeil = -Math.floorDiv(-(bestBid + bestAsk), 2);
        long bid = instrument.floorToTick(midFloor - (halfSpreadTicks + skewTicks) * tick);
        long ask = instrument.ceilToTick(midCeil + (halfSpreadTicks - skewTicks) * tick);
        bid = Math.min(bid, bestAsk - tick);
        ask = Math.max(ask, bestBid + tick);
        if (bid > 0)
        {
            out.addBid(bid, quoteQty);
        }
        out.addAsk(ask, quoteQty);
    }
}
