package mm.quoting;

import mm.common.Instrument;
import mm.common.Ladder;

/**
 * The shape every built-in model shares: how many levels a side, the spacing between them, the size of each,
 * and the clamp on the half-spread. Sizes are computed once, when parameters are set, so building a ladder
 * is integer work plus one rounding per level.
 * <p>
 * Rounding is conservative: a bid never rounds to a higher price, an ask never to a lower one, and a size
 * never rounds up, so a quote is never better for the market than the model intended.
 */
public final class LadderShape
{
    /** How level sizes grow away from the touch. */
    public enum SizeShape
    {
        /** Every level quotes {@code quoteQty}. */
        FLAT,
        /** Level i quotes {@code quoteQty * (1 + i * sizeGrowth)}. */
        LINEAR,
        /** Level i quotes {@code quoteQty * sizeGrowth^i}. */
        GEOMETRIC
    }

    private final int levels;
    private final long levelSpacingTicks;
    private final long minHalfSpreadTicks;
    private final long maxHalfSpreadTicks;
    private final long[] levelQtys;

    public LadderShape(
        final Instrument instrument,
        final int levels,
        final long levelSpacingTicks,
        final long quoteQty,
        final SizeShape sizeShape,
        final double sizeGrowth,
        final long minHalfSpreadTicks,
        final long maxHalfSpreadTicks)
    {
        this.levels = levels;
        this.levelSpacingTicks = levelSpacingTicks;
        this.minHalfSpreadTicks = minHalfSpreadTicks;
        this.maxHalfSpreadTicks = maxHalfSpreadTicks;
        this.levelQtys = new long[levels];
        for (int i = 0; i < levels; i++)
        {
            final double factor = switch (sizeShape)
            {
                case FLAT -> 1.0;
                case LINEAR -> 1.0 + i * sizeGrowth;
                case GEOMETRIC -> StrictMath.pow(sizeGrowth, i);
            };
            // at least one lot: a shape that shrinks sizes must not silently drop far levels
            levelQtys[i] = Math.max(instrument.lotSize(), instrument.floorToLot((long)(quoteQty * factor)));
        }
    }

    public int levels()
    {
        return levels;
    }

    public long levelQty(final int level)
    {
        return levelQtys[level];
    }

    public long levelSpacingTicks()
    {
        return levelSpacingTicks;
    }

    public long minHalfSpreadTicks()
    {
        return minHalfSpreadTicks;
    }

    public long maxHalfSpreadTicks()
    {
        return maxHalfSpreadTicks;
    }

    /** A half-spread in ticks clamped to [minHalfSpreadTicks, maxHalfSpreadTicks]. */
    public double clampHalfSpreadTicks(final double halfSpreadTicks)
    {
        return Math.min(maxHalfSpreadTicks, Math.max(minHalfSpreadTicks, halfSpreadTicks));
    }

    /**
     * Adds the ladder around a reservation price: level 0 of each side at the clamped half-spread from it,
     * further levels {@code levelSpacingTicks} apart.
     *
     * @param reservation      centre price, price mantissa units.
     * @param bidHalfSpreadTicks distance of the best bid below the centre, in ticks, before clamping.
     * @param askHalfSpreadTicks distance of the best ask above the centre, in ticks, before clamping.
     */
    public void build(
        final Instrument instrument,
        final double reservation,
        final double bidHalfSpreadTicks,
        final double askHalfSpreadTicks,
        final Ladder out)
    {
        final long tick = instrument.tickSize();
        final double bidTop = reservation - clampHalfSpreadTicks(bidHalfSpreadTicks) * tick;
        final double askTop = reservation + clampHalfSpreadTicks(askHalfSpreadTicks) * tick;
        final long bid0 = floorToTick(bidTop, tick);
        final long ask0 = ceilToTick(askTop, tick);
        for (int i = 0; i < levels; i++)
        {
            final long bid = bid0 - i * levelSpacingTicks * tick;
            if (bid > 0)
            {
                out.addBid(bid, levelQtys[i]);
            }
            out.addAsk(ask0 + i * levelSpacingTicks * tick, levelQtys[i]);
        }
    }

    /** Highest tick multiple at or below a fractional price. */
    static long floorToTick(final double price, final long tick)
    {
        return (long)Math.floor(price / tick) * tick;
    }

    /** Lowest tick multiple at or above a fractional price. */
    static long ceilToTick(final double price, final long tick)
    {
        return (long)Math.ceil(price / tick) * tick;
    }
}
