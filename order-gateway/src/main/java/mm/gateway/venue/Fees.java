package mm.gateway.venue;

import mm.common.Decimals;

/** Fees from a rate in parts per million of notional, at the money exponent (price times quantity), rounded up. */
public final class Fees
{
    private Fees()
    {
    }

    /**
     * {@code ceil(price × qty × ratePpm / 10^6)}: the venue never charges less than its rate.
     *
     * @throws ArithmeticException if the product does not fit 63 bits.
     */
    public static long ofNotional(final long price, final long qty, final long ratePpm)
    {
        final long notional = Decimals.multiplyExact(price, qty);
        final long scaled = notional == Decimals.INVALID ? Decimals.INVALID : Decimals.multiplyExact(notional, ratePpm);
        if (scaled == Decimals.INVALID)
        {
            throw new ArithmeticException("fee overflows 63 bits: price " + price + " qty " + qty + " rate " + ratePpm);
        }
        return -Math.floorDiv(-scaled, 1_000_000L);
    }
}
