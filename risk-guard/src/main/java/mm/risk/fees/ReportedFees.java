package mm.risk.fees;

import mm.common.Instrument;

/** Books the fee the venue reported on the execution report (the simulated venue's maker fee). */
public final class ReportedFees implements FeeModel
{
    public static final ReportedFees INSTANCE = new ReportedFees();

    private ReportedFees()
    {
    }

    public long onFill(
        final Instrument instrument, final long clOrdId, final boolean buy, final long price, final long qty,
        final long notional, final boolean maker, final boolean orderDone, final long reportedFee)
    {
        return Math.max(0, reportedFee);
    }
}
