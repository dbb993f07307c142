package mm.quoting;

import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.config.Config;
import mm.common.config.ConfigException;

/**
 * Settings of the quoting agent, read and validated once from config ({@code quoting.*} keys).
 */
public final class QuotingContext
{
    public static final long DEFAULT_HALF_SPREAD_TICKS = 2;
    public static final long DEFAULT_SKEW_TICKS_PER_QUOTE_QTY = 1;

    private Instrument instrument;
    private long halfSpreadTicks = DEFAULT_HALF_SPREAD_TICKS;
    private long skewTicksPerQuoteQty = DEFAULT_SKEW_TICKS_PER_QUOTE_QTY;
    private long quoteQty;
    private boolean lockstep = true;

    public static QuotingContext fromConfig(final Config config, final InstrumentRegistry registry)
    {
        final QuotingContext context = new QuotingContext();
        final int instrumentId = config.intValue("quoting.instrument", 1, 1, Integer.MAX_VALUE);
        final Instrument instrument = registry.get(instrumentId);
        if (instrument == null)
        {
            throw new ConfigException("quoting.instrument", String.valueOf(instrumentId), "must be an id from instrument.<id>.*");
        }
        context.instrument = instrument;
        context.halfSpreadTicks = config.longValue("quoting.halfSpreadTicks", DEFAULT_HALF_SPREAD_TICKS, 1, 100_000);
        context.skewTicksPerQuoteQty = config.longValue(
            "quoting.skewTicksPerQuoteQty", DEFAULT_SKEW_TICKS_PER_QUOTE_QTY, 0, 100_000);
        context.quoteQty = config.decimal("quoting.quoteQty", null, instrument.qtyExponent(), 1);
        if (context.quoteQty % instrument.lotSize() != 0)
        {
            throw new ConfigException("quoting.quoteQty", config.raw("quoting.quoteQty"), "must be a multiple of the lot size");
        }
        return context.conclude();
    }

    public QuotingContext conclude()
    {
        if (instrument == null)
        {
            throw new ConfigException("quoting.instrument", null, "is required");
        }
        if (quoteQty <= 0)
        {
            throw new ConfigException("quoting.quoteQty", String.valueOf(quoteQty), "must be positive");
        }
        return this;
    }

    public QuotingContext instrument(final Instrument instrument)
    {
        this.instrument = instrument;
        return this;
    }

    public QuotingContext halfSpreadTicks(final long halfSpreadTicks)
    {
        this.halfSpreadTicks = halfSpreadTicks;
        return this;
    }

    public QuotingContext skewTicksPerQuoteQty(final long skewTicksPerQuoteQty)
    {
        this.skewTicksPerQuoteQty = skewTicksPerQuoteQty;
        return this;
    }

    public QuotingContext quoteQty(final long quoteQty)
    {
        this.quoteQty = quoteQty;
        return this;
    }

    public QuotingContext lockstep(final boolean lockstep)
    {
        this.lockstep = lockstep;
        return this;
    }

    public Instrument instrument()
    {
        return instrument;
    }

    public boolean lockstep()
    {
        return lockstep;
    }

    public QuotingModel newModel()
    {
        return new SymmetricQuoter(halfSpreadTicks, skewTicksPerQuoteQty, quoteQty);
    }
}
