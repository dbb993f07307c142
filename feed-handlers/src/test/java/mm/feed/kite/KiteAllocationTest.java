package mm.feed.kite;

import mm.common.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After warm-up, decoding binary messages (every mode, heartbeats and malformed ones included) and routing
 * text messages allocate nothing on the thread.
 */
class KiteAllocationTest
{
    /**
     * Measured runs; the least allocation is asserted to be 0. A per-message allocation shows in every run
     * (thousands of messages each), while a one-off of the JVM on this thread (a few hundred bytes seen once
     * on a loaded machine, e.g. around a JIT transition of the measuring call) does not.
     */
    private static final int TRIALS = 3;



    /** Reads every field, as a consumer building a book would, into a checksum the JIT cannot drop. */
    private static final class SummingListener implements KiteTickListener
    {
        long sum;
        long heartbeats;
        long errors;

        @Override
        public void onTick(final KiteTick t)
        {
            long s = t.instrumentToken() + t.segmentId() + t.priceExponent() + t.lastPrice() + t.mode().ordinal();
            if (t.mode() != KitePacketMode.LTP)
            {
                s += t.open() + t.high() + t.low() + t.close() + t.netChange();
            }
            if (t.mode() == KitePacketMode.QUOTE || t.mode() == KitePacketMode.FULL)
            {
                s += t.lastQuantity() + t.averagePrice() + t.volume() + t.totalBuyQuantity() + t.totalSellQuantity();
            }
            if (t.mode().indexLayout())
            {
                s += t.indexChangeField();
            }
            if (t.mode() == KitePacketMode.FULL || t.mode() == KitePacketMode.INDEX_FULL)
            {
                s += t.exchangeTimeNs();
            }
            if (t.mode() == KitePacketMode.FULL)
            {
                s += t.lastTradeTimeNs() + t.openInterest() + t.openInterestDayHigh() + t.openInterestDayLow();
                for (int level = 0; level < t.depthLevels(); level++)
                {
                    s += t.bidQuantity(level) + t.bidPrice(level) + t.bidOrders(level);
                    s += t.askQuantity(level) + t.askPrice(level) + t.askOrders(level);
                }
            }
            sum += s;
        }

        @Override
        public void onHeartbeat(final long receiveTimeNs)
        {
            heartbeats++;
        }

        @Override
        public void onDecodeError(
            final KiteDecodeError error, final int packetIndex, final int messageOffset, final int detail,
            final long receiveTimeNs)
        {
            errors++;
        }
    }

    private static List<UnsafeBuffer> messages()
    {
        final List<UnsafeBuffer> messages = new ArrayList<>();
        messages.add(new UnsafeBuffer(KiteSamples.sampleBytes(KiteSamples.FOUR_PACKET_MESSAGE)));
        messages.add(new UnsafeBuffer(KiteSamples.frame(KiteSamples.sampleBytes(KiteSamples.FULL_PACKET))));
        messages.add(new UnsafeBuffer(new byte[]{1}));
        final Random random = new Random(7);
        for (int i = 0; i < 64; i++)
        {
            final List<byte[]> packets = new ArrayList<>();
            for (int p = random.nextInt(6) + 1; p > 0; p--)
            {
                final KitePacketMode mode = KitePacketMode.values()[random.nextInt(5)];
                packets.add(PacketBuilder.random(mode, PacketBuilder.token(random.nextInt(1 << 20), 1 + random.nextInt(9)), random));
            }
            messages.add(new UnsafeBuffer(KiteSamples.frame(packets.toArray(new byte[0][]))));
        }
        // Malformed ones take the error paths too.
        final byte[] cut = KiteSamples.sampleBytes(KiteSamples.FOUR_PACKET_MESSAGE);
        messages.add(new UnsafeBuffer(cut, 0, cut.length - 5));
        messages.add(new UnsafeBuffer(KiteSamples.frame(new byte[10], new byte[0])));
        return messages;
    }

    @Test
    void decodingAllocatesNothingAfterWarmUp()
    {
        final List<UnsafeBuffer> messages = messages();
        final UnsafeBuffer[] array = messages.toArray(new UnsafeBuffer[0]);
        final SummingListener listener = new SummingListener();
        final KiteMessageDecoder decoder = new KiteMessageDecoder(listener);
        for (int round = 0; round < 2_000; round++)
        {
            decodeAll(decoder, array, round);
        }
        long allocated = Long.MAX_VALUE;
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final long before = Allocations.allocatedBytes();
            for (int round = 0; round < 2_000; round++)
            {
                decodeAll(decoder, array, round);
            }
            allocated = Math.min(allocated, Allocations.allocatedBytes() - before - Allocations.MEASUREMENT_OVERHEAD_BYTES);
        }
        System.out.println("kite decode: " + 2_000L * array.length + " messages per run, least of " + TRIALS + " runs: " + allocated + " bytes allocated");
        assertTrue(listener.sum != 0);
        assertEquals(2_000L * (1 + TRIALS), listener.heartbeats);
        assertTrue(listener.errors > 0);
        assertEquals(0, allocated, "decoding allocated " + allocated + " bytes");
    }

    private static void decodeAll(final KiteMessageDecoder decoder, final UnsafeBuffer[] messages, final long timeNs)
    {
        for (final UnsafeBuffer message : messages)
        {
            decoder.decode(message, 0, message.capacity(), timeNs);
        }
    }

    @Test
    void textRoutingAllocatesNothingAfterWarmUp()
    {
        final String order = new String(KiteSamples.sampleBytes("mocks/postback.json"), StandardCharsets.UTF_8);
        final UnsafeBuffer[] texts = {
            new UnsafeBuffer(("{\"type\":\"order\",\"data\":" + order + "}").getBytes(StandardCharsets.UTF_8)),
            new UnsafeBuffer("{\"type\":\"error\",\"data\":\"Invalid token\"}".getBytes(StandardCharsets.UTF_8)),
            new UnsafeBuffer("{\"type\":\"instruments_meta\",\"data\":{\"count\":1}}".getBytes(StandardCharsets.UTF_8)),
            new UnsafeBuffer("nonsense".getBytes(StandardCharsets.UTF_8)),
        };
        final long[] seen = new long[1];
        final KiteTextMessageRouter router = new KiteTextMessageRouter(m -> seen[0] += m.dataLength() + m.typeLength());
        for (int round = 0; round < 5_000; round++)
        {
            for (final UnsafeBuffer text : texts)
            {
                router.route(text, 0, text.capacity(), round);
            }
        }
        long allocated = Long.MAX_VALUE;
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final long before = Allocations.allocatedBytes();
            for (int round = 0; round < 5_000; round++)
            {
                for (final UnsafeBuffer text : texts)
                {
                    router.route(text, 0, text.capacity(), round);
                }
            }
            allocated = Math.min(allocated, Allocations.allocatedBytes() - before - Allocations.MEASUREMENT_OVERHEAD_BYTES);
        }
        System.out.println("kite text routing: 20000 messages per run, least of " + TRIALS + " runs: " + allocated + " bytes allocated");
        assertTrue(seen[0] > 0);
        assertEquals(0, allocated, "routing allocated " + allocated + " bytes");
    }
}
