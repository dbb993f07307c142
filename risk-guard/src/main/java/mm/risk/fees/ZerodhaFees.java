package mm.risk.fees;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.InstrumentKind;
import mm.risk.FixedPoint;
import mm.risk.FixedPoint.Rounding;
import org.agrona.collections.Long2LongHashMap;

/**
 * Zerodha's charges on an F&O (or cash equity intraday) fill, in rupees:
 * <ul>
 * <li>brokerage per executed order: flat {@code brokerageCap} (₹20) for options, charged on the order's first
 * fill; {@code min(brokerageRate × order turnover, brokerageCap)} (0.03%, ₹20) for futures and equity, spread
 * over the order's fills so that the order never pays more than the cap;</li>
 * <li>exchange transaction charge and clearing charge on turnover (premium for options);</li>
 * <li>SEBI turnover fee;</li>
 * <li>GST on brokerage + exchange + clearing + SEBI fee;</li>
 * <li>STT on the sell side, stamp duty on the buy side.</li>
 * </ul>
 * Rounding: every charge is computed at 10^-12 rupee (exact for rates of up to ten decimals on a turnover in
 * paise), GST on the unrounded sum, and only the fill's total is rounded, half up, to the paisa. Per-charge
 * figures rounded to the paisa are available for display ({@link Charges#rupeesAt2}). STT's rounding to the
 * rupee on a contract note is not modelled (the contract note sums a day's trades, not one fill).
 */
public final class ZerodhaFees implements FeeModel
{
    /** Exponent every charge is computed at: 10^-12 rupee. */
    public static final int INTERNAL_EXPONENT = -12;
    /** Charges are rounded to the paisa. */
    public static final int RUPEE_EXPONENT = -2;

    /** Rates at {@link BinanceFees#RATE_EXPONENT} (10^-10), the brokerage cap in paise. */
    public record Rates(
        long brokerageCapPaise,
        long brokerageRate,
        long optionExchangeRate,
        long optionSttSellRate,
        long optionStampBuyRate,
        long futureExchangeRate,
        long futureSttSellRate,
        long futureStampBuyRate,
        long equityExchangeRate,
        long equitySttSellRate,
        long equityStampBuyRate,
        long clearingRate,
        long sebiRate,
        long gstRate)
    {
    }

    /** One fill's charges at {@link #INTERNAL_EXPONENT}, reused. */
    public static final class Charges
    {
        long brokerage;
        long exchange;
        long clearing;
        long sebi;
        long gst;
        long stt;
        long stamp;
        long total;
        /** The total rounded to the paisa (at {@link #RUPEE_EXPONENT}). */
        long totalPaise;

        public long brokerage()
        {
            return brokerage;
        }

        public long exchange()
        {
            return exchange;
        }

        public long clearing()
        {
            return clearing;
        }

        public long sebi()
        {
            return sebi;
        }

        public long gst()
        {
            return gst;
        }

        public long stt()
        {
            return stt;
        }

        public long stamp()
        {
            return stamp;
        }

        /** Sum of the unrounded charges at {@link #INTERNAL_EXPONENT}. */
        public long total()
        {
            return total;
        }

        public long totalPaise()
        {
            return totalPaise;
        }

        /** A charge at {@link #INTERNAL_EXPONENT} rounded half up to paise, for display. */
        public static long rupeesAt2(final long internal)
        {
            return FixedPoint.rescale(internal, INTERNAL_EXPONENT, RUPEE_EXPONENT, Rounding.HALF_UP);
        }
    }

    private final Rates rates;
    private final long brokerageCap;
    /** Brokerage charged so far per clOrdId of an order still working, at the internal exponent. */
    private final Long2LongHashMap brokerageCharged = new Long2LongHashMap(1024, 0.65f, -1);
    private final Charges charges = new Charges();

    public ZerodhaFees(final Rates rates)
    {
        this.rates = rates;
        this.brokerageCap = Decimals.rescale(rates.brokerageCapPaise(), RUPEE_EXPONENT, INTERNAL_EXPONENT);
    }

    public Rates rates()
    {
        return rates;
    }

    /** The breakdown of the last fill. */
    public Charges lastCharges()
    {
        return charges;
    }

    public long onFill(
        final Instrument instrument, final long clOrdId, final boolean buy, final long price, final long qty,
        final long notional, final boolean maker, final boolean orderDone, final long reportedFee)
    {
        final int moneyExponent = instrument.moneyExponent();
        final InstrumentKind kind = instrument.kind();
        final long previous = brokerageCharged.get(clOrdId);
        final long charged = previous < 0 ? 0 : previous;
        final long brokerage;
        if (kind == InstrumentKind.OPTION)
        {
            brokerage = previous < 0 ? brokerageCap : 0;
        }
        else
        {
            brokerage = Math.min(charge(notional, moneyExponent, rates.brokerageRate()), brokerageCap - charged);
        }
        if (orderDone)
        {
            brokerageCharged.remove(clOrdId);
        }
        else
        {
            brokerageCharged.put(clOrdId, charged + brokerage);
        }

        final long exchangeRate;
        final long sttRate;
        final long stampRate;
        switch (kind)
        {
            case OPTION ->
            {
                exchangeRate = rates.optionExchangeRate();
                sttRate = rates.optionSttSellRate();
                stampRate = rates.optionStampBuyRate();
            }
            case FUTURE, PERPETUAL ->
            {
                exchangeRate = rates.futureExchangeRate();
                sttRate = rates.futureSttSellRate();
                stampRate = rates.futureStampBuyRate();
            }
            default ->
            {
                exchangeRate = rates.equityExchangeRate();
                sttRate = rates.equitySttSellRate();
                stampRate = rates.equityStampBuyRate();
            }
        }
        final Charges c = charges;
        c.brokerage = brokerage;
        c.exchange = charge(notional, moneyExponent, exchangeRate);
        c.clearing = charge(notional, moneyExponent, rates.clearingRate());
        c.sebi = charge(notional, moneyExponent, rates.sebiRate());
        c.gst = FixedPoint.multiplyDivide(c.brokerage + c.exchange + c.clearing + c.sebi, rates.gstRate(),
            BinanceFees.RATE_ONE, Rounding.HALF_UP);
        c.stt = buy ? 0 : charge(notional, moneyExponent, sttRate);
        c.stamp = buy ? charge(notional, moneyExponent, stampRate) : 0;
        c.total = c.brokerage + c.exchange + c.clearing + c.sebi + c.gst + c.stt + c.stamp;
        c.totalPaise = FixedPoint.rescale(c.total, INTERNAL_EXPONENT, RUPEE_EXPONENT, Rounding.HALF_UP);
        final long fee = Decimals.rescale(c.totalPaise, RUPEE_EXPONENT, moneyExponent);
        if (fee == Decimals.INVALID)
        {
            // a money exponent coarser than the paisa: round the exact total there instead
            return FixedPoint.rescale(c.total, INTERNAL_EXPONENT, moneyExponent, Rounding.HALF_UP);
        }
        return fee;
    }

    public void onOrderDone(final long clOrdId)
    {
        brokerageCharged.remove(clOrdId);
    }

    /** Orders with brokerage booked and quantity still working (for tests and the post-mortem). */
    public int ordersTracked()
    {
        return brokerageCharged.size();
    }

    /** {@code turnover × rate} at {@link #INTERNAL_EXPONENT}, half up. */
    private static long charge(final long turnover, final int moneyExponent, final long rate)
    {
        // product exponent: moneyExponent + RATE_EXPONENT
        final int productExponent = moneyExponent + BinanceFees.RATE_EXPONENT;
        final long value;
        if (productExponent >= INTERNAL_EXPONENT)
        {
            final long scaledTurnover = Decimals.rescale(turnover, moneyExponent, INTERNAL_EXPONENT - BinanceFees.RATE_EXPONENT);
            value = scaledTurnover == Decimals.INVALID ? Decimals.INVALID : FixedPoint.multiplyDivide(scaledTurnover, rate, 1, Rounding.HALF_UP);
        }
        else
        {
            value = FixedPoint.multiplyDivide(turnover, rate, Decimals.powerOfTen(INTERNAL_EXPONENT - productExponent),
                Rounding.HALF_UP);
        }
        if (value == Decimals.INVALID)
        {
            throw new ArithmeticException("a Zerodha charge on turnover mantissa " + turnover + " overflows 63 bits at 10^-12 rupee");
        }
        return value;
    }
}
