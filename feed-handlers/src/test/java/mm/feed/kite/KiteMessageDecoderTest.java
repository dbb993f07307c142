package mm.feed.kite;

import mm.common.Decimals;
import org.agrona.concurrent.UnsafeBuffer;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static mm.feed.kite.KiteTick.ABSENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding of every mode and segment, on the shared real and synthetic samples and on built packets. */
class KiteMessageDecoderTest
{
    private final CapturingKiteListener listener = new CapturingKiteListener();
    private final KiteMessageDecoder decoder = new KiteMessageDecoder(listener);

    private List<CapturingKiteListener.Tick> decode(final byte[] message)
    {
        // Decode at a non-zero offset inside a larger buffer, as a transport would hand it over.
        final byte[] padded = new byte[message.length + 7];
        System.arraycopy(message, 0, padded, 3, message.length);
        decoder.decode(new UnsafeBuffer(padded), 3, message.length, 42L);
        return listener.ticks;
    }

    private static void assertPrice(final Object expected, final long mantissa, final int exponent)
    {
        final BigDecimal want = new BigDecimal(expected.toString());
        final BigDecimal got = BigDecimal.valueOf(mantissa, -exponent);
        assertEquals(0, want.compareTo(got), "expected " + want + " got " + got);
    }

    @Test
    void realFullPacketMatchesItsExpectedValues()
    {
        final JSONObject expected = KiteSamples.sampleJson(KiteSamples.FULL_PACKET_EXPECTED).getJSONObject("expected");
        final List<CapturingKiteListener.Tick> ticks = decode(KiteSamples.frame(KiteSamples.sampleBytes(KiteSamples.FULL_PACKET)));
        assertEquals(1, ticks.size());
        assertEquals(0, decoder.errors());
        final CapturingKiteListener.Tick t = ticks.getFirst();

        assertEquals(KitePacketMode.FULL, t.mode());
        assertEquals(expected.getString("mode"), t.mode().wireName());
        assertEquals(expected.getInt("instrument_token"), t.token());
        assertEquals(expected.getInt("segment"), t.segmentId());
        assertEquals(expected.getInt("exchange_token"), t.exchangeToken());
        assertEquals(expected.getBoolean("tradable"), t.tradable());
        assertEquals(-2, t.priceExponent());
        assertEquals(expected.getLong("last_price_raw"), t.lastPrice());
        assertPrice(expected.get("last_price"), t.lastPrice(), t.priceExponent());
        assertEquals("1573.70", Decimals.toString(t.lastPrice(), t.priceExponent()));
        assertEquals(expected.getLong("last_traded_quantity"), t.lastQuantity());
        assertEquals(expected.getLong("average_traded_price_raw"), t.averagePrice());
        assertEquals(expected.getLong("volume_traded"), t.volume());
        assertEquals(expected.getLong("total_buy_quantity"), t.totalBuyQuantity());
        assertEquals(expected.getLong("total_sell_quantity"), t.totalSellQuantity());
        final JSONObject ohlcRaw = expected.getJSONObject("ohlc_raw");
        assertEquals(ohlcRaw.getLong("open"), t.open());
        assertEquals(ohlcRaw.getLong("high"), t.high());
        assertEquals(ohlcRaw.getLong("low"), t.low());
        assertEquals(ohlcRaw.getLong("close"), t.close());
        final JSONObject ohlc = expected.getJSONObject("ohlc");
        assertPrice(ohlc.get("open"), t.open(), -2);
        assertPrice(ohlc.get("close"), t.close(), -2);
        assertEquals(expected.getLong("last_trade_time_epoch_s"), t.lastTradeTimeS());
        assertEquals(expected.getLong("last_trade_time_epoch_s") * 1_000_000_000L, t.lastTradeTimeNs());
        assertEquals(expected.getLong("oi"), t.openInterest());
        assertEquals(expected.getLong("oi_day_high"), t.openInterestDayHigh());
        assertEquals(expected.getLong("oi_day_low"), t.openInterestDayLow());
        assertEquals(expected.getLong("exchange_timestamp_epoch_s"), t.exchangeTimeS());
        assertEquals(expected.getLong("exchange_timestamp_epoch_s") * 1_000_000_000L, t.exchangeTimeNs());
        final JSONObject depth = expected.getJSONObject("depth");
        final JSONArray buy = depth.getJSONArray("buy");
        final JSONArray sell = depth.getJSONArray("sell");
        for (int i = 0; i < 5; i++)
        {
            assertEquals(buy.getJSONObject(i).getLong("quantity"), t.bidQuantity()[i]);
            assertPrice(buy.getJSONObject(i).get("price"), t.bidPrice()[i], -2);
            assertEquals(buy.getJSONObject(i).getLong("orders"), t.bidOrders()[i]);
            assertEquals(sell.getJSONObject(i).getLong("quantity"), t.askQuantity()[i]);
            assertPrice(sell.getJSONObject(i).get("price"), t.askPrice()[i], -2);
            assertEquals(sell.getJSONObject(i).getLong("orders"), t.askOrders()[i]);
        }
        // Documented choice: absolute change ltp - close, as the Go client and the mock JSON (5.900000000000091
        // there is the double rounding of exactly 5.90).
        assertEquals(590, t.netChange());
        assertEquals(5.900000000000091, expected.getJSONObject("change").getDouble("absolute_as_computed_by_go_and_mock_json"));
        assertEquals(ABSENT, t.indexChangeField());
        assertEquals(42L, t.receiveTimeNs());
    }

    @Test
    void fourPacketMessageMatchesItsExpectedValues()
    {
        final JSONObject expected = KiteSamples.sampleJson(KiteSamples.FOUR_PACKET_EXPECTED);
        final byte[] message = KiteSamples.sampleBytes(KiteSamples.FOUR_PACKET_MESSAGE);
        assertEquals(expected.getInt("total_bytes"), message.length);
        final List<CapturingKiteListener.Tick> ticks = decode(message);
        assertEquals(0, decoder.errors(), listener.errors.toString());
        final JSONArray packets = expected.getJSONArray("packets");
        assertEquals(expected.getJSONObject("framing").getInt("number_of_packets"), ticks.size());
        final JSONArray lengths = expected.getJSONObject("framing").getJSONArray("packet_lengths");
        for (int i = 0; i < ticks.size(); i++)
        {
            final CapturingKiteListener.Tick t = ticks.get(i);
            final JSONObject p = packets.getJSONObject(i);
            assertEquals(i, t.packetIndex());
            assertEquals(lengths.getInt(i), t.mode().packetLength());
            assertEquals(p.getInt("instrument_token"), t.token());
            assertEquals(p.getString("mode"), t.mode().wireName());
            assertPrice(p.get("last_price"), t.lastPrice(), t.priceExponent());
            if (p.has("segment"))
            {
                assertEquals(p.getInt("segment"), t.segmentId());
                assertEquals(p.getBoolean("tradable"), t.tradable());
                // divisor 10^k <=> exponent -k
                assertEquals(p.getLong("divisor"), Decimals.powerOfTen(-t.priceExponent()));
            }
            if (p.has("last_price_raw"))
            {
                assertEquals(p.getLong("last_price_raw"), t.lastPrice());
            }
        }
        assertEquals("72.3450000", Decimals.toString(ticks.get(1).lastPrice(), ticks.get(1).priceExponent()));
        assertEquals("72.3475", Decimals.toString(ticks.get(2).lastPrice(), ticks.get(2).priceExponent()));

        final CapturingKiteListener.Tick index = ticks.get(3);
        final JSONObject p = packets.getJSONObject(3);
        assertEquals(KitePacketMode.INDEX_QUOTE, index.mode());
        final JSONObject ohlc = p.getJSONObject("ohlc");
        assertPrice(ohlc.get("high"), index.high(), -2);
        assertPrice(ohlc.get("low"), index.low(), -2);
        assertPrice(ohlc.get("open"), index.open(), -2);
        assertPrice(ohlc.get("close"), index.close(), -2);
        assertEquals(p.getLong("price_change_field_raw"), index.indexChangeField());
        assertPrice(p.get("net_change_go"), index.netChange(), -2);
        assertEquals(-1235, index.netChange());
        assertEquals(ABSENT, index.exchangeTimeS());
        assertEquals(ABSENT, index.volume());
        assertEquals(1, decoder.messages());
        assertEquals(4, decoder.packets());
        assertEquals(1, decoder.packets(KitePacketMode.FULL));
        assertEquals(2, decoder.packets(KitePacketMode.LTP));
        assertEquals(1, decoder.packets(KitePacketMode.INDEX_QUOTE));
    }

    @Test
    void everyFieldOfATradableFullPacketComesFromItsDocumentedOffset()
    {
        final PacketBuilder b = new PacketBuilder(KitePacketMode.FULL);
        final int token = PacketBuilder.token(1594, 1);
        b.putInt(0, token);
        // Distinct values per offset so a swapped field cannot pass.
        for (int offset = 4; offset < 64; offset += 4)
        {
            b.putInt(offset, 1000 + offset);
        }
        for (int entry = 0; entry < 10; entry++)
        {
            final int at = 64 + entry * 12;
            b.putInt(at, 10_000 + entry).putInt(at + 4, 20_000 + entry).putShort(at + 8, 300 + entry).putShort(at + 10, 0xBEEF);
        }
        final CapturingKiteListener.Tick t = decode(KiteSamples.frame(b.bytes())).getFirst();
        assertEquals(1004, t.lastPrice());
        assertEquals(1008, t.lastQuantity());
        assertEquals(1012, t.averagePrice());
        assertEquals(1016, t.volume());
        assertEquals(1020, t.totalBuyQuantity());
        assertEquals(1024, t.totalSellQuantity());
        assertEquals(1028, t.open());
        assertEquals(1032, t.high());
        assertEquals(1036, t.low());
        assertEquals(1040, t.close());
        assertEquals(1004 - 1040, t.netChange());
        assertEquals(1044, t.lastTradeTimeS());
        assertEquals(1048, t.openInterest());
        assertEquals(1052, t.openInterestDayHigh());
        assertEquals(1056, t.openInterestDayLow());
        assertEquals(1060, t.exchangeTimeS());
        assertArrayEquals(new long[]{10_000, 10_001, 10_002, 10_003, 10_004}, t.bidQuantity());
        assertArrayEquals(new long[]{20_000, 20_001, 20_002, 20_003, 20_004}, t.bidPrice());
        assertArrayEquals(new long[]{300, 301, 302, 303, 304}, t.bidOrders());
        assertArrayEquals(new long[]{10_005, 10_006, 10_007, 10_008, 10_009}, t.askQuantity());
        assertArrayEquals(new long[]{20_005, 20_006, 20_007, 20_008, 20_009}, t.askPrice());
        assertArrayEquals(new long[]{305, 306, 307, 308, 309}, t.askOrders());
    }

    @Test
    void quoteAndIndexLayoutsAndTheFieldsTheyDoNotCarry()
    {
        final byte[] quote = new PacketBuilder(KitePacketMode.QUOTE).putInt(0, PacketBuilder.token(39804, 2))
            .putInt(4, 12345).putInt(28, 12000).putInt(32, 12500).putInt(36, 11900).putInt(40, 12100).bytes();
        final byte[] indexFull = new PacketBuilder(KitePacketMode.INDEX_FULL).putInt(0, 256265)
            .putInt(4, 1_579_045).putInt(8, 1_582_000).putInt(12, 1_570_010).putInt(16, 1_575_000)
            .putInt(20, 1_580_280).putInt(24, -1235).putInt(28, 1_625_461_887).bytes();
        final byte[] ltp = new PacketBuilder(KitePacketMode.LTP).putInt(0, 408065).putInt(4, 157370).bytes();
        final List<CapturingKiteListener.Tick> ticks = decode(KiteSamples.frame(quote, indexFull, ltp));
        assertEquals(0, decoder.errors(), listener.errors.toString());

        final CapturingKiteListener.Tick q = ticks.get(0);
        assertEquals(KitePacketMode.QUOTE, q.mode());
        assertEquals(12345 - 12100, q.netChange());
        assertEquals(ABSENT, q.lastTradeTimeS());
        assertEquals(ABSENT, q.lastTradeTimeNs());
        assertEquals(ABSENT, q.openInterest());
        assertEquals(ABSENT, q.exchangeTimeS());
        assertEquals(ABSENT, q.exchangeTimeNs());
        assertEquals(ABSENT, q.indexChangeField());
        assertEquals(0, q.bidPrice().length);

        final CapturingKiteListener.Tick i = ticks.get(1);
        assertEquals(KitePacketMode.INDEX_FULL, i.mode());
        assertFalse(i.tradable());
        assertEquals(1_582_000, i.high());
        assertEquals(1_570_010, i.low());
        assertEquals(1_575_000, i.open());
        assertEquals(1_580_280, i.close());
        assertEquals(-1235, i.indexChangeField());
        assertEquals(1_579_045 - 1_580_280, i.netChange());
        assertEquals(1_625_461_887L, i.exchangeTimeS());
        assertEquals(ABSENT, i.lastTradeTimeS());
        assertEquals(ABSENT, i.lastQuantity());
        assertEquals(ABSENT, i.averagePrice());

        final CapturingKiteListener.Tick l = ticks.get(2);
        assertEquals(KitePacketMode.LTP, l.mode());
        assertTrue(l.tradable());
        assertEquals(157370, l.lastPrice());
        for (final long absent : new long[]{l.open(), l.high(), l.low(), l.close(), l.netChange(), l.volume(),
            l.lastQuantity(), l.totalBuyQuantity(), l.totalSellQuantity(), l.exchangeTimeS(), l.indexChangeField()})
        {
            assertEquals(ABSENT, absent);
        }
    }

    @Test
    void priceExponentFollowsTheSegmentByte()
    {
        final int[] expectedExponent = {-2, -2, -2, -7, -2, -2, -4, -2, -2, -2};
        for (int segment = 1; segment <= 9; segment++)
        {
            listener.ticks.clear();
            final byte[] ltp = new PacketBuilder(KitePacketMode.LTP).putInt(0, PacketBuilder.token(1001, segment))
                .putInt(4, 723_450_000).bytes();
            final CapturingKiteListener.Tick t = decode(KiteSamples.frame(ltp)).getFirst();
            assertEquals(expectedExponent[segment], t.priceExponent(), "segment " + segment);
            assertEquals(segment, t.segmentId());
            assertEquals(segment != 9, t.tradable());
            assertEquals(KiteSegment.of(segment).priceExponent(), t.priceExponent());
        }
        assertEquals(0, decoder.errors());
    }

    @Test
    void heartbeatsAreCountedAndKeepTheConnectionAlive()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[]{0, 0});
        assertEquals(0, decoder.decode(buffer, 0, 1, 100L));
        assertEquals(0, decoder.decode(buffer, 0, 0, 200L));
        assertEquals(2, decoder.heartbeats());
        assertEquals(2, listener.heartbeats);
        assertEquals(200L, decoder.lastHeartbeatTimeNs());
        // A 2-byte message with count 0 is an empty message, not a heartbeat, but it is still a sign of life.
        assertEquals(0, decoder.decode(buffer, 0, 2, 300L));
        assertEquals(2, decoder.heartbeats());
        assertEquals(300L, decoder.lastMessageTimeNs());
        assertEquals(3, decoder.messages());
        assertEquals(0, decoder.errors());
    }

    @Test
    void signedPricesAndNegativeChange()
    {
        // MCX crude settled below zero in April 2020: a price field must be read signed.
        final byte[] quote = new PacketBuilder(KitePacketMode.QUOTE).putInt(0, PacketBuilder.token(228222, 7))
            .putInt(4, -3_700).putInt(40, 1_000).bytes();
        final CapturingKiteListener.Tick t = decode(KiteSamples.frame(quote)).getFirst();
        assertEquals(-3_700, t.lastPrice());
        assertEquals("-37.00", Decimals.toString(t.lastPrice(), t.priceExponent()));
        assertEquals(-4_700, t.netChange());
    }

    @Test
    void countsAndTimesAreUnsignedAndOrdersAreSixteenBitUnsigned()
    {
        final PacketBuilder b = new PacketBuilder(KitePacketMode.FULL).putInt(0, 408065)
            .putInt(16, 0x9000_0000)               // volume above 2^31
            .putInt(8, -1)                         // last quantity 2^32 - 1
            .putInt(44, 0x8000_0010)               // last trade time after 2038-01-19
            .putInt(48, 0xFFFF_FFFE)               // open interest
            .putInt(60, 0)                         // no exchange time sent
            .putShort(64 + 8, 40_000);             // best bid orders above 2^15
        final CapturingKiteListener.Tick t = decode(KiteSamples.frame(b.bytes())).getFirst();
        assertEquals(0x9000_0000L, t.volume());
        assertEquals(0xFFFF_FFFFL, t.lastQuantity());
        assertEquals(0x8000_0010L, t.lastTradeTimeS());
        assertEquals(0x8000_0010L * 1_000_000_000L, t.lastTradeTimeNs());
        assertEquals(0xFFFF_FFFEL, t.openInterest());
        assertEquals(0, t.exchangeTimeS());
        assertEquals(0, t.exchangeTimeNs());
        assertEquals(40_000, t.bidOrders()[0]);
    }

    @Test
    void rawWordsAreReachableInsideThePacketOnly()
    {
        final byte[] quote = new PacketBuilder(KitePacketMode.QUOTE).putInt(0, 408065).putInt(16, -2).putInt(40, 77).bytes();
        final int[] seen = new int[3];
        final KiteMessageDecoder d = new KiteMessageDecoder(tick ->
        {
            seen[0] = tick.rawInt(0);
            seen[1] = tick.rawInt(16);
            seen[2] = tick.rawInt(40);
            org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> tick.rawInt(41));
        });
        final byte[] message = KiteSamples.frame(quote);
        assertEquals(1, d.decode(new UnsafeBuffer(message), 0, message.length, 0));
        assertArrayEquals(new int[]{408065, -2, 77}, seen);
    }

    @Test
    void depthLevelOutsideFiveIsACallerBug()
    {
        final byte[] full = new PacketBuilder(KitePacketMode.FULL).putInt(0, 408065).bytes();
        final KiteMessageDecoder d = new KiteMessageDecoder(tick ->
        {
            org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> tick.bidPrice(5));
            org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> tick.askOrders(-1));
        });
        final byte[] message = KiteSamples.frame(full);
        assertEquals(1, d.decode(new UnsafeBuffer(message), 0, message.length, 0));
    }
}
