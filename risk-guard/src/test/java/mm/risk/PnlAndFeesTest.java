package mm.risk;

import mm.common.Instrument;
import mm.common.InstrumentKind;
import mm.common.Venue;
import mm.common.testing.TestInstruments;
import mm.sbe.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Positions, PnL and fees booked from execution reports, against fills computed by hand. BTCUSDT money is at
 * 10^-7 USDT, account money at 10^-8; Kite money is in paise.
 */
class PnlAndFeesTest
{
    private static final Instrument BTC = TestInstruments.BTCUSDT;
    private static final Instrument NIFTY_CALL = new Instrument(1001, Venue.KITE, "NFO:NIFTY25NOV25300CE", -2, 0, 5, 65, 0,
        InstrumentKind.OPTION);
    private static final long CAPITAL = 100_000_00000000L;

    private RiskHarness harness;

    @AfterEach
    void tearDown()
    {
        harness.close();
    }

    @Test
    void averageCostRealizedUnrealizedFeesEquityAndHighWaterMark()
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC), "risk.fees.model", "auto"));
        harness.book(1, BTC.id(), 1_000, 4_999_900, 5_000_100); // mid 50000.00
        // buy 0.002 at 50000.00, maker: 100 USDT, 0.1% = 0.1 USDT
        harness.fill(2, BTC.id(), 2_000, Side.BUY, 5_000_000, 200, 0, true);
        // buy 0.001 at 51000.00, taker: 51 USDT, 0.051 USDT
        harness.fill(3, BTC.id(), 3_000, Side.BUY, 5_100_000, 100, 0, false);
        final PositionKeeper keeper = harness.guard().position(BTC.id());
        assertEquals(300, keeper.position());
        assertEquals(1_510_000_000L, keeper.costBasis());
        assertEquals(5_033_333, keeper.averagePrice(), "50333.33 floored");
        assertEquals(-10_000_000L, keeper.unrealizedPnl(), "0.003 at 50000.00 less 151 USDT: -1 USDT");

        // sell 0.002 at 52000.00: releases 2/3 of the cost, 100.6666666 floored; realizes 3.3333334
        harness.fill(4, BTC.id(), 4_000, Side.SELL, 5_200_000, 200, 0, true);
        assertEquals(100, keeper.position());
        assertEquals(33_333_334L, keeper.realizedPnl());
        assertEquals(503_333_334L, keeper.costBasis());
        assertEquals(2_550_000L, keeper.fees(), "0.1 + 0.051 + 0.104 USDT");

        harness.book(5, BTC.id(), 5_000, 5_299_900, 5_300_100); // mid 53000.00
        assertEquals(26_666_666L, keeper.unrealizedPnl());
        assertEquals(57_450_000L, keeper.netPnl());
        assertEquals(CAPITAL + 574_500_000L, harness.guard().equity(), "account money at 10^-8");
        assertEquals(CAPITAL + 574_500_000L, harness.guard().highWaterMark());

        harness.book(6, BTC.id(), 6_000, 5_199_900, 5_200_100); // mid 52000.00: 1 USDT below the peak
        assertEquals(CAPITAL + 474_500_000L, harness.guard().equity());
        assertEquals(CAPITAL + 574_500_000L, harness.guard().highWaterMark());
        assertEquals(57_450_000L - 10_000_000L, harness.counterValue("risk BTCUSDT: net pnl (money mantissa 10^-7)"));
        assertEquals(2_550_000L, harness.counterValue("risk BTCUSDT: fees (money mantissa 10^-7)"));
        assertEquals(100, harness.counterValue("risk BTCUSDT: position (qty mantissa 10^-5)"));
        assertEquals(3, harness.counter("fills"));
    }

    @Test
    void zerodhaWorkedExampleBookedFromAnExecutionReport()
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC, NIFTY_CALL), "risk.fees.model", "auto",
            "risk.fees.zerodha.option.exchangeRate", "0.0000325", "risk.fees.zerodha.option.stampBuyRate", "0.00002",
            "risk.instrument.1001.maxPosition", "650"));
        harness.book(1, NIFTY_CALL.id(), 1_000, 149_95, 150_05);
        // Kite reports no charges: the risk guard's own model books them
        harness.fill(2, NIFTY_CALL.id(), 2_000, Side.BUY, 150_00, 65, 0, false);
        final PositionKeeper keeper = harness.guard().position(NIFTY_CALL.id());
        assertEquals(65, keeper.position());
        assertEquals(9_750_00, keeper.costBasis(), "₹9,750 premium");
        assertEquals(24_18, keeper.fees(), "₹24.18");
        assertEquals(-24_18, keeper.netPnl());
        assertEquals(CAPITAL - 24_18_000_000L, harness.guard().equity(), "paise to account money (10^-8)");
        // BTC on the same guard is charged by the Binance model
        harness.fill(3, BTC.id(), 3_000, Side.BUY, 5_000_000, 200, 0, true);
        assertEquals(1_000_000L, harness.guard().position(BTC.id()).fees());
    }

    @Test
    void reportedFeesAreBookedAsTheVenueReportedThem()
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC), "risk.fees.model", "reported"));
        harness.fill(1, BTC.id(), 1_000, Side.BUY, 5_000_000, 200, 1_234, true);
        assertEquals(1_234, harness.guard().position(BTC.id()).fees());
        assertEquals(1_234, harness.counterValue("risk BTCUSDT: venue-reported fees (money mantissa 10^-7)"));
    }

    @Test
    void aBadExecutionReportIsCountedAndSkipped()
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC)));
        harness.fill(1, BTC.id(), 1_000, Side.BUY, 5_000_000, 0);
        harness.fill(2, BTC.id(), 2_000, Side.BUY, Long.MAX_VALUE, 2);
        assertEquals(2, harness.counter("bad execution reports skipped"));
        assertEquals(0, harness.guard().position(BTC.id()).position());
        assertEquals(0, harness.counter("fills"));
    }
}
