package mm.feed.kite;

/**
 * The five packet layouts of the Kite binary feed. The packet's length alone says which one it is (there is no
 * mode byte), so an unknown length is an unknown packet, never a short one.
 */
public enum KitePacketMode
{
    /** Token and last price, any segment. */
    LTP(8, "ltp"),
    /** Index (segment 9) quote: ltp, high, low, open, close, change. */
    INDEX_QUOTE(28, "quote"),
    /** Index quote plus the exchange timestamp. */
    INDEX_FULL(32, "full"),
    /** Tradable quote: ltp, quantities, average price, volume, open, high, low, close. */
    QUOTE(44, "quote"),
    /** Tradable quote plus trade time, open interest, exchange time and 5 + 5 depth entries. */
    FULL(184, "full");

    private final int packetLength;
    private final String wireName;

    KitePacketMode(final int packetLength, final String wireName)
    {
        this.packetLength = packetLength;
        this.wireName = wireName;
    }

    /** Packet length in bytes, excluding the 2-byte length prefix of the message framing. */
    public int packetLength()
    {
        return packetLength;
    }

    /** The mode name the Kite API uses for this packet: {@code ltp}, {@code quote} or {@code full}. */
    public String wireName()
    {
        return wireName;
    }

    /** True for the index layouts (28 and 32 bytes), whose OHLC order is high, low, open, close. */
    public boolean indexLayout()
    {
        return this == INDEX_QUOTE || this == INDEX_FULL;
    }

    /** The mode of a packet of this length, or null if no mode has it. */
    public static KitePacketMode ofLength(final int packetLength)
    {
        return switch (packetLength)
        {
            case 8 -> LTP;
            case 28 -> INDEX_QUOTE;
            case 32 -> INDEX_FULL;
            case 44 -> QUOTE;
            case 184 -> FULL;
            default -> null;
        };
    }
}
