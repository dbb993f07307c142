package mm.quoting;

import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.config.Config;

/**
 * Avellaneda–Stoikov market making (Avellaneda and Stoikov, "High-frequency trading in a limit order book",
 * 2008) with two forms:
 * <ul>
 *   <li>finite horizon ({@code horizonMs > 0}): the horizon restarts every {@code horizonMs} of input time
 *   (aligned to the epoch, so {@code 86400000} is the UTC day) and with {@code τ} seconds left,
 *   reservation {@code r = s − q·γ·σ²·τ} and half-spread {@code γ·σ²·τ/2 + (1/γ)·ln(1 + γ/κ)};</li>
 *   <li>infinite horizon ({@code horizonMs = 0}): the closed-form approximation of Guéant, Lehalle and
 *   Fernandez-Tapia (2013), with {@code c1 = (1/γ)·ln(1 + γ/κ)} and
 *   {@code c2 = sqrt(σ²·γ / (2·κ·A) · (1 + γ/κ)^(1 + κ/γ))}: reservation {@code r = s − q·c2} and
 *   half-spread {@code c1 + c2/2}, where {@code A} is the order-arrival rate at the touch.</li>
 * </ul>
 * Units: prices in ticks, {@code q} = position / quoteQty (inventory in quote sizes), {@code σ²} the
 * volatility estimate in ticks² per second ({@link MarketSignals#varianceTicksPerSecond()}), {@code γ} the risk
 * aversion per tick per quote size, {@code κ} the decay of fill intensity per tick of distance from fair
 * value, {@code A} fills per second. {@code s} is the fair value from {@link MarketSignals#fairValue()}.
 */
public final class AvellanedaStoikovModel implements QuotingModel
{
    public static final String NAME = "avellaneda-stoikov";
    private static final double NANOS_PER_SECOND = 1e9;

    private final Instrument instrument;
    private final LadderShape shape;
    private final double gamma;
    private final double kappa;
    private final long horizonNs;
    private final double arrivalRatePerSecond;
    private final double quoteQty;
    /** (1/γ)·ln(1 + γ/κ): the part of the half-spread that does not depend on volatility, fixed per parameters. */
    private final double intensityHalfSpreadTicks;
    /** (1 + γ/κ)^(1 + κ/γ) · γ / (2·κ·A), the volatility-free factor of c2² in the infinite-horizon form. */
    private final double infiniteHorizonFactor;

    public AvellanedaStoikovModel(
        final Instrument instrument,
        final LadderShape shape,
        final double gamma,
        final double kappa,
        final long horizonMs,
        final double arrivalRatePerSecond)
    {
        this.instrument = instrument;
        this.shape = shape;
        this.gamma = gamma;
        this.kappa = kappa;
        this.horizonNs = horizonMs * 1_000_000L;
        this.arrivalRatePerSecond = arrivalRatePerSecond;
        this.quoteQty = shape.levelQty(0);
        this.intensityHalfSpreadTicks = StrictMath.log1p(gamma / kappa) / gamma;
        this.infiniteHorizonFactor =
            StrictMath.pow(1 + gamma / kappa, 1 + kappa / gamma) * gamma / (2 * kappa * arrivalRatePerSecond);
    }

    public void quote(final MarketSignals market, final long position, final long timeNs, final Ladder out)
    {
        final double q = position / quoteQty;
        final double variance = market.varianceTicksPerSecond();
        final double skewTicks;
        final double halfSpreadTicks;
        if (horizonNs > 0)
        {
            final double remainingSeconds = remainingNs(timeNs) / NANOS_PER_SECOND;
            final double inventoryRisk = gamma * variance * remainingSeconds;
            skewTicks = q * inventoryRisk;
            halfSpreadTicks = inventoryRisk / 2 + intensityHalfSpreadTicks;
        }
        else
        {
            final double c2 = Math.sqrt(variance * infiniteHorizonFactor);
            skewTicks = q * c2;
            halfSpreadTicks = intensityHalfSpreadTicks + c2 / 2;
        }
        final double reservation = market.fairValue() - skewTicks * instrument.tickSize();
        shape.build(instrument, reservation, halfSpreadTicks, halfSpreadTicks, out);
    }

    /** Input time left until the end of the current horizon, in (0, horizonNs]. */
    long remainingNs(final long timeNs)
    {
        return horizonNs - Math.floorMod(timeNs, horizonNs);
    }

    public double gamma()
    {
        return gamma;
    }

    public double kappa()
    {
        return kappa;
    }

    public double arrivalRatePerSecond()
    {
        return arrivalRatePerSecond;
    }

    /**
     * {@code quoting.model=avellaneda-stoikov}: keys {@code quoting.as.gamma}, {@code quoting.as.kappa},
     * {@code quoting.as.horizonMs} (0: infinite horizon) and {@code quoting.as.arrivalRatePerSec}.
     */
    public static final class Factory implements QuotingModelFactory
    {
        public String name()
        {
            return NAME;
        }

        public QuotingModel create(final Config config, final Instrument instrument, final LadderShape shape)
        {
            return new AvellanedaStoikovModel(
                instrument,
                shape,
                config.doubleValue("quoting.as.gamma", 0.1, 1e-9, 1e6),
                config.doubleValue("quoting.as.kappa", 1.0, 1e-9, 1e6),
                config.longValue("quoting.as.horizonMs", 0, 0, 366L * 24 * 3600 * 1000),
                config.doubleValue("quoting.as.arrivalRatePerSec", 1.0, 1e-9, 1e9));
        }
    }
}
