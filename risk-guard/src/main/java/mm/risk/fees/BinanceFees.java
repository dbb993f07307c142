package mm.risk.fees;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.Venue;
import mm.risk.FixedPoint;

/**
 * Binance maker/taker fees by VIP tier: notional × rate, rounded up at the money exponent (a venue never charges
 * less than its rate; the simulated venue rounds the same way). Spot uses the spot table, USD-M and COIN-M
 * the USD-M futures table (COIN-M contracts are inverse and pay fees in the coin; the engine books them like
 * USD-M, a known simplification). Configured maker/taker rates replace the table's, e.g. for a BNB discount.
 * Rates are mantissas at {@link #RATE_EXPONENT}.
 */
public final class BinanceFees implements FeeModel
{
    public static final int RATE_EXPONENT = -10;
    public static final long RATE_ONE = 10_000_000_000L;

    /** Spot VIP 0-9, maker then taker, as published by Binance (2024-2026 schedule). */
    static final long[] SPOT_MAKER = rates("0.001", "0.0009", "0.0008", "0.00042", "0.00042", "0.00036", "0.0003",
        "0.00024", "0.00018", "0.00012");
    static final long[] SPOT_TAKER = rates("0.001", "0.001", "0.001", "0.0006", "0.00054", "0.00048", "0.00042",
        "0.00036", "0.0003", "0.00024");
    /** USD-M futures VIP 0-9. */
    static final long[] FUTURES_MAKER = rates("0.0002", "0.00016", "0.00014", "0.00012", "0.0001", "0.00008",
        "0.00006", "0.00004", "0.00002", "0");
    static final long[] FUTURES_TAKER = rates("0.0005", "0.0004", "0.00035", "0.00032", "0.0003", "0.00027",
        "0.00025", "0.00022", "0.0002", "0.00017");

    public static final int MAX_TIER = 9;

    private final long spotMaker;
    private final long spotTaker;
    private final long futuresMaker;
    private final long futuresTaker;

    /**
     * @param makerOverride maker rate at {@link #RATE_EXPONENT} replacing the tier's, or -1.
     * @param takerOverride taker rate replacing the tier's, or -1.
     */
    public BinanceFees(final int tier, final long makerOverride, final long takerOverride)
    {
        if (tier < 0 || tier > MAX_TIER)
        {
            throw new IllegalArgumentException("tier must be 0-9: " + tier);
        }
        spotMaker = makerOverride >= 0 ? makerOverride : SPOT_MAKER[tier];
        spotTaker = takerOverride >= 0 ? takerOverride : SPOT_TAKER[tier];
        futuresMaker = makerOverride >= 0 ? makerOverride : FUTURES_MAKER[tier];
        futuresTaker = takerOverride >= 0 ? takerOverride : FUTURES_TAKER[tier];
    }

    /** The rate a fill pays, at {@link #RATE_EXPONENT}. */
    public long rate(final Venue venue, final boolean maker)
    {
        if (venue == Venue.BINANCE_USDM || venue == Venue.BINANCE_COINM)
        {
            return maker ? futuresMaker : futuresTaker;
        }
        return maker ? spotMaker : spotTaker;
    }

    public long onFill(
        final Instrument instrument, final long clOrdId, final boolean buy, final long price, final long qty,
        final long notional, final boolean maker, final boolean orderDone, final long reportedFee)
    {
        return FixedPoint.multiplyDivide(notional, rate(instrument.venue(), maker), RATE_ONE, FixedPoint.Rounding.CEILING);
    }

    private static long[] rates(final String... texts)
    {
        final long[] rates = new long[texts.length];
        for (int i = 0; i < texts.length; i++)
        {
            rates[i] = Decimals.parse(texts[i], RATE_EXPONENT);
        }
        return rates;
    }
}
