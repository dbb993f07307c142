package mm.gateway;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.aeron.Inbox;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import mm.common.sbe.BestPrices;
import mm.sbe.ApprovedQuoteDecoder;
import mm.sbe.BooleanType;
import mm.sbe.BookTopNDecoder;
import mm.sbe.CancelAllDecoder;
import mm.sbe.EndOfDataDecoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportEncoder;
import mm.sbe.KillDecoder;
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
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import mm.common.agent.BoundedAgent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The order gateway: diffs each approved desired state against working orders and emits the fewest venue
 * actions (keep what matches, cancel what does not, new where a level is free), at most one request in
 * flight per level; journals every action on ORDER_ACTIONS and publishes the venue's answers on EXECUTIONS.
 * <p>
 * Venues: the deterministic {@link SimVenue}, or observe-only, where actions are computed and journaled with
 * {@code sent=FALSE} and no venue exists to send them to (shadow state assumes each is accepted).
 * In lockstep, per step k: market data k (the sim venue matches it first: our reaction to k reaches the
 * venue after k), then the commands of k; the step ends with a StepEnd on EXECUTIONS.
 */
public final class GatewayAgent implements BoundedAgent, Inbox.Handler, SimVenue.Listener
{
    public static final int AGENT_ID = 3;
    private static final int MARKET_DATA = 0;
    private static final int ORDER_COMMANDS = 1;
    private static final int CONTROL = 2;
    private static final int FRAGMENT_LIMIT = 16;

    private final boolean lockstep;
    private final boolean postOnly;
    private final SimVenue venue;
    private final Inbox inbox;
    private final Outbox actions;
    private final Outbox executions;
    private final Int2ObjectHashMap<WorkingOrders> byInstrument = new Int2ObjectHashMap<>();
    private final WorkingOrders[] instruments;
    /** clOrdId to (instrument index, side, slot) packed in a long. */
    private final Long2LongHashMap orderLocation = new Long2LongHashMap(-1);

    private final BookTopNDecoder bookDecoder = new BookTopNDecoder();
    private final BestPrices bestPrices = new BestPrices();
    private final TradeDecoder tradeDecoder = new TradeDecoder();
    private final ApprovedQuoteDecoder approvedDecoder = new ApprovedQuoteDecoder();
    private final CancelAllDecoder cancelAllDecoder = new CancelAllDecoder();
    private final StepEndDecoder stepEndDecoder = new StepEndDecoder();
    private final KillDecoder killDecoder = new KillDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OrderActionEncoder actionEncoder = new OrderActionEncoder();
    private final ExecutionReportEncoder executionEncoder = new ExecutionReportEncoder();
    private final StepEndEncoder stepEndEncoder = new StepEndEncoder();
    private final ExpandableDirectByteBuffer sendBuffer = new ExpandableDirectByteBuffer(512);

    private long nextClOrdId = 1;
    private long lastMdSeq;
    private long commandsStepEnd;
    private long endOfDataSeq;
    private long currentEventSeq;
    private long inputTimeNs;

    private final AtomicCounter actionsCounter;
    private final AtomicCounter newCounter;
    private final AtomicCounter cancelCounter;
    private final AtomicCounter fillsCounter;
    private final AtomicCounter rejectsCounter;
    private final AtomicCounter workingOrdersCounter;
    private final AtomicCounter unknownMessages;

    public GatewayAgent(final GatewayContext context, final Aeron aeron, final Streams streams, final boolean journalInbox)
    {
        this.lockstep = context.lockstep();
        this.postOnly = context.postOnly();
        this.venue = context.venue() == GatewayContext.VenueKind.SIM ? new SimVenue(this, context.makerFeePpm()) : null;
        int index = 0;
        instruments = new WorkingOrders[context.registry().all().size()];
        for (final Instrument instrument : context.registry().all())
        {
            final WorkingOrders orders = new WorkingOrders(instrument, index);
            instruments[index++] = orders;
            byInstrument.put(instrument.id(), orders);
        }
        final io.aeron.ExclusivePublication actionsPublication =
            aeron.addExclusivePublication(streams.channel(), streams.orderActions());
        this.actions = context.actionsRecorded() ?
            new Outbox(actionsPublication) : Outbox.droppingWhenUnsubscribed(actionsPublication);
        this.executions = new Outbox(aeron.addExclusivePublication(streams.channel(), streams.executions()));
        final Outbox tee = journalInbox ?
            new Outbox(aeron.addExclusivePublication(streams.channel(), streams.gatewayInbox())) : null;
        unknownMessages = EngineCounters.add(aeron, roleName(), "unknown messages skipped");
        this.inbox = new Inbox(this, unknownMessages, AGENT_ID, tee, actions, executions);
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.marketData()));
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.orderCommands()));
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.control()));
        actionsCounter = EngineCounters.add(aeron, roleName(), "venue actions");
        newCounter = EngineCounters.add(aeron, roleName(), "new orders");
        cancelCounter = EngineCounters.add(aeron, roleName(), "cancels");
        fillsCounter = EngineCounters.add(aeron, roleName(), "fills");
        rejectsCounter = EngineCounters.add(aeron, roleName(), "venue rejects");
        workingOrdersCounter = EngineCounters.add(aeron, roleName(), "working orders");
    }

    public int doWork()
    {
        return inbox.poll(FRAGMENT_LIMIT);
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
            default -> unknownMessages.increment();
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
                inputTimeNs = bookDecoder.receiveTimeNs();
                if (venue != null)
                {
                    bestPrices.read(bookDecoder);
                    venue.onBook(bookDecoder.instrumentId(), bestPrices.bid(), bestPrices.ask());
                }
            }
            case TradeDecoder.TEMPLATE_ID ->
            {
                tradeDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = tradeDecoder.receiveTimeNs();
                if (venue != null)
                {
                    venue.onTrade(tradeDecoder.instrumentId(), tradeDecoder.tradeId(), tradeDecoder.price(),
                        tradeDecoder.qty(), inputTimeNs);
                }
            }
            case EndOfDataDecoder.TEMPLATE_ID -> endOfDataSeq = currentEventSeq;
            default ->
            {
                // feed status and other market data do not concern the venue
            }
        }
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
                    unknownMessages.increment();
                    return;
                }
                inputTimeNs = approvedDecoder.timeNs();
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
                orders.desiredEventSeq = currentEventSeq;
                orders.desiredTimeNs = inputTimeNs;
                reconcile(orders);
            }
            case CancelAllDecoder.TEMPLATE_ID ->
            {
                cancelAllDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = Math.max(inputTimeNs, cancelAllDecoder.timeNs());
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
            default -> unknownMessages.increment();
        }
    }

    private void onControl(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (templateId == KillDecoder.TEMPLATE_ID)
        {
            killDecoder.wrap(buffer, offset, blockLength, version);
            inputTimeNs = Math.max(inputTimeNs, killDecoder.timeNs());
            cancelAll(killDecoder.instrumentId());
        }
    }

    private void cancelAll(final int instrumentId)
    {
        for (final WorkingOrders orders : instruments)
        {
            if (instrumentId == 0 || orders.instrument.id() == instrumentId)
            {
                orders.desired.clear();
                orders.desiredEventSeq = currentEventSeq;
                orders.desiredTimeNs = inputTimeNs;
                reconcile(orders);
            }
        }
    }

    /**
     * Brings working orders towards the desired ladder with the fewest actions. Slots with a request in
     * flight wait; a level whose price or size changed is cancelled first and placed again once the cancel
     * is confirmed, so one level never has two live requests.
     */
    private void reconcile(final WorkingOrders orders)
    {
        boolean changed = true;
        while (changed)
        {
            changed = false;
            for (int side = 0; side < 2; side++)
            {
                for (int slot = 0; slot < Ladder.MAX_LEVELS; slot++)
                {
                    changed |= reconcileSlot(orders, side, slot);
                }
            }
        }
        workingOrdersCounter.setRelease(venue == null ? 0 : venue.restingCount());
    }

    /** Returns true when the slot moved to EMPTY synchronously, so another pass may place its level. */
    private boolean reconcileSlot(final WorkingOrders orders, final int side, final int slot)
    {
        final byte state = orders.state[side][slot];
        if (state == WorkingOrders.PENDING_NEW || state == WorkingOrders.PENDING_CANCEL)
        {
            return false;
        }
        final boolean wanted = slot < orders.desired.count(side);
        final long wantedPrice = wanted ? orders.desired.price(side, slot) : 0;
        final long wantedQty = wanted ? orders.desired.qty(side, slot) : 0;
        if (state == WorkingOrders.LIVE)
        {
            if (wanted && orders.price[side][slot] == wantedPrice && orders.qty[side][slot] == wantedQty)
            {
                return false;
            }
            orders.state[side][slot] = WorkingOrders.PENDING_CANCEL;
            final long clOrdId = orders.clOrdId[side][slot];
            sendAction(orders, OrderActionType.CANCEL, clOrdId, clOrdId, side, orders.price[side][slot],
                orders.leaves[side][slot]);
            cancelCounter.increment();
            if (venue != null)
            {
                venue.cancel(inputTimeNs, clOrdId);
            }
            else
            {
                onCanceled(clOrdId, orders.leaves[side][slot], inputTimeNs);
            }
            return orders.state[side][slot] == WorkingOrders.EMPTY;
        }
        if (wanted)
        {
            final long clOrdId = nextClOrdId++;
            orders.state[side][slot] = WorkingOrders.PENDING_NEW;
            orders.clOrdId[side][slot] = clOrdId;
            orders.price[side][slot] = wantedPrice;
            orders.qty[side][slot] = wantedQty;
            orders.leaves[side][slot] = wantedQty;
            orderLocation.put(clOrdId, location(orders.index, side, slot));
            sendAction(orders, OrderActionType.NEW, clOrdId, 0, side, wantedPrice, wantedQty);
            newCounter.increment();
            if (venue != null)
            {
                venue.newOrder(inputTimeNs, orders.instrument.id(), clOrdId, side == 0 ? Side.BUY : Side.SELL,
                    wantedPrice, wantedQty, postOnly);
            }
            else
            {
                onAck(clOrdId, inputTimeNs);
            }
        }
        return false;
    }

    private void sendAction(
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
            .postOnly(postOnly ? BooleanType.TRUE : BooleanType.FALSE)
            .sent(venue != null ? BooleanType.TRUE : BooleanType.FALSE);
        actions.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + OrderActionEncoder.BLOCK_LENGTH);
        actionsCounter.increment();
    }

    public void onAck(final long clOrdId, final long timeNs)
    {
        final long location = orderLocation.get(clOrdId);
        if (location < 0)
        {
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        orders.state[side][slot] = WorkingOrders.LIVE;
        publishExecution(orders, side, slot, ExecType.NEW, 0, 0, 0, 0, VenueRejectReason.NONE, timeNs);
    }

    public void onCanceled(final long clOrdId, final long leavesQty, final long timeNs)
    {
        final long location = orderLocation.remove(clOrdId);
        if (location < 0)
        {
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        orders.leaves[side][slot] = leavesQty;
        publishExecution(orders, side, slot, ExecType.CANCELED, 0, 0, 0, 0, VenueRejectReason.NONE, timeNs);
        orders.leaves[side][slot] = 0;
        orders.state[side][slot] = WorkingOrders.EMPTY;
    }

    public void onRejected(final long clOrdId, final VenueRejectReason reason, final long timeNs)
    {
        rejectsCounter.increment();
        final long location = orderLocation.get(clOrdId);
        if (location < 0)
        {
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        if (orders.state[side][slot] == WorkingOrders.PENDING_NEW)
        {
            // the order never lived: the level is free again
            orderLocation.remove(clOrdId);
            publishExecution(orders, side, slot, ExecType.REJECTED, 0, 0, 0, 0, reason, timeNs);
            orders.leaves[side][slot] = 0;
            orders.state[side][slot] = WorkingOrders.EMPTY;
        }
        else
        {
            // a rejected cancel: the order is still live
            publishExecution(orders, side, slot, ExecType.REJECTED, 0, 0, 0, 0, reason, timeNs);
            orders.state[side][slot] = WorkingOrders.LIVE;
        }
    }

    public void onFill(
        final long clOrdId,
        final long lastPrice,
        final long lastQty,
        final long leavesQty,
        final long fee,
        final long tradeId,
        final long timeNs)
    {
        fillsCounter.increment();
        final long location = leavesQty == 0 ? orderLocation.remove(clOrdId) : orderLocation.get(clOrdId);
        if (location < 0)
        {
            return;
        }
        final WorkingOrders orders = instruments[instrumentIndex(location)];
        final int side = side(location);
        final int slot = slot(location);
        orders.leaves[side][slot] = leavesQty;
        publishExecution(orders, side, slot, ExecType.TRADE, lastPrice, lastQty, fee, tradeId, VenueRejectReason.NONE, timeNs);
        if (leavesQty == 0)
        {
            orders.state[side][slot] = WorkingOrders.EMPTY;
        }
        workingOrdersCounter.setRelease(venue == null ? 0 : venue.restingCount());
    }

    /** Where an order lives, packed for the primitive clOrdId map: instrument index, side, slot. */
    private static long location(final int instrumentIndex, final int side, final int slot)
    {
        return ((long)instrumentIndex << 16) | ((long)side << 8) | slot;
    }

    private static int instrumentIndex(final long location)
    {
        return (int)(location >>> 16);
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
        final WorkingOrders orders,
        final int side,
        final int slot,
        final ExecType execType,
        final long lastPrice,
        final long lastQty,
        final long fee,
        final long tradeId,
        final VenueRejectReason reason,
        final long timeNs)
    {
        if (venue == null)
        {
            return; // observe-only: shadow state changes are not venue answers, so nothing is reported
        }
        final long orderQty = orders.qty[side][slot];
        final long leavesQty = orders.leaves[side][slot];
        executionEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(currentEventSeq)
            .instrumentId(orders.instrument.id())
            .timeNs(timeNs)
            .clOrdId(orders.clOrdId[side][slot])
            .execType(execType)
            .side(side == 0 ? Side.BUY : Side.SELL)
            .price(orders.price[side][slot])
            .orderQty(orderQty)
            .lastPrice(lastPrice)
            .lastQty(lastQty)
            .leavesQty(execType == ExecType.CANCELED || execType == ExecType.REJECTED ? 0 : leavesQty)
            .cumQty(orderQty - leavesQty)
            .fee(fee)
            .tradeId(tradeId)
            .rejectReason(reason)
            .isMaker(execType == ExecType.TRADE ? BooleanType.TRUE : BooleanType.FALSE);
        executions.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ExecutionReportEncoder.BLOCK_LENGTH);
    }
}
