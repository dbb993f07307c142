package mm.feed.binance;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.sbe.FeedState;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps one instrument's local order book in sync with Binance's REST snapshot plus diff stream, following
 * Binance's documented procedure, so consumers never see a book built across a broken update-id chain.
 * <p>
 * Diffs are buffered (as raw bytes, re-decoded later: no allocation per message) until a snapshot arrives.
 * Then stale diffs are dropped and the first kept diff must bridge the snapshot:
 * <ul>
 * <li>spot (diffs without {@code pu}): drop {@code u <= lastUpdateId}; bridge {@code U <= lastUpdateId+1 <= u};
 * afterwards {@code U == previous u + 1};</li>
 * <li>futures (diffs with {@code pu}): drop {@code u < lastUpdateId}; bridge {@code U <= lastUpdateId <= u}
 * (the bridging diff may end exactly at the snapshot); afterwards {@code pu == previous u}.</li>
 * </ul>
 * The rule is chosen per diff by the presence of {@code pu}. A snapshot that the first newer diff cannot
 * bridge (it is older than the buffered stream) is counted as unusable and the next one is awaited. A
 * broken chain is a gap: counted and logged, the book is cleared, the state becomes RESYNCING,
 * {@link #needsSnapshot()} turns true (live: the owner fetches a new REST snapshot; replay: the next
 * snapshot line is used) and diffs are buffered again. Trades, aggTrades and mark prices pass through;
 * bookTickers feed the {@link BookTickerOracle} cross-check.
 * <p>
 * Prices and quantities are parsed exactly at the exponents given, or derived from the first snapshot's
 * text (Binance sends a fixed number of decimals per symbol); until then every message is buffered raw.
 * A value not exact at the scale is rejected and counted, never rounded. Malformed input is counted and
 * skipped; nothing here throws on bad input. Single-threaded; allocation-free after warm-up.
 * <p>
 * Publication order when a diff bridges a snapshot: {@code onFeedState(SYNCED)}, then {@code onBook} for the
 * snapshot itself ({@code firstUpdateId == lastUpdateId ==} the snapshot's id, exchange time 0 on spot where
 * the snapshot carries none), then {@code onBook} after each applied diff. Nothing is published while not
 * SYNCED: a snapshot that is never bridged is never published.
 * <p>
 * Binary feeds (Binance SBE) enter through {@link #onEvent} with events already decoded to mantissas
 * ({@link DecodedEvent}); they share every rule above with JSON. Only the REST snapshot stays JSON
 * ({@link #onLine}). Each decoded value carries its own exponent and is converted exactly to the book's scale
 * ({@code Decimals.rescale}), or rejected and counted like a JSON value that is not exact.
 */
public final class BookSync
{
    /** Pass as an exponent to derive both exponents from the first snapshot's text. */
    public static final int DERIVE_EXPONENT = Integer.MIN_VALUE;

    public static final int DEFAULT_ORACLE_RING_SIZE = 4096;
    public static final int DEFAULT_MAX_PENDING_BYTES = 64 * 1024 * 1024;
    public static final int DEFAULT_GAP_LOG_SIZE = 16;

    private static final int WAITING_FOR_SNAPSHOT = 0;
    private static final int AWAITING_BRIDGE = 1;
    private static final int LIVE = 2;

    /**
     * Buffered message record: int length, int kind, long receive time, then the payload: the raw JSON bytes,
     * or a decoded event in {@link DecodedEvent}'s own binary layout.
     */
    private static final int RECORD_HEADER_LENGTH = Integer.BYTES + Integer.BYTES + Long.BYTES;
    private static final int RECORD_KIND_OFFSET = Integer.BYTES;
    private static final int RECORD_TIME_OFFSET = Integer.BYTES + Integer.BYTES;
    private static final int RECORD_JSON = 0;
    private static final int RECORD_DECODED = 1;
    private static final long NS_PER_MS = 1_000_000L;

    private final BookSyncListener listener;
    private final byte[] symbolFilter;
    private final OrderBook book;
    private final BookTickerOracle oracle;
    private final GapLog gapLog;
    private final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
    private final BinanceJsonDecoder replayDecoder = new BinanceJsonDecoder();
    private final DecodedEvent replayEvent = new DecodedEvent();
    private final ExpandableDirectByteBuffer pending = new ExpandableDirectByteBuffer(256 * 1024);
    private final int maxPendingBytes;

    private int priceExponent;
    private int qtyExponent;
    private boolean exponentsKnown;
    private String symbol;

    private int phase = WAITING_FOR_SNAPSHOT;
    private FeedState state = FeedState.RESYNCING;
    private boolean needsSnapshot = true;
    private long bookUpdateId;
    private long snapshotExchangeTimeNs;
    private long snapshotReceiveTimeNs;
    private boolean everSynced;
    private boolean lostSync;

    private int pendingLength;
    private boolean replaying;
    private boolean keepCurrentRecord;

    // Parsed levels of the message being applied, validated before the book is touched.
    private long[] bidPrices = new long[1024];
    private long[] bidQtys = new long[1024];
    private long[] askPrices = new long[1024];
    private long[] askQtys = new long[1024];
    private int bidCount;
    private int askCount;

    private long linesRead;
    private long snapshots;
    private long snapshotsUnusable;
    private long snapshotsIgnored;
    private long diffsBuffered;
    private long diffsDroppedStale;
    private long diffsApplied;
    private long gaps;
    private long resyncs;
    private long invalidations;
    private long trades;
    private long bookTickers;
    private long markPrices;
    private long malformed;
    private long unknownMessages;
    private long ignoredMessages;
    private long otherSymbolMessages;
    private long rejectedValues;
    private long pendingOverflows;
    private long crossedBooks;
    private long lastReceiveTimeNs;

    /** A sync with the instrument's symbol filter and exponents from the registry. */
    public BookSync(final BookSyncListener listener, final Instrument instrument)
    {
        this(listener, instrument.symbol(), instrument.priceExponent(), instrument.qtyExponent(),
            OrderBook.DEFAULT_CAPACITY, DEFAULT_ORACLE_RING_SIZE, DEFAULT_MAX_PENDING_BYTES);
    }

    /** A sync for a single-symbol stream at the given exponents. */
    public BookSync(final BookSyncListener listener, final int priceExponent, final int qtyExponent)
    {
        this(listener, null, priceExponent, qtyExponent,
            OrderBook.DEFAULT_CAPACITY, DEFAULT_ORACLE_RING_SIZE, DEFAULT_MAX_PENDING_BYTES);
    }

    /** A sync for a single-symbol stream that derives its exponents from the first snapshot. */
    public static BookSync withDerivedExponents(final BookSyncListener listener)
    {
        return new BookSync(listener, DERIVE_EXPONENT, DERIVE_EXPONENT);
    }

    /**
     * @param listener receives books, trades and state changes.
     * @param symbol if not null, messages whose symbol ({@code s}) differs are counted and ignored.
     * @param priceExponent price scale, or {@link #DERIVE_EXPONENT} (then qtyExponent must be too).
     * @param qtyExponent quantity scale, or {@link #DERIVE_EXPONENT}.
     * @param bookCapacity initial levels per side (at least 5000 is advised: Binance snapshots go that deep).
     * @param oracleRingSize how many recent bookTickers and diffs the cross-check remembers.
     * @param maxPendingBytes cap on buffered raw messages while waiting for a snapshot; beyond it the
     * buffer is emptied (counted) since a later snapshot would make those messages stale anyway.
     */
    public BookSync(
        final BookSyncListener listener,
        final String symbol,
        final int priceExponent,
        final int qtyExponent,
        final int bookCapacity,
        final int oracleRingSize,
        final int maxPendingBytes)
    {
        if ((priceExponent == DERIVE_EXPONENT) != (qtyExponent == DERIVE_EXPONENT))
        {
            throw new IllegalArgumentException("derive both exponents or neither");
        }
        if (priceExponent != DERIVE_EXPONENT && (priceExponent > 0 || priceExponent < -Decimals.MAX_SCALE ||
            qtyExponent > 0 || qtyExponent < -Decimals.MAX_SCALE))
        {
            throw new IllegalArgumentException(
                "exponents must be in [-" + Decimals.MAX_SCALE + ", 0]: " + priceExponent + ", " + qtyExponent);
        }
        if (maxPendingBytes < 1024)
        {
            throw new IllegalArgumentException("maxPendingBytes too small: " + maxPendingBytes);
        }
        this.listener = listener;
        this.symbol = symbol;
        this.symbolFilter = symbol == null ? null : symbol.getBytes(StandardCharsets.US_ASCII);
        this.maxPendingBytes = maxPendingBytes;
        this.exponentsKnown = priceExponent != DERIVE_EXPONENT;
        this.priceExponent = exponentsKnown ? priceExponent : 0;
        this.qtyExponent = exponentsKnown ? qtyExponent : 0;
        this.book = new OrderBook(bookCapacity, this.priceExponent, this.qtyExponent);
        this.oracle = new BookTickerOracle(oracleRingSize);
        this.gapLog = new GapLog(DEFAULT_GAP_LOG_SIZE);
    }

    /**
     * Decodes and processes one message (a WebSocket frame, a REST snapshot body or a recording line's JSON).
     *
     * @return the {@link BinanceJsonDecoder} message type.
     */
    public int onLine(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
    {
        linesRead++;
        final int type = decoder.decode(buffer, offset, length);
        onMessage(decoder, receiveTimeNs);
        return type;
    }

    /** Processes a message already decoded by the caller (e.g. one decoder routing to many books by symbol). */
    public void onMessage(final BinanceJsonDecoder message, final long receiveTimeNs)
    {
        lastReceiveTimeNs = receiveTimeNs;
        final int type = message.type();
        switch (type)
        {
            case BinanceJsonDecoder.MALFORMED -> malformed++;
            case BinanceJsonDecoder.UNKNOWN -> unknownMessages++;
            case BinanceJsonDecoder.IGNORED -> ignoredMessages++;
            case BinanceJsonDecoder.SNAPSHOT -> onSnapshot(message, receiveTimeNs);
            default ->
            {
                if (symbolFilter != null && message.hasSymbol() && !message.symbolEquals(symbolFilter))
                {
                    otherSymbolMessages++;
                    return;
                }
                if (symbol == null && message.hasSymbol())
                {
                    symbol = message.symbolAsString(); // once per sync, not per message
                }
                if (!exponentsKnown)
                {
                    // Cannot parse any number yet: keep the raw bytes, in order, until the snapshot shows the scale.
                    if (type == BinanceJsonDecoder.DEPTH_UPDATE)
                    {
                        diffsBuffered++;
                    }
                    appendPending(message, receiveTimeNs);
                    return;
                }
                dispatchEvent(type, message, receiveTimeNs);
            }
        }
    }

    /**
     * Processes an event decoded by a binary decoder (a depth diff, a trade or a best bid/ask): the same
     * rules as {@link #onMessage}, with values converted exactly from the event's exponents to the book's.
     * The event is only read during the call (it is copied if it must wait for a snapshot), so the caller may
     * reuse it at once.
     */
    public void onEvent(final DecodedEvent event, final long receiveTimeNs)
    {
        lastReceiveTimeNs = receiveTimeNs;
        final int type = event.type();
        if (type != DecodedEvent.DEPTH_DIFF && type != DecodedEvent.TRADE && type != DecodedEvent.BEST_BID_ASK)
        {
            unknownMessages++;
            return;
        }
        if (symbolFilter != null && event.hasSymbol() && !event.symbolEquals(symbolFilter))
        {
            otherSymbolMessages++;
            return;
        }
        if (symbol == null && event.hasSymbol())
        {
            symbol = event.symbolAsString(); // once per sync, not per message
        }
        if (!exponentsKnown)
        {
            // The book's scale comes from the snapshot: keep the event, in order with everything else.
            if (type == DecodedEvent.DEPTH_DIFF)
            {
                diffsBuffered++;
            }
            appendPending(event, receiveTimeNs);
            return;
        }
        dispatchDecoded(event, receiveTimeNs);
    }

    private void dispatchDecoded(final DecodedEvent event, final long receiveTimeNs)
    {
        switch (event.type())
        {
            case DecodedEvent.DEPTH_DIFF -> onDepth(null, event, receiveTimeNs);
            case DecodedEvent.TRADE -> onDecodedTrade(event, receiveTimeNs);
            case DecodedEvent.BEST_BID_ASK -> onDecodedBestBidAsk(event, receiveTimeNs);
            default ->
            {
            }
        }
    }

    /**
     * The transport lost its connection: the diff stream has a hole of unknown size, so the book is discarded
     * and a new snapshot is needed once diffs flow again.
     */
    public void onDisconnect(final long receiveTimeNs)
    {
        final boolean wasSynced = phase == LIVE;
        phase = WAITING_FOR_SNAPSHOT;
        pendingLength = 0;
        book.clear();
        needsSnapshot = true;
        if (wasSynced)
        {
            invalidations++;
            lostSync = true;
        }
        if (state != FeedState.DISCONNECTED)
        {
            state = FeedState.DISCONNECTED;
            listener.onFeedState(FeedState.DISCONNECTED, bookUpdateId, receiveTimeNs);
        }
    }

    /**
     * Starts over as if new, keeping the exponents, the counters and all storage (nothing is allocated): the
     * book and anything buffered are dropped and the next snapshot is awaited. For replaying a recording from
     * its beginning again, e.g. a benchmark's steady state; unlike {@link #onDisconnect} it publishes nothing.
     */
    public void reset()
    {
        phase = WAITING_FOR_SNAPSHOT;
        state = FeedState.RESYNCING;
        needsSnapshot = true;
        pendingLength = 0;
        bookUpdateId = 0;
        book.clear();
    }

    private void dispatchEvent(final int type, final BinanceJsonDecoder message, final long receiveTimeNs)
    {
        switch (type)
        {
            case BinanceJsonDecoder.DEPTH_UPDATE -> onDepth(message, null, receiveTimeNs);
            case BinanceJsonDecoder.TRADE -> onTrade(message, receiveTimeNs);
            case BinanceJsonDecoder.BOOK_TICKER -> onBookTicker(message, receiveTimeNs);
            case BinanceJsonDecoder.AGG_TRADE -> onTrade(message, receiveTimeNs); // published as a trade
            case BinanceJsonDecoder.MARK_PRICE -> onMarkPrice(message, receiveTimeNs);
            default ->
            {
            }
        }
    }

    private void onSnapshot(final BinanceJsonDecoder message, final long receiveTimeNs)
    {
        snapshots++;
        if (symbolFilter != null && message.hasSymbol() && !message.symbolEquals(symbolFilter))
        {
            otherSymbolMessages++;
            return;
        }
        if (phase == LIVE)
        {
            // Already in sync: a snapshot adds nothing (and may be older than the book).
            snapshotsIgnored++;
            return;
        }
        final boolean derived = !exponentsKnown;
        if (derived && !deriveExponents(message))
        {
            snapshotsUnusable++;
            return;
        }
        if (!parseLevels(message))
        {
            rejectedValues++;
            snapshotsUnusable++;
            if (derived)
            {
                exponentsKnown = false;
            }
            return;
        }
        book.clear();
        book.exponents(priceExponent, qtyExponent);
        loadParsedLevels();
        bookUpdateId = message.lastUpdateId();
        book.updateId(bookUpdateId);
        final long exchangeTimeMs = message.exchangeTimeMs();
        snapshotExchangeTimeNs = exchangeTimeMs == BinanceJsonDecoder.NO_VALUE ? 0 : exchangeTimeMs * NS_PER_MS;
        snapshotReceiveTimeNs = receiveTimeNs;
        phase = AWAITING_BRIDGE;
        needsSnapshot = false;
        replayPending();
    }

    /**
     * One diff, from JSON ({@code message}) or decoded ({@code event}, spot rules only: SBE diffs have no
     * {@code pu}); exactly one of the two is not null.
     */
    private void onDepth(final BinanceJsonDecoder message, final DecodedEvent event, final long receiveTimeNs)
    {
        final boolean json = message != null;
        final long firstId = json ? message.firstUpdateId() : event.firstUpdateId();
        final long lastId = json ? message.lastUpdateId() : event.lastUpdateId();
        final boolean futures = json && message.hasPreviousUpdateId();
        final long previousId = json ? message.previousUpdateId() : BinanceJsonDecoder.NO_VALUE;
        final long exchangeTimeNs = json ? jsonExchangeTimeNs(message) : event.exchangeTimeNs();
        switch (phase)
        {
            case WAITING_FOR_SNAPSHOT ->
            {
                diffsBuffered++;
                appendPending(message, event, receiveTimeNs);
            }
            case AWAITING_BRIDGE ->
            {
                final long snapshotId = bookUpdateId;
                if (futures ? lastId < snapshotId : lastId <= snapshotId)
                {
                    diffsDroppedStale++;
                    return;
                }
                if (futures ? firstId > snapshotId : firstId > snapshotId + 1)
                {
                    // The snapshot is older than the stream we hold: it cannot be bridged. Wait for a newer one.
                    snapshotsUnusable++;
                    dropBook(message, event, receiveTimeNs, true);
                    return;
                }
                if (!parseLevels(message, event))
                {
                    rejectedValues++;
                    snapshotsUnusable++;
                    dropBook(message, event, receiveTimeNs, false);
                    return;
                }
                // In sync from now: the time of the message being processed (the snapshot's, when the bridging
                // diff was buffered), not the bridging diff's own receive time.
                final long syncedAtNs = lastReceiveTimeNs;
                phase = LIVE;
                state = FeedState.SYNCED;
                if (lostSync)
                {
                    lostSync = false;
                    resyncs++;
                    gapLog.resynced(syncedAtNs);
                }
                everSynced = true;
                listener.onFeedState(FeedState.SYNCED, snapshotId, syncedAtNs);
                listener.onBook(book, snapshotId, snapshotId, snapshotExchangeTimeNs, snapshotReceiveTimeNs);
                applyParsedLevels(firstId, lastId, exchangeTimeNs, receiveTimeNs);
            }
            default ->
            {
                final long bookId = bookUpdateId;
                if (lastId <= bookId)
                {
                    diffsDroppedStale++;
                    return;
                }
                final boolean chained = futures ? previousId == bookId : firstId <= bookId + 1;
                if (!chained)
                {
                    gaps++;
                    gapLog.record(GapLog.REASON_GAP, receiveTimeNs, futures ? bookId : bookId + 1,
                        firstId, previousId, lastId);
                    dropBook(message, event, receiveTimeNs, true);
                    return;
                }
                if (!parseLevels(message, event))
                {
                    // Applying part of a diff, or skipping it, would both leave a wrong book: resync instead.
                    rejectedValues++;
                    gapLog.record(GapLog.REASON_REJECTED_VALUE, receiveTimeNs, futures ? bookId : bookId + 1,
                        firstId, previousId, lastId);
                    dropBook(message, event, receiveTimeNs, false);
                    return;
                }
                applyParsedLevels(firstId, lastId, exchangeTimeNs, receiveTimeNs);
            }
        }
    }

    /**
     * Discards the book and goes back to buffering until a new snapshot.
     *
     * @param keepCurrent whether the diff being processed is kept in the buffer: it is newer than the book and
     * may be the one that bridges the next snapshot.
     */
    private void dropBook(
        final BinanceJsonDecoder message, final DecodedEvent event, final long receiveTimeNs, final boolean keepCurrent)
    {
        final boolean wasSynced = phase == LIVE;
        phase = WAITING_FOR_SNAPSHOT;
        book.clear();
        needsSnapshot = true;
        if (wasSynced)
        {
            invalidations++;
            lostSync = true;
            state = FeedState.RESYNCING;
            listener.onFeedState(FeedState.RESYNCING, bookUpdateId, receiveTimeNs);
        }
        if (keepCurrent)
        {
            if (replaying)
            {
                keepCurrentRecord = true;
            }
            else
            {
                diffsBuffered++;
                appendPending(message, event, receiveTimeNs);
            }
        }
    }

    private static long jsonExchangeTimeNs(final BinanceJsonDecoder message)
    {
        final long exchangeTimeMs = message.exchangeTimeMs();
        return exchangeTimeMs == BinanceJsonDecoder.NO_VALUE ? 0 : exchangeTimeMs * NS_PER_MS;
    }

    private void applyParsedLevels(
        final long firstId, final long lastId, final long exchangeTimeNs, final long receiveTimeNs)
    {
        final OrderBook book = this.book;
        for (int i = 0; i < bidCount; i++)
        {
            book.set(OrderBook.BID, bidPrices[i], bidQtys[i]);
        }
        for (int i = 0; i < askCount; i++)
        {
            book.set(OrderBook.ASK, askPrices[i], askQtys[i]);
        }
        bookUpdateId = lastId;
        book.updateId(lastId);
        diffsApplied++;
        if (book.isCrossed())
        {
            crossedBooks++;
        }
        oracle.onDiffApplied(lastId, book.bestBidPrice(), book.bestBidQty(), book.bestAskPrice(), book.bestAskQty());
        listener.onBook(book, firstId, lastId, exchangeTimeNs, receiveTimeNs);
    }

    private void onTrade(final BinanceJsonDecoder message, final long receiveTimeNs)
    {
        final DirectBuffer buffer = message.buffer();
        final long price = Decimals.parse(buffer, message.priceOffset(), message.priceLength(), priceExponent);
        final long qty = Decimals.parse(buffer, message.qtyOffset(), message.qtyLength(), qtyExponent);
        if (price == Decimals.INVALID || qty == Decimals.INVALID || price <= 0 || qty < 0)
        {
            rejectedValues++;
            return;
        }
        trades++;
        listener.onTrade(message.tradeId(), price, qty, message.buyerIsMaker(),
            message.exchangeTimeMs() * NS_PER_MS, receiveTimeNs);
    }

    /** Mark and index prices are exact at the finer of their own scales (finer than the tick); not book-related. */
    private void onMarkPrice(final BinanceJsonDecoder message, final long receiveTimeNs)
    {
        final DirectBuffer buffer = message.buffer();
        final boolean hasIndex = message.hasIndexPrice();
        final int scale = Math.max(decimals(buffer, message.priceOffset(), message.priceLength()),
            hasIndex ? decimals(buffer, message.indexPriceOffset(), message.indexPriceLength()) : 0);
        final int fundingLength = message.hasFundingRate() ? message.fundingRateLength() : 0;
        final int fundingScale = fundingLength > 0 ? decimals(buffer, message.fundingRateOffset(), fundingLength) : 0;
        if (scale > Decimals.MAX_SCALE || fundingScale > Decimals.MAX_SCALE)
        {
            rejectedValues++;
            return;
        }
        final long markPrice = Decimals.parse(buffer, message.priceOffset(), message.priceLength(), -scale);
        final long indexPrice = hasIndex ?
            Decimals.parse(buffer, message.indexPriceOffset(), message.indexPriceLength(), -scale) : BinanceJsonDecoder.NO_VALUE;
        final long fundingRate = fundingLength > 0 ?
            Decimals.parse(buffer, message.fundingRateOffset(), fundingLength, -fundingScale) : BinanceJsonDecoder.NO_VALUE;
        // Decimals.INVALID is NO_VALUE (Long.MIN_VALUE): a present but unparsable value must not pass as absent.
        if (markPrice == Decimals.INVALID || markPrice <= 0 || (hasIndex && (indexPrice == Decimals.INVALID || indexPrice <= 0)) ||
            (fundingLength > 0 && fundingRate == Decimals.INVALID))
        {
            rejectedValues++;
            return;
        }
        final long nextFundingTimeMs = message.nextFundingTimeMs();
        markPrices++;
        listener.onMarkPrice(markPrice, indexPrice, -scale, fundingRate, fundingLength > 0 ? -fundingScale : 0,
            nextFundingTimeMs == BinanceJsonDecoder.NO_VALUE ? BinanceJsonDecoder.NO_VALUE : nextFundingTimeMs * NS_PER_MS,
            message.eventTimeMs() * NS_PER_MS, receiveTimeNs);
    }

    private void onBookTicker(final BinanceJsonDecoder message, final long receiveTimeNs)
    {
        final DirectBuffer buffer = message.buffer();
        final long bid = Decimals.parse(buffer, message.bidPriceOffset(), message.bidPriceLength(), priceExponent);
        final long bidQty = Decimals.parse(buffer, message.bidQtyOffset(), message.bidQtyLength(), qtyExponent);
        final long ask = Decimals.parse(buffer, message.askPriceOffset(), message.askPriceLength(), priceExponent);
        final long askQty = Decimals.parse(buffer, message.askQtyOffset(), message.askQtyLength(), qtyExponent);
        onBestBidAsk(message.lastUpdateId(), bid, bidQty, ask, askQty);
    }

    /**
     * A best bid/ask at book update id {@code updateId}, from either encoding, for the oracle check: values that
     * did not convert exactly (or are negative) are counted as rejected; an empty side, sent as zeros, is
     * reported as NO_PRICE with quantity 0, as the book reports it.
     */
    private void onBestBidAsk(final long updateId, final long bid, final long bidQty, final long ask, final long askQty)
    {
        if (bid == Decimals.INVALID || bidQty == Decimals.INVALID || ask == Decimals.INVALID ||
            askQty == Decimals.INVALID || bid < 0 || bidQty < 0 || ask < 0 || askQty < 0)
        {
            rejectedValues++;
            return;
        }
        bookTickers++;
        oracle.onBookTicker(updateId,
            bid == 0 && bidQty == 0 ? OrderBook.NO_PRICE : bid, bidQty,
            ask == 0 && askQty == 0 ? OrderBook.NO_PRICE : ask, askQty);
    }

    private void onDecodedTrade(final DecodedEvent event, final long receiveTimeNs)
    {
        final long price = Decimals.rescale(event.price(), event.priceExponent(), priceExponent);
        final long qty = Decimals.rescale(event.qty(), event.qtyExponent(), qtyExponent);
        if (price == Decimals.INVALID || qty == Decimals.INVALID || price <= 0 || qty < 0)
        {
            rejectedValues++;
            return;
        }
        trades++;
        listener.onTrade(event.tradeId(), price, qty, event.buyerIsMaker(), event.exchangeTimeNs(), receiveTimeNs);
    }

    private void onDecodedBestBidAsk(final DecodedEvent event, final long receiveTimeNs)
    {
        final int pe = event.priceExponent();
        final int qe = event.qtyExponent();
        final long bid = Decimals.rescale(event.bidPrice(), pe, priceExponent);
        final long bidQty = Decimals.rescale(event.bidQty(), qe, qtyExponent);
        final long ask = Decimals.rescale(event.askPrice(), pe, priceExponent);
        final long askQty = Decimals.rescale(event.askQty(), qe, qtyExponent);
        onBestBidAsk(event.lastUpdateId(), bid, bidQty, ask, askQty);
    }

    /** Levels of a JSON ({@code message}) or decoded ({@code event}) diff or snapshot into the scratch arrays. */
    private boolean parseLevels(final BinanceJsonDecoder message, final DecodedEvent event)
    {
        return message != null ? parseLevels(message) : rescaleLevels(event);
    }

    /** Converts every level of a decoded diff to the book's exponents; false if any is not exact. */
    private boolean rescaleLevels(final DecodedEvent event)
    {
        final int pe = event.priceExponent();
        final int qe = event.qtyExponent();
        final int bids = event.bidCount();
        final int asks = event.askCount();
        ensureScratch(Math.max(bids, asks));
        bidCount = 0;
        askCount = 0;
        for (int i = 0; i < bids; i++)
        {
            final long price = Decimals.rescale(event.bidPrice(i), pe, priceExponent);
            final long qty = Decimals.rescale(event.bidQty(i), qe, qtyExponent);
            if (price == Decimals.INVALID || qty == Decimals.INVALID || price <= 0 || qty < 0)
            {
                return false;
            }
            bidPrices[i] = price;
            bidQtys[i] = qty;
        }
        for (int i = 0; i < asks; i++)
        {
            final long price = Decimals.rescale(event.askPrice(i), pe, priceExponent);
            final long qty = Decimals.rescale(event.askQty(i), qe, qtyExponent);
            if (price == Decimals.INVALID || qty == Decimals.INVALID || price <= 0 || qty < 0)
            {
                return false;
            }
            askPrices[i] = price;
            askQtys[i] = qty;
        }
        bidCount = bids;
        askCount = asks;
        return true;
    }

    /** Parses every level of the message at the book's exponents into the scratch arrays; false if any is not exact. */
    private boolean parseLevels(final BinanceJsonDecoder message)
    {
        final DirectBuffer buffer = message.buffer();
        final BinanceJsonDecoder.Levels bids = message.bids();
        final BinanceJsonDecoder.Levels asks = message.asks();
        ensureScratch(Math.max(bids.count(), asks.count()));
        bidCount = 0;
        askCount = 0;
        for (int i = 0, n = bids.count(); i < n; i++)
        {
            final long price = Decimals.parse(buffer, bids.priceOffset(i), bids.priceLength(i), priceExponent);
            final long qty = Decimals.parse(buffer, bids.qtyOffset(i), bids.qtyLength(i), qtyExponent);
            if (price == Decimals.INVALID || qty == Decimals.INVALID || price <= 0 || qty < 0)
            {
                return false;
            }
            bidPrices[i] = price;
            bidQtys[i] = qty;
        }
        bidCount = bids.count();
        for (int i = 0, n = asks.count(); i < n; i++)
        {
            final long price = Decimals.parse(buffer, asks.priceOffset(i), asks.priceLength(i), priceExponent);
            final long qty = Decimals.parse(buffer, asks.qtyOffset(i), asks.qtyLength(i), qtyExponent);
            if (price == Decimals.INVALID || qty == Decimals.INVALID || price <= 0 || qty < 0)
            {
                bidCount = 0;
                return false;
            }
            askPrices[i] = price;
            askQtys[i] = qty;
        }
        askCount = asks.count();
        return true;
    }

    private void loadParsedLevels()
    {
        // Snapshots list each side best first; loaded worst first, every level lands at the top of the side: in
        // its ladder, or appended to its blocks when the ladder moves up, which leaves them full.
        for (int i = bidCount - 1; i >= 0; i--)
        {
            book.set(OrderBook.BID, bidPrices[i], bidQtys[i]);
        }
        for (int i = askCount - 1; i >= 0; i--)
        {
            book.set(OrderBook.ASK, askPrices[i], askQtys[i]);
        }
    }

    private void ensureScratch(final int levels)
    {
        if (levels > bidPrices.length)
        {
            final int size = Math.max(levels, bidPrices.length * 2);
            bidPrices = Arrays.copyOf(bidPrices, size);
            bidQtys = Arrays.copyOf(bidQtys, size);
            askPrices = Arrays.copyOf(askPrices, size);
            askQtys = Arrays.copyOf(askQtys, size);
        }
    }

    /** Exponents from the snapshot text: the most decimals seen in any price, and in any quantity. */
    private boolean deriveExponents(final BinanceJsonDecoder message)
    {
        int priceScale = -1;
        int qtyScale = -1;
        final DirectBuffer buffer = message.buffer();
        for (int side = 0; side < 2; side++)
        {
            final BinanceJsonDecoder.Levels levels = side == 0 ? message.bids() : message.asks();
            for (int i = 0, n = levels.count(); i < n; i++)
            {
                priceScale = Math.max(priceScale, decimals(buffer, levels.priceOffset(i), levels.priceLength(i)));
                qtyScale = Math.max(qtyScale, decimals(buffer, levels.qtyOffset(i), levels.qtyLength(i)));
            }
        }
        if (priceScale < 0 || qtyScale < 0 || priceScale > Decimals.MAX_SCALE || qtyScale > Decimals.MAX_SCALE)
        {
            return false;
        }
        priceExponent = -priceScale;
        qtyExponent = -qtyScale;
        exponentsKnown = true;
        return true;
    }

    private static int decimals(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) == '.')
            {
                return length - i - 1;
            }
        }
        return 0;
    }

    private void appendPending(final BinanceJsonDecoder message, final DecodedEvent event, final long receiveTimeNs)
    {
        if (message != null)
        {
            appendPending(message, receiveTimeNs);
        }
        else
        {
            appendPending(event, receiveTimeNs);
        }
    }

    private void appendPending(final BinanceJsonDecoder message, final long receiveTimeNs)
    {
        final int length = message.length();
        if (reservePending(length, RECORD_JSON, receiveTimeNs))
        {
            pending.putBytes(pendingLength + RECORD_HEADER_LENGTH, message.buffer(), message.offset(), length);
            pendingLength += RECORD_HEADER_LENGTH + length;
        }
    }

    private void appendPending(final DecodedEvent event, final long receiveTimeNs)
    {
        final int length = event.encodedLength();
        if (reservePending(length, RECORD_DECODED, receiveTimeNs))
        {
            event.encode(pending, pendingLength + RECORD_HEADER_LENGTH);
            pendingLength += RECORD_HEADER_LENGTH + length;
        }
    }

    /** Writes a record header at the end of the buffer; false (and counted) if the record can never fit. */
    private boolean reservePending(final int length, final int kind, final long receiveTimeNs)
    {
        final int recordLength = RECORD_HEADER_LENGTH + length;
        if (pendingLength + recordLength > maxPendingBytes)
        {
            pendingOverflows++;
            pendingLength = 0;
            if (recordLength > maxPendingBytes)
            {
                return false;
            }
        }
        final ExpandableDirectByteBuffer pending = this.pending;
        pending.putInt(pendingLength, length);
        pending.putInt(pendingLength + RECORD_KIND_OFFSET, kind);
        pending.putLong(pendingLength + RECORD_TIME_OFFSET, receiveTimeNs);
        return true;
    }

    /**
     * Re-decodes and processes the buffered messages in arrival order after a snapshot. If the book is lost
     * again part-way (the snapshot cannot be bridged, or a gap within the buffer), the remaining diffs stay
     * buffered (compacted to the front) and everything else is delivered now.
     */
    private void replayPending()
    {
        final int end = pendingLength;
        if (end == 0)
        {
            return;
        }
        final ExpandableDirectByteBuffer pending = this.pending;
        final BinanceJsonDecoder replayDecoder = this.replayDecoder;
        replaying = true;
        int read = 0;
        int write = 0;
        while (read < end)
        {
            final int length = pending.getInt(read);
            final boolean decoded = pending.getInt(read + RECORD_KIND_OFFSET) == RECORD_DECODED;
            final long receiveTimeNs = pending.getLong(read + RECORD_TIME_OFFSET);
            final int recordLength = RECORD_HEADER_LENGTH + length;
            final int type;
            if (decoded)
            {
                replayEvent.decode(pending, read + RECORD_HEADER_LENGTH);
                type = replayEvent.type(); // the same numbers as the JSON types
            }
            else
            {
                type = replayDecoder.decode(pending, read + RECORD_HEADER_LENGTH, length);
            }
            boolean keep = false;
            if (phase == WAITING_FOR_SNAPSHOT && type == BinanceJsonDecoder.DEPTH_UPDATE)
            {
                keep = true;
            }
            else
            {
                keepCurrentRecord = false;
                if (decoded)
                {
                    dispatchDecoded(replayEvent, receiveTimeNs);
                }
                else
                {
                    dispatchEvent(type, replayDecoder, receiveTimeNs);
                }
                keep = keepCurrentRecord;
            }
            if (keep)
            {
                if (write != read)
                {
                    moveForward(pending, read, write, recordLength);
                }
                write += recordLength;
            }
            read += recordLength;
        }
        pendingLength = write;
        keepCurrentRecord = false;
        replaying = false;
    }

    /** Copies towards the front of the same buffer; safe for overlapping ranges as {@code to < from}. */
    private static void moveForward(final ExpandableDirectByteBuffer buffer, final int from, final int to, final int length)
    {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            buffer.putLong(to + i, buffer.getLong(from + i));
        }
        for (; i < length; i++)
        {
            buffer.putByte(to + i, buffer.getByte(from + i));
        }
    }

    /**
     * A market-data event already decoded to mantissas by a binary decoder (Binance SBE), for {@link #onEvent}:
     * the JSON sync logic without the text. Every price and quantity comes with the exponent it was sent at
     * (SBE sends one price and one quantity exponent per message), because only the sync knows the book's
     * scale (it may be derived from the snapshot). A reusable holder: the decoder fills it with
     * {@link #depthDiff} plus {@link #addBid}/{@link #addAsk}, {@link #trade} or {@link #bestBidAsk}, then
     * {@link #symbol}, passes it, and reuses it for the next event. Level arrays grow during warm-up only.
     */
    public static final class DecodedEvent
    {
        /** Same numbers as the JSON decoder's types, so that buffered events replay through one switch. */
        public static final int DEPTH_DIFF = BinanceJsonDecoder.DEPTH_UPDATE;
        public static final int TRADE = BinanceJsonDecoder.TRADE;
        public static final int BEST_BID_ASK = BinanceJsonDecoder.BOOK_TICKER;

        /** Layout when buffered: 4 ints, 10 longs, 2 counts, then (price, qty) pairs, bids first. */
        private static final int SCALARS_LENGTH = 4 * Integer.BYTES + 10 * Long.BYTES + 2 * Integer.BYTES;
        private static final int LEVEL_LENGTH = 2 * Long.BYTES;

        private int type;
        private int priceExponent;
        private int qtyExponent;
        private boolean buyerIsMaker;
        private long exchangeTimeNs;
        private long firstUpdateId;
        private long lastUpdateId;
        private long tradeId;
        private long price;
        private long qty;
        private long bidPrice;
        private long bidQty;
        private long askPrice;
        private long askQty;
        private long[] bidLevels = new long[2 * 256];
        private long[] askLevels = new long[2 * 256];
        private int bidCount;
        private int askCount;
        private DirectBuffer symbolBuffer;
        private int symbolOffset;
        private int symbolLength;

        /**
         * Starts a depth diff with no levels (add them with {@link #addBid} and {@link #addAsk}).
         *
         * @param exchangeTimeNs the venue's event time in epoch ns, or 0 if unknown.
         */
        public DecodedEvent depthDiff(
            final long firstUpdateId, final long lastUpdateId,
            final int priceExponent, final int qtyExponent, final long exchangeTimeNs)
        {
            reset(DEPTH_DIFF, priceExponent, qtyExponent, exchangeTimeNs);
            this.firstUpdateId = firstUpdateId;
            this.lastUpdateId = lastUpdateId;
            return this;
        }

        /** Adds a bid level of the diff: absolute quantity, 0 removes the level. */
        public void addBid(final long price, final long qty)
        {
            bidLevels = put(bidLevels, bidCount++, price, qty);
        }

        /** Adds an ask level of the diff: absolute quantity, 0 removes the level. */
        public void addAsk(final long price, final long qty)
        {
            askLevels = put(askLevels, askCount++, price, qty);
        }

        /** One trade; {@code exchangeTimeNs} is the matching (transaction) time in epoch ns. */
        public DecodedEvent trade(
            final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
            final int priceExponent, final int qtyExponent, final long exchangeTimeNs)
        {
            reset(TRADE, priceExponent, qtyExponent, exchangeTimeNs);
            this.tradeId = tradeId;
            this.price = price;
            this.qty = qty;
            this.buyerIsMaker = buyerIsMaker;
            return this;
        }

        /** Best bid and ask after book update {@code updateId}; an empty side is all zeros, as Binance sends it. */
        public DecodedEvent bestBidAsk(
            final long updateId, final long bidPrice, final long bidQty, final long askPrice, final long askQty,
            final int priceExponent, final int qtyExponent, final long exchangeTimeNs)
        {
            reset(BEST_BID_ASK, priceExponent, qtyExponent, exchangeTimeNs);
            this.lastUpdateId = updateId;
            this.bidPrice = bidPrice;
            this.bidQty = bidQty;
            this.askPrice = askPrice;
            this.askQty = askQty;
            return this;
        }

        /** The event's symbol as bytes in a buffer (read during {@link #onEvent} only); length 0 for none. */
        public DecodedEvent symbol(final DirectBuffer buffer, final int offset, final int length)
        {
            symbolBuffer = buffer;
            symbolOffset = offset;
            symbolLength = length;
            return this;
        }

        private void reset(final int type, final int priceExponent, final int qtyExponent, final long exchangeTimeNs)
        {
            this.type = type;
            this.priceExponent = priceExponent;
            this.qtyExponent = qtyExponent;
            this.exchangeTimeNs = exchangeTimeNs;
            buyerIsMaker = false;
            firstUpdateId = 0;
            lastUpdateId = 0;
            tradeId = 0;
            price = 0;
            qty = 0;
            bidPrice = 0;
            bidQty = 0;
            askPrice = 0;
            askQty = 0;
            bidCount = 0;
            askCount = 0;
            symbolBuffer = null;
            symbolLength = 0;
        }

        private static long[] put(final long[] levels, final int index, final long price, final long qty)
        {
            long[] target = levels;
            if (2 * index + 2 > target.length)
            {
                target = Arrays.copyOf(target, Math.max(2 * index + 2, 2 * target.length));
            }
            target[2 * index] = price;
            target[2 * index + 1] = qty;
            return target;
        }

        /** {@link #DEPTH_DIFF}, {@link #TRADE} or {@link #BEST_BID_ASK}. */
        public int type()
        {
            return type;
        }

        /** Exponent of every price in the event. */
        public int priceExponent()
        {
            return priceExponent;
        }

        /** Exponent of every quantity in the event. */
        public int qtyExponent()
        {
            return qtyExponent;
        }

        /** Exchange time in epoch ns, 0 if unknown. */
        public long exchangeTimeNs()
        {
            return exchangeTimeNs;
        }

        /** A diff's first update id ({@code U}). */
        public long firstUpdateId()
        {
            return firstUpdateId;
        }

        /** A diff's last update id ({@code u}), or a best bid/ask's book update id. */
        public long lastUpdateId()
        {
            return lastUpdateId;
        }

        public long tradeId()
        {
            return tradeId;
        }

        /** Trade price mantissa. */
        public long price()
        {
            return price;
        }

        /** Trade quantity mantissa. */
        public long qty()
        {
            return qty;
        }

        public boolean buyerIsMaker()
        {
            return buyerIsMaker;
        }

        public long bidPrice()
        {
            return bidPrice;
        }

        public long bidQty()
        {
            return bidQty;
        }

        public long askPrice()
        {
            return askPrice;
        }

        public long askQty()
        {
            return askQty;
        }

        public int bidCount()
        {
            return bidCount;
        }

        public int askCount()
        {
            return askCount;
        }

        public long bidPrice(final int index)
        {
            return bidLevels[2 * index];
        }

        public long bidQty(final int index)
        {
            return bidLevels[2 * index + 1];
        }

        public long askPrice(final int index)
        {
            return askLevels[2 * index];
        }

        public long askQty(final int index)
        {
            return askLevels[2 * index + 1];
        }

        public boolean hasSymbol()
        {
            return symbolLength > 0;
        }

        /** True if the symbol bytes equal {@code expected}. */
        public boolean symbolEquals(final byte[] expected)
        {
            if (symbolLength != expected.length)
            {
                return false;
            }
            for (int i = 0; i < symbolLength; i++)
            {
                if (symbolBuffer.getByte(symbolOffset + i) != expected[i])
                {
                    return false;
                }
            }
            return true;
        }

        /** The symbol as a String: for set-up and diagnostics only, it allocates. */
        public String symbolAsString()
        {
            return hasSymbol() ? symbolBuffer.getStringWithoutLengthUtf8(symbolOffset, symbolLength) : null;
        }

        int encodedLength()
        {
            return SCALARS_LENGTH + (bidCount + askCount) * LEVEL_LENGTH;
        }

        /** Writes the event (not its symbol, already checked) for the pending buffer; see {@link #decode}. */
        void encode(final MutableDirectBuffer buffer, final int offset)
        {
            int at = offset;
            buffer.putInt(at, type);
            buffer.putInt(at + 4, priceExponent);
            buffer.putInt(at + 8, qtyExponent);
            buffer.putInt(at + 12, buyerIsMaker ? 1 : 0);
            at += 16;
            buffer.putLong(at, exchangeTimeNs);
            buffer.putLong(at + 8, firstUpdateId);
            buffer.putLong(at + 16, lastUpdateId);
            buffer.putLong(at + 24, tradeId);
            buffer.putLong(at + 32, price);
            buffer.putLong(at + 40, qty);
            buffer.putLong(at + 48, bidPrice);
            buffer.putLong(at + 56, bidQty);
            buffer.putLong(at + 64, askPrice);
            buffer.putLong(at + 72, askQty);
            at += 80;
            buffer.putInt(at, bidCount);
            buffer.putInt(at + 4, askCount);
            at += 8;
            for (int i = 0, n = 2 * bidCount; i < n; i++, at += Long.BYTES)
            {
                buffer.putLong(at, bidLevels[i]);
            }
            for (int i = 0, n = 2 * askCount; i < n; i++, at += Long.BYTES)
            {
                buffer.putLong(at, askLevels[i]);
            }
        }

        /** Reads what {@link #encode} wrote. */
        void decode(final DirectBuffer buffer, final int offset)
        {
            int at = offset;
            reset(buffer.getInt(at), buffer.getInt(at + 4), buffer.getInt(at + 8), 0);
            buyerIsMaker = buffer.getInt(at + 12) != 0;
            at += 16;
            exchangeTimeNs = buffer.getLong(at);
            firstUpdateId = buffer.getLong(at + 8);
            lastUpdateId = buffer.getLong(at + 16);
            tradeId = buffer.getLong(at + 24);
            price = buffer.getLong(at + 32);
            qty = buffer.getLong(at + 40);
            bidPrice = buffer.getLong(at + 48);
            bidQty = buffer.getLong(at + 56);
            askPrice = buffer.getLong(at + 64);
            askQty = buffer.getLong(at + 72);
            at += 80;
            final int bids = buffer.getInt(at);
            final int asks = buffer.getInt(at + 4);
            at += 8;
            for (int i = 0; i < bids; i++, at += LEVEL_LENGTH)
            {
                addBid(buffer.getLong(at), buffer.getLong(at + Long.BYTES));
            }
            for (int i = 0; i < asks; i++, at += LEVEL_LENGTH)
            {
                addAsk(buffer.getLong(at), buffer.getLong(at + Long.BYTES));
            }
        }
    }

    /** The book; consistent only while {@link #state()} is SYNCED. */
    public OrderBook book()
    {
        return book;
    }

    public BookTickerOracle oracle()
    {
        return oracle;
    }

    public GapLog gapLog()
    {
        return gapLog;
    }

    public FeedState state()
    {
        return state;
    }

    public boolean isSynced()
    {
        return phase == LIVE;
    }

    /** True while the book waits for a (new) snapshot: live, the owner should fetch one from REST. */
    public boolean needsSnapshot()
    {
        return needsSnapshot;
    }

    /** True once the book has been SYNCED at least once. */
    public boolean everSynced()
    {
        return everSynced;
    }

    /** The configured symbol, or the first one seen; null if none yet. */
    public String symbol()
    {
        return symbol;
    }

    public boolean exponentsKnown()
    {
        return exponentsKnown;
    }

    public int priceExponent()
    {
        return priceExponent;
    }

    public int qtyExponent()
    {
        return qtyExponent;
    }

    /** Update id the book reflects: the last applied diff's {@code u}, or the snapshot's id before any diff. */
    public long lastUpdateId()
    {
        return bookUpdateId;
    }

    public long lastReceiveTimeNs()
    {
        return lastReceiveTimeNs;
    }

    /** Bytes of raw messages buffered while waiting for a snapshot. */
    public int pendingBytes()
    {
        return pendingLength;
    }

    public long linesRead()
    {
        return linesRead;
    }

    public long snapshots()
    {
        return snapshots;
    }

    /** Snapshots that could not be used: not bridgeable (too old), bad values, or no levels to derive a scale. */
    public long snapshotsUnusable()
    {
        return snapshotsUnusable;
    }

    /** Snapshots received while already in sync. */
    public long snapshotsIgnored()
    {
        return snapshotsIgnored;
    }

    public long diffsBuffered()
    {
        return diffsBuffered;
    }

    public long diffsDroppedStale()
    {
        return diffsDroppedStale;
    }

    public long diffsApplied()
    {
        return diffsApplied;
    }

    /** Chain breaks detected while in sync. */
    public long gaps()
    {
        return gaps;
    }

    /** Times the book was back in sync after having lost it. */
    public long resyncs()
    {
        return resyncs;
    }

    /** Times an in-sync book was discarded (gaps, diffs with rejected values, disconnects). */
    public long invalidations()
    {
        return invalidations;
    }

    public long trades()
    {
        return trades;
    }

    public long bookTickers()
    {
        return bookTickers;
    }

    /** markPriceUpdate events passed to the listener. */
    public long markPrices()
    {
        return markPrices;
    }

    public long bookTickerChecks()
    {
        return oracle.checks();
    }

    public long bookTickerMismatches()
    {
        return oracle.mismatches();
    }

    public long malformed()
    {
        return malformed;
    }

    public long unknownMessages()
    {
        return unknownMessages;
    }

    /** Well-formed messages of types this feed does not use (kline, 24hrTicker, ...). */
    public long ignoredMessages()
    {
        return ignoredMessages;
    }

    public long otherSymbolMessages()
    {
        return otherSymbolMessages;
    }

    /** Messages dropped because a price or quantity was not exact at the scale (or negative). */
    public long rejectedValues()
    {
        return rejectedValues;
    }

    public long pendingOverflows()
    {
        return pendingOverflows;
    }

    /** Applied diffs after which the best bid was at or above the best ask. */
    public long crossedBooks()
    {
        return crossedBooks;
    }
}
