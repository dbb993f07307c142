package mm.quoting;

import mm.common.testing.TestInstruments;
import mm.sbe.Side;
import org.junit.jupiter.api.Test;

import static mm.quoting.MarketSignals.FairValueBase.MICROPRICE;
import static mm.quoting.MarketSignals.FairValueBase.MID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarketSignalsTest
{
    private static final double EXACT = 1e-9;
    private final MarketSignals signals = new MarketSignals(TestInstruments.BTCUSDT);

    @Test
    void micropriceLeansTowardsTheThinSide()
    {
        signals.configure(MICROPRICE, 5, 0, 0, 100, 50);
        assertTrue(signals.onBook(Books.touch(0, 100, 3, 102, 1), 0));
        // (100 * 1 + 102 * 3) / 4: three times more bid size pulls fair value towards the ask
        assertEquals(101.5, signals.microprice(), EXACT);
        assertEquals(101.0, signals.mid(), EXACT);
        assertEquals(101.5, signals.fairValue(), EXACT);
    }

    @Test
    void imbalanceOverTheConfiguredLevelsAdjustsFairValue()
    {
        signals.configure(MID, 2, 2.0, 0, 100, 50);
        signals.onBook(Books.levels(0, new long[] {100, 3, 99, 2, 98, 5}, new long[] {102, 1, 103, 1, 104, 8}), 0);
        // top two levels: bids 3 + 2 = 5, asks 1 + 1 = 2; the third level is outside
        assertEquals(3.0 / 7, signals.imbalance(), EXACT);
        // mid 101 plus 2 ticks per unit of imbalance (tick = 1 mantissa)
        assertEquals(101 + 2.0 * 3 / 7, signals.fairValue(), EXACT);
    }

    @Test
    void tradeFlowIsSignedAndNormalised()
    {
        signals.configure(MID, 5, 0, 4.0, 100, 1);
        signals.onBook(Books.touch(0, 100, 1, 102, 1), 0);
        signals.onTrade(4, Side.BUY);
        // half-life 1 event: alpha 0.5; signed 2, absolute 2
        assertEquals(1.0, signals.tradeFlow(), EXACT);
        assertEquals(101 + 4.0, signals.fairValue(), EXACT);
        signals.onTrade(2, Side.SELL);
        // signed 2 + 0.5 * (-2 - 2) = 0; absolute 2 + 0.5 * (2 - 2) = 2
        assertEquals(0.0, signals.tradeFlow(), EXACT);
    }

    @Test
    void volatilityIsAnEventTimeEwmaOfMidChangesScaledByTheTimeBetweenEvents()
    {
        signals.configure(MID, 5, 0, 0, 1, 50);
        signals.onBook(Books.touch(0, 99_999, 1, 100_001, 1), 0);
        assertEquals(0, signals.varianceTicksPerSecond(), EXACT, "one observation: no variance yet");
        signals.onBook(Books.touch(1_000_000_000L, 100_001, 1, 100_003, 1), 1_000_000_000L);
        // mid +2 ticks: 0 + 0.5 * (4 - 0) = 2 ticks^2 per event, one event a second
        assertEquals(2.0, signals.varianceTicksPerEvent(), EXACT);
        assertEquals(2.0, signals.varianceTicksPerSecond(), EXACT);
        signals.onBook(Books.touch(1_500_000_000L, 99_999, 1, 100_001, 1), 1_500_000_000L);
        // mid -2 ticks: 2 + 0.5 * (4 - 2) = 3; interval 1 s + 0.5 * (0.5 s - 1 s) = 0.75 s
        assertEquals(3.0, signals.varianceTicksPerEvent(), EXACT);
        assertEquals(4.0, signals.varianceTicksPerSecond(), EXACT);
    }

    @Test
    void aOneSidedOrCrossedBookIsNotAValidFairValue()
    {
        assertFalse(signals.onBook(Books.levels(0, new long[] {100, 1}, new long[0]), 0));
        assertFalse(signals.isTwoSided());
        assertFalse(signals.onBook(Books.touch(0, 102, 1, 101, 1), 0));
        assertTrue(signals.onBook(Books.touch(0, 100, 1, 101, 1), 0));
        signals.invalidate();
        assertFalse(signals.isTwoSided());
    }
}
