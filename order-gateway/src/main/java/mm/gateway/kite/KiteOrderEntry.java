package mm.gateway.kite;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.json.JsonCursor;
import mm.gateway.venue.ClientOrderIds;
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
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Zerodha Kite Connect order entry: REST {@code POST /orders/regular} (place), {@code PUT} (modify),
 * {@code DELETE} (cancel) and {@code GET /orders} (reconcile), with the documented {@code X-Kite-Version: 3}
 * and {@code Authorization: token api_key:access_token} headers. Kite answers a request when its OMS has
 * accepted it; what then happens to the order arrives as order updates: the ticker's {@code order} text
 * messages (a ticker connection that subscribes to nothing), postbacks ({@link KitePostbacks}), and the
 * {@code GET /orders} snapshot. All three go through one update handler, and the {@link OrderTable} reports
 * each transition once: fills from the growing {@code filled_quantity} (the last price from the change in
 * {@code average_price × filled_quantity}, no trade id: Kite's updates carry none), amends from a changed price
 * or quantity, cancels and rejections from the status.
 * <p>
 * A place is acknowledged when Kite answers with its order id. Kite has no cancel-replace: it is a cancel and a
 * place. Kite has no post-only order either: post-only requests are refused unless
 * {@code kite.order.postOnlyAsLimit} lets them go as plain DAY limit orders. Kite offers no cancel-on-disconnect.
 * <p>
 * REST goes through the JDK {@link HttpClient}: each request allocates (its form text, the request and the
 * response bodies). Kite allows ten requests a second, so this is far from the hot path; answers are handed to
 * the gateway thread through an {@link InboundRing} and decoded there without allocating.
 */
public final class KiteOrderEntry implements OrderEntry, MessageHandler
{
    private static final long MS = 1_000_000L;
    private static final long NONE = -1;
    private static final int PENDING_CAPACITY = 1024;
    private static final int PENDING_MASK = PENDING_CAPACITY - 1;
    /** Average prices are parsed at this exponent (Kite averages can have more decimals than the tick). */
    private static final int AVERAGE_EXPONENT = -6;

    private static final byte KIND_PLACE = 1;
    private static final byte KIND_CANCEL = 2;
    private static final byte KIND_MODIFY = 3;
    private static final byte KIND_ORDERS = 4;
    private static final byte KIND_CANCEL_FOREIGN = 5;
    private static final byte KIND_ORDER_HISTORY = 6;

    private static final byte[] K_STATUS = ascii("status");
    private static final byte[] K_DATA = ascii("data");
    private static final byte[] K_ORDER_ID = ascii("order_id");
    private static final byte[] K_TYPE = ascii("type");
    private static final byte[] K_ERROR_TYPE = ascii("error_type");
    private static final byte[] K_TRADINGSYMBOL = ascii("tradingsymbol");
    private static final byte[] K_EXCHANGE = ascii("exchange");
    private static final byte[] K_TRANSACTION_TYPE = ascii("transaction_type");
    private static final byte[] K_QUANTITY = ascii("quantity");
    private static final byte[] K_PRICE = ascii("price");
    private static final byte[] K_FILLED = ascii("filled_quantity");
    private static final byte[] K_AVERAGE = ascii("average_price");
    private static final byte[] K_TAG = ascii("tag");
    private static final byte[] K_STATUS_MESSAGE = ascii("status_message");
    private static final byte[] V_ORDER = ascii("order");
    private static final byte[] V_BUY = ascii("BUY");
    private static final byte[] V_SELL = ascii("SELL");
    private static final byte[] S_COMPLETE = ascii("COMPLETE");
    private static final byte[] S_CANCELLED = ascii("CANCELLED");
    private static final byte[] S_REJECTED = ascii("REJECTED");
    private static final byte[] S_OPEN = ascii("OPEN");
    private static final byte[] S_UPDATE = ascii("UPDATE");
    private static final byte[] S_TRIGGER_PENDING = ascii("TRIGGER PENDING");
    private static final byte[] E_TOKEN = ascii("TokenException");
    private static final byte[] E_MARGIN = ascii("MarginException");
    private static final byte[] E_NETWORK = ascii("NetworkException");
    private static final byte[] E_INPUT = ascii("InputException");
    private static final byte[] E_ORDER = ascii("OrderException");
    private static final byte[] MSG_INSUFFICIENT = ascii("insufficient");

    private final KiteOrderEntryContext context;
    private final VenueListener listener;
    private final Instrument[] instruments;
    private final String[] exchanges;
    private final String[] tradingSymbols;
    private final byte[][] exchangeBytes;
    private final byte[][] symbolBytes;
    private final ClientOrderIds tags;
    private final OrderTable orders = new OrderTable(1024);
    private final JsonCursor cursor = new JsonCursor();
    private final InboundRing inbound;
    private final HttpClient http;
    private final String authorization;
    private final String ordersUrl;
    private final WsClient ticker;
    private final KitePostbacks postbacks;
    private final StringBuilder form = new StringBuilder(256);
    private final UnsafeBuffer tagBuffer = new UnsafeBuffer(new byte[40]);
    private final VenueThrottle throttle;
    /** Cancel-replaces waiting for their cancel: old client order id to the new order's (in the table, not sent). */
    private final Long2LongHashMap deferredPlaces = new Long2LongHashMap(NONE);

    private final long[] pendingIds = new long[PENDING_CAPACITY];
    private final byte[] pendingKinds = new byte[PENDING_CAPACITY];
    private final long[] pendingClOrdIds = new long[PENDING_CAPACITY];
    private final int[] pendingInstruments = new int[PENDING_CAPACITY];
    private long nextRequestId = 1;
    private long nowNs;
    private boolean sessionUp;
    private boolean connected;
    private int tickerGeneration;
    private boolean reconciling;
    private int[] elementOffsets = new int[256];
    private int[] elementLengths = new int[256];
    private int reconcileCount;

    // one order object being decoded (offsets into its frame)
    private long uVenueOrderId;
    private int uStatusOffset;
    private int uStatusLength;
    private int uSymbolOffset;
    private int uSymbolLength;
    private int uExchangeOffset;
    private int uExchangeLength;
    private int uTagOffset;
    private int uTagLength;
    private int uMessageOffset;
    private int uMessageLength;
    private int uQtyOffset;
    private int uQtyLength;
    private int uPriceOffset;
    private int uPriceLength;
    private int uFilledOffset;
    private int uFilledLength;
    private int uAverageOffset;
    private int uAverageLength;
    private Side uSide;

    private long malformed;
    private long unknownUpdates;
    private long unknownResponses;

    /**
     * @param instruments Kite instruments, symbol {@code EXCHANGE:TRADINGSYMBOL} as the registry names them.
     */
    public KiteOrderEntry(final KiteOrderEntryContext context, final List<Instrument> instruments, final VenueListener listener)
    {
        if (!context.isConcluded())
        {
            throw new IllegalStateException("conclude() the context first");
        }
        this.context = context;
        this.listener = listener;
        this.instruments = instruments.toArray(new Instrument[0]);
        this.exchanges = new String[this.instruments.length];
        this.tradingSymbols = new String[this.instruments.length];
        this.exchangeBytes = new byte[this.instruments.length][];
        this.symbolBytes = new byte[this.instruments.length][];
        for (int i = 0; i < this.instruments.length; i++)
        {
            final String symbol = this.instruments[i].symbol();
            final int colon = symbol.indexOf(':');
            if (colon <= 0 || colon == symbol.length() - 1)
            {
                throw new IllegalArgumentException("Kite instrument symbols are EXCHANGE:TRADINGSYMBOL, not " + symbol);
            }
            exchanges[i] = symbol.substring(0, colon);
            tradingSymbols[i] = symbol.substring(colon + 1);
            exchangeBytes[i] = ascii(exchanges[i]);
            symbolBytes[i] = tradingSymbols[i].getBytes(StandardCharsets.UTF_8);
        }
        this.tags = new ClientOrderIds(context.tagPrefix());
        this.throttle = new VenueThrottle(KiteLimits.DEFAULTS, context.headroomPercent());
        this.inbound = new InboundRing(1 << 22);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(context.requestTimeoutMs())).build();
        this.authorization = "token " + context.apiKey().value() + ':' + context.accessToken().value();
        final String root = context.restUrl().toString();
        this.ordersUrl = (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + "/orders";
        this.ticker = context.tickerUrl() == null ? null : new WsClient(URI.create(context.tickerUrl() +
            (context.tickerUrl().getRawQuery() == null ? "?" : "&") + "api_key=" + encode(context.apiKey().value()) +
            "&access_token=" + encode(context.accessToken().value())), inbound, 1 << 16, "mm-kite-order-updates");
        try
        {
            this.postbacks = context.postbackPort() == 0 ? null : new KitePostbacks(context.postbackBind(),
                Math.max(0, context.postbackPort()), inbound, context.apiSecret().value());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot listen for postbacks on " + context.postbackBind() + ':' +
                context.postbackPort(), ex);
        }
    }

    /** The postback receiver's port, -1 when there is none. */
    public int postbackPort()
    {
        return postbacks == null ? -1 : postbacks.port();
    }

    public KitePostbacks postbacks()
    {
        return postbacks;
    }

    @Override
    public void connect(final long nowNs)
    {
        this.nowNs = nowNs;
        connected = true;
        if (ticker != null)
        {
            tickerGeneration = ticker.connect();
        }
        else
        {
            sessionUp = true; // REST needs no session; updates come from postbacks or GET /orders
            listener.onSessionUp(nowNs);
        }
    }

    @Override
    public boolean isSessionUp()
    {
        return sessionUp;
    }

    @Override
    public VenueThrottle throttle()
    {
        return throttle;
    }

    @Override
    public boolean canAmendPrice()
    {
        return true;
    }

    @Override
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        return inbound.drain(this, 64);
    }

    @Override
    public SubmitResult place(
        final long nowNs, final Instrument instrument, final long clOrdId, final Side side, final long price,
        final long qty, final boolean postOnly)
    {
        this.nowNs = nowNs;
        final int index = indexOf(instrument);
        if (index < 0 || price <= 0 || qty <= 0 || clOrdId < 0 || side == null || side == Side.NULL_VAL ||
            postOnly && !context.postOnlyAsLimit())
        {
            return SubmitResult.INVALID;
        }
        if (!sessionUp)
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
        orders.add(clOrdId, instrument.id(), (byte)side.value(), price, qty);
        sendPlace(index, instrument, clOrdId, side, price, qty);
        return SubmitResult.SENT;
    }

    /** {@code POST /orders/regular} of an order already in the table (its limits already drawn). */
    private void sendPlace(
        final int index, final Instrument instrument, final long clOrdId, final Side side, final long price, final long qty)
    {
        form.setLength(0);
        form.append("tradingsymbol=").append(encode(tradingSymbols[index]))
            .append("&exchange=").append(exchanges[index])
            .append("&transaction_type=").append(side == Side.BUY ? "BUY" : "SELL")
            .append("&order_type=LIMIT&quantity=");
        Decimals.append(form, qty, instrument.qtyExponent()).append("&price=");
        Decimals.append(form, price, instrument.priceExponent())
            .append("&product=").append(context.product())
            .append("&validity=DAY");
        final int tagLength = tags.put(tagBuffer, 0, clOrdId);
        if (tagLength <= 20)
        {
            form.append("&tag=").append(tagBuffer.getStringWithoutLengthAscii(0, tagLength));
        }
        send(KIND_PLACE, clOrdId, instrument.id(), "POST", ordersUrl + "/regular", form.toString());
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
        if (!sessionUp)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        final int slot = orders.slot(clOrdId);
        if (slot < 0)
        {
            return SubmitResult.UNKNOWN_ORDER;
        }
        if (orders.venueId(slot) == 0)
        {
            return SubmitResult.IN_FLIGHT;
        }
        if (!throttle.tryAcquire(nowNs, 1, 0))
        {
            return SubmitResult.THROTTLED;
        }
        send(KIND_CANCEL, clOrdId, instrument.id(), "DELETE", ordersUrl + "/regular/" + orders.venueId(slot), null);
        return SubmitResult.SENT;
    }

    @Override
    public SubmitResult cancelByVenueId(final long nowNs, final Instrument instrument, final long venueOrderId)
    {
        this.nowNs = nowNs;
        if (indexOf(instrument) < 0 || venueOrderId <= 0)
        {
            return SubmitResult.INVALID;
        }
        if (!sessionUp)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (!throttle.tryAcquire(nowNs, 1, 0))
        {
            return SubmitResult.THROTTLED;
        }
        send(KIND_CANCEL_FOREIGN, FOREIGN_ORDER, instrument.id(), "DELETE", ordersUrl + "/regular/" + venueOrderId, null);
        return SubmitResult.SENT;
    }

    /**
     * Kite has no cancel-replace: a cancel, then the place once Kite confirms the old order cancelled, so that as
     * with Binance's STOP_ON_FAILURE the new order goes only if the cancel succeeded (never two orders for one
     * level). If the cancel fails, or the old order fills instead, the new half is rejected with the cancel's
     * reason. The limits of both requests are checked before the cancel goes.
     */
    @Override
    public SubmitResult cancelReplace(
        final long nowNs, final Instrument instrument, final long cancelClOrdId, final long newClOrdId,
        final Side side, final long price, final long qty, final boolean postOnly)
    {
        this.nowNs = nowNs;
        // everything that could refuse the place is checked before the cancel goes: both or neither
        if (indexOf(instrument) < 0 || price <= 0 || qty <= 0 || newClOrdId < 0 || side == null ||
            side == Side.NULL_VAL || postOnly && !context.postOnlyAsLimit() || orders.slot(newClOrdId) >= 0)
        {
            return SubmitResult.INVALID;
        }
        if (!sessionUp)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        final int slot = orders.slot(cancelClOrdId);
        if (slot < 0)
        {
            return SubmitResult.UNKNOWN_ORDER;
        }
        if (orders.venueId(slot) == 0)
        {
            return SubmitResult.IN_FLIGHT;
        }
        if (!throttle.canSend(nowNs, 2, 1, 2))
        {
            return SubmitResult.THROTTLED;
        }
        final SubmitResult cancelled = cancel(nowNs, instrument, cancelClOrdId);
        if (cancelled != SubmitResult.SENT)
        {
            return cancelled;
        }
        orders.add(newClOrdId, instrument.id(), (byte)side.value(), price, qty);
        deferredPlaces.put(cancelClOrdId, newClOrdId);
        return SubmitResult.SENT;
    }

    /** The old order of a cancel-replace is cancelled: its new half goes now (or is rejected if no room). */
    private void placeDeferred(final long cancelledClOrdId, final long timeNs)
    {
        final long newClOrdId = deferredPlaces.remove(cancelledClOrdId);
        if (newClOrdId == NONE)
        {
            return;
        }
        final int slot = orders.slot(newClOrdId);
        if (slot < 0)
        {
            return;
        }
        final Instrument instrument = instrumentById(orders.instrumentId(slot));
        if (!sessionUp || !throttle.tryAcquire(nowNs, 1, 1))
        {
            orders.remove(slot);
            listener.onRejected(newClOrdId, VenueRequest.PLACE,
                sessionUp ? VenueRejectReason.RATE_LIMIT : VenueRejectReason.VENUE_ERROR, 0, timeNs);
            return;
        }
        sendPlace(indexOf(instrument), instrument, newClOrdId, Side.get(orders.side(slot)), orders.price(slot),
            orders.qty(slot));
    }

    /** The old order of a cancel-replace was not cancelled: its new half is not placed. */
    private void rejectDeferred(final long oldClOrdId, final VenueRejectReason reason, final int code, final long timeNs)
    {
        final long newClOrdId = deferredPlaces.remove(oldClOrdId);
        if (newClOrdId == NONE)
        {
            return;
        }
        final int slot = orders.slot(newClOrdId);
        if (slot >= 0)
        {
            orders.remove(slot);
        }
        listener.onRejected(newClOrdId, VenueRequest.PLACE, reason, code, timeNs);
    }

    /** Kite modify: price and quantity, at most 25 times per order. */
    @Override
    public SubmitResult amend(
        final long nowNs, final Instrument instrument, final long clOrdId, final long newPrice, final long newQty)
    {
        this.nowNs = nowNs;
        final int index = indexOf(instrument);
        if (index < 0 || newPrice <= 0 || newQty <= 0)
        {
            return SubmitResult.INVALID;
        }
        if (!sessionUp)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        final int slot = orders.slot(clOrdId);
        if (slot < 0)
        {
            return SubmitResult.UNKNOWN_ORDER;
        }
        if (orders.venueId(slot) == 0)
        {
            return SubmitResult.IN_FLIGHT;
        }
        if (orders.modifications(slot) >= KiteLimits.MAX_MODIFICATIONS_PER_ORDER)
        {
            return SubmitResult.MODIFY_LIMIT;
        }
        if (!throttle.tryAcquire(nowNs, 1, 0))
        {
            return SubmitResult.THROTTLED;
        }
        orders.countModification(slot);
        form.setLength(0);
        form.append("order_type=LIMIT&quantity=");
        Decimals.append(form, newQty, instrument.qtyExponent()).append("&price=");
        Decimals.append(form, newPrice, instrument.priceExponent()).append("&validity=DAY");
        send(KIND_MODIFY, clOrdId, instrument.id(), "PUT", ordersUrl + "/regular/" + orders.venueId(slot), form.toString());
        return SubmitResult.SENT;
    }

    @Override
    public SubmitResult requestOpenOrders(final long nowNs, final Instrument instrument)
    {
        this.nowNs = nowNs;
        if (instrument != null && indexOf(instrument) < 0)
        {
            return SubmitResult.INVALID;
        }
        if (!sessionUp)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        if (!throttle.tryAcquire(nowNs, 1, 0))
        {
            return SubmitResult.THROTTLED;
        }
        send(KIND_ORDERS, 0, instrument == null ? 0 : instrument.id(), "GET", ordersUrl, null);
        return SubmitResult.SENT;
    }

    /**
     * {@code GET /orders/:order_id} (the order's history) by the venue id its placement was answered with; an
     * order whose placement was never answered cannot be looked up ({@link SubmitResult#UNKNOWN_ORDER}: Kite's
     * {@code GET /orders} of the reconcile already lists every order of the day, tagged ones included).
     */
    @Override
    public SubmitResult requestOrderStatus(final long nowNs, final Instrument instrument, final long clOrdId)
    {
        this.nowNs = nowNs;
        if (indexOf(instrument) < 0)
        {
            return SubmitResult.INVALID;
        }
        if (!sessionUp)
        {
            return SubmitResult.NOT_CONNECTED;
        }
        final int slot = orders.slot(clOrdId);
        if (slot >= 0 && orders.venueId(slot) == 0 && dropDeferred(clOrdId))
        {
            orders.remove(slot); // a cancel-replace's new half still waiting for the cancel: it never goes now
            return SubmitResult.UNKNOWN_ORDER;
        }
        if (slot < 0 || orders.venueId(slot) == 0)
        {
            return SubmitResult.UNKNOWN_ORDER;
        }
        if (!throttle.tryAcquire(nowNs, 1, 0))
        {
            return SubmitResult.THROTTLED;
        }
        send(KIND_ORDER_HISTORY, clOrdId, instrument.id(), "GET", ordersUrl + "/" + orders.venueId(slot), null);
        return SubmitResult.SENT;
    }

    @Override
    public void close()
    {
        sessionUp = false;
        connected = false;
        if (ticker != null)
        {
            ticker.close();
        }
        if (postbacks != null)
        {
            postbacks.close();
        }
        http.shutdownNow();
    }

    /** Drops the ticker connection (tests, operations); it reconnects by itself. */
    public void disconnectTicker()
    {
        if (ticker != null)
        {
            ticker.disconnect();
        }
    }

    private void send(
        final byte kind, final long clOrdId, final int instrumentId, final String method, final String url, final String body)
    {
        final long requestId = nextRequestId++;
        final int i = (int)(requestId & PENDING_MASK);
        pendingIds[i] = requestId;
        pendingKinds[i] = kind;
        pendingClOrdIds[i] = clOrdId;
        pendingInstruments[i] = instrumentId;
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMillis(context.requestTimeoutMs()))
            .header("X-Kite-Version", "3")
            .header("Authorization", authorization);
        if (body != null)
        {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        else
        {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        final int correlation = (int)requestId;
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) ->
        {
            final long timeNs = System.currentTimeMillis() * MS;
            if (response != null)
            {
                final byte[] bytes = response.body();
                final int retryAfterS = response.headers().firstValue("Retry-After").map(KiteOrderEntry::seconds).orElse(0);
                // the Retry-After seconds ride in the correlation's high bits; the request id's low 20 bits suffice
                inbound.offer(InboundRing.HTTP_RESPONSE, timeNs, response.statusCode(),
                    (correlation & 0xFFFFF) | (Math.min(retryAfterS, 2047) << 20), bytes, 0, bytes.length);
            }
            else
            {
                inbound.offer(InboundRing.HTTP_RESPONSE, timeNs,
                    error instanceof java.net.http.HttpTimeoutException ? InboundRing.HTTP_TIMEOUT : InboundRing.HTTP_IO_ERROR,
                    correlation & 0xFFFFF);
            }
        });
    }

    private static int seconds(final String text)
    {
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            return 1;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // inbound

    @Override
    public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long timeNs = buffer.getLong(index + InboundRing.TIME_OFFSET);
        final int aux = buffer.getInt(index + InboundRing.AUX_OFFSET);
        final int correlation = buffer.getInt(index + InboundRing.CORRELATION_OFFSET);
        final int offset = index + InboundRing.HEADER_LENGTH;
        final int payloadLength = length - InboundRing.HEADER_LENGTH;
        switch (type)
        {
            case InboundRing.HTTP_RESPONSE -> onHttpResponse(buffer, offset, payloadLength, aux, correlation, timeNs);
            case InboundRing.PUSHED_UPDATE -> onUpdateObject(buffer, offset, payloadLength, timeNs);
            case InboundRing.TEXT ->
            {
                if (correlation == tickerGeneration)
                {
                    onTickerText(buffer, offset, payloadLength, timeNs);
                }
            }
            case InboundRing.CONNECTED ->
            {
                if (correlation == tickerGeneration && connected)
                {
                    sessionUp = true;
                    listener.onSessionUp(timeNs);
                }
            }
            case InboundRing.DISCONNECTED ->
            {
                if (correlation == tickerGeneration && connected)
                {
                    final boolean wasUp = sessionUp;
                    sessionUp = false;
                    if (wasUp)
                    {
                        listener.onSessionDown(timeNs, true);
                    }
                    tickerGeneration = ticker.connect(); // Kite's ticker: reconnect at once; updates missed meanwhile come from GET /orders
                }
            }
            default ->
            {
            }
        }
    }

    /** A ticker text message: only {@code {"type":"order","data":{...}}} matters here. */
    void onTickerText(final DirectBuffer buffer, final int offset, final int length, final long timeNs)
    {
        cursor.reset(buffer, offset, length);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            malformed++;
            return;
        }
        boolean order = false;
        int dataOffset = -1;
        int dataLength = 0;
        int token;
        while ((token = cursor.next()) == JsonCursor.KEY)
        {
            if (cursor.tokenEquals(K_TYPE))
            {
                cursor.next();
                order = cursor.tokenEquals(V_ORDER);
            }
            else
            {
                final boolean data = cursor.tokenEquals(K_DATA);
                final int start = cursor.position();
                if (!cursor.skipValue())
                {
                    malformed++;
                    return;
                }
                if (data)
                {
                    dataOffset = start;
                    dataLength = cursor.position() - start;
                }
            }
        }
        if (token != JsonCursor.END_OBJECT)
        {
            malformed++;
            return;
        }
        if (order && dataOffset >= 0)
        {
            onUpdateObject(buffer, dataOffset, dataLength, timeNs);
        }
    }

    private void onHttpResponse(
        final DirectBuffer buffer, final int offset, final int length, final int status, final int correlation,
        final long timeNs)
    {
        final int id = correlation & 0xFFFFF;
        final int i = id & PENDING_MASK;
        if ((pendingIds[i] & 0xFFFFF) != id || pendingKinds[i] == 0)
        {
            unknownResponses++;
            return;
        }
        final byte kind = pendingKinds[i];
        pendingKinds[i] = 0;
        final long clOrdId = pendingClOrdIds[i];
        if (status == 200)
        {
            switch (kind)
            {
                case KIND_PLACE -> onPlaced(buffer, offset, length, clOrdId, timeNs);
                case KIND_ORDERS -> onOrders(buffer, offset, length, pendingInstruments[i], timeNs);
                case KIND_ORDER_HISTORY -> onOrderHistory(buffer, offset, length, clOrdId, pendingInstruments[i], timeNs);
                default ->
                {
                    // cancel and modify take effect when the order update says so
                }
            }
            return;
        }
        if (kind == KIND_ORDER_HISTORY && (status == 400 || status == 404))
        {
            // Kite cannot give this order's history (not one of today's orders): it does not know it
            final int slot = orders.slot(clOrdId);
            if (slot >= 0)
            {
                orders.remove(slot);
            }
            listener.onOrderStatus(pendingInstruments[i], clOrdId, 0, Side.NULL_VAL, 0, 0, 0, 0, OrderStatus.NOT_FOUND, timeNs);
            return;
        }
        final VenueRejectReason reason = reasonOf(status, buffer, offset, length);
        if (status == 429)
        {
            final int retryAfterS = correlation >>> 20;
            final long untilNs = nowNs + Math.max(1, retryAfterS) * 1_000_000_000L;
            throttle.onLimitExceeded(nowNs, LimitKind.RAW_REQUESTS);
            throttle.backOffUntil(untilNs);
            listener.onBackOff(429, untilNs, timeNs);
        }
        switch (kind)
        {
            case KIND_PLACE ->
            {
                final int slot = orders.slot(clOrdId);
                if (slot >= 0 && reason != VenueRejectReason.UNKNOWN_STATE)
                {
                    orders.remove(slot);
                }
                listener.onRejected(clOrdId, VenueRequest.PLACE, reason, status, timeNs);
            }
            case KIND_CANCEL, KIND_CANCEL_FOREIGN ->
            {
                listener.onRejected(clOrdId, VenueRequest.CANCEL, reason, status, timeNs);
                rejectDeferred(clOrdId, reason, status, timeNs);
            }
            case KIND_MODIFY -> listener.onRejected(clOrdId, VenueRequest.AMEND, reason, status, timeNs);
            case KIND_ORDERS -> listener.onRejected(0, VenueRequest.OPEN_ORDERS, reason, status, timeNs);
            case KIND_ORDER_HISTORY -> listener.onRejected(clOrdId, VenueRequest.ORDER_STATUS, reason, status, timeNs);
            default -> unknownResponses++;
        }
    }

    private void onPlaced(final DirectBuffer buffer, final int offset, final int length, final long clOrdId, final long timeNs)
    {
        final int slot = orders.slot(clOrdId);
        if (slot < 0)
        {
            return;
        }
        cursor.reset(buffer, offset, length);
        long venueOrderId = 0;
        if (findKey(K_ORDER_ID) && cursor.next() == JsonCursor.STRING)
        {
            venueOrderId = parseId(buffer, cursor.tokenOffset(), cursor.tokenLength());
        }
        if (venueOrderId <= 0)
        {
            malformed++;
            return;
        }
        if (orders.venueId(slot) != venueOrderId)
        {
            orders.venueId(slot, venueOrderId);
        }
        if (orders.markLive(slot))
        {
            listener.onAck(clOrdId, venueOrderId, timeNs);
        }
    }

    private void onOrders(final DirectBuffer buffer, final int offset, final int length, final int instrumentId, final long timeNs)
    {
        cursor.reset(buffer, offset, length);
        if (!findKey(K_DATA) || cursor.next() != JsonCursor.BEGIN_ARRAY)
        {
            malformed++;
            listener.onRejected(0, VenueRequest.OPEN_ORDERS, VenueRejectReason.VENUE_ERROR, 200, timeNs);
            return;
        }
        // remember each element's range first: the update handler reuses the cursor
        final int arrayDepth = cursor.depth();
        int count = 0;
        int token;
        while ((token = cursor.next()) == JsonCursor.BEGIN_OBJECT)
        {
            final int start = cursor.tokenOffset();
            if (!cursor.skipToDepth(arrayDepth))
            {
                break;
            }
            if (count == elementOffsets.length)
            {
                elementOffsets = java.util.Arrays.copyOf(elementOffsets, count * 2);
                elementLengths = java.util.Arrays.copyOf(elementLengths, count * 2);
            }
            elementOffsets[count] = start;
            elementLengths[count] = cursor.position() - start;
            count++;
        }
        if (token != JsonCursor.END_ARRAY)
        {
            malformed++;
        }
        reconciling = true;
        reconcileCount = 0;
        for (int i = 0; i < count; i++)
        {
            onUpdateObject(buffer, elementOffsets[i], elementLengths[i], timeNs);
        }
        reconciling = false;
        listener.onOpenOrdersEnd(instrumentId, reconcileCount, timeNs);
    }

    /** Reads one order object into the {@code u*} fields; false (counted) if it is not one. */
    private boolean readUpdateFields(final DirectBuffer buffer, final int offset, final int length)
    {
        cursor.reset(buffer, offset, length);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            malformed++;
            return false;
        }
        uVenueOrderId = 0;
        uStatusOffset = -1;
        uStatusLength = 0;
        uSymbolOffset = -1;
        uSymbolLength = 0;
        uExchangeOffset = -1;
        uExchangeLength = 0;
        uTagOffset = -1;
        uTagLength = 0;
        uMessageOffset = -1;
        uMessageLength = 0;
        uQtyOffset = -1;
        uQtyLength = 0;
        uPriceOffset = -1;
        uPriceLength = 0;
        uFilledOffset = -1;
        uFilledLength = 0;
        uAverageOffset = -1;
        uAverageLength = 0;
        uSide = Side.NULL_VAL;
        int token;
        while ((token = cursor.next()) == JsonCursor.KEY)
        {
            if (cursor.tokenEquals(K_ORDER_ID))
            {
                if (cursor.next() == JsonCursor.STRING)
                {
                    uVenueOrderId = parseId(buffer, cursor.tokenOffset(), cursor.tokenLength());
                }
                continue;
            }
            final int field = fieldOf();
            token = cursor.next();
            if (token == JsonCursor.BEGIN_OBJECT || token == JsonCursor.BEGIN_ARRAY)
            {
                cursor.skipToDepth(cursor.depth() - 1);
                continue;
            }
            final boolean text = token == JsonCursor.STRING || token == JsonCursor.NUMBER;
            final int o = text ? cursor.tokenOffset() : -1;
            final int l = text ? cursor.tokenLength() : 0;
            switch (field)
            {
                case 1 ->
                {
                    uStatusOffset = o;
                    uStatusLength = l;
                }
                case 2 ->
                {
                    uSymbolOffset = o;
                    uSymbolLength = l;
                }
                case 3 ->
                {
                    uExchangeOffset = o;
                    uExchangeLength = l;
                }
                case 4 ->
                {
                    uTagOffset = o;
                    uTagLength = l;
                }
                case 5 ->
                {
                    uMessageOffset = o;
                    uMessageLength = l;
                }
                case 6 ->
                {
                    uQtyOffset = o;
                    uQtyLength = l;
                }
                case 7 ->
                {
                    uPriceOffset = o;
                    uPriceLength = l;
                }
                case 8 ->
                {
                    uFilledOffset = o;
                    uFilledLength = l;
                }
                case 9 ->
                {
                    uAverageOffset = o;
                    uAverageLength = l;
                }
                case 10 -> uSide = cursor.tokenEquals(V_BUY) ? Side.BUY : cursor.tokenEquals(V_SELL) ? Side.SELL : Side.NULL_VAL;
                default ->
                {
                }
            }
        }
        if (token != JsonCursor.END_OBJECT || uVenueOrderId <= 0 || uStatusOffset < 0)
        {
            malformed++;
            return false;
        }
        return true;
    }

    /** One order object (postback, ticker data or a GET /orders element). */
    private void onUpdateObject(final DirectBuffer buffer, final int offset, final int length, final long timeNs)
    {
        if (!readUpdateFields(buffer, offset, length))
        {
            return;
        }
        final long venueOrderId = uVenueOrderId;
        final int index = indexOfSymbol(buffer, uExchangeOffset, uExchangeLength, uSymbolOffset, uSymbolLength);
        int slot = orders.slotByVenueId(venueOrderId);
        if (slot < 0 && uTagOffset >= 0)
        {
            final long clOrdId = tags.parse(buffer, uTagOffset, uTagLength);
            if (clOrdId >= 0)
            {
                slot = orders.slot(clOrdId);
                if (slot >= 0 && orders.venueId(slot) == 0)
                {
                    orders.venueId(slot, venueOrderId); // the update overtook the REST answer
                }
            }
        }
        if (index < 0)
        {
            unknownUpdates++;
            return;
        }
        final Instrument instrument = instruments[index];
        final long qty = uQtyOffset < 0 ? Decimals.INVALID : Decimals.parse(buffer, uQtyOffset, uQtyLength, instrument.qtyExponent());
        final long price = uPriceOffset < 0 ? Decimals.INVALID :
            Decimals.parse(buffer, uPriceOffset, uPriceLength, instrument.priceExponent());
        final long filled = uFilledOffset < 0 ? 0 : Decimals.parse(buffer, uFilledOffset, uFilledLength, instrument.qtyExponent());
        final boolean open = isOpen(buffer);
        final boolean terminal = isTerminal(buffer);
        final boolean snapshotElement = reconciling && (open || !terminal);
        long snapshotClOrdId = FOREIGN_ORDER;
        if (snapshotElement)
        {
            // a snapshot element that is still working: reported (after its fills below), and ours we did not
            // know are tracked from now on
            final long clOrdId = slot >= 0 ? orders.clOrdId(slot) : uTagOffset >= 0 ? tags.parse(buffer, uTagOffset, uTagLength) : FOREIGN_ORDER;
            if (slot < 0 && clOrdId >= 0 && uSide != Side.NULL_VAL && qty != Decimals.INVALID && price != Decimals.INVALID)
            {
                slot = orders.add(clOrdId, instrument.id(), (byte)uSide.value(), price, qty);
                orders.venueId(slot, venueOrderId);
                orders.markLive(slot);
                orders.advanceCumQty(slot, filled);
            }
            snapshotClOrdId = clOrdId < 0 ? FOREIGN_ORDER : clOrdId;
            reconcileCount++;
        }
        if (slot < 0)
        {
            if (snapshotElement)
            {
                listener.onOrderStatus(instrument.id(), snapshotClOrdId, venueOrderId, uSide, price, qty, filled, -1,
                    open ? (filled > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW) : OrderStatus.PENDING, nowNs);
            }
            else if (!reconciling)
            {
                unknownUpdates++;
            }
            return;
        }
        final long clOrdId = orders.clOrdId(slot);
        if (equals(buffer, uStatusOffset, uStatusLength, S_REJECTED))
        {
            orders.remove(slot);
            final VenueRejectReason reason = uMessageOffset >= 0 && contains(buffer, uMessageOffset, uMessageLength, MSG_INSUFFICIENT) ?
                VenueRejectReason.INSUFFICIENT_FUNDS : VenueRejectReason.INVALID_ORDER;
            listener.onRejected(clOrdId, VenueRequest.PLACE, reason, 0, timeNs);
            rejectDeferred(clOrdId, VenueRejectReason.UNKNOWN_ORDER, 0, timeNs);
            return;
        }
        if (orders.markLive(slot))
        {
            listener.onAck(clOrdId, venueOrderId, timeNs);
        }
        if (open && qty != Decimals.INVALID && price != Decimals.INVALID && qty > 0 &&
            (qty != orders.qty(slot) || price != orders.price(slot)))
        {
            orders.amend(slot, price, qty);
            listener.onAmended(clOrdId, price, qty, orders.leavesQty(slot), timeNs);
        }
        if (filled != Decimals.INVALID && filled > orders.cumQty(slot))
        {
            reportFill(slot, instrument, buffer, uAverageOffset, uAverageLength, filled, timeNs);
        }
        if (equals(buffer, uStatusOffset, uStatusLength, S_COMPLETE))
        {
            orders.remove(slot);
            rejectDeferred(clOrdId, VenueRejectReason.UNKNOWN_ORDER, 0, timeNs); // filled: nothing to cancel
        }
        else if (equals(buffer, uStatusOffset, uStatusLength, S_CANCELLED))
        {
            final long leaves = orders.leavesQty(slot);
            orders.remove(slot);
            listener.onCanceled(clOrdId, leaves, timeNs);
            placeDeferred(clOrdId, timeNs);
        }
        if (snapshotElement)
        {
            // after its fills: the gateway has seen them with their prices, the snapshot adds nothing twice
            listener.onOrderStatus(instrument.id(), snapshotClOrdId, venueOrderId, uSide, price, qty, filled, -1,
                open ? (filled > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW) : OrderStatus.PENDING, nowNs);
        }
    }

    private boolean isOpen(final DirectBuffer buffer)
    {
        return equals(buffer, uStatusOffset, uStatusLength, S_OPEN) ||
            equals(buffer, uStatusOffset, uStatusLength, S_UPDATE) ||
            equals(buffer, uStatusOffset, uStatusLength, S_TRIGGER_PENDING);
    }

    private boolean isTerminal(final DirectBuffer buffer)
    {
        return equals(buffer, uStatusOffset, uStatusLength, S_COMPLETE) ||
            equals(buffer, uStatusOffset, uStatusLength, S_CANCELLED) ||
            equals(buffer, uStatusOffset, uStatusLength, S_REJECTED);
    }

    /**
     * The answer to {@code GET /orders/:order_id}: the order's history, oldest first; its last entry is where the
     * order is now. Reported as one cumulative status (Kite's answers carry no charges: the fee is unknown).
     */
    private void onOrderHistory(
        final DirectBuffer buffer, final int offset, final int length, final long clOrdId, final int instrumentId,
        final long timeNs)
    {
        cursor.reset(buffer, offset, length);
        if (!findKey(K_DATA) || cursor.next() != JsonCursor.BEGIN_ARRAY)
        {
            malformed++;
            listener.onRejected(clOrdId, VenueRequest.ORDER_STATUS, VenueRejectReason.VENUE_ERROR, 200, timeNs);
            return;
        }
        final int arrayDepth = cursor.depth();
        int lastOffset = -1;
        int lastLength = 0;
        int token;
        while ((token = cursor.next()) == JsonCursor.BEGIN_OBJECT)
        {
            final int start = cursor.tokenOffset();
            if (!cursor.skipToDepth(arrayDepth))
            {
                break;
            }
            lastOffset = start;
            lastLength = cursor.position() - start;
        }
        final int slot = orders.slot(clOrdId);
        if (token != JsonCursor.END_ARRAY || lastOffset < 0 || !readUpdateFields(buffer, lastOffset, lastLength))
        {
            if (token == JsonCursor.END_ARRAY && lastOffset < 0)
            {
                // no history: Kite does not know the order
                if (slot >= 0)
                {
                    orders.remove(slot);
                }
                listener.onOrderStatus(instrumentId, clOrdId, 0, Side.NULL_VAL, 0, 0, 0, 0, OrderStatus.NOT_FOUND, timeNs);
                return;
            }
            malformed++;
            listener.onRejected(clOrdId, VenueRequest.ORDER_STATUS, VenueRejectReason.VENUE_ERROR, 200, timeNs);
            return;
        }
        final Instrument instrument = instrumentById(instrumentId);
        final long qty = uQtyOffset < 0 ? 0 : Decimals.parse(buffer, uQtyOffset, uQtyLength, instrument.qtyExponent());
        final long price = uPriceOffset < 0 ? 0 : Decimals.parse(buffer, uPriceOffset, uPriceLength, instrument.priceExponent());
        final long filled = uFilledOffset < 0 ? 0 : Decimals.parse(buffer, uFilledOffset, uFilledLength, instrument.qtyExponent());
        if (qty == Decimals.INVALID || price == Decimals.INVALID || filled == Decimals.INVALID)
        {
            malformed++;
            listener.onRejected(clOrdId, VenueRequest.ORDER_STATUS, VenueRejectReason.VENUE_ERROR, 200, timeNs);
            return;
        }
        final OrderStatus status;
        if (equals(buffer, uStatusOffset, uStatusLength, S_COMPLETE))
        {
            status = OrderStatus.FILLED;
        }
        else if (equals(buffer, uStatusOffset, uStatusLength, S_CANCELLED))
        {
            status = OrderStatus.CANCELED;
        }
        else if (equals(buffer, uStatusOffset, uStatusLength, S_REJECTED))
        {
            status = OrderStatus.REJECTED;
        }
        else if (isOpen(buffer))
        {
            status = filled > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
        }
        else
        {
            status = OrderStatus.PENDING; // PUT ORDER REQ RECEIVED, VALIDATION PENDING, OPEN PENDING, ...
        }
        if (slot >= 0)
        {
            orders.advanceCumQty(slot, filled);
            if (status.isFinal())
            {
                orders.remove(slot);
            }
        }
        listener.onOrderStatus(instrumentId, clOrdId, uVenueOrderId, uSide, price, qty, filled, -1, status, timeNs);
    }

    /** Forgets the deferred place of this new order id; true if there was one. */
    private boolean dropDeferred(final long newClOrdId)
    {
        final Long2LongHashMap.KeyIterator keys = deferredPlaces.keySet().iterator();
        while (keys.hasNext())
        {
            final long oldClOrdId = keys.nextValue();
            if (deferredPlaces.get(oldClOrdId) == newClOrdId)
            {
                keys.remove();
                return true;
            }
        }
        return false;
    }

    private Instrument instrumentById(final int instrumentId)
    {
        for (final Instrument instrument : instruments)
        {
            if (instrument.id() == instrumentId)
            {
                return instrument;
            }
        }
        return instruments[0];
    }

    private void reportFill(
        final int slot, final Instrument instrument, final DirectBuffer buffer, final int averageOffset,
        final int averageLength, final long filled, final long timeNs)
    {
        final long average = averageOffset < 0 ? Decimals.INVALID :
            Decimals.parse(buffer, averageOffset, averageLength, AVERAGE_EXPONENT);
        final long lastQty = orders.advanceCumQty(slot, filled);
        long lastPrice = orders.price(slot);
        if (average != Decimals.INVALID && average > 0)
        {
            final long notional = Decimals.multiplyExact(average, filled);
            final long previous = orders.swapCumNotional(slot, notional);
            if (notional != Decimals.INVALID && previous != Decimals.INVALID)
            {
                // the last fill's price from the change in total value, rounded to the nearest tick mantissa
                final long lastNotional = notional - previous;
                final long perUnit = Math.floorDiv(lastNotional + lastQty / 2, lastQty);
                final int shift = instrument.priceExponent() - AVERAGE_EXPONENT;
                if (shift >= 0 && shift <= Decimals.MAX_SCALE)
                {
                    final long factor = Decimals.powerOfTen(shift);
                    lastPrice = Math.floorDiv(perUnit + factor / 2, factor);
                }
            }
        }
        listener.onFill(orders.clOrdId(slot), 0, lastPrice, lastQty, orders.leavesQty(slot), filled, 0, true, timeNs);
    }

    /** 1 status, 2 tradingsymbol, 3 exchange, 4 tag, 5 status_message, 6 quantity, 7 price, 8 filled, 9 average, 10 side. */
    private int fieldOf()
    {
        if (cursor.tokenEquals(K_STATUS))
        {
            return 1;
        }
        if (cursor.tokenEquals(K_TRADINGSYMBOL))
        {
            return 2;
        }
        if (cursor.tokenEquals(K_EXCHANGE))
        {
            return 3;
        }
        if (cursor.tokenEquals(K_TAG))
        {
            return 4;
        }
        if (cursor.tokenEquals(K_STATUS_MESSAGE))
        {
            return 5;
        }
        if (cursor.tokenEquals(K_QUANTITY))
        {
            return 6;
        }
        if (cursor.tokenEquals(K_PRICE))
        {
            return 7;
        }
        if (cursor.tokenEquals(K_FILLED))
        {
            return 8;
        }
        if (cursor.tokenEquals(K_AVERAGE))
        {
            return 9;
        }
        if (cursor.tokenEquals(K_TRANSACTION_TYPE))
        {
            return 10;
        }
        return 0;
    }

    private VenueRejectReason reasonOf(final int status, final DirectBuffer buffer, final int offset, final int length)
    {
        if (status == 429)
        {
            return VenueRejectReason.RATE_LIMIT;
        }
        if (status < 0 || status >= 500)
        {
            return VenueRejectReason.UNKNOWN_STATE;
        }
        cursor.reset(buffer, offset, length);
        if (findKey(K_ERROR_TYPE) && cursor.next() == JsonCursor.STRING)
        {
            if (cursor.tokenEquals(E_TOKEN))
            {
                return VenueRejectReason.AUTH_FAILED;
            }
            if (cursor.tokenEquals(E_MARGIN))
            {
                return VenueRejectReason.INSUFFICIENT_FUNDS;
            }
            if (cursor.tokenEquals(E_NETWORK))
            {
                return VenueRejectReason.UNKNOWN_STATE;
            }
            if (cursor.tokenEquals(E_INPUT) || cursor.tokenEquals(E_ORDER))
            {
                return VenueRejectReason.INVALID_ORDER;
            }
        }
        return status == 403 ? VenueRejectReason.AUTH_FAILED : VenueRejectReason.VENUE_ERROR;
    }

    private boolean findKey(final byte[] key)
    {
        int token;
        while ((token = cursor.next()) != JsonCursor.END && token != JsonCursor.ERROR)
        {
            if (token == JsonCursor.KEY && cursor.tokenEquals(key))
            {
                return true;
            }
        }
        return false;
    }

    private static long parseId(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > 18)
        {
            return 0;
        }
        long value = 0;
        for (int i = offset; i < offset + length; i++)
        {
            final int digit = buffer.getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return 0;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private int indexOf(final Instrument instrument)
    {
        if (instrument == null)
        {
            return -1;
        }
        for (int i = 0; i < instruments.length; i++)
        {
            if (instruments[i].id() == instrument.id())
            {
                return i;
            }
        }
        return -1;
    }

    private int indexOfSymbol(
        final DirectBuffer buffer, final int exchangeOffset, final int exchangeLength, final int symbolOffset,
        final int symbolLength)
    {
        for (int i = 0; i < instruments.length; i++)
        {
            if (equals(buffer, symbolOffset, symbolLength, symbolBytes[i]) &&
                (exchangeOffset < 0 || equals(buffer, exchangeOffset, exchangeLength, exchangeBytes[i])))
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
                if ((buffer.getByte(i + j) | 0x20) != (needle[j] | 0x20))
                {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String encode(final String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    public long malformed()
    {
        return malformed;
    }

    public long unknownUpdates()
    {
        return unknownUpdates;
    }

    public long unknownResponses()
    {
        return unknownResponses;
    }

    public int openOrders()
    {
        return orders.size();
    }

    @Override
    public String toString()
    {
        return "KiteOrderEntry[" + context.restUrl() + ", sessionUp=" + sessionUp + "]";
    }
}
