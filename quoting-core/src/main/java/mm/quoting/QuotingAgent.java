package mm.quoting;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.aeron.Inbox;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import mm.sbe.BookTopNDecoder;
import mm.sbe.EndOfDataDecoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusDecoder;
import mm.sbe.KillDecoder;
import mm.sbe.MarkPriceDecoder;
import mm.sbe.BooleanType;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.ParameterChangeDecoder;
import mm.sbe.ParameterChangeResultEncoder;
import mm.sbe.QuoteIntentEncoder;
import mm.sbe.StepEndDecoder;
import mm.sbe.StepEndEncoder;
import mm.sbe.TradeDecoder;
import mm.sbe.TradingStateChangeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import mm.common.agent.BoundedAgent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The quoting core: turns books, trades, fills and control into desired quotes (QuoteIntent), sent only
 * when the desired state changes. The decisions are made by {@link QuoteEngine}; this agent decodes inputs,
 * keeps the lockstep order and encodes outputs. Time comes only from input messages.
 * <p>
 * Inputs: market data, executions, control, and the risk guard's ORDER_COMMANDS (only its
 * TradingStateChange is used: the risk guard owns the trading state). In lockstep mode market-data event k+1
 * is consumed only after both the risk guard's and the gateway's StepEnd k; within step k the risk guard's
 * commands come before the gateway's executions: the same order in every deployment shape. Intents are
 * computed on market data; fills and state changes update what the next market-data event quotes from.
 * Kill and operator trading-state changes on CONTROL pull quotes at once; a parameter change is answered
 * with a ParameterChangeResult and takes effect on the next market-data event.
 */
public final class QuotingAgent implements BoundedAgent, Inbox.Handler
{
    public static final int AGENT_ID = 1;
    private static final int MARKET_DATA = 0;
    private static final int EXECUTIONS = 1;
    private static final int CONTROL = 2;
    private static final int ORDER_COMMANDS = 3;
    private static final int FRAGMENT_LIMIT = 16;

    private final Instrument instrument;
    private final int instrumentId;
    private final QuoteEngine engine;
    private final boolean lockstep;
    private final Inbox inbox;
    private final Outbox intents;

    private final BookTopNDecoder bookDecoder = new BookTopNDecoder();
    private final TradeDecoder tradeDecoder = new TradeDecoder();
    private final FeedStatusDecoder feedStatusDecoder = new FeedStatusDecoder();
    private final EndOfDataDecoder endOfDataDecoder = new EndOfDataDecoder();
    private final MarkPriceDecoder markPriceDecoder = new MarkPriceDecoder();
    private final StepEndDecoder stepEndDecoder = new StepEndDecoder();
    private final ExecutionReportDecoder executionDecoder = new ExecutionReportDecoder();
    private final TradingStateChangeDecoder tradingStateDecoder = new TradingStateChangeDecoder();
    private final KillDecoder killDecoder = new KillDecoder();
    private final ParameterChangeDecoder parameterChangeDecoder = new ParameterChangeDecoder();
    private final ParameterChangeResultEncoder parameterResultEncoder = new ParameterChangeResultEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final QuoteIntentEncoder intentEncoder = new QuoteIntentEncoder();
    private final StepEndEncoder stepEndEncoder = new StepEndEncoder();
    private final ExpandableDirectByteBuffer sendBuffer = new ExpandableDirectByteBuffer(1024);

    private long intentSeq;

    private long lastMdSeq;
    private long executionsStepEnd;
    private long commandsStepEnd;
    private long inputTimeNs;
    private long endOfDataSeq;

    private final AtomicCounter intentsSent;
    private final AtomicCounter positionCounter;
    private final AtomicCounter unknownMessages;
    private final AtomicCounter parameterChangesAccepted;
    private final AtomicCounter parameterChangesRejected;
    private final AtomicCounter suppressedByTolerance;
    private final AtomicCounter levelsClippedByPosition;

    public QuotingAgent(final QuotingContext context, final Aeron aeron, final Streams streams, final boolean journalInbox)
    {
        this.instrument = context.instrument();
        this.instrumentId = instrument.id();
        this.engine = new QuoteEngine(context.parameters());
        this.lockstep = context.lockstep();
        this.intents = new Outbox(aeron.addExclusivePublication(streams.publicationChannel(streams.quoteIntents()), streams.quoteIntents()));
        final Outbox tee = journalInbox ?
            new Outbox(aeron.addExclusivePublication(streams.publicationChannel(streams.quotingInbox()), streams.quotingInbox())) : null;
        unknownMessages = EngineCounters.add(aeron, roleName(), "unknown messages skipped");
        this.inbox = new Inbox(this, unknownMessages, AGENT_ID, tee, intents);
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.marketData()), streams.marketData()));
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.executions()), streams.executions()));
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.control()), streams.control()));
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.orderCommands()), streams.orderCommands()));
        intentsSent = EngineCounters.add(aeron, roleName(), "quote intents sent");
        positionCounter = EngineCounters.add(aeron, roleName(), "position (qty mantissa)");
        parameterChangesAccepted = EngineCounters.add(aeron, roleName(), "parameter changes accepted");
        parameterChangesRejected = EngineCounters.add(aeron, roleName(), "parameter changes rejected");
        suppressedByTolerance = EngineCounters.add(aeron, roleName(), "requotes suppressed by tolerance");
        levelsClippedByPosition = EngineCounters.add(aeron, roleName(), "levels clipped by position limit");
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
        return "quoting";
    }

    /** A bounded run (a recording) has been fully quoted and its last fills applied. */
    public boolean isDone()
    {
        return endOfDataSeq > 0 && (!lockstep || executionsStepEnd >= endOfDataSeq) && inbox.isFlushed();
    }

    public long position()
    {
        return engine.position();
    }

    /** The deciding logic, for tests and diagnostics. */
    public QuoteEngine engine()
    {
        return engine;
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
        return switch (input)
        {
            case MARKET_DATA -> lastMdSeq == 0 || (executionsStepEnd >= lastMdSeq && commandsStepEnd >= lastMdSeq);
            case EXECUTIONS -> eventSeq <= lastMdSeq && commandsStepEnd >= eventSeq;
            default -> eventSeq <= lastMdSeq;
        };
    }

    /**
     * The risk guard's and the gateway's step ends only pace this agent (they change nothing it decides): not
     * journaled, two inbox records an event fewer in lockstep.
     */
    public boolean journals(final int input, final int templateId)
    {
        return templateId != StepEndDecoder.TEMPLATE_ID;
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
            case EXECUTIONS -> onExecution(templateId, buffer, offset, blockLength, version);
            case CONTROL -> onControl(templateId, buffer, offset, blockLength, version);
            case ORDER_COMMANDS -> onOrderCommand(templateId, buffer, offset, blockLength, version);
            default -> unknownMessages.incrementRelease();
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
        switch (templateId)
        {
            case BookTopNDecoder.TEMPLATE_ID ->
            {
                bookDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = bookDecoder.receiveTimeNs();
                if (bookDecoder.instrumentId() == instrumentId)
                {
                    engine.onBook(bookDecoder, inputTimeNs);
                    requote(eventSeq);
                }
            }
            case TradeDecoder.TEMPLATE_ID ->
            {
                tradeDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = tradeDecoder.receiveTimeNs();
                if (tradeDecoder.instrumentId() == instrumentId)
                {
                    engine.onTrade(tradeDecoder.qty(), tradeDecoder.aggressorSide());
                }
            }
            case FeedStatusDecoder.TEMPLATE_ID ->
            {
                feedStatusDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = feedStatusDecoder.receiveTimeNs();
                if (feedStatusDecoder.instrumentId() == instrumentId)
                {
                    engine.onFeedState(feedStatusDecoder.state() == FeedState.SYNCED);
                    requote(eventSeq);
                }
            }
            case EndOfDataDecoder.TEMPLATE_ID ->
            {
                endOfDataDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = endOfDataDecoder.receiveTimeNs();
                endOfDataSeq = eventSeq;
            }
            case MarkPriceDecoder.TEMPLATE_ID ->
            {
                // Known and not used by the quoting model (yet): it still moves input time and ends its step.
                markPriceDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = markPriceDecoder.receiveTimeNs();
            }
            default -> unknownMessages.incrementRelease();
        }
        lastMdSeq = eventSeq;
        if (lockstep)
        {
            stepEndEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).eventSeq(eventSeq).timeNs(inputTimeNs);
            intents.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + StepEndEncoder.BLOCK_LENGTH);
        }
    }

    private void onExecution(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (templateId == ExecutionReportDecoder.TEMPLATE_ID)
        {
            executionDecoder.wrap(buffer, offset, blockLength, version);
            if (executionDecoder.instrumentId() == instrumentId && executionDecoder.execType() == ExecType.TRADE)
            {
                engine.onFill(executionDecoder.side(), executionDecoder.lastPrice(), executionDecoder.lastQty());
                positionCounter.setRelease(engine.position());
            }
        }
        else if (templateId == StepEndDecoder.TEMPLATE_ID)
        {
            stepEndDecoder.wrap(buffer, offset, blockLength, version);
            executionsStepEnd = stepEndDecoder.eventSeq();
        }
        else
        {
            unknownMessages.incrementRelease();
        }
    }

    private void onControl(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        switch (templateId)
        {
            case TradingStateChangeDecoder.TEMPLATE_ID ->
            {
                tradingStateDecoder.wrap(buffer, offset, blockLength, version);
                engine.onTradingState(tradingStateDecoder.state());
                requote(lastMdSeq);
            }
            case KillDecoder.TEMPLATE_ID ->
            {
                killDecoder.wrap(buffer, offset, blockLength, version);
                if (killDecoder.instrumentId() == 0 || killDecoder.instrumentId() == instrumentId)
                {
                    engine.onKill();
                    requote(lastMdSeq);
                }
            }
            case ParameterChangeDecoder.TEMPLATE_ID ->
            {
                parameterChangeDecoder.wrap(buffer, offset, blockLength, version);
                onParameterChange(parameterChangeDecoder.key(), parameterChangeDecoder.value());
            }
            default ->
            {
                // heartbeats and messages for other agents
            }
        }
    }

    /**
     * Keys under {@code quoting.} are ours: validated with the config rules, applied on the next market-data
     * event, and answered either way on QUOTE_INTENTS so the journal holds every change next to the quotes it
     * affects. Other keys belong to other agents and are ignored. Runs rarely; may allocate.
     */
    private void onParameterChange(final String key, final String value)
    {
        if (!key.startsWith(QuotingParameters.PREFIX))
        {
            return;
        }
        final String rejection = engine.applyChange(key, value);
        (rejection == null ? parameterChangesAccepted : parameterChangesRejected).incrementRelease();
        final ParameterChangeResultEncoder encoder = parameterResultEncoder
            .wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(lastMdSeq)
            .timeNs(inputTimeNs)
            .agentId(AGENT_ID)
            .accepted(rejection == null ? BooleanType.TRUE : BooleanType.FALSE)
            .key(key)
            .value(value)
            .reason(rejection == null ? "" : rejection);
        intents.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** The risk guard's trading state (REDUCING, HALTED...) and the end of its step; the rest is the gateway's. */
    private void onOrderCommand(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (templateId == TradingStateChangeDecoder.TEMPLATE_ID)
        {
            tradingStateDecoder.wrap(buffer, offset, blockLength, version);
            // takes effect on the next market-data event of this agent, like a fill
            engine.onTradingState(tradingStateDecoder.state());
        }
        else if (templateId == StepEndDecoder.TEMPLATE_ID)
        {
            stepEndDecoder.wrap(buffer, offset, blockLength, version);
            commandsStepEnd = stepEndDecoder.eventSeq();
        }
    }

    private void requote(final long eventSeq)
    {
        if (!engine.update(inputTimeNs))
        {
            suppressedByTolerance.setRelease(engine.suppressedByTolerance());
            return;
        }
        final Ladder desired = engine.desired();
        final QuoteIntentEncoder encoder = intentEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(eventSeq)
            .instrumentId(instrumentId)
            .timeNs(inputTimeNs)
            .intentSeq(++intentSeq)
            .fairPrice(engine.fairPrice())
            .postOnly(engine.postOnly() ? BooleanType.TRUE : BooleanType.FALSE);
        final QuoteIntentEncoder.BidsEncoder bids = encoder.bidsCount(desired.bidCount());
        for (int i = 0; i < desired.bidCount(); i++)
        {
            bids.next().price(desired.price(0, i)).qty(desired.qty(0, i));
        }
        final QuoteIntentEncoder.AsksEncoder asks = encoder.asksCount(desired.askCount());
        for (int i = 0; i < desired.askCount(); i++)
        {
            asks.next().price(desired.price(1, i)).qty(desired.qty(1, i));
        }
        intents.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        intentsSent.incrementRelease();
        levelsClippedByPosition.setRelease(engine.levelsClippedByPosition());
    }
}
