package mm.risk;

import mm.common.Instrument;
import mm.common.testing.TestInstruments;
import mm.common.testing.TestMessages;
import mm.sbe.CancelAllDecoder;
import mm.sbe.FeedState;
import mm.sbe.RiskReason;
import mm.sbe.Side;
import mm.sbe.StepEndDecoder;
import mm.sbe.TradingState;
import mm.sbe.TradingStateChangeDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static mm.risk.RiskHarness.SECOND_NS;
import static mm.risk.RiskHarness.cancelAlls;
import static mm.risk.RiskHarness.stateChanges;
import static mm.risk.RiskHarness.templateId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every trigger fires above its threshold and not at it (threshold - 1, threshold, threshold + 1 in the
 * smallest step the input allows), warns at 80% of it, and each state change is published as a
 * TradingStateChange (a halt with a CancelAll first). BTCUSDT, fees off; 0.001 BTC moving 0.01 USDT is
 * 0.00001 USDT of PnL.
 */
class TriggersTest
{
    private static final Instrument BTC = TestInstruments.BTCUSDT;
    private static final int ID = BTC.id();
    private static final long MS = 1_000_000L;

    private RiskHarness harness;
    private long seq;

    @AfterEach
    void tearDown()
    {
        harness.close();
    }

    private void start(final String... keyValues)
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC), keyValues));
    }

    private List<byte[]> mid(final long timeNs, final long mid)
    {
        return harness.book(++seq, ID, timeNs, mid - 100, mid + 100);
    }

    private List<byte[]> fill(final long timeNs, final Side side, final long price, final long qty)
    {
        return harness.fill(++seq, ID, timeNs, side, price, qty);
    }

    private TradingState state()
    {
        return harness.guard().tradingState();
    }

    /** The reaction to a halt: a CancelAll of everything for the reason, then the state change. */
    private static void assertHalt(final List<byte[]> out, final TradingState state, final RiskReason reason,
        final String text)
    {
        final List<CancelAllDecoder> cancels = cancelAlls(out);
        assertEquals(1, cancels.size(), "one CancelAll");
        assertEquals(0, cancels.get(0).instrumentId());
        assertEquals(reason, cancels.get(0).reason());
        final List<TradingStateChangeDecoder> changes = stateChanges(out);
        assertEquals(1, changes.size());
        assertEquals(state, changes.get(0).state());
        assertEquals(text, changes.get(0).reason());
        assertTrue(out.indexOf(RiskHarness.ofTemplate(out, CancelAllDecoder.TEMPLATE_ID).get(0)) <
            out.indexOf(RiskHarness.ofTemplate(out, TradingStateChangeDecoder.TEMPLATE_ID).get(0)), "cancel first");
    }

    @Test
    void dailyLoss()
    {
        start("risk.maxDailyLoss", "10");
        mid(SECOND_NS, 5_000_000);
        fill(SECOND_NS, Side.BUY, 5_000_000, 100); // 0.001 BTC at 50000.00
        mid(2 * SECOND_NS, 4_200_001); // loss 7.99999: below 80%
        assertEquals(0, harness.counter("warning: DAILY_LOSS"));
        mid(2 * SECOND_NS, 4_200_000); // loss 8: 80% warns, once
        mid(2 * SECOND_NS, 4_100_000);
        assertEquals(1, harness.counter("warning: DAILY_LOSS"));
        assertEquals(0, stateChanges(mid(3 * SECOND_NS, 4_000_001)).size()); // 9.99999
        assertEquals(0, stateChanges(mid(3 * SECOND_NS, 4_000_000)).size()); // 10: at the limit
        final List<byte[]> out = mid(3 * SECOND_NS, 3_999_999); // 10.00001
        assertHalt(out, TradingState.HALTED, RiskReason.DAILY_LOSS, "DAILY_LOSS value=10.00001000 limit=10.00000000");
        assertEquals(TradingState.HALTED, state());
        assertEquals(1, harness.counter("trigger fired: DAILY_LOSS"));
        assertEquals(1, harness.postMortems.size());
        assertEquals(seq, stateChanges(out).get(0).eventSeq(), "the step that decided it");
        assertEquals(3 * SECOND_NS, stateChanges(out).get(0).timeNs());
    }

    @Test
    void drawdownFromPeakEquity()
    {
        start("risk.maxDrawdown", "10", "risk.maxDailyLoss", "0");
        mid(SECOND_NS, 5_000_000);
        fill(SECOND_NS, Side.BUY, 5_000_000, 100);
        mid(2 * SECOND_NS, 6_000_000); // +10 USDT: the peak
        assertEquals(0, stateChanges(mid(3 * SECOND_NS, 5_000_001)).size()); // 9.99999 below it
        assertEquals(0, stateChanges(mid(3 * SECOND_NS, 5_000_000)).size()); // 10
        assertEquals(1, harness.counter("warning: DRAWDOWN"));
        assertHalt(mid(3 * SECOND_NS, 4_999_999), TradingState.HALTED, RiskReason.DRAWDOWN,
            "DRAWDOWN value=10.00001000 limit=10.00000000");
    }

    @Test
    void consecutiveLosingTradesReduceThenTheCoolOffEndsIt()
    {
        start("risk.maxConsecutiveLosses", "3", "risk.coolOffMs", "1000");
        long t = SECOND_NS;
        for (int loss = 1; loss <= 3; loss++)
        {
            fill(t, Side.BUY, 5_000_000, 100);
            assertEquals(0, stateChanges(fill(t, Side.SELL, 4_999_900, 100)).size(), "loss " + loss);
        }
        assertEquals(3, harness.guard().consecutiveLosses());
        assertEquals(1, harness.counter("warning: CONSECUTIVE_LOSSES"), "3 of 3 is past 80%");
        fill(t, Side.BUY, 5_000_000, 100);
        final List<byte[]> out = fill(t, Side.SELL, 4_999_900, 100);
        assertEquals(TradingState.REDUCING, stateChanges(out).get(0).state());
        assertEquals("CONSECUTIVE_LOSSES value=4 limit=3", stateChanges(out).get(0).reason());
        assertEquals(0, cancelAlls(out).size(), "reducing cancels nothing by itself");

        assertEquals(0, stateChanges(harness.heartbeat(t + 1000 * MS - 1)).size());
        final List<byte[]> back = harness.heartbeat(t + 1000 * MS);
        assertEquals(TradingState.ACTIVE, stateChanges(back).get(0).state());
        assertEquals("REDUCING ended: CONSECUTIVE_LOSSES cleared", stateChanges(back).get(0).reason());
    }

    @Test
    void aWinningTradeEndsTheStreak()
    {
        start("risk.maxConsecutiveLosses", "3");
        for (int i = 0; i < 3; i++)
        {
            fill(SECOND_NS, Side.BUY, 5_000_000, 100);
            fill(SECOND_NS, Side.SELL, 4_999_900, 100);
        }
        fill(SECOND_NS, Side.BUY, 5_000_000, 100);
        fill(SECOND_NS, Side.SELL, 5_000_100, 100);
        assertEquals(0, harness.guard().consecutiveLosses());
        fill(SECOND_NS, Side.BUY, 5_000_000, 100);
        fill(SECOND_NS, Side.SELL, 4_999_900, 100);
        assertEquals(TradingState.ACTIVE, state());
    }

    @Test
    void positionRunawayBeyondKTimesMaxPosition()
    {
        start("risk.maxPosition", "0.002", "risk.positionRunawayFactor", "1.5"); // halts beyond 0.003
        fill(SECOND_NS, Side.BUY, 5_000_000, 239);
        assertEquals(0, harness.counter("warning: POSITION_RUNAWAY"));
        fill(SECOND_NS, Side.BUY, 5_000_000, 1); // 240 = 80% of 300
        assertEquals(1, harness.counter("warning: POSITION_RUNAWAY"));
        assertEquals(0, stateChanges(fill(SECOND_NS, Side.BUY, 5_000_000, 59)).size()); // 299
        assertEquals(0, stateChanges(fill(SECOND_NS, Side.BUY, 5_000_000, 1)).size()); // 300
        assertHalt(fill(SECOND_NS, Side.BUY, 5_000_000, 1), TradingState.HALTED, RiskReason.POSITION_RUNAWAY,
            "POSITION_RUNAWAY BTCUSDT value=0.00301 limit=0.00300");
    }

    @Test
    void staleMarketDataForAnInstrumentWithQuotes()
    {
        start("risk.staleMarketDataMs", "1000");
        mid(SECOND_NS, 5_000_000);
        // no quotes, no position: nothing to protect
        assertEquals(0, stateChanges(harness.heartbeat(10 * SECOND_NS)).size());
        mid(20 * SECOND_NS, 5_000_000);
        harness.intent(++seq, ID, 20 * SECOND_NS, 0, new long[][]{{4_999_000, 100}}, new long[0][]);
        harness.heartbeat(20 * SECOND_NS + 799 * MS);
        assertEquals(0, harness.counter("warning: STALE_MARKET_DATA"));
        harness.heartbeat(20 * SECOND_NS + 800 * MS);
        assertEquals(1, harness.counter("warning: STALE_MARKET_DATA"));
        assertEquals(0, stateChanges(harness.heartbeat(20 * SECOND_NS + 999 * MS)).size());
        assertEquals(0, stateChanges(harness.heartbeat(20 * SECOND_NS + 1000 * MS)).size());
        assertHalt(harness.heartbeat(20 * SECOND_NS + 1001 * MS), TradingState.HALTED, RiskReason.STALE_MARKET_DATA,
            "STALE_MARKET_DATA BTCUSDT value=1001 limit=1000");
    }

    @Test
    void feedResyncingLongerThanTheLimit()
    {
        start("risk.maxResyncMs", "1000", "risk.staleMarketDataMs", "0");
        mid(SECOND_NS, 5_000_000);
        harness.intent(++seq, ID, SECOND_NS, 0, new long[][]{{4_999_000, 100}}, new long[0][]);
        // a resync that ends in time
        harness.send(harness.marketData, TestMessages.feedStatus(++seq, ID, 2 * SECOND_NS, FeedState.RESYNCING));
        harness.send(harness.marketData, TestMessages.feedStatus(++seq, ID, 2 * SECOND_NS + 900 * MS, FeedState.SYNCED));
        assertEquals(0, stateChanges(harness.heartbeat(5 * SECOND_NS)).size());
        // one that does not
        harness.send(harness.marketData, TestMessages.feedStatus(++seq, ID, 6 * SECOND_NS, FeedState.RESYNCING));
        assertEquals(0, stateChanges(harness.heartbeat(7 * SECOND_NS - 1)).size());
        assertEquals(0, stateChanges(harness.heartbeat(7 * SECOND_NS)).size());
        assertHalt(harness.heartbeat(7 * SECOND_NS + MS), TradingState.HALTED, RiskReason.FEED_RESYNCING,
            "FEED_RESYNCING BTCUSDT value=1001 limit=1000");
    }

    @Test
    void venueRejectStorm()
    {
        start("risk.rejectStormMaxRejects", "3", "risk.rejectStormWindowMs", "1000");
        harness.reject(++seq, ID, SECOND_NS);
        harness.reject(++seq, ID, SECOND_NS + 100 * MS);
        assertEquals(0, harness.counter("warning: REJECT_STORM"));
        harness.reject(++seq, ID, SECOND_NS + 200 * MS);
        assertEquals(1, harness.counter("warning: REJECT_STORM"), "3 is 80% of 3, rounded up");
        // the fourth one a window after the first: the first has left the window
        assertEquals(0, stateChanges(harness.reject(++seq, ID, 2 * SECOND_NS + 1)).size());
        // a fifth within the window of the second: 4 in the window
        assertHalt(harness.reject(++seq, ID, 2 * SECOND_NS + 100 * MS), TradingState.HALTED, RiskReason.REJECT_STORM,
            "REJECT_STORM value=4 limit=3");
        assertEquals(5, harness.counter("venue rejects"));
    }

    @Test
    void orderRateBreach()
    {
        start("risk.orderRateBreachMaxRejects", "2", "risk.orderRateBurst", "1", "risk.orderRatePerSecond", "1");
        mid(SECOND_NS, 5_000_000);
        final long[][] twoBids = {{4_999_000, 10}, {4_998_000, 10}};
        harness.intent(++seq, ID, SECOND_NS, 0, twoBids, new long[0][]); // one order over the budget
        assertEquals(0, stateChanges(harness.intent(++seq, ID, SECOND_NS, 0, twoBids, new long[0][])).size()); // two
        assertHalt(harness.intent(++seq, ID, SECOND_NS, 0, twoBids, new long[0][]), TradingState.HALTED,
            RiskReason.ORDER_RATE_BREACH, "ORDER_RATE_BREACH value=3 limit=2");
        assertEquals(3, harness.counter("levels clipped or rejected: ORDER_RATE"));
    }

    @Test
    void marginUtilisationWarnsReducesAndKills()
    {
        start("risk.capital", "1000", "risk.marginRate", "1", "risk.marginWarnPercent", "70",
            "risk.marginReducePercent", "85", "risk.marginKillPercent", "95", "risk.coolOffMs", "0");
        mid(SECOND_NS, 5_000_000);
        fill(SECOND_NS, Side.BUY, 5_000_000, 1400); // 700 of 1000 USDT: 70%
        assertEquals(0, harness.counter("warning: MARGIN"));
        fill(SECOND_NS, Side.BUY, 5_000_000, 1);
        assertEquals(1, harness.counter("warning: MARGIN"));
        assertEquals(0, stateChanges(fill(SECOND_NS, Side.BUY, 5_000_000, 299)).size()); // 85%
        final List<byte[]> reduce = fill(SECOND_NS, Side.BUY, 5_000_000, 1); // 85.05%
        assertEquals(TradingState.REDUCING, stateChanges(reduce).get(0).state());
        assertEquals("MARGIN value=85.05 limit=85.00", stateChanges(reduce).get(0).reason());
        assertEquals(0, stateChanges(fill(SECOND_NS, Side.BUY, 5_000_000, 199)).size()); // 95%
        assertHalt(fill(SECOND_NS, Side.BUY, 5_000_000, 1), TradingState.HALTED, RiskReason.MARGIN,
            "MARGIN value=95.05 limit=95.00");
    }

    @Test
    void marginReducingEndsWhenUtilisationFalls()
    {
        start("risk.capital", "1000", "risk.marginReducePercent", "85", "risk.coolOffMs", "1000");
        mid(SECOND_NS, 5_000_000);
        fill(SECOND_NS, Side.BUY, 5_000_000, 1701);
        assertEquals(TradingState.REDUCING, state());
        // past the cool-off but still above the level: stays
        assertEquals(0, stateChanges(harness.heartbeat(3 * SECOND_NS)).size());
        fill(3 * SECOND_NS, Side.SELL, 5_000_000, 1);
        assertEquals(TradingState.ACTIVE, state());
    }

    @Test
    void theKillSwitchGoesToManualAndOnlyAnOperatorResumes()
    {
        start("risk.coolOffMs", "0");
        mid(SECOND_NS, 5_000_000);
        final List<byte[]> out = harness.kill(2 * SECOND_NS, 0, "fat finger on desk 2");
        assertHalt(out, TradingState.MANUAL, RiskReason.KILL_SWITCH, "KILL_SWITCH fat finger on desk 2");
        assertEquals(1, harness.postMortems.size());
        assertEquals(0, stateChanges(harness.heartbeat(100 * SECOND_NS)).size(), "no re-entry from MANUAL");
        assertEquals(0, stateChanges(harness.kill(101 * SECOND_NS, 0, "again")).size(), "already manual");
        final List<byte[]> resume = harness.operator(102 * SECOND_NS, TradingState.ACTIVE, "checked");
        assertEquals(TradingState.ACTIVE, stateChanges(resume).get(0).state());
        assertEquals("OPERATOR checked (limits at 50%)", stateChanges(resume).get(0).reason());
        assertEquals(50, harness.guard().limitPercent());
    }

    @Test
    void operatorStates()
    {
        start("risk.coolOffMs", "1000");
        mid(SECOND_NS, 5_000_000);
        harness.operator(2 * SECOND_NS, TradingState.REDUCING, "unwind");
        assertEquals(TradingState.REDUCING, state());
        assertEquals(0, stateChanges(harness.heartbeat(10 * SECOND_NS)).size(), "the operator's REDUCING stays");
        harness.operator(11 * SECOND_NS, TradingState.ACTIVE, "");
        assertEquals(TradingState.ACTIVE, state());
        assertEquals(100, harness.guard().limitPercent(), "not a re-entry: limits stay");

        final List<byte[]> halt = harness.operator(12 * SECOND_NS, TradingState.HALTED, "pause");
        assertHalt(halt, TradingState.HALTED, RiskReason.OPERATOR, "OPERATOR pause");
        final List<byte[]> back = harness.heartbeat(13 * SECOND_NS);
        assertEquals(TradingState.ACTIVE, stateChanges(back).get(0).state(), "a HALTED pause re-enters after the cool-off");
        assertEquals(RiskReason.REENTRY.value(), harness.guard().stateReason.value());

        harness.operator(14 * SECOND_NS, TradingState.MANUAL, "");
        assertEquals(TradingState.MANUAL, state());
        assertEquals(2, harness.postMortems.size());
    }

    @Test
    void inLockstepAFillsTriggerActsInTheNextStepBeforeItsStepEnd()
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC), "risk.maxDailyLoss", "1").lockstep(true));
        harness.book(1, ID, SECOND_NS, 4_999_900, 5_000_100);
        harness.send(harness.intents, TestMessages.stepEnd(1, SECOND_NS));
        // step 1's fill loses 2 USDT at the mark
        final List<byte[]> onFill = harness.send(harness.executions,
            TestMessages.execution(1, ID, SECOND_NS, 7, mm.sbe.ExecType.TRADE, Side.BUY, 5_200_000, 100, 5_200_000, 100, 0,
                0, true));
        assertEquals(0, onFill.size(), "nothing after step 1's StepEnd");
        harness.send(harness.executions, TestMessages.stepEnd(1, SECOND_NS));
        final List<byte[]> step2 = harness.book(2, ID, 2 * SECOND_NS, 4_999_900, 5_000_100);
        assertEquals(TradingState.HALTED, stateChanges(step2).get(0).state());
        assertEquals(2, stateChanges(step2).get(0).eventSeq());
        assertEquals(2, cancelAlls(step2).get(0).eventSeq());
        final List<byte[]> end2 = harness.send(harness.intents, TestMessages.stepEnd(2, 2 * SECOND_NS));
        assertEquals(StepEndDecoder.TEMPLATE_ID, templateId(end2.get(0)));
    }
}
