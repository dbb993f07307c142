package mm.quoting;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.config.Config;
import mm.common.config.ConfigException;

import java.util.TreeMap;

/**
 * Settings of the quoting agent: the instrument, the lockstep flag and the {@code quoting.*} parameters,
 * validated in {@link #conclude()}. Built from a config file ({@link #fromConfig}) or, in tests, with fluent
 * setters that take the same keys.
 */
public final class QuotingContext
{
    private Instrument instrument;
    private Config config;
    private final TreeMap<String, String> values = new TreeMap<>();
    private boolean lockstep = true;
    private QuotingParameters parameters;

    public static QuotingContext fromConfig(final Config config, final InstrumentRegistry registry)
    {
        final QuotingContext context = new QuotingContext();
        final int instrumentId = config.intValue(QuotingParameters.INSTRUMENT_KEY, 1, 1, Integer.MAX_VALUE);
        final Instrument instrument = registry.get(instrumentId);
        if (instrument == null)
        {
            throw new ConfigException(QuotingParameters.INSTRUMENT_KEY, String.valueOf(instrumentId),
                "must be an id from instrument.<id>.*");
        }
        context.instrument = instrument;
        context.config = config;
        return context.conclude();
    }

    public QuotingContext conclude()
    {
        if (instrument == null)
        {
            throw new ConfigException(QuotingParameters.INSTRUMENT_KEY, null, "is required");
        }
        // reading the caller's own config marks the keys read, so its unknown-key check knows them
        final Config source = config == null ? new Config(values, "(context)") :
            values.isEmpty() ? config : config.withOverrides(values);
        parameters = QuotingParameters.read(source, instrument);
        return this;
    }

    public QuotingContext instrument(final Instrument instrument)
    {
        this.instrument = instrument;
        return this;
    }

    /** Sets one {@code quoting.*} key as a config file would. */
    public QuotingContext set(final String key, final String value)
    {
        values.put(key, value);
        return this;
    }

    /** {@code quoting.quoteQty} as a mantissa at the instrument's quantity exponent. */
    public QuotingContext quoteQty(final long quoteQty)
    {
        if (instrument == null)
        {
            throw new IllegalStateException("set the instrument first");
        }
        return set("quoting.quoteQty", Decimals.toString(quoteQty, instrument.qtyExponent()));
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

    /** The validated parameters; available after {@link #conclude()}. */
    public QuotingParameters parameters()
    {
        return parameters;
    }
}
