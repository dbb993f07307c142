package mm.risk;

import mm.common.Decimals;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable ASCII line for the reason text of a TradingStateChange: words, integers and exact decimals
 * appended without allocating. Longer text is cut at the capacity.
 */
final class AsciiText
{
    private static final int CAPACITY = 512;

    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
    private final byte[] digits = new byte[20];
    private int length;

    AsciiText clear()
    {
        length = 0;
        return this;
    }

    int length()
    {
        return length;
    }

    AsciiText append(final String ascii)
    {
        for (int i = 0, n = ascii.length(); i < n && length < CAPACITY; i++)
        {
            final char c = ascii.charAt(i);
            buffer.putByte(length++, (byte)(c < 128 ? c : '?'));
        }
        return this;
    }

    AsciiText append(final org.agrona.DirectBuffer source, final int offset, final int sourceLength)
    {
        for (int i = 0; i < sourceLength && length < CAPACITY; i++)
        {
            final byte b = source.getByte(offset + i);
            buffer.putByte(length++, b >= 32 && b < 127 ? b : (byte)'?');
        }
        return this;
    }

    AsciiText append(final long value)
    {
        if (value == Long.MIN_VALUE)
        {
            return append("-9223372036854775808");
        }
        if (value < 0)
        {
            put((byte)'-');
        }
        long rest = Math.abs(value);
        int n = 0;
        do
        {
            digits[n++] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        while (rest != 0);
        while (n > 0)
        {
            put(digits[--n]);
        }
        return this;
    }

    /** The exact decimal of {@code mantissa × 10^exponent} with {@code -exponent} decimals. */
    AsciiText appendDecimal(final long mantissa, final int exponent)
    {
        if (exponent >= 0 || mantissa == Long.MIN_VALUE)
        {
            append(mantissa);
            for (int i = 0; i < exponent; i++)
            {
                put((byte)'0');
            }
            return this;
        }
        if (exponent < -Decimals.MAX_SCALE)
        {
            return append(mantissa).append("e").append(exponent);
        }
        final long factor = Decimals.powerOfTen(-exponent);
        if (mantissa < 0)
        {
            put((byte)'-');
        }
        final long abs = Math.abs(mantissa);
        append(abs / factor);
        put((byte)'.');
        long fraction = abs % factor;
        for (int i = -exponent - 1; i >= 0; i--)
        {
            final long power = Decimals.powerOfTen(i);
            put((byte)('0' + fraction / power));
            fraction %= power;
        }
        return this;
    }

    private void put(final byte b)
    {
        if (length < CAPACITY)
        {
            buffer.putByte(length++, b);
        }
    }

    @Override
    public String toString()
    {
        return buffer.getStringWithoutLengthAscii(0, length);
    }
}
