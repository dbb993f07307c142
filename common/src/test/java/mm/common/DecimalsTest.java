package mm.common;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecimalsTest
{
    @Test
    void parsesBinanceStringsExactlyAtTheInstrumentScale()
    {
        assertEquals(6_173_763L, parse("61737.63000000", -2));
        assertEquals(0L, parse("0.00000000", -8));
        assertEquals(167_177_000L, parse("1.67177000", -8));
        assertEquals(2_542_618_900L, parse("25.42618900", -8));
        assertEquals(616_597L, parse("61659.70", -1));
        assertEquals(-150L, parse("-1.5", -2));
        assertEquals(100L, parse("1", -2));
        assertEquals(5L, parse(".05", -2));
    }

    @Test
    void rejectsWhatCannotBeRepresentedInsteadOfRounding()
    {
        assertEquals(Decimals.INVALID, parse("25.42618900", -5), "a sixth decimal at scale 5");
        assertEquals(Decimals.INVALID, parse("0.001", -2));
        assertEquals(Decimals.INVALID, parse("", -2));
        assertEquals(Decimals.INVALID, parse("1.2.3", -2));
        assertEquals(Decimals.INVALID, parse("12a", -2));
        assertEquals(Decimals.INVALID, parse(".", -2));
        assertEquals(Decimals.INVALID, parse("92233720368547758.08", -2), "overflows a long");
        assertEquals(Decimals.INVALID, parse("1", -19), "scale beyond 18");
    }

    @Test
    void formatsAndRescalesExactly()
    {
        assertEquals("61602.01", Decimals.toString(6_160_201, -2));
        assertEquals("0.00100000", Decimals.toString(100_000, -8));
        assertEquals("-0.6078683", Decimals.toString(-6_078_683, -7));
        assertEquals("5", Decimals.toString(5, 0));
        assertEquals(6_160_201_000_000L, Decimals.rescale(6_160_201, -2, -8));
        assertEquals(6_160_201L, Decimals.rescale(6_160_201_000_000L, -8, -2));
        assertEquals(Decimals.INVALID, Decimals.rescale(6_160_201_000_001L, -8, -2));
        assertEquals(Decimals.INVALID, Decimals.rescale(Long.MAX_VALUE / 10, -2, -8));
    }

    @Test
    void multiplyExactReportsOverflow()
    {
        assertEquals(600_000_000L, Decimals.multiplyExact(6_000_000, 100));
        assertEquals(Decimals.INVALID, Decimals.multiplyExact(Long.MAX_VALUE / 2, 3));
        assertEquals(-6L, Decimals.multiplyExact(-2, 3));
    }

    @Test
    void minimalScaleIgnoresTrailingZeros()
    {
        assertEquals(2, Decimals.minimalScale("0.01000000"));
        assertEquals(5, Decimals.minimalScale("0.00001"));
        assertEquals(0, Decimals.minimalScale("1"));
    }

    private static long parse(final String text, final int exponent)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final long fromBuffer = Decimals.parse(new UnsafeBuffer(bytes), 0, bytes.length, exponent);
        assertEquals(fromBuffer, Decimals.parse(text, exponent), "buffer and text paths agree");
        return fromBuffer;
    }

    @org.junit.jupiter.api.Test
    void putAsciiWritesTheSameTextAsToString()
    {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
        final long[] mantissas = {0, 1, -1, 5_200_000, 847_000, 123_456_789_012L, Long.MAX_VALUE, -42};
        final int[] exponents = {0, -1, -2, -8, 2, -18};
        for (final long mantissa : mantissas)
        {
            for (final int exponent : exponents)
            {
                final int length = Decimals.putAscii(buffer, 3, mantissa, exponent);
                org.junit.jupiter.api.Assertions.assertEquals(
                    Decimals.toString(mantissa, exponent), buffer.getStringWithoutLengthAscii(3, length));
            }
        }
    }
}
