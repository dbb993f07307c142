package mm.risk;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.risk.fees.BinanceFees;
import mm.risk.fees.FeeModel;
import mm.risk.fees.ReportedFees;
import mm.risk.fees.ZerodhaFees;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of the risk guard ({@code risk.*} keys): pre-trade limits (per instrument, with
 * {@code risk.instrument.<id>.<name>} overrides), trading-state triggers, re-entry policy, fee models and the
 * post-mortem folder. Every key has one definition here, used both for the config file and for a runtime
 * {@code ParameterChange} on CONTROL, so a value is held to the same rule either way: {@link #set} stores text,
 * {@link #conclude()} parses and checks every value (each per-instrument value at that instrument's exponents)
 * and the rules between keys, and throws a {@link ConfigException} naming the key, the value and the rule.
 * Defaults are documented in docs/config.md.
 */
public final class RiskContext
{
    /** Account-level money (equity, PnL totals, gross notional, capital) is a mantissa at this exponent. */
    public static final int ACCOUNT_EXPONENT = -8;
    /** Fee rates are mantissas at this exponent (0.0003503 is 3,503,000). */
    public static final int RATE_EXPONENT = BinanceFees.RATE_EXPONENT;
    /** {@code risk.positionRunawayFactor} and {@code risk.marginRate} precision. */
    static final int FACTOR_EXPONENT = -2;
    static final int MARGIN_RATE_EXPONENT = -6;
    static final long DAY_MS = 86_400_000L;
    public static final int MAX_WINDOW_REJECTS = 100_000;

    /** What a breached quantity limit does. */
    public enum Mode
    {
        /** Reduce the level's quantity to what the limit allows (floored to the lot); reject if nothing is left. */
        CLIP,
        /** Reject the level. */
        REJECT
    }

    /** Where booked fees come from. */
    public enum FeeModelKind
    {
        /** By the instrument's venue: Binance venues binance, Kite zerodha, the simulated venue reported. */
        AUTO,
        REPORTED,
        BINANCE,
        ZERODHA,
        NONE
    }

    enum Type
    {
        QTY, MONEY, ACCOUNT, INT, FACTOR, MARGIN_RATE, RATE, PAISE, MODE, FEE_MODEL, TEXT
    }

    /** One key: its default, how it is parsed and checked, whether it is per instrument and changeable at runtime. */
    record Param(String key, String defaultText, Type type, long min, long max, boolean perInstrument, boolean runtime)
    {
    }

    static final Map<String, Param> PARAMS = new LinkedHashMap<>();

    static
    {
        // pre-trade, per instrument (override with risk.instrument.<id>.<name>)
        param("risk.maxOrderNotional", "100000", Type.MONEY, 0, Long.MAX_VALUE, true, true);
        param("risk.maxOrderQty", "1", Type.QTY, 0, Long.MAX_VALUE, true, true);
        param("risk.priceBandBps", "500", Type.INT, 1, 10_000, true, true);
        param("risk.maxPosition", "1", Type.QTY, 0, Long.MAX_VALUE, true, true);
        param("risk.maxSymbolNotional", "1000000", Type.MONEY, 0, Long.MAX_VALUE, true, true);
        param("risk.maxOpenOrders", "40", Type.INT, 0, 40, true, true);
        // pre-trade, global
        param("risk.mode", "reject", Type.MODE, 0, 0, false, true);
        param("risk.maxGrossNotional", "10000000", Type.ACCOUNT, 0, Long.MAX_VALUE, false, true);
        param("risk.orderRatePerSecond", "50", Type.INT, 1, 1_000_000, false, true);
        param("risk.orderRateBurst", "200", Type.INT, 1, 10_000_000, false, true);
        // triggers
        param("risk.warnPercent", "80", Type.INT, 1, 100, false, true);
        param("risk.maxDailyLoss", "1000", Type.ACCOUNT, 0, Long.MAX_VALUE, false, true);
        param("risk.maxDrawdown", "2000", Type.ACCOUNT, 0, Long.MAX_VALUE, false, true);
        param("risk.maxConsecutiveLosses", "50", Type.INT, 0, 1_000_000, false, true);
        param("risk.positionRunawayFactor", "1.5", Type.FACTOR, 0, 100_000, false, true);
        param("risk.staleMarketDataMs", "10000", Type.INT, 0, DAY_MS, false, true);
        param("risk.maxResyncMs", "30000", Type.INT, 0, DAY_MS, false, true);
        param("risk.rejectStormMaxRejects", "50", Type.INT, 0, MAX_WINDOW_REJECTS, false, true);
        param("risk.rejectStormWindowMs", "10000", Type.INT, 1, DAY_MS, false, true);
        param("risk.orderRateBreachMaxRejects", "20", Type.INT, 0, MAX_WINDOW_REJECTS, false, true);
        param("risk.orderRateBreachWindowMs", "10000", Type.INT, 1, DAY_MS, false, true);
        param("risk.capital", "100000", Type.ACCOUNT, 1, Long.MAX_VALUE, false, true);
        param("risk.marginRate", "1", Type.MARGIN_RATE, 1, 1_000_000, false, true);
        param("risk.marginWarnPercent", "70", Type.INT, 0, 1000, false, true);
        param("risk.marginReducePercent", "85", Type.INT, 0, 1000, false, true);
        param("risk.marginKillPercent", "95", Type.INT, 0, 1000, false, true);
        // re-entry
        param("risk.coolOffMs", "300000", Type.INT, 0, DAY_MS, false, true);
        param("risk.reentryLimitPercent", "50", Type.INT, 1, 100, false, true);
        param("risk.reentryReducedMs", "1800000", Type.INT, 0, DAY_MS, false, true);
        param("risk.killsBeforeManual", "3", Type.INT, 1, 1000, false, true);
        param("risk.tradingDayStartUtcMinutes", "0", Type.INT, 0, 1439, false, false);
        // post-mortem and fees: fixed for a run
        param("risk.postMortemDir", "", Type.TEXT, 0, 0, false, false);
        param("risk.fees.model", "auto", Type.FEE_MODEL, 0, 0, false, false);
        param("risk.fees.binance.tier", "0", Type.INT, 0, BinanceFees.MAX_TIER, false, false);
        param("risk.fees.binance.makerRate", "", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.binance.takerRate", "", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.brokerageCap", "20", Type.PAISE, 0, Long.MAX_VALUE, false, false);
        param("risk.fees.zerodha.brokerageRate", "0.0003", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.option.exchangeRate", "0.0003503", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.option.sttSellRate", "0.001", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.option.stampBuyRate", "0.00003", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.future.exchangeRate", "0.0000173", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.future.sttSellRate", "0.0002", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.future.stampBuyRate", "0.00002", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.equity.exchangeRate", "0.0000297", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.equity.sttSellRate", "0.00025", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.equity.stampBuyRate", "0.00003", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.clearingRate", "0", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.sebiRate", "0.000001", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
        param("risk.fees.zerodha.gstRate", "0.18", Type.RATE, 0, BinanceFees.RATE_ONE, false, false);
    }

    private static void param(
        final String key, final String defaultText, final Type type, final long min, final long max,
        final boolean perInstrument, final boolean runtime)
    {
        PARAMS.put(key, new Param(key, defaultText, type, min, max, perInstrument, runtime));
    }

    private InstrumentRegistry registry;
    private boolean lockstep = true;
    /** Explicitly set values, by key. */
    private final TreeMap<String, String> values = new TreeMap<>();
    /** Explicitly set per-instrument values: instrument id to (key to text). */
    private final TreeMap<Integer, TreeMap<String, String>> overrides = new TreeMap<>();
    private Path defaultPostMortemDir;
    private Path home = Path.of("");

    public static RiskContext fromConfig(final Config config, final InstrumentRegistry registry)
    {
        return fromConfig(config, registry, Path.of(""));
    }

    /** @param home folder a relative {@code risk.postMortemDir} resolves against (the repo root for ./mm). */
    public static RiskContext fromConfig(final Config config, final InstrumentRegistry registry, final Path home)
    {
        final RiskContext context = new RiskContext();
        context.registry = registry;
        context.home = home;
        for (final Param param : PARAMS.values())
        {
            final String value = config.raw(param.key());
            if (value != null && !value.isEmpty())
            {
                context.set(param.key(), value);
            }
        }
        for (final String rest : config.keysUnder("risk.instrument."))
        {
            final String key = "risk.instrument." + rest;
            context.set(key, config.raw(key));
        }
        return context.conclude();
    }

    /**
     * Stores one value as text (checked by {@link #conclude()}). Per-instrument values use
     * {@code risk.instrument.<id>.<name>}, where {@code risk.<name>} is a per-instrument key.
     *
     * @throws ConfigException if the key is not a risk key.
     */
    public RiskContext set(final String key, final String value)
    {
        if (key.startsWith("risk.instrument."))
        {
            final String rest = key.substring("risk.instrument.".length());
            final int dot = rest.indexOf('.');
            final Param param = dot < 0 ? null : PARAMS.get("risk." + rest.substring(dot + 1));
            if (param == null || !param.perInstrument())
            {
                throw new ConfigException(key, value,
                    "per-instrument risk keys look like risk.instrument.<id>.<name> with <name> one of " + perInstrumentNames());
            }
            final int id;
            try
            {
                id = Integer.parseInt(rest.substring(0, dot));
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigException(key, value, "the instrument id must be an integer");
            }
            overrides.computeIfAbsent(id, ignored -> new TreeMap<>()).put(param.key(), value);
            return this;
        }
        if (!PARAMS.containsKey(key))
        {
            throw new ConfigException(key, value, "is not a known key (see docs/config.md)");
        }
        values.put(key, value);
        return this;
    }

    /** Whether {@code key} may change while running (limits, triggers, re-entry); fees and folders may not. */
    public static boolean isRuntimeKey(final String key)
    {
        if (key.startsWith("risk.instrument."))
        {
            return true; // only per-instrument limits can be overridden, all of them at runtime
        }
        final Param param = PARAMS.get(key);
        return param != null && param.runtime();
    }

    /** A copy to apply a runtime change to, so that a rejected change leaves this one untouched. */
    public RiskContext copy()
    {
        final RiskContext copy = new RiskContext();
        copy.registry = registry;
        copy.lockstep = lockstep;
        copy.values.putAll(values);
        for (final Map.Entry<Integer, TreeMap<String, String>> entry : overrides.entrySet())
        {
            copy.overrides.put(entry.getKey(), new TreeMap<>(entry.getValue()));
        }
        copy.defaultPostMortemDir = defaultPostMortemDir;
        copy.home = home;
        return copy;
    }

    /** Checks every value and the rules between them; returns this. */
    public RiskContext conclude()
    {
        if (registry == null)
        {
            throw new ConfigException("instrument.<id>.symbol", null, "the risk guard needs an instrument registry");
        }
        for (final Integer id : overrides.keySet())
        {
            if (registry.get(id) == null)
            {
                final String key = "risk.instrument." + id + "." + overrides.get(id).firstKey().substring("risk.".length());
                throw new ConfigException(key, overrides.get(id).firstEntry().getValue(),
                    "instrument " + id + " is not in the registry");
            }
        }
        for (final Param param : PARAMS.values())
        {
            if (param.perInstrument())
            {
                for (final Instrument instrument : registry.all())
                {
                    instrumentValue(param.key(), instrument);
                }
            }
            else if (param.type() != Type.TEXT && param.type() != Type.MODE && param.type() != Type.FEE_MODEL)
            {
                if (param.type() != Type.RATE || !text(param.key()).isEmpty())
                {
                    longValue(param.key());
                }
            }
        }
        mode();
        feeModelKind();
        final long warn = longValue("risk.marginWarnPercent");
        final long reduce = longValue("risk.marginReducePercent");
        final long kill = longValue("risk.marginKillPercent");
        if (warn > 0 && reduce > 0 && warn > reduce)
        {
            throw new ConfigException("risk.marginWarnPercent", String.valueOf(warn),
                "must not be above risk.marginReducePercent (" + reduce + ")");
        }
        if (reduce > 0 && kill > 0 && reduce > kill)
        {
            throw new ConfigException("risk.marginReducePercent", String.valueOf(reduce),
                "must not be above risk.marginKillPercent (" + kill + ")");
        }
        if (warn > 0 && kill > 0 && warn > kill)
        {
            throw new ConfigException("risk.marginWarnPercent", String.valueOf(warn),
                "must not be above risk.marginKillPercent (" + kill + ")");
        }
        final long runaway = longValue("risk.positionRunawayFactor");
        if (runaway != 0 && runaway < 100)
        {
            throw new ConfigException("risk.positionRunawayFactor", text("risk.positionRunawayFactor"),
                "must be 0 (off) or at least 1");
        }
        return this;
    }

    /** A global value as a mantissa (or integer) by its type. */
    public long longValue(final String key)
    {
        final Param param = PARAMS.get(key);
        return parse(param, key, text(key), 0);
    }

    /** A per-instrument value at the instrument's exponents: its override, else the global value. */
    public long instrumentValue(final String key, final Instrument instrument)
    {
        final Param param = PARAMS.get(key);
        final TreeMap<String, String> byKey = overrides.get(instrument.id());
        final String override = byKey == null ? null : byKey.get(key);
        if (override != null)
        {
            final String name = "risk.instrument." + instrument.id() + "." + key.substring("risk.".length());
            return parse(param, name, override, param.type() == Type.QTY ? instrument.qtyExponent() : instrument.moneyExponent());
        }
        return parse(param, key, text(key), param.type() == Type.QTY ? instrument.qtyExponent() : instrument.moneyExponent());
    }

    /** The text of a global key: as set, else its default. */
    public String text(final String key)
    {
        final String value = values.get(key);
        return value != null ? value : PARAMS.get(key).defaultText();
    }

    private static long parse(final Param param, final String name, final String text, final int exponent)
    {
        final Config one = new Config(Collections.singletonMap(name, text), "risk");
        final long value = switch (param.type())
        {
            case QTY, MONEY -> one.decimal(name, null, exponent, param.min());
            case ACCOUNT -> one.decimal(name, null, ACCOUNT_EXPONENT, param.min());
            case FACTOR -> one.decimal(name, null, FACTOR_EXPONENT, param.min());
            case MARGIN_RATE -> one.decimal(name, null, MARGIN_RATE_EXPONENT, param.min());
            case RATE -> one.decimal(name, null, RATE_EXPONENT, param.min());
            case PAISE -> one.decimal(name, null, ZerodhaFees.RUPEE_EXPONENT, param.min());
            case INT -> one.longValue(name, 0, param.min(), param.max());
            default -> throw new IllegalStateException(name + " is not numeric");
        };
        if (value > param.max())
        {
            final int scale = switch (param.type())
            {
                case FACTOR -> FACTOR_EXPONENT;
                case MARGIN_RATE -> MARGIN_RATE_EXPONENT;
                case RATE -> RATE_EXPONENT;
                default -> 0;
            };
            throw new ConfigException(name, text, "must be at most " + Decimals.toString(param.max(), scale));
        }
        return value;
    }

    private static String perInstrumentNames()
    {
        final StringBuilder names = new StringBuilder();
        for (final Param param : PARAMS.values())
        {
            if (param.perInstrument())
            {
                names.append(names.isEmpty() ? "" : ", ").append(param.key().substring("risk.".length()));
            }
        }
        return names.toString();
    }

    public RiskContext registry(final InstrumentRegistry registry)
    {
        this.registry = registry;
        return this;
    }

    public RiskContext maxPosition(final String decimal)
    {
        return set("risk.maxPosition", decimal);
    }

    public RiskContext maxOrderNotional(final String decimal)
    {
        return set("risk.maxOrderNotional", decimal);
    }

    public RiskContext lockstep(final boolean lockstep)
    {
        this.lockstep = lockstep;
        return this;
    }

    /** Where post-mortems go unless {@code risk.postMortemDir} is set: the run's folder when there is one. */
    public RiskContext defaultPostMortemDir(final Path dir)
    {
        this.defaultPostMortemDir = dir;
        return this;
    }

    public InstrumentRegistry registry()
    {
        return registry;
    }

    public String maxPositionText()
    {
        return text("risk.maxPosition");
    }

    public String maxOrderNotionalText()
    {
        return text("risk.maxOrderNotional");
    }

    public boolean lockstep()
    {
        return lockstep;
    }

    public Mode mode()
    {
        final String text = text("risk.mode");
        return new Config(Map.of("risk.mode", text), "risk").enumValue("risk.mode", Mode.class, Mode.REJECT);
    }

    public FeeModelKind feeModelKind()
    {
        final String text = text("risk.fees.model");
        return new Config(Map.of("risk.fees.model", text), "risk").enumValue("risk.fees.model", FeeModelKind.class,
            FeeModelKind.AUTO);
    }

    /**
     * The post-mortem folder: {@code risk.postMortemDir} (relative to home), else the run's folder set by the
     * engine, else {@code runs/post-mortem} under home.
     */
    public Path postMortemDir()
    {
        final String configured = text("risk.postMortemDir");
        if (!configured.isEmpty())
        {
            final Path path = Path.of(configured);
            return path.isAbsolute() ? path : home.resolve(path).normalize();
        }
        return defaultPostMortemDir != null ? defaultPostMortemDir : home.resolve("runs").resolve("post-mortem");
    }

    /** Binance fees by the configured tier, with configured maker/taker rates replacing the tier's. */
    public BinanceFees binanceFees()
    {
        final String maker = text("risk.fees.binance.makerRate");
        final String taker = text("risk.fees.binance.takerRate");
        return new BinanceFees((int)longValue("risk.fees.binance.tier"),
            maker.isEmpty() ? -1 : longValue("risk.fees.binance.makerRate"),
            taker.isEmpty() ? -1 : longValue("risk.fees.binance.takerRate"));
    }

    public ZerodhaFees.Rates zerodhaRates()
    {
        return new ZerodhaFees.Rates(
            longValue("risk.fees.zerodha.brokerageCap"),
            longValue("risk.fees.zerodha.brokerageRate"),
            longValue("risk.fees.zerodha.option.exchangeRate"),
            longValue("risk.fees.zerodha.option.sttSellRate"),
            longValue("risk.fees.zerodha.option.stampBuyRate"),
            longValue("risk.fees.zerodha.future.exchangeRate"),
            longValue("risk.fees.zerodha.future.sttSellRate"),
            longValue("risk.fees.zerodha.future.stampBuyRate"),
            longValue("risk.fees.zerodha.equity.exchangeRate"),
            longValue("risk.fees.zerodha.equity.sttSellRate"),
            longValue("risk.fees.zerodha.equity.stampBuyRate"),
            longValue("risk.fees.zerodha.clearingRate"),
            longValue("risk.fees.zerodha.sebiRate"),
            longValue("risk.fees.zerodha.gstRate"));
    }

    /**
     * One fee model per instrument by {@code risk.fees.model}; models are shared between instruments (one
     * Zerodha model tracks brokerage per order across all Kite instruments).
     */
    public FeeModel[] feeModels(final Iterable<Instrument> instruments, final int count)
    {
        final FeeModelKind kind = feeModelKind();
        final FeeModel[] models = new FeeModel[count];
        BinanceFees binance = null;
        ZerodhaFees zerodha = null;
        int i = 0;
        for (final Instrument instrument : instruments)
        {
            FeeModelKind chosen = kind;
            if (kind == FeeModelKind.AUTO)
            {
                chosen = switch (instrument.venue())
                {
                    case BINANCE_SPOT, BINANCE_USDM, BINANCE_COINM -> FeeModelKind.BINANCE;
                    case KITE -> FeeModelKind.ZERODHA;
                    case SIM -> FeeModelKind.REPORTED;
                };
            }
            models[i++] = switch (chosen)
            {
                case BINANCE -> binance != null ? binance : (binance = binanceFees());
                case ZERODHA -> zerodha != null ? zerodha : (zerodha = new ZerodhaFees(zerodhaRates()));
                case NONE -> FeeModel.NONE;
                default -> ReportedFees.INSTANCE;
            };
        }
        return models;
    }
}
