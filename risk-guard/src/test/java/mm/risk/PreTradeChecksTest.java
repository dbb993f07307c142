package mm.risk;

import mm.common.Instrument;
import mm.common.Venue;
import mm.common.testing.TestInstruments;
import mm.sbe.RiskReason;
import mm.sbe.RiskRejectDecoder;
import mm.sbe.Side;
import mm.sbe.TradingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static mm.risk.RiskHarness.approved;
import static mm.risk.RiskHarness.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every pre-trade limit at threshold - 1, threshold and threshold + 1 (one step of the checked quantity: a lot,
 * a tick, a level, an order), in REJECT and CLIP mode, and the fixed order of the checks. BTCUSDT: price at
 * 10^-2, quantity at 10^-5 (100 is 0.001 BTC), money at 10^-7; the book's mid is 50000.00.
 */
class PreTradeChecksTest
{
    private static final Instrument BTC = TestInstruments.BTCUSDT;
    private static final int BTC_ID = BTC.id();
    /** ETHUSDT: price 10^-2, quantity 10^-4, money 10^-6. */
    private static final Instrument ETH = new Instrument(2, Venue.BINANCE_SPOT, "ETHUSDT", -2, -4, 1, 1, 0);
    private static final long MID = 5_000_000;

    private RiskHarness harness;

    @AfterEach
    void tearDown()
    {
        harness.close();
    }

    private void start(final String... keyValues)
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC, ETH), keyValues));
        harness.book(1, BTC_ID, 1_000, MID - 100, MID + 100);
    }

    private List<byte[]> bid(final long seq, final long price, final long qty)
    {
        return harness.intent(seq, BTC_ID, seq * 1_000, 0, new long[][]{{price, qty}}, new long[0][]);
    }

    /** The level passes untouched: approved as asked, no RiskReject. */
    private static void assertPasses(final List<byte[]> out, final long price, final long qty)
    {
        assertEquals(0, rejects(out).size(), "no reject");
        assertArrayEquals(new long[]{price, qty}, approved(out)[0][0]);
    }

    private static void assertRejected(
        final List<byte[]> out, final RiskReason reason, final long checkedValue, final long limitValue)
    {
        final List<RiskRejectDecoder> rejects = rejects(out);
        assertEquals(1, rejects.size());
        assertEquals(reason, rejects.get(0).reason());
        assertEquals(0, rejects.get(0).approvedQty());
        assertEquals(checkedValue, rejects.get(0).checkedValue(), "checked value");
        assertEquals(limitValue, rejects.get(0).limitValue(), "limit value");
        assertEquals(0, approved(out)[0].length, "nothing approved");
    }

    private static void assertClipped(final List<byte[]> out, final RiskReason reason, final long requested, final long kept)
    {
        final List<RiskRejectDecoder> rejects = rejects(out);
        assertEquals(1, rejects.size());
        assertEquals(reason, rejects.get(0).reason());
        assertEquals(requested, rejects.get(0).requestedQty());
        assertEquals(kept, rejects.get(0).approvedQty());
        assertEquals(kept, approved(out)[0][0][1], "the clipped quantity is approved");
    }

    @Test
    void maxOrderNotional()
    {
        start("risk.maxOrderNotional", "100"); // 100 USDT = 0.002 BTC at 50000
        assertPasses(bid(2, MID, 199), MID, 199);
        assertPasses(bid(3, MID, 200), MID, 200);
        assertRejected(bid(4, MID, 201), RiskReason.MAX_ORDER_NOTIONAL, MID * 201, 100_0000000L);
        assertEquals(1, harness.counter("levels clipped or rejected: MAX_ORDER_NOTIONAL"));
        assertEquals(1, harness.counter("rejected levels"));
    }

    @Test
    void maxOrderNotionalClips()
    {
        start("risk.maxOrderNotional", "100", "risk.mode", "clip");
        assertPasses(bid(2, MID, 200), MID, 200);
        assertClipped(bid(3, MID, 201), RiskReason.MAX_ORDER_NOTIONAL, 201, 200);
        assertEquals(1, harness.counter("clipped levels"));
        assertEquals(0, harness.counter("rejected levels"));
    }

    @Test
    void maxOrderQty()
    {
        start("risk.maxOrderQty", "0.002");
        assertPasses(bid(2, MID, 199), MID, 199);
        assertPasses(bid(3, MID, 200), MID, 200);
        assertRejected(bid(4, MID, 201), RiskReason.MAX_ORDER_QTY, 201, 200);
    }

    @Test
    void maxOrderQtyClips()
    {
        start("risk.maxOrderQty", "0.002", "risk.mode", "clip");
        assertClipped(bid(2, MID, 201), RiskReason.MAX_ORDER_QTY, 201, 200);
    }

    @Test
    void priceBandAgainstTheBookMid()
    {
        start("risk.priceBandBps", "100"); // 1% of 50000.00 = 500.00
        assertPasses(bid(2, MID - 49_999, 100), MID - 49_999, 100);
        assertPasses(bid(3, MID - 50_000, 100), MID - 50_000, 100);
        assertRejected(bid(4, MID - 50_001, 100), RiskReason.PRICE_BAND, 50_001, 50_000);
        // the fat finger: a bid far above the mid
        assertRejected(bid(5, MID + 50_001, 100), RiskReason.PRICE_BAND, 50_001, 50_000);
    }

    @Test
    void priceBandWithoutABookUsesTheIntentsFairPriceAndWithoutEitherRejects()
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC, ETH), "risk.priceBandBps", "100"));
        final List<byte[]> noReference = harness.intent(1, BTC_ID, 1_000, 0, new long[][]{{MID, 100}}, new long[0][]);
        assertRejected(noReference, RiskReason.NO_REFERENCE_PRICE, MID, 0);
        final List<byte[]> againstFair = harness.intent(2, BTC_ID, 2_000, MID,
            new long[][]{{MID - 50_000, 100}, {MID - 50_001, 100}}, new long[0][]);
        assertEquals(1, approved(againstFair)[0].length);
        assertEquals(RiskReason.PRICE_BAND, rejects(againstFair).get(0).reason());
    }

    @Test
    void maxPositionIsTheWorstCaseOfEverySameSideLevelFilled()
    {
        start("risk.maxPosition", "0.002");
        assertPasses(bid(2, MID, 199), MID, 199);
        assertPasses(bid(3, MID, 200), MID, 200);
        assertRejected(bid(4, MID, 201), RiskReason.MAX_POSITION, 201, 200);

        // levels add up: 100 + 100 fit, the third takes the worst case to 300
        final List<byte[]> ladder = harness.intent(5, BTC_ID, 5_000, 0,
            new long[][]{{MID, 100}, {MID - 1, 100}, {MID - 2, 100}}, new long[][]{{MID + 1, 100}});
        assertEquals(2, approved(ladder)[0].length);
        assertEquals(1, approved(ladder)[1].length, "the other side is its own worst case");
        assertEquals(300, rejects(ladder).get(0).checkedValue());

        // a long position uses up the room: with 0.001 held, 99 and 100 more fit, 101 does not
        harness.fill(6, BTC_ID, 6_000, Side.BUY, MID, 100);
        assertPasses(bid(7, MID, 99), MID, 99);
        assertPasses(bid(8, MID, 100), MID, 100);
        assertRejected(bid(9, MID, 101), RiskReason.MAX_POSITION, 201, 200);
    }

    @Test
    void aLevelThatReducesAPositionBeyondTheLimitPasses()
    {
        start("risk.maxPosition", "0.002");
        harness.fill(2, BTC_ID, 2_000, Side.SELL, MID, 300); // short 0.003, beyond the limit
        assertPasses(bid(3, MID, 100), MID, 100);
        final List<byte[]> ask = harness.intent(4, BTC_ID, 4_000, 0, new long[0][], new long[][]{{MID, 1}});
        assertEquals(RiskReason.MAX_POSITION, rejects(ask).get(0).reason());
        assertEquals(-301, rejects(ask).get(0).checkedValue());
    }

    @Test
    void maxPositionClipsToTheRoomLeft()
    {
        start("risk.maxPosition", "0.002", "risk.mode", "clip");
        final List<byte[]> out = harness.intent(2, BTC_ID, 2_000, 0,
            new long[][]{{MID, 150}, {MID - 1, 150}, {MID - 2, 150}}, new long[0][]);
        assertEquals(2, approved(out)[0].length);
        assertEquals(50, approved(out)[0][1][1], "the second level is clipped to the 50 left");
        assertEquals(2, rejects(out).size());
        assertEquals(50, rejects(out).get(0).approvedQty());
        assertEquals(0, rejects(out).get(1).approvedQty(), "nothing left for the third");
    }

    @Test
    void maxSymbolNotionalValuesTheWorstCaseAtTheMark()
    {
        start("risk.maxSymbolNotional", "100"); // 0.002 BTC at the 50000.00 mark
        assertPasses(bid(2, MID - 100, 199), MID - 100, 199);
        assertPasses(bid(3, MID - 100, 200), MID - 100, 200);
        assertRejected(bid(4, MID - 100, 201), RiskReason.MAX_SYMBOL_NOTIONAL, MID * 201, 100_0000000L);
    }

    @Test
    void maxSymbolNotionalClips()
    {
        start("risk.maxSymbolNotional", "100", "risk.mode", "clip");
        assertClipped(bid(2, MID - 100, 250), RiskReason.MAX_SYMBOL_NOTIONAL, 250, 200);
    }

    @Test
    void maxGrossNotionalAddsEveryInstrumentsWorstCase()
    {
        start("risk.maxGrossNotional", "100");
        assertPasses(bid(2, MID, 199), MID, 199);
        assertPasses(bid(3, MID, 200), MID, 200);
        // account money is at 10^-8: 100.5 USDT
        assertRejected(bid(4, MID, 201), RiskReason.MAX_GROSS_NOTIONAL, 100_50000000L, 100_00000000L);

        // 0.01 ETH quoted at a 3000.00 mark takes 30 USDT of the 100: 140 is BTC's room now
        harness.book(5, ETH.id(), 5_000, 299_900, 300_100);
        harness.intent(6, ETH.id(), 6_000, 0, new long[][]{{300_000, 100}}, new long[0][]);
        assertEquals(30_00000000L, harness.guard().grossWorstCase(), "BTC's last intent was rejected: ETH's 30 USDT");
        assertPasses(bid(7, MID, 139), MID, 139);
        assertPasses(bid(8, MID, 140), MID, 140);
        assertRejected(bid(9, MID, 141), RiskReason.MAX_GROSS_NOTIONAL, 100_50000000L, 100_00000000L);
    }

    @Test
    void maxGrossNotionalClips()
    {
        start("risk.maxGrossNotional", "100", "risk.mode", "clip");
        assertClipped(bid(2, MID, 201), RiskReason.MAX_GROSS_NOTIONAL, 201, 200);
    }

    @Test
    void maxOpenOrdersCountsBothSides()
    {
        start("risk.maxOpenOrders", "3");
        final long[][] twoBids = {{MID - 1, 10}, {MID - 2, 10}};
        List<byte[]> out = harness.intent(2, BTC_ID, 2_000, 0, twoBids, new long[0][]);
        assertEquals(0, rejects(out).size());
        out = harness.intent(3, BTC_ID, 3_000, 0, twoBids, new long[][]{{MID + 1, 10}});
        assertEquals(0, rejects(out).size());
        assertEquals(1, approved(out)[1].length);
        out = harness.intent(4, BTC_ID, 4_000, 0, twoBids, new long[][]{{MID + 1, 10}, {MID + 2, 10}});
        assertEquals(1, rejects(out).size());
        assertEquals(RiskReason.MAX_OPEN_ORDERS, rejects(out).get(0).reason());
        assertEquals(4, rejects(out).get(0).checkedValue());
        assertEquals(3, rejects(out).get(0).limitValue());
        assertEquals(Side.SELL, rejects(out).get(0).side());
        assertEquals(MID + 2, rejects(out).get(0).price());
    }

    @Test
    void orderRateBudgetIsPaidByNewAndChangedLevelsOnly()
    {
        start("risk.orderRateBurst", "3", "risk.orderRatePerSecond", "1");
        final long t = 1_000_000_000L;
        // 2 and then 3 levels: the first intent pays 2 of the 3 tokens, the second pays 1 (two levels unchanged)
        List<byte[]> out = harness.intent(2, BTC_ID, t, 0, new long[][]{{MID - 1, 10}, {MID - 2, 10}}, new long[0][]);
        assertEquals(0, rejects(out).size());
        out = harness.intent(3, BTC_ID, t, 0, new long[][]{{MID - 1, 10}, {MID - 2, 10}}, new long[][]{{MID + 1, 10}});
        assertEquals(0, rejects(out).size());
        assertEquals(0, harness.guard().rateTokens());
        // a fourth order in the same instant has no token
        out = harness.intent(4, BTC_ID, t, 0, new long[][]{{MID - 1, 10}, {MID - 2, 10}},
            new long[][]{{MID + 1, 10}, {MID + 2, 10}});
        assertEquals(1, rejects(out).size());
        assertEquals(RiskReason.ORDER_RATE, rejects(out).get(0).reason());
        assertEquals(MID + 2, rejects(out).get(0).price());
        assertEquals(3, approved(out)[0].length + approved(out)[1].length);
        // one second later one token is back: 1 ns short of it, still none
        out = harness.intent(5, BTC_ID, 2 * t - 1, 0, new long[][]{{MID - 1, 10}, {MID - 2, 10}},
            new long[][]{{MID + 1, 10}, {MID + 2, 10}});
        assertEquals(RiskReason.ORDER_RATE, rejects(out).get(0).reason());
        out = harness.intent(6, BTC_ID, 2 * t, 0, new long[][]{{MID - 1, 10}, {MID - 2, 10}},
            new long[][]{{MID + 1, 10}, {MID + 2, 10}});
        assertEquals(0, rejects(out).size());
        assertEquals(2, approved(out)[1].length);
    }

    @Test
    void reducingAllowsOnlyLevelsTowardsFlat()
    {
        start();
        harness.fill(2, BTC_ID, 2_000, Side.BUY, MID, 200);
        harness.operator(3_000, TradingState.REDUCING, "unwind");
        List<byte[]> out = harness.intent(4, BTC_ID, 4_000, 0, new long[][]{{MID - 1, 10}}, new long[][]{{MID + 1, 199}});
        assertEquals(RiskReason.REDUCE_ONLY, rejects(out).get(0).reason());
        assertEquals(Side.BUY, rejects(out).get(0).side());
        assertEquals(0, approved(out)[0].length);
        assertArrayEquals(new long[]{MID + 1, 199}, approved(out)[1][0]);
        out = harness.intent(5, BTC_ID, 5_000, 0, new long[0][], new long[][]{{MID + 1, 200}});
        assertEquals(0, rejects(out).size());
        out = harness.intent(6, BTC_ID, 6_000, 0, new long[0][], new long[][]{{MID + 1, 201}});
        assertEquals(RiskReason.REDUCE_ONLY, rejects(out).get(0).reason());
        assertEquals(-1, rejects(out).get(0).checkedValue(), "the position it would leave");
        // two asks: together no further than flat
        out = harness.intent(7, BTC_ID, 7_000, 0, new long[0][], new long[][]{{MID + 1, 150}, {MID + 2, 100}});
        assertEquals(1, approved(out)[1].length);
    }

    @Test
    void reducingClipsToFlatInClipMode()
    {
        start("risk.mode", "clip");
        harness.fill(2, BTC_ID, 2_000, Side.SELL, MID, 200);
        harness.operator(3_000, TradingState.REDUCING, "unwind");
        final List<byte[]> out = harness.intent(4, BTC_ID, 4_000, 0, new long[][]{{MID - 1, 150}, {MID - 2, 150}},
            new long[0][]);
        assertEquals(2, approved(out)[0].length);
        assertEquals(50, approved(out)[0][1][1]);
    }

    @Test
    void invalidLevels()
    {
        start();
        final List<byte[]> out = harness.intent(2, BTC_ID, 2_000, 0, new long[][]{{MID, 0}, {0, 10}, {MID - 1, -5}},
            new long[0][]);
        assertEquals(3, rejects(out).size());
        for (final RiskRejectDecoder reject : rejects(out))
        {
            assertEquals(RiskReason.INVALID_LEVEL, reject.reason());
        }
        final long[][] many = new long[21][];
        for (int i = 0; i < many.length; i++)
        {
            many[i] = new long[]{MID - i, 1};
        }
        final List<byte[]> tooMany = harness.intent(3, BTC_ID, 3_000, 0, many, new long[0][]);
        assertEquals(20, approved(tooMany)[0].length);
        assertEquals(RiskReason.INVALID_LEVEL, rejects(tooMany).get(0).reason());
        assertEquals(MID - 20, rejects(tooMany).get(0).price());
    }

    @Test
    void checksRunInTheirFixedOrder()
    {
        // one level over the order notional, the order quantity, the band and the position
        start("risk.maxOrderNotional", "100", "risk.maxOrderQty", "0.003", "risk.priceBandBps", "10",
            "risk.maxPosition", "0.001");
        final List<byte[]> rejectMode = bid(2, MID + 10_000, 500);
        assertEquals(1, rejects(rejectMode).size());
        assertEquals(RiskReason.MAX_ORDER_NOTIONAL, rejects(rejectMode).get(0).reason());
        harness.close();

        start("risk.maxOrderNotional", "100", "risk.maxOrderQty", "0.001", "risk.priceBandBps", "10",
            "risk.maxPosition", "0.0005", "risk.mode", "clip");
        // 10.00 above the mid, inside the 50.00 band: clipped by notional, quantity and position in turn
        final List<byte[]> clipped = bid(2, MID + 1_000, 500);
        final List<RiskRejectDecoder> chain = rejects(clipped);
        assertEquals(3, chain.size());
        assertEquals(RiskReason.MAX_ORDER_NOTIONAL, chain.get(0).reason());
        assertEquals(500, chain.get(0).requestedQty());
        assertEquals(199, chain.get(0).approvedQty(), "100 USDT at 50010.00: 0.00199");
        assertEquals(RiskReason.MAX_ORDER_QTY, chain.get(1).reason());
        assertEquals(199, chain.get(1).requestedQty());
        assertEquals(100, chain.get(1).approvedQty());
        assertEquals(RiskReason.MAX_POSITION, chain.get(2).reason());
        assertEquals(50, chain.get(2).approvedQty());
        assertEquals(50, approved(clipped)[0][0][1]);
        // 100.00 above the mid: clipped twice, then the band rejects (a price cannot be clipped)
        final List<byte[]> banded = bid(3, MID + 10_000, 500);
        final List<RiskRejectDecoder> bandChain = rejects(banded);
        assertEquals(3, bandChain.size());
        assertEquals(RiskReason.MAX_ORDER_NOTIONAL, bandChain.get(0).reason());
        assertEquals(RiskReason.MAX_ORDER_QTY, bandChain.get(1).reason());
        assertEquals(RiskReason.PRICE_BAND, bandChain.get(2).reason());
        assertEquals(10_000, bandChain.get(2).checkedValue());
        assertEquals(5_000, bandChain.get(2).limitValue());
        assertEquals(0, bandChain.get(2).approvedQty());
        assertEquals(0, approved(banded)[0].length);
    }

    @Test
    void haltedAndKilledInstrumentsApproveNothing()
    {
        start();
        harness.kill(2_000, BTC_ID, "this instrument only");
        assertEquals(TradingState.ACTIVE, harness.guard().tradingState());
        assertRejected(bid(3, MID, 10), RiskReason.KILL_SWITCH, 0, 0);
        harness.operator(4_000, TradingState.ACTIVE, "resume");
        assertPasses(bid(5, MID, 10), MID, 10);

        harness.kill(6_000, 0, "everything");
        final List<byte[]> out = bid(7, MID, 10);
        assertEquals(RiskReason.TRADING_HALTED, rejects(out).get(0).reason());
        assertEquals(1, harness.counter("levels clipped or rejected: TRADING_HALTED"));
        assertEquals(1, harness.counter("levels clipped or rejected: KILL_SWITCH"));
    }
}
