package mm.quoting;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.aeron.Inbox;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import mm.common.sbe.BestPrices;
import mm.sbe.BookTopNDecoder;
import mm.sbe.EndOfDataDecoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusDecoder;
import mm.sbe.KillDecoder;
import mm.sbe.MarkPriceDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.QuoteIntentEncoder;
import mm.sbe.Side;
import mm.sbe.StepEndDecoder;
import mm.sbe.StepEndEncoder;
import mm.sbe.TradeDecoder;
import mm.sbe.TradingState;
import mm.sbe.TradingStateChangeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import mm.common.agent.BoundedAgent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The quoting core: turns books, trades, fills and control into desired quotes (QuoteIntent), sent only
 * when the desired state changes. Time comes only from input messages.
 * <p>
 * Inputs: market data, executions, control. In lockstep mode market-data event k is consumed only after the
 * gateway's StepEnd for the previous event, and an execution of step k only after event k: the same order
 * in every deployment shape. Intents are computed on market data; fills update inventory that the next
 * market-data event quotes from.
 */
public final class QuotingAgent implements BoundedAgent, Inbox.Handler
{
    public static final int AGENT_ID = 1;
    private static final int MARKET_DATA = 0;
    private static final int EXECUTIONS = 1;
    private static final int CONTROL = 2;
    private static final int FRAGMENT_LIMIT = 16;

    private final Instrument instrument;
    private final int instrumentId;
    private final QuotingModel model;
    private final boolean lockstep;
    private final Inbox inbox;
    private final Outbox intents;

    private final BookTopNDecoder bookDecoder = new BookTopNDecoder();
    private final BestPrices bestPrices = new BestPrices();
    private final TradeDecoder tradeDecoder = new TradeDecoder();
    private final FeedStatusDecoder feedStatusDecoder = new FeedStatusDecoder();
    private final EndOfDataDecoder endOfDataDecoder = new EndOfDataDecoder();
    private final MarkPriceDecoder markPriceDecoder = new MarkPriceDecoder();
    private final StepEndDecoder stepEndDecoder = new StepEndDecoder();
    private final ExecutionReportDecoder executionDecoder = new ExecutionReportDecoder();
    private final TradingStateChangeDecoder tradingStateDecoder = new TradingStateChangeDecoder();
    private final KillDecoder killDecoder = new KillDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final QuoteIntentEncoder intentEncoder = new QuoteIntentEncoder();
    private final StepEndEncoder stepEndEncoder = new StepEndEncoder();
    private final ExpandableDirectByteBuffer sendBuffer = new ExpandableDirectByteBuffer(1024);

    private final Ladder desired = new Ladder();
    /** What was last sent; starts empty, the state before any quote. */
    private final Ladder lastSent = new Ladder();
    private long intentSeq;

    private long lastMdSeq;
    private long executionsStepEnd;
    private long inputTimeNs;
    private long bestBid;
    private long bestAsk;
    private boolean bookValid;
    private boolean feedSynced;
    private boolean halted;
    private long position;
    private long endOfDataSeq;

    private final AtomicCounter intentsSent;
    private final AtomicCounter positionCounter;
    private final AtomicCounter unknownMessages;

    public QuotingAgent(final QuotingContext context, final Aeron aeron, final Streams streams, final boolean journalInbox)
    {
        this.instrument = context.instrument();
        this.instrumentId = instrument.id();
        this.model = context.newModel();
        this.lockstep = context.lockstep();
        this.intents = new Outbox(aeron.addExclusivePublication(streams.channel(), streams.quoteIntents()));
        final Outbox tee = journalInbox ?
            new Outbox(aeron.addExclusivePublication(streams.channel(), streams.quotingInbox())) : null;
        unknownMessages = EngineCounters.add(aeron, roleName(), "unknown messages skipped");
        this.inbox = new Inbox(this, unknownMessages, AGENT_ID, tee, intents);
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.marketData()));
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.executions()));
        inbox.addInput(aeron.addSubscription(streams.channel(), streams.control()));
        intentsSent = EngineCounters.add(aeron, roleName(), "quote intents sent");
        positionCounter = EngineCounters.add(aeron, roleName(), "position (qty mantissa)");
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
        return position;
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
            return lastMdSeq == 0 || executionsStepEnd >= lastMdSeq;
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
        switch (input)
        {
            case MARKET_DATA -> onMarketData(templateId, eventSeq, buffer, offset, blockLength, version);
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
        switch (templateId)
        {
            case BookTopNDecoder.TEMPLATE_ID ->
            {
                bookDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = bookDecoder.receiveTimeNs();
                if (bookDecoder.instrumentId() == instrumentId)
                {
                    bestPrices.read(bookDecoder);
                    bestBid = bestPrices.bid();
                    bestAsk = bestPrices.ask();
                    bookValid = bestPrices.isTwoSided();
                    requote(eventSeq);
                }
            }
            case TradeDecoder.TEMPLATE_ID ->
            {
                tradeDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = tradeDecoder.receiveTimeNs();
            }
            case FeedStatusDecoder.TEMPLATE_ID ->
            {
                feedStatusDecoder.wrap(buffer, offset, blockLength, version);
                inputTimeNs = feedStatusDecoder.receiveTimeNs();
                if (feedStatusDecoder.instrumentId() == instrumentId)
                {
                    feedSynced = feedStatusDecoder.state() == FeedState.SYNCED;
                    if (!feedSynced)
                    {
                        bookValid = false;
                    }
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
            default -> unknownMessages.increment();
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
                final long lastQty = executionDecoder.lastQty();
                position += executionDecoder.side() == Side.BUY ? lastQty : -lastQty;
                positionCounter.setRelease(position);
            }
        }
        else if (templateId == StepEndDecoder.TEMPLATE_ID)
        {
            stepEndDecoder.wrap(buffer, offset, blockLength, version);
            executionsStepEnd = stepEndDecoder.eventSeq();
        }
        else
        {
            unknownMessages.increment();
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
                final TradingState state = tradingStateDecoder.state();
                halted = state == TradingState.HALTED || state == TradingState.MANUAL;
                requote(lastMdSeq);
            }
            case KillDecoder.TEMPLATE_ID ->
            {
                killDecoder.wrap(buffer, offset, blockLength, version);
                if (killDecoder.instrumentId() == 0 || killDecoder.instrumentId() == instrumentId)
                {
                    halted = true;
                    requote(lastMdSeq);
                }
            }
            default ->
            {
                // heartbeats and parameter changes for other agents
            }
        }
    }

    private void requote(final long eventSeq)
    {
        desired.clear();
        if (bookValid && feedSynced && !halted)
        {
            model.quote(instrument, bestBid, bestAsk, position, desired);
        }
        if (desired.sameAs(lastSent))
        {
            return;
        }
        final QuoteIntentEncoder encoder = intentEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(eventSeq)
            .instrumentId(instrumentId)
            .timeNs(inputTimeNs)
            .intentSeq(++intentSeq)
            .fairPrice(bookValid ? Math.floorDiv(bestBid + bestAsk, 2) : 0);
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
        lastSent.copyFrom(desired);
        intentsSent.increment();
    }
}
