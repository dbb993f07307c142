package mm.feed.kite;

/**
 * Kinds of malformed or unexpected binary input, each counted by {@link KiteMessageDecoder}. None is fatal:
 * the decoder keeps every packet it can still trust and says here what it could not.
 */
public enum KiteDecodeError
{
    /** A packet length of 0: nothing to decode; skipped, the rest of the message is decoded. */
    ZERO_LENGTH_PACKET(false),
    /** A length that is no known mode: the packet is skipped using its length, the rest is decoded. */
    UNKNOWN_PACKET_LENGTH(true),
    /** A packet length that runs past the end of the message: nothing from there on is trustworthy. */
    PACKET_OVERRUNS_MESSAGE(true),
    /** One byte left where a 2-byte packet length should be: the message was cut. */
    TRUNCATED_LENGTH_FIELD(true),
    /** The message ended cleanly after fewer packets than its count said; those present were decoded. */
    MISSING_PACKETS(true),
    /** Bytes left after the counted packets: counted, not decoded (nothing says what they are). */
    TRAILING_BYTES(true),
    /** Segment byte not in 1..9: delivered with the clients' default exponent (-2), counted. */
    UNKNOWN_SEGMENT(false),
    /** An index layout (28/32 bytes) from a non-index segment, or a tradable layout from segment 9: delivered, counted. */
    LAYOUT_SEGMENT_MISMATCH(false);

    private final boolean losesData;

    KiteDecodeError(final boolean losesData)
    {
        this.losesData = losesData;
    }

    /** True when some bytes of the message could not be delivered as ticks. */
    public boolean losesData()
    {
        return losesData;
    }
}
