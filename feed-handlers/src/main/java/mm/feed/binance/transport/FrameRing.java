package mm.feed.binance.transport;

import io.netty.buffer.ByteBuf;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The hand-off between the I/O threads (Netty's event loop, the REST client) and the feed agent: an Agrona
 * ring buffer in off-heap memory. Producers copy each WebSocket frame, REST snapshot body and connection
 * event into it with the receive time taken at arrival; the agent drains it in order in its duty cycle, so
 * the book sees snapshots, diffs and disconnects in one order and I/O threads never call the book.
 * <p>
 * Record layout: {@code receiveTimeNs} (int64, epoch ns), {@code generation} (int32, the connection the
 * record belongs to), {@code aux} (int32: a reason, a status code or a count), then the payload. The message
 * type id says what the record is ({@link #TEXT}, {@link #BINARY}, ...).
 * <p>
 * A full ring never blocks a producer: the offer fails and the producer counts it (the WebSocket client then
 * reports a {@link #FRAMES_LOST} record once there is room again, and the book resyncs).
 */
public final class FrameRing
{
    /** A WebSocket text frame (Binance JSON). */
    public static final int TEXT = 1;
    /** A WebSocket binary frame (Binance SBE). */
    public static final int BINARY = 2;
    /** A REST depth snapshot body; aux = the venue's reported used weight this minute, or -1. */
    public static final int SNAPSHOT = 3;
    /** The snapshot request failed; aux = HTTP status, or a negative {@code SNAPSHOT_*} code. */
    public static final int SNAPSHOT_FAILED = 4;
    /** A connection was upgraded and frames of this generation follow. */
    public static final int CONNECTED = 5;
    /** The connection of this generation ended; aux = {@link DisconnectReason} ordinal. */
    public static final int DISCONNECTED = 6;
    /** Frames were dropped because the ring was full; aux = how many. The book must resync. */
    public static final int FRAMES_LOST = 7;

    /** {@link #SNAPSHOT_FAILED} aux: the request timed out. */
    public static final int SNAPSHOT_TIMEOUT = -1;
    /** {@link #SNAPSHOT_FAILED} aux: connection or I/O error. */
    public static final int SNAPSHOT_IO_ERROR = -2;
    /** {@link #SNAPSHOT_FAILED} aux: the body is larger than a ring record (ring too small for the snapshot limit). */
    public static final int SNAPSHOT_TOO_LARGE = -3;

    public static final int RECEIVE_TIME_OFFSET = 0;
    public static final int GENERATION_OFFSET = 8;
    public static final int AUX_OFFSET = 12;
    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = 16;

    private final RingBuffer ring;
    private final AtomicBuffer buffer;
    /** NIO view of the ring memory for copying out of Netty buffers; used by one producer thread only. */
    private final ByteBuffer frameProducerView;
    private final int maxPayloadLength;

    /**
     * @param capacityBytes data capacity, a power of two (the trailer is added on top).
     */
    public FrameRing(final int capacityBytes)
    {
        if (!BitUtil.isPowerOfTwo(capacityBytes) || capacityBytes < 4096)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 4096: " + capacityBytes);
        }
        final ByteBuffer memory = ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH);
        buffer = new UnsafeBuffer(memory);
        ring = new ManyToOneRingBuffer(buffer);
        frameProducerView = memory.duplicate();
        maxPayloadLength = ring.maxMsgLength() - HEADER_LENGTH;
    }

    /** Largest frame or snapshot body that fits in one record. */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * Copies a frame out of a Netty buffer (its readable bytes) without allocating. Call from one thread
     * only (the WebSocket client's event loop).
     *
     * @return false when the ring is full or the frame is larger than {@link #maxPayloadLength()}.
     */
    public boolean offerFrame(final int type, final ByteBuf content, final long receiveTimeNs, final int generation)
    {
        final int length = content.readableBytes();
        if (length > maxPayloadLength)
        {
            return false;
        }
        final int index = ring.tryClaim(type, HEADER_LENGTH + length);
        if (index <= 0)
        {
            return false;
        }
        putHeader(index, receiveTimeNs, generation, 0);
        final ByteBuffer view = frameProducerView;
        final int payloadIndex = index + HEADER_LENGTH;
        view.limit(payloadIndex + length).position(payloadIndex);
        content.getBytes(content.readerIndex(), view);
        ring.commit(index);
        return true;
    }

    /** Copies a frame from an Agrona buffer (e.g. a reassembled fragmented frame); event-loop thread only. */
    public boolean offerFrame(
        final int type, final DirectBuffer source, final int offset, final int length, final long receiveTimeNs,
        final int generation)
    {
        if (length > maxPayloadLength)
        {
            return false;
        }
        final int index = ring.tryClaim(type, HEADER_LENGTH + length);
        if (index <= 0)
        {
            return false;
        }
        putHeader(index, receiveTimeNs, generation, 0);
        buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
        ring.commit(index);
        return true;
    }

    /** A snapshot body; safe from any thread. */
    public boolean offerBytes(
        final int type, final byte[] payload, final long receiveTimeNs, final int generation, final int aux)
    {
        if (payload.length > maxPayloadLength)
        {
            return false;
        }
        final int index = ring.tryClaim(type, HEADER_LENGTH + payload.length);
        if (index <= 0)
        {
            return false;
        }
        putHeader(index, receiveTimeNs, generation, aux);
        buffer.putBytes(index + HEADER_LENGTH, payload);
        ring.commit(index);
        return true;
    }

    /** A record without payload (connection events, failures); safe from any thread. */
    public boolean offerEvent(final int type, final long receiveTimeNs, final int generation, final int aux)
    {
        final int index = ring.tryClaim(type, HEADER_LENGTH);
        if (index <= 0)
        {
            return false;
        }
        putHeader(index, receiveTimeNs, generation, aux);
        ring.commit(index);
        return true;
    }

    private void putHeader(final int index, final long receiveTimeNs, final int generation, final int aux)
    {
        buffer.putLong(index + RECEIVE_TIME_OFFSET, receiveTimeNs);
        buffer.putInt(index + GENERATION_OFFSET, generation);
        buffer.putInt(index + AUX_OFFSET, aux);
    }

    /**
     * Hands up to {@code limit} records to the handler, in order; consumer thread only. The handler gets the
     * record's type, the ring's buffer and the record's index and length (header included): read the header
     * with {@link #receiveTimeNs}, {@link #generation}, {@link #aux}, and the payload at
     * {@code index + HEADER_LENGTH}.
     */
    public int drain(final org.agrona.concurrent.MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    public static long receiveTimeNs(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + RECEIVE_TIME_OFFSET);
    }

    public static int generation(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index + GENERATION_OFFSET);
    }

    public static int aux(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index + AUX_OFFSET);
    }

    /** Bytes waiting to be drained. */
    public int size()
    {
        return ring.size();
    }

    public int capacity()
    {
        return ring.capacity();
    }
}
