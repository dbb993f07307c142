package mm.common;

/**
 * One tradable instrument. Prices are mantissas at {@code priceExponent}, quantities at {@code qtyExponent};
 * tick and lot sizes are mantissas at those exponents, so rounding to tick or lot is integer arithmetic.
 * {@code kind} (spot, perpetual, future, option) decides how the risk guard charges and marks it.
 */
public record Instrument(
    int id,
    Venue venue,
    String symbol,
    int priceExponent,
    int qtyExponent,
    long tickSize,
    long lotSize,
    long minNotional,
    InstrumentKind kind)
{
    /** An instrument of its venue's default kind ({@link InstrumentKind#defaultFor}). */
    public Instrument(
        final int id,
        final Venue venue,
        final String symbol,
        final int priceExponent,
        final int qtyExponent,
        final long tickSize,
        final long lotSize,
        final long minNotional)
    {
        this(id, venue, symbol, priceExponent, qtyExponent, tickSize, lotSize, minNotional,
            InstrumentKind.defaultFor(venue));
    }

    /** Money (notional, PnL, fees) is held at this exponent: price times quantity without rescaling. */
    public int moneyExponent()
    {
        return priceExponent + qtyExponent;
    }

    /** Largest multiple of the tick at or below {@code price}: the conservative rounding for a bid. */
    public long floorToTick(final long price)
    {
        return Math.floorDiv(price, tickSize) * tickSize;
    }

    /** Smallest multiple of the tick at or above {@code price}: the conservative rounding for an ask. */
    public long ceilToTick(final long price)
    {
        return -Math.floorDiv(-price, tickSize) * tickSize;
    }

    /** Largest multiple of the lot at or below {@code qty}. */
    public long floorToLot(final long qty)
    {
        return Math.floorDiv(qty, lotSize) * lotSize;
    }
}
