package mm.feed.kite;

/**
 * Receives what {@link KiteMessageDecoder} finds in binary messages. Called on the decoding thread; the
 * {@link KiteTick} view and the buffer are reused after each call, so copy what must be kept.
 */
public interface KiteTickListener
{
    /** One decoded packet. */
    void onTick(KiteTick tick);

    /** A heartbeat (binary message shorter than 2 bytes): the connection is alive though nothing changed. */
    default void onHeartbeat(final long receiveTimeNs)
    {
    }

    /**
     * Something in a message was malformed or unexpected; it is also counted by the decoder.
     *
     * @param packetIndex   index of the packet concerned (or the next one expected), from 0.
     * @param messageOffset offset from the start of the message where the problem starts.
     * @param detail        the kind's number: the bad length, the bytes left over, or the packets missing.
     */
    default void onDecodeError(
        final KiteDecodeError error, final int packetIndex, final int messageOffset, final int detail,
        final long receiveTimeNs)
    {
    }
}
