package mm.feed.kite.venue;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Writes Kite binary messages (big-endian): {@code u16 count}, then per packet {@code u16 length} + packet, in the
 * documented layouts (LTP 8 B, quote 44 B, full 184 B). Our own encoder of the wire format, independent of the
 * decoder; used by the fake server and by tests. Allocation-free; not thread-safe.
 */
public final class KitePacketWriter
{
    /** Packet lengths of the tradable modes. */
    public static final int LTP_LENGTH = 8;
    public static final int QUOTE_LENGTH = 44;
    public static final int FULL_LENGTH = 184;
    public static final int DEPTH_LEVELS = 5;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private MutableDirectBuffer buffer;
    private int start;
    private int position;
    private int count;

    /** Starts a message at {@code offset}; the buffer must hold it. */
    public KitePacketWriter begin(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.start = offset;
        this.position = offset + 2;
        this.count = 0;
        return this;
    }

    /** Ends the message (writes the count); returns its length in bytes. */
    public int end()
    {
        buffer.putShort(start, (short)count, BE);
        return position - start;
    }

    /** An LTP packet. */
    public KitePacketWriter ltp(final int token, final int lastPrice)
    {
        final int at = packet(LTP_LENGTH);
        buffer.putInt(at, token, BE);
        buffer.putInt(at + 4, lastPrice, BE);
        return this;
    }

    /**
     * A quote packet (no depth, no times).
     *
     * @param volume cumulative volume today.
     */
    public KitePacketWriter quote(
        final int token, final int lastPrice, final int lastQty, final int averagePrice, final int volume,
        final int totalBuyQty, final int totalSellQty, final int open, final int high, final int low, final int close)
    {
        final int at = packet(QUOTE_LENGTH);
        writeQuote(at, token, lastPrice, lastQty, averagePrice, volume, totalBuyQty, totalSellQty, open, high, low, close);
        return this;
    }

    /**
     * A full packet; depth arrays hold 5 entries each, best first (quantity 0 = empty level).
     *
     * @param exchangeTimeS  epoch seconds.
     * @param lastTradeTimeS epoch seconds.
     */
    public KitePacketWriter full(
        final int token, final int lastPrice, final int lastQty, final int volume, final int close,
        final int lastTradeTimeS, final int exchangeTimeS,
        final int[] bidPrices, final int[] bidQtys, final int[] askPrices, final int[] askQtys)
    {
        final int at = packet(FULL_LENGTH);
        writeQuote(at, token, lastPrice, lastQty, lastPrice, volume, sum(bidQtys), sum(askQtys), close, lastPrice,
            lastPrice, close);
        buffer.putInt(at + 44, lastTradeTimeS, BE);
        buffer.putInt(at + 48, 0, BE);
        buffer.putInt(at + 52, 0, BE);
        buffer.putInt(at + 56, 0, BE);
        buffer.putInt(at + 60, exchangeTimeS, BE);
        for (int i = 0; i < DEPTH_LEVELS; i++)
        {
            depth(at + 64 + i * 12, bidQtys[i], bidPrices[i], bidQtys[i] > 0 ? 1 + i : 0);
            depth(at + 124 + i * 12, askQtys[i], askPrices[i], askQtys[i] > 0 ? 1 + i : 0);
        }
        return this;
    }

    /** A packet of arbitrary bytes and declared length (fault injection: unknown or lying lengths). */
    public KitePacketWriter raw(final int declaredLength, final byte[] bytes)
    {
        buffer.putShort(position, (short)declaredLength, BE);
        buffer.putBytes(position + 2, bytes);
        position += 2 + bytes.length;
        count++;
        return this;
    }

    private void depth(final int at, final int qty, final int price, final int orders)
    {
        buffer.putInt(at, qty, BE);
        buffer.putInt(at + 4, price, BE);
        buffer.putShort(at + 8, (short)orders, BE);
        buffer.putShort(at + 10, (short)0, BE);
    }

    private void writeQuote(
        final int at, final int token, final int lastPrice, final int lastQty, final int averagePrice, final int volume,
        final int totalBuyQty, final int totalSellQty, final int open, final int high, final int low, final int close)
    {
        buffer.putInt(at, token, BE);
        buffer.putInt(at + 4, lastPrice, BE);
        buffer.putInt(at + 8, lastQty, BE);
        buffer.putInt(at + 12, averagePrice, BE);
        buffer.putInt(at + 16, volume, BE);
        buffer.putInt(at + 20, totalBuyQty, BE);
        buffer.putInt(at + 24, totalSellQty, BE);
        buffer.putInt(at + 28, open, BE);
        buffer.putInt(at + 32, high, BE);
        buffer.putInt(at + 36, low, BE);
        buffer.putInt(at + 40, close, BE);
    }

    private int packet(final int length)
    {
        buffer.putShort(position, (short)length, BE);
        final int at = position + 2;
        position = at + length;
        count++;
        return at;
    }

    private static int sum(final int[] values)
    {
        int s = 0;
        for (final int v : values)
        {
            s += v;
        }
        return s;
    }
}
