package mm.risk;

import mm.common.Decimals;
import mm.risk.FixedPoint.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FixedPointTest
{
    @Test
    void roundsEachWay()
    {
        assertEquals(3, FixedPoint.multiplyDivide(7, 1, 2, Rounding.FLOOR));
        assertEquals(4, FixedPoint.multiplyDivide(7, 1, 2, Rounding.CEILING));
        assertEquals(4, FixedPoint.multiplyDivide(7, 1, 2, Rounding.HALF_UP));
        assertEquals(-4, FixedPoint.multiplyDivide(-7, 1, 2, Rounding.FLOOR));
        assertEquals(-3, FixedPoint.multiplyDivide(-7, 1, 2, Rounding.CEILING));
        assertEquals(-4, FixedPoint.multiplyDivide(-7, 1, 2, Rounding.HALF_UP), "a tie goes away from zero");
        assertEquals(2, FixedPoint.multiplyDivide(7, 1, 3, Rounding.HALF_UP));
        assertEquals(0, FixedPoint.multiplyDivide(0, -5, 3, Rounding.FLOOR));
    }

    @Test
    void productsBeyond64BitsDivideExactly()
    {
        // 60000 USDT at 10^-10 times a 0.1% rate at 10^-10: 6e14 x 1e7 = 6e21 does not fit in a long
        assertEquals(600_000_000_000L, FixedPoint.multiplyDivide(600_000_000_000_000L, 10_000_000L,
            10_000_000_000L, Rounding.CEILING));
        assertEquals(Decimals.INVALID, FixedPoint.multiplyDivide(Long.MAX_VALUE, 2, 1, Rounding.FLOOR));
        assertEquals(Long.MAX_VALUE, FixedPoint.multiplyDivide(Long.MAX_VALUE, 3, 3, Rounding.FLOOR));
        assertEquals(Decimals.INVALID, FixedPoint.multiplyDivide(Long.MIN_VALUE, 1, 1, Rounding.FLOOR));
    }

    @Test
    void agreesWithBigDecimalOnRandomOperands()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++)
        {
            final long a = random.nextLong() >> random.nextInt(64);
            final long b = random.nextLong() >> random.nextInt(64);
            final long d = Math.max(1, random.nextLong(Long.MAX_VALUE) >> random.nextInt(63));
            for (final Rounding rounding : Rounding.values())
            {
                final BigInteger exact = new BigDecimal(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)))
                    .divide(new BigDecimal(d), 0, switch (rounding)
                    {
                        case FLOOR -> RoundingMode.FLOOR;
                        case CEILING -> RoundingMode.CEILING;
                        case HALF_UP -> RoundingMode.HALF_UP;
                    }).toBigIntegerExact();
                final long expected = exact.bitLength() < 64 && exact.longValue() != Long.MIN_VALUE ?
                    exact.longValueExact() : Decimals.INVALID;
                assertEquals(expected, FixedPoint.multiplyDivide(a, b, d, rounding),
                    a + " * " + b + " / " + d + " " + rounding);
            }
        }
    }

    @Test
    void rescalesWithRounding()
    {
        assertEquals(2418, FixedPoint.rescale(24_180_417_500_000L, -12, -2, Rounding.HALF_UP));
        assertEquals(-3, FixedPoint.rescale(-25, -1, 0, Rounding.HALF_UP));
        assertEquals(-3, FixedPoint.rescale(-25, -1, 0, Rounding.FLOOR));
        assertEquals(1200, FixedPoint.rescale(12, -2, -4, Rounding.FLOOR));
        assertEquals(Decimals.INVALID, FixedPoint.rescale(Long.MAX_VALUE / 10, -2, -4, Rounding.FLOOR));
        assertEquals(1, FixedPoint.rescale(1, -30, 0, Rounding.CEILING));
    }
}
