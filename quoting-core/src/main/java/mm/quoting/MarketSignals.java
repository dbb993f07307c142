package mm.quoting;

import mm.common.Instrument;
import mm.sbe.BookTopNDecoder;
import mm.sbe.Side;

/**
 * What the quoting models see of the market: the touch, a size-weighted microprice, order-book imbalance over
 * the top levels, signed trade flow, and volatility as an EWMA of mid changes in event time (one observation
 * per book update, converted to a rate per second with an EWMA of the time between updates, so that the
 * result only depends on message timestamps).
 * <p>
 * Prices here are doubles in the instrument's price mantissa units, as DESIGN §2 allows inside the model;
 * the maths uses {@link StrictMath} only where results could differ between the interpreter and JIT
 * intrinsics, so a replay reproduces every quote bit for bit.
 */
public final class MarketSignals
{
    /** Fair value is the plain mid or the size-weighted microprice, before imbalance and flow adjustments. */
    public enum FairValueBase
    {
        MID, MICROPRICE
    }

    private final Instrument instrument;
    private final double tick;

    private FairValueBase base = FairValueBase.MICROPRICE;
    private int imbalanceLevels = 5;
    private double imbalanceWeightTicks;
    private double tradeFlowWeightTicks;
    private double volAlpha;
    private double flowAlpha;

    private long bestBid;
    private long bestAsk;
    private long bestBidQty;
    private long bestAskQty;
    private boolean twoSided;
    private double imbalance;
    private double signedFlowEwma;
    private double absFlowEwma;

    private long bookUpdates;
    private double lastMid;
    private long lastBookTimeNs;
    private double squaredMidChangeEwma;
    private double intervalNsEwma;

    public MarketSignals(final Instrument instrument)
    {
        this.instrument = instrument;
        this.tick = instrument.tickSize();
        configure(FairValueBase.MICROPRICE, 5, 0, 0, 100, 50);
    }

    /**
     * Parameters that change how signals are read; the accumulated state (volatility, flow) is kept, so a
     * runtime parameter change does not reset what the model has learned.
     */
    public void configure(
        final FairValueBase base,
        final int imbalanceLevels,
        final double imbalanceWeightTicks,
        final double tradeFlowWeightTicks,
        final int volHalfLifeEvents,
        final int tradeFlowHalfLifeEvents)
    {
        this.base = base;
        this.imbalanceLevels = imbalanceLevels;
        this.imbalanceWeightTicks = imbalanceWeightTicks;
        this.tradeFlowWeightTicks = tradeFlowWeightTicks;
        this.volAlpha = alphaForHalfLife(volHalfLifeEvents);
        this.flowAlpha = alphaForHalfLife(tradeFlowHalfLifeEvents);
    }

    /** EWMA weight of a new observation such that an old one's weight halves every {@code halfLife} events. */
    static double alphaForHalfLife(final int halfLifeEvents)
    {
        return 1.0 - StrictMath.pow(0.5, 1.0 / halfLifeEvents);
    }

    /** Reads a book update of this instrument; returns false (and keeps nothing) when the book is one-sided. */
    public boolean onBook(final BookTopNDecoder book, final long timeNs)
    {
        long bidDepth = 0;
        long askDepth = 0;
        long bid = 0;
        long bidQty = 0;
        long ask = 0;
        long askQty = 0;
        int level = 0;
        for (final BookTopNDecoder.BidsDecoder bids = book.bids(); bids.hasNext(); level++)
        {
            bids.next();
            if (level == 0)
            {
                bid = bids.price();
                bidQty = bids.qty();
            }
            if (level < imbalanceLevels)
            {
                bidDepth += bids.qty();
            }
        }
        level = 0;
        for (final BookTopNDecoder.AsksDecoder asks = book.asks(); asks.hasNext(); level++)
        {
            asks.next();
            if (level == 0)
            {
                ask = asks.price();
                askQty = asks.qty();
            }
            if (level < imbalanceLevels)
            {
                askDepth += asks.qty();
            }
        }
        twoSided = bidQty > 0 && askQty > 0 && bid < ask;
        if (!twoSided)
        {
            return false;
        }
        onTouch(bid, bidQty, ask, askQty, (double)(bidDepth - askDepth) / (bidDepth + askDepth), timeNs);
        return true;
    }

    /** The touch of a two-sided book and the imbalance in [-1, 1] (positive: more bids). */
    public void onTouch(
        final long bid, final long bidQty, final long ask, final long askQty, final double imbalance, final long timeNs)
    {
        this.bestBid = bid;
        this.bestAsk = ask;
        this.bestBidQty = bidQty;
        this.bestAskQty = askQty;
        this.imbalance = imbalance;
        this.twoSided = true;
        final double midTicks = (bid + ask) * 0.5 / tick;
        if (bookUpdates > 0)
        {
            final double change = midTicks - lastMid;
            squaredMidChangeEwma += volAlpha * (change * change - squaredMidChangeEwma);
            final long intervalNs = Math.max(0, timeNs - lastBookTimeNs);
            intervalNsEwma += bookUpdates == 1 ? intervalNs : volAlpha * (intervalNs - intervalNsEwma);
        }
        lastMid = midTicks;
        lastBookTimeNs = timeNs;
        bookUpdates++;
    }

    /** The book is no longer valid (feed not synced): fair value is unknown until the next book. */
    public void invalidate()
    {
        twoSided = false;
    }

    /** A public trade of this instrument: updates the signed trade flow. */
    public void onTrade(final long qty, final Side aggressorSide)
    {
        final double signed = aggressorSide == Side.BUY ? qty : -qty;
        signedFlowEwma += flowAlpha * (signed - signedFlowEwma);
        absFlowEwma += flowAlpha * (Math.abs(signed) - absFlowEwma);
    }

    public Instrument instrument()
    {
        return instrument;
    }

    public boolean isTwoSided()
    {
        return twoSided;
    }

    public long bestBid()
    {
        return bestBid;
    }

    public long bestAsk()
    {
        return bestAsk;
    }

    public long bestBidQty()
    {
        return bestBidQty;
    }

    public long bestAskQty()
    {
        return bestAskQty;
    }

    public double mid()
    {
        return (bestBid + bestAsk) * 0.5;
    }

    /** Size-weighted mid: leans towards the side with less size, where the next trade is likelier to move. */
    public double microprice()
    {
        return (bestBid * (double)bestAskQty + bestAsk * (double)bestBidQty) / ((double)bestBidQty + bestAskQty);
    }

    /** Depth imbalance over the top levels in [-1, 1]; positive when bids outweigh asks. */
    public double imbalance()
    {
        return imbalance;
    }

    /** Signed trade flow in [-1, 1]: EWMA of signed aggressor quantity over EWMA of absolute quantity. */
    public double tradeFlow()
    {
        return absFlowEwma > 0 ? signedFlowEwma / absFlowEwma : 0;
    }

    /** Fair value in price mantissa units: the base plus the imbalance and trade-flow adjustments. */
    public double fairValue()
    {
        final double basePrice = base == FairValueBase.MID ? mid() : microprice();
        return basePrice + (imbalanceWeightTicks * imbalance + tradeFlowWeightTicks * tradeFlow()) * tick;
    }

    /** EWMA of the squared mid change per book update, in ticks squared. */
    public double varianceTicksPerEvent()
    {
        return squaredMidChangeEwma;
    }

    /** Variance rate in ticks squared per second; 0 until two updates with time between them were seen. */
    public double varianceTicksPerSecond()
    {
        return intervalNsEwma > 0 ? squaredMidChangeEwma * 1e9 / intervalNsEwma : 0;
    }

    public long bookUpdates()
    {
        return bookUpdates;
    }
}
