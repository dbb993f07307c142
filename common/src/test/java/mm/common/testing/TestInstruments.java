package mm.common.testing;

import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.Venue;

/** Instruments shaped like the real ones, for tests. */
public final class TestInstruments
{
    /** Binance spot BTCUSDT: tick 0.01, lot 0.00001, min notional 5 USDT. */
    public static final Instrument BTCUSDT = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -5, 1, 1, 5_0000000L);

    private TestInstruments()
    {
    }

    public static InstrumentRegistry registry()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.add(BTCUSDT);
        return registry;
    }
}
