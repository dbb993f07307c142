package mm.quoting;

import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.config.ConfigException;
import mm.sbe.BookTopNDecoder;
import mm.sbe.Side;
import mm.sbe.TradingState;

/**
 * The deciding logic of the quoting core without any transport: market signals, the model, the guards every
 * model output passes, and the refresh policy. {@link QuotingAgent} feeds it decoded inputs and sends what
 * it decides; tests and benchmarks drive it directly. Deterministic and allocation-free in steady state
 * (a runtime parameter change allocates, once).
 * <p>
 * A quote update runs in this order:
 * <ol>
 *   <li>pull everything unless the feed is SYNCED, the book two-sided and trading ACTIVE or REDUCING;</li>
 *   <li>the model proposes a ladder; it is rounded conservatively to tick and lot (bids down, asks up, sizes
 *   down) and each side made strictly monotone;</li>
 *   <li>per-level hysteresis: a level whose new price is within {@code levelHysteresisTicks} of the level
 *   last sent keeps its old price (and its queue position);</li>
 *   <li>a hanging order (after a fill on the other side) is added;</li>
 *   <li>no level may cross or touch the opposite best: bids at most best ask − 1 tick, asks at least best
 *   bid + 1 tick;</li>
 *   <li>sizes are clipped so that if every level of a side filled the position stays within
 *   {@code maxPosition}; in REDUCING only the side that reduces inventory is quoted, up to the inventory;</li>
 *   <li>refresh policy: the result is sent only if it differs from what was last sent and fair value moved
 *   more than {@code refreshToleranceTicks}, or the last quote is older than {@code maxQuoteAgeMs}, or an
 *   input forces it (fill, trading or feed state, parameter change), or the last quote no longer passes the
 *   guards (it would now cross the book or breach the limit).</li>
 * </ol>
 */
public final class QuoteEngine
{
    private static final int BID = 0;
    private static final int ASK = 1;
    private static final int NONE = -1;

    private final Instrument instrument;
    private final long tick;
    private final MarketSignals signals;
    private QuotingParameters parameters;
    private QuotingModel model;

    private final Ladder proposed = new Ladder();
    private final Ladder desired = new Ladder();
    private final Ladder lastSent = new Ladder();
    private final Ladder lastSentGuarded = new Ladder();
    private final long[] prices = new long[Ladder.MAX_LEVELS];
    private final long[] qtys = new long[Ladder.MAX_LEVELS];

    private long position;
    private boolean feedSynced;
    private TradingState tradingState = TradingState.ACTIVE;
    private boolean killed;
    private boolean forced = true;
    private boolean hasSent;
    private double fairAtLastSend;
    private long lastSendTimeNs;
    private double fairValue;

    private int hangingSide = NONE;
    private long hangingPrice;
    private long hangingQty;

    private long suppressedByTolerance;
    private long levelsClippedByPosition;
    private long levelsMovedOffTheBook;
    private long levelsKeptByHysteresis;

    public QuoteEngine(final QuotingParameters parameters)
    {
        this.instrument = parameters.instrument();
        this.tick = instrument.tickSize();
        this.signals = new MarketSignals(instrument);
        apply(parameters);
    }

    private void apply(final QuotingParameters parameters)
    {
        this.parameters = parameters;
        this.model = parameters.model();
        parameters.configure(signals);
        forced = true;
    }

    /**
     * Applies a runtime change of one {@code quoting.*} key.
     *
     * @return null if applied, else the reason it was rejected (the parameters are then unchanged).
     */
    public String applyChange(final String key, final String value)
    {
        try
        {
            apply(parameters.withChange(key, value));
            return null;
        }
        catch (final ConfigException ex)
        {
            return ex.getMessage();
        }
    }

    /** A book update of this instrument; invalidates fair value if the book is one-sided. */
    public void onBook(final BookTopNDecoder book, final long timeNs)
    {
        signals.onBook(book, timeNs);
    }

    public void onTrade(final long qty, final Side aggressorSide)
    {
        signals.onTrade(qty, aggressorSide);
    }

    public void onFeedState(final boolean synced)
    {
        if (synced != feedSynced)
        {
            forced = true;
        }
        feedSynced = synced;
        if (!synced)
        {
            signals.invalidate();
        }
    }

    public void onTradingState(final TradingState state)
    {
        if (state != tradingState)
        {
            forced = true;
        }
        tradingState = state;
        if (state == TradingState.ACTIVE || state == TradingState.REDUCING)
        {
            killed = false;
        }
    }

    /** The kill switch: quotes are pulled until trading is set ACTIVE or REDUCING again. */
    public void onKill()
    {
        killed = true;
        forced = true;
    }

    /** One of our orders traded: inventory moves, quotes must follow; a hanging order may start or shrink. */
    public void onFill(final Side side, final long price, final long qty)
    {
        position += side == Side.BUY ? qty : -qty;
        forced = true;
        final int filledSide = side == Side.BUY ? BID : ASK;
        if (hangingSide != NONE && filledSide == hangingSide && price == hangingPrice)
        {
            hangingQty -= qty;
            if (hangingQty <= 0)
            {
                hangingSide = NONE;
            }
        }
        else if (parameters.hangingOrders() && hangingSide == NONE && lastSent.count(filledSide ^ 1) > 0)
        {
            hangingSide = filledSide ^ 1;
            hangingPrice = lastSent.price(hangingSide, 0);
            hangingQty = lastSent.qty(hangingSide, 0);
        }
    }

    /**
     * Decides the desired ladder for the current inputs.
     *
     * @return true if {@link #desired()} is new and must be sent; it then counts as the last sent.
     */
    public boolean update(final long timeNs)
    {
        desired.clear();
        final boolean quoting = canQuote();
        if (quoting)
        {
            fairValue = signals.fairValue();
            proposed.clear();
            model.quote(signals, position, timeNs, proposed);
            for (int side = BID; side <= ASK; side++)
            {
                final int count = shape(side, proposed);
                guard(side, count, desired, true);
            }
        }
        else
        {
            hangingSide = NONE;
        }
        final boolean wasForced = forced;
        forced = false;
        if (desired.sameAs(lastSent))
        {
            return false;
        }
        // cheapest tests first: re-guarding the last ladder is only needed when nothing else asks to requote
        if (quoting && hasSent && !wasForced && !lastSent.isEmpty() && !fairMovedBeyondTolerance() &&
            !tooOld(timeNs) && lastSentStillValid())
        {
            suppressedByTolerance++;
            return false;
        }
        lastSent.copyFrom(desired);
        hasSent = true;
        fairAtLastSend = fairValue;
        lastSendTimeNs = timeNs;
        return true;
    }

    private boolean canQuote()
    {
        return feedSynced && signals.isTwoSided() && !killed &&
            (tradingState == TradingState.ACTIVE || tradingState == TradingState.REDUCING);
    }

    /** Steps 2 to 4: rounding, monotonicity, hysteresis and the hanging order, into {@link #prices}/{@link #qtys}. */
    private int shape(final int side, final Ladder source)
    {
        final long hysteresis = parameters.levelHysteresisTicks() * tick;
        int count = 0;
        for (int i = 0, n = source.count(side); i < n && count < Ladder.MAX_LEVELS - 1; i++)
        {
            long price = side == BID ? instrument.floorToTick(source.price(side, i)) :
                instrument.ceilToTick(source.price(side, i));
            final long qty = instrument.floorToLot(source.qty(side, i));
            if (qty <= 0)
            {
                continue;
            }
            if (count < lastSent.count(side) && Math.abs(price - lastSent.price(side, count)) <= hysteresis &&
                price != lastSent.price(side, count))
            {
                price = lastSent.price(side, count);
                levelsKeptByHysteresis++;
            }
            prices[count] = price;
            qtys[count] = qty;
            count++;
        }
        if (hangingSide == side)
        {
            count = insertHanging(side, count);
        }
        return count;
    }

    private int insertHanging(final int side, final int count)
    {
        if (Math.abs(hangingPrice - fairValue) > parameters.hangingMaxDistanceTicks() * tick ||
            tradingState != TradingState.ACTIVE)
        {
            hangingSide = NONE;
            return count;
        }
        int at = 0;
        while (at < count && (side == BID ? prices[at] > hangingPrice : prices[at] < hangingPrice))
        {
            at++;
        }
        if (at < count && prices[at] == hangingPrice)
        {
            // the ladder quotes the hanging price anyway: one order, the larger size
            qtys[at] = Math.max(qtys[at], hangingQty);
            return count;
        }
        System.arraycopy(prices, at, prices, at + 1, count - at);
        System.arraycopy(qtys, at, qtys, at + 1, count - at);
        prices[at] = hangingPrice;
        qtys[at] = hangingQty;
        return count + 1;
    }

    /** Steps 5 and 6 on {@link #prices}/{@link #qtys}; appends the surviving levels of {@code side} to {@code out}. */
    private void guard(final int side, final int count, final Ladder out, final boolean counting)
    {
        final long limit = side == BID ? signals.bestAsk() - tick : signals.bestBid() + tick;
        long allowed = allowedQty(side);
        long previous = 0;
        for (int i = 0; i < count; i++)
        {
            long price = prices[i];
            if (side == BID ? price > limit : price < limit)
            {
                price = limit;
                levelsMovedOffTheBook += counting ? 1 : 0;
            }
            if (i > 0 && (side == BID ? price >= previous : price <= previous))
            {
                price = side == BID ? previous - tick : previous + tick;
            }
            if (price <= 0)
            {
                break;
            }
            long qty = qtys[i];
            if (qty > allowed)
            {
                qty = instrument.floorToLot(allowed);
                levelsClippedByPosition += counting ? 1 : 0;
                if (qty <= 0)
                {
                    break;
                }
            }
            allowed -= qty;
            out.add(side, price, qty);
            previous = price;
        }
    }

    /** How much more of {@code side} may fill: the position limit, and in REDUCING only back to flat. */
    private long allowedQty(final int side)
    {
        final long maxPosition = parameters.maxPosition();
        final long headroom = maxPosition == Long.MAX_VALUE ? Long.MAX_VALUE :
            Math.max(0, side == BID ? maxPosition - position : maxPosition + position);
        if (tradingState == TradingState.REDUCING)
        {
            final long reducing = side == BID ? Math.max(0, -position) : Math.max(0, position);
            return Math.min(headroom, reducing);
        }
        return headroom;
    }

    /** Would the last sent ladder pass today's guards unchanged (not crossing, within the limits)? */
    private boolean lastSentStillValid()
    {
        lastSentGuarded.clear();
        for (int side = BID; side <= ASK; side++)
        {
            final int count = lastSent.count(side);
            for (int i = 0; i < count; i++)
            {
                prices[i] = lastSent.price(side, i);
                qtys[i] = lastSent.qty(side, i);
            }
            guard(side, count, lastSentGuarded, false);
        }
        return lastSentGuarded.sameAs(lastSent);
    }

    private boolean fairMovedBeyondTolerance()
    {
        return Math.abs(fairValue - fairAtLastSend) > parameters.refreshToleranceTicks() * (double)tick;
    }

    private boolean tooOld(final long timeNs)
    {
        final long maxAgeNs = parameters.maxQuoteAgeNs();
        return maxAgeNs > 0 && timeNs - lastSendTimeNs >= maxAgeNs;
    }

    /** The ladder decided by the last {@link #update}: what was sent when it returned true. */
    public Ladder desired()
    {
        return desired;
    }

    /** Fair value of the last update, rounded to the nearest price mantissa (0 if the book is not valid). */
    public long fairPrice()
    {
        return canQuote() ? Math.round(fairValue) : 0;
    }

    public MarketSignals signals()
    {
        return signals;
    }

    public QuotingParameters parameters()
    {
        return parameters;
    }

    public long position()
    {
        return position;
    }

    public TradingState tradingState()
    {
        return tradingState;
    }

    public boolean postOnly()
    {
        return parameters.postOnly();
    }

    public long suppressedByTolerance()
    {
        return suppressedByTolerance;
    }

    public long levelsClippedByPosition()
    {
        return levelsClippedByPosition;
    }

    public long levelsMovedOffTheBook()
    {
        return levelsMovedOffTheBook;
    }

    public long levelsKeptByHysteresis()
    {
        return levelsKeptByHysteresis;
    }
}
