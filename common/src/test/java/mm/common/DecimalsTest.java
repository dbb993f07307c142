package mm.common;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    /**
     * The word-at-a-time parse against the byte-by-byte one it replaced (kept below as the reference), on random
     * and edge-case text placed anywhere in a buffer: the same mantissa or INVALID for every input and exponent,
     * whatever bytes surround the text.
     */
    @Test
    void parseMatchesTheBytewiseReferenceOnEveryInput()
    {
        final java.util.Random random = new java.util.Random(20261122);
        final java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of(
            "", "-", ".", "-.", "..", "0", "-0", "0.", ".0", "00000000", "000000000", "0.00000000", "-0.000000000000000000",
            "1", "12345678", "123456789", "1234567.8", "12345678.", ".12345678", "0.123456789012345678",
            "0.1234567890123456789", "61737.63000000", "1.67177000", "25.42618900", "61659.70", "-1.5", ".05",
            "999999999999999999", "9999999999999999999", "9223372036854775807", "9223372036854775808",
            "-9223372036854775807", "-9223372036854775808", "922337203685477580.7", "92233720368547758.07",
            "92233720368547758.08", "92233720368547758", "92233720368547759", "9223372036854775.807",
            "000000000000000000000000001", "0000000000000000001.5", "1.000000000000000000000000",
            "1.00000000000000000000000001", "12345678901234567.8", "123456789012345678.9", "1e5", "1E5", "+1",
            "1.2.3", "1..2", "12a", "1 ", " 1", "1-", "--1", "1.-2", "0x10", "1,5", "\u00b91", "12345678/", "1234567:",
            "12345678.9abcdef", "1.23456789:", "5.00000000/", "5.0000000:", "4.0000000000000000", "7.00000001"));
        final String alphabet = "0123456789000000000.......--+eE /:a\u00ff\u0000";
        for (int i = 0; i < 60_000; i++)
        {
            final int length = random.nextInt(32);
            final StringBuilder sb = new StringBuilder(length);
            final boolean numeric = random.nextInt(3) != 0;
            for (int c = 0; c < length; c++)
            {
                sb.append(numeric && random.nextInt(12) != 0 ? (char)('0' + random.nextInt(10)) :
                    alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (numeric && length > 1 && random.nextBoolean())
            {
                sb.setCharAt(random.nextInt(length), '.');
            }
            if (numeric && length > 0 && random.nextInt(4) == 0)
            {
                sb.setCharAt(0, '-');
            }
            texts.add(sb.toString());
        }
        for (int i = 0; i < 20_000; i++)
        {
            // Truncated and padded forms of real-looking values.
            final String value = Decimals.toString(random.nextLong() >> random.nextInt(64), -random.nextInt(19)) +
                "0".repeat(random.nextInt(10));
            texts.add(value.substring(0, random.nextInt(value.length() + 1)));
            texts.add(value);
        }
        final byte[] junk = new byte[64];
        long checked = 0;
        for (final String text : texts)
        {
            final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            for (int e = 1; e >= -19; e--)
            {
                final int exponent = e;
                // Exactly sized, and inside a larger buffer between random bytes (digits and zeros among them).
                final long expected = referenceParse(new UnsafeBuffer(bytes), 0, bytes.length, exponent);
                assertEquals(expected, Decimals.parse(new UnsafeBuffer(bytes), 0, bytes.length, exponent),
                    () -> "'" + text + "' at exponent " + exponent);
                final int before = random.nextInt(9);
                final int after = random.nextInt(9);
                final byte[] framed = new byte[before + bytes.length + after];
                random.nextBytes(junk);
                for (int j = 0; j < junk.length; j++)
                {
                    junk[j] = random.nextBoolean() ? (byte)('0' + (junk[j] & 7)) : junk[j];
                }
                System.arraycopy(junk, 0, framed, 0, before);
                System.arraycopy(bytes, 0, framed, before, bytes.length);
                System.arraycopy(junk, before, framed, before + bytes.length, after);
                assertEquals(expected, Decimals.parse(new UnsafeBuffer(framed), before, bytes.length, exponent),
                    () -> "'" + text + "' framed, exponent " + exponent);
                if (exponent <= 0 && exponent >= -Decimals.MAX_SCALE)
                {
                    assertEquals(expected, Decimals.parse(text, exponent), "text path");
                }
                checked++;
            }
        }
        assertTrue(checked > 1_500_000, "checked " + checked);
    }

    @Test
    void parseOfARangeBeyondTheBufferFailsAsItAlwaysDid()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer("12345678".getBytes(StandardCharsets.US_ASCII));
        // A bad byte before the end of the buffer: INVALID, as the byte-by-byte parse returned, not an exception.
        final UnsafeBuffer bad = new UnsafeBuffer("12x45678".getBytes(StandardCharsets.US_ASCII));
        assertEquals(referenceParse(bad, 0, 20, -2), Decimals.parse(bad, 0, 20, -2));
        assertThrows(IndexOutOfBoundsException.class, () -> Decimals.parse(buffer, 0, 9, -2));
        assertThrows(IndexOutOfBoundsException.class, () -> referenceParse(buffer, 0, 9, -2));
    }

    /** The byte-by-byte parse as it was before the word-at-a-time one, verbatim: the reference. */
    private static long referenceParse(final org.agrona.DirectBuffer buffer, final int offset, final int length, final int exponent)
    {
        final int scale = -exponent;
        if (length <= 0 || scale < 0 || scale > Decimals.MAX_SCALE)
        {
            return Decimals.INVALID;
        }
        int i = offset;
        final int end = offset + length;
        boolean negative = false;
        if (buffer.getByte(i) == '-')
        {
            negative = true;
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = -1;
        for (; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == '.')
            {
                if (fractionDigits >= 0)
                {
                    return Decimals.INVALID;
                }
                fractionDigits = 0;
                continue;
            }
            final int digit = b - '0';
            if (digit < 0 || digit > 9)
            {
                return Decimals.INVALID;
            }
            digits++;
            if (fractionDigits >= 0)
            {
                if (fractionDigits == scale)
                {
                    if (digit != 0)
                    {
                        return Decimals.INVALID;
                    }
                    continue;
                }
                fractionDigits++;
            }
            if (mantissa > (Long.MAX_VALUE - digit) / 10)
            {
                return Decimals.INVALID;
            }
            mantissa = mantissa * 10 + digit;
        }
        if (digits == 0)
        {
            return Decimals.INVALID;
        }
        final int pad = scale - Math.max(fractionDigits, 0);
        if (pad > 0)
        {
            final long factor = Decimals.powerOfTen(pad);
            if (mantissa > Long.MAX_VALUE / factor)
            {
                return Decimals.INVALID;
            }
            mantissa *= factor;
        }
        return negative ? -mantissa : mantissa;
    }
}
