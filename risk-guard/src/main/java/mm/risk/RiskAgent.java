package mm.risk;

import io.aeron.Aeron;
import mm.common.aeron.Inbox;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.agent.EngineCounters;
import mm.sbe.BookTopNDecoder;
import mm.sbe.EndOfDataDecoder;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.FeedStatusDecoder;
import mm.sbe.HeartbeatDecoder;
import mm.sbe.KillDecoder;
import mm.sbe.MarkPriceDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.ParameterChangeDecoder;
import mm.sbe.ParameterChangeResultDecoder;
import mm.sbe.QuoteIntentDecoder;
import mm.sbe.StepEndDecoder;
import mm.sbe.StepEndEncoder;
import mm.sbe.TradeDecoder;
import mm.sbe.TradingState;
import mm.sbe.TradingStateChangeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.file.Path;

/**
 * The risk guard's agent: reads market data, quote intents, executions and control through one ordered
 * inbox, hands them to the {@link RiskGuard} (which decides) and publishes its decisions on ORDER_COMMANDS:
 * ApprovedQuote, RiskReject (every clip and reject, with its reason), CancelAll, TradingStateChange (every
 * change of the trading state) and ParameterChangeResult (its answer to a {@code risk.*} ParameterChange).
 * <p>
 * Lockstep order per step k: market data k (then the triggers are evaluated, including the effect of step
 * k-1's fills), intents of k (the quoting agent's StepEnd k is forwarded on ORDER_COMMANDS), executions of k.
 * A state change caused by step k-1's fills is therefore published in step k, before its StepEnd, with
 * eventSeq k: the same place in every deployment shape.
 */
public final class RiskAgent implements BoundedAgent, Inbox.Handler
{
    public static final int AGENT_ID = RiskGuard.AGENT_ID;
    private static final int MARKET_DATA = 0;
    private static final int QUOTE_INTENTS = 1;
    private static final int EXECUTIONS = 2;
    private static final int CONTROL = 3;
    private static final int FRAGMENT_LIMIT = 16;

    private final boolean lockstep;
    private final Inbox inbox;
    private final Outbox commands;
    private final RiskGuard guard;
    private final LazyAsyncSink postMortems;

    private final BookTopNDecoder bookDecoder = new BookTopNDecoder();
    private final MarkPriceDecoder markPriceDecoder = new MarkPriceDecoder();
    private final FeedStatusDecoder feedStatusDecoder = new FeedStatusDecoder();
    private final TradeDecoder tradeDecoder = new TradeDecoder();
    private final EndOfDataDecoder endOfDataDecoder = new EndOfDataDecoder();
    private final QuoteIntentDecoder intentDecoder = new QuoteIntentDecoder();
    private final ExecutionReportDecoder executionDecoder = new ExecutionReportDecoder();
    private final StepEndDecoder stepEndDecoder = new StepEndDecoder();
    private final TradingStateChangeDecoder tradingStateDecoder = new TradingStateChangeDecoder();
    private final KillDecoder killDecoder = new KillDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final ParameterChangeDecoder parameterDecoder = new ParameterChangeDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final StepEndEncoder stepEndEncoder = new StepEndEncoder();
    private final ExpandableDirectByteBuffer sendBuffer = new ExpandableDirectByteBuffer(64);
    private final ExpandableDirectByteBuffer textBuffer = new ExpandableDirectByteBuffer(1024);

    private long lastMdSeq;
    private long lastIntentStepEnd;
    private long executionsStepEnd;
    private long endOfDataSeq;

    private final AtomicCounter unknownMessages;

    public RiskAgent(final RiskContext context, final Aeron aeron, final Streams streams, final boolean journalInbox)
    {
        this(context, aeron, streams, journalInbox, null);
    }

    /**
     * @param postMortemSink where post-mortems go; null: written to {@link RiskContext#postMortemDir()} on a
     *                       background thread started at the first one.
     */
    public RiskAgent(
        final RiskContext context,
        final Aeron aeron,
        final Streams streams,
        final boolean journalInbox,
        final PostMortem.Sink postMortemSink)
    {
        this.lockstep = context.lockstep();
        this.commands = new Outbox(aeron.addExclusivePublication(streams.publicationChannel(streams.orderCommands()), streams.orderCommands()));
        final Outbox tee = journalInbox ?
            new Outbox(aeron.addExclusivePublication(streams.publicationChannel(streams.riskInbox()), streams.riskInbox())) : null;
        unknownMessages = EngineCounters.add(aeron, roleName(), "unknown messages skipped");
        this.inbox = new Inbox(this, unknownMessages, AGENT_ID, tee, commands);
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.marketData()), streams.marketData()));
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.quoteIntents()), streams.quoteIntents()));
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.executions()), streams.executions()));
        inbox.addInput(aeron.addSubscription(streams.subscriptionChannel(streams.control()), streams.control()));
        this.postMortems = postMortemSink == null ? new LazyAsyncSink() : null;
        final Outbox out = commands;
        this.guard = new RiskGuard(context, out::send, (agent, name) -> EngineCounters.add(aeron, agent, name),
            postMortemSink != null ? postMortemSink : postMortems);
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

    public void onClose()
    {
        if (postMortems != null)
        {
            postMortems.close();
        }
    }

    public String roleName()
    {
        return RiskGuard.ROLE;
    }

    public boolean isDone()
    {
        return endOfDataSeq > 0 && (!lockstep || executionsStepEnd >= endOfDataSeq) && inbox.isFlushed();
    }

    public long inputTimeNs()
    {
        return guard.nowNs();
    }

    public TradingState tradingState()
    {
        return guard.tradingState();
    }

    public PositionKeeper position(final int instrumentId)
    {
        return guard.position(instrumentId);
    }

    /** Inputs consumed so far (tests drive until an input has been consumed). */
    public long consumedCount()
    {
        return inbox.consumedCount();
    }

    /** Everything decided so far has been offered to ORDER_COMMANDS (nothing queued for back-pressure). */
    public boolean isFlushed()
    {
        return inbox.isFlushed();
    }

    /** The deciding core, for tests and tools. */
    public RiskGuard guard()
    {
        return guard;
    }

    /** Waits for post-mortems handed to the background writer; true at once when there is none. */
    public boolean awaitPostMortems(final long timeoutMs) throws InterruptedException
    {
        return postMortems == null || postMortems.awaitIdle(timeoutMs);
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

    /**
     * The gateway's step ends only pace this agent: not journaled. The quoting core's are, as this agent forwards
     * them on ORDER_COMMANDS.
     */
    public boolean journals(final int input, final int templateId)
    {
        return input != EXECUTIONS || templateId != StepEndDecoder.TEMPLATE_ID;
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
        lastMdSeq = eventSeq;
        switch (templateId)
        {
            case BookTopNDecoder.TEMPLATE_ID ->
            {
                bookDecoder.wrap(buffer, offset, blockLength, version);
                guard.onMarketDataTime(eventSeq, bookDecoder.receiveTimeNs());
                guard.onBook(bookDecoder);
            }
            case MarkPriceDecoder.TEMPLATE_ID ->
            {
                markPriceDecoder.wrap(buffer, offset, blockLength, version);
                guard.onMarketDataTime(eventSeq, markPriceDecoder.receiveTimeNs());
                guard.onMarkPrice(markPriceDecoder);
            }
            case FeedStatusDecoder.TEMPLATE_ID ->
            {
                feedStatusDecoder.wrap(buffer, offset, blockLength, version);
                guard.onMarketDataTime(eventSeq, feedStatusDecoder.receiveTimeNs());
                guard.onFeedStatus(feedStatusDecoder);
            }
            case TradeDecoder.TEMPLATE_ID ->
            {
                tradeDecoder.wrap(buffer, offset, blockLength, version);
                guard.onMarketDataTime(eventSeq, tradeDecoder.receiveTimeNs());
            }
            case EndOfDataDecoder.TEMPLATE_ID ->
            {
                endOfDataDecoder.wrap(buffer, offset, blockLength, version);
                guard.onMarketDataTime(eventSeq, endOfDataDecoder.receiveTimeNs());
                endOfDataSeq = eventSeq;
            }
            default ->
            {
                unknownMessages.incrementRelease();
                guard.onMarketDataTime(eventSeq, 0);
            }
        }
        guard.evaluate();
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
            unknownMessages.incrementRelease();
            return;
        }
        intentDecoder.wrap(buffer, offset, blockLength, version);
        if (!guard.onIntent(intentDecoder))
        {
            unknownMessages.incrementRelease();
        }
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
            unknownMessages.incrementRelease();
            return;
        }
        executionDecoder.wrap(buffer, offset, blockLength, version);
        if (!guard.onExecution(executionDecoder))
        {
            unknownMessages.incrementRelease();
        }
    }

    private void onControl(
        final int templateId, final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        switch (templateId)
        {
            case KillDecoder.TEMPLATE_ID ->
            {
                killDecoder.wrap(buffer, offset, blockLength, version);
                final long timeNs = killDecoder.timeNs();
                final int instrumentId = killDecoder.instrumentId();
                final int length = killDecoder.getReason(textBuffer, 0, textBuffer.capacity());
                if (!guard.onKill(timeNs, instrumentId, textBuffer, 0, length))
                {
                    unknownMessages.incrementRelease();
                }
            }
            case TradingStateChangeDecoder.TEMPLATE_ID ->
            {
                tradingStateDecoder.wrap(buffer, offset, blockLength, version);
                final long timeNs = tradingStateDecoder.timeNs();
                final TradingState state = tradingStateDecoder.state();
                final int length = tradingStateDecoder.getReason(textBuffer, 0, textBuffer.capacity());
                guard.onOperatorState(timeNs, state, textBuffer, 0, length);
            }
            case ParameterChangeDecoder.TEMPLATE_ID ->
            {
                // rare, operator-driven: decoding the strings may allocate
                parameterDecoder.wrap(buffer, offset, blockLength, version);
                final long timeNs = parameterDecoder.timeNs();
                final String key = parameterDecoder.key();
                final String value = parameterDecoder.value();
                guard.onParameterChange(timeNs, key, value);
            }
            case HeartbeatDecoder.TEMPLATE_ID ->
            {
                heartbeatDecoder.wrap(buffer, offset, blockLength, version);
                guard.onHeartbeat(heartbeatDecoder.timeNs());
                guard.evaluate();
            }
            default ->
            {
                // answers of other agents and anything newer: not for the risk guard
            }
        }
    }

    /** The default post-mortem sink: an {@link PostMortem.AsyncWriter} started at the first post-mortem. */
    private static final class LazyAsyncSink implements PostMortem.Sink
    {
        private PostMortem.AsyncWriter writer;

        public void write(final Path dir, final String fileName, final String json)
        {
            if (writer == null)
            {
                writer = new PostMortem.AsyncWriter();
            }
            writer.write(dir, fileName, json);
        }

        boolean awaitIdle(final long timeoutMs) throws InterruptedException
        {
            return writer == null || writer.awaitIdle(timeoutMs);
        }

        void close()
        {
            if (writer != null)
            {
                writer.close();
            }
        }
    }
}
