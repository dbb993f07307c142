package mm.risk;

import mm.common.Instrument;
import mm.common.Venue;
import mm.common.testing.TestInstruments;
import mm.sbe.BooleanType;
import mm.sbe.ParameterChangeResultDecoder;
import mm.sbe.RiskReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static mm.risk.RiskHarness.approved;
import static mm.risk.RiskHarness.parameterResult;
import static mm.risk.RiskHarness.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runtime changes of risk.* keys on CONTROL: checked by the config rules, applied or refused, answered with a
 * ParameterChangeResult on ORDER_COMMANDS; a tightened limit applies to the quotes already approved.
 */
class ParameterChangeTest
{
    private static final Instrument BTC = TestInstruments.BTCUSDT;
    private static final Instrument ETH = new Instrument(2, Venue.BINANCE_SPOT, "ETHUSDT", -2, -4, 1, 1, 0);
    private static final long S = RiskHarness.SECOND_NS;

    private RiskHarness harness;

    @BeforeEach
    void setUp()
    {
        harness = new RiskHarness(RiskHarness.context(List.of(BTC, ETH), "risk.maxPosition", "0.003"));
        harness.book(1, BTC.id(), S, 4_999_900, 5_000_100);
        harness.intent(2, BTC.id(), 2 * S, 0, new long[][]{{4_999_000, 100}, {4_998_000, 100}, {4_997_000, 100}},
            new long[0][]);
    }

    @AfterEach
    void tearDown()
    {
        harness.close();
    }

    private static void assertAnswer(
        final ParameterChangeResultDecoder result, final boolean accepted, final String key, final String value,
        final String reason)
    {
        assertEquals(RiskAgent.AGENT_ID, result.agentId());
        assertEquals(accepted ? BooleanType.TRUE : BooleanType.FALSE, result.accepted());
        assertEquals(key, result.key());
        assertEquals(value, result.value());
        assertEquals(reason, result.reason());
    }

    @Test
    void aTightenedLimitIsAcceptedAndAppliesToTheApprovedQuotesAtOnce()
    {
        final List<byte[]> out = harness.parameter(3 * S, "risk.maxPosition", "0.002");
        final ParameterChangeResultDecoder result = parameterResult(out);
        assertAnswer(result, true, "risk.maxPosition", "0.002", "");
        assertEquals(2, approved(out)[0].length, "the third bid no longer fits");
        assertEquals(RiskReason.MAX_POSITION, rejects(out).get(0).reason());
        assertEquals(1, harness.counter("parameter changes applied"));
        assertEquals("0.002", harness.guard().context().text("risk.maxPosition"));
        assertEquals(RiskReason.MAX_POSITION, rejects(harness.intent(4, BTC.id(), 4 * S, 0,
            new long[][]{{4_999_000, 201}}, new long[0][])).get(0).reason());
    }

    @Test
    void aPerInstrumentOverride()
    {
        final List<byte[]> out = harness.parameter(3 * S, "risk.instrument.1.maxOrderQty", "0.0005");
        assertAnswer(parameterResult(out), true, "risk.instrument.1.maxOrderQty", "0.0005", "");
        assertEquals(0, approved(out)[0].length, "every 0.001 bid is over 0.0005");
    }

    @Test
    void badValuesAreRefusedWithTheConfigRuleAndChangeNothing()
    {
        // fine for BTC's 10^-5, not for ETH's 10^-4
        assertAnswer(parameterResult(harness.parameter(3 * S, "risk.maxPosition", "0.00001")), false,
            "risk.maxPosition", "0.00001", "must be a decimal number with at most 4 decimals");
        assertAnswer(parameterResult(harness.parameter(3 * S, "risk.priceBandBps", "0")), false,
            "risk.priceBandBps", "0", "must be an integer in [1, 10000]");
        assertAnswer(parameterResult(harness.parameter(3 * S, "risk.marginWarnPercent", "90")), false,
            "risk.marginWarnPercent", "90", "must not be above risk.marginReducePercent (85)");
        assertAnswer(parameterResult(harness.parameter(3 * S, "risk.nope", "1")), false,
            "risk.nope", "1", "is not a known key (see docs/config.md)");
        assertAnswer(parameterResult(harness.parameter(3 * S, "risk.fees.model", "none")), false,
            "risk.fees.model", "none", "cannot be changed while running");
        assertAnswer(parameterResult(harness.parameter(3 * S, "risk.instrument.9.maxPosition", "1")), false,
            "risk.instrument.9.maxPosition", "1", "instrument 9 is not in the registry");
        assertEquals("0.003", harness.guard().context().text("risk.maxPosition"));
        assertEquals(0, harness.counter("parameter changes applied"));
    }

    @Test
    void otherAgentsKeysAreIgnoredSilently()
    {
        assertTrue(harness.parameter(3 * S, "quoting.halfSpreadTicks", "3").isEmpty());
        assertEquals(0, harness.counter("parameter changes applied"));
    }
}
