package mm.feed.binance;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.agent.EngineCounters;
import mm.sbe.BookTopNEncoder;
import mm.sbe.EndOfDataEncoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusEncoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.Side;
import mm.sbe.TradeEncoder;
import org.agrona.CloseHelper;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.function.BooleanSupplier;

/**
 * Replays a recorded Binance JSON session (hftbacktest line format) through {@link BookSync} and publishes
 * normalised market data on MARKET_DATA: a top-N book after the snapshot and after every applied diff, every
 * trade, every change of sync state, and EndOfData after the last line. Every message gets the next
 * {@code eventSeq}. Paced by the recorded receive times times a speed factor, or as fast as consumers take
 * it (back-pressure holds the replay, nothing is dropped).
 */
public final class BinanceRecordingFeedAgent implements BoundedAgent, BookSyncListener
{
    private static final int LINES_PER_DUTY_CYCLE = 64;

    private final Instrument instrument;
    private final int instrumentId;
    private final int bookDepth;
    private final double speed;
    private final BooleanSupplier startGate;
    private final Outbox marketData;
    private final RecordingReader reader;
    private final BookSync sync;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final BookTopNEncoder bookEncoder = new BookTopNEncoder();
    private final TradeEncoder tradeEncoder = new TradeEncoder();
    private final FeedStatusEncoder statusEncoder = new FeedStatusEncoder();
    private final EndOfDataEncoder endOfDataEncoder = new EndOfDataEncoder();
    private final ExpandableDirectByteBuffer sendBuffer = new ExpandableDirectByteBuffer(1024);
    private final long[] levelPrices = new long[FeedContext.MAX_BOOK_DEPTH];
    private final long[] levelQtys = new long[FeedContext.MAX_BOOK_DEPTH];

    private boolean started;
    private boolean linePending;
    private boolean finished;
    private long eventSeq;
    private long startNs;
    private long firstReceiveTimeNs = Long.MIN_VALUE;
    private long lastReceiveTimeNs;

    private final AtomicCounter eventsPublished;
    private final AtomicCounter bookState;
    private final AtomicCounter bestBid;
    private final AtomicCounter bestAsk;
    private final AtomicCounter diffsApplied;
    private final AtomicCounter gaps;
    private final AtomicCounter bookTickerChecks;
    private final AtomicCounter bookTickerMismatches;
    private final AtomicCounter malformed;
    private final AtomicCounter rejectedValues;

    /**
     * @param startGate true once every consumer has subscribed; nothing is published before.
     */
    public BinanceRecordingFeedAgent(
        final FeedContext context, final Aeron aeron, final Streams streams, final BooleanSupplier startGate)
    {
        this.instrument = context.instrument();
        this.instrumentId = instrument.id();
        this.bookDepth = context.bookDepth();
        this.speed = context.speed();
        this.startGate = startGate;
        this.marketData = new Outbox(aeron.addExclusivePublication(streams.channel(), streams.marketData()));
        this.reader = new RecordingReader(context.files());
        this.sync = new BookSync(this, instrument);
        final String name = roleName();
        eventsPublished = EngineCounters.add(aeron, name, "events published");
        bookState = EngineCounters.add(aeron, name, "book state (0 synced, 1 resyncing, 2 stale, 3 disconnected)");
        bookState.setRelease(FeedState.RESYNCING.value());
        bestBid = EngineCounters.add(aeron, name, "best bid (price mantissa 10^" + instrument.priceExponent() + ")");
        bestAsk = EngineCounters.add(aeron, name, "best ask (price mantissa 10^" + instrument.priceExponent() + ")");
        diffsApplied = EngineCounters.add(aeron, name, "diffs applied");
        gaps = EngineCounters.add(aeron, name, "gaps");
        bookTickerChecks = EngineCounters.add(aeron, name, "bookTicker checks");
        bookTickerMismatches = EngineCounters.add(aeron, name, "bookTicker mismatches");
        malformed = EngineCounters.add(aeron, name, "malformed lines");
        rejectedValues = EngineCounters.add(aeron, name, "rejected values");
    }

    public String roleName()
    {
        return "feed-binance";
    }

    public int doWork()
    {
        int work = marketData.flush();
        if (finished || !marketData.isEmpty())
        {
            return work;
        }
        if (!started)
        {
            if (!startGate.getAsBoolean())
            {
                return work;
            }
            started = true;
            startNs = System.nanoTime();
        }
        for (int i = 0; i < LINES_PER_DUTY_CYCLE && marketData.isEmpty(); i++)
        {
            if (!linePending)
            {
                if (!reader.next())
                {
                    publishEndOfData();
                    finished = true;
                    break;
                }
                linePending = true;
                if (firstReceiveTimeNs == Long.MIN_VALUE)
                {
                    firstReceiveTimeNs = reader.receiveTimeNs();
                }
            }
            if (speed > 0 && System.nanoTime() - startNs < (long)((reader.receiveTimeNs() - firstReceiveTimeNs) / speed))
            {
                break; // not due yet
            }
            lastReceiveTimeNs = reader.receiveTimeNs();
            sync.onLine(reader.buffer(), reader.jsonOffset(), reader.jsonLength(), lastReceiveTimeNs);
            linePending = false;
            work++;
        }
        updateCounters();
        return work;
    }

    public boolean isDone()
    {
        return finished && marketData.isEmpty();
    }

    public BookSync sync()
    {
        return sync;
    }

    public void onClose()
    {
        CloseHelper.quietClose(reader);
    }

    public void onBook(
        final OrderBook book,
        final long firstUpdateId,
        final long lastUpdateId,
        final long exchangeTimeNs,
        final long receiveTimeNs)
    {
        final BookTopNEncoder encoder = bookEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .instrumentId(instrumentId)
            .exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs)
            .firstUpdateId(firstUpdateId)
            .lastUpdateId(lastUpdateId)
            .priceExponent((byte)instrument.priceExponent())
            .qtyExponent((byte)instrument.qtyExponent());
        int levels = book.copyTop(OrderBook.BID, bookDepth, levelPrices, levelQtys);
        final BookTopNEncoder.BidsEncoder bids = encoder.bidsCount(levels);
        for (int i = 0; i < levels; i++)
        {
            bids.next().price(levelPrices[i]).qty(levelQtys[i]);
        }
        levels = book.copyTop(OrderBook.ASK, bookDepth, levelPrices, levelQtys);
        final BookTopNEncoder.AsksEncoder asks = encoder.asksCount(levels);
        for (int i = 0; i < levels; i++)
        {
            asks.next().price(levelPrices[i]).qty(levelQtys[i]);
        }
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        bestBid.setRelease(book.bidLevels() > 0 ? book.bestBidPrice() : 0);
        bestAsk.setRelease(book.askLevels() > 0 ? book.bestAskPrice() : 0);
    }

    public void onTrade(
        final long tradeId,
        final long price,
        final long qty,
        final boolean buyerIsMaker,
        final long exchangeTimeNs,
        final long receiveTimeNs)
    {
        tradeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .instrumentId(instrumentId)
            .exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs)
            .tradeId(tradeId)
            .price(price)
            .qty(qty)
            .aggressorSide(buyerIsMaker ? Side.SELL : Side.BUY)
            .priceExponent((byte)instrument.priceExponent())
            .qtyExponent((byte)instrument.qtyExponent());
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + TradeEncoder.BLOCK_LENGTH);
    }

    public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
    {
        statusEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .instrumentId(instrumentId)
            .receiveTimeNs(receiveTimeNs)
            .state(state)
            .lastUpdateId(lastUpdateId)
            .gapCount(sync.gaps())
            .resyncCount(sync.resyncs());
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + FeedStatusEncoder.BLOCK_LENGTH);
        bookState.setRelease(state.value());
    }

    private void publishEndOfData()
    {
        endOfDataEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .receiveTimeNs(lastReceiveTimeNs)
            .eventCount(eventSeq);
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + EndOfDataEncoder.BLOCK_LENGTH);
    }

    private void updateCounters()
    {
        eventsPublished.setRelease(eventSeq);
        diffsApplied.setRelease(sync.diffsApplied());
        gaps.setRelease(sync.gaps());
        bookTickerChecks.setRelease(sync.bookTickerChecks());
        bookTickerMismatches.setRelease(sync.bookTickerMismatches());
        malformed.setRelease(sync.malformed());
        rejectedValues.setRelease(sync.rejectedValues());
    }
}
