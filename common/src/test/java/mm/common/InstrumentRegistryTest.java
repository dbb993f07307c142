package mm.common;

import mm.common.config.Config;
import mm.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstrumentRegistryTest
{
    @Test
    void loadsInstrumentsWithExponentsFromTickAndLotUnlessGiven()
    {
        final InstrumentRegistry registry = InstrumentRegistry.fromConfig(new Config(Map.of(
            "instrument.1.venue", "binance-spot",
            "instrument.1.symbol", "BTCUSDT",
            "instrument.1.tickSize", "0.01",
            "instrument.1.lotSize", "0.00001",
            "instrument.1.qtyExponent", "-8",
            "instrument.1.minNotional", "5",
            "instrument.2.venue", "binance-usdm",
            "instrument.2.symbol", "BTCUSDT",
            "instrument.2.tickSize", "0.10",
            "instrument.2.lotSize", "0.001"), "test"));
        final Instrument spot = registry.get(1);
        assertEquals(-2, spot.priceExponent());
        assertEquals(-8, spot.qtyExponent());
        assertEquals(1, spot.tickSize());
        assertEquals(1000, spot.lotSize());
        assertEquals(5_0000000000L, spot.minNotional());
        final Instrument perp = registry.bySymbol(Venue.BINANCE_USDM, "btcusdt");
        assertEquals(-1, perp.priceExponent());
        assertEquals(-3, perp.qtyExponent());
        assertEquals(1, perp.tickSize());
        assertEquals(6_183_760, perp.floorToTick(6_183_763 - 3));
        assertEquals(6_183_770, perp.ceilToTick(6_183_761 + 9));
        assertEquals(InstrumentKind.SPOT, spot.kind());
        assertEquals(InstrumentKind.PERPETUAL, perp.kind(), "the default kind on a Binance futures venue");
        final InstrumentRegistry kite = InstrumentRegistry.fromConfig(new Config(Map.of(
            "instrument.3.venue", "kite",
            "instrument.3.symbol", "NFO:NIFTY25NOV25300CE",
            "instrument.3.tickSize", "0.05",
            "instrument.3.lotSize", "65",
            "instrument.3.kind", "option"), "test"));
        assertEquals(InstrumentKind.OPTION, kite.get(3).kind());
        assertEquals(65, kite.get(3).lotSize());
    }

    @Test
    void badInstrumentKeysNameTheKey()
    {
        final ConfigException missingVenue = assertThrows(ConfigException.class, () -> InstrumentRegistry.fromConfig(
            new Config(Map.of("instrument.3.symbol", "X", "instrument.3.tickSize", "1", "instrument.3.lotSize", "1"), "t")));
        assertEquals("instrument.3.venue", missingVenue.key());
        final ConfigException badVenue = assertThrows(ConfigException.class, () -> InstrumentRegistry.fromConfig(
            new Config(Map.of("instrument.3.venue", "nyse"), "t")));
        assertTrue(badVenue.getMessage().contains("must be one of [binance-spot"), badVenue.getMessage());
        final ConfigException badId = assertThrows(ConfigException.class, () -> InstrumentRegistry.fromConfig(
            new Config(Map.of("instrument.btc.venue", "sim"), "t")));
        assertEquals("instrument.btc.venue", badId.key());
        final ConfigException badKind = assertThrows(ConfigException.class, () -> InstrumentRegistry.fromConfig(
            new Config(Map.of("instrument.3.venue", "kite", "instrument.3.symbol", "X", "instrument.3.tickSize", "1",
                "instrument.3.lotSize", "1", "instrument.3.kind", "swap"), "t")));
        assertEquals("instrument.3.kind", badKind.key());
        assertTrue(badKind.getMessage().contains("[spot, perpetual, future, option]"), badKind.getMessage());
    }
}
