package mm.gateway.venue;

import io.netty.buffer.ByteBuf;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Hands what the I/O threads receive (WebSocket text frames, HTTP responses, connection events) to the gateway
 * thread, in arrival order, through an off-heap Agrona ring. Producers never block: a full ring refuses the
 * record and the producer counts it (for an order session that is a lost answer, so the adapter treats the
 * session as broken and reconciles). The gateway thread drains it in {@code doWork()}.
 * <p>
 * Record: {@code timeNs} (int64, receive time), {@code aux} (int32: HTTP status or a reason),
 * {@code correlation} (int32: connection generation or request slot), then the payload.
 */
public final class InboundRing
{
    /** A WebSocket text frame; correlation = connection generation. */
    public static final int TEXT = 1;
    /** A connection was upgraded; correlation = generation. */
    public static final int CONNECTED = 2;
    /** A connection ended; correlation = generation, aux = a {@code DISCONNECT_*} reason. */
    public static final int DISCONNECTED = 3;
    /** An HTTP response; aux = status (or a negative {@code HTTP_*} code), correlation = request slot. */
    public static final int HTTP_RESPONSE = 4;
    /** An order update pushed to us (Kite postback body); aux = 1 when its checksum was verified. */
    public static final int PUSHED_UPDATE = 5;

    public static final int DISCONNECT_REMOTE = 1;
    public static final int DISCONNECT_ERROR = 2;
    public static final int DISCONNECT_CONNECT_FAILED = 3;
    public static final int DISCONNECT_REQUESTED = 4;
    public static final int DISCONNECT_HANDSHAKE_REFUSED = 5;

    /** HTTP request failed without a response (connection refused, reset). */
    public static final int HTTP_IO_ERROR = -1;
    /** HTTP request timed out. */
    public static final int HTTP_TIMEOUT = -2;

    public static final int TIME_OFFSET = 0;
    public static final int AUX_OFFSET = 8;
    public static final int CORRELATION_OFFSET = 12;
    public static final int HEADER_LENGTH = 16;

    private final RingBuffer ring;
    private final ByteBuffer producerView;
    private final AtomicBuffer memory;

    /** @param capacityBytes a power of two, at least 4096; the largest record is an eighth of it. */
    public InboundRing(final int capacityBytes)
    {
        if (!BitUtil.isPowerOfTwo(capacityBytes) || capacityBytes < 4096)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 4096: " + capacityBytes);
        }
        final ByteBuffer direct = ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH);
        memory = new UnsafeBuffer(direct);
        ring = new ManyToOneRingBuffer(memory);
        producerView = direct.duplicate();
    }

    /** Largest payload of one record. */
    public int maxPayloadLength()
    {
        return ring.maxMsgLength() - HEADER_LENGTH;
    }

    /** Copies a Netty buffer's readable bytes in; false if the ring is full or the payload too large. */
    public boolean offer(final int type, final long timeNs, final int aux, final int correlation, final ByteBuf payload)
    {
        final int length = payload.readableBytes();
        if (length > maxPayloadLength())
        {
            return false;
        }
        final int index = ring.tryClaim(type, HEADER_LENGTH + length);
        if (index <= 0)
        {
            return false;
        }
        putHeader(index, timeNs, aux, correlation);
        synchronized (producerView) // several I/O threads may produce; the view's position is shared state
        {
            producerView.limit(index + HEADER_LENGTH + length).position(index + HEADER_LENGTH);
            payload.getBytes(payload.readerIndex(), producerView);
        }
        ring.commit(index);
        return true;
    }

    /** Copies bytes in; false if the ring is full or the payload too large. */
    public boolean offer(
        final int type, final long timeNs, final int aux, final int correlation,
        final byte[] payload, final int offset, final int length)
    {
        if (length > maxPayloadLength())
        {
            return false;
        }
        final int index = ring.tryClaim(type, HEADER_LENGTH + length);
        if (index <= 0)
        {
            return false;
        }
        putHeader(index, timeNs, aux, correlation);
        memory.putBytes(index + HEADER_LENGTH, payload, offset, length);
        ring.commit(index);
        return true;
    }

    /** An event without payload. */
    public boolean offer(final int type, final long timeNs, final int aux, final int correlation)
    {
        return offer(type, timeNs, aux, correlation, EMPTY, 0, 0);
    }

    /** Hands up to {@code limit} records to the handler, in order, on the calling thread. */
    public int drain(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    private void putHeader(final int index, final long timeNs, final int aux, final int correlation)
    {
        final AtomicBuffer buffer = ring.buffer();
        buffer.putLong(index + TIME_OFFSET, timeNs);
        buffer.putInt(index + AUX_OFFSET, aux);
        buffer.putInt(index + CORRELATION_OFFSET, correlation);
    }

    private static final byte[] EMPTY = new byte[0];
}
