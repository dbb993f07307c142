package mm.feed.kite;

/**
 * Kite exchange segments as carried in the low byte of an instrument token
 * ({@code token = exchangeToken << 8 | segment}). The segment fixes the price scale of every price field of
 * a tick: the wire integer is the mantissa, so the scale is an exponent (CDS divides by 10^7, BCD by 10^4,
 * everything else, indices included, by 100).
 */
public enum KiteSegment
{
    NSE(1, -2),
    NFO(2, -2),
    /** NSE currency derivatives: prices in units of 10^-7. */
    CDS(3, -7),
    BSE(4, -2),
    BFO(5, -2),
    /** BSE currency derivatives: prices in units of 10^-4. */
    BCD(6, -4),
    MCX(7, -2),
    MCXSX(8, -2),
    /** Indices (NIFTY 50, SENSEX, ...): not tradable, prices in units of 10^-2. */
    INDICES(9, -2);

    /** Exponent the official clients use (divisor 100) for a segment id they do not know. */
    public static final int DEFAULT_PRICE_EXPONENT = -2;

    private static final KiteSegment[] BY_ID = new KiteSegment[256];
    private static final int[] EXPONENT_BY_ID = new int[256];

    static
    {
        java.util.Arrays.fill(EXPONENT_BY_ID, DEFAULT_PRICE_EXPONENT);
        for (final KiteSegment segment : values())
        {
            BY_ID[segment.id] = segment;
            EXPONENT_BY_ID[segment.id] = segment.priceExponent;
        }
    }

    private final int id;
    private final int priceExponent;

    KiteSegment(final int id, final int priceExponent)
    {
        this.id = id;
        this.priceExponent = priceExponent;
    }

    /** The segment byte on the wire (low byte of the instrument token). */
    public int id()
    {
        return id;
    }

    /** Price value = wire integer * 10^priceExponent. */
    public int priceExponent()
    {
        return priceExponent;
    }

    /** True for every segment except {@link #INDICES}. */
    public boolean tradable()
    {
        return this != INDICES;
    }

    /** The segment with this wire id, or null if unknown. */
    public static KiteSegment of(final int segmentId)
    {
        return segmentId >= 0 && segmentId < BY_ID.length ? BY_ID[segmentId] : null;
    }

    /** Segment id of an instrument token: its low byte. */
    public static int idOf(final int instrumentToken)
    {
        return instrumentToken & 0xFF;
    }

    /** Price exponent for a segment id; unknown ids get {@link #DEFAULT_PRICE_EXPONENT} as in the official clients. */
    public static int priceExponentOf(final int segmentId)
    {
        return EXPONENT_BY_ID[segmentId & 0xFF];
    }
}
