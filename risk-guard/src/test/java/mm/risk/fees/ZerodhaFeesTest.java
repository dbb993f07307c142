package mm.risk.fees;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.InstrumentKind;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.risk.RiskContext;
import org.junit.jupiter.api.Test;

import static mm.risk.fees.ZerodhaFees.Charges.rupeesAt2;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Zerodha F&O charges against hand-computed fills. Kite quantities are units (a NIFTY lot is 65), prices at
 * 10^-2, so money is in paise.
 */
class ZerodhaFeesTest
{
    private static final Instrument NIFTY_CALL = new Instrument(1001, Venue.KITE, "NFO:NIFTY25NOV25300CE", -2, 0, 5, 65, 0,
        InstrumentKind.OPTION);
    private static final Instrument NIFTY_FUTURE = new Instrument(1002, Venue.KITE, "NFO:NIFTY25NOVFUT", -2, 0, 10, 65, 0,
        InstrumentKind.FUTURE);

    /** Rates as configured: the defaults, with {@code keyValues} pairs set. */
    private static ZerodhaFees fees(final String... keyValues)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.add(NIFTY_CALL);
        final RiskContext context = new RiskContext().registry(registry);
        for (int i = 0; i < keyValues.length; i += 2)
        {
            context.set(keyValues[i], keyValues[i + 1]);
        }
        return new ZerodhaFees(context.conclude().zerodhaRates());
    }

    private static long fill(
        final ZerodhaFees fees, final Instrument instrument, final long clOrdId, final boolean buy, final long price,
        final long qty, final boolean orderDone)
    {
        return fees.onFill(instrument, clOrdId, buy, price, qty, price * qty, true, orderDone, 0);
    }

    /**
     * The worked example: buy 1 lot NIFTY 25300CE (65 units) at ₹150. Premium ₹9,750. Brokerage ₹20, exchange
     * ₹0.32, GST ₹3.66, stamp ₹0.20, total ₹24.18, clearing left out. Its exchange and stamp figures are
     * 0.00325% and 0.002% of the premium (not the NSE option rates, 0.03503% and 0.003%), so those are the
     * rates set here; SEBI's ₹10/crore is included (₹0.00975) and disappears in the rounding of the total.
     */
    @Test
    void workedExampleBuyOneLotOfNiftyCallAt150()
    {
        final ZerodhaFees fees = fees(
            "risk.fees.zerodha.option.exchangeRate", "0.0000325",
            "risk.fees.zerodha.option.stampBuyRate", "0.00002",
            "risk.fees.zerodha.clearingRate", "0");
        final long fee = fill(fees, NIFTY_CALL, 1, true, 150_00, 65, true);
        assertEquals(24_18, fee, "₹24.18 in paise");
        final ZerodhaFees.Charges charges = fees.lastCharges();
        assertEquals(20_00, rupeesAt2(charges.brokerage()));
        assertEquals(32, rupeesAt2(charges.exchange()));
        assertEquals(3_66, rupeesAt2(charges.gst()));
        assertEquals(20, rupeesAt2(charges.stamp()));
        assertEquals(0, rupeesAt2(charges.stt()), "no STT on a buy");
        assertEquals(0, charges.clearing());
        assertEquals(1, rupeesAt2(charges.sebi()), "₹0.00975 shown as ₹0.01 on its own");
        // exact values at 10^-12 rupee: exchange 0.316875, SEBI 0.00975, stamp 0.195,
        // GST 18% of (20 + 0.316875 + 0.00975) = 3.6587925, total 24.1804175 -> ₹24.18
        assertEquals(316_875_000_000L, charges.exchange());
        assertEquals(9_750_000_000L, charges.sebi());
        assertEquals(195_000_000_000L, charges.stamp());
        assertEquals(3_658_792_500_000L, charges.gst());
        assertEquals(24_180_417_500_000L, charges.total());
    }

    @Test
    void sameFillAtTheDefaultPublishedRates()
    {
        final ZerodhaFees fees = fees();
        // exchange 0.03503% of 9750 = 3.415425, SEBI 0.00975, stamp 0.003% = 0.2925,
        // GST 18% of (20 + 3.415425 + 0.00975) = 4.2165315; total 27.9342065 -> ₹27.93
        assertEquals(27_93, fill(fees, NIFTY_CALL, 1, true, 150_00, 65, true));
        assertEquals(4_216_531_500_000L, fees.lastCharges().gst());
    }

    @Test
    void sellingAnOptionPaysSttOnThePremiumAndNoStamp()
    {
        final ZerodhaFees fees = fees();
        // sell 65 at 160.00: premium 10400; brokerage 20, exchange 3.64312, SEBI 0.0104,
        // GST 18% of 23.65352 = 4.2576336, STT 0.1% = 10.4; total 38.3111536 -> ₹38.31
        assertEquals(38_31, fill(fees, NIFTY_CALL, 2, false, 160_00, 65, true));
        assertEquals(10_400_000_000_000L, fees.lastCharges().stt());
        assertEquals(0, fees.lastCharges().stamp());
    }

    @Test
    void optionBrokerageIsChargedOncePerExecutedOrder()
    {
        final ZerodhaFees fees = fees("risk.fees.zerodha.option.exchangeRate", "0", "risk.fees.zerodha.option.stampBuyRate", "0",
            "risk.fees.zerodha.sebiRate", "0", "risk.fees.zerodha.gstRate", "0");
        assertEquals(20_00, fill(fees, NIFTY_CALL, 7, true, 150_00, 65, false));
        assertEquals(1, fees.ordersTracked());
        assertEquals(0, fill(fees, NIFTY_CALL, 7, true, 150_00, 65, true), "second fill of the same order");
        assertEquals(0, fees.ordersTracked());
        assertEquals(20_00, fill(fees, NIFTY_CALL, 8, true, 150_00, 65, true), "a new order");
        // an order cancelled after a partial fill is forgotten
        fill(fees, NIFTY_CALL, 9, true, 150_00, 65, false);
        fees.onOrderDone(9);
        assertEquals(0, fees.ordersTracked());
    }

    @Test
    void futuresBrokerageIsTheLowerOfTheRateAndTheCapAcrossAnOrdersFills()
    {
        final ZerodhaFees fees = fees("risk.fees.zerodha.future.exchangeRate", "0", "risk.fees.zerodha.future.stampBuyRate", "0",
            "risk.fees.zerodha.future.sttSellRate", "0", "risk.fees.zerodha.sebiRate", "0", "risk.fees.zerodha.gstRate", "0");
        // 1 unit at 100.00: 0.03% = 0.03
        assertEquals(3, fill(fees, NIFTY_FUTURE, 1, true, 100_00, 1, true));
        // 65 at 25300.00 = 1,644,500: 0.03% = 493.35, capped at 20 for the whole order
        assertEquals(20_00, fill(fees, NIFTY_FUTURE, 2, true, 25_300_00, 65, true));
        // an order filled in three parts pays 0.03% until the cap is reached: 15.18, then 4.82, then 0
        assertEquals(15_18, fill(fees, NIFTY_FUTURE, 3, true, 25_300_00, 2, false));
        assertEquals(4_82, fill(fees, NIFTY_FUTURE, 3, true, 25_300_00, 2, false));
        assertEquals(0, fill(fees, NIFTY_FUTURE, 3, true, 25_300_00, 61, true));
    }

    @Test
    void futuresSellPaysSttAtTheFuturesRate()
    {
        final ZerodhaFees fees = fees();
        // sell 65 at 25300.00, turnover 1,644,500: brokerage 20, exchange 0.00173% = 28.44985, SEBI 1.6445,
        // GST 18% of 50.09435 = 9.016983, STT 0.02% = 328.9; total 388.011333 -> ₹388.01
        assertEquals(388_01, fill(fees, NIFTY_FUTURE, 4, false, 25_300_00, 65, true));
    }

    @Test
    void theTotalIsRoundedHalfUpToThePaisa()
    {
        final ZerodhaFees fees = fees("risk.fees.zerodha.brokerageCap", "0", "risk.fees.zerodha.option.exchangeRate", "0.00005",
            "risk.fees.zerodha.option.stampBuyRate", "0", "risk.fees.zerodha.sebiRate", "0", "risk.fees.zerodha.gstRate", "0");
        // 100.00 × 1 × 0.005% = 0.005 exactly: half a paisa rounds up
        assertEquals(1, fill(fees, NIFTY_CALL, 1, true, 100_00, 1, true));
        // 99.99 × 1 × 0.005% = 0.0049995: rounds down
        assertEquals(0, fill(fees, NIFTY_CALL, 2, true, 99_99, 1, true));
        assertEquals("0.01", Decimals.toString(1, -2));
    }
}
