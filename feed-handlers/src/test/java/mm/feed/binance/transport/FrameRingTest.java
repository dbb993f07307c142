package mm.feed.binance.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-off from the I/O threads to the agent: exact copies, header fields, full-ring behaviour, no allocation. */
class FrameRingTest
{
    private static final byte[] FRAME = "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\"}}".getBytes(StandardCharsets.US_ASCII);

    @Test
    void copiesHeapDirectAndCompositeBuffersWithTheirHeader()
    {
        final FrameRing ring = new FrameRing(64 * 1024);
        final ByteBuf heap = Unpooled.copiedBuffer(FRAME);
        final ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(FRAME);
        final CompositeByteBuf composite = Unpooled.compositeBuffer()
            .addComponent(true, Unpooled.copiedBuffer(FRAME, 0, 10))
            .addComponent(true, Unpooled.directBuffer().writeBytes(FRAME, 10, FRAME.length - 10));
        direct.readerIndex(0);
        assertTrue(ring.offerFrame(FrameRing.TEXT, heap, 11, 1));
        assertTrue(ring.offerFrame(FrameRing.BINARY, direct, 12, 2));
        assertTrue(ring.offerFrame(FrameRing.TEXT, composite, 13, 3));
        assertTrue(ring.offerEvent(FrameRing.DISCONNECTED, 14, 3, DisconnectReason.ERROR.ordinal()));
        assertTrue(ring.offerBytes(FrameRing.SNAPSHOT, FRAME, 15, 4, 250));
        assertEquals(FRAME.length, heap.readableBytes(), "the source is not consumed");

        final StringBuilder seen = new StringBuilder();
        final int count = ring.drain((type, buffer, index, length) ->
        {
            final byte[] payload = new byte[length - FrameRing.HEADER_LENGTH];
            buffer.getBytes(index + FrameRing.HEADER_LENGTH, payload);
            seen.append(type).append('/').append(FrameRing.receiveTimeNs(buffer, index)).append('/')
                .append(FrameRing.generation(buffer, index)).append('/').append(FrameRing.aux(buffer, index)).append('/')
                .append(payload.length == 0 ? "-" : new String(payload, StandardCharsets.US_ASCII)).append('\n');
        }, 100);
        assertEquals(5, count);
        final String frame = new String(FRAME, StandardCharsets.US_ASCII);
        assertEquals("1/11/1/0/" + frame + "\n2/12/2/0/" + frame + "\n1/13/3/0/" + frame + "\n6/14/3/1/-\n3/15/4/250/" + frame + "\n",
            seen.toString());
        heap.release();
        direct.release();
        composite.release();
    }

    @Test
    void aFullRingRefusesInsteadOfBlocking()
    {
        final FrameRing ring = new FrameRing(4096);
        final ByteBuf frame = Unpooled.copiedBuffer(new byte[200]);
        int accepted = 0;
        while (ring.offerFrame(FrameRing.TEXT, frame, 1, 1))
        {
            accepted++;
        }
        assertTrue(accepted > 10 && accepted < 4096 / 200, "accepted " + accepted);
        assertFalse(ring.offerEvent(FrameRing.CONNECTED, 1, 1, 0) && ring.offerFrame(FrameRing.TEXT, frame, 1, 1));
        assertFalse(ring.offerFrame(FrameRing.TEXT, Unpooled.copiedBuffer(new byte[ring.maxPayloadLength() + 1]), 1, 1),
            "a frame larger than a record is refused");
        ring.drain((type, buffer, index, length) -> { }, 1_000);
        assertTrue(ring.offerFrame(FrameRing.TEXT, frame, 1, 1), "room again once drained");
    }

    @Test
    void offeringAndDrainingAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final FrameRing ring = new FrameRing(1024 * 1024);
        final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(FRAME.length).writeBytes(FRAME);
        final long[] checksum = {0};
        final MessageHandler handler = new MessageHandler()
        {
            public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
            {
                checksum[0] += buffer.getByte(index + FrameRing.HEADER_LENGTH + 2) + FrameRing.receiveTimeNs(buffer, index);
            }
        };
        for (int round = 0; round < 20_000; round++) // warm up
        {
            ring.offerFrame(FrameRing.TEXT, frame, round, 1);
            ring.drain(handler, 10);
        }
        long overhead = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            overhead = Math.min(overhead, threads.getCurrentThreadAllocatedBytes() - before);
        }
        // the least of a few runs: a one-off JIT recompilation can allocate during one of them
        long allocated = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < 100_000; round++)
            {
                ring.offerFrame(FrameRing.TEXT, frame, round, 1);
                ring.drain(handler, 10);
            }
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before - overhead);
        }
        frame.release();
        assertTrue(checksum[0] != 0);
        assertTrue(allocated < 256, "100,000 frames through the ring allocated " + allocated + " bytes");
    }
}
