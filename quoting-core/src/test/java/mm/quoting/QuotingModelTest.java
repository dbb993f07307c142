package mm.quoting;

import mm.common.Ladder;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.common.testing.TestInstruments;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in models' maths against hand-computed cases, the ladder shape, and the model registry. */
class QuotingModelTest
{
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long QUOTE_QTY = 100;

    static QuotingParameters parameters(final String... keyValues)
    {
        final Map<String, String> values = new HashMap<>();
        values.put("quoting.quoteQty", "0.00100");
        values.put("quoting.fairValue", "mid");
        values.put("quoting.volHalfLifeEvents", "1");
        for (int i = 0; i < keyValues.length; i += 2)
        {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return QuotingParameters.read(new Config(values, "test"), TestInstruments.BTCUSDT);
    }

    /**
     * Mid 100000 (tick 1), then 100002 a second later, then 100000 at 2 s: with a one-event half-life the
     * variance is 0.5 * 4 = 2, then 2 + 0.5 * (4 - 2) = 3 ticks^2 per event, one event a second: 3 ticks^2/s.
     */
    static MarketSignals threeTicksSquaredPerSecond(final QuotingParameters parameters)
    {
        final MarketSignals signals = new MarketSignals(TestInstruments.BTCUSDT);
        parameters.configure(signals);
        signals.onBook(Books.touch(0, 99_999, 1, 100_001, 1), 0);
        signals.onBook(Books.touch(SECOND_NS, 100_001, 1, 100_003, 1), SECOND_NS);
        signals.onBook(Books.touch(2 * SECOND_NS, 99_999, 1, 100_001, 1), 2 * SECOND_NS);
        assertEquals(3.0, signals.varianceTicksPerSecond(), 1e-12);
        return signals;
    }

    private static Ladder quote(final QuotingParameters parameters, final long position)
    {
        final Ladder ladder = new Ladder();
        parameters.model().quote(threeTicksSquaredPerSecond(parameters), position, 2 * SECOND_NS, ladder);
        return ladder;
    }

    @Test
    void avellanedaStoikovFiniteHorizon()
    {
        final QuotingParameters parameters = parameters(
            "quoting.model", "avellaneda-stoikov", "quoting.as.gamma", "0.1", "quoting.as.kappa", "1",
            "quoting.as.horizonMs", "10000");
        assertInstanceOf(AvellanedaStoikovModel.class, parameters.model());
        // tau = 10 s - 2 s = 8 s; gamma * sigma^2 * tau = 0.1 * 3 * 8 = 2.4 ticks
        // half-spread = 2.4 / 2 + ln(1 + 0.1 / 1) / 0.1 = 1.2 + 0.953102 = 2.153102 ticks
        // flat: r = 100000 -> bid floor(99997.846898) = 99997, ask ceil(100002.153102) = 100003
        assertLadder(quote(parameters, 0), 99_997, 100_003);
        // long two quote sizes: r = 100000 - 2 * 2.4 = 99995.2 -> bid floor(99993.046898), ask ceil(99997.353102)
        assertLadder(quote(parameters, 2 * QUOTE_QTY), 99_993, 99_998);
        // short two quote sizes: r = 100004.8 -> bid floor(100002.646898), ask ceil(100006.953102)
        assertLadder(quote(parameters, -2 * QUOTE_QTY), 100_002, 100_007);
    }

    @Test
    void theFiniteHorizonRestartsEveryHorizonOfInputTime()
    {
        final AvellanedaStoikovModel model = (AvellanedaStoikovModel)parameters(
            "quoting.as.horizonMs", "10000").model();
        assertEquals(8 * SECOND_NS, model.remainingNs(2 * SECOND_NS));
        assertEquals(10 * SECOND_NS, model.remainingNs(10 * SECOND_NS), "a new horizon starts");
        assertEquals(1, model.remainingNs(20 * SECOND_NS - 1));
    }

    @Test
    void avellanedaStoikovInfiniteHorizonIsTheGlftApproximation()
    {
        final QuotingParameters parameters = parameters(
            "quoting.as.gamma", "0.1", "quoting.as.kappa", "1", "quoting.as.horizonMs", "0",
            "quoting.as.arrivalRatePerSec", "1");
        // c1 = ln(1.1) / 0.1 = 0.953102; c2 = sqrt(3 * 1.1^11 * 0.1 / (2 * 1 * 1)) = sqrt(0.427968) = 0.654192
        // long 2: r = 100000 - 2 * 0.654192 = 99998.691616; half = c1 + c2 / 2 = 1.280198
        // bid floor(99997.411418) = 99997, ask ceil(99999.971814) = 100000
        assertLadder(quote(parameters, 2 * QUOTE_QTY), 99_997, 100_000);
        // flat: bid floor(99998.719802), ask ceil(100001.280198)
        assertLadder(quote(parameters, 0), 99_998, 100_002);
    }

    @Test
    void halfSpreadIsClampedToTheConfiguredTicks()
    {
        final QuotingParameters tight = parameters(
            "quoting.as.horizonMs", "10000", "quoting.maxHalfSpreadTicks", "1");
        assertLadder(quote(tight, 0), 99_999, 100_001);
        final QuotingParameters wide = parameters(
            "quoting.as.horizonMs", "10000", "quoting.minHalfSpreadTicks", "7", "quoting.maxHalfSpreadTicks", "9");
        assertLadder(quote(wide, 0), 99_993, 100_007);
    }

    @Test
    void symmetricQuoterSkewsInWholeTicksTruncatedTowardZero()
    {
        final QuotingParameters parameters = parameters(
            "quoting.model", "symmetric", "quoting.halfSpreadTicks", "2", "quoting.skewTicksPerQuoteQty", "1");
        assertLadder(quote(parameters, 0), 99_998, 100_002);
        assertLadder(quote(parameters, QUOTE_QTY), 99_997, 100_001);
        assertLadder(quote(parameters, QUOTE_QTY - 1), 99_998, 100_002);
        assertLadder(quote(parameters, -2 * QUOTE_QTY), 100_000, 100_004);
    }

    @Test
    void ladderLevelsAreSpacedAndSizedByShape()
    {
        final Ladder linear = quote(parameters(
            "quoting.model", "symmetric", "quoting.levels", "3", "quoting.levelSpacingTicks", "2",
            "quoting.sizeShape", "linear", "quoting.sizeGrowth", "0.5"), 0);
        assertEquals("Ladder{bids=100@99998,150@99996,200@99994 asks=100@100002,150@100004,200@100006}",
            linear.toString());
        final Ladder geometric = quote(parameters(
            "quoting.model", "symmetric", "quoting.levels", "3", "quoting.sizeShape", "geometric",
            "quoting.sizeGrowth", "2"), 0);
        assertEquals("Ladder{bids=100@99998,200@99997,400@99996 asks=100@100002,200@100003,400@100004}",
            geometric.toString());
    }

    @Test
    void badParametersNameTheKeyTheValueAndTheRule()
    {
        final ConfigException gamma = assertThrows(ConfigException.class, () -> parameters("quoting.as.gamma", "0"));
        assertTrue(gamma.getMessage().contains("quoting.as.gamma") && gamma.getMessage().contains("'0'"),
            gamma.getMessage());
        final ConfigException model = assertThrows(ConfigException.class, () -> parameters("quoting.model", "magic"));
        assertTrue(model.getMessage().contains("avellaneda-stoikov") && model.getMessage().contains("symmetric"),
            model.getMessage());
        final ConfigException spread = assertThrows(ConfigException.class,
            () -> parameters("quoting.minHalfSpreadTicks", "5", "quoting.maxHalfSpreadTicks", "4"));
        assertTrue(spread.getMessage().contains("quoting.maxHalfSpreadTicks"), spread.getMessage());
        assertThrows(ConfigException.class, () -> parameters("quoting.quoteQty", "0.000015"));
    }

    @Test
    void aDesksOwnModelIsFoundByNameWithoutTouchingTheAgent()
    {
        assertTrue(QuotingModels.available().containsKey(FixedOffsetModel.NAME), "found by ServiceLoader");
        final QuotingParameters parameters = parameters(
            "quoting.model", FixedOffsetModel.NAME, "quoting.fixed-offset.ticks", "5");
        assertLadder(quote(parameters, 0), 99_995, 100_005);
    }

    private static void assertLadder(final Ladder ladder, final long bid, final long ask)
    {
        assertEquals(1, ladder.bidCount(), ladder.toString());
        assertEquals(1, ladder.askCount(), ladder.toString());
        assertEquals(bid, ladder.price(0, 0), "bid of " + ladder);
        assertEquals(ask, ladder.price(1, 0), "ask of " + ladder);
        assertEquals(QUOTE_QTY, ladder.qty(0, 0));
    }
}
