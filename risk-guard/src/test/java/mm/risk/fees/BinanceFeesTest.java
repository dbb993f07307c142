package mm.risk.fees;

import mm.common.Instrument;
import mm.common.Venue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Binance maker/taker fees by tier: notional × rate, rounded up at the money exponent. */
class BinanceFeesTest
{
    /** Spot BTCUSDT as the demo trades it: price 10^-2, quantity 10^-8, money 10^-10. */
    private static final Instrument SPOT = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -8, 1, 1000, 0);
    private static final Instrument PERP = new Instrument(2, Venue.BINANCE_USDM, "BTCUSDT", -1, -3, 1, 1, 0);

    private static long fee(final BinanceFees fees, final Instrument instrument, final long price, final long qty,
        final boolean maker)
    {
        return fees.onFill(instrument, 1, true, price, qty, price * qty, maker, true, 0);
    }

    @Test
    void spotTiers()
    {
        // 0.001 BTC at 61799.59 = 61.79959 USDT
        final long price = 6_179_959;
        final long qty = 100_000;
        assertEquals(617_995_900L, fee(new BinanceFees(0, -1, -1), SPOT, price, qty, true), "VIP 0 maker 0.1%: 0.06179959");
        assertEquals(617_995_900L, fee(new BinanceFees(0, -1, -1), SPOT, price, qty, false), "VIP 0 taker 0.1%");
        assertEquals(556_196_310L, fee(new BinanceFees(1, -1, -1), SPOT, price, qty, true), "VIP 1 maker 0.09%");
        assertEquals(259_558_278L, fee(new BinanceFees(3, -1, -1), SPOT, price, qty, true), "VIP 3 maker 0.042%");
        assertEquals(370_797_540L, fee(new BinanceFees(3, -1, -1), SPOT, price, qty, false), "VIP 3 taker 0.06%");
        assertEquals(74_159_508L, fee(new BinanceFees(9, -1, -1), SPOT, price, qty, true), "VIP 9 maker 0.012%");
    }

    @Test
    void futuresTiersAndRoundingUp()
    {
        // 0.005 BTC at 60123.4 = 300.617 USDT (money 10^-4: 3,006,170)
        final long price = 601_234;
        final long qty = 5;
        // maker 0.02%: 0.0601234 -> rounded up at 10^-4 to 0.0602
        assertEquals(602, fee(new BinanceFees(0, -1, -1), PERP, price, qty, true));
        // taker 0.05%: 0.1503085 -> 0.1504
        assertEquals(1504, fee(new BinanceFees(0, -1, -1), PERP, price, qty, false));
        assertEquals(0, fee(new BinanceFees(9, -1, -1), PERP, price, qty, true), "VIP 9 maker pays nothing");
    }

    @Test
    void configuredRatesReplaceTheTiers()
    {
        // a BNB discount: 0.075% both ways
        final BinanceFees fees = new BinanceFees(0, 7_500_000, 7_500_000);
        assertEquals(463_496_925L, fee(fees, SPOT, 6_179_959, 100_000, true));
        assertThrows(IllegalArgumentException.class, () -> new BinanceFees(10, -1, -1));
    }
}
