package mm.quoting;

import mm.common.Instrument;
import mm.common.config.Config;
import mm.common.config.ConfigException;

import java.util.Map;

/**
 * Every runtime-changeable quoting setting, read from config with its rule. The same reading validates the
 * config file at startup and a {@code ParameterChange} at runtime ({@link #withChange}), so a value that
 * would stop startup is also the value a runtime change is rejected for, with the same message.
 */
public final class QuotingParameters
{
    public static final String PREFIX = "quoting.";
    static final String INSTRUMENT_KEY = "quoting.instrument";

    private final Config config;
    private final Instrument instrument;
    private final String modelName;
    private final QuotingModel model;
    private final LadderShape shape;
    private final boolean postOnly;
    private final long maxPosition;
    private final MarketSignals.FairValueBase fairValueBase;
    private final int imbalanceLevels;
    private final double imbalanceWeightTicks;
    private final double tradeFlowWeightTicks;
    private final int volHalfLifeEvents;
    private final int tradeFlowHalfLifeEvents;
    private final long refreshToleranceTicks;
    private final long maxQuoteAgeNs;
    private final long levelHysteresisTicks;
    private final boolean hangingOrders;
    private final long hangingMaxDistanceTicks;

    private QuotingParameters(final Config config, final Instrument instrument)
    {
        this.config = config;
        this.instrument = instrument;
        final int qtyExponent = instrument.qtyExponent();
        final long quoteQty = config.decimal("quoting.quoteQty", null, qtyExponent, 1);
        if (quoteQty % instrument.lotSize() != 0)
        {
            throw new ConfigException("quoting.quoteQty", config.raw("quoting.quoteQty"), "must be a multiple of the lot size");
        }
        final long minHalfSpreadTicks = config.longValue("quoting.minHalfSpreadTicks", 1, 1, 1_000_000);
        final long maxHalfSpreadTicks = config.longValue("quoting.maxHalfSpreadTicks", 10_000, 1, 1_000_000);
        if (maxHalfSpreadTicks < minHalfSpreadTicks)
        {
            throw new ConfigException("quoting.maxHalfSpreadTicks", String.valueOf(maxHalfSpreadTicks),
                "must be at least quoting.minHalfSpreadTicks (" + minHalfSpreadTicks + ")");
        }
        shape = new LadderShape(
            instrument,
            config.intValue("quoting.levels", 1, 1, mm.common.Ladder.MAX_LEVELS - 1),
            config.longValue("quoting.levelSpacingTicks", 1, 1, 1_000_000),
            quoteQty,
            config.enumValue("quoting.sizeShape", LadderShape.SizeShape.class, LadderShape.SizeShape.FLAT),
            config.doubleValue("quoting.sizeGrowth", 1.0, 0, 100),
            minHalfSpreadTicks,
            maxHalfSpreadTicks);
        postOnly = config.bool("quoting.postOnly", true);
        // the quoting side of the risk limit: defaults to the risk guard's, so quotes that risk would clip are
        // not sent in the first place
        final String ownMax = config.raw("quoting.maxPosition");
        if (ownMax != null && !ownMax.isEmpty())
        {
            maxPosition = config.decimal("quoting.maxPosition", null, qtyExponent, 0);
        }
        else
        {
            // a bad value is reported under the key that holds it
            maxPosition = config.has("risk.maxPosition") ?
                config.decimal("risk.maxPosition", null, qtyExponent, 0) : Long.MAX_VALUE;
        }
        fairValueBase = config.enumValue("quoting.fairValue", MarketSignals.FairValueBase.class,
            MarketSignals.FairValueBase.MICROPRICE);
        imbalanceLevels = config.intValue("quoting.imbalanceLevels", 5, 1, 20);
        imbalanceWeightTicks = config.doubleValue("quoting.imbalanceWeightTicks", 0, -1000, 1000);
        tradeFlowWeightTicks = config.doubleValue("quoting.tradeFlowWeightTicks", 0, -1000, 1000);
        volHalfLifeEvents = config.intValue("quoting.volHalfLifeEvents", 100, 1, 10_000_000);
        tradeFlowHalfLifeEvents = config.intValue("quoting.tradeFlowHalfLifeEvents", 50, 1, 10_000_000);
        refreshToleranceTicks = config.longValue("quoting.refreshToleranceTicks", 0, 0, 1_000_000);
        maxQuoteAgeNs = config.longValue("quoting.maxQuoteAgeMs", 0, 0, 86_400_000) * 1_000_000L;
        levelHysteresisTicks = config.longValue("quoting.levelHysteresisTicks", 0, 0, 1_000_000);
        hangingOrders = config.bool("quoting.hangingOrders", false);
        hangingMaxDistanceTicks = config.longValue("quoting.hangingMaxDistanceTicks", 100, 1, 1_000_000);
        modelName = config.string("quoting.model", AvellanedaStoikovModel.NAME);
        model = QuotingModels.byName("quoting.model", modelName).create(config, instrument, shape);
    }

    /** Reads and validates every quoting key of {@code config} for {@code instrument}. */
    public static QuotingParameters read(final Config config, final Instrument instrument)
    {
        return new QuotingParameters(config, instrument);
    }

    /**
     * The parameters with one key changed, validated as a whole (cross-key rules included).
     *
     * @throws ConfigException naming the key, the value and the rule, if the change is not acceptable.
     */
    public QuotingParameters withChange(final String key, final String value)
    {
        if (!key.startsWith(PREFIX))
        {
            throw new ConfigException(key, value, "is not a quoting key");
        }
        if (INSTRUMENT_KEY.equals(key))
        {
            throw new ConfigException(key, value, "cannot change at runtime");
        }
        final QuotingParameters changed = new QuotingParameters(config.withOverrides(Map.of(key, value)), instrument);
        if (!changed.config.wasRead(key))
        {
            throw new ConfigException(key, value, "is not a known key of quoting model '" + changed.modelName + "'");
        }
        return changed;
    }

    /** Applies the signal settings to {@code signals}, keeping their accumulated state. */
    public void configure(final MarketSignals signals)
    {
        signals.configure(fairValueBase, imbalanceLevels, imbalanceWeightTicks, tradeFlowWeightTicks,
            volHalfLifeEvents, tradeFlowHalfLifeEvents);
    }

    public Instrument instrument()
    {
        return instrument;
    }

    public String modelName()
    {
        return modelName;
    }

    public QuotingModel model()
    {
        return model;
    }

    public LadderShape shape()
    {
        return shape;
    }

    public long quoteQty()
    {
        return shape.levelQty(0);
    }

    public boolean postOnly()
    {
        return postOnly;
    }

    /** Largest absolute position the quotes may lead to if they all fill; Long.MAX_VALUE when unlimited. */
    public long maxPosition()
    {
        return maxPosition;
    }

    public long refreshToleranceTicks()
    {
        return refreshToleranceTicks;
    }

    public long maxQuoteAgeNs()
    {
        return maxQuoteAgeNs;
    }

    public long levelHysteresisTicks()
    {
        return levelHysteresisTicks;
    }

    public boolean hangingOrders()
    {
        return hangingOrders;
    }

    public long hangingMaxDistanceTicks()
    {
        return hangingMaxDistanceTicks;
    }
}
