package mm.risk;

import io.aeron.Aeron;
import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.aeron.Inbox;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import mm.common.sbe.BestPrices;
import mm.sbe.ApprovedQuoteEncoder;
import mm.sbe.BookTopNDecoder;
import mm.sbe.CancelAllEncoder;
import mm.sbe.EndOfDataDecoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.KillDecoder;
import mm.sbe.MarkPriceDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.BooleanType;
import mm.sbe.ParameterChangeResultDecoder;
import mm.sbe.QuoteIntentDecoder;
import mm.sbe.RiskReason;
import mm.sbe.RiskRejectEncoder;
import mm.sbe.Side;
import mm.sbe.StepEndDecoder;
import mm.sbe.StepEndEncoder;
import mm.sbe.TradingState;
import mm.sbe.TradingStateChangeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import mm.common.agent.BoundedAgent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The risk guard: checks every quote intent against limits, passes the approved desired state to the
 * gateway (ApprovedQuote), reports each rejected level with its reason (RiskReject), keeps positions and
 * PnL from executions, and owns the kill switch (CancelAll, then nothing but empty quotes).
 * <p>
 * Inputs: market data (marks: the book mid, or a perpetual's MarkPrice once one has arrived), quote intents,
 * executions, control; lockstep ordering per step k is market data k, then intents of k, then executions of k.
 */
public final class RiskAgent implements BoundedAgent, Inbox.Handler
{
    public static final int AGENT_ID = 2;
    private static final int MARKET_DATA = 0;
    private static final int QUOTE_INTENTS = 1;
    private static final int EXECUTIONS = 2;
    private static final int CONTROL = 3;
    private static final int FRAGMENT_LIMIT = 16;

    /** Per-instrument limits and position. */
    static final class InstrumentRisk
    {
        final Instrument instrument;
        final PositionKeeper keeper = new PositionKeeper();
        final long maxPosition;
        final long maxOrderNotional;
        final AtomicCounter netPnl;
        final AtomicCounter fees;
        final AtomicCounter position;
        /** Once a mark price has arrived (perpetuals), it is the mark; book mids no longer move it. */
        boolean marksAtMarkPrice;

        InstrumentRisk(
            final Instrument instrument, final long maxPosition, final long maxOrderNotional, final Aeron aeron)
        {
            this.instrument = instrument;
            this.maxPosition = maxPosition;
            this.maxOrderNotional = maxOrderNotional;
            final String name = "risk " + instrument.symbol();
            netPnl = EngineCounters.add(aeron, name, "net pnl (money mantissa 10^" + instrument.moneyExponent() + ")");
            fees = EngineCounters.add(aeron, name, "fees (money mantissa 10^" + instrument.moneyExponent() + ")");
            position = EngineCounters.add(aeron, name, "position (qty mantissa 10^" + instrument.qtyExponent() + ")");
        }

        void publish()
        {
            netPnl.setRelease(keeper.netPnl());
            fees.setRelease(keeper.fees());
            position.setRelease(keeper.position());
        }
    }

    private final Int2ObjectHashMap<InstrumentRisk> byInstrument = new Int2ObjectHashMap<>();
    private final boolean lockstep;
    private final Inbox inbox;
    private final Outbox commands;

    private final BookTopNDecoder bookDecoder = new BookTopNDecoder();
    private final MarkPriceDecoder markPriceDecoder = new MarkPriceDecoder();
    private final BestPrices bestPrices = new BestPrices();
    private final QuoteIntentDecoder intentDecoder = new QuoteIntentDecoder();
    private final ExecutionReportDecoder executionDecoder = new ExecutionReportDecoder();
    private final StepEndDecoder stepEndDecoder = new StepEndDecoder();
    private final TradingStateChangeDecoder tradingStateDecoder = new TradingStateChangeDecoder();
    private final KillDecoder killDecoder = new KillDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ApprovedQuoteEncoder approvedEncoder = new ApprovedQuoteEncoder();
    private final RiskRejectEncoder rejectEncoder = new RiskRejectEncoder();
    private final CancelAllEncoder cancelAllEncoder = new CancelAllEncoder();
    private final StepEndEncoder stepEndEncoder = new StepEndEncoder();
    private final ExpandableDirectByteBuffer approvedBuffer = new ExpandableDirectByteBuffer(1024);
    private final ExpandableDirectByteBuffer sendBuffer = new ExpandableDirectByteBuffer(256);
    private final long[] levelPrices = new long[mm.common.Ladder.MAX_LEVELS];
    private final long[] levelQtys = new long[mm.common.Ladder.MAX_LEVELS];
    private final long[] approvedPrices = new long[mm.common.Ladder.MAX_LEVELS];
    private final long[] approvedQtys = new long[mm.common.Ladder.MAX_LEVELS];

    private long lastMdSeq;
    private long lastIntentStepEnd;
    private long executionsStepEnd;
    private long inputTimeNs;
    private TradingState tradingState = TradingState.ACTIVE;
    private long endOfDataSeq;

    private final AtomicCounter approvedCount;
    private final AtomicCounter rejectedLevels;
    private final AtomicCounter unknownMessages;
    private final AtomicCounter tradingStateCounter;
    private final AtomicCounter fillsCounter;

    public RiskAgent(final RiskContext context, final Aeron aeron, final Streams streams, final boolean journalInbox)
    {
        this.lockstep = context.lockstep();
        for (final Instrument instrument : context.registry().all())
        {
            byInstrument.put(instrument.id(), new InstrumentRisk(
                instrument,
                Decimals.parse(context.maxPositionText(), instrument.qtyExponent()),
                Decimals.parse(context.maxOrderNotionalText(), instrument.moneyExponent()),
                aeron));
        }
        this.commands = new Outbox(aeron.addExclusivePublication(streams.channel(), streams.orderCommands()));
        final Outbox tee = journalInbox ?
            new Outbox(aeron.addExclusivePublication(streams.channel(), streams.riskInbox())) : null;
        unknownMessages = EngineCounters.add(aeron, roleName(), "unknown messages skipped");
        this.inbox = new Inbox(this, unknownMessages, AGENT_ID, tee, commands);
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.marketData()));
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.quoteIntents()));
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.executions()));
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.control()));
        approvedCount = EngineCounters.add(aeron, roleName(), "approved quotes");
        rejectedLevels = EngineCounters.add(aeron, roleName(), "rejected levels");
        tradingStateCounter = EngineCounters.add(aeron, roleName(), "trading state (0 active, 1 reducing, 2 halted)");
        fillsCounter = EngineCounters.add(aeron, roleName(), "fills");
    }

    /** The agent's one ordered inbox; a replay hands it the journaled records directly. */
    public Inbox inbox()
    {
        return inbox;
    }

    public int doWork()
    {
        return inbox.poll(FRAGMENT_LIMIT);
    }

    public String roleName()
    {
        return "risk";
    }

    public boolean isDone()
    {
        return endOfDataSeq > 0 && (!lockstep || executionsStepEnd >= endOfDataSeq) && inbox.isFlushed();
    }

    public long inputTimeNs()
    {
        return inputTimeNs;
    }

    public TradingState tradingState()
    {
        return tradingState;
    }

    public PositionKeeper position(final int instrumentId)
    {
        return byInstrument.get(instrumentId).keeper;
    }

    public boolean canConsume(final int input, final long eventSeq)
    {
        if (!lockstep)
        {
            return true;
        }
        return switch (input)
        {
            case MARKET_DATA -> lastMdSeq == 0 || executionsStepEnd >= lastMdSeq;
            case EXECUTIONS -> eventSeq <= lastIntentStepEnd;
            default -> eventSeq <= lastMdSeq;
        };
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
        switch (input)
        {
            case MARKET_DATA -> onMarketData(templateId, eventSeq, buffer, offset, blockLength, version);
            case QUOTE_INTENTS -> onIntent(templateId, buffer, offset, blockLength, version);
            case EXECUTIONS -> onExecution(templateId, buffer, offset, blockLength, version);
            case CONTROL -> onControl(templateId, buffer, offset, blockLength, version);
            default -> unknownMessages.increment();
        }
    }

    private void onMarketData(
        final int templateId,
        final long eventSeq,
        final DirectBuffer buffer,
        final int offset,
        final int blockLength,
        final int version)
    {
        lastMdSeq = eventSeq;
        if (templateId == BookTopNDecoder.TEMPLATE_ID)
        {
            bookDecoder.wrap(buffer, offset, blockLength, version);
            inputTimeNs = bookDecoder.receiveTimeNs();
            final InstrumentRisk risk = byInstrument.get(bookDecoder.instrumentId());
            bestPrices.read(bookDecoder);
            if (risk != null && !risk.marksAtMarkPrice && bestPrices.isTwoSided())
            {
                risk.keeper.mark(bestPrices.midFloor());
                risk.publish();
            }
        }
        else if (templateId == MarkPriceDecoder.TEMPLATE_ID)
        {
            markPriceDecoder.wrap(buffer, offset, blockLength, version);
            inputTimeNs = markPriceDecoder.receiveTimeNs();
            final InstrumentRisk risk = byInstrument.get(markPriceDecoder.instrumentId());
            if (risk != null)
            {
                final long mark = markAtPriceExponent(
                    markPriceDecoder.markPrice(), markPriceDecoder.markPriceExponent(), risk.instrument.priceExponent());
                if (mark > 0)
                {
                    risk.marksAtMarkPrice = true;
                    risk.keeper.mark(mark);
                    risk.publish();
                }
            }
        }
        else if (templateId == EndOfDataDecoder.TEMPLATE_ID)
        {
            endOfDataSeq = lastMdSeq;
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

    private void onIntent(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (templateId == StepEndDecoder.TEMPLATE_ID)
        {
            stepEndDecoder.wrap(buffer, offset, blockLength, version);
            lastIntentStepEnd = stepEndDecoder.eventSeq();
            stepEndEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .eventSeq(lastIntentStepEnd)
                .timeNs(stepEndDecoder.timeNs());
            commands.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + StepEndEncoder.BLOCK_LENGTH);
            return;
        }
        if (templateId == ParameterChangeResultDecoder.TEMPLATE_ID)
        {
            return; // the quoting core's answer to a parameter change: journaled, nothing to check
        }
        if (templateId != QuoteIntentDecoder.TEMPLATE_ID)
        {
            unknownMessages.increment();
            return;
        }
        intentDecoder.wrap(buffer, offset, blockLength, version);
        final InstrumentRisk risk = byInstrument.get(intentDecoder.instrumentId());
        if (risk == null)
        {
            unknownMessages.increment();
            return;
        }
        final long eventSeq = intentDecoder.eventSeq();
        final long timeNs = intentDecoder.timeNs();
        final long intentSeq = intentDecoder.intentSeq();
        inputTimeNs = timeNs;

        final ApprovedQuoteEncoder approved = approvedEncoder.wrapAndApplyHeader(approvedBuffer, 0, headerEncoder)
            .eventSeq(eventSeq)
            .instrumentId(risk.instrument.id())
            .timeNs(timeNs)
            .intentSeq(intentSeq)
            .postOnly(intentDecoder.postOnly() == BooleanType.TRUE ? BooleanType.TRUE : BooleanType.FALSE);

        int count = 0;
        final QuoteIntentDecoder.BidsDecoder bids = intentDecoder.bids();
        while (bids.hasNext())
        {
            bids.next();
            levelPrices[count] = bids.price();
            levelQtys[count] = bids.qty();
            count++;
        }
        int approvedLevels = checkSide(risk, Side.BUY, count, eventSeq, timeNs, intentSeq);
        final ApprovedQuoteEncoder.BidsEncoder bidsOut = approved.bidsCount(approvedLevels);
        for (int i = 0; i < approvedLevels; i++)
        {
            bidsOut.next().price(approvedPrices[i]).qty(approvedQtys[i]);
        }

        count = 0;
        final QuoteIntentDecoder.AsksDecoder asks = intentDecoder.asks();
        while (asks.hasNext())
        {
            asks.next();
            levelPrices[count] = asks.price();
            levelQtys[count] = asks.qty();
            count++;
        }
        approvedLevels = checkSide(risk, Side.SELL, count, eventSeq, timeNs, intentSeq);
        final ApprovedQuoteEncoder.AsksEncoder asksOut = approved.asksCount(approvedLevels);
        for (int i = 0; i < approvedLevels; i++)
        {
            asksOut.next().price(approvedPrices[i]).qty(approvedQtys[i]);
        }
        commands.send(approvedBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + approved.encodedLength());
        approvedCount.increment();
    }

    /** Checks the levels in levelPrices/levelQtys in order; survivors go to approvedPrices/approvedQtys. */
    private int checkSide(
        final InstrumentRisk risk,
        final Side side,
        final int count,
        final long eventSeq,
        final long timeNs,
        final long intentSeq)
    {
        int approved = 0;
        long worstCasePosition = risk.keeper.position();
        for (int i = 0; i < count; i++)
        {
            final long price = levelPrices[i];
            final long qty = levelQtys[i];
            final RiskReason reason;
            final long value;
            final long limit;
            final long notional = Decimals.multiplyExact(price, qty);
            final long nextWorstCase = side == Side.BUY ? worstCasePosition + qty : worstCasePosition - qty;
            if (tradingState == TradingState.HALTED || tradingState == TradingState.MANUAL)
            {
                reason = RiskReason.TRADING_HALTED;
                value = 0;
                limit = 0;
            }
            else if (notional == Decimals.INVALID || notional > risk.maxOrderNotional)
            {
                reason = RiskReason.MAX_ORDER_NOTIONAL;
                value = notional;
                limit = risk.maxOrderNotional;
            }
            else if (Math.abs(nextWorstCase) > risk.maxPosition)
            {
                reason = RiskReason.MAX_POSITION;
                value = nextWorstCase;
                limit = risk.maxPosition;
            }
            else
            {
                approvedPrices[approved] = price;
                approvedQtys[approved] = qty;
                approved++;
                worstCasePosition = nextWorstCase;
                continue;
            }
            rejectedLevels.increment();
            rejectEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .eventSeq(eventSeq)
                .instrumentId(risk.instrument.id())
                .timeNs(timeNs)
                .intentSeq(intentSeq)
                .side(side)
                .price(price)
                .requestedQty(qty)
                .approvedQty(0)
                .reason(reason)
                .checkedValue(value)
                .limitValue(limit);
            commands.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + RiskRejectEncoder.BLOCK_LENGTH);
        }
        return approved;
    }

    private void onExecution(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (templateId == StepEndDecoder.TEMPLATE_ID)
        {
            stepEndDecoder.wrap(buffer, offset, blockLength, version);
            executionsStepEnd = stepEndDecoder.eventSeq();
            return;
        }
        if (templateId != ExecutionReportDecoder.TEMPLATE_ID)
        {
            unknownMessages.increment();
            return;
        }
        executionDecoder.wrap(buffer, offset, blockLength, version);
        inputTimeNs = executionDecoder.timeNs();
        final InstrumentRisk risk = byInstrument.get(executionDecoder.instrumentId());
        if (risk != null && executionDecoder.execType() == ExecType.TRADE)
        {
            final long qty = executionDecoder.lastQty();
            risk.keeper.onFill(
                executionDecoder.side() == Side.BUY ? qty : -qty, executionDecoder.lastPrice(), executionDecoder.fee());
            fillsCounter.increment();
            risk.publish();
        }
    }

    private void onControl(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (templateId == KillDecoder.TEMPLATE_ID)
        {
            killDecoder.wrap(buffer, offset, blockLength, version);
            inputTimeNs = Math.max(inputTimeNs, killDecoder.timeNs());
            halt(killDecoder.instrumentId(), RiskReason.KILL_SWITCH);
        }
        else if (templateId == TradingStateChangeDecoder.TEMPLATE_ID)
        {
            tradingStateDecoder.wrap(buffer, offset, blockLength, version);
            final TradingState state = tradingStateDecoder.state();
            if (state == TradingState.HALTED || state == TradingState.MANUAL)
            {
                halt(0, RiskReason.TRADING_HALTED);
            }
            tradingState = state;
            tradingStateCounter.setRelease(state.value());
        }
    }

    private void halt(final int instrumentId, final RiskReason reason)
    {
        tradingState = TradingState.HALTED;
        tradingStateCounter.setRelease(TradingState.HALTED.value());
        cancelAllEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(lastMdSeq)
            .instrumentId(instrumentId)
            .timeNs(inputTimeNs)
            .reason(reason);
        commands.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + CancelAllEncoder.BLOCK_LENGTH);
    }
}
