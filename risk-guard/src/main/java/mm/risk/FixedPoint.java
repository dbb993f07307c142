package mm.risk;

import mm.common.Decimals;

/**
 * {@code a * b / d} on {@code long} mantissas with a 128-bit intermediate product and an explicit rounding,
 * allocation-free: fees (notional × rate), average cost (cost × part / whole) and rescaling money between
 * exponents all need a product that can exceed 63 bits and a quotient that does not.
 */
public final class FixedPoint
{
    /** How a quotient that is not exact is rounded. */
    public enum Rounding
    {
        /** Towards negative infinity. */
        FLOOR,
        /** Towards positive infinity. */
        CEILING,
        /** To the nearest; a tie goes away from zero. */
        HALF_UP
    }

    private static final long DIGIT = 1L << 32;
    private static final long LOW_MASK = 0xFFFF_FFFFL;

    private FixedPoint()
    {
    }

    /**
     * {@code a * b / d}, rounded.
     *
     * @param d a positive divisor.
     * @return the result, or {@link Decimals#INVALID} when it does not fit in 63 bits.
     */
    public static long multiplyDivide(final long a, final long b, final long d, final Rounding rounding)
    {
        if (d <= 0)
        {
            throw new IllegalArgumentException("divisor must be positive: " + d);
        }
        if (a == Long.MIN_VALUE || b == Long.MIN_VALUE)
        {
            return Decimals.INVALID;
        }
        final boolean negative = (a < 0) != (b < 0) && a != 0 && b != 0;
        final long x = Math.abs(a);
        final long y = Math.abs(b);
        final long high = Math.unsignedMultiplyHigh(x, y);
        final long low = x * y;
        if (Long.compareUnsigned(high, d) >= 0)
        {
            return Decimals.INVALID;
        }
        final long quotient = high == 0 ? Long.divideUnsigned(low, d) : divide128(high, low, d);
        if (quotient < 0)
        {
            return Decimals.INVALID;
        }
        final long remainder = low - quotient * d; // exact: the true remainder is below d < 2^63
        final boolean up;
        if (remainder == 0)
        {
            up = false;
        }
        else
        {
            up = switch (rounding)
            {
                case FLOOR -> negative;
                case CEILING -> !negative;
                case HALF_UP -> remainder >= d - remainder;
            };
        }
        final long magnitude = up ? quotient + 1 : quotient;
        if (magnitude < 0)
        {
            return Decimals.INVALID;
        }
        return negative ? -magnitude : magnitude;
    }

    /** {@code value / d}, rounded; d positive. */
    public static long divide(final long value, final long d, final Rounding rounding)
    {
        return multiplyDivide(value, 1, d, rounding);
    }

    /**
     * A mantissa moved from one exponent to another, rounded where digits are dropped.
     *
     * @return the mantissa at {@code toExponent}, or {@link Decimals#INVALID} on overflow.
     */
    public static long rescale(final long mantissa, final int fromExponent, final int toExponent, final Rounding rounding)
    {
        if (fromExponent >= toExponent)
        {
            return Decimals.rescale(mantissa, fromExponent, toExponent);
        }
        final int shift = toExponent - fromExponent;
        if (shift > Decimals.MAX_SCALE)
        {
            if (rounding == Rounding.HALF_UP)
            {
                // |mantissa| < 9.3e18: only a shift of 19 can reach half of 10^shift
                return shift == 19 && Math.abs(mantissa) >= 5_000_000_000_000_000_000L ? Long.signum(mantissa) : 0;
            }
            // floor(floor(x / a) / b) == floor(x / ab), and likewise for the ceiling
            return divide(divide(mantissa, Decimals.powerOfTen(Decimals.MAX_SCALE), rounding),
                Decimals.powerOfTen(Math.min(shift - Decimals.MAX_SCALE, Decimals.MAX_SCALE)), rounding);
        }
        return divide(mantissa, Decimals.powerOfTen(shift), rounding);
    }

    /**
     * Unsigned 128-by-64-bit division, {@code (high:low) / d} with {@code high < d} (so the quotient fits in 64
     * bits): Knuth's algorithm D on 32-bit digits, as in Hacker's Delight {@code divlu}.
     */
    private static long divide128(final long high, final long low, final long divisor)
    {
        final int shift = Long.numberOfLeadingZeros(divisor);
        final long v = divisor << shift;
        final long vn1 = v >>> 32;
        final long vn0 = v & LOW_MASK;
        final long un32 = shift == 0 ? high : (high << shift) | (low >>> (64 - shift));
        final long un10 = low << shift;
        final long un1 = un10 >>> 32;
        final long un0 = un10 & LOW_MASK;

        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, DIGIT) >= 0 || Long.compareUnsigned(q1 * vn0, DIGIT * rhat + un1) > 0)
        {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, DIGIT) >= 0)
            {
                break;
            }
        }
        final long un21 = un32 * DIGIT + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, DIGIT) >= 0 || Long.compareUnsigned(q0 * vn0, DIGIT * rhat + un0) > 0)
        {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, DIGIT) >= 0)
            {
                break;
            }
        }
        return q1 * DIGIT + q0;
    }
}
