package mm.feed.kite;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Zero-allocation view of one Kite tick packet inside a received message, handed to
 * {@link KiteTickListener#onTick}. It reads the big-endian wire fields on demand; it is valid only during that
 * callback (the decoder reuses it and the transport reuses the buffer).
 * <p>
 * Prices are {@code long} mantissas at {@link #priceExponent()} (the wire integer is the mantissa, read
 * signed). Quantities, volume and open interest are plain counts read as unsigned 32-bit, timestamps as
 * unsigned 32-bit epoch seconds; depth order counts as unsigned 16-bit. A field the packet's mode does not
 * carry reads as {@link #ABSENT}. See {@code docs/protocols/kite.md} for why these choices.
 */
public final class KiteTick
{
    /** Value of any field that the packet's mode does not carry. */
    public static final long ABSENT = Long.MIN_VALUE;
    /** Depth levels per side in a full packet. */
    public static final int DEPTH_LEVELS = 5;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final long NS_PER_S = 1_000_000_000L;

    // Offsets common to every layout.
    static final int TOKEN = 0;
    static final int LAST_PRICE = 4;
    // Tradable (quote / full) layout.
    static final int LAST_QUANTITY = 8;
    static final int AVERAGE_PRICE = 12;
    static final int VOLUME = 16;
    static final int TOTAL_BUY_QUANTITY = 20;
    static final int TOTAL_SELL_QUANTITY = 24;
    static final int OPEN = 28;
    static final int HIGH = 32;
    static final int LOW = 36;
    static final int CLOSE = 40;
    static final int LAST_TRADE_TIME = 44;
    static final int OPEN_INTEREST = 48;
    static final int OPEN_INTEREST_DAY_HIGH = 52;
    static final int OPEN_INTEREST_DAY_LOW = 56;
    static final int EXCHANGE_TIME = 60;
    static final int BID_DEPTH = 64;
    static final int ASK_DEPTH = 124;
    static final int DEPTH_ENTRY_LENGTH = 12;
    static final int DEPTH_PRICE = 4;
    static final int DEPTH_ORDERS = 8;
    // Index layout: note high, low, open, close order.
    static final int INDEX_HIGH = 8;
    static final int INDEX_LOW = 12;
    static final int INDEX_OPEN = 16;
    static final int INDEX_CLOSE = 20;
    static final int INDEX_CHANGE = 24;
    static final int INDEX_EXCHANGE_TIME = 28;

    private DirectBuffer buffer;
    private int offset;
    private KitePacketMode mode;
    private int token;
    private int priceExponent;
    private int packetIndex;
    private long receiveTimeNs;
    // Layout flags cached at wrap so accessors branch on a field, not on the enum.
    private boolean tradableLayout;
    private boolean indexLayout;
    private boolean full;

    void wrap(
        final DirectBuffer buffer, final int offset, final KitePacketMode mode, final int packetIndex,
        final long receiveTimeNs)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.mode = mode;
        this.packetIndex = packetIndex;
        this.receiveTimeNs = receiveTimeNs;
        token = buffer.getInt(offset + TOKEN, BE);
        // One rule for every layout: the segment decides the scale (see docs/protocols/kite.md).
        priceExponent = KiteSegment.priceExponentOf(token & 0xFF);
        indexLayout = mode == KitePacketMode.INDEX_QUOTE || mode == KitePacketMode.INDEX_FULL;
        tradableLayout = mode == KitePacketMode.QUOTE || mode == KitePacketMode.FULL;
        full = mode == KitePacketMode.FULL || mode == KitePacketMode.INDEX_FULL;
    }

    /** The buffer holding the packet (for pass-through or recording; valid during the callback only). */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Offset of the packet's first byte (the token) in {@link #buffer()}. */
    public int offset()
    {
        return offset;
    }

    /** Packet length in bytes (the mode's length). */
    public int length()
    {
        return mode.packetLength();
    }

    public KitePacketMode mode()
    {
        return mode;
    }

    /** Position of this packet in its message, from 0. */
    public int packetIndex()
    {
        return packetIndex;
    }

    /** Receive time of the message, as passed to {@link KiteMessageDecoder#decode}. */
    public long receiveTimeNs()
    {
        return receiveTimeNs;
    }

    public int instrumentToken()
    {
        return token;
    }

    /** Low byte of the token. */
    public int segmentId()
    {
        return token & 0xFF;
    }

    /** The segment, or null if the segment byte is unknown. */
    public KiteSegment segment()
    {
        return KiteSegment.of(token & 0xFF);
    }

    /** The exchange's own token: the instrument token without its segment byte. */
    public int exchangeToken()
    {
        return token >>> 8;
    }

    /** False for indices (segment 9), true otherwise, whatever the layout (as the official clients do). */
    public boolean tradable()
    {
        return (token & 0xFF) != KiteSegment.INDICES.id();
    }

    /** Exponent of every price field of this tick: -7 for CDS, -4 for BCD, -2 otherwise. */
    public int priceExponent()
    {
        return priceExponent;
    }

    /** Last traded price mantissa (every mode). */
    public long lastPrice()
    {
        return signed(LAST_PRICE);
    }

    /** Open price mantissa; {@link #ABSENT} in LTP mode. */
    public long open()
    {
        return tradableLayout ? signed(OPEN) : indexLayout ? signed(INDEX_OPEN) : ABSENT;
    }

    /** Day high mantissa; {@link #ABSENT} in LTP mode. */
    public long high()
    {
        return tradableLayout ? signed(HIGH) : indexLayout ? signed(INDEX_HIGH) : ABSENT;
    }

    /** Day low mantissa; {@link #ABSENT} in LTP mode. */
    public long low()
    {
        return tradableLayout ? signed(LOW) : indexLayout ? signed(INDEX_LOW) : ABSENT;
    }

    /** Previous close mantissa; {@link #ABSENT} in LTP mode. */
    public long close()
    {
        return tradableLayout ? signed(CLOSE) : indexLayout ? signed(INDEX_CLOSE) : ABSENT;
    }

    /**
     * Absolute net change {@code lastPrice - close} as a mantissa at {@link #priceExponent()}, for every mode
     * that carries a close; {@link #ABSENT} in LTP mode. The engine's one definition of "change" (not the
     * percentage some clients compute).
     */
    public long netChange()
    {
        return tradableLayout || indexLayout ? lastPrice() - close() : ABSENT;
    }

    /** The index packet's own change field (signed, may be negative); {@link #ABSENT} for other layouts. */
    public long indexChangeField()
    {
        return indexLayout ? signed(INDEX_CHANGE) : ABSENT;
    }

    /** Last traded quantity; {@link #ABSENT} unless quote or full. */
    public long lastQuantity()
    {
        return tradableLayout ? unsigned(LAST_QUANTITY) : ABSENT;
    }

    /** Volume-weighted average traded price mantissa; {@link #ABSENT} unless quote or full. */
    public long averagePrice()
    {
        return tradableLayout ? signed(AVERAGE_PRICE) : ABSENT;
    }

    /** Volume traded today; {@link #ABSENT} unless quote or full. */
    public long volume()
    {
        return tradableLayout ? unsigned(VOLUME) : ABSENT;
    }

    /** Total pending buy quantity; {@link #ABSENT} unless quote or full. */
    public long totalBuyQuantity()
    {
        return tradableLayout ? unsigned(TOTAL_BUY_QUANTITY) : ABSENT;
    }

    /** Total pending sell quantity; {@link #ABSENT} unless quote or full. */
    public long totalSellQuantity()
    {
        return tradableLayout ? unsigned(TOTAL_SELL_QUANTITY) : ABSENT;
    }

    /** Last trade time in epoch seconds (0 if the exchange sent none); {@link #ABSENT} unless full. */
    public long lastTradeTimeS()
    {
        return mode == KitePacketMode.FULL ? unsigned(LAST_TRADE_TIME) : ABSENT;
    }

    /** {@link #lastTradeTimeS()} in epoch nanoseconds; {@link #ABSENT} unless full. */
    public long lastTradeTimeNs()
    {
        return mode == KitePacketMode.FULL ? unsigned(LAST_TRADE_TIME) * NS_PER_S : ABSENT;
    }

    /** Open interest; {@link #ABSENT} unless full (tradable). */
    public long openInterest()
    {
        return mode == KitePacketMode.FULL ? unsigned(OPEN_INTEREST) : ABSENT;
    }

    /** Day high of open interest; {@link #ABSENT} unless full (tradable). */
    public long openInterestDayHigh()
    {
        return mode == KitePacketMode.FULL ? unsigned(OPEN_INTEREST_DAY_HIGH) : ABSENT;
    }

    /** Day low of open interest; {@link #ABSENT} unless full (tradable). */
    public long openInterestDayLow()
    {
        return mode == KitePacketMode.FULL ? unsigned(OPEN_INTEREST_DAY_LOW) : ABSENT;
    }

    /** Exchange timestamp in epoch seconds (0 if none sent); {@link #ABSENT} unless full or index full. */
    public long exchangeTimeS()
    {
        if (!full)
        {
            return ABSENT;
        }
        return unsigned(indexLayout ? INDEX_EXCHANGE_TIME : EXCHANGE_TIME);
    }

    /** {@link #exchangeTimeS()} in epoch nanoseconds; {@link #ABSENT} unless full or index full. */
    public long exchangeTimeNs()
    {
        final long seconds = exchangeTimeS();
        return seconds == ABSENT ? ABSENT : seconds * NS_PER_S;
    }

    /** Depth levels per side carried: {@link #DEPTH_LEVELS} in full mode, 0 otherwise. */
    public int depthLevels()
    {
        return mode == KitePacketMode.FULL ? DEPTH_LEVELS : 0;
    }

    /** Quantity at bid level {@code level} (0 = best); {@link #ABSENT} unless full. */
    public long bidQuantity(final int level)
    {
        return depthUnsigned(BID_DEPTH, level, 0);
    }

    /** Price mantissa at bid level {@code level} (0 = best); {@link #ABSENT} unless full. */
    public long bidPrice(final int level)
    {
        return depthSigned(BID_DEPTH, level);
    }

    /** Number of orders at bid level {@code level}; {@link #ABSENT} unless full. */
    public long bidOrders(final int level)
    {
        return depthOrders(BID_DEPTH, level);
    }

    /** Quantity at ask level {@code level} (0 = best); {@link #ABSENT} unless full. */
    public long askQuantity(final int level)
    {
        return depthUnsigned(ASK_DEPTH, level, 0);
    }

    /** Price mantissa at ask level {@code level} (0 = best); {@link #ABSENT} unless full. */
    public long askPrice(final int level)
    {
        return depthSigned(ASK_DEPTH, level);
    }

    /** Number of orders at ask level {@code level}; {@link #ABSENT} unless full. */
    public long askOrders(final int level)
    {
        return depthOrders(ASK_DEPTH, level);
    }

    /**
     * The raw big-endian 32-bit word at {@code packetOffset} bytes into the packet, for fields this view does not
     * name or for checking a choice of signedness; must lie inside the packet.
     */
    public int rawInt(final int packetOffset)
    {
        if (packetOffset < 0 || packetOffset + 4 > mode.packetLength())
        {
            throw new IndexOutOfBoundsException("offset " + packetOffset + " outside a " + mode.packetLength() + "-byte packet");
        }
        return buffer.getInt(offset + packetOffset, BE);
    }

    private long signed(final int fieldOffset)
    {
        return buffer.getInt(offset + fieldOffset, BE);
    }

    private long unsigned(final int fieldOffset)
    {
        return buffer.getInt(offset + fieldOffset, BE) & 0xFFFF_FFFFL;
    }

    private long depthUnsigned(final int sideOffset, final int level, final int fieldOffset)
    {
        if (mode != KitePacketMode.FULL)
        {
            return ABSENT;
        }
        return unsigned(sideOffset + checkLevel(level) * DEPTH_ENTRY_LENGTH + fieldOffset);
    }

    private long depthSigned(final int sideOffset, final int level)
    {
        if (mode != KitePacketMode.FULL)
        {
            return ABSENT;
        }
        return signed(sideOffset + checkLevel(level) * DEPTH_ENTRY_LENGTH + DEPTH_PRICE);
    }

    private long depthOrders(final int sideOffset, final int level)
    {
        if (mode != KitePacketMode.FULL)
        {
            return ABSENT;
        }
        return buffer.getShort(offset + sideOffset + checkLevel(level) * DEPTH_ENTRY_LENGTH + DEPTH_ORDERS, BE) & 0xFFFF;
    }

    private static int checkLevel(final int level)
    {
        // A caller bug, not bad input: fail loudly rather than read a neighbouring field.
        if (level < 0 || level >= DEPTH_LEVELS)
        {
            throw new IndexOutOfBoundsException("depth level " + level + " not in [0, " + DEPTH_LEVELS + ")");
        }
        return level;
    }
}
