package mm.gateway;

import mm.common.Instrument;
import mm.gateway.venue.Fees;
import mm.gateway.venue.LimitKind;
import mm.gateway.venue.OrderEntry;
import mm.gateway.venue.OrderStatus;
import mm.gateway.venue.SubmitResult;
import mm.gateway.venue.VenueLimit;
import mm.gateway.venue.VenueListener;
import mm.gateway.venue.VenueRequest;
import mm.gateway.venue.VenueThrottle;
import mm.sbe.BookTopNDecoder;
import mm.sbe.Side;
import mm.sbe.VenueRejectReason;
import org.agrona.collections.Int2IntHashMap;

import java.util.List;

/**
 * A deterministic simulated venue behind the same {@link OrderEntry} interface as a real one. Time is the
 * caller's (input time): a request sent at {@code t} takes effect at the venue at {@code t + entryLatencyNs}
 * and its answer reaches the gateway at {@code + ackLatencyNs}; both happen in {@link #doWork(long)} once the
 * caller's time has passed them, so the outcome depends only on the inputs.
 * <p>
 * Matching against recorded public market data: a resting order joins the back of its price level (behind the
 * displayed size of the last book); trades at its price consume the queue ahead first and then fill it
 * (partially when the rest of the trade is smaller than the order); level-size decreases advance it per the
 * {@link QueueModel}; a trade through its price fills it up to the trade's size. Post-only orders that would
 * cross the last book are rejected; every fill pays the maker fee. Requests draw on a {@link VenueThrottle}
 * as a real venue's would. Finished orders are remembered (the last {@value #FINISHED_CAPACITY}) so a status query
 * tells a fill from a cancel, as a real venue's would. Steady state allocates nothing.
 */
public final class SimVenue implements OrderEntry
{
    /** How level-size decreases (cancellations ahead of us) move a resting order up its queue. */
    public enum QueueModel
    {
        /** Decreases never advance us: only trades at our price do. */
        CONSERVATIVE,
        /** A decrease not explained by trades advances us by its share of the level: cancels are spread evenly. */
        PROPORTIONAL
    }

    /** Sim limits shaped like Binance spot's: 100 orders per 10 s and 6000 request weight per minute. */
    public static final List<VenueLimit> DEFAULT_LIMITS = List.of(
        new VenueLimit(LimitKind.ORDERS, 10 * VenueLimit.SECOND_NS, 100),
        new VenueLimit(LimitKind.REQUEST_WEIGHT, VenueLimit.MINUTE_NS, 6000));

    /** Finished orders a status query can still find. */
    public static final int FINISHED_CAPACITY = 1024;

    private static final int MAX_BOOK_LEVELS = 20;
    private static final VenueRequest[] REQUESTS = VenueRequest.values();
    private static final OrderStatus[] STATUSES = OrderStatus.values();
    private static final long NEVER = Long.MAX_VALUE;

    // request kinds in the entry queue
    private static final byte R_PLACE = 1;
    private static final byte R_CANCEL = 2;
    private static final byte R_CANCEL_REPLACE = 3;
    private static final byte R_AMEND = 4;
    private static final byte R_OPEN_ORDERS = 5;
    private static final byte R_CANCEL_VENUE_ID = 6;
    private static final byte R_CONNECT = 7;
    private static final byte R_ORDER_STATUS = 8;

    // answer kinds in the ack queue
    private static final byte A_ACK = 1;
    private static final byte A_REJECT = 2;
    private static final byte A_CANCELED = 3;
    private static final byte A_FILL = 4;
    private static final byte A_AMENDED = 5;
    private static final byte A_STATUS = 6;
    private static final byte A_OPEN_END = 7;
    private static final byte A_SESSION_UP = 8;

    private final Instrument[] instruments;
    private final Int2IntHashMap instrumentIndex = new Int2IntHashMap(-1);
    private final long makerFeePpm;
    private final long entryLatencyNs;
    private final long ackLatencyNs;
    private final QueueModel queueModel;
    private final boolean cancelOnDisconnect;
    private final VenueThrottle throttle;
    private VenueListener listener;
    private boolean sessionUp;
    private boolean connecting;
    private boolean answersLost;
    private long nextVenueOrderId = 1;

    // last book per instrument: price and displayed size per level, best first
    private final long[][] bookBidPx;
    private final long[][] bookBidQty;
    private final int[] bookBidCount;
    private final long[][] bookAskPx;
    private final long[][] bookAskQty;
    private final int[] bookAskCount;

    // resting orders, in arrival order
    private int restingCount;
    private long[] clOrdIds = new long[64];
    private long[] venueIds = new long[64];
    private int[] instrumentIds = new int[64];
    private byte[] sides = new byte[64];
    private long[] prices = new long[64];
    private long[] qtys = new long[64];
    private long[] leaves = new long[64];
    private long[] fees = new long[64];
    private long[] queueAhead = new long[64];
    private long[] levelQty = new long[64];
    private long[] tradedAtLevel = new long[64];

    // finished orders, a ring of the last FINISHED_CAPACITY (for status queries)
    private final long[] finishedClOrdIds = new long[FINISHED_CAPACITY];
    private final long[] finishedVenueIds = new long[FINISHED_CAPACITY];
    private final int[] finishedInstrumentIds = new int[FINISHED_CAPACITY];
    private final byte[] finishedSides = new byte[FINISHED_CAPACITY];
    private final long[] finishedPrices = new long[FINISHED_CAPACITY];
    private final long[] finishedQtys = new long[FINISHED_CAPACITY];
    private final long[] finishedCumQtys = new long[FINISHED_CAPACITY];
    private final long[] finishedFees = new long[FINISHED_CAPACITY];
    private final byte[] finishedStatuses = new byte[FINISHED_CAPACITY];
    private long finishedCount;

    // requests on their way to the venue (FIFO: one latency for all, so effect times never decrease)
    private final Ring requests = new Ring(256);
    // answers on their way back
    private final Ring answers = new Ring(1024);

    /**
     * @param makerFeePpm maker fee in parts per million of notional, charged on every fill (all sim fills are
     *                    maker fills: our orders rest).
     */
    public SimVenue(
        final List<Instrument> instruments,
        final long makerFeePpm,
        final long entryLatencyNs,
        final long ackLatencyNs,
        final QueueModel queueModel,
        final boolean cancelOnDisconnect,
        final VenueThrottle throttle)
    {
        this.instruments = instruments.toArray(new Instrument[0]);
        for (int i = 0; i < this.instruments.length; i++)
        {
            instrumentIndex.put(this.instruments[i].id(), i);
        }
        this.makerFeePpm = makerFeePpm;
        this.entryLatencyNs = entryLatencyNs;
        this.ackLatencyNs = ackLatencyNs;
        this.queueModel = queueModel;
        this.cancelOnDisconnect = cancelOnDisconnect;
        this.throttle = throttle;
        final int n = this.instruments.length;
        bookBidPx = new long[n][MAX_BOOK_LEVELS];
        bookBidQty = new long[n][MAX_BOOK_LEVELS];
        bookAskPx = new long[n][MAX_BOOK_LEVELS];
        bookAskQty = new long[n][MAX_BOOK_LEVELS];
        bookBidCount = new int[n];
        bookAskCount = new int[n];
    }

    /** The gateway that receives this venue's answers (set once, before {@link #connect}). */
    public SimVenue listener(final VenueListener listener)
    {
        this.listener = listener;
        return this;
    }

    // ---------------------------------------------------------------------------------------------- session

    public void connect(final long nowNs)
    {
        if (!sessionUp && !connecting)
        {
            connecting = true;
            enqueueRequest(R_CONNECT, nowNs, 0, 0, 0, (byte)0, 0, 0, false);
        }
    }

    public boolean isSessionUp()
    {
        return sessionUp;
    }

    /**
     * Drops the session (tests): answers in flight are lost, requests in flight never reach the venue, resting
     * orders stay unless the venue cancels on disconnect. {@link VenueListener#onSessionDown} follows at once.
     */
    public void disconnect(final long nowNs)
    {
        sessionUp = false;
        connecting = false;
        requests.clear();
        answers.clear();
        if (cancelOnDisconnect)
        {
            for (int i = 0; i < restingCount; i++)
            {
                finish(i, OrderStatus.CANCELED);
            }
            restingCount = 0;
        }
        listener.onSessionDown(nowNs, false);
    }

    /** Test fault: while set, the venue acts on requests but its answers never arrive. */
    public void loseAnswers(final boolean lose)
    {
        this.answersLost = lose;
    }

    public boolean canAmendPrice()
    {
        return false;
    }

    public VenueThrottle throttle()
    {
        return throttle;
    }

    public void close()
    {
        sessionUp = false;
    }

    /** Applies requests whose effect time has come, then delivers answers whose arrival time has come. */
    public int doWork(final long nowNs)
    {
        int work = 0;
        while (!requests.isEmpty() && requests.timeNs[requests.head] <= nowNs)
        {
            final int i = requests.head;
            final long effectNs = requests.timeNs[i];
            final byte kind = requests.kind[i];
            final long a = requests.a[i];
            final long b = requests.b[i];
            final int instrumentId = requests.instrumentId[i];
            final byte side = requests.side[i];
            final long price = requests.price[i];
            final long qty = requests.qty[i];
            final boolean postOnly = requests.flag[i];
            requests.pop();
            apply(kind, effectNs, a, b, instrumentId, side, price, qty, postOnly);
            work++;
        }
        while (!answers.isEmpty() && answers.timeNs[answers.head] <= nowNs)
        {
            final int i = answers.head;
            final long timeNs = answers.timeNs[i];
            final byte kind = answers.kind[i];
            final long a = answers.a[i];
            final long b = answers.b[i];
            final int instrumentId = answers.instrumentId[i];
            final byte side = answers.side[i];
            final long price = answers.price[i];
            final long qty = answers.qty[i];
            final long c = answers.c[i];
            final long d = answers.d[i];
            final long e = answers.e[i];
            answers.pop();
            deliver(kind, timeNs, a, b, instrumentId, side, price, qty, c, d, e);
            work++;
        }
        return work;
    }

    /** Earliest time something is due in {@link #doWork}, {@link Long#MAX_VALUE} if nothing is. */
    public long nextDueNs()
    {
        final long r = requests.isEmpty() ? NEVER : requests.timeNs[requests.head];
        final long a = answers.isEmpty() ? NEVER : answers.timeNs[answers.head];
        return Math.min(r, a);
    }

    // ---------------------------------------------------------------------------------------------- requests

    public SubmitResult place(
        final long nowNs, final Instrument instrument, final long clOrdId, final Side side, final long price,
        final long qty, final boolean postOnly)
    {
        final SubmitResult refused = admit(nowNs, instrument, 1, 1);
        if (refused != null)
        {
            return refused;
        }
        enqueueRequest(R_PLACE, nowNs, clOrdId, 0, instrument.id(), (byte)side.value(), price, qty, postOnly);
        return SubmitResult.SENT;
    }

    public SubmitResult cancel(final long nowNs, final Instrument instrument, final long clOrdId)
    {
        final SubmitResult refused = admit(nowNs, instrument, 1, 0);
        if (refused != null)
        {
            return refused;
        }
        enqueueRequest(R_CANCEL, nowNs, clOrdId, 0, instrument.id(), (byte)0, 0, 0, false);
        return SubmitResult.SENT;
    }

    public SubmitResult cancelByVenueId(final long nowNs, final Instrument instrument, final long venueOrderId)
    {
        final SubmitResult refused = admit(nowNs, instrument, 1, 0);
        if (refused != null)
        {
            return refused;
        }
        enqueueRequest(R_CANCEL_VENUE_ID, nowNs, FOREIGN_ORDER, venueOrderId, instrument.id(), (byte)0, 0, 0, false);
        return SubmitResult.SENT;
    }

    public SubmitResult cancelReplace(
        final long nowNs, final Instrument instrument, final long cancelClOrdId, final long newClOrdId,
        final Side side, final long price, final long qty, final boolean postOnly)
    {
        final SubmitResult refused = admit(nowNs, instrument, 1, 1);
        if (refused != null)
        {
            return refused;
        }
        enqueueRequest(R_CANCEL_REPLACE, nowNs, cancelClOrdId, newClOrdId, instrument.id(), (byte)side.value(),
            price, qty, postOnly);
        return SubmitResult.SENT;
    }

    public SubmitResult amend(
        final long nowNs, final Instrument instrument, final long clOrdId, final long newPrice, final long newQty)
    {
        if (newQty <= 0)
        {
            return SubmitResult.INVALID;
        }
        final SubmitResult refused = admit(nowNs, instrument, 4, 0);
        if (refused != null)
        {
            return refused;
        }
        enqueueRequest(R_AMEND, nowNs, clOrdId, 0, instrument.id(), (byte)0, newPrice, newQty, false);
        return SubmitResult.SENT;
    }

    public SubmitResult requestOpenOrders(final long nowNs, final Instrument instrument)
    {
        final SubmitResult refused = admit(nowNs, instrument, instrument == null ? 80 : 6, 0);
        if (refused != null)
        {
            return refused;
        }
        enqueueRequest(R_OPEN_ORDERS, nowNs, 0, 0, instrument == null ? 0 : instrument.id(), (byte)0, 0, 0, false);
        return SubmitResult.SENT;
    }

    /** Weight 4, as Binance's order.status. */
    public SubmitResult requestOrderStatus(final long nowNs, final Instrument instrument, final long clOrdId)
    {
        final SubmitResult refused = admit(nowNs, instrument, 4, 0);
        if (refused != null)
        {
            return refused;
        }
        enqueueRequest(R_ORDER_STATUS, nowNs, clOrdId, 0, instrument.id(), (byte)0, 0, 0, false);
        return SubmitResult.SENT;
    }

    private SubmitResult admit(final long nowNs, final Instrument instrument, final int weight, final int orders)
    {
        if (!sessionUp)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (instrument != null && instrumentIndex.get(instrument.id()) < 0)
        {
            return SubmitResult.INVALID;
        }
        if (!throttle.tryAcquire(nowNs, weight, orders))
        {
            return SubmitResult.THROTTLED;
        }
        return null;
    }

    private void enqueueRequest(
        final byte kind, final long nowNs, final long a, final long b, final int instrumentId, final byte side,
        final long price, final long qty, final boolean flag)
    {
        final int i = requests.push(Math.addExact(nowNs, entryLatencyNs), kind);
        requests.a[i] = a;
        requests.b[i] = b;
        requests.instrumentId[i] = instrumentId;
        requests.side[i] = side;
        requests.price[i] = price;
        requests.qty[i] = qty;
        requests.flag[i] = flag;
    }

    // ---------------------------------------------------------------------------------------------- venue side

    private void apply(
        final byte kind, final long effectNs, final long a, final long b, final int instrumentId, final byte side,
        final long price, final long qty, final boolean postOnly)
    {
        switch (kind)
        {
            case R_CONNECT ->
            {
                connecting = false;
                answer(A_SESSION_UP, effectNs, 0, 0, 0, (byte)0, 0, 0, 0, 0, 0);
            }
            case R_PLACE -> placeAtVenue(effectNs, a, instrumentId, side, price, qty, postOnly, VenueRequest.PLACE);
            case R_CANCEL ->
            {
                final int index = indexOf(a);
                if (index < 0)
                {
                    answer(A_REJECT, effectNs, a, VenueRequest.CANCEL.ordinal(), instrumentId, (byte)0, 0, 0,
                        VenueRejectReason.UNKNOWN_ORDER.value(), 0, 0);
                    return;
                }
                cancelAtVenue(effectNs, index);
            }
            case R_CANCEL_VENUE_ID ->
            {
                final int index = indexOfVenueId(b);
                if (index < 0)
                {
                    answer(A_REJECT, effectNs, FOREIGN_ORDER, VenueRequest.CANCEL.ordinal(), instrumentId, (byte)0, 0,
                        0, VenueRejectReason.UNKNOWN_ORDER.value(), 0, 0);
                    return;
                }
                cancelAtVenue(effectNs, index);
            }
            case R_CANCEL_REPLACE ->
            {
                final int index = indexOf(a);
                if (index < 0)
                {
                    // STOP_ON_FAILURE: no new order unless the cancel succeeded; both halves are answered
                    answer(A_REJECT, effectNs, a, VenueRequest.CANCEL_REPLACE.ordinal(), instrumentId, (byte)0, 0, 0,
                        VenueRejectReason.UNKNOWN_ORDER.value(), 0, 0);
                    answer(A_REJECT, effectNs, b, VenueRequest.CANCEL_REPLACE.ordinal(), instrumentId, (byte)0, 0, 0,
                        VenueRejectReason.UNKNOWN_ORDER.value(), 0, 0);
                    return;
                }
                cancelAtVenue(effectNs, index);
                placeAtVenue(effectNs, b, instrumentId, side, price, qty, postOnly, VenueRequest.CANCEL_REPLACE);
            }
            case R_AMEND ->
            {
                final int index = indexOf(a);
                final long filled = index < 0 ? 0 : qtys[index] - leaves[index];
                if (index < 0 || price != prices[index] || qty >= qtys[index] || qty <= filled)
                {
                    answer(A_REJECT, effectNs, a, VenueRequest.AMEND.ordinal(), instrumentId, (byte)0, 0, 0,
                        (index < 0 ? VenueRejectReason.UNKNOWN_ORDER : VenueRejectReason.INVALID_ORDER).value(), 0, 0);
                    return;
                }
                // a smaller quantity at the same price keeps the order's place in the queue
                qtys[index] = qty;
                leaves[index] = qty - filled;
                answer(A_AMENDED, effectNs, a, 0, instrumentId, (byte)0, price, qty, leaves[index], 0, 0);
            }
            case R_OPEN_ORDERS ->
            {
                int count = 0;
                for (int i = 0; i < restingCount; i++)
                {
                    if (instrumentId == 0 || instrumentIds[i] == instrumentId)
                    {
                        answer(A_STATUS, effectNs, clOrdIds[i], venueIds[i], instrumentIds[i], sides[i], prices[i],
                            qtys[i], qtys[i] - leaves[i], fees[i], openStatus(i).ordinal());
                        count++;
                    }
                }
                answer(A_OPEN_END, effectNs, 0, count, instrumentId, (byte)0, 0, 0, 0, 0, 0);
            }
            case R_ORDER_STATUS -> answerOrderStatus(effectNs, a, instrumentId);
            default -> throw new IllegalStateException("request kind " + kind);
        }
    }

    private void answerOrderStatus(final long effectNs, final long clOrdId, final int instrumentId)
    {
        final int index = indexOf(clOrdId);
        if (index >= 0)
        {
            answer(A_STATUS, effectNs, clOrdId, venueIds[index], instrumentIds[index], sides[index], prices[index],
                qtys[index], qtys[index] - leaves[index], fees[index], openStatus(index).ordinal());
            return;
        }
        // newest first: an id is finished once
        for (long n = finishedCount - 1; n >= 0 && n >= finishedCount - FINISHED_CAPACITY; n--)
        {
            final int i = (int)(n % FINISHED_CAPACITY);
            if (finishedClOrdIds[i] == clOrdId)
            {
                answer(A_STATUS, effectNs, clOrdId, finishedVenueIds[i], finishedInstrumentIds[i], finishedSides[i],
                    finishedPrices[i], finishedQtys[i], finishedCumQtys[i], finishedFees[i], finishedStatuses[i]);
                return;
            }
        }
        answer(A_STATUS, effectNs, clOrdId, 0, instrumentId, (byte)0, 0, 0, 0, 0, OrderStatus.NOT_FOUND.ordinal());
    }

    private OrderStatus openStatus(final int index)
    {
        return leaves[index] < qtys[index] ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
    }

    /** Remembers a resting order that leaves the book (the caller removes it). */
    private void finish(final int index, final OrderStatus status)
    {
        final int i = (int)(finishedCount++ % FINISHED_CAPACITY);
        finishedClOrdIds[i] = clOrdIds[index];
        finishedVenueIds[i] = venueIds[index];
        finishedInstrumentIds[i] = instrumentIds[index];
        finishedSides[i] = sides[index];
        finishedPrices[i] = prices[index];
        finishedQtys[i] = qtys[index];
        finishedCumQtys[i] = qtys[index] - leaves[index];
        finishedFees[i] = fees[index];
        finishedStatuses[i] = (byte)status.ordinal();
    }

    private void placeAtVenue(
        final long effectNs, final long clOrdId, final int instrumentId, final byte side, final long price,
        final long qty, final boolean postOnly, final VenueRequest request)
    {
        final int book = instrumentIndex.get(instrumentId);
        if (qty <= 0 || price <= 0 || book < 0 || indexOf(clOrdId) >= 0)
        {
            answer(A_REJECT, effectNs, clOrdId, request.ordinal(), instrumentId, side, 0, 0,
                VenueRejectReason.INVALID_ORDER.value(), 0, 0);
            return;
        }
        final boolean buy = side == Side.BUY.value();
        if (postOnly &&
            (buy ? bookAskCount[book] > 0 && price >= bookAskPx[book][0] :
                bookBidCount[book] > 0 && price <= bookBidPx[book][0]))
        {
            answer(A_REJECT, effectNs, clOrdId, request.ordinal(), instrumentId, side, 0, 0,
                VenueRejectReason.POST_ONLY_WOULD_CROSS.value(), 0, 0);
            return;
        }
        ensureCapacity();
        final int i = restingCount++;
        clOrdIds[i] = clOrdId;
        venueIds[i] = nextVenueOrderId++;
        instrumentIds[i] = instrumentId;
        sides[i] = side;
        prices[i] = price;
        qtys[i] = qty;
        leaves[i] = qty;
        fees[i] = 0;
        // joins the back of its level: everything displayed there is ahead of it
        final long displayed = displayedQty(book, buy, price);
        queueAhead[i] = displayed;
        levelQty[i] = displayed;
        tradedAtLevel[i] = 0;
        answer(A_ACK, effectNs, clOrdId, venueIds[i], instrumentId, side, 0, 0, 0, 0, 0);
    }

    private void cancelAtVenue(final long effectNs, final int index)
    {
        final long clOrdId = clOrdIds[index];
        final long leavesQty = leaves[index];
        final int instrumentId = instrumentIds[index];
        finish(index, OrderStatus.CANCELED);
        remove(index);
        answer(A_CANCELED, effectNs, clOrdId, 0, instrumentId, (byte)0, 0, leavesQty, 0, 0, 0);
    }

    /** A book update: remembers the levels for post-only checks and queue joins, and moves queues up. */
    public void onBook(final BookTopNDecoder book)
    {
        final int index = instrumentIndex.get(book.instrumentId());
        if (index < 0)
        {
            return;
        }
        int n = 0;
        for (final BookTopNDecoder.BidsDecoder bids = book.bids(); bids.hasNext() && n < MAX_BOOK_LEVELS; n++)
        {
            bids.next();
            bookBidPx[index][n] = bids.price();
            bookBidQty[index][n] = bids.qty();
        }
        bookBidCount[index] = n;
        n = 0;
        for (final BookTopNDecoder.AsksDecoder asks = book.asks(); asks.hasNext() && n < MAX_BOOK_LEVELS; n++)
        {
            asks.next();
            bookAskPx[index][n] = asks.price();
            bookAskQty[index][n] = asks.qty();
        }
        bookAskCount[index] = n;
        onLevelsChanged(book.instrumentId(), index);
    }

    /** A one-level book (tests and callers without depth). */
    public void onBook(final int instrumentId, final long bid, final long bidQty, final long ask, final long askQty)
    {
        final int index = instrumentIndex.get(instrumentId);
        if (index < 0)
        {
            return;
        }
        bookBidPx[index][0] = bid;
        bookBidQty[index][0] = bidQty;
        bookBidCount[index] = bid > 0 ? 1 : 0;
        bookAskPx[index][0] = ask;
        bookAskQty[index][0] = askQty;
        bookAskCount[index] = ask > 0 ? 1 : 0;
        onLevelsChanged(instrumentId, index);
    }

    private void onLevelsChanged(final int instrumentId, final int book)
    {
        for (int i = 0; i < restingCount; i++)
        {
            if (instrumentIds[i] != instrumentId)
            {
                continue;
            }
            final boolean buy = sides[i] == Side.BUY.value();
            if (!withinDisplayedRange(book, buy, prices[i]))
            {
                continue; // our level is deeper than the book shows: nothing learnt
            }
            final long now = displayedQty(book, buy, prices[i]);
            final long before = levelQty[i];
            // what trades already took from the level is not a cancellation ahead of us
            final long decrease = before - now - tradedAtLevel[i];
            if (decrease > 0 && queueModel == QueueModel.PROPORTIONAL && before > 0 && queueAhead[i] > 0)
            {
                final long advance = Math.multiplyHigh(decrease, queueAhead[i]) == 0 ?
                    decrease * queueAhead[i] / before : (long)((double)decrease / before * queueAhead[i]);
                queueAhead[i] = Math.max(0, Math.min(queueAhead[i] - advance, now));
            }
            levelQty[i] = now;
            tradedAtLevel[i] = 0;
        }
    }

    /** A public trade: consumes the queue at its price and fills resting orders it reaches, oldest first. */
    public void onTrade(final int instrumentId, final long tradeId, final long price, final long qty, final long timeNs)
    {
        long throughRemaining = qty;
        long atLevelRemaining = qty;
        int i = 0;
        while (i < restingCount)
        {
            if (instrumentIds[i] != instrumentId)
            {
                i++;
                continue;
            }
            final boolean buy = sides[i] == Side.BUY.value();
            final long fillQty;
            if (buy ? price < prices[i] : price > prices[i])
            {
                fillQty = Math.min(leaves[i], throughRemaining);
                throughRemaining -= fillQty;
            }
            else if (price == prices[i])
            {
                tradedAtLevel[i] += atLevelRemaining;
                final long pastQueue = atLevelRemaining - queueAhead[i];
                if (pastQueue <= 0)
                {
                    queueAhead[i] -= atLevelRemaining;
                    i++;
                    continue;
                }
                queueAhead[i] = 0;
                fillQty = Math.min(leaves[i], pastQueue);
                atLevelRemaining -= fillQty; // what we took is not there for the orders behind us
            }
            else
            {
                i++;
                continue;
            }
            if (fillQty <= 0)
            {
                i++;
                continue;
            }
            final long fillPrice = prices[i];
            final long fee = Fees.ofNotional(fillPrice, fillQty, makerFeePpm);
            leaves[i] -= fillQty;
            fees[i] += fee;
            final long clOrdId = clOrdIds[i];
            final long leavesQty = leaves[i];
            final long cumQty = qtys[i] - leavesQty;
            final byte side = sides[i];
            if (leavesQty == 0)
            {
                finish(i, OrderStatus.FILLED);
                remove(i);
            }
            else
            {
                i++;
            }
            answer(A_FILL, timeNs, clOrdId, tradeId, instrumentId, side, fillPrice, fillQty, leavesQty, cumQty, fee);
        }
    }

    public int restingCount()
    {
        return restingCount;
    }

    /** Queue ahead of a resting order (tests), -1 if it is not resting. */
    public long queueAhead(final long clOrdId)
    {
        final int index = indexOf(clOrdId);
        return index < 0 ? -1 : queueAhead[index];
    }

    // ---------------------------------------------------------------------------------------------- answers

    private void answer(
        final byte kind, final long effectNs, final long a, final long b, final int instrumentId, final byte side,
        final long price, final long qty, final long c, final long d, final long e)
    {
        if ((answersLost || !sessionUp && !connecting) && kind != A_SESSION_UP)
        {
            return;
        }
        final int i = answers.push(Math.addExact(effectNs, ackLatencyNs), kind);
        answers.a[i] = a;
        answers.b[i] = b;
        answers.instrumentId[i] = instrumentId;
        answers.side[i] = side;
        answers.price[i] = price;
        answers.qty[i] = qty;
        answers.c[i] = c;
        answers.d[i] = d;
        answers.e[i] = e;
    }

    private void deliver(
        final byte kind, final long timeNs, final long a, final long b, final int instrumentId, final byte side,
        final long price, final long qty, final long c, final long d, final long e)
    {
        switch (kind)
        {
            case A_SESSION_UP ->
            {
                sessionUp = true;
                listener.onSessionUp(timeNs);
            }
            case A_ACK -> listener.onAck(a, b, timeNs);
            case A_REJECT -> listener.onRejected(a, REQUESTS[(int)b], VenueRejectReason.get((short)c),
                0, timeNs);
            case A_CANCELED -> listener.onCanceled(a, qty, timeNs);
            case A_FILL -> listener.onFill(a, b, price, qty, c, d, e, true, timeNs);
            case A_AMENDED -> listener.onAmended(a, price, qty, c, timeNs);
            case A_STATUS ->
            {
                final OrderStatus status = STATUSES[(int)e];
                listener.onOrderStatus(instrumentId, a, b, status == OrderStatus.NOT_FOUND ? Side.NULL_VAL : Side.get(side),
                    price, qty, c, d, status, timeNs);
            }
            case A_OPEN_END -> listener.onOpenOrdersEnd(instrumentId, (int)b, timeNs);
            default -> throw new IllegalStateException("answer kind " + kind);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private boolean withinDisplayedRange(final int book, final boolean buy, final long price)
    {
        final int count = buy ? bookBidCount[book] : bookAskCount[book];
        if (count == 0)
        {
            return false;
        }
        final long worst = buy ? bookBidPx[book][count - 1] : bookAskPx[book][count - 1];
        return buy ? price >= worst : price <= worst;
    }

    private long displayedQty(final int book, final boolean buy, final long price)
    {
        final int count = buy ? bookBidCount[book] : bookAskCount[book];
        final long[] px = buy ? bookBidPx[book] : bookAskPx[book];
        final long[] sz = buy ? bookBidQty[book] : bookAskQty[book];
        for (int i = 0; i < count; i++)
        {
            if (px[i] == price)
            {
                return sz[i];
            }
        }
        return 0;
    }

    private int indexOf(final long clOrdId)
    {
        for (int i = 0; i < restingCount; i++)
        {
            if (clOrdIds[i] == clOrdId)
            {
                return i;
            }
        }
        return -1;
    }

    private int indexOfVenueId(final long venueId)
    {
        for (int i = 0; i < restingCount; i++)
        {
            if (venueIds[i] == venueId)
            {
                return i;
            }
        }
        return -1;
    }

    private void remove(final int index)
    {
        final int tail = restingCount - index - 1;
        System.arraycopy(clOrdIds, index + 1, clOrdIds, index, tail);
        System.arraycopy(venueIds, index + 1, venueIds, index, tail);
        System.arraycopy(instrumentIds, index + 1, instrumentIds, index, tail);
        System.arraycopy(sides, index + 1, sides, index, tail);
        System.arraycopy(prices, index + 1, prices, index, tail);
        System.arraycopy(qtys, index + 1, qtys, index, tail);
        System.arraycopy(leaves, index + 1, leaves, index, tail);
        System.arraycopy(fees, index + 1, fees, index, tail);
        System.arraycopy(queueAhead, index + 1, queueAhead, index, tail);
        System.arraycopy(levelQty, index + 1, levelQty, index, tail);
        System.arraycopy(tradedAtLevel, index + 1, tradedAtLevel, index, tail);
        restingCount--;
    }

    private void ensureCapacity()
    {
        if (restingCount == clOrdIds.length)
        {
            final int capacity = clOrdIds.length * 2;
            clOrdIds = java.util.Arrays.copyOf(clOrdIds, capacity);
            venueIds = java.util.Arrays.copyOf(venueIds, capacity);
            instrumentIds = java.util.Arrays.copyOf(instrumentIds, capacity);
            sides = java.util.Arrays.copyOf(sides, capacity);
            prices = java.util.Arrays.copyOf(prices, capacity);
            qtys = java.util.Arrays.copyOf(qtys, capacity);
            leaves = java.util.Arrays.copyOf(leaves, capacity);
            fees = java.util.Arrays.copyOf(fees, capacity);
            queueAhead = java.util.Arrays.copyOf(queueAhead, capacity);
            levelQty = java.util.Arrays.copyOf(levelQty, capacity);
            tradedAtLevel = java.util.Arrays.copyOf(tradedAtLevel, capacity);
        }
    }

    /** A growable FIFO of fixed-shape records in parallel primitive arrays. */
    private static final class Ring
    {
        long[] timeNs;
        byte[] kind;
        long[] a;
        long[] b;
        int[] instrumentId;
        byte[] side;
        long[] price;
        long[] qty;
        long[] c;
        long[] d;
        long[] e;
        boolean[] flag;
        int head;
        int size;

        Ring(final int capacity)
        {
            allocate(capacity);
        }

        private void allocate(final int capacity)
        {
            timeNs = new long[capacity];
            kind = new byte[capacity];
            a = new long[capacity];
            b = new long[capacity];
            instrumentId = new int[capacity];
            side = new byte[capacity];
            price = new long[capacity];
            qty = new long[capacity];
            c = new long[capacity];
            d = new long[capacity];
            e = new long[capacity];
            flag = new boolean[capacity];
        }

        boolean isEmpty()
        {
            return size == 0;
        }

        void clear()
        {
            head = 0;
            size = 0;
        }

        void pop()
        {
            head = (head + 1) % timeNs.length;
            size--;
        }

        int push(final long time, final byte recordKind)
        {
            if (size == timeNs.length)
            {
                grow();
            }
            final int i = (head + size) % timeNs.length;
            size++;
            timeNs[i] = time;
            kind[i] = recordKind;
            return i;
        }

        private void grow()
        {
            final Ring old = new Ring(0);
            old.timeNs = timeNs;
            old.kind = kind;
            old.a = a;
            old.b = b;
            old.instrumentId = instrumentId;
            old.side = side;
            old.price = price;
            old.qty = qty;
            old.c = c;
            old.d = d;
            old.e = e;
            old.flag = flag;
            final int oldCapacity = timeNs.length;
            allocate(oldCapacity * 2);
            for (int n = 0; n < size; n++)
            {
                final int from = (head + n) % oldCapacity;
                timeNs[n] = old.timeNs[from];
                kind[n] = old.kind[from];
                a[n] = old.a[from];
                b[n] = old.b[from];
                instrumentId[n] = old.instrumentId[from];
                side[n] = old.side[from];
                price[n] = old.price[from];
                qty[n] = old.qty[from];
                c[n] = old.c[from];
                d[n] = old.d[from];
                e[n] = old.e[from];
                flag[n] = old.flag[from];
            }
            head = 0;
        }
    }
}
