package mm.quoting;

import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.config.Config;

/**
 * Symmetric quotes around fair value with a linear inventory skew: every {@code quoteQty} of inventory moves
 * the ladder {@code skewTicksPerQuoteQty} ticks against the position (long inventory lowers the quotes, so our
 * ask gets hit sooner). The skew is in whole ticks, truncated toward zero, so a small position does not move
 * the quotes. The simple baseline next to {@link AvellanedaStoikovModel}.
 */
public final class SymmetricQuoter implements QuotingModel
{
    public static final String NAME = "symmetric";
    public static final long DEFAULT_HALF_SPREAD_TICKS = 2;
    public static final long DEFAULT_SKEW_TICKS_PER_QUOTE_QTY = 1;

    private final Instrument instrument;
    private final LadderShape shape;
    private final long halfSpreadTicks;
    private final long skewTicksPerQuoteQty;
    private final long quoteQty;

    public SymmetricQuoter(
        final Instrument instrument, final LadderShape shape, final long halfSpreadTicks, final long skewTicksPerQuoteQty)
    {
        this.instrument = instrument;
        this.shape = shape;
        this.halfSpreadTicks = halfSpreadTicks;
        this.skewTicksPerQuoteQty = skewTicksPerQuoteQty;
        this.quoteQty = shape.levelQty(0);
    }

    public void quote(final MarketSignals market, final long position, final long timeNs, final Ladder out)
    {
        final long skewTicks = Math.multiplyExact(position, skewTicksPerQuoteQty) / quoteQty;
        final double reservation = market.fairValue() - (double)skewTicks * instrument.tickSize();
        shape.build(instrument, reservation, halfSpreadTicks, halfSpreadTicks, out);
    }

    /** {@code quoting.model=symmetric}: keys {@code quoting.halfSpreadTicks}, {@code quoting.skewTicksPerQuoteQty}. */
    public static final class Factory implements QuotingModelFactory
    {
        public String name()
        {
            return NAME;
        }

        public QuotingModel create(final Config config, final Instrument instrument, final LadderShape shape)
        {
            return new SymmetricQuoter(
                instrument,
                shape,
                config.longValue("quoting.halfSpreadTicks", DEFAULT_HALF_SPREAD_TICKS, 1, 100_000),
                config.longValue("quoting.skewTicksPerQuoteQty", DEFAULT_SKEW_TICKS_PER_QUOTE_QTY, 0, 100_000));
        }
    }
}
