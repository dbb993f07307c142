package mm.risk;

import mm.common.Instrument;
import mm.common.testing.TestInstruments;
import mm.sbe.RiskReason;
import mm.sbe.Side;
import mm.sbe.TradingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static mm.risk.RiskHarness.SECOND_NS;
import static mm.risk.RiskHarness.approved;
import static mm.risk.RiskHarness.rejects;
import static mm.risk.RiskHarness.stateChanges;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * After a halt: the cool-off to the nanosecond, re-entry with reduced limits and their end, escalation to
 * MANUAL on the day's third kill, and what the trading day resets. Halts here come from a venue reject storm
 * (more than one reject in a second), which clears by itself once trading stops.
 */
class ReentryTest
{
    private static final Instrument BTC = TestInstruments.BTCUSDT;
    private static final int ID = BTC.id();
    private static final long DAY_NS = 86_400 * SECOND_NS;
    /** Noon UTC of some day. */
    private static final long T0 = 20_000 * DAY_NS + DAY_NS / 2;

    private RiskHarness harness;
    private long seq;

    @AfterEach
    void tearDown()
    {
        harness.close();
    }

    private void start(final String... keyValues)
    {
        final String[] all = new String[keyValues.length + 6];
        all[0] = "risk.rejectStormMaxRejects";
        all[1] = "1";
        all[2] = "risk.rejectStormWindowMs";
        all[3] = "1000";
        all[4] = "risk.maxPosition";
        all[5] = "0.002";
        System.arraycopy(keyValues, 0, all, 6, keyValues.length);
        harness = new RiskHarness(RiskHarness.context(List.of(BTC), all));
        harness.book(++seq, ID, T0 - SECOND_NS, 4_999_900, 5_000_100);
    }

    private List<byte[]> storm(final long timeNs)
    {
        harness.reject(++seq, ID, timeNs);
        return harness.reject(++seq, ID, timeNs);
    }

    private List<byte[]> bid(final long timeNs, final long qty)
    {
        harness.book(++seq, ID, timeNs, 4_999_900, 5_000_100); // fresh market data
        return harness.intent(++seq, ID, timeNs, 0, new long[][]{{5_000_000, qty}}, new long[0][]);
    }

    private TradingState state()
    {
        return harness.guard().tradingState();
    }

    @Test
    void coolOffThenReducedLimitsThenFullLimits()
    {
        start("risk.coolOffMs", "60000", "risk.reentryLimitPercent", "50", "risk.reentryReducedMs", "600000");
        assertEquals(TradingState.HALTED, stateChanges(storm(T0)).get(0).state());
        assertEquals(RiskReason.TRADING_HALTED, rejects(bid(T0 + SECOND_NS, 10)).get(0).reason());

        assertEquals(0, stateChanges(harness.heartbeat(T0 + 60 * SECOND_NS - 1)).size(), "1 ns before the cool-off ends");
        final List<byte[]> reentry = harness.heartbeat(T0 + 60 * SECOND_NS);
        assertEquals(TradingState.ACTIVE, stateChanges(reentry).get(0).state());
        assertEquals("REENTRY after REJECT_STORM: limits at 50% for 600000 ms", stateChanges(reentry).get(0).reason());
        assertEquals(1, harness.counter("re-entries"));

        // max position 0.002 at 50%: 0.001
        assertEquals(100, approved(bid(T0 + 61 * SECOND_NS, 100))[0][0][1]);
        final List<byte[]> over = bid(T0 + 62 * SECOND_NS, 101);
        assertEquals(RiskReason.MAX_POSITION, rejects(over).get(0).reason());
        assertEquals(100, rejects(over).get(0).limitValue());

        harness.heartbeat(T0 + 660 * SECOND_NS - 1);
        assertEquals(50, harness.guard().limitPercent());
        harness.heartbeat(T0 + 660 * SECOND_NS);
        assertEquals(100, harness.guard().limitPercent());
        assertEquals(0, rejects(bid(T0 + 661 * SECOND_NS, 200)).size());
    }

    @Test
    void theDaysThirdKillEscalatesToManual()
    {
        start("risk.coolOffMs", "1000", "risk.killsBeforeManual", "3");
        storm(T0);
        harness.heartbeat(T0 + 2 * SECOND_NS);
        assertEquals(TradingState.ACTIVE, state());
        storm(T0 + 3 * SECOND_NS);
        assertEquals(TradingState.HALTED, state());
        harness.heartbeat(T0 + 5 * SECOND_NS);
        assertEquals(TradingState.ACTIVE, state());
        final List<byte[]> third = storm(T0 + 6 * SECOND_NS);
        assertEquals(TradingState.MANUAL, stateChanges(third).get(0).state());
        assertEquals("REJECT_STORM value=2 limit=1 (kill 3 today: manual)", stateChanges(third).get(0).reason());
        assertEquals(0, stateChanges(harness.heartbeat(T0 + DAY_NS / 4)).size(), "MANUAL waits for an operator");
        assertEquals(3, harness.guard().killsToday());
        assertEquals(3, harness.postMortems.size());

        // the operator resumes; the day's count stays, so a further kill today is manual at once
        harness.operator(T0 + DAY_NS / 4 + 1, TradingState.ACTIVE, "looked at it");
        assertEquals(TradingState.ACTIVE, state());
        storm(T0 + DAY_NS / 4 + 2 * SECOND_NS);
        assertEquals(TradingState.MANUAL, state());
    }

    @Test
    void aNewTradingDayResetsTheKillCount()
    {
        start("risk.coolOffMs", "1000", "risk.killsBeforeManual", "2", "risk.tradingDayStartUtcMinutes", "0");
        storm(T0);
        harness.heartbeat(T0 + 2 * SECOND_NS);
        assertEquals(1, harness.guard().killsToday());
        // T0 is noon: half a day later the next trading day has begun
        harness.heartbeat(T0 + DAY_NS / 2);
        assertEquals(0, harness.guard().killsToday());
        storm(T0 + DAY_NS / 2 + SECOND_NS);
        assertEquals(TradingState.HALTED, state(), "the new day's first kill");
    }

    @Test
    void theTradingDayStartsAtTheConfiguredUtcMinute()
    {
        // 09:15 IST is 03:45 UTC: a day that starts at 225 minutes
        start("risk.coolOffMs", "1000", "risk.tradingDayStartUtcMinutes", "225");
        final long dayStart = 20_001 * DAY_NS + 225 * 60 * SECOND_NS;
        storm(dayStart - 10 * SECOND_NS);
        harness.heartbeat(dayStart - SECOND_NS);
        assertEquals(1, harness.guard().killsToday());
        harness.heartbeat(dayStart);
        assertEquals(0, harness.guard().killsToday());
    }

    @Test
    void aDailyLossHaltWaitsForTheNextTradingDay()
    {
        start("risk.coolOffMs", "1000", "risk.maxDailyLoss", "1", "risk.reentryReducedMs", "0", "risk.staleMarketDataMs", "0");
        harness.fill(++seq, ID, T0, Side.BUY, 5_200_000, 100); // -2 USDT at the 50000.00 mark
        assertEquals(TradingState.HALTED, state());
        assertEquals(0, stateChanges(harness.heartbeat(T0 + 3_600 * SECOND_NS)).size(), "the loss is still today's");
        // the mark comes back: the loss is gone, but the halt lasts the trading day
        assertEquals(0, stateChanges(harness.book(++seq, ID, T0 + 3_601 * SECOND_NS, 5_199_900, 5_200_100)).size());
        assertEquals(TradingState.HALTED, state());
        final List<byte[]> nextDay = harness.heartbeat(T0 + DAY_NS / 2);
        assertEquals(TradingState.ACTIVE, stateChanges(nextDay).get(0).state());
        assertEquals("REENTRY after DAILY_LOSS: limits at 50% until the trading day ends",
            stateChanges(nextDay).get(0).reason());
        harness.heartbeat(T0 + DAY_NS - 1);
        assertEquals(50, harness.guard().limitPercent());
        harness.heartbeat(T0 + DAY_NS + DAY_NS / 2);
        assertEquals(100, harness.guard().limitPercent(), "reduced until the end of that trading day");
    }

    @Test
    void aDrawdownHaltReentersWithTheNewPeakAtCurrentEquity()
    {
        start("risk.coolOffMs", "1000", "risk.maxDrawdown", "1", "risk.maxDailyLoss", "0");
        harness.fill(++seq, ID, T0, Side.BUY, 5_200_000, 100);
        assertEquals(TradingState.HALTED, state());
        harness.heartbeat(T0 + 2 * SECOND_NS);
        assertEquals(TradingState.ACTIVE, state(), "the peak restarts at re-entry, so the drawdown is 0");
        assertEquals(harness.guard().equity(), harness.guard().highWaterMark());
    }

    @Test
    void aHaltConditionThatPersistsBlocksReentry()
    {
        start("risk.coolOffMs", "1000", "risk.staleMarketDataMs", "1000");
        harness.intent(++seq, ID, T0 - SECOND_NS, 0, new long[][]{{5_000_000, 10}}, new long[0][]);
        harness.fill(++seq, ID, T0 - SECOND_NS, Side.BUY, 5_000_000, 10); // a position: stale data matters
        harness.heartbeat(T0 + SECOND_NS);
        assertEquals(TradingState.HALTED, state());
        assertEquals(RiskReason.STALE_MARKET_DATA, harness.guard().stateReason);
        assertEquals(0, stateChanges(harness.heartbeat(T0 + 10 * SECOND_NS)).size(), "still no market data");
        harness.book(++seq, ID, T0 + 11 * SECOND_NS, 4_999_900, 5_000_100);
        assertEquals(TradingState.ACTIVE, state(), "fresh data and the cool-off passed");
    }
}
