package mm.feed.binance.sbe;

import mm.feed.binance.BookSync;
import mm.sbe.binance.stream.BestBidAskStreamEventDecoder;
import mm.sbe.binance.stream.DepthDiffStreamEventDecoder;
import mm.sbe.binance.stream.TradesStreamEventDecoder;
import org.agrona.DirectBuffer;

/**
 * Decodes Binance spot SBE market-data frames ({@link BinanceSbeDecoder}) and dispatches them to a
 * {@link BookSync} as {@link BookSync.DecodedEvent}s, so that SBE diffs, trades and best bid/asks go through
 * the same sync, gap and cross-check logic as JSON (the REST snapshot still arrives as JSON through
 * {@link BookSync#onLine}).
 * <p>
 * Mantissas are passed on with the message's own exponents; the sync converts them exactly to the book's
 * scale or rejects (and counts) the value. SBE timestamps are microseconds and become epoch nanoseconds; the
 * SBE null value (used by converted recordings whose JSON had no event time) becomes 0, "unknown". Frames
 * that are truncated, of another schema, of an unknown template, malformed, or carry a timestamp that is not
 * a valid epoch time are counted here and skipped; nothing throws. {@code DepthSnapshotStreamEvent}
 * ({@code @depth20}) is counted and not used: Binance does not document it as a sync snapshot. Single-threaded;
 * allocation-free after warm-up.
 */
public final class BinanceSbeAdapter
{
    /** Value an SBE int64 field holds when absent (the schema's null value). */
    private static final long NULL_TIME_US = TradesStreamEventDecoder.eventTimeNullValue();
    private static final long NS_PER_US = 1_000L;
    private static final long MAX_TIME_US = Long.MAX_VALUE / NS_PER_US;
    /** Returned by {@link #toEpochNs} for a value that is neither a time nor the null value. */
    private static final long INVALID_TIME = -1;

    private final BookSync sync;
    private final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
    private final BookSync.DecodedEvent event = new BookSync.DecodedEvent();

    private long frames;
    private long truncatedFrames;
    private long wrongSchemaFrames;
    private long unknownTemplateFrames;
    private long malformedFrames;
    private long depthSnapshots;

    public BinanceSbeAdapter(final BookSync sync)
    {
        this.sync = sync;
    }

    /**
     * Decodes one frame (a WebSocket binary message) and hands its events to the sync.
     *
     * @return the {@link BinanceSbeDecoder} result: a message type, or a negative problem code (counted).
     */
    public int onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
    {
        frames++;
        final BinanceSbeDecoder decoder = this.decoder;
        final int result = decoder.decode(buffer, offset, length);
        switch (result)
        {
            case BinanceSbeDecoder.DEPTH_DIFF -> onDepthDiff(decoder.depthDiff(), receiveTimeNs);
            case BinanceSbeDecoder.TRADES -> onTrades(decoder.trades(), receiveTimeNs);
            case BinanceSbeDecoder.BEST_BID_ASK -> onBestBidAsk(decoder.bestBidAsk(), receiveTimeNs);
            case BinanceSbeDecoder.DEPTH_SNAPSHOT -> depthSnapshots++;
            case BinanceSbeDecoder.TRUNCATED -> truncatedFrames++;
            case BinanceSbeDecoder.WRONG_SCHEMA -> wrongSchemaFrames++;
            case BinanceSbeDecoder.UNKNOWN_TEMPLATE -> unknownTemplateFrames++;
            default -> malformedFrames++;
        }
        return result;
    }

    private void onDepthDiff(final DepthDiffStreamEventDecoder message, final long receiveTimeNs)
    {
        final long eventTimeNs = toEpochNs(message.eventTime());
        if (eventTimeNs == INVALID_TIME)
        {
            malformedFrames++;
            return;
        }
        final BookSync.DecodedEvent event = this.event;
        event.depthDiff(message.firstBookUpdateId(), message.lastBookUpdateId(),
            message.priceExponent(), message.qtyExponent(), eventTimeNs);
        // Groups in schema order: bids, then asks, then the symbol (the decoder checked they all fit).
        final DepthDiffStreamEventDecoder.BidsDecoder bids = message.bids();
        while (bids.hasNext())
        {
            bids.next();
            event.addBid(bids.price(), bids.qty());
        }
        final DepthDiffStreamEventDecoder.AsksDecoder asks = message.asks();
        while (asks.hasNext())
        {
            asks.next();
            event.addAsk(asks.price(), asks.qty());
        }
        event.symbol(decoder.buffer(), decoder.symbolOffset(), decoder.symbolLength());
        sync.onEvent(event, receiveTimeNs);
    }

    private void onTrades(final TradesStreamEventDecoder message, final long receiveTimeNs)
    {
        final long transactTimeNs = toEpochNs(message.transactTime());
        if (transactTimeNs == INVALID_TIME || toEpochNs(message.eventTime()) == INVALID_TIME)
        {
            malformedFrames++;
            return;
        }
        final int priceExponent = message.priceExponent();
        final int qtyExponent = message.qtyExponent();
        final BookSync.DecodedEvent event = this.event;
        final TradesStreamEventDecoder.TradesDecoder trades = message.trades();
        while (trades.hasNext())
        {
            trades.next();
            event.trade(trades.id(), trades.price(), trades.qty(), trades.isBuyerMakerRaw() == 1,
                priceExponent, qtyExponent, transactTimeNs);
            event.symbol(decoder.buffer(), decoder.symbolOffset(), decoder.symbolLength());
            sync.onEvent(event, receiveTimeNs);
        }
    }

    private void onBestBidAsk(final BestBidAskStreamEventDecoder message, final long receiveTimeNs)
    {
        final long eventTimeNs = toEpochNs(message.eventTime());
        if (eventTimeNs == INVALID_TIME)
        {
            malformedFrames++;
            return;
        }
        event.bestBidAsk(message.bookUpdateId(), message.bidPrice(), message.bidQty(), message.askPrice(),
            message.askQty(), message.priceExponent(), message.qtyExponent(), eventTimeNs)
            .symbol(decoder.buffer(), decoder.symbolOffset(), decoder.symbolLength());
        sync.onEvent(event, receiveTimeNs);
    }

    /** SBE microseconds to epoch ns; 0 for the null value, {@link #INVALID_TIME} if negative or beyond 2262. */
    static long toEpochNs(final long timeUs)
    {
        if (timeUs == NULL_TIME_US)
        {
            return 0;
        }
        if (timeUs < 0 || timeUs > MAX_TIME_US)
        {
            return INVALID_TIME;
        }
        return timeUs * NS_PER_US;
    }

    public BookSync sync()
    {
        return sync;
    }

    /** The decoder, positioned on the last frame (for diagnostics). */
    public BinanceSbeDecoder decoder()
    {
        return decoder;
    }

    /** Frames offered, good or bad. */
    public long frames()
    {
        return frames;
    }

    public long truncatedFrames()
    {
        return truncatedFrames;
    }

    public long wrongSchemaFrames()
    {
        return wrongSchemaFrames;
    }

    public long unknownTemplateFrames()
    {
        return unknownTemplateFrames;
    }

    /** Frames whose lengths or values contradict the schema (or carry an invalid timestamp). */
    public long malformedFrames()
    {
        return malformedFrames;
    }

    /** {@code @depth20} snapshots received (not used for sync). */
    public long depthSnapshots()
    {
        return depthSnapshots;
    }

    /** Every frame that was skipped as bad: truncated, wrong schema, unknown template or malformed. */
    public long badFrames()
    {
        return truncatedFrames + wrongSchemaFrames + unknownTemplateFrames + malformedFrames;
    }
}
