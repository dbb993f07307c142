package mm.risk;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.config.ConfigException;
import mm.common.sbe.BestPrices;
import mm.sbe.ApprovedQuoteEncoder;
import mm.sbe.BooleanType;
import mm.sbe.BookTopNDecoder;
import mm.sbe.CancelAllEncoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusDecoder;
import mm.sbe.MarkPriceDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.ParameterChangeResultEncoder;
import mm.sbe.QuoteIntentDecoder;
import mm.sbe.RiskReason;
import mm.sbe.RiskRejectEncoder;
import mm.sbe.Side;
import mm.sbe.TradingState;
import mm.sbe.TradingStateChangeEncoder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * The risk guard's decisions, apart from any transport: pre-trade checks of quote intents, positions and PnL
 * from fills, the trading-state machine with its triggers, re-entry and the kill switch. It is a pure function
 * of the inputs it is handed, in order; time is the largest input time seen (market data, intents, fills,
 * CONTROL heartbeats). Outputs (ApprovedQuote, RiskReject, CancelAll, TradingStateChange,
 * ParameterChangeResult) go to one {@link Sender}, in decision order. The steady state (books, intents that
 * pass or clip, fills) allocates nothing; a state change, a post-mortem or a parameter change may.
 * <p>
 * Pre-trade checks, per level, in this fixed order: trading state (HALTED/MANUAL: TRADING_HALTED; an
 * instrument killed on its own: KILL_SWITCH), INVALID_LEVEL (price or quantity not positive, more than 20
 * levels), REDUCE_ONLY (in REDUCING), MAX_ORDER_NOTIONAL, MAX_ORDER_QTY, PRICE_BAND (or NO_REFERENCE_PRICE),
 * MAX_POSITION (worst case: every same-side level filled), MAX_SYMBOL_NOTIONAL, MAX_GROSS_NOTIONAL (all
 * instruments' worst cases), MAX_OPEN_ORDERS, ORDER_RATE (a token bucket paid by each new or changed level).
 * See docs/risk.md.
 */
public final class RiskGuard
{
    /** Where the guard's output messages go, in order (the agent's ORDER_COMMANDS outbox). */
    @FunctionalInterface
    public interface Sender
    {
        void send(DirectBuffer buffer, int offset, int length);
    }

    /** Makes a counter labelled {@code "<agentName>: <name>"} (engine counters in the driver's shared memory). */
    @FunctionalInterface
    public interface CounterFactory
    {
        AtomicCounter add(String agentName, String name);
    }

    public static final int AGENT_ID = 2;
    static final String ROLE = "risk";
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final long TOKEN = 1_000_000_000L;
    private static final int SIDES = 2;
    private static final int REASONS = 32;
    private static final long BPS = 10_000;
    private static final int MAX_ARRAY_ID = 1 << 16;

    /** The level reasons, counted per clip or reject. */
    static final RiskReason[] LEVEL_REASONS = {
        RiskReason.TRADING_HALTED, RiskReason.KILL_SWITCH, RiskReason.INVALID_LEVEL, RiskReason.REDUCE_ONLY,
        RiskReason.MAX_ORDER_NOTIONAL, RiskReason.MAX_ORDER_QTY, RiskReason.PRICE_BAND, RiskReason.NO_REFERENCE_PRICE,
        RiskReason.MAX_POSITION, RiskReason.MAX_SYMBOL_NOTIONAL, RiskReason.MAX_GROSS_NOTIONAL,
        RiskReason.MAX_OPEN_ORDERS, RiskReason.ORDER_RATE};
    /** The trigger reasons, counted when they fire and (but for the operator's) when they warn. */
    static final RiskReason[] TRIGGER_REASONS = {
        RiskReason.POSITION_RUNAWAY, RiskReason.DAILY_LOSS, RiskReason.DRAWDOWN, RiskReason.MARGIN,
        RiskReason.REJECT_STORM, RiskReason.ORDER_RATE_BREACH, RiskReason.STALE_MARKET_DATA, RiskReason.FEED_RESYNCING,
        RiskReason.CONSECUTIVE_LOSSES, RiskReason.KILL_SWITCH, RiskReason.OPERATOR};

    private RiskContext context;
    private final boolean lockstep;
    private final Sender sender;
    private final PostMortem.Sink postMortemSink;
    final InstrumentRisk[] instruments;
    private final Int2ObjectHashMap<InstrumentRisk> byId = new Int2ObjectHashMap<>();
    /** Instruments by id when ids are small (they are: config ids and Kite's from 1000): no hashing per message. */
    private final InstrumentRisk[] byIdArray;
    final InstrumentRisk[] watched;
    int watchedCount;

    // settings (from the context; replaced by a parameter change)
    RiskContext.Mode mode;
    long maxGrossNotional;
    private long effMaxGrossNotional;
    private long ratePerSecond;
    private long rateBurst;
    private long warnPercent;
    long maxDailyLoss;
    long maxDrawdown;
    long maxConsecutiveLosses;
    long runawayFactor;
    long staleMarketDataMs;
    long maxResyncMs;
    long rejectStormMaxRejects;
    long rejectStormWindowMs;
    long rateBreachMaxRejects;
    long rateBreachWindowMs;
    long capital;
    long marginRate;
    long marginWarnPercent;
    long marginReducePercent;
    long marginKillPercent;
    long coolOffMs;
    long reentryLimitPercent;
    long reentryReducedMs;
    long killsBeforeManual;
    private long dayStartOffsetNs;

    // state
    TradingState state = TradingState.ACTIVE;
    RiskReason stateReason = RiskReason.NONE;
    long stateSinceNs;
    /** REDUCING or MANUAL set by the operator: only the operator ends it. */
    boolean operatorHold;
    long haltedAtNs;
    private long haltedDayIndex;
    long limitPercent = 100;
    /** When reduced limits end; 0 with reduced limits: at the end of the trading day. */
    long reducedUntilNs;
    long killsToday;
    long dayIndex = Long.MIN_VALUE;
    long dayStartEquity;
    long highWaterMark;
    long equity;
    long totalNet;
    long totalFees;
    long grossPositionNotional;
    long grossWorstCase;
    long consecutiveLosses;
    final TimeWindow venueRejects = new TimeWindow(1);
    final TimeWindow rateRejects = new TimeWindow(1);
    private long rateTokens;
    private long rateFullAfterNs;
    private long rateRejectCount;
    private long rateRefilledNs;
    private boolean rateStarted;
    long nowNs;
    long currentSeq;
    private final boolean[] warned = new boolean[REASONS];
    private long postMortemCount;

    final RiskEvents events = new RiskEvents();
    final FillLog fills = new FillLog();
    final OpenOrders openOrders = new OpenOrders();

    // trigger scratch: the firing trigger of the last scan
    private RiskReason scanReason;
    private long scanValue;
    private long scanLimit;
    private int scanExponent;
    private InstrumentRisk scanInstrument;

    // codecs and scratch
    private final BestPrices bestPrices = new BestPrices();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ApprovedQuoteEncoder approvedEncoder = new ApprovedQuoteEncoder();
    /** The intent being checked asks for post-only orders; copied to its approved quote. */
    private boolean postOnly;
    private final RiskRejectEncoder rejectEncoder = new RiskRejectEncoder();
    private final CancelAllEncoder cancelAllEncoder = new CancelAllEncoder();
    private final TradingStateChangeEncoder stateEncoder = new TradingStateChangeEncoder();
    private final ParameterChangeResultEncoder parameterResultEncoder = new ParameterChangeResultEncoder();
    /** Fixed buffers: the largest message is an ApprovedQuote of 2 x 20 levels (about 700 bytes) or a 1 KiB text. */
    private final UnsafeBuffer approvedBuffer = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[4096]);
    private final long[] levelPrices = new long[Ladder.MAX_LEVELS];
    private final long[] levelQtys = new long[Ladder.MAX_LEVELS];
    private final int[] newCounts = new int[SIDES];
    private boolean fastPath;
    private long fastBandLow;
    private long fastBandHigh;
    private long fastCap;
    private boolean fastNotionalBounded;
    private final long[] newTotals = new long[SIDES];
    private final AsciiText text = new AsciiText();

    // counters
    private final AtomicCounter approvedCount;
    private final AtomicCounter rejectedLevels;
    private final AtomicCounter clippedLevels;
    private final AtomicCounter stateCounter;
    private final AtomicCounter fillsCounter;
    private final AtomicCounter badExecutions;
    private final AtomicCounter venueRejectsCounter;
    private final AtomicCounter reentries;
    private final AtomicCounter postMortems;
    private final AtomicCounter parameterChanges;
    private final AtomicCounter equityCounter;
    private final AtomicCounter[] levelCounters = new AtomicCounter[REASONS];
    private final AtomicCounter[] triggerCounters = new AtomicCounter[REASONS];
    private final AtomicCounter[] warningCounters = new AtomicCounter[REASONS];

    public RiskGuard(
        final RiskContext context, final Sender sender, final CounterFactory counters, final PostMortem.Sink postMortemSink)
    {
        this.context = context;
        this.lockstep = context.lockstep();
        this.sender = sender;
        this.postMortemSink = postMortemSink;
        final List<Instrument> all = context.registry().all();
        instruments = new InstrumentRisk[all.size()];
        watched = new InstrumentRisk[all.size()];
        final var feeModels = context.feeModels(all, all.size());
        int maxId = 0;
        for (int i = 0; i < all.size(); i++)
        {
            final InstrumentRisk risk = new InstrumentRisk(all.get(i), i, counters);
            risk.feeModel = feeModels[i];
            instruments[i] = risk;
            byId.put(risk.instrument.id(), risk);
            maxId = Math.max(maxId, risk.instrument.id());
        }
        byIdArray = maxId < MAX_ARRAY_ID ? new InstrumentRisk[maxId + 1] : null;
        if (byIdArray != null)
        {
            for (final InstrumentRisk risk : instruments)
            {
                byIdArray[risk.instrument.id()] = risk;
            }
        }
        approvedCount = counters.add(ROLE, "approved quotes");
        rejectedLevels = counters.add(ROLE, "rejected levels");
        clippedLevels = counters.add(ROLE, "clipped levels");
        stateCounter = counters.add(ROLE, "trading state (0 active, 1 reducing, 2 halted, 3 manual)");
        fillsCounter = counters.add(ROLE, "fills");
        badExecutions = counters.add(ROLE, "bad execution reports skipped");
        venueRejectsCounter = counters.add(ROLE, "venue rejects");
        reentries = counters.add(ROLE, "re-entries");
        postMortems = counters.add(ROLE, "post-mortems");
        parameterChanges = counters.add(ROLE, "parameter changes applied");
        equityCounter = counters.add(ROLE, "equity (account money mantissa 10^" + RiskContext.ACCOUNT_EXPONENT + ")");
        for (final RiskReason reason : LEVEL_REASONS)
        {
            levelCounters[reason.value()] = counters.add(ROLE, "levels clipped or rejected: " + reason.name());
        }
        for (final RiskReason reason : TRIGGER_REASONS)
        {
            triggerCounters[reason.value()] = counters.add(ROLE, "trigger fired: " + reason.name());
            if (reason != RiskReason.KILL_SWITCH && reason != RiskReason.OPERATOR)
            {
                warningCounters[reason.value()] = counters.add(ROLE, "warning: " + reason.name());
            }
        }
        applySettings(context);
        equity = capital;
        highWaterMark = capital;
        dayStartEquity = capital;
        equityCounter.setRelease(equity);
    }

    // ------------------------------------------------------------------------------------------------------------
    // settings

    private void applySettings(final RiskContext settings)
    {
        mode = settings.mode();
        maxGrossNotional = settings.longValue("risk.maxGrossNotional");
        ratePerSecond = settings.longValue("risk.orderRatePerSecond");
        rateBurst = settings.longValue("risk.orderRateBurst");
        warnPercent = settings.longValue("risk.warnPercent");
        maxDailyLoss = settings.longValue("risk.maxDailyLoss");
        maxDrawdown = settings.longValue("risk.maxDrawdown");
        maxConsecutiveLosses = settings.longValue("risk.maxConsecutiveLosses");
        runawayFactor = settings.longValue("risk.positionRunawayFactor");
        staleMarketDataMs = settings.longValue("risk.staleMarketDataMs");
        maxResyncMs = settings.longValue("risk.maxResyncMs");
        rejectStormMaxRejects = settings.longValue("risk.rejectStormMaxRejects");
        rejectStormWindowMs = settings.longValue("risk.rejectStormWindowMs");
        rateBreachMaxRejects = settings.longValue("risk.orderRateBreachMaxRejects");
        rateBreachWindowMs = settings.longValue("risk.orderRateBreachWindowMs");
        final long newCapital = settings.longValue("risk.capital");
        marginRate = settings.longValue("risk.marginRate");
        marginWarnPercent = settings.longValue("risk.marginWarnPercent");
        marginReducePercent = settings.longValue("risk.marginReducePercent");
        marginKillPercent = settings.longValue("risk.marginKillPercent");
        coolOffMs = settings.longValue("risk.coolOffMs");
        reentryLimitPercent = settings.longValue("risk.reentryLimitPercent");
        reentryReducedMs = settings.longValue("risk.reentryReducedMs");
        killsBeforeManual = settings.longValue("risk.killsBeforeManual");
        dayStartOffsetNs = settings.longValue("risk.tradingDayStartUtcMinutes") * 60_000L * NANOS_PER_MS;
        rateFullAfterNs = rateBurst * TOKEN / ratePerSecond + 1;
        venueRejects.capacity((int)rejectStormMaxRejects + 1);
        rateRejects.capacity((int)rateBreachMaxRejects + 1);
        if (capital != 0 && newCapital != capital)
        {
            // capital moves equity and its marks with it: PnL is unchanged
            final long delta = newCapital - capital;
            highWaterMark += delta;
            dayStartEquity += delta;
        }
        capital = newCapital;
        equity = capital + totalNet;
        for (final InstrumentRisk risk : instruments)
        {
            risk.limits(settings);
        }
        rescale();
    }

    private void rescale()
    {
        for (final InstrumentRisk risk : instruments)
        {
            risk.scale(limitPercent);
        }
        effMaxGrossNotional = InstrumentRisk.scaled(maxGrossNotional, limitPercent);
    }

    public RiskContext context()
    {
        return context;
    }

    // ------------------------------------------------------------------------------------------------------------
    // market data

    /** Any market-data message: the step and the time move; then the triggers are evaluated. */
    public void onMarketDataTime(final long eventSeq, final long timeNs)
    {
        currentSeq = eventSeq;
        advance(timeNs);
    }

    public void onBook(final BookTopNDecoder book)
    {
        final InstrumentRisk risk = lookup(book.instrumentId());
        bestPrices.read(book);
        if (risk == null)
        {
            return;
        }
        risk.lastMarketDataNs = book.receiveTimeNs();
        risk.seenMarketData = true;
        risk.bestBid = bestPrices.bid();
        risk.bestAsk = bestPrices.ask();
        risk.bestBidQty = bestPrices.bidQty();
        risk.bestAskQty = bestPrices.askQty();
        if (bestPrices.isTwoSided())
        {
            risk.bookMid = bestPrices.midFloor();
            if (!risk.marksAtMarkPrice)
            {
                risk.keeper.mark(risk.bookMid);
                refresh(risk);
            }
        }
    }

    public void onMarkPrice(final MarkPriceDecoder markPrice)
    {
        final InstrumentRisk risk = lookup(markPrice.instrumentId());
        if (risk == null)
        {
            return;
        }
        risk.lastMarketDataNs = markPrice.receiveTimeNs();
        risk.seenMarketData = true;
        final long mark = markAtPriceExponent(
            markPrice.markPrice(), markPrice.markPriceExponent(), risk.instrument.priceExponent());
        if (mark > 0)
        {
            risk.marksAtMarkPrice = true;
            risk.keeper.mark(mark);
            refresh(risk);
        }
    }

    public void onFeedStatus(final FeedStatusDecoder status)
    {
        final InstrumentRisk risk = lookup(status.instrumentId());
        if (risk == null)
        {
            return;
        }
        final FeedState feedState = status.state();
        risk.feedState = feedState;
        if (feedState == FeedState.SYNCED || feedState == FeedState.CLOSED)
        {
            risk.notSyncedSinceNs = 0;
        }
        else if (risk.notSyncedSinceNs == 0)
        {
            risk.notSyncedSinceNs = Math.max(1, status.receiveTimeNs());
        }
    }

    /**
     * The venue's mark price at the instrument's price exponent. It has more decimals than the tick, so it is
     * floored, as the book mid is ({@code BestPrices.midFloor}); 0 if it cannot be represented.
     */
    static long markAtPriceExponent(final long markPrice, final int markPriceExponent, final int priceExponent)
    {
        if (markPrice <= 0)
        {
            return 0;
        }
        if (markPriceExponent >= priceExponent)
        {
            final long exact = Decimals.rescale(markPrice, markPriceExponent, priceExponent);
            return exact == Decimals.INVALID ? 0 : exact;
        }
        final int shift = priceExponent - markPriceExponent;
        return shift > Decimals.MAX_SCALE ? 0 : markPrice / Decimals.powerOfTen(shift);
    }

    /** A CONTROL heartbeat: time moves without market data, so time triggers and re-entry can act. */
    public void onHeartbeat(final long timeNs)
    {
        advance(timeNs);
    }

    /** Market data of the step has been applied: evaluate triggers now (lockstep: including last step's fills). */
    public void evaluate()
    {
        rollDay();
        if (limitPercent < 100 && reducedUntilNs != 0 && nowNs >= reducedUntilNs && state == TradingState.ACTIVE)
        {
            limitPercent = 100;
            reducedUntilNs = 0;
            rescale();
            events.add(RiskEvents.Kind.STATE, nowNs, currentSeq, RiskReason.REENTRY, 0, 100, 100);
        }
        switch (state)
        {
            case ACTIVE, REDUCING -> evaluateTrading();
            case HALTED ->
            {
                // a daily-loss halt lasts the trading day, even if marks later shrink the loss
                final boolean dayOver = stateReason != RiskReason.DAILY_LOSS || dayIndex != haltedDayIndex;
                if (dayOver && nowNs - haltedAtNs >= coolOffMs * NANOS_PER_MS && !scanHaltTriggers(false))
                {
                    reenter();
                }
            }
            default ->
            {
                // MANUAL: only the operator moves it
            }
        }
    }

    private void advance(final long timeNs)
    {
        if (timeNs > nowNs)
        {
            nowNs = timeNs;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // intents

    /**
     * Checks one quote intent and publishes its RiskRejects (clips and rejects, in check order) and then the
     * ApprovedQuote.
     *
     * @return false for an unknown instrument (nothing published).
     */
    public boolean onIntent(final QuoteIntentDecoder intent)
    {
        final InstrumentRisk risk = lookup(intent.instrumentId());
        if (risk == null)
        {
            return false;
        }
        final long eventSeq = intent.eventSeq();
        final long timeNs = intent.timeNs();
        final long intentSeq = intent.intentSeq();
        final long fairPrice = intent.fairPrice();
        // version 2 intents have no postOnly: they read as not set
        postOnly = intent.postOnly() == mm.sbe.BooleanType.TRUE;
        advance(timeNs);
        refillRateTokens();
        prepareFastPath(risk, fairPrice);
        final long rateRejectsBefore = rateRejectCount;

        int count = 0;
        final QuoteIntentDecoder.BidsDecoder bids = intent.bids();
        while (bids.hasNext())
        {
            bids.next();
            if (count < Ladder.MAX_LEVELS)
            {
                levelPrices[count] = bids.price();
                levelQtys[count++] = bids.qty();
            }
            else
            {
                tooManyLevels(risk, Side.BUY, bids.price(), bids.qty(), eventSeq, timeNs, intentSeq);
            }
        }
        newCounts[0] = checkSide(risk, Side.BUY, count, 0, fairPrice, eventSeq, timeNs, intentSeq);

        count = 0;
        final QuoteIntentDecoder.AsksDecoder asks = intent.asks();
        while (asks.hasNext())
        {
            asks.next();
            if (count < Ladder.MAX_LEVELS)
            {
                levelPrices[count] = asks.price();
                levelQtys[count++] = asks.qty();
            }
            else
            {
                tooManyLevels(risk, Side.SELL, asks.price(), asks.qty(), eventSeq, timeNs, intentSeq);
            }
        }
        newCounts[1] = checkSide(risk, Side.SELL, count, newCounts[0], fairPrice, eventSeq, timeNs, intentSeq);

        publishApproved(risk, eventSeq, timeNs, intentSeq);
        if (rateRejectCount != rateRejectsBefore)
        {
            evaluate(); // an order-rate breach acts now: intents come before their step's StepEnd
        }
        return true;
    }

    /** A level beyond the 20 a side that a ladder holds: rejected, it is not checked. */
    private void tooManyLevels(
        final InstrumentRisk risk, final Side side, final long price, final long qty,
        final long eventSeq, final long timeNs, final long intentSeq)
    {
        breach(risk, side, price, qty, 0, RiskReason.INVALID_LEVEL, Ladder.MAX_LEVELS + 1, Ladder.MAX_LEVELS, false,
            eventSeq, timeNs, intentSeq);
    }

    private void publishApproved(final InstrumentRisk risk, final long eventSeq, final long timeNs, final long intentSeq)
    {
        final ApprovedQuoteEncoder approved = approvedEncoder.wrapAndApplyHeader(approvedBuffer, 0, headerEncoder)
            .eventSeq(eventSeq)
            .instrumentId(risk.instrument.id())
            .timeNs(timeNs)
            .intentSeq(intentSeq)
            .postOnly(postOnly ? mm.sbe.BooleanType.TRUE : mm.sbe.BooleanType.FALSE);
        final ApprovedQuoteEncoder.BidsEncoder bidsOut = approved.bidsCount(newCounts[0]);
        final long[] pending = risk.pendingLevels;
        for (int i = 0, n = newCounts[0]; i < n; i++)
        {
            final int at = InstrumentRisk.at(0, i);
            bidsOut.next().price(pending[at]).qty(pending[at + 1]);
        }
        final ApprovedQuoteEncoder.AsksEncoder asksOut = approved.asksCount(newCounts[1]);
        for (int i = 0, n = newCounts[1]; i < n; i++)
        {
            final int at = InstrumentRisk.at(1, i);
            asksOut.next().price(pending[at]).qty(pending[at + 1]);
        }
        sender.send(approvedBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + approved.encodedLength());
        approvedCount.incrementRelease();
        commitApproved(risk, eventSeq, intentSeq);
    }

    private void commitApproved(final InstrumentRisk risk, final long eventSeq, final long intentSeq)
    {
        risk.commitPending(newCounts[0], newCounts[1], newTotals[0], newTotals[1]);
        risk.approvedIntentSeq = intentSeq;
        risk.approvedEventSeq = eventSeq;
        watch(risk);
        refreshWorstCase(risk);
    }

    /**
     * Checks the levels in levelPrices/levelQtys, best first; survivors (possibly clipped) go to the
     * instrument's pending ladder of the side, their total quantity to newTotals.
     * <p>
     * A level that passes every check takes a fast path: the per-side caps (band, the tightest of the position,
     * symbol and gross limits, an order-notional bound) are computed once per side, so a level costs a few
     * comparisons. Any level that might breach goes through {@link #checkLevel}, which runs the checks one by one
     * in their fixed order and reports the first breach (or each clip).
     *
     * @param openSoFar levels already approved for this instrument in this intent (the bids, when checking asks).
     */
    private int checkSide(
        final InstrumentRisk risk,
        final Side side,
        final int count,
        final int openSoFar,
        final long fairPrice,
        final long eventSeq,
        final long timeNs,
        final long intentSeq)
    {
        final int s = side == Side.BUY ? 0 : 1;
        final boolean buy = s == 0;
        final long maxOrderQty = risk.effMaxOrderQty;
        final long maxOpenOrders = risk.effMaxOpenOrders;
        final long[] pending = risk.pendingLevels;
        final long[] approvedLevels = risk.approvedLevels;
        final int base = InstrumentRisk.at(s, 0);
        final int approvedCount = risk.approvedCounts[s];

        final boolean fast = fastPath;
        final long bandLow = fastBandLow;
        final long bandHigh = fastBandHigh;
        final long cap = fastCap;
        final boolean notionalBounded = fastNotionalBounded;

        final long position = risk.keeper.position();
        long current = position;
        int approved = 0;
        for (int i = 0; i < count; i++)
        {
            final long price = levelPrices[i];
            long qty = levelQtys[i];
            final boolean passes = fast && price > 0 && qty > 0 && qty <= maxOrderQty &&
                price >= bandLow && price <= bandHigh &&
                qty <= (buy ? cap - current : current + cap) &&
                openSoFar + approved < maxOpenOrders &&
                (notionalBounded || notionalWithin(price, qty, risk.effMaxOrderNotional));
            if (!passes)
            {
                qty = checkLevel(risk, side, price, qty, current, openSoFar + approved,
                    risk.bookMid > 0 ? risk.bookMid : Math.max(0, fairPrice), grossWorstCase - risk.worstCaseNotionalAccount,
                    eventSeq, timeNs, intentSeq);
                if (qty == 0)
                {
                    continue;
                }
            }
            final int at = base + (approved << 1);
            final boolean changed = approved >= approvedCount || approvedLevels[at] != price || approvedLevels[at + 1] != qty;
            if (changed)
            {
                if (rateTokens < TOKEN)
                {
                    rateRejects.add(nowNs);
                    rateRejectCount++;
                    breach(risk, side, price, qty, 0, RiskReason.ORDER_RATE, rateTokens / TOKEN, rateBurst, false,
                        eventSeq, timeNs, intentSeq);
                    continue;
                }
                rateTokens -= TOKEN;
            }
            pending[at] = price;
            pending[at + 1] = qty;
            approved++;
            current = buy ? current + qty : current - qty;
        }
        newTotals[s] = buy ? current - position : position - current;
        return approved;
    }

    /**
     * The fast path's bounds for one intent, the same for both sides: trading ACTIVE, a band reference and a
     * mark; the band, the tightest of the position, symbol and gross caps, and whether every quantity within
     * the order-size limit at a price within the band is within the order-notional limit.
     */
    private void prepareFastPath(final InstrumentRisk risk, final long fairPrice)
    {
        final long bandReference = risk.bookMid > 0 ? risk.bookMid : Math.max(0, fairPrice);
        final long mark = risk.markPrice();
        fastPath = state == TradingState.ACTIVE && !risk.killed && bandReference > 0 && mark > 0;
        if (fastPath)
        {
            final long width = risk.bandWidth(bandReference);
            fastBandLow = bandReference - width;
            fastBandHigh = bandReference + width;
            fastCap = Math.min(risk.effMaxPosition, Math.min(risk.symbolCap(mark),
                risk.grossCap(mark, effMaxGrossNotional - (grossWorstCase - risk.worstCaseNotionalAccount))));
            final long largestNotional = Decimals.multiplyExact(risk.effMaxOrderQty, fastBandHigh);
            fastNotionalBounded = largestNotional != Decimals.INVALID && largestNotional <= risk.effMaxOrderNotional;
        }
    }

    private static boolean notionalWithin(final long price, final long qty, final long maxNotional)
    {
        final long notional = Decimals.multiplyExact(price, qty);
        return notional != Decimals.INVALID && notional <= maxNotional;
    }

    /**
     * Every check but the order rate, one by one in the fixed order; publishes a RiskReject for each breach.
     *
     * @param current the worst-case position with the side's levels approved so far.
     * @param open    levels approved so far for the instrument in this intent.
     * @return the quantity that survives (clipped in CLIP mode), 0 when the level is rejected.
     */
    private long checkLevel(
        final InstrumentRisk risk,
        final Side side,
        final long price,
        final long requestedQty,
        final long current,
        final int open,
        final long bandReference,
        final long otherGross,
        final long eventSeq,
        final long timeNs,
        final long intentSeq)
    {
        final boolean buy = side == Side.BUY;
        long qty = requestedQty;
        if (state == TradingState.HALTED || state == TradingState.MANUAL)
        {
            return breach(risk, side, price, qty, 0, RiskReason.TRADING_HALTED, state.value(), 0, false,
                eventSeq, timeNs, intentSeq);
        }
        if (risk.killed)
        {
            return breach(risk, side, price, qty, 0, RiskReason.KILL_SWITCH, 0, 0, false, eventSeq, timeNs, intentSeq);
        }
        if (price <= 0 || qty <= 0)
        {
            return breach(risk, side, price, qty, 0, RiskReason.INVALID_LEVEL, price <= 0 ? price : qty, 0, false,
                eventSeq, timeNs, intentSeq);
        }
        if (state == TradingState.REDUCING)
        {
            // only towards flat: a buy while short, a sell while long, up to the position
            final long room = buy ? -current : current;
            if (qty > room)
            {
                qty = breach(risk, side, price, qty, room, RiskReason.REDUCE_ONLY, buy ? current + qty : current - qty,
                    0, true, eventSeq, timeNs, intentSeq);
                if (qty == 0)
                {
                    return 0;
                }
            }
        }
        final long notional = Decimals.multiplyExact(price, qty);
        if (notional == Decimals.INVALID || notional > risk.effMaxOrderNotional)
        {
            qty = breach(risk, side, price, qty, risk.effMaxOrderNotional / price, RiskReason.MAX_ORDER_NOTIONAL,
                notional == Decimals.INVALID ? Long.MAX_VALUE : notional, risk.effMaxOrderNotional, true,
                eventSeq, timeNs, intentSeq);
            if (qty == 0)
            {
                return 0;
            }
        }
        if (qty > risk.effMaxOrderQty)
        {
            qty = breach(risk, side, price, qty, risk.effMaxOrderQty, RiskReason.MAX_ORDER_QTY, qty,
                risk.effMaxOrderQty, true, eventSeq, timeNs, intentSeq);
            if (qty == 0)
            {
                return 0;
            }
        }
        if (bandReference == 0)
        {
            return breach(risk, side, price, qty, 0, RiskReason.NO_REFERENCE_PRICE, price, 0, false,
                eventSeq, timeNs, intentSeq);
        }
        // |price - reference| <= band × reference / 10^4, exact: reported as price distances
        final long deviation = Math.abs(price - bandReference);
        final long bandWidth = risk.bandWidth(bandReference);
        if (deviation > bandWidth || deviation < 0)
        {
            return breach(risk, side, price, qty, 0, RiskReason.PRICE_BAND, deviation < 0 ? Long.MAX_VALUE : deviation,
                bandWidth, false, eventSeq, timeNs, intentSeq);
        }
        final long positionRoom = buy ? risk.effMaxPosition - current : current + risk.effMaxPosition;
        if (qty > positionRoom)
        {
            qty = breach(risk, side, price, qty, positionRoom, RiskReason.MAX_POSITION,
                buy ? current + qty : current - qty, risk.effMaxPosition, true, eventSeq, timeNs, intentSeq);
            if (qty == 0)
            {
                return 0;
            }
        }
        final long reference = risk.markPrice() > 0 ? risk.markPrice() : price;
        final long symbolCap = risk.symbolCap(reference);
        final long symbolRoom = buy ? symbolCap - current : current + symbolCap;
        if (qty > symbolRoom)
        {
            qty = breach(risk, side, price, qty, symbolRoom, RiskReason.MAX_SYMBOL_NOTIONAL,
                InstrumentRisk.notional(buy ? current + qty : current - qty, reference), risk.effMaxSymbolNotional, true,
                eventSeq, timeNs, intentSeq);
            if (qty == 0)
            {
                return 0;
            }
        }
        final long grossCap = risk.grossCap(reference, effMaxGrossNotional - otherGross);
        final long grossRoom = buy ? grossCap - current : current + grossCap;
        if (qty > grossRoom)
        {
            qty = breach(risk, side, price, qty, grossRoom, RiskReason.MAX_GROSS_NOTIONAL,
                saturatedAdd(otherGross, risk.toAccount(InstrumentRisk.notional(buy ? current + qty : current - qty, reference))),
                effMaxGrossNotional, true, eventSeq, timeNs, intentSeq);
            if (qty == 0)
            {
                return 0;
            }
        }
        if (open >= risk.effMaxOpenOrders)
        {
            return breach(risk, side, price, qty, 0, RiskReason.MAX_OPEN_ORDERS, open + 1, risk.effMaxOpenOrders, false,
                eventSeq, timeNs, intentSeq);
        }
        return qty;
    }

    /**
     * Publishes a RiskReject for one breached check and counts it. In CLIP mode a clippable check keeps
     * {@code allowedQty} floored to the lot; otherwise, or when nothing is left, the level is rejected.
     *
     * @return the quantity that goes on to the next check, 0 when the level is rejected.
     */
    private long breach(
        final InstrumentRisk risk,
        final Side side,
        final long price,
        final long qty,
        final long allowedQty,
        final RiskReason reason,
        final long checkedValue,
        final long limitValue,
        final boolean clippable,
        final long eventSeq,
        final long timeNs,
        final long intentSeq)
    {
        long kept = 0;
        if (clippable && mode == RiskContext.Mode.CLIP && allowedQty > 0)
        {
            kept = Math.min(qty, risk.instrument.floorToLot(allowedQty));
        }
        if (kept > 0)
        {
            clippedLevels.incrementRelease();
        }
        else
        {
            kept = 0;
            rejectedLevels.incrementRelease();
        }
        final AtomicCounter counter = levelCounters[reason.value()];
        if (counter != null)
        {
            counter.incrementRelease();
        }
        events.add(kept > 0 ? RiskEvents.Kind.CLIP : RiskEvents.Kind.REJECT, timeNs, eventSeq, reason,
            risk.instrument.id(), checkedValue, limitValue);
        rejectEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(eventSeq)
            .instrumentId(risk.instrument.id())
            .timeNs(timeNs)
            .intentSeq(intentSeq)
            .side(side)
            .price(price)
            .requestedQty(qty)
            .approvedQty(kept)
            .reason(reason)
            .checkedValue(checkedValue)
            .limitValue(limitValue);
        sender.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + RiskRejectEncoder.BLOCK_LENGTH);
        return kept;
    }

    private void refillRateTokens()
    {
        final long capacity = rateBurst * TOKEN;
        if (!rateStarted)
        {
            rateStarted = true;
            rateTokens = capacity;
            rateRefilledNs = nowNs;
            return;
        }
        final long elapsedNs = nowNs - rateRefilledNs;
        if (elapsedNs <= 0)
        {
            return;
        }
        rateRefilledNs = nowNs;
        // elapsed ns × tokens per second = tokens × 10^9; anything beyond a full refill is a full bucket
        rateTokens = elapsedNs >= rateFullAfterNs ? capacity : Math.min(capacity, rateTokens + elapsedNs * ratePerSecond);
    }

    /** Tokens left in the order-rate bucket (whole orders). */
    public long rateTokens()
    {
        return rateTokens / TOKEN;
    }

    /**
     * Checks an instrument's approved ladder again under the current state and limits (after entering
     * REDUCING or a tightened limit) and publishes a new ApprovedQuote when anything was removed or clipped.
     */
    private void reapprove(final InstrumentRisk risk)
    {
        if (risk.approvedCounts[0] == 0 && risk.approvedCounts[1] == 0)
        {
            return;
        }
        prepareFastPath(risk, 0);
        for (int side = 0; side < SIDES; side++)
        {
            final int n = risk.approvedCounts[side];
            for (int i = 0; i < n; i++)
            {
                final int at = InstrumentRisk.at(side, i);
                levelPrices[i] = risk.approvedLevels[at];
                levelQtys[i] = risk.approvedLevels[at + 1];
            }
            newCounts[side] = checkSide(risk, side == 0 ? Side.BUY : Side.SELL, n, side == 0 ? 0 : newCounts[0], 0,
                currentSeq, nowNs, risk.approvedIntentSeq);
        }
        boolean same = newCounts[0] == risk.approvedCounts[0] && newCounts[1] == risk.approvedCounts[1];
        for (int side = 0; side < SIDES && same; side++)
        {
            for (int i = 0; i < newCounts[side]; i++)
            {
                final int at = InstrumentRisk.at(side, i);
                if (risk.pendingLevels[at] != risk.approvedLevels[at] || risk.pendingLevels[at + 1] != risk.approvedLevels[at + 1])
                {
                    same = false;
                    break;
                }
            }
        }
        if (!same)
        {
            publishApproved(risk, currentSeq, nowNs, risk.approvedIntentSeq);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // executions

    /**
     * Books a fill (position, PnL, fees by the instrument's fee model), tracks open orders and venue rejects.
     *
     * @return false for an unknown instrument.
     */
    public boolean onExecution(final ExecutionReportDecoder report)
    {
        final InstrumentRisk risk = lookup(report.instrumentId());
        if (risk == null)
        {
            return false;
        }
        advance(report.timeNs());
        final long clOrdId = report.clOrdId();
        final boolean buy = report.side() == Side.BUY;
        switch (report.execType())
        {
            case NEW, REPLACED -> openOrders.onLive(clOrdId, risk.instrument.id(), buy, report.price(), report.leavesQty());
            case CANCELED, EXPIRED ->
            {
                openOrders.onDone(clOrdId);
                risk.feeModel.onOrderDone(clOrdId);
            }
            case REJECTED ->
            {
                venueRejects.add(nowNs);
                venueRejectsCounter.incrementRelease();
            }
            case TRADE -> onFill(risk, report, clOrdId, buy);
            default ->
            {
                // NULL_VAL: nothing to book
            }
        }
        if (!lockstep)
        {
            evaluate(); // in lockstep, at the next market-data event (see the class comment of RiskAgent)
        }
        return true;
    }

    private void onFill(final InstrumentRisk risk, final ExecutionReportDecoder report, final long clOrdId, final boolean buy)
    {
        final long price = report.lastPrice();
        final long qty = report.lastQty();
        final long notional = Decimals.multiplyExact(price, qty);
        if (price <= 0 || qty <= 0 || notional == Decimals.INVALID)
        {
            badExecutions.incrementRelease();
            return;
        }
        final long leaves = report.leavesQty();
        final long reportedFee = report.fee();
        final long fee = risk.feeModel.onFill(risk.instrument, clOrdId, buy, price, qty, notional,
            report.isMaker() == BooleanType.TRUE, leaves <= 0, reportedFee);
        final long realizedBefore = risk.keeper.realizedPnl();
        risk.keeper.onFill(buy ? qty : -qty, price, fee);
        final long realized = risk.keeper.realizedPnl() - realizedBefore;
        if (realized < 0)
        {
            consecutiveLosses++;
        }
        else if (realized > 0)
        {
            consecutiveLosses = 0;
        }
        risk.reportedFees += reportedFee;
        if (leaves > 0)
        {
            openOrders.onLive(clOrdId, risk.instrument.id(), buy, report.price(), leaves);
        }
        else
        {
            openOrders.onDone(clOrdId);
        }
        fills.add(nowNs, report.eventSeq(), risk.instrument.id(), clOrdId, buy, price, qty, fee, realized);
        fillsCounter.incrementRelease();
        watch(risk);
        refresh(risk);
    }

    /** Recomputes an instrument's account contributions (net PnL, position and worst-case notional) and the totals. */
    private void refresh(final InstrumentRisk risk)
    {
        final PositionKeeper keeper = risk.keeper;
        final long position = keeper.position();
        final long mark = keeper.markPrice() > 0 ? keeper.markPrice() : risk.bookMid;

        final long net = risk.toAccount(keeper.netPnl());
        totalNet += net - risk.netAccount;
        risk.netAccount = net;
        final long feesAccount = risk.toAccount(keeper.fees());
        totalFees += feesAccount - risk.feesAccount;
        risk.feesAccount = feesAccount;

        final long positionNotional = risk.toAccount(InstrumentRisk.notional(position, mark));
        grossPositionNotional += positionNotional - risk.positionNotionalAccount;
        risk.positionNotionalAccount = positionNotional;

        refreshWorstCase(risk);

        equity = capital + totalNet;
        if (equity > highWaterMark)
        {
            highWaterMark = equity;
        }
        risk.publishCounters();
        equityCounter.setRelease(equity);
    }

    /** The instrument's worst case (every same-side approved level filled) at the mark, into the gross total. */
    private void refreshWorstCase(final InstrumentRisk risk)
    {
        final long position = risk.keeper.position();
        final long mark = risk.keeper.markPrice() > 0 ? risk.keeper.markPrice() : risk.bookMid;
        final long worstLong = Math.abs(position + risk.approvedTotals[0]);
        final long worstShort = Math.abs(position - risk.approvedTotals[1]);
        final long worstQty = Math.max(worstLong, worstShort);
        if (worstQty == risk.worstCaseQtyMemo && mark == risk.worstCaseMarkMemo)
        {
            return; // quotes moved, sizes did not: the same worst case
        }
        risk.worstCaseQtyMemo = worstQty;
        risk.worstCaseMarkMemo = mark;
        final long worstCase = risk.toAccount(InstrumentRisk.notional(worstQty, mark));
        grossWorstCase += worstCase - risk.worstCaseNotionalAccount;
        risk.worstCaseNotionalAccount = worstCase;
    }

    private void watch(final InstrumentRisk risk)
    {
        if (!risk.watched && risk.exposed())
        {
            risk.watched = true;
            watched[watchedCount++] = risk;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // triggers and states

    private void evaluateTrading()
    {
        if (scanHaltTriggers(true))
        {
            halt(scanReason, scanValue, scanLimit, scanExponent, scanInstrument, false, null, 0, 0);
            return;
        }
        final boolean reduceTriggered = scanReduceTriggers();
        if (state == TradingState.ACTIVE && reduceTriggered)
        {
            toReducing(scanReason, scanValue, scanLimit, scanExponent);
        }
        else if (state == TradingState.REDUCING && !operatorHold && !reduceTriggered &&
            nowNs - stateSinceNs >= coolOffMs * NANOS_PER_MS)
        {
            changeState(TradingState.ACTIVE, RiskReason.NONE, text.clear().append("REDUCING ended: ")
                .append(stateReason.name()).append(" cleared"));
        }
    }

    /**
     * Looks for a trigger that halts, in a fixed order; sets scanReason and friends to the first found.
     *
     * @param warn also count and record warnings at warnPercent of each limit (and at the margin warn level).
     */
    private boolean scanHaltTriggers(final boolean warn)
    {
        scanReason = RiskReason.NONE;
        scanInstrument = null;
        // position runaway: beyond k × the configured (not the reduced) max position
        InstrumentRisk worst = null;
        long worstBps = -1;
        for (int i = 0; i < watchedCount; i++)
        {
            final InstrumentRisk risk = watched[i];
            final long limit = runawayLimit(risk);
            if (runawayFactor > 0 && limit > 0)
            {
                final long bps = FixedPoint.multiplyDivide(Math.abs(risk.keeper.position()), BPS, limit, FixedPoint.Rounding.FLOOR);
                if (bps > worstBps)
                {
                    worstBps = bps;
                    worst = risk;
                }
            }
        }
        if (worst != null && check(warn, RiskReason.POSITION_RUNAWAY, Math.abs(worst.keeper.position()),
            runawayLimit(worst), worst.instrument.qtyExponent(), worst))
        {
            return true;
        }
        if (check(warn, RiskReason.DAILY_LOSS, dayStartEquity - equity, maxDailyLoss, RiskContext.ACCOUNT_EXPONENT, null))
        {
            return true;
        }
        if (warn && check(true, RiskReason.DRAWDOWN, highWaterMark - equity, maxDrawdown, RiskContext.ACCOUNT_EXPONENT, null))
        {
            return true; // not a re-entry condition: the peak restarts at re-entry
        }
        final long marginBps = marginUtilisationBps();
        if (marginKillPercent > 0 && marginBps > marginKillPercent * 100)
        {
            return fire(RiskReason.MARGIN, marginBps, marginKillPercent * 100, -2, null);
        }
        if (check(warn, RiskReason.REJECT_STORM, venueRejects.countSince(nowNs - rejectStormWindowMs * NANOS_PER_MS),
            rejectStormMaxRejects, 0, null))
        {
            return true;
        }
        if (check(warn, RiskReason.ORDER_RATE_BREACH, rateRejects.countSince(nowNs - rateBreachWindowMs * NANOS_PER_MS),
            rateBreachMaxRejects, 0, null))
        {
            return true;
        }
        // stale market data and long resyncs: instruments with a position or working quotes
        worst = null;
        long worstAgeMs = -1;
        long worstResyncMs = -1;
        InstrumentRisk worstResync = null;
        for (int i = 0; i < watchedCount; i++)
        {
            final InstrumentRisk risk = watched[i];
            if (!risk.exposed())
            {
                continue;
            }
            if (risk.seenMarketData)
            {
                final long ageMs = (nowNs - risk.lastMarketDataNs) / NANOS_PER_MS;
                if (ageMs > worstAgeMs)
                {
                    worstAgeMs = ageMs;
                    worst = risk;
                }
            }
            if (risk.notSyncedSinceNs > 0)
            {
                final long resyncMs = (nowNs - risk.notSyncedSinceNs) / NANOS_PER_MS;
                if (resyncMs > worstResyncMs)
                {
                    worstResyncMs = resyncMs;
                    worstResync = risk;
                }
            }
        }
        if (worst != null && check(warn, RiskReason.STALE_MARKET_DATA, worstAgeMs, staleMarketDataMs, 0, worst))
        {
            return true;
        }
        if (warn && worst == null)
        {
            warned[RiskReason.STALE_MARKET_DATA.value()] = false;
        }
        if (worstResync != null && check(warn, RiskReason.FEED_RESYNCING, worstResyncMs, maxResyncMs, 0, worstResync))
        {
            return true;
        }
        if (warn && worstResync == null)
        {
            warned[RiskReason.FEED_RESYNCING.value()] = false;
        }
        return false;
    }

    private boolean scanReduceTriggers()
    {
        scanReason = RiskReason.NONE;
        if (check(true, RiskReason.CONSECUTIVE_LOSSES, consecutiveLosses, maxConsecutiveLosses, 0, null))
        {
            return true;
        }
        final long marginBps = marginUtilisationBps();
        if (marginWarnPercent > 0)
        {
            final boolean above = marginBps > marginWarnPercent * 100;
            warning(RiskReason.MARGIN, above, marginBps, marginWarnPercent * 100);
        }
        if (marginReducePercent > 0 && marginBps > marginReducePercent * 100)
        {
            return fire(RiskReason.MARGIN, marginBps, marginReducePercent * 100, -2, null);
        }
        return false;
    }

    /**
     * A limit check with its warning: fires (returns true) when {@code value > limit}, warns once when it
     * reaches warnPercent of the limit. A limit of 0 is off.
     */
    private boolean check(
        final boolean warn, final RiskReason reason, final long value, final long limit, final int exponent,
        final InstrumentRisk instrument)
    {
        if (limit <= 0)
        {
            return false;
        }
        if (warn)
        {
            final long threshold = FixedPoint.multiplyDivide(limit, warnPercent, 100, FixedPoint.Rounding.CEILING);
            warning(reason, value >= threshold, value, limit);
        }
        if (value > limit)
        {
            return fire(reason, value, limit, exponent, instrument);
        }
        return false;
    }

    private boolean fire(final RiskReason reason, final long value, final long limit, final int exponent,
        final InstrumentRisk instrument)
    {
        scanReason = reason;
        scanValue = value;
        scanLimit = limit;
        scanExponent = exponent;
        scanInstrument = instrument;
        return true;
    }

    private void warning(final RiskReason reason, final boolean above, final long value, final long limit)
    {
        final int index = reason.value();
        if (above && !warned[index])
        {
            warned[index] = true;
            final AtomicCounter counter = warningCounters[index];
            if (counter != null)
            {
                counter.incrementRelease();
            }
            events.add(RiskEvents.Kind.WARNING, nowNs, currentSeq, reason, 0, value, limit);
        }
        else if (!above)
        {
            warned[index] = false;
        }
    }

    private long runawayLimit(final InstrumentRisk risk)
    {
        return FixedPoint.multiplyDivide(risk.maxPosition, runawayFactor, 100, FixedPoint.Rounding.FLOOR);
    }

    /** Margin required over equity, in basis points (percent × 100); Long.MAX_VALUE when equity is not positive. */
    long marginUtilisationBps()
    {
        if (grossPositionNotional == 0)
        {
            return 0;
        }
        if (equity <= 0)
        {
            return Long.MAX_VALUE;
        }
        final long required = FixedPoint.multiplyDivide(grossPositionNotional, marginRate, 1_000_000,
            FixedPoint.Rounding.CEILING);
        final long bps = FixedPoint.multiplyDivide(required, BPS, equity, FixedPoint.Rounding.CEILING);
        return bps == Decimals.INVALID ? Long.MAX_VALUE : bps;
    }

    private void rollDay()
    {
        if (nowNs <= 0)
        {
            return;
        }
        final long day = Math.floorDiv(nowNs - dayStartOffsetNs, RiskContext.DAY_MS * NANOS_PER_MS);
        if (day == dayIndex)
        {
            return;
        }
        final boolean first = dayIndex == Long.MIN_VALUE;
        dayIndex = day;
        if (!first)
        {
            killsToday = 0;
            dayStartEquity = equity;
            if (limitPercent < 100 && reducedUntilNs == 0)
            {
                limitPercent = 100;
                rescale();
            }
        }
    }

    private long dayEndNs()
    {
        return (dayIndex + 1) * RiskContext.DAY_MS * NANOS_PER_MS + dayStartOffsetNs;
    }

    /**
     * Halts trading: HALTED, or MANUAL when this is the day's killsBeforeManual-th kill (or {@code manual}).
     * Cancels everything, publishes the state change and writes a post-mortem.
     */
    private void halt(
        final RiskReason reason,
        final long value,
        final long limit,
        final int exponent,
        final InstrumentRisk instrument,
        final boolean manual,
        final DirectBuffer note,
        final int noteOffset,
        final int noteLength)
    {
        final TradingState before = state;
        killsToday++;
        final boolean escalated = !manual && killsToday >= killsBeforeManual;
        final TradingState target = manual || escalated ? TradingState.MANUAL : TradingState.HALTED;
        haltedAtNs = nowNs;
        haltedDayIndex = dayIndex;
        operatorHold = target == TradingState.MANUAL;
        final AtomicCounter counter = triggerCounters[reason.value()];
        if (counter != null)
        {
            counter.incrementRelease();
        }
        events.add(RiskEvents.Kind.TRIGGER, nowNs, currentSeq, reason, instrument == null ? 0 : instrument.instrument.id(),
            value, limit);
        cancelAll(0, reason);
        for (final InstrumentRisk risk : instruments)
        {
            risk.approvedCountsBeforeHalt[0] = risk.approvedCounts[0];
            risk.approvedCountsBeforeHalt[1] = risk.approvedCounts[1];
            if (risk.approvedCounts[0] != 0 || risk.approvedCounts[1] != 0)
            {
                risk.clearApproved();
                refreshWorstCase(risk);
            }
        }
        text.clear().append(reason.name());
        if (instrument != null)
        {
            text.append(" ").append(instrument.instrument.symbol());
        }
        if (limit != 0 || value != 0)
        {
            text.append(" value=").appendDecimal(value, exponent).append(" limit=").appendDecimal(limit, exponent);
        }
        if (note != null && noteLength > 0)
        {
            text.append(" ").append(note, noteOffset, noteLength);
        }
        if (escalated)
        {
            text.append(" (kill ").append(killsToday).append(" today: manual)");
        }
        changeState(target, reason, text);
        writePostMortem(before, reason, value, limit, exponent, instrument);
    }

    private void toReducing(final RiskReason reason, final long value, final long limit, final int exponent)
    {
        final AtomicCounter counter = triggerCounters[reason.value()];
        if (counter != null)
        {
            counter.incrementRelease();
        }
        events.add(RiskEvents.Kind.TRIGGER, nowNs, currentSeq, reason, 0, value, limit);
        if (reason == RiskReason.CONSECUTIVE_LOSSES)
        {
            consecutiveLosses = 0; // the streak is answered; REDUCING lasts the cool-off
        }
        changeState(TradingState.REDUCING, reason, text.clear().append(reason.name()).append(" value=")
            .appendDecimal(value, exponent).append(" limit=").appendDecimal(limit, exponent));
        for (int i = 0; i < watchedCount; i++)
        {
            reapprove(watched[i]);
        }
    }

    /** After the cool-off, with no halting condition left: ACTIVE with limits at reentryLimitPercent. */
    private void reenter()
    {
        limitPercent = reentryLimitPercent;
        reducedUntilNs = reentryReducedMs > 0 ? nowNs + reentryReducedMs * NANOS_PER_MS : 0;
        rescale();
        highWaterMark = equity;
        venueRejects.clear();
        rateRejects.clear();
        reentries.incrementRelease();
        text.clear().append("REENTRY after ").append(stateReason.name()).append(": limits at ").append(limitPercent)
            .append("% ");
        if (reducedUntilNs > 0)
        {
            text.append("for ").append(reentryReducedMs).append(" ms");
        }
        else
        {
            text.append("until the trading day ends");
        }
        changeState(TradingState.ACTIVE, RiskReason.REENTRY, text);
    }

    private void changeState(final TradingState target, final RiskReason reason, final AsciiText reasonText)
    {
        state = target;
        stateReason = reason;
        stateSinceNs = nowNs;
        stateCounter.setRelease(target.value());
        events.add(RiskEvents.Kind.STATE, nowNs, currentSeq, reason, 0, target.value(), 0);
        final TradingStateChangeEncoder encoder = stateEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(currentSeq)
            .timeNs(nowNs)
            .state(target)
            .putReason(reasonText.buffer, 0, reasonText.length());
        sender.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private void cancelAll(final int instrumentId, final RiskReason reason)
    {
        cancelAllEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(currentSeq)
            .instrumentId(instrumentId)
            .timeNs(nowNs)
            .reason(reason);
        sender.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + CancelAllEncoder.BLOCK_LENGTH);
    }

    // ------------------------------------------------------------------------------------------------------------
    // operator controls

    /**
     * The kill switch (CONTROL Kill). Instrument 0: every instrument, the state goes to MANUAL (only an operator
     * resumes after an operator's kill). Another id: only that instrument is cancelled and blocked until an
     * operator sets ACTIVE.
     *
     * @return false for an unknown instrument id.
     */
    public boolean onKill(final long timeNs, final int instrumentId, final DirectBuffer reason, final int offset, final int length)
    {
        advance(timeNs);
        if (instrumentId != 0)
        {
            final InstrumentRisk risk = byId.get(instrumentId);
            if (risk == null)
            {
                return false;
            }
            risk.killed = true;
            triggerCounters[RiskReason.KILL_SWITCH.value()].incrementRelease();
            events.add(RiskEvents.Kind.TRIGGER, nowNs, currentSeq, RiskReason.KILL_SWITCH, instrumentId, 0, 0);
            cancelAll(instrumentId, RiskReason.KILL_SWITCH);
            risk.clearApproved();
            refreshWorstCase(risk);
            return true;
        }
        if (state != TradingState.MANUAL)
        {
            halt(RiskReason.KILL_SWITCH, 0, 0, 0, null, true, reason, offset, length);
        }
        return true;
    }

    /** An operator's TradingStateChange on CONTROL. */
    public void onOperatorState(final long timeNs, final TradingState target, final DirectBuffer reason, final int offset,
        final int length)
    {
        advance(timeNs);
        if (target == null || target == TradingState.NULL_VAL)
        {
            return;
        }
        switch (target)
        {
            case ACTIVE ->
            {
                for (final InstrumentRisk risk : instruments)
                {
                    risk.killed = false;
                }
                if (state == TradingState.ACTIVE)
                {
                    return;
                }
                final boolean fromHalt = state == TradingState.HALTED || state == TradingState.MANUAL;
                operatorHold = false;
                if (fromHalt)
                {
                    limitPercent = reentryLimitPercent;
                    reducedUntilNs = reentryReducedMs > 0 ? nowNs + reentryReducedMs * NANOS_PER_MS : 0;
                    rescale();
                    highWaterMark = equity;
                    venueRejects.clear();
                    rateRejects.clear();
                    reentries.incrementRelease();
                }
                triggerCounters[RiskReason.OPERATOR.value()].incrementRelease();
                changeState(TradingState.ACTIVE, RiskReason.OPERATOR, operatorText(fromHalt, reason, offset, length));
            }
            case REDUCING ->
            {
                if (state == TradingState.REDUCING && operatorHold)
                {
                    return;
                }
                operatorHold = true;
                triggerCounters[RiskReason.OPERATOR.value()].incrementRelease();
                events.add(RiskEvents.Kind.TRIGGER, nowNs, currentSeq, RiskReason.OPERATOR, 0, 0, 0);
                changeState(TradingState.REDUCING, RiskReason.OPERATOR, operatorText(false, reason, offset, length));
                for (int i = 0; i < watchedCount; i++)
                {
                    reapprove(watched[i]);
                }
            }
            case HALTED, MANUAL ->
            {
                if (state == target)
                {
                    return;
                }
                halt(RiskReason.OPERATOR, 0, 0, 0, null, target == TradingState.MANUAL, reason, offset, length);
            }
            default ->
            {
                // NULL_VAL handled above
            }
        }
    }

    private AsciiText operatorText(final boolean reentry, final DirectBuffer reason, final int offset, final int length)
    {
        text.clear().append("OPERATOR");
        if (length > 0)
        {
            text.append(" ").append(reason, offset, length);
        }
        if (reentry)
        {
            text.append(" (limits at ").append(limitPercent).append("%)");
        }
        return text;
    }

    /**
     * A runtime parameter change. Keys outside {@code risk.} are not ours and are ignored (returns false);
     * others are checked by the same rules as the config file and answered with a ParameterChangeResult.
     */
    public boolean onParameterChange(final long timeNs, final String key, final String value)
    {
        advance(timeNs);
        if (!key.startsWith("risk."))
        {
            return false;
        }
        String rule = null;
        RiskContext candidate = null;
        if (!RiskContext.isRuntimeKey(key))
        {
            rule = RiskContext.PARAMS.containsKey(key) ? "cannot be changed while running" :
                "is not a known key (see docs/config.md)";
        }
        else
        {
            try
            {
                candidate = context.copy().set(key, value).conclude();
            }
            catch (final ConfigException ex)
            {
                rule = ex.rule();
            }
        }
        if (candidate != null)
        {
            context = candidate;
            applySettings(candidate);
            parameterChanges.incrementRelease();
            for (int i = 0; i < watchedCount; i++)
            {
                reapprove(watched[i]);
            }
        }
        events.add(RiskEvents.Kind.PARAMETER, nowNs, currentSeq, RiskReason.NONE, 0, candidate != null ? 1 : 0, 0);
        final ParameterChangeResultEncoder encoder = parameterResultEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(currentSeq)
            .timeNs(nowNs)
            .agentId(AGENT_ID)
            .accepted(candidate != null ? BooleanType.TRUE : BooleanType.FALSE)
            .key(key)
            .value(value)
            .reason(rule == null ? "" : rule);
        sender.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        if (!lockstep)
        {
            evaluate();
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------------------
    // post-mortem

    private void writePostMortem(
        final TradingState before, final RiskReason reason, final long value, final long limit, final int exponent,
        final InstrumentRisk instrument)
    {
        postMortemCount++;
        postMortems.incrementRelease();
        if (postMortemSink == null)
        {
            return;
        }
        final String json = PostMortem.json(this, before, reason, value, limit, exponent, instrument);
        final String fileName = "post-mortem-" + postMortemCount + "-seq" + currentSeq + "-" +
            reason.name().toLowerCase().replace('_', '-') + ".json";
        postMortemSink.write(context.postMortemDir(), fileName, json);
    }

    // ------------------------------------------------------------------------------------------------------------
    // views for the agent, tests and the post-mortem

    public TradingState tradingState()
    {
        return state;
    }

    public PositionKeeper position(final int instrumentId)
    {
        return byId.get(instrumentId).keeper;
    }

    public long equity()
    {
        return equity;
    }

    public long highWaterMark()
    {
        return highWaterMark;
    }

    public long limitPercent()
    {
        return limitPercent;
    }

    public long killsToday()
    {
        return killsToday;
    }

    public long consecutiveLosses()
    {
        return consecutiveLosses;
    }

    public long nowNs()
    {
        return nowNs;
    }

    public long totalNetPnl()
    {
        return totalNet;
    }

    public long grossWorstCase()
    {
        return grossWorstCase;
    }

    InstrumentRisk instrument(final int instrumentId)
    {
        return byId.get(instrumentId);
    }

    List<InstrumentRisk> reportedInstruments()
    {
        final List<InstrumentRisk> list = new ArrayList<>();
        for (int i = 0; i < watchedCount; i++)
        {
            list.add(watched[i]);
        }
        return list;
    }

    private InstrumentRisk lookup(final int instrumentId)
    {
        if (byIdArray != null)
        {
            return instrumentId >= 0 && instrumentId < byIdArray.length ? byIdArray[instrumentId] : null;
        }
        return byId.get(instrumentId);
    }

    private static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
