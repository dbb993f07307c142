package mm.risk;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.Ladder;
import mm.risk.fees.FeeModel;
import mm.sbe.FeedState;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Everything the risk guard holds about one instrument: its limits (configured and effective, i.e. scaled
 * down after a re-entry), position and PnL, the market view it checks against, the last approved ladder and
 * its contribution to the account totals. Mutated only by {@link RiskGuard} on the agent thread.
 */
final class InstrumentRisk
{
    static final int LADDER_LONGS = 2 * 2 * Ladder.MAX_LEVELS;

    /** Index of a level's price in a ladder array; its quantity is the next element. */
    static int at(final int side, final int level)
    {
        return (side * Ladder.MAX_LEVELS + level) << 1;
    }

    final Instrument instrument;
    final int index;
    final PositionKeeper keeper = new PositionKeeper();
    FeeModel feeModel;

    // configured limits, at the instrument's exponents (money: price + qty exponent)
    long maxOrderNotional;
    long maxOrderQty;
    long priceBandBps;
    long maxPosition;
    long maxSymbolNotional;
    long maxOpenOrders;

    // effective limits: configured × the current limit scale
    long effMaxOrderNotional;
    long effMaxOrderQty;
    long effMaxPosition;
    long effMaxSymbolNotional;
    long effMaxOpenOrders;

    // market view
    long bestBid;
    long bestAsk;
    long bestBidQty;
    long bestAskQty;
    /** Last two-sided book mid, floored: the price band's reference. 0 before the first book. */
    long bookMid;
    long lastMarketDataNs;
    boolean seenMarketData;
    FeedState feedState = FeedState.SYNCED;
    /** Since when the feed is not SYNCED (RESYNCING, STALE, DISCONNECTED); 0 while synced or closed. */
    long notSyncedSinceNs;
    /** Once a mark price has arrived (perpetuals), it is the mark; book mids no longer move it. */
    boolean marksAtMarkPrice;

    /** Killed on its own by a Kill with this instrument's id: every level is rejected until an operator resumes. */
    boolean killed;
    /** Has ever had a position or approved levels: watched by the position, stale-data and resync triggers. */
    boolean watched;

    // last approved ladder and the one being checked, swapped at commit, never copied: price then quantity of
    // each level, bids (side 0) then asks (side 1), at index at(side, level)
    long[] approvedLevels = new long[LADDER_LONGS];
    long[] pendingLevels = new long[LADDER_LONGS];
    final int[] approvedCounts = new int[2];
    /** The approved level counts when trading last halted (the ladder arrays keep the levels), for the post-mortem. */
    final int[] approvedCountsBeforeHalt = new int[2];
    /** Sum of the approved quantities per side: the worst case beyond the position. */
    final long[] approvedTotals = new long[2];
    long approvedIntentSeq;
    long approvedEventSeq;

    // memos of the per-level caps, recomputed only when an input changes: divisions are the costly part
    private long bandReferenceMemo = -1;
    private long bandBpsMemo = -1;
    private long bandWidthMemo;
    private long symbolReferenceMemo = -1;
    private long symbolLimitMemo = -1;
    private long symbolCapMemo;
    private long grossReferenceMemo = -1;
    private long grossHeadroomMemo = -1;
    private long grossCapMemo;

    // contributions to account totals, at the account exponent
    long netAccount;
    long feesAccount;
    long positionNotionalAccount;
    long worstCaseNotionalAccount;
    long worstCaseQtyMemo = -1;
    long worstCaseMarkMemo = -1;

    final AtomicCounter netPnlCounter;
    final AtomicCounter feesCounter;
    final AtomicCounter positionCounter;
    final AtomicCounter reportedFeesCounter;
    long reportedFees;

    /** Account exponent minus money exponent: account money is money divided (shift > 0) or multiplied by 10^|shift|. */
    private final int accountShift;
    private final long accountFactor;

    InstrumentRisk(final Instrument instrument, final int index, final RiskGuard.CounterFactory counters)
    {
        this.instrument = instrument;
        this.index = index;
        this.accountShift = RiskContext.ACCOUNT_EXPONENT - instrument.moneyExponent();
        this.accountFactor = Math.abs(accountShift) <= Decimals.MAX_SCALE ? Decimals.powerOfTen(Math.abs(accountShift)) : 0;
        final String name = "risk " + instrument.symbol();
        netPnlCounter = counters.add(name, "net pnl (money mantissa 10^" + instrument.moneyExponent() + ")");
        feesCounter = counters.add(name, "fees (money mantissa 10^" + instrument.moneyExponent() + ")");
        positionCounter = counters.add(name, "position (qty mantissa 10^" + instrument.qtyExponent() + ")");
        reportedFeesCounter = counters.add(name, "venue-reported fees (money mantissa 10^" + instrument.moneyExponent() + ")");
    }

    void limits(final RiskContext context)
    {
        maxOrderNotional = context.instrumentValue("risk.maxOrderNotional", instrument);
        maxOrderQty = context.instrumentValue("risk.maxOrderQty", instrument);
        priceBandBps = context.instrumentValue("risk.priceBandBps", instrument);
        maxPosition = context.instrumentValue("risk.maxPosition", instrument);
        maxSymbolNotional = context.instrumentValue("risk.maxSymbolNotional", instrument);
        maxOpenOrders = context.instrumentValue("risk.maxOpenOrders", instrument);
    }

    /** Effective limits at {@code percent} of the configured ones (quantities floored to the lot). */
    void scale(final long percent)
    {
        effMaxOrderNotional = scaled(maxOrderNotional, percent);
        effMaxOrderQty = percent == 100 ? maxOrderQty : instrument.floorToLot(scaled(maxOrderQty, percent));
        effMaxPosition = percent == 100 ? maxPosition : instrument.floorToLot(scaled(maxPosition, percent));
        effMaxSymbolNotional = scaled(maxSymbolNotional, percent);
        effMaxOpenOrders = scaled(maxOpenOrders, percent);
    }

    static long scaled(final long value, final long percent)
    {
        return percent == 100 ? value : FixedPoint.multiplyDivide(value, percent, 100, FixedPoint.Rounding.FLOOR);
    }

    /** The price notionals are valued at: the mark (book mid or venue mark price), else 0. */
    long markPrice()
    {
        return keeper.markPrice();
    }

    boolean exposed()
    {
        return keeper.position() != 0 || approvedCounts[0] > 0 || approvedCounts[1] > 0;
    }

    /** Money at the instrument's money exponent as account money (floored when digits are dropped). */
    long toAccount(final long money)
    {
        if (accountShift == 0)
        {
            return money;
        }
        if (accountShift > 0)
        {
            return accountFactor != 0 ? Math.floorDiv(money, accountFactor) : FixedPoint.rescale(
                money, instrument.moneyExponent(), RiskContext.ACCOUNT_EXPONENT, FixedPoint.Rounding.FLOOR);
        }
        final long value = Decimals.rescale(money, instrument.moneyExponent(), RiskContext.ACCOUNT_EXPONENT);
        return value == Decimals.INVALID ? (money < 0 ? -Long.MAX_VALUE : Long.MAX_VALUE) : value;
    }

    /** Account money as money at this instrument's exponent, floored. */
    long fromAccount(final long account)
    {
        if (accountShift == 0)
        {
            return account;
        }
        if (accountShift < 0)
        {
            return FixedPoint.rescale(account, RiskContext.ACCOUNT_EXPONENT, instrument.moneyExponent(),
                FixedPoint.Rounding.FLOOR);
        }
        final long value = Decimals.rescale(account, RiskContext.ACCOUNT_EXPONENT, instrument.moneyExponent());
        return value == Decimals.INVALID ? (account < 0 ? -Long.MAX_VALUE : Long.MAX_VALUE) : value;
    }

    /** {@code |qty| × price} at the money exponent, saturating at Long.MAX_VALUE instead of overflowing. */
    static long notional(final long qty, final long price)
    {
        final long value = Decimals.multiplyExact(Math.abs(qty), price);
        return value == Decimals.INVALID ? Long.MAX_VALUE : value;
    }

    /** The band's half width around {@code reference}: {@code priceBandBps × reference / 10^4}, floored. */
    long bandWidth(final long reference)
    {
        if (reference != bandReferenceMemo || priceBandBps != bandBpsMemo)
        {
            bandReferenceMemo = reference;
            bandBpsMemo = priceBandBps;
            bandWidthMemo = FixedPoint.multiplyDivide(priceBandBps, reference, 10_000, FixedPoint.Rounding.FLOOR);
        }
        return bandWidthMemo;
    }

    /** The largest worst-case position whose notional at {@code reference} is within the symbol limit. */
    long symbolCap(final long reference)
    {
        if (reference != symbolReferenceMemo || effMaxSymbolNotional != symbolLimitMemo)
        {
            symbolReferenceMemo = reference;
            symbolLimitMemo = effMaxSymbolNotional;
            symbolCapMemo = effMaxSymbolNotional / reference;
        }
        return symbolCapMemo;
    }

    /** The largest worst-case position whose notional at {@code reference} fits in {@code headroom} account money. */
    long grossCap(final long reference, final long headroom)
    {
        if (reference != grossReferenceMemo || headroom != grossHeadroomMemo)
        {
            grossReferenceMemo = reference;
            grossHeadroomMemo = headroom;
            grossCapMemo = headroom > 0 ? fromAccount(headroom) / reference : 0;
        }
        return grossCapMemo;
    }

    /** The checked ladder becomes the approved one; the old approved arrays are reused for the next check. */
    void commitPending(final int bids, final int asks, final long bidTotal, final long askTotal)
    {
        final long[] levels = approvedLevels;
        approvedLevels = pendingLevels;
        pendingLevels = levels;
        approvedCounts[0] = bids;
        approvedCounts[1] = asks;
        approvedTotals[0] = bidTotal;
        approvedTotals[1] = askTotal;
    }

    void clearApproved()
    {
        approvedCounts[0] = 0;
        approvedCounts[1] = 0;
        approvedTotals[0] = 0;
        approvedTotals[1] = 0;
    }

    void publishCounters()
    {
        netPnlCounter.setRelease(keeper.netPnl());
        feesCounter.setRelease(keeper.fees());
        positionCounter.setRelease(keeper.position());
        reportedFeesCounter.setRelease(reportedFees);
    }
}
