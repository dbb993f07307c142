package mm.feed.kite;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Decodes Kite binary WebSocket messages ({@code [u16 count]([u16 length][packet])*}, big-endian) and hands
 * each packet to a {@link KiteTickListener} through one reused {@link KiteTick} view: no allocation, no locks,
 * no logging. Messages shorter than 2 bytes are heartbeats.
 * <p>
 * Malformed framing never throws: each problem is counted by {@link KiteDecodeError} kind and reported to the
 * listener, and every packet that can still be trusted is delivered (an unknown or zero length is skipped using
 * the length; a length that overruns the message ends decoding of that message, since nothing after it can be
 * located). Single-threaded: one decoder per connection thread; counters are plain fields read on that thread
 * or after it stops.
 */
public final class KiteMessageDecoder
{
    /** Messages shorter than this are heartbeats. */
    public static final int MIN_MESSAGE_LENGTH = 2;
    private static final int LENGTH_FIELD = 2;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final KitePacketMode[] MODES = KitePacketMode.values();
    private static final KiteDecodeError[] ERRORS = KiteDecodeError.values();

    private final KiteTickListener listener;
    private final KiteTick tick = new KiteTick();

    private long messages;
    private long heartbeats;
    private long packets;
    private final long[] packetsByMode = new long[MODES.length];
    private final long[] errorsByKind = new long[ERRORS.length];
    private long lastMessageTimeNs;
    private long lastHeartbeatTimeNs;

    public KiteMessageDecoder(final KiteTickListener listener)
    {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Decodes one binary WebSocket message {@code buffer[offset, offset + length)}.
     *
     * @param receiveTimeNs when the message was received; passed through to the listener and kept as the
     *                      liveness time.
     * @return the number of packets delivered to the listener.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
    {
        messages++;
        lastMessageTimeNs = receiveTimeNs;
        if (length < MIN_MESSAGE_LENGTH)
        {
            heartbeats++;
            lastHeartbeatTimeNs = receiveTimeNs;
            listener.onHeartbeat(receiveTimeNs);
            return 0;
        }

        final int end = offset + length;
        final int count = buffer.getShort(offset, BE) & 0xFFFF;
        int position = offset + LENGTH_FIELD;
        int delivered = 0;
        for (int i = 0; i < count; i++)
        {
            final int remaining = end - position;
            if (remaining == 0)
            {
                error(KiteDecodeError.MISSING_PACKETS, i, position - offset, count - i, receiveTimeNs);
                return delivered;
            }
            if (remaining < LENGTH_FIELD)
            {
                error(KiteDecodeError.TRUNCATED_LENGTH_FIELD, i, position - offset, remaining, receiveTimeNs);
                return delivered;
            }
            final int packetLength = buffer.getShort(position, BE) & 0xFFFF;
            position += LENGTH_FIELD;
            if (packetLength == 0)
            {
                error(KiteDecodeError.ZERO_LENGTH_PACKET, i, position - LENGTH_FIELD - offset, 0, receiveTimeNs);
                continue;
            }
            if (packetLength > end - position)
            {
                // The length itself is suspect, so nothing after it can be located: stop here.
                error(KiteDecodeError.PACKET_OVERRUNS_MESSAGE, i, position - LENGTH_FIELD - offset, packetLength,
                    receiveTimeNs);
                return delivered;
            }
            final KitePacketMode mode = KitePacketMode.ofLength(packetLength);
            if (mode == null)
            {
                error(KiteDecodeError.UNKNOWN_PACKET_LENGTH, i, position - LENGTH_FIELD - offset, packetLength,
                    receiveTimeNs);
            }
            else
            {
                deliver(buffer, position, mode, i, offset, receiveTimeNs);
                delivered++;
            }
            position += packetLength;
        }
        if (position < end)
        {
            error(KiteDecodeError.TRAILING_BYTES, count, position - offset, end - position, receiveTimeNs);
        }
        return delivered;
    }

    private void deliver(
        final DirectBuffer buffer, final int packetOffset, final KitePacketMode mode, final int packetIndex,
        final int messageOffset, final long receiveTimeNs)
    {
        final KiteTick tick = this.tick;
        tick.wrap(buffer, packetOffset, mode, packetIndex, receiveTimeNs);
        final KiteSegment segment = KiteSegment.of(tick.segmentId());
        if (segment == null)
        {
            error(KiteDecodeError.UNKNOWN_SEGMENT, packetIndex, packetOffset - messageOffset, tick.segmentId(),
                receiveTimeNs);
        }
        else if (mode != KitePacketMode.LTP && mode.indexLayout() == segment.tradable())
        {
            error(KiteDecodeError.LAYOUT_SEGMENT_MISMATCH, packetIndex, packetOffset - messageOffset,
                segment.id(), receiveTimeNs);
        }
        packets++;
        packetsByMode[mode.ordinal()]++;
        listener.onTick(tick);
    }

    private void error(
        final KiteDecodeError error, final int packetIndex, final int messageOffset, final int detail,
        final long receiveTimeNs)
    {
        errorsByKind[error.ordinal()]++;
        listener.onDecodeError(error, packetIndex, messageOffset, detail, receiveTimeNs);
    }

    /** Binary messages decoded, heartbeats included. */
    public long messages()
    {
        return messages;
    }

    public long heartbeats()
    {
        return heartbeats;
    }

    /** Packets delivered to the listener. */
    public long packets()
    {
        return packets;
    }

    public long packets(final KitePacketMode mode)
    {
        return packetsByMode[mode.ordinal()];
    }

    public long errors(final KiteDecodeError kind)
    {
        return errorsByKind[kind.ordinal()];
    }

    /** Sum over every {@link KiteDecodeError} kind. */
    public long errors()
    {
        long sum = 0;
        for (final long n : errorsByKind)
        {
            sum += n;
        }
        return sum;
    }

    /** Receive time of the last binary message of any kind (heartbeats included): the liveness signal. */
    public long lastMessageTimeNs()
    {
        return lastMessageTimeNs;
    }

    public long lastHeartbeatTimeNs()
    {
        return lastHeartbeatTimeNs;
    }
}
