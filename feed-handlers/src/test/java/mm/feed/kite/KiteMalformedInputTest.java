package mm.feed.kite;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad framing is counted by kind, never thrown, and costs no packet that can still be located. */
class KiteMalformedInputTest
{
    private final CapturingKiteListener listener = new CapturingKiteListener();
    private final KiteMessageDecoder decoder = new KiteMessageDecoder(listener);

    private static final byte[] LTP_A = new PacketBuilder(KitePacketMode.LTP).putInt(0, 408065).putInt(4, 157370).bytes();
    private static final byte[] LTP_B = new PacketBuilder(KitePacketMode.LTP).putInt(0, 779521).putInt(4, 47000).bytes();

    private int decode(final byte[] message)
    {
        return decoder.decode(new UnsafeBuffer(message), 0, message.length, 7L);
    }

    private static byte[] withCount(final byte[] message, final int count)
    {
        final byte[] copy = message.clone();
        new UnsafeBuffer(copy).putShort(0, (short)count, ByteOrder.BIG_ENDIAN);
        return copy;
    }

    private List<Integer> tokens()
    {
        return listener.ticks.stream().map(CapturingKiteListener.Tick::token).toList();
    }

    private void assertOnlyError(final KiteDecodeError kind, final long count)
    {
        for (final KiteDecodeError e : KiteDecodeError.values())
        {
            assertEquals(e == kind ? count : 0, decoder.errors(e), e.name());
        }
    }

    @Test
    void unknownPacketLengthIsSkippedByItsLengthAndTheRestIsDecoded()
    {
        final byte[] odd = new byte[10];
        Arrays.fill(odd, (byte)0x55);
        assertEquals(2, decode(KiteSamples.frame(LTP_A, odd, LTP_B)));
        assertEquals(List.of(408065, 779521), tokens());
        assertOnlyError(KiteDecodeError.UNKNOWN_PACKET_LENGTH, 1);
        assertEquals(new CapturingKiteListener.Error(KiteDecodeError.UNKNOWN_PACKET_LENGTH, 1, 12, 10),
            listener.errors.getFirst());
    }

    @Test
    void zeroLengthPacketIsCountedAndSkipped()
    {
        assertEquals(2, decode(KiteSamples.frame(LTP_A, new byte[0], LTP_B)));
        assertEquals(List.of(408065, 779521), tokens());
        assertOnlyError(KiteDecodeError.ZERO_LENGTH_PACKET, 1);
    }

    @Test
    void lengthOverrunningTheMessageStopsDecodingAfterWhatWasGood()
    {
        final byte[] message = KiteSamples.frame(LTP_A, LTP_B);
        final byte[] truncated = Arrays.copyOf(message, message.length - 3);
        assertEquals(1, decode(truncated));
        assertEquals(List.of(408065), tokens());
        assertOnlyError(KiteDecodeError.PACKET_OVERRUNS_MESSAGE, 1);
        assertEquals(new CapturingKiteListener.Error(KiteDecodeError.PACKET_OVERRUNS_MESSAGE, 1, 12, 8),
            listener.errors.getFirst());
    }

    @Test
    void oneByteWhereALengthShouldBeIsATruncatedLengthField()
    {
        final byte[] message = withCount(KiteSamples.frame(LTP_A, LTP_B), 3);
        final byte[] cut = Arrays.copyOf(message, message.length + 1);
        assertEquals(2, decode(cut));
        assertOnlyError(KiteDecodeError.TRUNCATED_LENGTH_FIELD, 1);
    }

    @Test
    void countLargerThanThePacketsPresentDecodesThemAndCountsTheShortfall()
    {
        assertEquals(2, decode(withCount(KiteSamples.frame(LTP_A, LTP_B), 5)));
        assertEquals(List.of(408065, 779521), tokens());
        assertOnlyError(KiteDecodeError.MISSING_PACKETS, 1);
        assertEquals(new CapturingKiteListener.Error(KiteDecodeError.MISSING_PACKETS, 2, 22, 3), listener.errors.getFirst());
    }

    @Test
    void bytesAfterTheCountedPacketsAreCountedAsTrailing()
    {
        assertEquals(1, decode(withCount(KiteSamples.frame(LTP_A, LTP_B), 1)));
        assertEquals(List.of(408065), tokens());
        assertOnlyError(KiteDecodeError.TRAILING_BYTES, 1);
        assertEquals(new CapturingKiteListener.Error(KiteDecodeError.TRAILING_BYTES, 1, 12, 10), listener.errors.getFirst());

        assertEquals(0, decode(new byte[]{0, 0, 1, 2, 3}));
        assertEquals(2, decoder.errors(KiteDecodeError.TRAILING_BYTES));
    }

    @Test
    void unknownSegmentAndLayoutMismatchAreDeliveredAndCounted()
    {
        final byte[] unknownSegment = new PacketBuilder(KitePacketMode.LTP).putInt(0, PacketBuilder.token(5, 12)).putInt(4, 100).bytes();
        final byte[] indexLayoutFromNse = new PacketBuilder(KitePacketMode.INDEX_QUOTE).putInt(0, 408065).bytes();
        final byte[] quoteLayoutFromIndex = new PacketBuilder(KitePacketMode.QUOTE).putInt(0, 256265).bytes();
        final byte[] ltpFromIndex = new PacketBuilder(KitePacketMode.LTP).putInt(0, 256265).bytes();
        assertEquals(4, decode(KiteSamples.frame(unknownSegment, indexLayoutFromNse, quoteLayoutFromIndex, ltpFromIndex)));
        assertEquals(1, decoder.errors(KiteDecodeError.UNKNOWN_SEGMENT));
        assertEquals(2, decoder.errors(KiteDecodeError.LAYOUT_SEGMENT_MISMATCH));
        assertEquals(-2, listener.ticks.getFirst().priceExponent());
        assertEquals(12, listener.ticks.getFirst().segmentId());
        assertEquals(false, KiteDecodeError.UNKNOWN_SEGMENT.losesData());
    }

    @Test
    void countAndLengthsAreUnsignedSixteenBit()
    {
        // 0x8000 packets claimed: a signed reading would see a negative count and decode nothing.
        assertEquals(2, decode(withCount(KiteSamples.frame(LTP_A, LTP_B), 0x8000)));
        assertEquals(0x8000 - 2, listener.errors.getFirst().detail());
        // A length of 0xFFFF overruns rather than being read as -1.
        final byte[] message = KiteSamples.frame(LTP_A);
        new UnsafeBuffer(message).putShort(2, (short)0xFFFF, ByteOrder.BIG_ENDIAN);
        assertEquals(0, decode(message));
        assertEquals(1, decoder.errors(KiteDecodeError.PACKET_OVERRUNS_MESSAGE));
        assertEquals(0xFFFF, listener.errors.getLast().detail());
    }

    @Test
    void randomCorruptionNeverThrowsNeverReadsOutsideTheMessageAndIsAlwaysAccountedFor()
    {
        // Bounds checks are on in tests, so a read past the message (into the guard bytes) would still be in
        // the array: check explicitly that every delivered packet lies inside the message.
        final Random random = new Random(20240705);
        final byte[] real = KiteSamples.sampleBytes(KiteSamples.FOUR_PACKET_MESSAGE);
        final byte[] buffer = new byte[real.length + 64];
        final UnsafeBuffer unsafe = new UnsafeBuffer(buffer);
        final int[] bounds = new int[2];
        final KiteMessageDecoder d = new KiteMessageDecoder(tick ->
        {
            assertTrue(tick.offset() >= bounds[0] && tick.offset() + tick.length() <= bounds[1]);
            tick.lastPrice();
            tick.exchangeTimeNs();
            if (tick.depthLevels() > 0)
            {
                tick.askOrders(4);
            }
        });
        for (int round = 0; round < 20_000; round++)
        {
            Arrays.fill(buffer, (byte)0x7F);
            final int length = random.nextInt(real.length + 8);
            System.arraycopy(real, 0, buffer, 16, Math.min(length, real.length));
            for (int flips = random.nextInt(4); flips > 0 && length > 0; flips--)
            {
                buffer[16 + random.nextInt(length)] = (byte)random.nextInt(256);
            }
            bounds[0] = 16;
            bounds[1] = 16 + length;
            final long errorsBefore = d.errors();
            final long packetsBefore = d.packets();
            final int delivered = d.decode(unsafe, 16, length, round);
            assertEquals(packetsBefore + delivered, d.packets());
            if (length >= 2 && delivered != (new UnsafeBuffer(buffer).getShort(16, ByteOrder.BIG_ENDIAN) & 0xFFFF))
            {
                assertTrue(d.errors() > errorsBefore, "a shortfall of packets must be counted, round " + round);
            }
        }
        assertEquals(20_000, d.messages());
    }
}
