package mm.feed.binance;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import mm.sbe.BookTopNEncoder;
import mm.sbe.EndOfDataEncoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusEncoder;
import mm.sbe.MarkPriceEncoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.Side;
import mm.sbe.TradeEncoder;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Publishes one instrument's normalised market data on MARKET_DATA: a top-N book after every applied update,
 * every trade, every mark price (perpetuals), every change of sync state, and EndOfData when a bounded source ends. Each message gets the
 * next {@code eventSeq}. Used by every Binance feed (recorded or live) as the {@link BookSync}'s listener;
 * its counters show the feed's health out of process.
 */
public final class MarketDataPublisher implements BookSyncListener
{
    private final Instrument instrument;
    private final int instrumentId;
    private final int bookDepth;
    private final Outbox marketData;
    private BookSync sync;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final BookTopNEncoder bookEncoder = new BookTopNEncoder();
    private final TradeEncoder tradeEncoder = new TradeEncoder();
    private final FeedStatusEncoder statusEncoder = new FeedStatusEncoder();
    private final EndOfDataEncoder endOfDataEncoder = new EndOfDataEncoder();
    private final MarkPriceEncoder markPriceEncoder = new MarkPriceEncoder();
    private final ExpandableDirectByteBuffer sendBuffer = new ExpandableDirectByteBuffer(1024);
    private final long[] levelPrices = new long[FeedContext.MAX_BOOK_DEPTH];
    private final long[] levelQtys = new long[FeedContext.MAX_BOOK_DEPTH];
    private long eventSeq;
    private long lastReceiveTimeNs = Long.MIN_VALUE;

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
     * @param roleName prefix of the counters' labels, e.g. {@code feed-binance}.
     */
    public MarketDataPublisher(
        final Instrument instrument, final int bookDepth, final Aeron aeron, final Streams streams, final String roleName)
    {
        this.instrument = instrument;
        this.instrumentId = instrument.id();
        this.bookDepth = bookDepth;
        this.marketData = new Outbox(
            aeron.addExclusivePublication(streams.publicationChannel(streams.marketData()), streams.marketData()));
        eventsPublished = EngineCounters.add(aeron, roleName, "events published");
        bookState = EngineCounters.add(aeron, roleName, "book state (0 synced, 1 resyncing, 2 stale, 3 disconnected)");
        bookState.setRelease(FeedState.RESYNCING.value());
        bestBid = EngineCounters.add(aeron, roleName, "best bid (price mantissa 10^" + instrument.priceExponent() + ")");
        bestAsk = EngineCounters.add(aeron, roleName, "best ask (price mantissa 10^" + instrument.priceExponent() + ")");
        diffsApplied = EngineCounters.add(aeron, roleName, "diffs applied");
        gaps = EngineCounters.add(aeron, roleName, "gaps");
        bookTickerChecks = EngineCounters.add(aeron, roleName, "bookTicker checks");
        bookTickerMismatches = EngineCounters.add(aeron, roleName, "bookTicker mismatches");
        malformed = EngineCounters.add(aeron, roleName, "malformed messages");
        rejectedValues = EngineCounters.add(aeron, roleName, "rejected values");
    }

    /** The sync whose counters {@link #updateCounters()} publishes; set once, after the sync is built. */
    public void sync(final BookSync sync)
    {
        this.sync = sync;
    }

    /** Retries anything back-pressure held; returns the work done. */
    public int flush()
    {
        return marketData.flush();
    }

    /** Nothing waits to be published: the source may read its next input. */
    public boolean isFlushed()
    {
        return marketData.isEmpty();
    }

    /** The MARKET_DATA outbox (an in-process run redirects it; see {@link mm.common.aeron.LocalBus}). */
    public Outbox outbox()
    {
        return marketData;
    }

    /** True once a subscriber is connected: before that, messages are dropped (and counted) by the outbox. */
    public boolean isConnected()
    {
        return marketData.publication().isConnected();
    }

    public long eventSeq()
    {
        return eventSeq;
    }

    /**
     * The receive time a message carries on the stream: when the engine knew the event. A diff buffered until
     * its snapshot arrived is known when the snapshot is, so times on MARKET_DATA never go back (consumers
     * measure intervals with them, and verify-journal checks it).
     */
    private long knownAtNs(final long receiveTimeNs)
    {
        lastReceiveTimeNs = Math.max(lastReceiveTimeNs, receiveTimeNs);
        return lastReceiveTimeNs;
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
            .receiveTimeNs(knownAtNs(receiveTimeNs))
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
            .receiveTimeNs(knownAtNs(receiveTimeNs))
            .tradeId(tradeId)
            .price(price)
            .qty(qty)
            .aggressorSide(buyerIsMaker ? Side.SELL : Side.BUY)
            .priceExponent((byte)instrument.priceExponent())
            .qtyExponent((byte)instrument.qtyExponent());
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + TradeEncoder.BLOCK_LENGTH);
    }

    public void onMarkPrice(
        final long markPrice,
        final long indexPrice,
        final int markPriceExponent,
        final long fundingRate,
        final int fundingRateExponent,
        final long nextFundingTimeNs,
        final long exchangeTimeNs,
        final long receiveTimeNs)
    {
        // NO_VALUE (Long.MIN_VALUE) is also the SBE null value of the optional int64 fields: absent stays absent.
        markPriceEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .instrumentId(instrumentId)
            .exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(knownAtNs(receiveTimeNs))
            .markPrice(markPrice)
            .indexPrice(indexPrice)
            .markPriceExponent((byte)markPriceExponent)
            .fundingRate(fundingRate)
            .fundingRateExponent((byte)fundingRateExponent)
            .nextFundingTimeNs(nextFundingTimeNs);
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + MarkPriceEncoder.BLOCK_LENGTH);
    }

    public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
    {
        statusEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .instrumentId(instrumentId)
            .receiveTimeNs(knownAtNs(receiveTimeNs))
            .state(state)
            .lastUpdateId(lastUpdateId)
            .gapCount(sync == null ? 0 : sync.gaps())
            .resyncCount(sync == null ? 0 : sync.resyncs());
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + FeedStatusEncoder.BLOCK_LENGTH);
        bookState.setRelease(state.value());
    }

    /** A bounded source has published its last event. */
    public void onEndOfData(final long receiveTimeNs)
    {
        endOfDataEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .receiveTimeNs(knownAtNs(receiveTimeNs))
            .eventCount(eventSeq);
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + EndOfDataEncoder.BLOCK_LENGTH);
        eventsPublished.setRelease(eventSeq);
    }

    /** Publishes the sync's counters; call once per duty cycle, not per message. */
    public void updateCounters()
    {
        eventsPublished.setRelease(eventSeq);
        if (sync != null)
        {
            diffsApplied.setRelease(sync.diffsApplied());
            gaps.setRelease(sync.gaps());
            bookTickerChecks.setRelease(sync.bookTickerChecks());
            bookTickerMismatches.setRelease(sync.bookTickerMismatches());
            malformed.setRelease(sync.malformed());
            rejectedValues.setRelease(sync.rejectedValues());
        }
    }
}
