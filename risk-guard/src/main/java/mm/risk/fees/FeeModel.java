package mm.risk.fees;

import mm.common.Instrument;

/**
 * The charges of one fill as the risk guard books them, at the instrument's money exponent. The risk guard
 * computes fees itself rather than trusting the execution report: Kite's order updates carry no charges,
 * and Binance may report a commission in another asset (BNB). {@link ReportedFees} books the venue's
 * number where that is wanted (the simulated venue). Implementations allocate nothing per fill.
 */
public interface FeeModel
{
    /**
     * @param clOrdId     the order the fill belongs to (brokerage per executed order needs it).
     * @param buy         the fill's side.
     * @param price       fill price mantissa.
     * @param qty         fill quantity mantissa, positive.
     * @param notional    price × qty at the money exponent (the caller has checked it fits).
     * @param maker       the fill added liquidity.
     * @param orderDone   this fill completed the order (no quantity left).
     * @param reportedFee the fee on the execution report, at the money exponent.
     * @return the fee to book at the instrument's money exponent, never negative.
     */
    long onFill(Instrument instrument, long clOrdId, boolean buy, long price, long qty, long notional, boolean maker,
        boolean orderDone, long reportedFee);

    /** The order ended without (further) fills: canceled, rejected or expired. */
    default void onOrderDone(final long clOrdId)
    {
    }

    /** Books nothing (config {@code risk.fees.model=none}). */
    FeeModel NONE = (instrument, clOrdId, buy, price, qty, notional, maker, orderDone, reportedFee) -> 0;
}
