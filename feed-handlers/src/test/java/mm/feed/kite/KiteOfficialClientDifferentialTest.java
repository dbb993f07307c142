package mm.feed.kite;

import com.zerodhatech.models.Depth;
import com.zerodhatech.models.Tick;
import com.zerodhatech.ticker.KiteTicker;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test against Zerodha's official Java client ({@code com.zerodhatech.kiteconnect:kiteconnect},
 * {@code KiteTicker}'s private binary parser, called by reflection): on the real full packet, the shared
 * 4-packet message, and seeded random packets of every mode and every segment, our decoded values equal
 * theirs except where {@code docs/protocols/kite.md} documents a deliberate difference, which is then
 * checked in its documented form:
 * <ul>
 *     <li>they read every 32-bit field signed: our unsigned counts and times equal theirs after {@code (int)};</li>
 *     <li>they read depth orders as signed 16-bit: ours equal theirs after {@code (short)};</li>
 *     <li>their change is a percentage computed in doubles; ours is the absolute {@code ltp - close}
 *     mantissa, and their percentage is recomputed from our mantissas with their formula;</li>
 *     <li>they drop timestamps that are not positive as signed 32-bit (null); we keep the unsigned seconds;</li>
 *     <li>they scale index layouts by 100 whatever the segment; we scale every layout by its segment (differs
 *     only for index layouts from CDS/BCD tokens, which the exchange does not send).</li>
 * </ul>
 * Their prices are doubles {@code raw / divisor}; a division of two exact doubles is correctly rounded, so
 * ours must equal the correctly rounded value of the exact decimal {@code mantissa * 10^exponent}: compared
 * bit for bit, no tolerance.
 */
class KiteOfficialClientDifferentialTest
{
    private static final long SEED = 0x4B495445L; // "KITE"

    private final KiteTicker ticker = new KiteTicker("differential-test", "no-connection");
    private final Method parseBinary;

    KiteOfficialClientDifferentialTest() throws ReflectiveOperationException
    {
        parseBinary = KiteTicker.class.getDeclaredMethod("parseBinary", byte[].class);
        parseBinary.setAccessible(true);
    }

    @SuppressWarnings("unchecked")
    private List<Tick> official(final byte[] message) throws ReflectiveOperationException
    {
        return (List<Tick>)parseBinary.invoke(ticker, (Object)message);
    }

    private static List<CapturingKiteListener.Tick> ours(final byte[] message, final KiteMessageDecoder[] decoderOut)
    {
        final CapturingKiteListener listener = new CapturingKiteListener();
        final KiteMessageDecoder decoder = new KiteMessageDecoder(listener);
        decoder.decode(new UnsafeBuffer(message), 0, message.length, 0);
        if (decoderOut != null)
        {
            decoderOut[0] = decoder;
        }
        return listener.ticks;
    }

    /** Correctly rounded double of {@code mantissa * 10^exponent}. */
    private static double exact(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent).doubleValue();
    }

    private static void compare(final CapturingKiteListener.Tick ours, final Tick theirs, final String where)
    {
        assertEquals(ours.token(), theirs.getInstrumentToken(), where + " token");
        assertEquals(ours.mode().wireName(), theirs.getMode(), where + " mode");
        assertEquals(ours.tradable(), theirs.isTradable(), where + " tradable");
        // Their index layouts always divide by 100 (documented difference for CDS/BCD tokens).
        final int theirExponent = ours.mode().indexLayout() ? -2 : ours.priceExponent();
        assertEquals(exact(ours.lastPrice(), theirExponent), theirs.getLastTradedPrice(), where + " last price");
        if (ours.mode() == KitePacketMode.LTP)
        {
            return;
        }
        assertEquals(exact(ours.open(), theirExponent), theirs.getOpenPrice(), where + " open");
        assertEquals(exact(ours.high(), theirExponent), theirs.getHighPrice(), where + " high");
        assertEquals(exact(ours.low(), theirExponent), theirs.getLowPrice(), where + " low");
        assertEquals(exact(ours.close(), theirExponent), theirs.getClosePrice(), where + " close");
        // Change: theirs is a percentage of close computed in doubles (0 when close is 0); ours the absolute
        // mantissa. Recompute theirs from our mantissas with their formula, and check ours is ltp - close.
        final double ltp = exact(ours.lastPrice(), theirExponent);
        final double close = exact(ours.close(), theirExponent);
        final double percent = close != 0 ? (ltp - close) * 100 / close : 0;
        assertEquals(percent, theirs.getChange(), where + " change percent");
        assertEquals(ours.lastPrice() - ours.close(), ours.netChange(), where + " net change");

        if (ours.mode().indexLayout())
        {
            if (ours.mode() == KitePacketMode.INDEX_FULL)
            {
                assertTime(ours.exchangeTimeS(), theirs.getTickTimestamp(), where + " index exchange time");
            }
            return;
        }
        assertEquals((double)(int)ours.lastQuantity(), theirs.getLastTradedQuantity(), where + " last quantity");
        assertEquals(exact(ours.averagePrice(), theirExponent), theirs.getAverageTradePrice(), where + " average price");
        assertEquals((long)(int)ours.volume(), theirs.getVolumeTradedToday(), where + " volume");
        assertEquals((double)(int)ours.totalBuyQuantity(), theirs.getTotalBuyQuantity(), where + " buy quantity");
        assertEquals((double)(int)ours.totalSellQuantity(), theirs.getTotalSellQuantity(), where + " sell quantity");
        if (ours.mode() != KitePacketMode.FULL)
        {
            return;
        }
        assertTime(ours.lastTradeTimeS(), theirs.getLastTradedTime(), where + " last trade time");
        assertTime(ours.exchangeTimeS(), theirs.getTickTimestamp(), where + " exchange time");
        assertEquals((double)(int)ours.openInterest(), theirs.getOi(), where + " oi");
        assertEquals((double)(int)ours.openInterestDayHigh(), theirs.getOpenInterestDayHigh(), where + " oi high");
        assertEquals((double)(int)ours.openInterestDayLow(), theirs.getOpenInterestDayLow(), where + " oi low");
        final Map<String, ArrayList<Depth>> depth = theirs.getMarketDepth();
        for (int i = 0; i < KiteTick.DEPTH_LEVELS; i++)
        {
            final Depth bid = depth.get("buy").get(i);
            final Depth ask = depth.get("sell").get(i);
            assertEquals((int)ours.bidQuantity()[i], bid.getQuantity(), where + " bid quantity " + i);
            assertEquals(exact(ours.bidPrice()[i], theirExponent), bid.getPrice(), where + " bid price " + i);
            assertEquals((short)ours.bidOrders()[i], bid.getOrders(), where + " bid orders " + i);
            assertEquals((int)ours.askQuantity()[i], ask.getQuantity(), where + " ask quantity " + i);
            assertEquals(exact(ours.askPrice()[i], theirExponent), ask.getPrice(), where + " ask price " + i);
            assertEquals((short)ours.askOrders()[i], ask.getOrders(), where + " ask orders " + i);
        }
    }

    /** They keep a time only if it is positive as a signed 32-bit number of seconds. */
    private static void assertTime(final long oursS, final java.util.Date theirs, final String where)
    {
        if ((int)oursS > 0)
        {
            assertNotNull(theirs, where);
            assertEquals(oursS * 1000, theirs.getTime(), where);
        }
        else
        {
            assertNull(theirs, where);
        }
    }

    private void compareMessage(final byte[] message, final String where) throws ReflectiveOperationException
    {
        final List<CapturingKiteListener.Tick> ours = ours(message, null);
        final List<Tick> theirs = official(message);
        assertEquals(theirs.size(), ours.size(), where + " packet count");
        for (int i = 0; i < ours.size(); i++)
        {
            compare(ours.get(i), theirs.get(i), where + " packet " + i);
        }
    }

    @Test
    void realFullPacket() throws ReflectiveOperationException
    {
        final byte[] message = KiteSamples.frame(KiteSamples.sampleBytes(KiteSamples.FULL_PACKET));
        compareMessage(message, "real full packet");
        final Tick theirs = official(message).getFirst();
        // Sanity that the peer really parsed it (not two empty lists agreeing).
        assertEquals(1573.7, theirs.getLastTradedPrice());
        assertEquals(0.3763235106518747, theirs.getChange(), "the percent recorded in ticker_full.expected.json");
    }

    @Test
    void sharedFourPacketMessage() throws ReflectiveOperationException
    {
        final byte[] message = KiteSamples.sampleBytes(KiteSamples.FOUR_PACKET_MESSAGE);
        compareMessage(message, "4-packet message");
        final List<Tick> theirs = official(message);
        assertEquals(4, theirs.size());
        assertEquals(-0.07815070746955315, theirs.get(3).getChange(), "index percent from the expected.json");
        assertEquals(72.345, theirs.get(1).getLastTradedPrice());
        assertEquals(72.3475, theirs.get(2).getLastTradedPrice());
    }

    @Test
    void randomPacketsOfEveryModeAndSegment() throws ReflectiveOperationException
    {
        final Random random = new Random(SEED);
        final Map<KitePacketMode, int[]> coverage = new EnumMap<>(KitePacketMode.class);
        int packets = 0;
        // Every (mode, segment) pair many times, alone and mixed into multi-packet messages.
        for (int round = 0; round < 40; round++)
        {
            final List<byte[]> mixed = new ArrayList<>();
            for (final KitePacketMode mode : KitePacketMode.values())
            {
                for (int segment = 1; segment <= 9; segment++)
                {
                    final int token = PacketBuilder.token(1 + random.nextInt(1 << 22), segment);
                    final byte[] packet = PacketBuilder.random(mode, token, random);
                    compareMessage(KiteSamples.frame(packet), "round " + round + " " + mode + " segment " + segment);
                    mixed.add(packet);
                    coverage.computeIfAbsent(mode, m -> new int[10])[segment]++;
                    packets++;
                }
            }
            java.util.Collections.shuffle(mixed, random);
            compareMessage(KiteSamples.frame(mixed.toArray(new byte[0][])), "round " + round + " mixed");
        }
        for (final KitePacketMode mode : KitePacketMode.values())
        {
            for (int segment = 1; segment <= 9; segment++)
            {
                assertEquals(40, coverage.get(mode)[segment], mode + " segment " + segment);
            }
        }
        assertEquals(40 * 5 * 9, packets);
    }

    @Test
    void theDocumentedDifferencesReallyOccurOnGeneratedInput() throws ReflectiveOperationException
    {
        // Guard against the comparisons above passing vacuously: each documented difference shows up.
        final byte[] full = new PacketBuilder(KitePacketMode.FULL).putInt(0, 408065).putInt(4, 10_100).putInt(40, 10_000)
            .putInt(16, 0x9000_0000).putInt(44, 0x8000_0010).putShort(64 + 8, 40_000).bytes();
        final byte[] cdsIndexLayout = new PacketBuilder(KitePacketMode.INDEX_QUOTE).putInt(0, 412675).putInt(4, 723_450_000).bytes();
        final byte[] message = KiteSamples.frame(full, cdsIndexLayout);
        final KiteMessageDecoder[] decoder = new KiteMessageDecoder[1];
        final List<CapturingKiteListener.Tick> ours = ours(message, decoder);
        final List<Tick> theirs = official(message);

        assertEquals(0x9000_0000L, ours.get(0).volume());
        assertTrue(theirs.get(0).getVolumeTradedToday() < 0, "theirs reads volume signed");
        assertEquals(0x8000_0010L, ours.get(0).lastTradeTimeS());
        assertNull(theirs.get(0).getLastTradedTime(), "theirs drops a time past 2038");
        assertEquals(40_000, ours.get(0).bidOrders()[0]);
        assertEquals(40_000 - 65_536, theirs.get(0).getMarketDepth().get("buy").getFirst().getOrders());
        assertEquals(100, ours.get(0).netChange());
        assertEquals(1.0, theirs.get(0).getChange(), "theirs is percent");
        assertEquals("72.3450000", mm.common.Decimals.toString(ours.get(1).lastPrice(), ours.get(1).priceExponent()));
        assertEquals(7_234_500.0, theirs.get(1).getLastTradedPrice(), "theirs divides index layouts by 100");
        assertEquals(1, decoder[0].errors(KiteDecodeError.LAYOUT_SEGMENT_MISMATCH));
    }
}
