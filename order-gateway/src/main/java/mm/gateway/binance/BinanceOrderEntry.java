package mm.gateway.binance;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.json.JsonCursor;
import mm.common.net.ReconnectPolicy;
import mm.gateway.venue.ClientOrderIds;
import mm.gateway.venue.Fees;
import mm.gateway.venue.InboundRing;
import mm.gateway.venue.LimitKind;
import mm.gateway.venue.OrderEntry;
import mm.gateway.venue.OrderStatus;
import mm.gateway.venue.OrderTable;
import mm.gateway.venue.SubmitResult;
import mm.gateway.venue.VenueListener;
import mm.gateway.venue.VenueRequest;
import mm.gateway.venue.VenueThrottle;
import mm.gateway.venue.WsClient;
import mm.sbe.Side;
import mm.sbe.VenueRejectReason;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.util.List;
import java.util.Random;

import static mm.gateway.binance.BinanceRateLimits.ascii;

/**
 * Binance Spot order entry over one WebSocket API connection. {@link #connect} opens it; then the session
 * authenticates ({@code session.logon} with an Ed25519 key, after which requests carry no signature; with an
 * HMAC key every request is signed), subscribes to the account's execution reports on the same connection,
 * reads the live rate limits from {@code exchangeInfo}, and reports {@link VenueListener#onSessionUp}.
 * <p>
 * Where each event comes from, so that none is reported twice or out of order: acks and rejects from the
 * request's response or the execution report, whichever comes first; fills, cancels and expiries only from
 * execution reports, which the venue sends in matching-engine order (a fill is never reported after the cancel
 * that followed it). Orders are placed with {@code newOrderRespType=ACK}. Every response's {@code rateLimits}
 * tighten the throttle; 429 and 418 answers stop all requests until their {@code retryAfter}.
 * <p>
 * Runs on the gateway thread: requests are encoded into a reused direct buffer and handed to the
 * {@link WsClient}'s ring; {@link #doWork} drains the inbound ring and decodes with a {@link JsonCursor}. Steady
 * state allocates nothing. Time comes from the caller: {@code nowNs} must be epoch nanoseconds, because request
 * timestamps and the venue's retry times are epoch milliseconds.
 */
public final class BinanceOrderEntry implements OrderEntry, MessageHandler
{
    /** Where the session is. */
    public enum SessionState
    {
        IDLE, CONNECTING, LOGGING_ON, SUBSCRIBING, LOADING_LIMITS, UP, BACKOFF, AUTH_FAILED, CLOSED
    }

    static final byte[] ORDER_PLACE = ascii("order.place");
    static final byte[] ORDER_CANCEL = ascii("order.cancel");
    static final byte[] ORDER_CANCEL_REPLACE = ascii("order.cancelReplace");
    static final byte[] ORDER_AMEND = ascii("order.amend.keepPriority");
    static final byte[] OPEN_ORDERS = ascii("openOrders.status");
    static final byte[] ORDER_STATUS = ascii("order.status");
    static final byte[] MY_TRADES = ascii("myTrades");
    static final byte[] SESSION_LOGON = ascii("session.logon");
    static final byte[] SUBSCRIBE = ascii("userDataStream.subscribe");
    static final byte[] SUBSCRIBE_SIGNATURE = ascii("userDataStream.subscribe.signature");
    static final byte[] EXCHANGE_INFO = ascii("exchangeInfo");

    // parameter names (added in this order: sorted)
    private static final byte[] P_API_KEY = ascii("apiKey");
    private static final byte[] P_CANCEL_ORIG_CLIENT_ORDER_ID = ascii("cancelOrigClientOrderId");
    private static final byte[] P_CANCEL_REPLACE_MODE = ascii("cancelReplaceMode");
    private static final byte[] P_NEW_CLIENT_ORDER_ID = ascii("newClientOrderId");
    private static final byte[] P_NEW_ORDER_RESP_TYPE = ascii("newOrderRespType");
    private static final byte[] P_NEW_QTY = ascii("newQty");
    private static final byte[] P_ORDER_ID = ascii("orderId");
    private static final byte[] P_ORIG_CLIENT_ORDER_ID = ascii("origClientOrderId");
    private static final byte[] P_PRICE = ascii("price");
    private static final byte[] P_QUANTITY = ascii("quantity");
    private static final byte[] P_RECV_WINDOW = ascii("recvWindow");
    private static final byte[] P_SIDE = ascii("side");
    private static final byte[] P_SYMBOL = ascii("symbol");
    private static final byte[] P_TIME_IN_FORCE = ascii("timeInForce");
    private static final byte[] P_TIMESTAMP = ascii("timestamp");
    private static final byte[] P_TYPE = ascii("type");

    private static final byte[] V_ACK = ascii("ACK");
    private static final byte[] V_BUY = ascii("BUY");
    private static final byte[] V_SELL = ascii("SELL");
    private static final byte[] V_GTC = ascii("GTC");
    private static final byte[] V_LIMIT = ascii("LIMIT");
    private static final byte[] V_LIMIT_MAKER = ascii("LIMIT_MAKER");
    private static final byte[] V_STOP_ON_FAILURE = ascii("STOP_ON_FAILURE");

    // response and event keys
    private static final byte[] K_ID = ascii("id");
    private static final byte[] K_STATUS = ascii("status");
    private static final byte[] K_RESULT = ascii("result");
    private static final byte[] K_ERROR = ascii("error");
    private static final byte[] K_RATE_LIMITS = ascii("rateLimits");
    private static final byte[] K_EVENT = ascii("event");
    private static final byte[] K_CODE = ascii("code");
    private static final byte[] K_DATA = ascii("data");
    private static final byte[] K_RETRY_AFTER = ascii("retryAfter");
    private static final byte[] K_ORDER_ID = ascii("orderId");
    private static final byte[] K_CLIENT_ORDER_ID = ascii("clientOrderId");
    private static final byte[] K_SYMBOL = ascii("symbol");
    private static final byte[] K_SIDE = ascii("side");
    private static final byte[] K_PRICE = ascii("price");
    private static final byte[] K_ORIG_QTY = ascii("origQty");
    private static final byte[] K_QTY = ascii("qty");
    private static final byte[] K_EXECUTED_QTY = ascii("executedQty");
    private static final byte[] K_CANCEL_RESULT = ascii("cancelResult");
    private static final byte[] K_NEW_ORDER_RESULT = ascii("newOrderResult");
    private static final byte[] K_NEW_ORDER_RESPONSE = ascii("newOrderResponse");
    private static final byte[] K_AMENDED_ORDER = ascii("amendedOrder");
    private static final byte[] K_COMMISSION = ascii("commission");
    private static final byte[] K_COMMISSION_ASSET = ascii("commissionAsset");
    private static final byte[] SUCCESS = ascii("SUCCESS");
    private static final byte[] EXECUTION_REPORT = ascii("executionReport");
    private static final byte[] EVENT_STREAM_TERMINATED = ascii("eventStreamTerminated");
    private static final byte[] SERVER_SHUTDOWN = ascii("serverShutdown");
    private static final byte[] X_NEW = ascii("NEW");
    private static final byte[] X_TRADE = ascii("TRADE");
    private static final byte[] X_CANCELED = ascii("CANCELED");
    private static final byte[] X_EXPIRED = ascii("EXPIRED");
    private static final byte[] X_REPLACED = ascii("REPLACED");
    private static final byte[] X_REJECTED = ascii("REJECTED");
    private static final byte[] X_TRADE_PREVENTION = ascii("TRADE_PREVENTION");
    private static final byte[] S_PARTIALLY_FILLED = ascii("PARTIALLY_FILLED");
    private static final byte[] S_FILLED = ascii("FILLED");
    private static final byte[] S_PENDING_NEW = ascii("PENDING_NEW");
    private static final byte[] S_EXPIRED_IN_MATCH = ascii("EXPIRED_IN_MATCH");
    private static final byte[] MSG_WOULD_TAKE = ascii("immediately match");
    private static final byte[] MSG_INSUFFICIENT = ascii("insufficient balance");

    private static final int PENDING_CAPACITY = 4096;
    private static final int PENDING_MASK = PENDING_CAPACITY - 1;
    private static final long MS = 1_000_000L;
    /** Binance commissions have at most eight decimals. */
    private static final int FEE_EXPONENT = -8;

    private final BinanceOrderEntryContext context;
    private final VenueListener listener;
    private final Instrument[] instruments;
    private final byte[][] symbols;
    private final byte[][] baseAssets;
    private final byte[][] quoteAssets;
    private final byte[] apiKeyBytes;
    private final BinanceSigner signer;
    private final ClientOrderIds ids;
    private final BinanceRequestEncoder encoder = new BinanceRequestEncoder();
    private final BinanceOrderRequests requests;
    private final JsonCursor cursor = new JsonCursor();
    private final BinanceRateLimits rateLimits = new BinanceRateLimits();
    private final OrderTable orders = new OrderTable(1024);
    private final InboundRing inbound;
    private final WsClient ws;
    private final ReconnectPolicy reconnectPolicy;
    private VenueThrottle throttle;

    // requests in flight, by id & mask
    private final long[] pendingIds = new long[PENDING_CAPACITY];
    private final byte[] pendingKinds = new byte[PENDING_CAPACITY];
    private final long[] pendingClOrdIds = new long[PENDING_CAPACITY];
    private final long[] pendingNewClOrdIds = new long[PENDING_CAPACITY];
    private final int[] pendingInstruments = new int[PENDING_CAPACITY];
    // a status answer waiting for its myTrades follow-up (the commissions)
    private final byte[] pendingStatus = new byte[PENDING_CAPACITY];
    private final byte[] pendingSide = new byte[PENDING_CAPACITY];
    private final long[] pendingVenueId = new long[PENDING_CAPACITY];
    private final long[] pendingPrice = new long[PENDING_CAPACITY];
    private final long[] pendingOrderQty = new long[PENDING_CAPACITY];
    private final long[] pendingCumQty = new long[PENDING_CAPACITY];

    private SessionState state = SessionState.IDLE;
    private int generation;
    private long nextRequestId = 1;
    private long nextConnectAtNs;
    private long nowNs;
    private boolean reconnectWanted;

    // decoding scratch (offsets into the frame being decoded)
    private int resultOffset;
    private int resultLength;
    private int errorOffset;
    private int errorLength;

    // one order object of an order.status or openOrders.status answer (offsets into the frame)
    private int oSymbolOffset;
    private int oSymbolLength;
    private int oClientIdOffset;
    private int oClientIdLength;
    private int oPriceOffset;
    private int oPriceLength;
    private int oQtyOffset;
    private int oQtyLength;
    private int oCumOffset;
    private int oCumLength;
    private long oVenueOrderId;
    private Side oSide;
    private OrderStatus oStatus;

    // counters
    private long malformedFrames;
    private long unknownResponses;
    private long unknownExecutionReports;
    private long feesInOtherAssets;
    private long requestsSent;
    private long reconnects;

    private static final byte KIND_PLACE = 1;
    private static final byte KIND_CANCEL = 2;
    private static final byte KIND_CANCEL_REPLACE = 3;
    private static final byte KIND_AMEND = 4;
    private static final byte KIND_OPEN_ORDERS = 5;
    private static final byte KIND_LOGON = 6;
    private static final byte KIND_SUBSCRIBE = 7;
    private static final byte KIND_EXCHANGE_INFO = 8;
    private static final byte KIND_CANCEL_FOREIGN = 9;
    private static final byte KIND_ORDER_STATUS = 10;
    private static final byte KIND_MY_TRADES = 11;
    /** Binance: "Order does not exist." (a status query for an id the venue does not know). */
    private static final int ORDER_DOES_NOT_EXIST = -2013;
    private static final OrderStatus[] STATUSES = OrderStatus.values();

    /**
     * @param context a concluded context.
     * @param instruments the Binance instruments this session trades; the symbol's suffix names the quote asset
     *                    and its prefix the base asset (for converting commissions).
     * @param quoteAssets the quote asset of each instrument, in the same order (e.g. "USDT").
     */
    public BinanceOrderEntry(
        final BinanceOrderEntryContext context,
        final List<Instrument> instruments,
        final List<String> quoteAssets,
        final VenueListener listener)
    {
        if (!context.isConcluded())
        {
            throw new IllegalStateException("conclude() the context first");
        }
        if (instruments.size() != quoteAssets.size())
        {
            throw new IllegalArgumentException("one quote asset per instrument");
        }
        this.context = context;
        this.listener = listener;
        this.instruments = instruments.toArray(new Instrument[0]);
        this.symbols = new byte[this.instruments.length][];
        this.baseAssets = new byte[this.instruments.length][];
        this.quoteAssets = new byte[this.instruments.length][];
        for (int i = 0; i < this.instruments.length; i++)
        {
            final String symbol = this.instruments[i].symbol();
            final String quote = quoteAssets.get(i);
            if (!symbol.endsWith(quote) || symbol.length() == quote.length())
            {
                throw new IllegalArgumentException("symbol " + symbol + " does not end in its quote asset " + quote);
            }
            symbols[i] = ascii(symbol);
            this.quoteAssets[i] = ascii(quote);
            this.baseAssets[i] = ascii(symbol.substring(0, symbol.length() - quote.length()));
        }
        this.apiKeyBytes = ascii(context.apiKey().value());
        this.signer = context.signer();
        this.ids = new ClientOrderIds(context.clientOrderIdPrefix());
        this.requests = new BinanceOrderRequests(encoder, signer, apiKeyBytes, ids, context.recvWindowMs());
        this.throttle = new VenueThrottle(BinanceRateLimits.DEFAULTS, context.headroomPercent());
        this.inbound = new InboundRing(context.inboundRingBytes());
        this.ws = new WsClient(context.wsUrl(), inbound, 1 << 20, "mm-binance-orders");
        this.reconnectPolicy = new ReconnectPolicy(context.backoffInitialMs(), context.backoffMaxMs(),
            context.circuitFailures(), context.circuitCoolDownMs(), new Random(context.wsUrl().hashCode()));
    }

    @Override
    public void connect(final long nowNs)
    {
        this.nowNs = nowNs;
        if (state == SessionState.IDLE || state == SessionState.BACKOFF || state == SessionState.AUTH_FAILED)
        {
            reconnectWanted = true;
            openConnection();
        }
    }

    @Override
    public boolean isSessionUp()
    {
        return state == SessionState.UP;
    }

    public SessionState state()
    {
        return state;
    }

    @Override
    public VenueThrottle throttle()
    {
        return throttle;
    }

    @Override
    public boolean canAmendPrice()
    {
        return false;
    }

    /** Drops the connection (tests, operations); the session reconnects unless closed. */
    public void disconnect()
    {
        ws.disconnect();
    }

    @Override
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        int work = inbound.drain(this, 64);
        if (state == SessionState.BACKOFF && reconnectWanted && nowNs >= nextConnectAtNs &&
            reconnectPolicy.tryAttempt(nowNs / MS))
        {
            reconnects++;
            openConnection();
            work++;
        }
        return work;
    }

    @Override
    public SubmitResult place(
        final long nowNs, final Instrument instrument, final long clOrdId, final Side side, final long price,
        final long qty, final boolean postOnly)
    {
        this.nowNs = nowNs;
        final int index = indexOf(instrument);
        if (index < 0 || price <= 0 || qty <= 0 || clOrdId < 0 || side == null || side == Side.NULL_VAL)
        {
            return SubmitResult.INVALID;
        }
        if (state != SessionState.UP)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (orders.slot(clOrdId) >= 0)
        {
            return SubmitResult.INVALID;
        }
        if (!throttle.tryAcquire(nowNs, 1, 1))
        {
            return SubmitResult.THROTTLED;
        }
        final int slot = orders.add(clOrdId, instrument.id(), (byte)side.value(), price, qty);
        final long requestId = nextRequestId++;
        requests.place(requestId, symbols[index], instrument, clOrdId, side, price, qty, postOnly, nowNs / MS);
        if (!sendEncoded(requestId, KIND_PLACE, clOrdId, 0, instrument.id(), encoder.length()))
        {
            orders.remove(slot);
            return SubmitResult.BACK_PRESSURED;
        }
        return SubmitResult.SENT;
    }

    @Override
    public SubmitResult cancel(final long nowNs, final Instrument instrument, final long clOrdId)
    {
        this.nowNs = nowNs;
        final int index = indexOf(instrument);
        if (index < 0)
        {
            return SubmitResult.INVALID;
        }
        if (state != SessionState.UP)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (orders.slot(clOrdId) < 0)
        {
            return SubmitResult.UNKNOWN_ORDER;
        }
        if (!throttle.tryAcquire(nowNs, 1, 0))
        {
            return SubmitResult.THROTTLED;
        }
        final long requestId = nextRequestId++;
        beginSigned(requestId, ORDER_CANCEL);
        encoder.clientOrderId(P_ORIG_CLIENT_ORDER_ID, ids, clOrdId)
            .number(P_RECV_WINDOW, context.recvWindowMs())
            .string(P_SYMBOL, symbols[index])
            .number(P_TIMESTAMP, nowNs / MS);
        return send(requestId, KIND_CANCEL, clOrdId, 0, instrument.id()) ? SubmitResult.SENT : SubmitResult.BACK_PRESSURED;
    }

    @Override
    public SubmitResult cancelByVenueId(final long nowNs, final Instrument instrument, final long venueOrderId)
    {
        this.nowNs = nowNs;
        final int index = indexOf(instrument);
        if (index < 0 || venueOrderId <= 0)
        {
            return SubmitResult.INVALID;
        }
        if (state != SessionState.UP)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (!throttle.tryAcquire(nowNs, 1, 0))
        {
            return SubmitResult.THROTTLED;
        }
        final long requestId = nextRequestId++;
        beginSigned(requestId, ORDER_CANCEL);
        encoder.number(P_ORDER_ID, venueOrderId)
            .number(P_RECV_WINDOW, context.recvWindowMs())
            .string(P_SYMBOL, symbols[index])
            .number(P_TIMESTAMP, nowNs / MS);
        return send(requestId, KIND_CANCEL_FOREIGN, FOREIGN_ORDER, venueOrderId, instrument.id()) ?
            SubmitResult.SENT : SubmitResult.BACK_PRESSURED;
    }

    @Override
    public SubmitResult cancelReplace(
        final long nowNs, final Instrument instrument, final long cancelClOrdId, final long newClOrdId,
        final Side side, final long price, final long qty, final boolean postOnly)
    {
        this.nowNs = nowNs;
        final int index = indexOf(instrument);
        if (index < 0 || price <= 0 || qty <= 0 || newClOrdId < 0 || side == null || side == Side.NULL_VAL)
        {
            return SubmitResult.INVALID;
        }
        if (state != SessionState.UP)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (orders.slot(cancelClOrdId) < 0)
        {
            return SubmitResult.UNKNOWN_ORDER;
        }
        if (orders.slot(newClOrdId) >= 0)
        {
            return SubmitResult.INVALID;
        }
        if (!throttle.tryAcquire(nowNs, 1, 1))
        {
            return SubmitResult.THROTTLED;
        }
        final int slot = orders.add(newClOrdId, instrument.id(), (byte)side.value(), price, qty);
        final long requestId = nextRequestId++;
        beginSigned(requestId, ORDER_CANCEL_REPLACE);
        encoder.clientOrderId(P_CANCEL_ORIG_CLIENT_ORDER_ID, ids, cancelClOrdId)
            .string(P_CANCEL_REPLACE_MODE, V_STOP_ON_FAILURE)
            .clientOrderId(P_NEW_CLIENT_ORDER_ID, ids, newClOrdId)
            .string(P_NEW_ORDER_RESP_TYPE, V_ACK)
            .decimal(P_PRICE, price, instrument.priceExponent())
            .decimal(P_QUANTITY, qty, instrument.qtyExponent())
            .number(P_RECV_WINDOW, context.recvWindowMs())
            .string(P_SIDE, side == Side.BUY ? V_BUY : V_SELL)
            .string(P_SYMBOL, symbols[index]);
        if (!postOnly)
        {
            encoder.string(P_TIME_IN_FORCE, V_GTC);
        }
        encoder.number(P_TIMESTAMP, nowNs / MS).string(P_TYPE, postOnly ? V_LIMIT_MAKER : V_LIMIT);
        if (!send(requestId, KIND_CANCEL_REPLACE, cancelClOrdId, newClOrdId, instrument.id()))
        {
            orders.remove(slot);
            return SubmitResult.BACK_PRESSURED;
        }
        return SubmitResult.SENT;
    }

    @Override
    public SubmitResult amend(
        final long nowNs, final Instrument instrument, final long clOrdId, final long newPrice, final long newQty)
    {
        this.nowNs = nowNs;
        final int index = indexOf(instrument);
        if (index < 0 || newQty <= 0)
        {
            return SubmitResult.INVALID;
        }
        if (state != SessionState.UP)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        final int slot = orders.slot(clOrdId);
        if (slot < 0)
        {
            return SubmitResult.UNKNOWN_ORDER;
        }
        if (newPrice != orders.price(slot) || newQty >= orders.qty(slot))
        {
            return SubmitResult.INVALID; // keepPriority only reduces the quantity
        }
        if (!throttle.tryAcquire(nowNs, 4, 0))
        {
            return SubmitResult.THROTTLED;
        }
        final long requestId = nextRequestId++;
        beginSigned(requestId, ORDER_AMEND);
        encoder.clientOrderId(P_NEW_CLIENT_ORDER_ID, ids, clOrdId) // keep our id (else Binance makes one up)
            .decimal(P_NEW_QTY, newQty, instrument.qtyExponent())
            .clientOrderId(P_ORIG_CLIENT_ORDER_ID, ids, clOrdId)
            .number(P_RECV_WINDOW, context.recvWindowMs())
            .string(P_SYMBOL, symbols[index])
            .number(P_TIMESTAMP, nowNs / MS);
        return send(requestId, KIND_AMEND, clOrdId, newQty, instrument.id()) ? SubmitResult.SENT : SubmitResult.BACK_PRESSURED;
    }

    @Override
    public SubmitResult requestOpenOrders(final long nowNs, final Instrument instrument)
    {
        this.nowNs = nowNs;
        final int index = instrument == null ? -1 : indexOf(instrument);
        if (instrument != null && index < 0)
        {
            return SubmitResult.INVALID;
        }
        if (state != SessionState.UP)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (!throttle.tryAcquire(nowNs, index < 0 ? 80 : 6, 0))
        {
            return SubmitResult.THROTTLED;
        }
        final long requestId = nextRequestId++;
        beginSigned(requestId, OPEN_ORDERS);
        encoder.number(P_RECV_WINDOW, context.recvWindowMs());
        if (index >= 0)
        {
            encoder.string(P_SYMBOL, symbols[index]);
        }
        encoder.number(P_TIMESTAMP, nowNs / MS);
        return send(requestId, KIND_OPEN_ORDERS, 0, 0, instrument == null ? 0 : instrument.id()) ?
            SubmitResult.SENT : SubmitResult.BACK_PRESSURED;
    }

    /**
     * {@code order.status} (weight 4) by our client order id; when it shows fills this adapter has not reported,
     * a {@code myTrades} (weight 5) for their commissions follows before the answer goes to the listener.
     */
    @Override
    public SubmitResult requestOrderStatus(final long nowNs, final Instrument instrument, final long clOrdId)
    {
        this.nowNs = nowNs;
        final int index = indexOf(instrument);
        if (index < 0 || clOrdId < 0)
        {
            return SubmitResult.INVALID;
        }
        if (state != SessionState.UP)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (!throttle.tryAcquire(nowNs, 4, 0))
        {
            return SubmitResult.THROTTLED;
        }
        final long requestId = nextRequestId++;
        beginSigned(requestId, ORDER_STATUS);
        encoder.clientOrderId(P_ORIG_CLIENT_ORDER_ID, ids, clOrdId)
            .number(P_RECV_WINDOW, context.recvWindowMs())
            .string(P_SYMBOL, symbols[index])
            .number(P_TIMESTAMP, nowNs / MS);
        return send(requestId, KIND_ORDER_STATUS, clOrdId, 0, instrument.id()) ?
            SubmitResult.SENT : SubmitResult.BACK_PRESSURED;
    }

    @Override
    public void close()
    {
        reconnectWanted = false;
        state = SessionState.CLOSED;
        ws.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // session

    private void openConnection()
    {
        state = SessionState.CONNECTING;
        generation = ws.connect();
    }

    private void beginSigned(final long requestId, final byte[] method)
    {
        requests.begin(requestId, method);
    }

    private boolean send(final long requestId, final byte kind, final long clOrdId, final long aux, final int instrumentId)
    {
        final int length = encoder.end(signer);
        return sendEncoded(requestId, kind, clOrdId, aux, instrumentId, length);
    }

    private boolean sendEncoded(
        final long requestId, final byte kind, final long clOrdId, final long aux, final int instrumentId, final int length)
    {
        if (!ws.send(encoder.buffer(), 0, length))
        {
            return false;
        }
        final int i = (int)(requestId & PENDING_MASK);
        pendingIds[i] = requestId;
        pendingKinds[i] = kind;
        pendingClOrdIds[i] = clOrdId;
        pendingNewClOrdIds[i] = aux;
        pendingInstruments[i] = instrumentId;
        requestsSent++;
        return true;
    }

    private void onConnected()
    {
        final long requestId = nextRequestId++;
        if (signer.type() == BinanceSigner.KeyType.ED25519)
        {
            state = SessionState.LOGGING_ON;
            encoder.begin(requestId, SESSION_LOGON, true)
                .string(P_API_KEY, apiKeyBytes)
                .number(P_RECV_WINDOW, context.recvWindowMs())
                .number(P_TIMESTAMP, nowNs / MS);
            send(requestId, KIND_LOGON, 0, 0, 0);
        }
        else
        {
            state = SessionState.SUBSCRIBING;
            encoder.begin(requestId, SUBSCRIBE_SIGNATURE, true)
                .string(P_API_KEY, apiKeyBytes)
                .number(P_RECV_WINDOW, context.recvWindowMs())
                .number(P_TIMESTAMP, nowNs / MS);
            send(requestId, KIND_SUBSCRIBE, 0, 0, 0);
        }
    }

    private void onSessionStep(final byte kind, final int status)
    {
        if (status != 200)
        {
            if (kind == KIND_EXCHANGE_INFO)
            {
                sessionUp(); // the documented limits stay in force
                return;
            }
            state = SessionState.AUTH_FAILED;
            reconnectWanted = false;
            listener.onRejected(0, VenueRequest.SESSION, VenueRejectReason.AUTH_FAILED, status, nowNs);
            ws.disconnect();
            return;
        }
        if (kind == KIND_LOGON)
        {
            state = SessionState.SUBSCRIBING;
            final long requestId = nextRequestId++;
            encoder.begin(requestId, SUBSCRIBE, false);
            send(requestId, KIND_SUBSCRIBE, 0, 0, 0);
        }
        else if (kind == KIND_SUBSCRIBE)
        {
            if (context.loadExchangeInfoLimits())
            {
                state = SessionState.LOADING_LIMITS;
                final long requestId = nextRequestId++;
                encoder.begin(requestId, EXCHANGE_INFO, false).string(P_SYMBOL, symbols[0]);
                send(requestId, KIND_EXCHANGE_INFO, 0, 0, 0);
            }
            else
            {
                sessionUp();
            }
        }
        else if (kind == KIND_EXCHANGE_INFO)
        {
            if (resultOffset >= 0)
            {
                cursor.reset(frameBuffer, resultOffset, resultLength);
                if (BinanceRateLimits.findKey(cursor, K_RATE_LIMITS) && rateLimits.parse(cursor) && rateLimits.size() > 0)
                {
                    throttle = new VenueThrottle(rateLimits.toLimits(), context.headroomPercent());
                }
            }
            sessionUp();
        }
    }

    private void sessionUp()
    {
        state = SessionState.UP;
        reconnectPolicy.onSuccess();
        listener.onSessionUp(nowNs);
    }

    private void onDisconnected(final int reason)
    {
        final boolean wasUp = state == SessionState.UP;
        if (state == SessionState.CLOSED)
        {
            return;
        }
        if (state != SessionState.AUTH_FAILED)
        {
            state = reconnectWanted ? SessionState.BACKOFF : SessionState.IDLE;
        }
        final long delayMs = reason == InboundRing.DISCONNECT_REQUESTED ? 0 : reconnectPolicy.onFailure(nowNs / MS);
        nextConnectAtNs = nowNs + delayMs * MS;
        if (wasUp || reason != InboundRing.DISCONNECT_CONNECT_FAILED)
        {
            listener.onSessionDown(nowNs, state == SessionState.BACKOFF);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // inbound

    private DirectBuffer frameBuffer;

    @Override
    public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long timeNs = buffer.getLong(index + InboundRing.TIME_OFFSET);
        final int aux = buffer.getInt(index + InboundRing.AUX_OFFSET);
        final int gen = buffer.getInt(index + InboundRing.CORRELATION_OFFSET);
        if (gen != generation)
        {
            return; // from a connection that has been replaced
        }
        nowNs = Math.max(nowNs, timeNs);
        switch (type)
        {
            case InboundRing.CONNECTED -> onConnected();
            case InboundRing.DISCONNECTED -> onDisconnected(aux);
            case InboundRing.TEXT -> onText(buffer, index + InboundRing.HEADER_LENGTH, length - InboundRing.HEADER_LENGTH, timeNs);
            default ->
            {
            }
        }
    }

    /** Decodes one frame: a response {@code {id,status,result|error,rateLimits}} or an event. */
    void onText(final DirectBuffer buffer, final int offset, final int length, final long timeNs)
    {
        frameBuffer = buffer;
        cursor.reset(buffer, offset, length);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            malformedFrames++;
            return;
        }
        long id = -1;
        int status = 0;
        int rateLimitsOffset = -1;
        int rateLimitsLength = 0;
        int eventOffset = -1;
        int eventLength = 0;
        resultOffset = -1;
        errorOffset = -1;
        int token;
        while ((token = cursor.next()) == JsonCursor.KEY)
        {
            if (cursor.tokenEquals(K_ID))
            {
                token = cursor.next();
                id = token == JsonCursor.NUMBER ? cursor.longValue() : -1;
            }
            else if (cursor.tokenEquals(K_STATUS))
            {
                cursor.next();
                status = (int)cursor.longValue();
            }
            else
            {
                final int start = cursor.position();
                final boolean result = cursor.tokenEquals(K_RESULT);
                final boolean error = !result && cursor.tokenEquals(K_ERROR);
                final boolean limits = !result && !error && cursor.tokenEquals(K_RATE_LIMITS);
                final boolean event = !result && !error && !limits && cursor.tokenEquals(K_EVENT);
                if (!cursor.skipValue())
                {
                    malformedFrames++;
                    return;
                }
                final int valueLength = cursor.position() - start;
                if (result)
                {
                    resultOffset = start;
                    resultLength = valueLength;
                }
                else if (error)
                {
                    errorOffset = start;
                    errorLength = valueLength;
                }
                else if (limits)
                {
                    rateLimitsOffset = start;
                    rateLimitsLength = valueLength;
                }
                else if (event)
                {
                    eventOffset = start;
                    eventLength = valueLength;
                }
            }
        }
        if (token != JsonCursor.END_OBJECT)
        {
            malformedFrames++;
            return;
        }
        if (rateLimitsOffset >= 0)
        {
            onRateLimits(buffer, rateLimitsOffset, rateLimitsLength, timeNs);
        }
        if (eventOffset >= 0)
        {
            onEvent(buffer, eventOffset, eventLength, timeNs);
            return;
        }
        if (id < 0)
        {
            unknownResponses++;
            return;
        }
        onResponse(buffer, id, status, timeNs);
    }

    private void onRateLimits(final DirectBuffer buffer, final int offset, final int length, final long timeNs)
    {
        cursor.reset(buffer, offset, length);
        if (!rateLimits.parse(cursor))
        {
            malformedFrames++;
            return;
        }
        for (int i = 0; i < rateLimits.size(); i++)
        {
            final long count = rateLimits.count(i);
            if (count >= 0)
            {
                throttle.observeUsage(nowNs, rateLimits.kind(i), rateLimits.intervalNs(i), count);
                listener.onRateLimitUsage(rateLimits.kind(i), rateLimits.intervalNs(i), count, rateLimits.limit(i), timeNs);
            }
        }
    }

    private void onResponse(final DirectBuffer buffer, final long id, final int status, final long timeNs)
    {
        final int i = (int)(id & PENDING_MASK);
        if (pendingIds[i] != id || pendingKinds[i] == 0)
        {
            unknownResponses++;
            return;
        }
        final byte kind = pendingKinds[i];
        pendingKinds[i] = 0;
        final long clOrdId = pendingClOrdIds[i];
        final long aux = pendingNewClOrdIds[i];
        if (kind == KIND_LOGON || kind == KIND_SUBSCRIBE || kind == KIND_EXCHANGE_INFO)
        {
            onSessionStep(kind, status);
            return;
        }
        int code = 0;
        VenueRejectReason reason = VenueRejectReason.NONE;
        if (status != 200 && errorOffset >= 0)
        {
            code = errorCode(buffer);
            reason = reasonOf(status, code, buffer);
            if (status == 429 || status == 418)
            {
                onBackOff(buffer, status, code, timeNs);
            }
        }
        else if (status != 200)
        {
            reason = reasonOf(status, 0, buffer);
        }
        switch (kind)
        {
            case KIND_PLACE -> onPlaceResponse(buffer, clOrdId, status, reason, code, timeNs);
            case KIND_CANCEL -> onCancelResponse(clOrdId, status, reason, code, timeNs);
            case KIND_CANCEL_FOREIGN ->
            {
                if (status != 200)
                {
                    listener.onRejected(FOREIGN_ORDER, VenueRequest.CANCEL, reason, code, timeNs);
                }
            }
            case KIND_CANCEL_REPLACE -> onCancelReplaceResponse(buffer, clOrdId, aux, status, reason, code, timeNs);
            case KIND_AMEND -> onAmendResponse(buffer, clOrdId, status, reason, code, timeNs);
            case KIND_OPEN_ORDERS -> onOpenOrders(buffer, pendingInstruments[i], status, reason, code, timeNs);
            case KIND_ORDER_STATUS -> onOrderStatusResponse(buffer, clOrdId, pendingInstruments[i], status, reason, code, timeNs);
            case KIND_MY_TRADES -> onMyTradesResponse(buffer, i, clOrdId, status, timeNs);
            default -> unknownResponses++;
        }
    }

    private void onPlaceResponse(
        final DirectBuffer buffer, final long clOrdId, final int status, final VenueRejectReason reason, final int code,
        final long timeNs)
    {
        final int slot = orders.slot(clOrdId);
        if (slot < 0)
        {
            return; // already finished through the execution reports
        }
        if (status == 200)
        {
            final long venueOrderId = resultOffset >= 0 ? longField(buffer, resultOffset, resultLength, K_ORDER_ID) : 0;
            acknowledge(slot, venueOrderId, timeNs);
            return;
        }
        if (reason != VenueRejectReason.UNKNOWN_STATE)
        {
            orders.remove(slot);
        }
        // UNKNOWN_STATE: the order may exist; it stays in the table so a late execution report still counts
        listener.onRejected(clOrdId, VenueRequest.PLACE, reason, code, timeNs);
    }

    private void onCancelResponse(
        final long clOrdId, final int status, final VenueRejectReason reason, final int code, final long timeNs)
    {
        // success: the CANCELED execution report reports it, after any fill that preceded it
        if (status != 200)
        {
            listener.onRejected(clOrdId, VenueRequest.CANCEL, reason, code, timeNs);
        }
    }

    private void onCancelReplaceResponse(
        final DirectBuffer buffer, final long cancelClOrdId, final long newClOrdId, final int status,
        final VenueRejectReason reason, final int code, final long timeNs)
    {
        final int newSlot = orders.slot(newClOrdId);
        if (status == 200)
        {
            if (newSlot >= 0 && resultOffset >= 0)
            {
                cursor.reset(buffer, resultOffset, resultLength);
                final long venueOrderId = BinanceRateLimits.findKey(cursor, K_NEW_ORDER_RESPONSE) ?
                    longFieldOfNextObject(K_ORDER_ID) : 0;
                acknowledge(newSlot, venueOrderId, timeNs);
            }
            return;
        }
        // 400 / 409 / 429: which half failed is in error.data
        boolean cancelSucceeded = false;
        boolean newSucceeded = false;
        int newResponseOffset = -1;
        int newResponseLength = 0;
        if (errorOffset >= 0)
        {
            cursor.reset(buffer, errorOffset, errorLength);
            if (BinanceRateLimits.findKey(cursor, K_DATA) && cursor.next() == JsonCursor.BEGIN_OBJECT)
            {
                while (cursor.next() == JsonCursor.KEY)
                {
                    if (cursor.tokenEquals(K_CANCEL_RESULT))
                    {
                        cursor.next();
                        cancelSucceeded = cursor.tokenEquals(SUCCESS);
                    }
                    else if (cursor.tokenEquals(K_NEW_ORDER_RESULT))
                    {
                        cursor.next();
                        newSucceeded = cursor.tokenEquals(SUCCESS);
                    }
                    else
                    {
                        final boolean newResponse = cursor.tokenEquals(K_NEW_ORDER_RESPONSE);
                        final int start = cursor.position();
                        if (!cursor.skipValue())
                        {
                            break;
                        }
                        if (newResponse)
                        {
                            newResponseOffset = start;
                            newResponseLength = cursor.position() - start;
                        }
                    }
                }
            }
        }
        int newCode = code;
        VenueRejectReason newReason = reason;
        long newVenueOrderId = 0;
        if (newResponseOffset >= 0)
        {
            newVenueOrderId = longField(buffer, newResponseOffset, newResponseLength, K_ORDER_ID);
            final long c = longField(buffer, newResponseOffset, newResponseLength, K_CODE);
            if (c != JsonCursor.INVALID_LONG && c != 0)
            {
                newCode = (int)c;
                newReason = reasonOf(400, newCode, buffer, newResponseOffset, newResponseLength);
            }
        }
        if (!cancelSucceeded)
        {
            listener.onRejected(cancelClOrdId, VenueRequest.CANCEL_REPLACE, reason, code, timeNs);
        }
        if (newSlot < 0)
        {
            return;
        }
        if (newSucceeded)
        {
            acknowledge(newSlot, newVenueOrderId, timeNs);
        }
        else
        {
            orders.remove(newSlot);
            listener.onRejected(newClOrdId, VenueRequest.PLACE, newReason, newCode, timeNs);
        }
    }

    private void onAmendResponse(
        final DirectBuffer buffer, final long clOrdId, final int status, final VenueRejectReason reason, final int code,
        final long timeNs)
    {
        final int slot = orders.slot(clOrdId);
        if (status != 200)
        {
            listener.onRejected(clOrdId, VenueRequest.AMEND, reason, code, timeNs);
            return;
        }
        if (slot < 0 || resultOffset < 0)
        {
            return;
        }
        cursor.reset(buffer, resultOffset, resultLength);
        if (BinanceRateLimits.findKey(cursor, K_AMENDED_ORDER))
        {
            final Instrument instrument = instrumentById(orders.instrumentId(slot));
            final int start = cursor.position();
            cursor.skipValue();
            final int len = cursor.position() - start;
            final long qty = decimalField(buffer, start, len, K_QTY, instrument.qtyExponent());
            final long cum = decimalField(buffer, start, len, K_EXECUTED_QTY, instrument.qtyExponent());
            applyAmend(slot, qty, cum, timeNs);
        }
    }

    private void applyAmend(final int slot, final long qty, final long cumQty, final long timeNs)
    {
        if (qty <= 0 || qty == orders.qty(slot))
        {
            return; // repeat (response and REPLACED report) or unreadable
        }
        orders.amend(slot, orders.price(slot), qty);
        listener.onAmended(orders.clOrdId(slot), orders.price(slot), qty, Math.max(0, qty - Math.max(cumQty, orders.cumQty(slot))), timeNs);
    }

    private void onOpenOrders(
        final DirectBuffer buffer, final int instrumentId, final int status, final VenueRejectReason reason,
        final int code, final long timeNs)
    {
        if (status != 200 || resultOffset < 0)
        {
            listener.onRejected(0, VenueRequest.OPEN_ORDERS, reason, code, timeNs);
            return;
        }
        cursor.reset(buffer, resultOffset, resultLength);
        if (cursor.next() != JsonCursor.BEGIN_ARRAY)
        {
            malformedFrames++;
            return;
        }
        int count = 0;
        while (cursor.next() == JsonCursor.BEGIN_OBJECT)
        {
            if (!readOrderFields())
            {
                malformedFrames++;
                return;
            }
            final int index = oSymbolOffset < 0 ? -1 : indexOfSymbol(buffer, oSymbolOffset, oSymbolLength);
            if (index < 0)
            {
                unknownExecutionReports++;
                continue;
            }
            final Instrument instrument = instruments[index];
            final long clOrdId = oClientIdOffset < 0 ? FOREIGN_ORDER : ids.parse(buffer, oClientIdOffset, oClientIdLength);
            final long price = Decimals.parse(buffer, oPriceOffset, oPriceLength, instrument.priceExponent());
            final long qty = Decimals.parse(buffer, oQtyOffset, oQtyLength, instrument.qtyExponent());
            final long cum = Decimals.parse(buffer, oCumOffset, oCumLength, instrument.qtyExponent());
            long cumFee = -1;
            if (clOrdId != FOREIGN_ORDER && oSide != Side.NULL_VAL)
            {
                int slot = orders.slot(clOrdId);
                if (slot < 0)
                {
                    // ours but not known here (an earlier run, or lost in a reconnect): track it so its events count
                    slot = orders.add(clOrdId, instrument.id(), (byte)oSide.value(), price, qty);
                    orders.venueId(slot, oVenueOrderId);
                    orders.markLive(slot);
                }
                cumFee = reconciledFee(slot, price, cum);
            }
            listener.onOrderStatus(instrument.id(), clOrdId, oVenueOrderId, oSide, price, qty, cum, cumFee, oStatus,
                timeNs);
            count++;
        }
        listener.onOpenOrdersEnd(instrumentId, count, timeNs);
    }

    /**
     * The order's cumulative fee when the venue reported fills this adapter had not: the fees reported so far plus
     * the configured estimate for the rest (the answer carries no commission). Advances the order's filled
     * quantity, so that a later execution report of the same fills is not reported again.
     */
    private long reconciledFee(final int slot, final long price, final long cumQty)
    {
        if (cumQty != Decimals.INVALID && price != Decimals.INVALID)
        {
            final long missing = orders.advanceCumQty(slot, cumQty);
            if (missing > 0)
            {
                orders.addFee(slot, Fees.ofNotional(price, missing, context.feeEstimatePpm()));
            }
        }
        return orders.cumFee(slot);
    }

    /** Reads one order object (its BEGIN_OBJECT consumed) into the {@code o*} fields; false if malformed. */
    private boolean readOrderFields()
    {
        oSymbolOffset = -1;
        oClientIdOffset = -1;
        oPriceOffset = -1;
        oQtyOffset = -1;
        oCumOffset = -1;
        oSymbolLength = 0;
        oClientIdLength = 0;
        oPriceLength = 0;
        oQtyLength = 0;
        oCumLength = 0;
        oVenueOrderId = 0;
        oSide = Side.NULL_VAL;
        oStatus = OrderStatus.NEW;
        int token;
        while ((token = cursor.next()) == JsonCursor.KEY)
        {
            if (cursor.tokenEquals(K_SYMBOL))
            {
                cursor.next();
                oSymbolOffset = cursor.tokenOffset();
                oSymbolLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(K_ORDER_ID))
            {
                cursor.next();
                oVenueOrderId = cursor.longValue();
            }
            else if (cursor.tokenEquals(K_CLIENT_ORDER_ID))
            {
                cursor.next();
                oClientIdOffset = cursor.tokenOffset();
                oClientIdLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(K_PRICE))
            {
                cursor.next();
                oPriceOffset = cursor.tokenOffset();
                oPriceLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(K_ORIG_QTY))
            {
                cursor.next();
                oQtyOffset = cursor.tokenOffset();
                oQtyLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(K_EXECUTED_QTY))
            {
                cursor.next();
                oCumOffset = cursor.tokenOffset();
                oCumLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(K_SIDE))
            {
                cursor.next();
                oSide = cursor.tokenEquals(V_BUY) ? Side.BUY : cursor.tokenEquals(V_SELL) ? Side.SELL : Side.NULL_VAL;
            }
            else if (cursor.tokenEquals(K_STATUS))
            {
                cursor.next();
                oStatus = statusOf();
            }
            else if (!cursor.skipValue())
            {
                return false;
            }
        }
        return token == JsonCursor.END_OBJECT;
    }

    /**
     * The answer to {@code order.status}: the order's cumulative state. Fills this adapter never reported are
     * followed by {@code myTrades} for their commissions; otherwise (or if that cannot go) the answer goes to the
     * listener now.
     */
    private void onOrderStatusResponse(
        final DirectBuffer buffer, final long clOrdId, final int instrumentId, final int status,
        final VenueRejectReason reason, final int code, final long timeNs)
    {
        if (status != 200 || resultOffset < 0)
        {
            if (code == ORDER_DOES_NOT_EXIST)
            {
                final int slot = orders.slot(clOrdId);
                if (slot >= 0)
                {
                    orders.remove(slot);
                }
                listener.onOrderStatus(instrumentId, clOrdId, 0, Side.NULL_VAL, 0, 0, 0, 0, OrderStatus.NOT_FOUND, timeNs);
            }
            else
            {
                listener.onRejected(clOrdId, VenueRequest.ORDER_STATUS, reason, code, timeNs);
            }
            return;
        }
        cursor.reset(buffer, resultOffset, resultLength);
        final Instrument instrument = instrumentById(instrumentId);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT || !readOrderFields())
        {
            malformedFrames++;
            listener.onRejected(clOrdId, VenueRequest.ORDER_STATUS, VenueRejectReason.VENUE_ERROR, status, timeNs);
            return;
        }
        final long price = Decimals.parse(buffer, oPriceOffset, oPriceLength, instrument.priceExponent());
        final long qty = Decimals.parse(buffer, oQtyOffset, oQtyLength, instrument.qtyExponent());
        final long cum = Decimals.parse(buffer, oCumOffset, oCumLength, instrument.qtyExponent());
        if (price == Decimals.INVALID || qty == Decimals.INVALID || cum == Decimals.INVALID)
        {
            malformedFrames++;
            listener.onRejected(clOrdId, VenueRequest.ORDER_STATUS, VenueRejectReason.VENUE_ERROR, status, timeNs);
            return;
        }
        final int slot = orders.slot(clOrdId);
        final long knownCum = slot >= 0 ? orders.cumQty(slot) : 0;
        if (cum > knownCum && oVenueOrderId > 0 && throttle.tryAcquire(nowNs, 5, 0))
        {
            final long requestId = nextRequestId++;
            beginSigned(requestId, MY_TRADES);
            encoder.number(P_ORDER_ID, oVenueOrderId)
                .number(P_RECV_WINDOW, context.recvWindowMs())
                .string(P_SYMBOL, symbols[indexOf(instrument)])
                .number(P_TIMESTAMP, nowNs / MS);
            final byte side = (byte)(oSide == Side.NULL_VAL ? -1 : oSide.value());
            final byte orderStatus = (byte)oStatus.ordinal();
            final long venueOrderId = oVenueOrderId;
            if (send(requestId, KIND_MY_TRADES, clOrdId, 0, instrumentId))
            {
                final int i = (int)(requestId & PENDING_MASK);
                pendingStatus[i] = orderStatus;
                pendingSide[i] = side;
                pendingVenueId[i] = venueOrderId;
                pendingPrice[i] = price;
                pendingOrderQty[i] = qty;
                pendingCumQty[i] = cum;
                return;
            }
        }
        // no commissions to fetch (or no room to): the fees reported so far plus the estimate for the rest
        final long cumFee = slot >= 0 ? reconciledFee(slot, price, cum) :
            Fees.ofNotional(price, cum, context.feeEstimatePpm());
        reportStatus(slot, instrumentId, clOrdId, oVenueOrderId, oSide, price, qty, cum, cumFee, oStatus, timeNs);
    }

    /** {@code myTrades} for an order a status answer found filled further: its fees are the sum of the trades'. */
    private void onMyTradesResponse(
        final DirectBuffer buffer, final int pending, final long clOrdId, final int status, final long timeNs)
    {
        final int instrumentId = pendingInstruments[pending];
        final Instrument instrument = instrumentById(instrumentId);
        final int index = indexOf(instrument);
        final long price = pendingPrice[pending];
        final long cum = pendingCumQty[pending];
        final int slot = orders.slot(clOrdId);
        long cumFee = -1;
        if (status == 200 && resultOffset >= 0)
        {
            cumFee = tradesFee(buffer, index, instrument, cum);
        }
        if (cumFee < 0)
        {
            cumFee = slot >= 0 ? reconciledFee(slot, price, cum) : Fees.ofNotional(price, cum, context.feeEstimatePpm());
        }
        else if (slot >= 0)
        {
            orders.advanceCumQty(slot, cum);
            orders.addFee(slot, Math.max(0, cumFee - orders.cumFee(slot)));
        }
        final byte side = pendingSide[pending];
        reportStatus(slot, instrumentId, clOrdId, pendingVenueId[pending], side < 0 ? Side.NULL_VAL : Side.get(side),
            price, pendingOrderQty[pending], cum, cumFee, STATUSES[pendingStatus[pending]], timeNs);
    }

    /**
     * The commissions of the trades in a {@code myTrades} result, oldest first, up to {@code cumQty} filled,
     * each converted as an execution report's; -1 if the result cannot be read.
     */
    private long tradesFee(final DirectBuffer buffer, final int index, final Instrument instrument, final long cumQty)
    {
        cursor.reset(buffer, resultOffset, resultLength);
        if (cursor.next() != JsonCursor.BEGIN_ARRAY)
        {
            malformedFrames++;
            return -1;
        }
        long fees = 0;
        long filled = 0;
        int token;
        while ((token = cursor.next()) == JsonCursor.BEGIN_OBJECT)
        {
            int qtyOffset = -1;
            int qtyLength = 0;
            int priceOffset = -1;
            int priceLength = 0;
            int feeOffset = -1;
            int feeLength = 0;
            int assetOffset = -1;
            int assetLength = 0;
            while ((token = cursor.next()) == JsonCursor.KEY)
            {
                final int field = cursor.tokenEquals(K_QTY) ? 1 : cursor.tokenEquals(K_PRICE) ? 2 :
                    cursor.tokenEquals(K_COMMISSION) ? 3 : cursor.tokenEquals(K_COMMISSION_ASSET) ? 4 : 0;
                if (field == 0)
                {
                    if (!cursor.skipValue())
                    {
                        malformedFrames++;
                        return -1;
                    }
                    continue;
                }
                token = cursor.next();
                final int o = token == JsonCursor.STRING || token == JsonCursor.NUMBER ? cursor.tokenOffset() : -1;
                final int l = o < 0 ? 0 : cursor.tokenLength();
                switch (field)
                {
                    case 1 ->
                    {
                        qtyOffset = o;
                        qtyLength = l;
                    }
                    case 2 ->
                    {
                        priceOffset = o;
                        priceLength = l;
                    }
                    case 3 ->
                    {
                        feeOffset = o;
                        feeLength = l;
                    }
                    default ->
                    {
                        assetOffset = o;
                        assetLength = l;
                    }
                }
            }
            if (token != JsonCursor.END_OBJECT || qtyOffset < 0 || priceOffset < 0)
            {
                malformedFrames++;
                return -1;
            }
            final long qty = Decimals.parse(buffer, qtyOffset, qtyLength, instrument.qtyExponent());
            final long price = Decimals.parse(buffer, priceOffset, priceLength, instrument.priceExponent());
            if (qty == Decimals.INVALID || price == Decimals.INVALID)
            {
                malformedFrames++;
                return -1;
            }
            if (filled < cumQty)
            {
                fees += fee(buffer, index, feeOffset, feeLength, assetOffset, assetLength, price);
                filled += qty;
            }
        }
        return token == JsonCursor.END_ARRAY ? fees : -1;
    }

    private void reportStatus(
        final int slot, final int instrumentId, final long clOrdId, final long venueOrderId, final Side side,
        final long price, final long qty, final long cumQty, final long cumFee, final OrderStatus status,
        final long timeNs)
    {
        if (slot >= 0 && status.isFinal())
        {
            orders.remove(slot);
        }
        listener.onOrderStatus(instrumentId, clOrdId, venueOrderId, side, price, qty, cumQty, cumFee, status, timeNs);
    }

    private void onEvent(final DirectBuffer buffer, final int offset, final int length, final long timeNs)
    {
        cursor.reset(buffer, offset, length);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            malformedFrames++;
            return;
        }
        int eOffset = -1;
        int eLength = 0;
        int symbolOffset = -1;
        int symbolLength = 0;
        int cOffset = -1;
        int cLength = 0;
        int origCOffset = -1;
        int origCLength = 0;
        int xOffset = -1;
        int xLength = 0;
        int statusOffset = -1;
        int statusLength = 0;
        int qOffset = -1;
        int qLength = 0;
        int zOffset = -1;
        int zLength = 0;
        int lOffset = -1;
        int lLength = 0;
        int lastPriceOffset = -1;
        int lastPriceLength = 0;
        int feeOffset = -1;
        int feeLength = 0;
        int feeAssetOffset = -1;
        int feeAssetLength = 0;
        long venueOrderId = 0;
        long tradeId = 0;
        boolean maker = false;
        int token;
        while ((token = cursor.next()) == JsonCursor.KEY)
        {
            final int key = cursor.singleByteToken();
            token = cursor.next();
            if (token == JsonCursor.BEGIN_OBJECT || token == JsonCursor.BEGIN_ARRAY)
            {
                cursor.skipToDepth(cursor.depth() - 1);
                continue;
            }
            switch (key)
            {
                case 'e' ->
                {
                    eOffset = cursor.tokenOffset();
                    eLength = cursor.tokenLength();
                }
                case 's' ->
                {
                    symbolOffset = cursor.tokenOffset();
                    symbolLength = cursor.tokenLength();
                }
                case 'c' ->
                {
                    cOffset = cursor.tokenOffset();
                    cLength = cursor.tokenLength();
                }
                case 'C' ->
                {
                    origCOffset = cursor.tokenOffset();
                    origCLength = token == JsonCursor.STRING ? cursor.tokenLength() : 0;
                }
                case 'x' ->
                {
                    xOffset = cursor.tokenOffset();
                    xLength = cursor.tokenLength();
                }
                case 'X' ->
                {
                    statusOffset = cursor.tokenOffset();
                    statusLength = cursor.tokenLength();
                }
                case 'q' ->
                {
                    qOffset = cursor.tokenOffset();
                    qLength = cursor.tokenLength();
                }
                case 'z' ->
                {
                    zOffset = cursor.tokenOffset();
                    zLength = cursor.tokenLength();
                }
                case 'l' ->
                {
                    lOffset = cursor.tokenOffset();
                    lLength = cursor.tokenLength();
                }
                case 'L' ->
                {
                    lastPriceOffset = cursor.tokenOffset();
                    lastPriceLength = cursor.tokenLength();
                }
                case 'n' ->
                {
                    feeOffset = cursor.tokenOffset();
                    feeLength = cursor.tokenLength();
                }
                case 'N' ->
                {
                    feeAssetOffset = token == JsonCursor.STRING ? cursor.tokenOffset() : -1;
                    feeAssetLength = token == JsonCursor.STRING ? cursor.tokenLength() : 0;
                }
                case 'i' -> venueOrderId = cursor.longValue();
                case 't' -> tradeId = cursor.longValue();
                case 'm' -> maker = token == JsonCursor.TRUE;
                default ->
                {
                }
            }
        }
        if (token != JsonCursor.END_OBJECT || eOffset < 0)
        {
            malformedFrames++;
            return;
        }
        if (!equals(buffer, eOffset, eLength, EXECUTION_REPORT))
        {
            if (equals(buffer, eOffset, eLength, EVENT_STREAM_TERMINATED) || equals(buffer, eOffset, eLength, SERVER_SHUTDOWN))
            {
                ws.disconnect(); // no more order updates on this connection: reconnect and reconcile
            }
            return;
        }
        final int index = symbolOffset < 0 ? -1 : indexOfSymbol(buffer, symbolOffset, symbolLength);
        if (index < 0 || xOffset < 0)
        {
            unknownExecutionReports++;
            return;
        }
        final Instrument instrument = instruments[index];
        final boolean canceled = equals(buffer, xOffset, xLength, X_CANCELED);
        // a cancel's report carries the cancel request's new id in c and the order's id in C
        long clOrdId = canceled && origCLength > 0 ? ids.parse(buffer, origCOffset, origCLength) :
            cOffset >= 0 ? ids.parse(buffer, cOffset, cLength) : ClientOrderIds.FOREIGN;
        int slot = clOrdId >= 0 ? orders.slot(clOrdId) : -1;
        if (slot < 0 && venueOrderId > 0)
        {
            slot = orders.slotByVenueId(venueOrderId);
        }
        if (slot < 0)
        {
            unknownExecutionReports++;
            return;
        }
        clOrdId = orders.clOrdId(slot);
        if (equals(buffer, xOffset, xLength, X_NEW))
        {
            acknowledge(slot, venueOrderId, timeNs);
        }
        else if (equals(buffer, xOffset, xLength, X_TRADE))
        {
            acknowledge(slot, venueOrderId, timeNs);
            final long cumQty = Decimals.parse(buffer, zOffset, zLength, instrument.qtyExponent());
            final long lastQty = Decimals.parse(buffer, lOffset, lLength, instrument.qtyExponent());
            final long lastPrice = Decimals.parse(buffer, lastPriceOffset, lastPriceLength, instrument.priceExponent());
            if (cumQty == Decimals.INVALID || lastQty == Decimals.INVALID || lastPrice == Decimals.INVALID)
            {
                malformedFrames++;
                return;
            }
            final long newQty = orders.advanceCumQty(slot, cumQty);
            if (newQty > 0)
            {
                final long fee = fee(buffer, index, feeOffset, feeLength, feeAssetOffset, feeAssetLength, lastPrice);
                orders.addFee(slot, fee);
                final long leaves = orders.leavesQty(slot);
                listener.onFill(clOrdId, tradeId, lastPrice, lastQty, leaves, cumQty, fee, maker, timeNs);
            }
            if (equals(buffer, statusOffset, statusLength, S_FILLED) || orders.leavesQty(slot) == 0)
            {
                orders.remove(slot);
            }
        }
        else if (canceled || equals(buffer, xOffset, xLength, X_EXPIRED) ||
            equals(buffer, xOffset, xLength, X_TRADE_PREVENTION) ||
            equals(buffer, statusOffset, statusLength, S_EXPIRED_IN_MATCH))
        {
            final long cumQty = Decimals.parse(buffer, zOffset, zLength, instrument.qtyExponent());
            if (cumQty != Decimals.INVALID)
            {
                orders.advanceCumQty(slot, cumQty);
            }
            final long leaves = orders.leavesQty(slot);
            orders.remove(slot);
            listener.onCanceled(clOrdId, leaves, timeNs);
        }
        else if (equals(buffer, xOffset, xLength, X_REPLACED))
        {
            final long qty = Decimals.parse(buffer, qOffset, qLength, instrument.qtyExponent());
            final long cumQty = Decimals.parse(buffer, zOffset, zLength, instrument.qtyExponent());
            applyAmend(slot, qty, cumQty == Decimals.INVALID ? 0 : cumQty, timeNs);
        }
        else if (equals(buffer, xOffset, xLength, X_REJECTED))
        {
            orders.remove(slot);
            listener.onRejected(clOrdId, VenueRequest.PLACE, VenueRejectReason.INVALID_ORDER, 0, timeNs);
        }
    }

    private void acknowledge(final int slot, final long venueOrderId, final long timeNs)
    {
        if (venueOrderId > 0 && orders.venueId(slot) != venueOrderId)
        {
            orders.venueId(slot, venueOrderId);
        }
        if (orders.markLive(slot))
        {
            listener.onAck(orders.clOrdId(slot), orders.venueId(slot), timeNs);
        }
    }

    /** Commission at the instrument's money exponent in the quote asset, rounded up; 0 (counted) for a third asset. */
    private long fee(
        final DirectBuffer buffer, final int index, final int feeOffset, final int feeLength,
        final int assetOffset, final int assetLength, final long lastPrice)
    {
        if (feeOffset < 0 || assetOffset < 0)
        {
            return 0;
        }
        final long fee8 = Decimals.parse(buffer, feeOffset, feeLength, FEE_EXPONENT);
        if (fee8 == Decimals.INVALID || fee8 == 0)
        {
            return 0;
        }
        final Instrument instrument = instruments[index];
        final int moneyExponent = instrument.moneyExponent();
        if (equals(buffer, assetOffset, assetLength, quoteAssets[index]))
        {
            return rescaleUp(fee8, FEE_EXPONENT, moneyExponent);
        }
        if (equals(buffer, assetOffset, assetLength, baseAssets[index]))
        {
            final long quoteFee = Decimals.multiplyExact(fee8, lastPrice);
            if (quoteFee != Decimals.INVALID)
            {
                return rescaleUp(quoteFee, FEE_EXPONENT + instrument.priceExponent(), moneyExponent);
            }
        }
        feesInOtherAssets++;
        return 0;
    }

    private static long rescaleUp(final long mantissa, final int fromExponent, final int toExponent)
    {
        if (fromExponent >= toExponent)
        {
            final long value = Decimals.rescale(mantissa, fromExponent, toExponent);
            return value == Decimals.INVALID ? 0 : value;
        }
        final int shift = toExponent - fromExponent;
        if (shift > Decimals.MAX_SCALE)
        {
            return mantissa > 0 ? 1 : 0;
        }
        final long factor = Decimals.powerOfTen(shift);
        return -Math.floorDiv(-mantissa, factor);
    }

    private void onBackOff(final DirectBuffer buffer, final int status, final int code, final long timeNs)
    {
        long retryAfterMs = 0;
        cursor.reset(buffer, errorOffset, errorLength);
        if (BinanceRateLimits.findKey(cursor, K_RETRY_AFTER) && cursor.next() == JsonCursor.NUMBER)
        {
            retryAfterMs = cursor.longValue();
        }
        if (code == -1015)
        {
            throttle.onLimitExceeded(nowNs, LimitKind.ORDERS);
        }
        else if (code == -1003)
        {
            throttle.onLimitExceeded(nowNs, LimitKind.REQUEST_WEIGHT);
        }
        final long untilNs = retryAfterMs > 0 ? retryAfterMs * MS : nowNs + (status == 418 ? 120_000 : 1_000) * MS;
        throttle.backOffUntil(untilNs);
        listener.onBackOff(status, untilNs, timeNs);
    }

    // ---------------------------------------------------------------------------------------------------------
    // small decoding helpers

    private int errorCode(final DirectBuffer buffer)
    {
        final long code = longField(buffer, errorOffset, errorLength, K_CODE);
        return code == JsonCursor.INVALID_LONG ? 0 : (int)code;
    }

    private VenueRejectReason reasonOf(final int status, final int code, final DirectBuffer buffer)
    {
        return reasonOf(status, code, buffer, errorOffset, errorLength);
    }

    private static VenueRejectReason reasonOf(
        final int status, final int code, final DirectBuffer buffer, final int offset, final int length)
    {
        if (status >= 500 || code == -1007 || code == -1006)
        {
            return VenueRejectReason.UNKNOWN_STATE;
        }
        if (status == 429 || status == 418 || code == -1015 || code == -1003)
        {
            return VenueRejectReason.RATE_LIMIT;
        }
        switch (code)
        {
            case -2011, -2013 ->
            {
                return VenueRejectReason.UNKNOWN_ORDER;
            }
            case -2014, -2015, -1022, -1021, -1002 ->
            {
                return VenueRejectReason.AUTH_FAILED;
            }
            case -2010 ->
            {
                if (offset >= 0 && contains(buffer, offset, length, MSG_WOULD_TAKE))
                {
                    return VenueRejectReason.POST_ONLY_WOULD_CROSS;
                }
                if (offset >= 0 && contains(buffer, offset, length, MSG_INSUFFICIENT))
                {
                    return VenueRejectReason.INSUFFICIENT_FUNDS;
                }
                return VenueRejectReason.INVALID_ORDER;
            }
            default ->
            {
                return code <= -1100 && code > -1200 || code == -1013 ? VenueRejectReason.INVALID_ORDER :
                    VenueRejectReason.VENUE_ERROR;
            }
        }
    }

    private OrderStatus statusOf()
    {
        if (cursor.tokenEquals(X_NEW))
        {
            return OrderStatus.NEW;
        }
        if (cursor.tokenEquals(S_PARTIALLY_FILLED))
        {
            return OrderStatus.PARTIALLY_FILLED;
        }
        if (cursor.tokenEquals(S_FILLED))
        {
            return OrderStatus.FILLED;
        }
        if (cursor.tokenEquals(X_CANCELED))
        {
            return OrderStatus.CANCELED;
        }
        if (cursor.tokenEquals(X_REJECTED))
        {
            return OrderStatus.REJECTED;
        }
        if (cursor.tokenEquals(S_PENDING_NEW))
        {
            return OrderStatus.PENDING;
        }
        return OrderStatus.EXPIRED;
    }

    /** A top-level integer field of the object in {@code buffer[offset, offset + length)}; INVALID_LONG if absent. */
    private long longField(final DirectBuffer buffer, final int offset, final int length, final byte[] key)
    {
        cursor.reset(buffer, offset, length);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            return JsonCursor.INVALID_LONG;
        }
        return longFieldOfNextObjectBody(key);
    }

    /** Like {@link #longField} for the object whose start is the cursor's next token. */
    private long longFieldOfNextObject(final byte[] key)
    {
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            return 0;
        }
        final long value = longFieldOfNextObjectBody(key);
        return value == JsonCursor.INVALID_LONG ? 0 : value;
    }

    private long longFieldOfNextObjectBody(final byte[] key)
    {
        while (cursor.next() == JsonCursor.KEY)
        {
            if (cursor.tokenEquals(key))
            {
                cursor.next();
                return cursor.longValue();
            }
            if (!cursor.skipValue())
            {
                break;
            }
        }
        return JsonCursor.INVALID_LONG;
    }

    private long decimalField(final DirectBuffer buffer, final int offset, final int length, final byte[] key, final int exponent)
    {
        cursor.reset(buffer, offset, length);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            return Decimals.INVALID;
        }
        while (cursor.next() == JsonCursor.KEY)
        {
            if (cursor.tokenEquals(key))
            {
                cursor.next();
                return Decimals.parse(buffer, cursor.tokenOffset(), cursor.tokenLength(), exponent);
            }
            if (!cursor.skipValue())
            {
                break;
            }
        }
        return Decimals.INVALID;
    }

    private int indexOf(final Instrument instrument)
    {
        for (int i = 0; i < instruments.length; i++)
        {
            if (instruments[i] == instrument || instruments[i].id() == instrument.id())
            {
                return i;
            }
        }
        return -1;
    }

    private Instrument instrumentById(final int id)
    {
        for (final Instrument instrument : instruments)
        {
            if (instrument.id() == id)
            {
                return instrument;
            }
        }
        return instruments[0];
    }

    private int indexOfSymbol(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < symbols.length; i++)
        {
            if (equals(buffer, offset, length, symbols[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean equals(final DirectBuffer buffer, final int offset, final int length, final byte[] expected)
    {
        if (offset < 0 || length != expected.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(final DirectBuffer buffer, final int offset, final int length, final byte[] needle)
    {
        final int last = offset + length - needle.length;
        outer:
        for (int i = offset; i <= last; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                final int a = buffer.getByte(i + j) | 0x20; // ASCII case-insensitive
                if (a != (needle[j] | 0x20))
                {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // counters

    public long malformedFrames()
    {
        return malformedFrames;
    }

    public long unknownResponses()
    {
        return unknownResponses;
    }

    public long unknownExecutionReports()
    {
        return unknownExecutionReports;
    }

    public long feesInOtherAssets()
    {
        return feesInOtherAssets;
    }

    public long requestsSent()
    {
        return requestsSent;
    }

    public long reconnects()
    {
        return reconnects;
    }

    /** Orders this adapter is tracking (sent and not finished). */
    public int openOrders()
    {
        return orders.size();
    }

    @Override
    public String toString()
    {
        return "BinanceOrderEntry[" + context.wsUrl() + ", " + state + ", signer=" + signer + "]";
    }
}
