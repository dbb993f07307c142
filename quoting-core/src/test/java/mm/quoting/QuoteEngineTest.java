package mm.quoting;

import mm.common.Ladder;
import mm.sbe.Side;
import mm.sbe.TradingState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guards and the refresh policy every model's output goes through. Prices: tick 1, mid 100000. */
class QuoteEngineTest
{
    private static final long MS = 1_000_000L;

    private static QuoteEngine engine(final String... keyValues)
    {
        final String[] all = new String[keyValues.length + 4];
        all[0] = "quoting.model";
        all[1] = "symmetric";
        all[2] = "quoting.halfSpreadTicks";
        all[3] = "2";
        System.arraycopy(keyValues, 0, all, 4, keyValues.length);
        final QuoteEngine engine = new QuoteEngine(QuotingModelTest.parameters(all));
        engine.onFeedState(true);
        return engine;
    }

    /** A book with the given mid (bid one tick below, ask one above) at time t. */
    private static boolean book(final QuoteEngine engine, final long mid, final long timeNs)
    {
        engine.onBook(Books.touch(timeNs, mid - 1, 10, mid + 1, 10), timeNs);
        return engine.update(timeNs);
    }

    @Test
    void quotesAreSentOnChangeOnly()
    {
        final QuoteEngine engine = engine();
        assertTrue(book(engine, 100_000, 0));
        assertEquals("Ladder{bids=100@99998 asks=100@100002}", engine.desired().toString());
        assertFalse(book(engine, 100_000, MS), "same desired state: nothing to send");
    }

    @Test
    void neverCrossesOrTouchesTheOppositeBest()
    {
        final QuoteEngine engine = engine("quoting.levels", "3");
        // short ten quote sizes: the model wants bids from 100008 down, above the best ask 100001
        engine.onFill(Side.SELL, 100_001, 1000);
        assertTrue(book(engine, 100_000, 0));
        assertEquals("Ladder{bids=100@100000,100@99999,100@99998 asks=100@100012,100@100013,100@100014}",
            engine.desired().toString());
        assertEquals(3, engine.levelsMovedOffTheBook());
    }

    @Test
    void pullsEverythingWhenTheFeedIsNotSyncedAndComesBackWithIt()
    {
        final QuoteEngine engine = engine();
        assertTrue(book(engine, 100_000, 0));
        engine.onFeedState(false);
        assertTrue(engine.update(MS), "STALE or RESYNCING: pull");
        assertTrue(engine.desired().isEmpty());
        assertFalse(book(engine, 100_000, 2 * MS), "no quotes until the feed is SYNCED again");
        engine.onFeedState(true);
        assertTrue(book(engine, 100_000, 3 * MS));
        assertEquals("Ladder{bids=100@99998 asks=100@100002}", engine.desired().toString());
    }

    @Test
    void haltedManualAndKillPullEverything()
    {
        final QuoteEngine engine = engine();
        assertTrue(book(engine, 100_000, 0));
        engine.onTradingState(TradingState.HALTED);
        assertTrue(engine.update(MS));
        assertTrue(engine.desired().isEmpty());
        engine.onTradingState(TradingState.ACTIVE);
        assertTrue(book(engine, 100_000, 2 * MS));
        engine.onKill();
        assertTrue(engine.update(3 * MS));
        assertTrue(engine.desired().isEmpty());
        assertFalse(book(engine, 100_000, 4 * MS), "killed until trading is set active again");
        engine.onTradingState(TradingState.MANUAL);
        assertFalse(book(engine, 100_000, 5 * MS));
        engine.onTradingState(TradingState.ACTIVE);
        assertTrue(book(engine, 100_000, 6 * MS));
    }

    @Test
    void reducingQuotesOnlyTheSideThatReducesInventoryAndNeverFlipsIt()
    {
        final QuoteEngine engine = engine("quoting.levels", "2", "quoting.skewTicksPerQuoteQty", "0");
        engine.onTradingState(TradingState.REDUCING);
        assertFalse(book(engine, 100_000, 0), "flat: nothing reduces inventory");
        engine.onFill(Side.BUY, 99_998, 150);
        assertTrue(book(engine, 100_000, MS));
        assertEquals("Ladder{bids= asks=100@100002,50@100003}", engine.desired().toString());
        engine.onFill(Side.SELL, 100_002, 400);
        assertTrue(book(engine, 100_000, 2 * MS));
        assertEquals("Ladder{bids=100@99998,100@99997 asks=}", engine.desired().toString(), "short 250");
    }

    @Test
    void stopsQuotingTheSideThatWouldBreachThePositionLimit()
    {
        final QuoteEngine engine = engine(
            "quoting.levels", "3", "quoting.skewTicksPerQuoteQty", "0", "quoting.maxPosition", "0.00250");
        engine.onFill(Side.BUY, 99_998, 100);
        assertTrue(book(engine, 100_000, 0));
        // long 100 of 250: bids may add 150 at most; asks may go to -250, i.e. sell 350
        assertEquals("Ladder{bids=100@99998,50@99997 asks=100@100002,100@100003,100@100004}",
            engine.desired().toString());
        engine.onFill(Side.BUY, 99_998, 150);
        assertTrue(book(engine, 100_000, MS));
        assertEquals(0, engine.desired().bidCount(), "at the limit: no bids at all");
    }

    @Test
    void smallFairValueMovesWithinTheToleranceDoNotRequote()
    {
        final QuoteEngine engine = engine("quoting.refreshToleranceTicks", "2");
        assertTrue(book(engine, 100_000, 0));
        assertFalse(book(engine, 100_001, MS), "moved 1 tick: within tolerance");
        assertFalse(book(engine, 100_002, 2 * MS), "moved 2 ticks: within tolerance");
        assertEquals(2, engine.suppressedByTolerance());
        assertTrue(book(engine, 100_003, 3 * MS), "moved 3 ticks");
        assertEquals("Ladder{bids=100@100001 asks=100@100005}", engine.desired().toString());
    }

    @Test
    void aQuoteOlderThanTheMaximumAgeIsRefreshed()
    {
        final QuoteEngine engine = engine("quoting.refreshToleranceTicks", "5", "quoting.maxQuoteAgeMs", "1000");
        assertTrue(book(engine, 100_000, 0));
        assertFalse(book(engine, 100_001, 999 * MS));
        assertTrue(book(engine, 100_001, 1000 * MS), "one second old");
    }

    @Test
    void aQuoteTheBookMovedThroughIsReplacedWhateverTheTolerance()
    {
        final QuoteEngine engine = engine("quoting.refreshToleranceTicks", "100");
        assertTrue(book(engine, 100_000, 0));
        // best bid 100002 now equals our ask: the old ask would cross, so the tolerance does not hold it
        assertTrue(book(engine, 100_003, MS));
        assertEquals("Ladder{bids=100@100001 asks=100@100005}", engine.desired().toString());
    }

    @Test
    void levelHysteresisKeepsPricesThatMovedLessThanItsTicks()
    {
        final QuoteEngine engine = engine("quoting.levelHysteresisTicks", "1");
        assertTrue(book(engine, 100_000, 0));
        assertFalse(book(engine, 100_001, MS), "both levels within one tick of where they are: kept");
        assertEquals(2, engine.levelsKeptByHysteresis());
        assertTrue(book(engine, 100_002, 2 * MS));
        assertEquals("Ladder{bids=100@100000 asks=100@100004}", engine.desired().toString());
    }

    @Test
    void aHangingOrderStaysAfterTheOtherSideFillsUntilItFillsOrDriftsTooFar()
    {
        final QuoteEngine engine = engine("quoting.hangingOrders", "true", "quoting.hangingMaxDistanceTicks", "4");
        assertTrue(book(engine, 100_000, 0));
        engine.onFill(Side.BUY, 99_998, 100);
        // long one quote size: the ladder moves a tick down, the old ask at 100002 hangs
        assertTrue(book(engine, 100_000, MS));
        assertEquals("Ladder{bids=100@99997 asks=100@100001,100@100002}", engine.desired().toString());
        engine.onFill(Side.SELL, 100_002, 100);
        assertTrue(book(engine, 100_000, 2 * MS));
        assertEquals("Ladder{bids=100@99998 asks=100@100002}", engine.desired().toString(), "hanging order filled");

        engine.onFill(Side.SELL, 100_002, 100);
        assertTrue(book(engine, 100_000, 3 * MS));
        assertEquals("Ladder{bids=100@99999,100@99998 asks=100@100003}", engine.desired().toString(), "bid hangs");
        assertTrue(book(engine, 99_997, 4 * MS));
        assertEquals("Ladder{bids=100@99997,100@99996 asks=100@100000}", engine.desired().toString(),
            "the hanging bid now touches the best ask: held a tick below it");
        assertTrue(book(engine, 99_990, 5 * MS));
        assertEquals("Ladder{bids=100@99989 asks=100@99993}", engine.desired().toString(), "drifted more than 4 ticks");
    }

    @Test
    void parameterChangesAreValidatedLikeConfigAndForceARequote()
    {
        final QuoteEngine engine = engine("quoting.refreshToleranceTicks", "100");
        assertTrue(book(engine, 100_000, 0));
        final String rejected = engine.applyChange("quoting.halfSpreadTicks", "0");
        assertEquals("config key 'quoting.halfSpreadTicks' has value '0': must be an integer in [1, 100000]", rejected);
        assertTrue(engine.applyChange("quoting.as.gamma", "0.2").contains("not a known key of quoting model 'symmetric'"));
        assertTrue(engine.applyChange("quoting.instrument", "2").contains("cannot change at runtime"));
        assertEquals(100, engine.parameters().refreshToleranceTicks(), "unchanged by the rejections");

        assertNull(engine.applyChange("quoting.halfSpreadTicks", "5"));
        assertTrue(book(engine, 100_000, MS), "a change takes effect on the next event despite the tolerance");
        assertEquals("Ladder{bids=100@99995 asks=100@100005}", engine.desired().toString());
        assertNull(engine.applyChange("quoting.model", "avellaneda-stoikov"));
        assertTrue(engine.parameters().model() instanceof AvellanedaStoikovModel);
    }

    @Test
    void allowsNoModelToEscapeTickAndLotRounding()
    {
        final QuoteEngine engine = new QuoteEngine(QuotingModelTest.parameters(
            "quoting.model", FixedOffsetModel.NAME, "quoting.fixed-offset.ticks", "3"));
        engine.onFeedState(true);
        engine.onBook(Books.touch(0, 99_999, 10, 100_001, 10), 0);
        assertTrue(engine.update(0));
        final Ladder desired = engine.desired();
        assertEquals(99_997, desired.price(0, 0));
        assertEquals(100_003, desired.price(1, 0));
    }
}
