package mm.common;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Exact conversions between decimal text and fixed-point mantissas ({@code value = mantissa * 10^exponent}).
 * Nothing here rounds: a value that cannot be represented at the requested exponent is reported as
 * {@link #INVALID} so that callers count and reject it instead of trading on a silently changed number.
 */
public final class Decimals
{
    /** Returned when text is not a decimal number or cannot be represented exactly at the exponent. */
    public static final long INVALID = Long.MIN_VALUE;

    /** Largest supported scale (digits after the point); 10^18 is the largest power of ten in a long. */
    public static final int MAX_SCALE = 18;

    private static final long[] POWERS_OF_TEN = new long[19];
    private static final long ASCII_ZEROS = 0x3030303030303030L;

    static
    {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private Decimals()
    {
    }

    /** 10^n for n in [0, 18]. */
    public static long powerOfTen(final int n)
    {
        return POWERS_OF_TEN[n];
    }

    /**
     * Parses ASCII decimal text such as {@code -61737.63000000} held in a buffer.
     * <p>
     * Reads eight bytes at a time where eight bytes of the text are left (digits checked and converted in a
     * register, SWAR), and never outside {@code [offset, offset + length)}; text with more than 18 significant
     * digits, or a range beyond the buffer, goes byte by byte. Both give the same result for every input.
     *
     * @param exponent the exponent of the result, in [-18, 0].
     * @return the mantissa, or {@link #INVALID} if the text is malformed, has non-zero digits beyond the
     * exponent's scale, or overflows.
     */
    public static long parse(final DirectBuffer buffer, final int offset, final int length, final int exponent)
    {
        final int scale = -exponent;
        if (length <= 0 || scale < 0 || scale > MAX_SCALE)
        {
            return INVALID;
        }
        final int end = offset + length;
        if (offset < 0 || end < 0 || end > buffer.capacity())
        {
            return parseBytewise(buffer, offset, length, exponent); // reads (and fails) exactly as it always did
        }
        int i = offset;
        final boolean negative = buffer.getByte(i) == '-';
        if (negative)
        {
            i++;
        }
        long mantissa = 0;
        int digits = 0; // digits in the mantissa so far: at most 18 here, so nothing can overflow before the scaling
        while (end - i >= Long.BYTES)
        {
            final long word = buffer.getLong(i, ByteOrder.LITTLE_ENDIAN);
            final long nonDigits = nonDigitBytes(word);
            final int run = nonDigits == 0 ? Long.BYTES : Long.numberOfTrailingZeros(nonDigits) >>> 3;
            if (run > 0)
            {
                if (digits + run > MAX_SCALE)
                {
                    return parseBytewise(buffer, offset, length, exponent);
                }
                mantissa = mantissa * POWERS_OF_TEN[run] + leadingDigits(word, run);
                digits += run;
                i += run;
            }
            if (run < Long.BYTES)
            {
                break;
            }
        }
        for (; i < end; i++)
        {
            final int digit = buffer.getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            if (digits == MAX_SCALE)
            {
                return parseBytewise(buffer, offset, length, exponent);
            }
            mantissa = mantissa * 10 + digit;
            digits++;
        }
        int fractionDigits = 0;
        if (i < end)
        {
            if (buffer.getByte(i) != '.')
            {
                return INVALID;
            }
            i++;
            // Digits up to the scale are kept; after them, only zeros may follow.
            while (fractionDigits < scale && i < end)
            {
                if (end - i >= Long.BYTES)
                {
                    final long word = buffer.getLong(i, ByteOrder.LITTLE_ENDIAN);
                    if (nonDigitBytes(word) != 0)
                    {
                        return INVALID; // a second point, a sign or any other byte after the point
                    }
                    final int take = Math.min(Long.BYTES, scale - fractionDigits);
                    if (digits + take > MAX_SCALE)
                    {
                        return parseBytewise(buffer, offset, length, exponent);
                    }
                    mantissa = mantissa * POWERS_OF_TEN[take] + leadingDigits(word, take);
                    digits += take;
                    fractionDigits += take;
                    i += take;
                }
                else
                {
                    final int digit = buffer.getByte(i) - '0';
                    if (digit < 0 || digit > 9)
                    {
                        return INVALID;
                    }
                    if (digits == MAX_SCALE)
                    {
                        return parseBytewise(buffer, offset, length, exponent);
                    }
                    mantissa = mantissa * 10 + digit;
                    digits++;
                    fractionDigits++;
                    i++;
                }
            }
            if (i < end)
            {
                if (!zeroDigits(buffer, offset, i, end))
                {
                    return INVALID;
                }
                digits++; // at least one digit was seen, a zero beyond the scale
            }
        }
        if (digits == 0)
        {
            return INVALID;
        }
        final int pad = scale - fractionDigits;
        if (pad > 0)
        {
            final long factor = POWERS_OF_TEN[pad];
            if (mantissa > Long.MAX_VALUE / factor)
            {
                return INVALID;
            }
            mantissa *= factor;
        }
        return negative ? -mantissa : mantissa;
    }

    /** Non-zero in every byte of {@code word} that is not an ASCII digit; exact up to and including the first such byte. */
    private static long nonDigitBytes(final long word)
    {
        // A digit is 0x30-0x39: its high nibble is 3, and still 3 after adding 6. A carry out of a byte (0xFA and
        // above, not a digit) can only disturb the bytes after it, which come later in the text.
        return ((word & 0xF0F0F0F0F0F0F0F0L) ^ ASCII_ZEROS) | (((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) ^ ASCII_ZEROS);
    }

    /**
     * The value of the first {@code count} (1 to 8) bytes of {@code word} (little-endian: the first byte is the
     * most significant digit), all ASCII digits.
     */
    private static long leadingDigits(final long word, final int count)
    {
        // Digit values, the wanted ones moved to the top so that the bytes below read as leading zeros. A borrow
        // from a non-digit byte only reaches the bytes after it, which are shifted out.
        long value = (word - ASCII_ZEROS) << ((Long.BYTES - count) << 3);
        value = (value * 10 + (value >>> 8)) & 0x00FF00FF00FF00FFL; // pairs of digits
        value = (value * 100 + (value >>> 16)) & 0x0000FFFF0000FFFFL; // groups of four
        return (value * 10_000 + (value >>> 32)) & 0xFFFFFFFFL;
    }

    /** True if {@code [from, end)} (non-empty, inside {@code [offset, end)}) are all ASCII zeros. */
    private static boolean zeroDigits(final DirectBuffer buffer, final int offset, final int from, final int end)
    {
        int i = from;
        while (end - i >= Long.BYTES)
        {
            if (buffer.getLong(i, ByteOrder.LITTLE_ENDIAN) != ASCII_ZEROS)
            {
                return false;
            }
            i += Long.BYTES;
        }
        final int left = end - i;
        if (left == 0)
        {
            return true;
        }
        if (end - Long.BYTES >= offset)
        {
            // The last eight bytes of the text: the ones before i were checked already.
            final int shift = (Long.BYTES - left) << 3;
            return buffer.getLong(end - Long.BYTES, ByteOrder.LITTLE_ENDIAN) >>> shift == ASCII_ZEROS >>> shift;
        }
        for (; i < end; i++)
        {
            if (buffer.getByte(i) != '0')
            {
                return false;
            }
        }
        return true;
    }

    /** The byte-by-byte parse: for the cases the word-at-a-time one leaves to it, with the same results. */
    private static long parseBytewise(final DirectBuffer buffer, final int offset, final int length, final int exponent)
    {
        final int scale = -exponent;
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
                    return INVALID;
                }
                fractionDigits = 0;
                continue;
            }
            final int digit = b - '0';
            if (digit < 0 || digit > 9)
            {
                return INVALID;
            }
            digits++;
            if (fractionDigits >= 0)
            {
                if (fractionDigits == scale)
                {
                    if (digit != 0)
                    {
                        return INVALID;
                    }
                    continue;
                }
                fractionDigits++;
            }
            if (mantissa > (Long.MAX_VALUE - digit) / 10)
            {
                return INVALID;
            }
            mantissa = mantissa * 10 + digit;
        }
        if (digits == 0)
        {
            return INVALID;
        }
        final int pad = scale - Math.max(fractionDigits, 0);
        if (pad > 0)
        {
            final long factor = POWERS_OF_TEN[pad];
            if (mantissa > Long.MAX_VALUE / factor)
            {
                return INVALID;
            }
            mantissa *= factor;
        }
        return negative ? -mantissa : mantissa;
    }

    /** {@link #parse(DirectBuffer, int, int, int)} for text outside the hot path (config, tests). */
    public static long parse(final CharSequence text, final int exponent)
    {
        final byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++)
        {
            final char c = text.charAt(i);
            bytes[i] = c < 128 ? (byte)c : (byte)'?';
        }
        return parse(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length, exponent);
    }

    /** Number of digits after the decimal point, ignoring trailing zeros: the smallest scale that holds the value. */
    public static int minimalScale(final CharSequence text)
    {
        final int point = indexOf(text, '.');
        if (point < 0)
        {
            return 0;
        }
        int end = text.length();
        while (end > point + 1 && text.charAt(end - 1) == '0')
        {
            end--;
        }
        return end - point - 1;
    }

    /**
     * Converts a mantissa between exponents exactly.
     *
     * @return the mantissa at {@code toExponent}, or {@link #INVALID} if precision would be lost or it overflows.
     */
    public static long rescale(final long mantissa, final int fromExponent, final int toExponent)
    {
        if (fromExponent == toExponent)
        {
            return mantissa;
        }
        if (fromExponent > toExponent)
        {
            final int shift = fromExponent - toExponent;
            if (shift > MAX_SCALE)
            {
                return mantissa == 0 ? 0 : INVALID;
            }
            final long factor = POWERS_OF_TEN[shift];
            final long high = Math.multiplyHigh(mantissa, factor);
            final long low = mantissa * factor;
            if ((high != 0 || low < 0) && (high != -1 || low >= 0))
            {
                return INVALID;
            }
            return low == Long.MIN_VALUE ? INVALID : low;
        }
        final int shift = toExponent - fromExponent;
        if (shift > MAX_SCALE)
        {
            return mantissa == 0 ? 0 : INVALID;
        }
        final long factor = POWERS_OF_TEN[shift];
        return mantissa % factor == 0 ? mantissa / factor : INVALID;
    }

    /** Appends the exact decimal text of {@code mantissa * 10^exponent}, with exactly {@code -exponent} decimals. */
    public static StringBuilder append(final StringBuilder out, final long mantissa, final int exponent)
    {
        if (exponent >= 0)
        {
            out.append(mantissa);
            for (int i = 0; i < exponent; i++)
            {
                out.append('0');
            }
            return out;
        }
        final int scale = -exponent;
        if (mantissa < 0)
        {
            out.append('-');
        }
        final long abs = Math.abs(mantissa);
        final long factor = POWERS_OF_TEN[scale];
        out.append(abs / factor).append('.');
        final long fraction = abs % factor;
        final int start = out.length();
        out.append(fraction);
        for (int i = out.length() - start; i < scale; i++)
        {
            out.insert(start, '0');
        }
        return out;
    }

    /**
     * Writes the exact ASCII decimal text of {@code mantissa * 10^exponent} with exactly {@code -exponent}
     * decimals (no allocation: for request encoders on hot paths).
     *
     * @return the number of bytes written.
     */
    public static int putAscii(final MutableDirectBuffer buffer, final int offset, final long mantissa, final int exponent)
    {
        if (mantissa == Long.MIN_VALUE || exponent < -MAX_SCALE)
        {
            throw new IllegalArgumentException("cannot format mantissa " + mantissa + " at exponent " + exponent);
        }
        int position = offset;
        if (exponent >= 0)
        {
            position += buffer.putLongAscii(position, mantissa);
            for (int i = 0; i < exponent; i++)
            {
                buffer.putByte(position++, (byte)'0');
            }
            return position - offset;
        }
        if (mantissa < 0)
        {
            buffer.putByte(position++, (byte)'-');
        }
        final long abs = Math.abs(mantissa);
        final int scale = -exponent;
        final long factor = POWERS_OF_TEN[scale];
        position += buffer.putLongAscii(position, abs / factor);
        buffer.putByte(position++, (byte)'.');
        long fraction = abs % factor;
        for (int i = position + scale - 1; i >= position; i--)
        {
            buffer.putByte(i, (byte)('0' + fraction % 10));
            fraction /= 10;
        }
        return position + scale - offset;
    }

    /** Exact decimal text of {@code mantissa * 10^exponent}. */
    public static String toString(final long mantissa, final int exponent)
    {
        return append(new StringBuilder(24), mantissa, exponent).toString();
    }

    /**
     * {@code a * b} exactly, or {@link #INVALID} when the product does not fit in 63 bits.
     * Used for notional and money where price and quantity mantissas multiply.
     */
    public static long multiplyExact(final long a, final long b)
    {
        final long high = Math.multiplyHigh(a, b);
        final long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0))
        {
            return low == Long.MIN_VALUE ? INVALID : low;
        }
        return INVALID;
    }

    private static int indexOf(final CharSequence text, final char c)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) == c)
            {
                return i;
            }
        }
        return -1;
    }
}
