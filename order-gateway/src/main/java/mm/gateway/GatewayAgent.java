package mm.gateway;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.aeron.Inbox;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.agent.EngineCounters;
import mm.gateway.venue.ClientOrderIds;
import mm.gateway.venue.LimitKind;
import mm.gateway.venue.OrderEntry;
import mm.gateway.venue.OrderStatus;
import mm.gateway.venue.SubmitResult;
import mm.gateway.venue.TokenBucket;
import mm.gateway.venue.VenueListener;
import mm.gateway.venue.VenueRequest;
import mm.gateway.venue.VenueThrottle;
import mm.sbe.ApprovedQuoteDecoder;
import mm.sbe.BooleanType;
import mm.sbe.BookTopNDecoder;
import mm.sbe.CancelAllDecoder;
import mm.sbe.EndOfDataDecoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportEncoder;
import mm.sbe.HeartbeatDecoder;
import mm.sbe.KillDecoder;
import mm.sbe.MarkPriceDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.OrderActionEncoder;
import mm.sbe.OrderActionType;
import mm.sbe.ParameterChangeResultDecoder;
import mm.sbe.RiskRejectDecoder;
import mm.sbe.Side;
import mm.sbe.StepEndDecoder;
import mm.sbe.StepEndEncoder;
import mm.sbe.TradeDecoder;
import mm.sbe.TradingStateChangeDecoder;
import mm.sbe.VenueRejectReason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The order gateway: diffs each approved desired state against working orders into the fewest venue actions
 * (keep, amend a smaller quantity in place, cancel-replace a moved level, new, cancel), at most one request in
 * flight per level; journals every action on ORDER_ACTIONS and publishes the venue's answers on EXECUTIONS.
 * It drives one {@link OrderEntry} whatever the venue: the deterministic {@link SimVenue}, Binance, or in
 * observe-only a shadow {@link SimVenue} whose would-be executions are marked {@code shadow} (actions are
 * journaled with {@code sent=FALSE}; no order session exists).
 * <p>
 * Order state per level slot ({@link WorkingOrders}): answers are matched by client order id; duplicates are
 * ignored (a fill counts only if the cumulative quantity grows); a request unanswered for
 * {@code gateway.requestTimeoutMs} of input time, a lost order or a (re)connect trigger a reconcile against the
 * venue's open orders, which settles every slot and reports each difference. No order is forgotten: a slot is
 * freed only by a terminal answer or by a reconcile that no longer finds the order.
 * <p>
 * In lockstep, per step k: market data k (the sim venue applies what is due and matches it first: our reaction
 * to k reaches the venue after k), then the commands of k; the step ends with a StepEnd on EXECUTIONS. The sim
 * venue's time is input time; only a live venue's transport reads a clock.
 */
public final class GatewayAgent implements BoundedAgent, Inbox.Handler, VenueListener
{
    public static final int AGENT_ID = 3;
    private static final int MARKET_DATA = 0;
    private static final int ORDER_COMMANDS = 1;
    private static final int CONTROL = 2;
    private static final int FRAGMENT_LIMIT = 16;
    private static final int MAX_PUMP_ROUNDS = 64;
    private static final long NO_LOCATION = -1;

    private final boolean lockstep;
    private final boolean postOnly;
    private final boolean shadow;
    private final boolean liveVenue;
    private final int session;
    private final long requestTimeoutNs;
    private final GatewayContext.UnknownOrders unknownOrders;
    private final OrderEntry entry;
    private final SimVenue sim;
    private final EpochNanoClock clock;
    private final Inbox inbox;
    private final Outbox actions;
    private final Outbox executions;
    private final Int2ObjectHashMap<WorkingOrders> byInstrument = new Int2ObjectHashMap<>();
    private final WorkingOrders[] instruments;
    /** clOrdId to (instrument index, side, slot, replacement flag) packed in a long. */
    private final Long2LongHashMap orderLocation;

    private final BookTopNDecoder bookDecoder = new BookTopNDecoder();
    private final TradeDecoder tradeDecoder = new TradeDecoder();
    private final MarkPriceDecoder markPriceDecoder = new MarkPriceDecoder();
    private final ApprovedQuoteDecoder approvedDecoder = new ApprovedQuoteDecoder();
    private final CancelAllDecoder cancelAllDecoder = new CancelAllDecoder();
    private final StepEndDecoder stepEndDecoder = new StepEndDecoder();
    private final KillDecoder killDecoder = new KillDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OrderActionEncoder actionEncoder = new OrderActionEncoder();
    private final ExecutionReportEncoder executionEncoder = new ExecutionReportEncoder();
    private final StepEndEncoder stepEndEncoder = new StepEndEncoder();
    // fixed-length messages only: a plain buffer, no capacity check on every field write
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(512));

    private long nextClOrdId = 1;
    /** Client order ids start from the first input's time (see ClientOrderIds.sessionBase); set once. */
    private boolean clOrdIdBaseSet;
    private long lastMdSeq;
    private long commandsStepEnd;
    private long endOfDataSeq;
    private long currentEventSeq;
    private long inputTimeNs;
    private boolean connectRequested;
    private boolean sessionUp;
    private boolean reconcileWanted;
    private boolean reconciling;
    /** Some slot has a status query to send (after a reconcile did not find its order open). */
    private boolean statusQueriesWanted;

    private final AtomicCounter actionsCounter;
    private final AtomicCounter newCounter;
    private final AtomicCounter cancelCounter;
    private final AtomicCounter replaceCounter;
    private final AtomicCounter amendCounter;
    private final AtomicCounter fillsCounter;
    private final AtomicCounter rejectsCounter;
    private final AtomicCounter workingOrdersCounter;
    private final AtomicCounter unknownMessages;
    private final AtomicCounter throttledCounter;
    private final AtomicCounter skippedStatesCounter;
    private final AtomicCounter ordersBudgetCounter;
    private final AtomicCounter weightBudgetCounter;
    private final AtomicCounter timeoutsCounter;
    private final AtomicCounter reconcilesCounter;
    private final AtomicCounter reconcileDifferencesCounter;
    private final AtomicCounter duplicatesCounter;
    private final AtomicCounter staleAnswersCounter;
    private final AtomicCounter sessionDownCounter;
    private final AtomicCounter statusQueriesCounter;
    private final AtomicCounter invalidCounter;

    public GatewayAgent(final GatewayContext context, final Aeron aeron, final Streams streams, final boolean journalInbox)
    {
        this.lockstep = context.lockstep();
        this.postOnly = context.postOnly();
        this.shadow = context.venue() == GatewayContext.VenueKind.OBSERVE_ONLY;
        this.liveVenue = context.venue().isLive();
        this.session = context.session();
        this.requestTimeoutNs = context.requestTimeoutMs() * 1_000_000L;
        this.unknownOrders = context.unknownOrders();
        this.entry = context.newOrderEntry(this);
        this.sim = entry instanceof SimVenue simVenue ? simVenue : null;
        this.clock = liveVenue ? new SystemEpochNanoClock() : null;
        int index = 0;
        instruments = new WorkingOrders[context.registry().all().size()];
        // sized for every order the slots can hold at once (an order and a replacement per level and side), so
        // it never rehashes, which would allocate, in steady state
        orderLocation = new Long2LongHashMap(
            Math.max(8, instruments.length * 2 * Ladder.MAX_LEVELS * 2 * 2), Hashing.DEFAULT_LOAD_FACTOR, NO_LOCATION);
        for (final Instrument instrument : context.registry().all())
        {
            final WorkingOrders orders = new WorkingOrders(instrument, index);
            instruments[index++] = orders;
            byInstrument.put(instrument.id(), orders);
        }
        final io.aeron.ExclusivePublication actionsPublication =
            aeron.addExclusivePublication(streams.publicationChannel(streams.orderActions()), streams.orderActions());
        this.actions = context.actionsRecorded() ?
            new Outbox(actionsPublication) : Outbox.droppingWhenUnsubscribed(actionsPublication);
        this.executions = new Outbox(
            aeron.addExclusivePublication(streams.publicationChannel(streams.executions()), streams.executions()));
        final Outbox tee = journalInbox ?
            new Outbox(aeron.addExclusivePublication(
                streams.publicationChannel(streams.gatewayInbox()), streams.gatewayInbox())) : null;
        unknownMessages = EngineCounters.add(aeron, roleName(), "unknown messages skipped");
        this.inbox = new Inbox(this, unknownMessages, AGENT_ID, tee, actions, executions);
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.marketData()), streams.marketData()));
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.orderCommands()), streams.orderCommands()));
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.control()), streams.control()));
        actionsCounter = EngineCounters.add(aeron, roleName(), "venue actions");
        newCounter = EngineCounters.add(aeron, roleName(), "new orders");
        cancelCounter = EngineCounters.add(aeron, roleName(), "cancels");
        replaceCounter = EngineCounters.add(aeron, roleName(), "cancel-replaces");
        amendCounter = EngineCounters.add(aeron, roleName(), "amends");
        fillsCounter = EngineCounters.add(aeron, roleName(), "fills");
        rejectsCounter = EngineCounters.add(aeron, roleName(), "venue rejects");
        workingOrdersCounter = EngineCounters.add(aeron, roleName(), "working orders");
        throttledCounter = EngineCounters.add(aeron, roleName(), "requests throttled");
        skippedStatesCounter = EngineCounters.add(aeron, roleName(), "desired states skipped");
        ordersBudgetCounter = EngineCounters.add(aeron, roleName(), "throttle orders budget");
        weightBudgetCounter = EngineCounters.add(aeron, roleName(), "throttle weight budget");
        timeoutsCounter = EngineCounters.add(aeron, roleName(), "request timeouts");
        reconcilesCounter = EngineCounters.add(aeron, roleName(), "reconciles");
        reconcileDifferencesCounter = EngineCounters.add(aeron, roleName(), "reconcile differences");
        duplicatesCounter = EngineCounters.add(aeron, roleName(), "duplicate venue messages ignored");
        staleAnswersCounter = EngineCounters.add(aeron, roleName(), "answers for unknown orders");
        sessionDownCounter = EngineCounters.add(aeron, roleName(), "order sessions lost");
        statusQueriesCounter = EngineCounters.add(aeron, roleName(), "order status queries");
        invalidCounter = EngineCounters.add(aeron, roleName(), "orders the venue cannot take");
    }

    /** The agent's one ordered inbox; a replay hands it the journaled records directly. */
    public Inbox inbox()
    {
        return inbox;
    }

    public int doWork()
    {
        int work = inbox.poll(FRAGMENT_LIMIT);
        if (liveVenue)
        {
            // a live venue answers on its own time: poll it even when no input arrives
            work += pump();
        }
        return work;
    }

    public String roleName()
    {
        return "gateway";
    }

    public boolean isDone()
    {
        return endOfDataSeq > 0 && (!lockstep || commandsStepEnd >= endOfDataSeq) &&
            inbox.isFlushed();
    }

    public long inputTimeNs()
    {
        return inputTimeNs;
    }

    /** The eventSeq of the last input consumed (tests). */
    long lastEventSeq()
    {
        return currentEventSeq;
    }

    /** The venue the gateway drives (tests). */
    OrderEntry orderEntry()
    {
        return entry;
    }

    public boolean canConsume(final int input, final long eventSeq)
    {
        if (!lockstep)
        {
            return true;
        }
        if (input == MARKET_DATA)
        {
            return lastMdSeq == 0 || commandsStepEnd >= lastMdSeq;
        }
        return eventSeq <= lastMdSeq;
    }

    public void onMessage(
        final int input,
        final int templateId,
        final long eventSeq,
        final DirectBuffer buffer,
        final int offset,
        final int blockLength,
        final int version)
    {
        currentEventSeq = eventSeq;
        switch (input)
        {
            case MARKET_DATA -> onMarketData(templateId, buffer, offset, blockLength, version);
            case ORDER_COMMANDS -> onCommand(templateId, buffer, offset, blockLength, version);
            case CONTROL -> onControl(templateId, buffer, offset, blockLength, version);
            default -> unknownMessages.incrementRelease();
        }
    }

    private void advanceTime(final long timeNs)
    {
        if (timeNs > inputTimeNs)
        {
            inputTimeNs = timeNs;
            if (!clOrdIdBaseSet)
            {
                // ids unique across runs and sessions, from an input: a replay makes the same ones
                clOrdIdBaseSet = true;
                nextClOrdId = Math.max(nextClOrdId, ClientOrderIds.sessionBase(timeNs, session));
            }
        }
    }

    private void onMarketData(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        lastMdSeq = currentEventSeq;
        switch (templateId)
        {
            case BookTopNDecoder.TEMPLATE_ID ->
            {
                bookDecoder.wrap(buffer, offset, blockLength, version);
                advanceTime(bookDecoder.receiveTimeNs());
                pump();
                if (sim != null)
                {
                    sim.onBook(bookDecoder);
                }
            }
            case TradeDecoder.TEMPLATE_ID ->
            {
                tradeDecoder.wrap(buffer, offset, blockLength, version);
                advanceTime(tradeDecoder.receiveTimeNs());
                pump();
                if (sim != null)
                {
                    sim.onTrade(tradeDecoder.instrumentId(), tradeDecoder.tradeId(), tradeDecoder.price(),
                        tradeDecoder.qty(), inputTimeNs);
                }
            }
            case MarkPriceDecoder.TEMPLATE_ID ->
            {
                markPriceDecoder.wrap(buffer, offset, blockLength, version);
                advanceTime(markPriceDecoder.receiveTimeNs());
            }
            case EndOfDataDecoder.TEMPLATE_ID -> endOfDataSeq = currentEventSeq;
            default ->
            {
                // feed status and other market data do not concern the venue
            }
        }
        pump();
    }

    private void onCommand(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        switch (templateId)
        {
            case ApprovedQuoteDecoder.TEMPLATE_ID ->
            {
                approvedDecoder.wrap(buffer, offset, blockLength, version);
                final WorkingOrders orders = byInstrument.get(approvedDecoder.instrumentId());
                if (orders == null)
                {
                    unknownMessages.incrementRelease();
                    return;
                }
                // the new desired state first: answers due now then apply it, not the one it replaces (coalescing)
                advanceTime(approvedDecoder.timeNs());
                final Ladder desired = orders.desired;
                desired.clear();
                final ApprovedQuoteDecoder.BidsDecoder bids = approvedDecoder.bids();
                while (bids.hasNext())
                {
                    bids.next();
                    desired.addBid(bids.price(), bids.qty());
                }
                final ApprovedQuoteDecoder.AsksDecoder asks = approvedDecoder.asks();
                while (asks.hasNext())
                {
                    asks.next();
                    desired.addAsk(asks.price(), asks.qty());
                }
                setDesired(orders, postOnly || approvedDecoder.postOnly() == BooleanType.TRUE);
                pump();
            }
            case CancelAllDecoder.TEMPLATE_ID ->
            {
                cancelAllDecoder.wrap(buffer, offset, blockLength, version);
                advanceTime(cancelAllDecoder.timeNs());
                cancelAll(cancelAllDecoder.instrumentId());
            }
            case StepEndDecoder.TEMPLATE_ID ->
            {
                stepEndDecoder.wrap(buffer, offset, blockLength, version);
                commandsStepEnd = stepEndDecoder.eventSeq();
                stepEndEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                    .eventSeq(commandsStepEnd)
                    .timeNs(stepEndDecoder.timeNs());
                executions.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + StepEndEncoder.BLOCK_LENGTH);
            }
            case RiskRejectDecoder.TEMPLATE_ID, TradingStateChangeDecoder.TEMPLATE_ID, ParameterChangeResultDecoder.TEMPLATE_ID ->
            {
                // journaled for the record: the approved desired state already leaves a rejected level out, a halt
                // comes with its own CancelAll, and the state and parameter answers are for the quoting agent
            }
            default -> unknownMessages.incrementRelease();
        }
    }

    private void onControl(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (templateId == KillDecoder.TEMPLATE_ID)
        {
            killDecoder.wrap(buffer, offset, blockLength, version);
            advanceTime(killDecoder.timeNs());
            cancelAll(killDecoder.instrumentId());
        }
        else if (templateId == HeartbeatDecoder.TEMPLATE_ID)
        {
            heartbeatDecoder.wrap(buffer, offset, blockLength, version);
            advanceTime(heartbeatDecoder.timeNs());
            pump();
        }
    }

    private void cancelAll(final int instrumentId)
    {
        for (final WorkingOrders orders : instruments)
        {
            if (instrumentId == 0 || orders.instrument.id() == instrumentId)
            {
                orders.desired.clear();
                setDesired(orders, orders.postOnly);
            }
        }
        pump();
    }

    private void setDesired(final WorkingOrders orders, final boolean postOnlyOrders)
    {
        if (orders.dirty)
        {
            skippedStatesCounter.incrementRelease(); // the previous desired state never fully reached the venue
        }
        orders.desiredEventSeq = currentEventSeq;
        orders.desiredTimeNs = inputTimeNs;
        orders.postOnly = postOnlyOrders;
        orders.dirty = true;
    }

    // ------------------------------------------------------------------------------------------- the venue loop

    private long venueNowNs()
    {
        return liveVenue ? clock.nanoTime() : inputTimeNs;
    }

    /**
     * Lets the venue act up to now (the sim applies due requests and delivers due answers), checks timeouts,
     * starts a pending reconcile and applies desired states, until nothing more happens.
     */
    private int pump()
    {
        final long nowNs = venueNowNs();
        if (!connectRequested)
        {
            connectRequested = true;
            entry.connect(nowNs);
        }
        int total = 0;
        for (int round = 0; round < MAX_PUMP_ROUNDS; round++)
        {
            int work = entry.doWork(nowNs);
            if (sessionUp)
            {
                checkTimeouts(nowNs);
                if (reconcileWanted && !reconciling)
                {
                    work += startReconcile(nowNs);
                }
                if (statusQueriesWanted && !reconciling)
                {
                    work += sendStatusQueries(nowNs);
                }
                if (!reconciling)
                {
                    for (final WorkingOrders orders : instruments)
                    {
                        if (orders.dirty)
                        {
                            work += applyDesired(orders, nowNs);
                        }
                    }
                }
            }
            total += work;
            if (work == 0)
            {
                break;
            }
        }
        publishBudget();
        return total;
    }

    private void publishBudget()
    {
        final VenueThrottle throttle = entry.throttle();
        for (int i = 0, n = throttle.bucketCount(); i < n; i++)
        {
            final TokenBucket bucket = throttle.bucket(i);
            if (bucket.kind() == LimitKind.ORDERS)
            {
                ordersBudgetCounter.setRelease(bucket.capacity() - bucket.windowCount());
            }
            else if (bucket.kind() == LimitKind.REQUEST_WEIGHT)
            {
                weightBudgetCounter.setRelease(bucket.capacity() - bucket.windowCount());
            }
        }
    }

    private void checkTimeouts(final long nowNs)
    {
        for (final WorkingOrders orders : instruments)
        {
            for (int side = 0; side < 2; side++)
            {
                for (int slot = 0, n = orders.slotsInUse[side]; slot < n; slot++)
                {
                    final byte state = orders.state[side][slot];
                    if (state != WorkingOrders.EMPTY && state != WorkingOrders.LIVE &&
                        !orders.timedOut[side][slot] && nowNs - orders.sentNs[side][slot] >= requestTimeoutNs)
                    {
                        orders.timedOut[side][slot] = true;
                        timeoutsCounter.incrementRelease();
                        reconcileWanted = true;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------- the diff

    /** Brings working orders towards the desired ladder; returns the requests sent. */
    private int applyDesired(final WorkingOrders orders, final long nowNs)
    {
        int sent = 0;
        boolean settled = true;
        for (int side = 0; side < 2; side++)
        {
            for (int slot = 0, n = orders.scanLimit(side); slot < n; slot++)
            {
                final int outcome = applySlot(orders, side, slot, nowNs);
                if (outcome > 0)
                {
                    sent++;
                    settled = false; // the answer may call for another step on this level
                }
                else if (outcome < 0)
                {
                    settled = false;
                }
            }
        }
        orders.dirty = !settled;
        workingOrdersCounter.setRelease(orders.liveOrPendingCount());
        return sent;
    }

    /** 0: the slot matches the desired level; 1: a request was sent; -1: waiting (in flight or throttled). */
    private int applySlot(final WorkingOrders orders, final int side, final int slot, final long nowNs)
    {
        final byte state = orders.state[side][slot];
        final boolean wanted = slot < orders.desired.count(side);
        if (state != WorkingOrders.EMPTY && state != WorkingOrders.LIVE)
        {
            return -1; // one request in flight per level: the latest desired state goes once it resolves
        }
        final long wantedPrice = wanted ? orders.desired.price(side, slot) : 0;
        final long wantedQty = wanted ? orders.desired.qty(side, slot) : 0;
        final Instrument instrument = orders.instrument;
        final Side venueSide = side == 0 ? Side.BUY : Side.SELL;
        if (state == WorkingOrders.EMPTY)
        {
            if (!wanted || orders.rejectedSeq[side][slot] == orders.desiredEventSeq ||
                orders.filledSeq[side][slot] == orders.desiredEventSeq)
            {
                // nothing wanted; or the venue refused this very desired state (no reject loop); or its order
                // here filled, which used the approval up
                return 0;
            }
            final long clOrdId = nextClOrdId;
            final SubmitResult result =
                entry.place(nowNs, instrument, clOrdId, venueSide, wantedPrice, wantedQty, orders.postOnly);
            if (result != SubmitResult.SENT)
            {
                if (result == SubmitResult.INVALID)
                {
                    // this venue cannot take this order (e.g. post-only on Kite): not sent again for this state
                    invalidCounter.incrementRelease();
                    orders.rejectedSeq[side][slot] = orders.desiredEventSeq;
                    return 0;
                }
                return refused(result);
            }
            nextClOrdId++;
            orders.clearSlot(side, slot);
            orders.state[side][slot] = WorkingOrders.PENDING_NEW;
            orders.occupy(side, slot);
            orders.clOrdId[side][slot] = clOrdId;
            orders.price[side][slot] = wantedPrice;
            orders.qty[side][slot] = wantedQty;
            orders.sentNs[side][slot] = nowNs;
            orderLocation.put(clOrdId, location(orders.index, side, slot, false));
            newCounter.incrementRelease();
            journal(orders, OrderActionType.NEW, clOrdId, 0, side, wantedPrice, wantedQty);
            return 1;
        }
        // LIVE
        final long clOrdId = orders.clOrdId[side][slot];
        final long price = orders.price[side][slot];
        final long qty = orders.qty[side][slot];
        final long cum = orders.cumQty[side][slot];
        if (!wanted)
        {
            final SubmitResult result = entry.cancel(nowNs, instrument, clOrdId);
            if (result != SubmitResult.SENT)
            {
                return refused(result);
            }
            orders.state[side][slot] = WorkingOrders.PENDING_CANCEL;
            orders.sentNs[side][slot] = nowNs;
            cancelCounter.incrementRelease();
            journal(orders, OrderActionType.CANCEL, clOrdId, clOrdId, side, price, qty - cum);
            return 1;
        }
        if (price == wantedPrice && (qty == wantedQty || (wantedQty > qty - cum && wantedQty < qty)))
        {
            return 0; // keep: same level, and a partly filled order is not topped up (that would lose priority)
        }
        if (price == wantedPrice && wantedQty < qty - cum)
        {
            // smaller at the same price: amend in place, keeping queue priority (the total includes what filled)
            final long newQty = cum + wantedQty;
            final SubmitResult result = entry.amend(nowNs, instrument, clOrdId, price, newQty);
            if (result == SubmitResult.SENT)
            {
                orders.state[side][slot] = WorkingOrders.PENDING_AMEND;
                orders.amendQty[side][slot] = newQty;
                orders.sentNs[side][slot] = nowNs;
                    amendCounter.incrementRelease();
                journal(orders, OrderActionType.AMEND, clOrdId, clOrdId, side, price, newQty);
                return 1;
            }
            if (result != SubmitResult.INVALID && result != SubmitResult.MODIFY_LIMIT)
            {
                return refused(result);
            }
            // the venue cannot amend this one: cancel-replace below
        }
        final long newClOrdId = nextClOrdId;
        final SubmitResult result = entry.cancelReplace(
            nowNs, instrument, clOrdId, newClOrdId, venueSide, wantedPrice, wantedQty, orders.postOnly);
        if (result != SubmitResult.SENT)
        {
            if (result == SubmitResult.INVALID)
            {
                invalidCounter.incrementRelease(); // the order stays as it is until the next desired state
                return 0;
            }
            return refused(result);
        }
        nextClOrdId++;
        orders.state[side][slot] = WorkingOrders.PENDING_REPLACE;
        orders.replClOrdId[side][slot] = newClOrdId;
        orders.replPrice[side][slot] = wantedPrice;
        orders.replQty[side][slot] = wantedQty;
        orders.replCumQty[side][slot] = 0;
        orders.replCumFee[side][slot] = 0;
        orders.replAcked[side][slot] = false;
        orders.cancelFailed[side][slot] = false;
        orders.sentNs[side][slot] = nowNs;
        orderLocation.put(newClOrdId, location(orders.index, side, slot, true));
        replaceCounter.incrementRelease();
        journal(orders, OrderActionType.REPLACE, newClOrdId, clOrdId, side, wantedPrice, wantedQty);
        return 1;
    }

    private int refused(final SubmitResult result)
    {
        if (result == SubmitResult.THROTTLED || result == SubmitResult.BACK_PRESSURED)
        {
            throttledCounter.incrementRelease();
        }
        else if (result != SubmitResult.NOT_CONNECTED && result != SubmitResult.IN_FLIGHT)
        {
            rejectsCounter.incrementRelease(); // INVALID, UNKNOWN_ORDER: a local refusal; a reconcile will tell
            reconcileWanted = true;
        }
        return -1;
    }

    private void journal(
        final WorkingOrders orders,
        final OrderActionType type,
        final long clOrdId,
        final long origClOrdId,
        final int side,
        final long price,
        final long qty)
    {
        actionEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(orders.desiredEventSeq)
            .instrumentId(orders.instrument.id())
            .timeNs(orders.desiredTimeNs)
            .action(type)
            .clOrdId(clOrdId)
            .origClOrdId(origClOrdId)
            .side(side == 0 ? Side.BUY : Side.SELL)
            .price(price)
            .qty(qty)
            .postOnly(orders.postOnly ? BooleanType.TRUE : BooleanType.FALSE)
            .sent(shadow ? BooleanType.FALSE : BooleanType.TRUE);
        actions.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + OrderActionEncoder.BLOCK_LENGTH);
        actionsCounter.incrementRelease();
    }

    // ------------------------------------------------------------------------------------------- venue answers

    public void onSessionUp(final long timeNs)
    {
        sessionUp = true;
        reconcileWanted = true; // on connect and on every reconnect: what does the venue hold?
    }

    public void onSessionDown(final long timeNs, final boolean reconnecting)
    {
        sessionUp = false;
        reconciling = false;
        sessionDownCounter.incrementRelease();
        if (!reconnecting)
        {
            connectRequested = false; // connect again on the next input
        }
    }

    public void onAck(final long clOrdId, final long venueOrderId, final long timeNs)
    {
        final long location = orderLocation.get(clOrdId);
        if (location == NO_LOCATION)
        {
            staleAnswersCounter.incrementRelease();
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        if (isReplacement(location))
        {
            if (orders.replAcked[side][slot])
            {
                duplicatesCounter.incrementRelease();
                return;
            }
            orders.replAcked[side][slot] = true;
            publishExecution(orders, ExecType.NEW, clOrdId, side, orders.replPrice[side][slot],
                orders.replQty[side][slot], 0, 0, orders.replQty[side][slot], 0, 0, 0, VenueRejectReason.NONE, timeNs);
            return;
        }
        if (orders.state[side][slot] != WorkingOrders.PENDING_NEW)
        {
            duplicatesCounter.incrementRelease();
            return;
        }
        orders.venueOrderId[side][slot] = venueOrderId;
        becomeLive(orders, side, slot);
        publishExecution(orders, ExecType.NEW, clOrdId, side, orders.price[side][slot], orders.qty[side][slot], 0, 0,
            orders.leaves(side, slot), orders.cumQty[side][slot], 0, 0, VenueRejectReason.NONE, timeNs);
    }

    public void onRejected(
        final long clOrdId, final VenueRequest request, final VenueRejectReason reason, final int venueCode,
        final long timeNs)
    {
        if (request == VenueRequest.ORDER_STATUS)
        {
            // the query failed: the slot keeps waiting; its timeout brings a new reconcile, which asks again
            duplicatesCounter.incrementRelease();
            return;
        }
        rejectsCounter.incrementRelease();
        final long location = orderLocation.get(clOrdId);
        if (location == NO_LOCATION)
        {
            staleAnswersCounter.incrementRelease();
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        final byte state = orders.state[side][slot];
        if (isReplacement(location))
        {
            // the new half of a cancel-replace was not placed
            orderLocation.remove(clOrdId);
            orders.rejectedSeq[side][slot] = orders.desiredEventSeq;
            publishExecution(orders, ExecType.REJECTED, clOrdId, side, orders.replPrice[side][slot],
                orders.replQty[side][slot], 0, 0, 0, 0, 0, 0, reason, timeNs);
            orders.replClOrdId[side][slot] = 0;
            if (state == WorkingOrders.PENDING_STATUS)
            {
                answeredByEvent(orders, side, slot, true);
            }
            else if (orders.cancelFailed[side][slot])
            {
                becomeLive(orders, side, slot); // both halves answered: the old order stands
            }
            // else the old order's cancel is still to be answered (canceled: the level empties)
            orders.dirty = true;
            return;
        }
        if (state == WorkingOrders.PENDING_STATUS && request == VenueRequest.PLACE)
        {
            // the placement's late answer: the order never rested, which is what the status query asks
            orderLocation.remove(clOrdId);
            orders.rejectedSeq[side][slot] = orders.desiredEventSeq;
            publishExecution(orders, ExecType.REJECTED, clOrdId, side, orders.price[side][slot], orders.qty[side][slot],
                0, 0, 0, 0, 0, 0, reason, timeNs);
            answeredByEvent(orders, side, slot, false);
            return;
        }
        if (state == WorkingOrders.PENDING_NEW)
        {
            orderLocation.remove(clOrdId);
            orders.rejectedSeq[side][slot] = orders.desiredEventSeq;
            publishExecution(orders, ExecType.REJECTED, clOrdId, side, orders.price[side][slot], orders.qty[side][slot],
                0, 0, 0, 0, 0, 0, reason, timeNs);
            orders.clearSlot(side, slot);
            orders.dirty = true;
            return;
        }
        else if (state == WorkingOrders.PENDING_REPLACE)
        {
            // the cancel half failed; with STOP_ON_FAILURE the new half is not placed and is answered too
            orders.cancelFailed[side][slot] = true;
            if (orders.replClOrdId[side][slot] == 0)
            {
                becomeLive(orders, side, slot);
            }
            if (reason == VenueRejectReason.UNKNOWN_ORDER)
            {
                reconcileWanted = true; // we think it is live, the venue does not know it
            }
        }
        else if (state == WorkingOrders.PENDING_CANCEL || state == WorkingOrders.PENDING_AMEND)
        {
            becomeLive(orders, side, slot); // the order is unchanged
            if (reason == VenueRejectReason.UNKNOWN_ORDER)
            {
                reconcileWanted = true;
            }
        }
        else
        {
            duplicatesCounter.incrementRelease();
            return;
        }
        orders.dirty = true;
    }

    public void onCanceled(final long clOrdId, final long leavesQty, final long timeNs)
    {
        final long location = orderLocation.remove(clOrdId);
        if (location == NO_LOCATION)
        {
            staleAnswersCounter.incrementRelease();
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        if (isReplacement(location))
        {
            // the venue took the replacement out (expired): the old order's cancel is still answered
            publishExecution(orders, ExecType.CANCELED, clOrdId, side, orders.replPrice[side][slot],
                orders.replQty[side][slot], 0, 0, 0, orders.replCumQty[side][slot], 0, 0, VenueRejectReason.NONE,
                timeNs);
            orders.replClOrdId[side][slot] = 0;
            orders.dirty = true;
            if (orders.state[side][slot] == WorkingOrders.PENDING_STATUS)
            {
                answeredByEvent(orders, side, slot, true);
            }
            return;
        }
        publishExecution(orders, ExecType.CANCELED, clOrdId, side, orders.price[side][slot], orders.qty[side][slot],
            0, 0, 0, orders.cumQty[side][slot], 0, 0, VenueRejectReason.NONE, timeNs);
        if (orders.state[side][slot] == WorkingOrders.PENDING_STATUS)
        {
            answeredByEvent(orders, side, slot, false);
            return;
        }
        orderDone(orders, side, slot);
    }

    public void onFill(
        final long clOrdId, final long tradeId, final long lastPrice, final long lastQty, final long leavesQty,
        final long cumQty, final long fee, final boolean isMaker, final long timeNs)
    {
        final long location = orderLocation.get(clOrdId);
        if (location == NO_LOCATION)
        {
            staleAnswersCounter.incrementRelease();
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        if (isReplacement(location))
        {
            if (cumQty <= orders.replCumQty[side][slot])
            {
                duplicatesCounter.incrementRelease(); // a fill is never counted twice
                return;
            }
            fillsCounter.incrementRelease();
            orders.replCumQty[side][slot] = cumQty;
            orders.replCumFee[side][slot] += fee;
            orders.replAcked[side][slot] = true;
            publishExecution(orders, ExecType.TRADE, clOrdId, side, orders.replPrice[side][slot],
                orders.replQty[side][slot], lastPrice, lastQty, leavesQty, cumQty, fee, tradeId,
                VenueRejectReason.NONE, timeNs, isMaker);
            if (leavesQty == 0)
            {
                orderLocation.remove(clOrdId);
                orders.replClOrdId[side][slot] = 0; // done: only the old order's cancel is left
                orders.filledSeq[side][slot] = orders.desiredEventSeq;
                if (orders.state[side][slot] == WorkingOrders.PENDING_STATUS)
                {
                    answeredByEvent(orders, side, slot, true);
                }
            }
            return;
        }
        if (cumQty <= orders.cumQty[side][slot])
        {
            duplicatesCounter.incrementRelease();
            return;
        }
        fillsCounter.incrementRelease();
        if (orders.state[side][slot] == WorkingOrders.PENDING_NEW)
        {
            // the fill overtook the ack: the order was accepted
            becomeLive(orders, side, slot);
            publishExecution(orders, ExecType.NEW, clOrdId, side, orders.price[side][slot], orders.qty[side][slot], 0,
                0, orders.leaves(side, slot), orders.cumQty[side][slot], 0, 0, VenueRejectReason.NONE, timeNs);
        }
        orders.cumQty[side][slot] = cumQty;
        orders.cumFee[side][slot] += fee;
        publishExecution(orders, ExecType.TRADE, clOrdId, side, orders.price[side][slot], orders.qty[side][slot],
            lastPrice, lastQty, leavesQty, cumQty, fee, tradeId, VenueRejectReason.NONE, timeNs, isMaker);
        if (leavesQty == 0)
        {
            orderLocation.remove(clOrdId);
            if (orders.state[side][slot] == WorkingOrders.PENDING_STATUS)
            {
                orders.mainFilled[side][slot] = true;
                answeredByEvent(orders, side, slot, false);
                return;
            }
            if (orders.state[side][slot] != WorkingOrders.PENDING_REPLACE || orders.replClOrdId[side][slot] == 0)
            {
                orders.filledSeq[side][slot] = orders.desiredEventSeq; // the level's approval is used up
            }
            orderDone(orders, side, slot);
        }
        else
        {
            orders.dirty = true;
        }
    }

    public void onAmended(final long clOrdId, final long price, final long qty, final long leavesQty, final long timeNs)
    {
        final long location = orderLocation.get(clOrdId);
        if (location == NO_LOCATION || isReplacement(location))
        {
            staleAnswersCounter.incrementRelease();
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        if (orders.state[side][slot] != WorkingOrders.PENDING_AMEND && orders.qty[side][slot] == qty)
        {
            duplicatesCounter.incrementRelease();
            return;
        }
        orders.price[side][slot] = price;
        orders.qty[side][slot] = qty;
        if (orders.state[side][slot] == WorkingOrders.PENDING_AMEND)
        {
            becomeLive(orders, side, slot);
        }
        publishExecution(orders, ExecType.REPLACED, clOrdId, side, price, qty, 0, 0, leavesQty,
            orders.cumQty[side][slot], 0, 0, VenueRejectReason.NONE, timeNs);
        orders.dirty = true;
    }

    public void onRateLimitUsage(
        final LimitKind kind, final long intervalNs, final long used, final long limit, final long timeNs)
    {
        // the adapter already tightened its throttle; the budget counters follow on the next pump
    }

    public void onBackOff(final int httpStatus, final long untilNs, final long timeNs)
    {
        throttledCounter.incrementRelease();
    }

    /** The slot's order is out of the book: free the level, or move a cancel-replace's new order into it. */
    private void orderDone(final WorkingOrders orders, final int side, final int slot)
    {
        if (orders.state[side][slot] == WorkingOrders.PENDING_REPLACE && orders.replClOrdId[side][slot] != 0)
        {
            final long newClOrdId = orders.replClOrdId[side][slot];
            final boolean acked = orders.replAcked[side][slot];
            orders.clOrdId[side][slot] = newClOrdId;
            orders.venueOrderId[side][slot] = 0;
            orders.price[side][slot] = orders.replPrice[side][slot];
            orders.qty[side][slot] = orders.replQty[side][slot];
            orders.cumQty[side][slot] = orders.replCumQty[side][slot];
            orders.cumFee[side][slot] = orders.replCumFee[side][slot];
            orders.replCumFee[side][slot] = 0;
            orders.replClOrdId[side][slot] = 0;
            orders.replAcked[side][slot] = false;
            orderLocation.put(newClOrdId, location(orders.index, side, slot, false));
            if (acked)
            {
                becomeLive(orders, side, slot);
            }
            else
            {
                orders.state[side][slot] = WorkingOrders.PENDING_NEW; // still waiting for the new order's answer
            }
        }
        else
        {
            final long repl = orders.replClOrdId[side][slot];
            if (repl != 0)
            {
                orderLocation.remove(repl);
            }
            orders.clearSlot(side, slot);
        }
        orders.dirty = true;
    }

    /**
     * While the slot waits for status answers, a live event ended one of its orders (a fill to the end, a cancel,
     * a rejection): that is the answer; its own answer, when it comes, is for an order no longer known.
     */
    private void answeredByEvent(final WorkingOrders orders, final int side, final int slot, final boolean replacement)
    {
        if (replacement)
        {
            orders.replQuery[side][slot] = WorkingOrders.QUERY_NONE;
        }
        else
        {
            orders.mainGone[side][slot] = true;
            orders.mainQuery[side][slot] = WorkingOrders.QUERY_NONE;
        }
        if (orders.mainQuery[side][slot] == WorkingOrders.QUERY_NONE &&
            orders.replQuery[side][slot] == WorkingOrders.QUERY_NONE)
        {
            finishStatusQueries(orders, side, slot);
        }
    }

    private void becomeLive(final WorkingOrders orders, final int side, final int slot)
    {
        orders.state[side][slot] = WorkingOrders.LIVE;
        orders.timedOut[side][slot] = false;
        orders.cancelFailed[side][slot] = false;
        orders.dirty = true;
    }

    // ------------------------------------------------------------------------------------------- reconcile

    private int startReconcile(final long nowNs)
    {
        final SubmitResult result = entry.requestOpenOrders(nowNs, null);
        if (result != SubmitResult.SENT)
        {
            if (result == SubmitResult.THROTTLED)
            {
                throttledCounter.incrementRelease();
            }
            return 0; // tried again on the next pump
        }
        reconcileWanted = false;
        reconciling = true;
        statusQueriesWanted = false;
        reconcilesCounter.incrementRelease();
        for (final WorkingOrders orders : instruments)
        {
            for (int side = 0; side < 2; side++)
            {
                for (int slot = 0; slot < Ladder.MAX_LEVELS; slot++)
                {
                    orders.seen[side][slot] = false;
                    orders.replSeen[side][slot] = false;
                    if (orders.state[side][slot] == WorkingOrders.PENDING_STATUS)
                    {
                        // status queries still unanswered (lost, or failed): this snapshot decides afresh
                        orders.state[side][slot] = orders.queriedState[side][slot];
                        orders.timedOut[side][slot] = orders.queriedTimedOut[side][slot];
                        orders.mainQuery[side][slot] = WorkingOrders.QUERY_NONE;
                        orders.replQuery[side][slot] = WorkingOrders.QUERY_NONE;
                    }
                }
            }
        }
        return 1;
    }

    public void onOrderStatus(
        final int instrumentId, final long clOrdId, final long venueOrderId, final Side side, final long price,
        final long qty, final long cumQty, final long cumFee, final OrderStatus status, final long timeNs)
    {
        final long location = clOrdId == OrderEntry.FOREIGN_ORDER ? NO_LOCATION : orderLocation.get(clOrdId);
        if (location != NO_LOCATION)
        {
            final WorkingOrders orders = instruments[instrumentIndex(location)];
            final int s = side(location);
            final int slot = slot(location);
            final boolean replacement = isReplacement(location);
            if (orders.state[s][slot] == WorkingOrders.PENDING_STATUS &&
                (replacement ? orders.replQuery[s][slot] : orders.mainQuery[s][slot]) == WorkingOrders.QUERY_SENT)
            {
                onStatusAnswer(orders, s, slot, replacement, clOrdId, venueOrderId, qty, cumQty, cumFee, status, timeNs);
            }
            else if (reconciling && !status.isFinal())
            {
                onSnapshotOrder(orders, s, slot, replacement, clOrdId, venueOrderId, qty, cumQty, cumFee, timeNs);
            }
            else
            {
                duplicatesCounter.incrementRelease(); // an answer nothing waits for any more
            }
            return;
        }
        if (status.isFinal())
        {
            return; // a status answer for an order already settled (by the fills the venue reported first)
        }
        if (!reconciling)
        {
            staleAnswersCounter.incrementRelease();
            return;
        }
        reconcileDifferencesCounter.incrementRelease();
        final WorkingOrders known = byInstrument.get(instrumentId);
        if (known == null || clOrdId == OrderEntry.FOREIGN_ORDER)
        {
            return; // not ours (another client on the account): reported, left alone
        }
        if (unknownOrders == GatewayContext.UnknownOrders.ADOPT &&
            adopt(known, clOrdId, venueOrderId, side, price, qty, cumQty, cumFee))
        {
            return;
        }
        if (entry.cancelByVenueId(venueNowNs(), known.instrument, venueOrderId) == SubmitResult.SENT)
        {
            journal(known, OrderActionType.CANCEL, clOrdId, clOrdId, side == Side.BUY ? 0 : 1, price, qty - cumQty);
            cancelCounter.incrementRelease();
        }
    }

    /** An open order of the snapshot that we know: it is there; lost fills and amends are the difference. */
    private void onSnapshotOrder(
        final WorkingOrders orders, final int s, final int slot, final boolean replacement, final long clOrdId,
        final long venueOrderId, final long qty, final long cumQty, final long cumFee, final long timeNs)
    {
        if (replacement)
        {
            orders.replSeen[s][slot] = true;
            bookMissingFill(orders, s, slot, true, clOrdId, cumQty, cumFee, timeNs);
            return;
        }
        orders.seen[s][slot] = true;
        orders.venueOrderId[s][slot] = venueOrderId;
        if (qty > 0 && orders.qty[s][slot] != qty)
        {
            reconcileDifferencesCounter.incrementRelease(); // an amend whose answer was lost
            orders.qty[s][slot] = qty;
        }
        bookMissingFill(orders, s, slot, false, clOrdId, cumQty, cumFee, timeNs);
    }

    /**
     * What the venue filled that we never heard of: one TRADE for the difference of the cumulative quantities
     * (never a fill twice), at the order's price (a resting limit order fills at its price), with the difference
     * of the cumulative fees.
     */
    private void bookMissingFill(
        final WorkingOrders orders, final int s, final int slot, final boolean replacement, final long clOrdId,
        final long cumQty, final long cumFee, final long timeNs)
    {
        final long knownQty = replacement ? orders.replCumQty[s][slot] : orders.cumQty[s][slot];
        if (cumQty <= knownQty)
        {
            return;
        }
        reconcileDifferencesCounter.incrementRelease();
        fillsCounter.incrementRelease();
        final long knownFee = replacement ? orders.replCumFee[s][slot] : orders.cumFee[s][slot];
        final long fee = cumFee > knownFee ? cumFee - knownFee : 0;
        final long price = replacement ? orders.replPrice[s][slot] : orders.price[s][slot];
        final long qty = replacement ? orders.replQty[s][slot] : orders.qty[s][slot];
        if (replacement)
        {
            orders.replCumQty[s][slot] = cumQty;
            orders.replCumFee[s][slot] = knownFee + fee;
            orders.replAcked[s][slot] = true;
        }
        else
        {
            orders.cumQty[s][slot] = cumQty;
            orders.cumFee[s][slot] = knownFee + fee;
        }
        publishExecution(orders, ExecType.TRADE, clOrdId, s, price, qty, price, cumQty - knownQty,
            Math.max(0, qty - cumQty), cumQty, fee, 0, VenueRejectReason.NONE, timeNs);
    }

    private boolean adopt(
        final WorkingOrders orders, final long clOrdId, final long venueOrderId, final Side side, final long price,
        final long qty, final long cumQty, final long cumFee)
    {
        final int s = side == Side.BUY ? 0 : 1;
        for (int slot = 0; slot < Ladder.MAX_LEVELS; slot++)
        {
            if (orders.state[s][slot] == WorkingOrders.EMPTY)
            {
                orders.clearSlot(s, slot);
                orders.state[s][slot] = WorkingOrders.LIVE;
                orders.occupy(s, slot);
                orders.clOrdId[s][slot] = clOrdId;
                orders.venueOrderId[s][slot] = venueOrderId;
                orders.price[s][slot] = price;
                orders.qty[s][slot] = qty;
                orders.cumQty[s][slot] = cumQty;
                orders.cumFee[s][slot] = Math.max(0, cumFee);
                orders.seen[s][slot] = true;
                orderLocation.put(clOrdId, location(orders.index, s, slot, false));
                nextClOrdId = Math.max(nextClOrdId, clOrdId + 1);
                orders.dirty = true; // the diff keeps, amends or cancels it like any other order
                return true;
            }
        }
        return false;
    }

    public void onOpenOrdersEnd(final int instrumentId, final int count, final long timeNs)
    {
        if (!reconciling)
        {
            duplicatesCounter.incrementRelease();
            return;
        }
        reconciling = false;
        for (final WorkingOrders orders : instruments)
        {
            for (int side = 0; side < 2; side++)
            {
                for (int slot = 0; slot < Ladder.MAX_LEVELS; slot++)
                {
                    settleSlot(orders, side, slot, timeNs);
                }
            }
            orders.dirty = true;
        }
    }

    /**
     * After a snapshot: the venue's word decides what each slot holds. An order we count on that is not open at
     * the venue is not concluded gone: the venue is asked what became of it (it may have filled while the
     * session was down), and the slot waits for the answer.
     */
    private void settleSlot(final WorkingOrders orders, final int side, final int slot, final long timeNs)
    {
        final byte state = orders.state[side][slot];
        if (state == WorkingOrders.EMPTY)
        {
            return;
        }
        final boolean replMissing = state == WorkingOrders.PENDING_REPLACE && orders.replClOrdId[side][slot] != 0 &&
            !orders.replSeen[side][slot];
        final boolean mainMissing = !orders.seen[side][slot];
        if (replMissing || mainMissing)
        {
            orders.queriedState[side][slot] = state;
            orders.queriedTimedOut[side][slot] = orders.timedOut[side][slot];
            orders.state[side][slot] = WorkingOrders.PENDING_STATUS;
            orders.timedOut[side][slot] = false;
            orders.sentNs[side][slot] = venueNowNs(); // a query refused for this long: reconcile again
            orders.mainQuery[side][slot] = mainMissing ? WorkingOrders.QUERY_WANTED : WorkingOrders.QUERY_NONE;
            orders.replQuery[side][slot] = replMissing ? WorkingOrders.QUERY_WANTED : WorkingOrders.QUERY_NONE;
            orders.mainGone[side][slot] = false;
            orders.mainFilled[side][slot] = false;
            statusQueriesWanted = true;
            return;
        }
        settleOpen(orders, side, slot);
    }

    /** The slot's orders are all open at the venue. */
    private void settleOpen(final WorkingOrders orders, final int side, final int slot)
    {
        final byte state = orders.state[side][slot];
        if (state == WorkingOrders.PENDING_REPLACE)
        {
            if (orders.replClOrdId[side][slot] == 0)
            {
                becomeLive(orders, side, slot);
            }
            // else both are open: wait for the cancel half's answer (or the next timeout)
        }
        else if (state != WorkingOrders.LIVE && orders.timedOut[side][slot])
        {
            reconcileDifferencesCounter.incrementRelease(); // its answer was lost: the venue says it rests
            becomeLive(orders, side, slot);
        }
    }

    /** Sends the status queries a settled snapshot asked for; a refused one is tried again on the next pump. */
    private int sendStatusQueries(final long nowNs)
    {
        int sent = 0;
        boolean pending = false;
        for (final WorkingOrders orders : instruments)
        {
            for (int side = 0; side < 2; side++)
            {
                for (int slot = 0; slot < Ladder.MAX_LEVELS; slot++)
                {
                    if (orders.state[side][slot] != WorkingOrders.PENDING_STATUS)
                    {
                        continue;
                    }
                    if (orders.mainQuery[side][slot] == WorkingOrders.QUERY_WANTED)
                    {
                        final int outcome = sendStatusQuery(orders, side, slot, false, nowNs);
                        sent += Math.max(0, outcome);
                        pending |= outcome < 0;
                    }
                    if (orders.state[side][slot] == WorkingOrders.PENDING_STATUS &&
                        orders.replQuery[side][slot] == WorkingOrders.QUERY_WANTED)
                    {
                        final int outcome = sendStatusQuery(orders, side, slot, true, nowNs);
                        sent += Math.max(0, outcome);
                        pending |= outcome < 0;
                    }
                }
            }
        }
        statusQueriesWanted = pending;
        return sent;
    }

    /** 1: sent; 0: answered at once (the venue cannot look it up); -1: refused for now. */
    private int sendStatusQuery(
        final WorkingOrders orders, final int side, final int slot, final boolean replacement, final long nowNs)
    {
        final long clOrdId = replacement ? orders.replClOrdId[side][slot] : orders.clOrdId[side][slot];
        final SubmitResult result = entry.requestOrderStatus(nowNs, orders.instrument, clOrdId);
        if (result == SubmitResult.SENT)
        {
            if (replacement)
            {
                orders.replQuery[side][slot] = WorkingOrders.QUERY_SENT;
            }
            else
            {
                orders.mainQuery[side][slot] = WorkingOrders.QUERY_SENT;
            }
            orders.sentNs[side][slot] = nowNs; // unanswered for the request timeout: the next reconcile asks again
            statusQueriesCounter.incrementRelease();
            return 1;
        }
        if (result == SubmitResult.THROTTLED || result == SubmitResult.BACK_PRESSURED ||
            result == SubmitResult.NOT_CONNECTED)
        {
            if (result != SubmitResult.NOT_CONNECTED)
            {
                throttledCounter.incrementRelease();
            }
            return -1;
        }
        // the venue cannot look it up (or the adapter does not know it): as good as not found
        if (replacement)
        {
            orders.replQuery[side][slot] = WorkingOrders.QUERY_SENT;
        }
        else
        {
            orders.mainQuery[side][slot] = WorkingOrders.QUERY_SENT;
        }
        onStatusAnswer(orders, side, slot, replacement, clOrdId, 0, 0, 0, -1, OrderStatus.NOT_FOUND, nowNs);
        return 0;
    }

    /** What became of an order a snapshot did not find: book what it filled, then its end (or that it rests). */
    private void onStatusAnswer(
        final WorkingOrders orders, final int s, final int slot, final boolean replacement, final long clOrdId,
        final long venueOrderId, final long qty, final long cumQty, final long cumFee, final OrderStatus status,
        final long timeNs)
    {
        if (replacement)
        {
            orders.replQuery[s][slot] = WorkingOrders.QUERY_NONE;
            bookMissingFill(orders, s, slot, true, clOrdId, cumQty, cumFee, timeNs);
            if (!status.isFinal() && status != OrderStatus.PENDING)
            {
                orders.replSeen[s][slot] = true; // it rests after all
                orders.replAcked[s][slot] = true;
            }
            else if (status != OrderStatus.PENDING)
            {
                orderLocation.remove(clOrdId);
                if (status == OrderStatus.FILLED || orders.replCumQty[s][slot] >= orders.replQty[s][slot])
                {
                    orders.filledSeq[s][slot] = orders.desiredEventSeq; // its TRADE above said leaves 0
                }
                else
                {
                    publishGone(orders, s, slot, true, clOrdId, status, timeNs);
                }
                orders.replClOrdId[s][slot] = 0;
            }
        }
        else
        {
            orders.mainQuery[s][slot] = WorkingOrders.QUERY_NONE;
            if (venueOrderId > 0)
            {
                orders.venueOrderId[s][slot] = venueOrderId;
            }
            if (qty > 0 && orders.qty[s][slot] != qty)
            {
                reconcileDifferencesCounter.incrementRelease(); // an amend whose answer was lost
                orders.qty[s][slot] = qty;
            }
            bookMissingFill(orders, s, slot, false, clOrdId, cumQty, cumFee, timeNs);
            if (!status.isFinal() && status != OrderStatus.PENDING)
            {
                orders.seen[s][slot] = true; // it rests after all (the snapshot raced it)
            }
            else if (status != OrderStatus.PENDING)
            {
                orderLocation.remove(clOrdId);
                orders.mainGone[s][slot] = true;
                if (status == OrderStatus.FILLED || orders.cumQty[s][slot] >= orders.qty[s][slot])
                {
                    orders.mainFilled[s][slot] = true; // its TRADE above said leaves 0
                }
                else
                {
                    publishGone(orders, s, slot, false, clOrdId, status, timeNs);
                }
            }
            else
            {
                orders.seen[s][slot] = true; // sent, not confirmed yet: wait for it as for any pending request
            }
        }
        if (orders.mainQuery[s][slot] == WorkingOrders.QUERY_NONE && orders.replQuery[s][slot] == WorkingOrders.QUERY_NONE)
        {
            finishStatusQueries(orders, s, slot);
        }
    }

    /** The end of an order a status query found out of the book (a fill to the end is reported by its TRADE). */
    private void publishGone(
        final WorkingOrders orders, final int s, final int slot, final boolean replacement, final long clOrdId,
        final OrderStatus status, final long timeNs)
    {
        final long price = replacement ? orders.replPrice[s][slot] : orders.price[s][slot];
        final long qty = replacement ? orders.replQty[s][slot] : orders.qty[s][slot];
        final long cumQty = replacement ? orders.replCumQty[s][slot] : orders.cumQty[s][slot];
        final byte state = orders.queriedState[s][slot];
        final boolean cancelAsked = !replacement &&
            (state == WorkingOrders.PENDING_CANCEL || state == WorkingOrders.PENDING_REPLACE);
        final ExecType execType;
        final VenueRejectReason reason;
        switch (status)
        {
            case CANCELED ->
            {
                execType = ExecType.CANCELED;
                reason = VenueRejectReason.NONE;
            }
            case EXPIRED ->
            {
                execType = ExecType.EXPIRED;
                reason = VenueRejectReason.NONE;
            }
            case REJECTED ->
            {
                execType = ExecType.REJECTED;
                reason = VenueRejectReason.UNKNOWN_STATE;
            }
            default ->
            {
                // NOT_FOUND: never reached the venue (or forgotten by it). A replacement was never placed; a
                // main order we asked to cancel is as good as cancelled, any other is gone for a reason unknown
                execType = replacement ? ExecType.REJECTED : cancelAsked ? ExecType.CANCELED : ExecType.EXPIRED;
                reason = replacement || !cancelAsked ? VenueRejectReason.UNKNOWN_STATE : VenueRejectReason.NONE;
            }
        }
        if (!(cancelAsked && execType == ExecType.CANCELED))
        {
            reconcileDifferencesCounter.incrementRelease();
        }
        publishExecution(orders, execType, clOrdId, s, price, qty, 0, 0, 0, cumQty, 0, 0, reason, timeNs);
    }

    /** Every status query of the slot is answered: the slot is what the venue said. */
    private void finishStatusQueries(final WorkingOrders orders, final int s, final int slot)
    {
        orders.state[s][slot] = orders.queriedState[s][slot];
        orders.timedOut[s][slot] = orders.queriedTimedOut[s][slot];
        if (orders.mainGone[s][slot])
        {
            final boolean replacing = orders.state[s][slot] == WorkingOrders.PENDING_REPLACE &&
                orders.replClOrdId[s][slot] != 0;
            if (orders.mainFilled[s][slot] && !replacing)
            {
                orders.filledSeq[s][slot] = orders.desiredEventSeq; // the level's approval is used up
            }
            if (replacing && orders.replSeen[s][slot])
            {
                orders.replAcked[s][slot] = true; // seen open, or answered open
            }
            orders.mainGone[s][slot] = false;
            orders.mainFilled[s][slot] = false;
            orderDone(orders, s, slot);
        }
        else
        {
            settleOpen(orders, s, slot);
        }
        orders.dirty = true;
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** Where an order lives, packed for the primitive clOrdId map: instrument index, side, slot, replacement. */
    private static long location(final int instrumentIndex, final int side, final int slot, final boolean replacement)
    {
        return ((long)instrumentIndex << 24) | ((replacement ? 1L : 0L) << 16) | ((long)side << 8) | slot;
    }

    private static int instrumentIndex(final long location)
    {
        return (int)(location >>> 24);
    }

    private static boolean isReplacement(final long location)
    {
        return ((location >>> 16) & 0xFF) != 0;
    }

    private static int side(final long location)
    {
        return (int)(location >>> 8) & 0xFF;
    }

    private static int slot(final long location)
    {
        return (int)location & 0xFF;
    }

    private void publishExecution(
        final WorkingOrders orders, final ExecType execType, final long clOrdId, final int side, final long price,
        final long orderQty, final long lastPrice, final long lastQty, final long leavesQty, final long cumQty,
        final long fee, final long tradeId, final VenueRejectReason reason, final long timeNs)
    {
        publishExecution(orders, execType, clOrdId, side, price, orderQty, lastPrice, lastQty, leavesQty, cumQty, fee,
            tradeId, reason, timeNs, execType == ExecType.TRADE);
    }

    private void publishExecution(
        final WorkingOrders orders, final ExecType execType, final long clOrdId, final int side, final long price,
        final long orderQty, final long lastPrice, final long lastQty, final long leavesQty, final long cumQty,
        final long fee, final long tradeId, final VenueRejectReason reason, final long timeNs, final boolean isMaker)
    {
        executionEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(currentEventSeq)
            .instrumentId(orders.instrument.id())
            .timeNs(timeNs)
            .clOrdId(clOrdId)
            .execType(execType)
            .side(side == 0 ? Side.BUY : Side.SELL)
            .price(price)
            .orderQty(orderQty)
            .lastPrice(lastPrice)
            .lastQty(lastQty)
            .leavesQty(leavesQty)
            .cumQty(cumQty)
            .fee(fee)
            .tradeId(tradeId)
            .rejectReason(reason)
            .isMaker(isMaker ? BooleanType.TRUE : BooleanType.FALSE)
            .shadow(shadow ? BooleanType.TRUE : BooleanType.FALSE);
        executions.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ExecutionReportEncoder.BLOCK_LENGTH);
    }
}
