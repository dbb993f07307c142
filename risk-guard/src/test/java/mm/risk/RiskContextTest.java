package mm.risk;

import mm.common.Instrument;
import mm.common.InstrumentKind;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.common.testing.TestInstruments;
import mm.risk.fees.BinanceFees;
import mm.risk.fees.FeeModel;
import mm.risk.fees.ReportedFees;
import mm.risk.fees.ZerodhaFees;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RiskContextTest
{
    private static final Instrument BTC = TestInstruments.BTCUSDT;
    private static final Instrument NIFTY_CALL = new Instrument(1001, Venue.KITE, "NFO:NIFTY25NOV25300CE", -2, 0, 5, 65, 0,
        InstrumentKind.OPTION);
    private static final Instrument SIM = new Instrument(7, Venue.SIM, "X", -2, 0, 1, 1, 0);

    private static InstrumentRegistry registry()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.add(BTC);
        registry.add(NIFTY_CALL);
        registry.add(SIM);
        return registry;
    }

    private static RiskContext load(final Map<String, String> values)
    {
        return RiskContext.fromConfig(new Config(values, "test"), registry(), Path.of("/repo"));
    }

    @Test
    void defaultsAndPerInstrumentOverridesAtEachInstrumentsExponents()
    {
        final RiskContext context = load(Map.of("risk.maxPosition", "0.5", "risk.instrument.1001.maxPosition", "650",
            "risk.instrument.7.maxPosition", "3", "risk.maxOrderNotional", "2000"));
        assertEquals(50_000, context.instrumentValue("risk.maxPosition", BTC), "0.5 BTC at 10^-5");
        assertEquals(650, context.instrumentValue("risk.maxPosition", NIFTY_CALL));
        assertEquals(2000_0000000L, context.instrumentValue("risk.maxOrderNotional", BTC), "money at 10^-7");
        assertEquals(2000_00, context.instrumentValue("risk.maxOrderNotional", NIFTY_CALL), "paise");
        assertEquals(1000_00000000L, context.longValue("risk.maxDailyLoss"), "account money at 10^-8");
        assertEquals(150, context.longValue("risk.positionRunawayFactor"), "1.5 at 10^-2");
        assertEquals(RiskContext.Mode.REJECT, context.mode());
        assertEquals(Path.of("/repo/runs/post-mortem"), context.postMortemDir());
        assertEquals(Path.of("/tmp/run-7/post-mortem"),
            context.defaultPostMortemDir(Path.of("/tmp/run-7/post-mortem")).postMortemDir());
        assertEquals(Path.of("/repo/pm"), load(Map.of("risk.postMortemDir", "pm")).postMortemDir());
    }

    @Test
    void feeModelsByVenueUnderAuto()
    {
        final RiskContext context = load(Map.of());
        final FeeModel[] models = context.feeModels(registry().all(), 3);
        assertInstanceOf(BinanceFees.class, models[0]);
        assertInstanceOf(ZerodhaFees.class, models[1]);
        assertSame(ReportedFees.INSTANCE, models[2]);
        final FeeModel[] none = load(Map.of("risk.fees.model", "none")).feeModels(registry().all(), 3);
        assertSame(FeeModel.NONE, none[0]);
        assertEquals(3_503_000, context.zerodhaRates().optionExchangeRate(), "0.03503% at 10^-10");
        assertEquals(1_800_000_000, context.zerodhaRates().gstRate());
        assertEquals(2000, context.zerodhaRates().brokerageCapPaise());
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheRule()
    {
        assertRule(Map.of("risk.maxPosition", "0.5"), "risk.maxPosition",
            "must be a decimal number with at most 0 decimals"); // fine for BTC, not for NIFTY's whole units
        assertRule(Map.of("risk.instrument.1.maxPosition", "0.000001"), "risk.instrument.1.maxPosition",
            "must be a decimal number with at most 5 decimals");
        assertRule(Map.of("risk.instrument.1.bogus", "1"), "risk.instrument.1.bogus",
            "per-instrument risk keys look like risk.instrument.<id>.<name> with <name> one of maxOrderNotional, " +
                "maxOrderQty, priceBandBps, maxPosition, maxSymbolNotional, maxOpenOrders");
        assertRule(Map.of("risk.instrument.42.maxPosition", "1"), "risk.instrument.42.maxPosition",
            "instrument 42 is not in the registry");
        assertRule(Map.of("risk.mode", "soft"), "risk.mode", "must be one of [clip, reject]");
        assertRule(Map.of("risk.maxOpenOrders", "41"), "risk.maxOpenOrders", "must be an integer in [0, 40]");
        assertRule(Map.of("risk.fees.zerodha.gstRate", "1.5"), "risk.fees.zerodha.gstRate", "must be at most 1.0000000000");
        assertRule(Map.of("risk.positionRunawayFactor", "0.5"), "risk.positionRunawayFactor", "must be 0 (off) or at least 1");
        assertRule(Map.of("risk.marginReducePercent", "99"), "risk.marginReducePercent",
            "must not be above risk.marginKillPercent (95)");
        assertRule(Map.of("risk.capital", "0"), "risk.capital", "must be at least 0.00000001");
        assertRule(Map.of("risk.fees.binance.tier", "10"), "risk.fees.binance.tier", "must be an integer in [0, 9]");
    }

    @Test
    void anUnknownRiskKeyIsLeftUnreadSoTheEngineRejectsIt()
    {
        final Config config = new Config(Map.of("risk.maxPositon", "1"), "test");
        RiskContext.fromConfig(config, registry());
        final ConfigException unknown = assertThrows(ConfigException.class, config::rejectUnknownKeys);
        assertEquals("risk.maxPositon", unknown.key());
    }

    @Test
    void runtimeKeys()
    {
        assertTrue(RiskContext.isRuntimeKey("risk.maxPosition"));
        assertTrue(RiskContext.isRuntimeKey("risk.instrument.1.maxPosition"));
        assertTrue(RiskContext.isRuntimeKey("risk.coolOffMs"));
        assertEquals(false, RiskContext.isRuntimeKey("risk.fees.model"));
        assertEquals(false, RiskContext.isRuntimeKey("risk.postMortemDir"));
        assertEquals(false, RiskContext.isRuntimeKey("risk.unknown"));
    }

    private static void assertRule(final Map<String, String> values, final String key, final String rule)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> load(values));
        assertEquals(key, ex.key(), ex.getMessage());
        assertEquals(rule, ex.rule(), ex.getMessage());
        assertTrue(ex.getMessage().contains("'" + values.values().iterator().next() + "'"), ex.getMessage());
    }

    @Test
    void instrumentsListKindInTheRegistryHashText()
    {
        assertTrue(NIFTY_CALL.toString().contains("OPTION"));
        assertEquals(List.of(BTC, NIFTY_CALL, SIM), registry().all());
    }
}
