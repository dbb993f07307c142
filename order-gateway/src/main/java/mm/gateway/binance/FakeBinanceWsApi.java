package mm.gateway.binance;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import mm.common.json.JsonTree;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Binance's WebSocket API on 127.0.0.1, for system tests of the order adapter: it checks
 * signatures (HMAC-SHA256 on every signed request, or an Ed25519 {@code session.logon}) over the canonical
 * payload, keeps one account's orders (open and finished) and their trades, answers {@code order.place},
 * {@code order.cancel}, {@code order.cancelReplace} (STOP_ON_FAILURE), {@code order.amend.keepPriority},
 * {@code openOrders.status}, {@code order.status}, {@code myTrades}, {@code exchangeInfo} and the user-data
 * subscription with the documented shapes and {@code rateLimits}, and pushes execution reports to subscribed
 * connections. Scriptable faults: a rejected post-only order, error answers with any status (429 with
 * {@code retryAfter}, 418, 5xx), fills and partial fills, expiries, foreign orders, execution reports lost (as
 * while a connection is down), and dropping every connection.
 * <p>
 * Everything runs on one Netty event loop; the scripting methods run their work there and wait for it.
 */
public final class FakeBinanceWsApi implements AutoCloseable
{
    /** The path the API answers on. */
    public static final String PATH = "/ws-api/v3";

    private static final AttributeKey<Boolean> LOGGED_ON = AttributeKey.valueOf("mmLoggedOn");
    private static final AttributeKey<Integer> SUBSCRIPTION = AttributeKey.valueOf("mmSubscription");
    private static final int ORDER_LIMIT_10S = 50;

    /** One order of the fake account. */
    private static final class FakeOrder
    {
        String symbol;
        long orderId;
        String clientOrderId;
        String side;
        String type;
        BigDecimal price;
        BigDecimal origQty;
        BigDecimal executedQty = BigDecimal.ZERO;
        String status = "NEW";
        long createdMs;
        long updatedMs;
        final List<FakeTrade> trades = new ArrayList<>();
    }

    /** One fill of an order, as myTrades lists it. */
    private record FakeTrade(long id, BigDecimal price, BigDecimal qty, String commission, String commissionAsset,
        boolean maker, long timeMs)
    {
    }

    /** An error answer queued for the next order requests. */
    private record Fault(int status, int code, String msg, long retryAfterMs)
    {
    }

    private final String apiKey;
    private final byte[] hmacSecret;
    private final PublicKey ed25519;
    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final Map<String, FakeOrder> openOrders = new LinkedHashMap<>();
    /** Every order by client id, the latest with each id (Binance lets a finished order's id be reused). */
    private final Map<String, FakeOrder> allOrders = new LinkedHashMap<>();
    private final ArrayDeque<Fault> faults = new ArrayDeque<>();
    private final List<String> methods = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private Channel server;
    private long nextOrderId = 1000;
    private long nextTradeId = 5000;
    private long nextExecutionId = 1;
    private int nextSubscription;
    private boolean rejectPostOnly;
    private boolean dropReports;
    private int ordersInWindow;
    private long windowStartMs;
    private int requestWeight;
    private volatile long badSignatures;

    /**
     * @param apiKey the key the account answers to.
     * @param hmacSecret the HMAC secret (null: HMAC requests fail).
     * @param ed25519 the Ed25519 public key for session.logon (null: logon fails).
     */
    public FakeBinanceWsApi(final String apiKey, final String hmacSecret, final PublicKey ed25519)
    {
        this.apiKey = apiKey;
        this.hmacSecret = hmacSecret == null ? null : hmacSecret.getBytes(StandardCharsets.US_ASCII);
        this.ed25519 = ed25519;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mm-fake-binance-api", true),
            NioIoHandler.newFactory());
    }

    /** Binds 127.0.0.1:{@code port} (0: any free port). */
    public FakeBinanceWsApi start(final int port)
    {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                        new WebSocketServerProtocolHandler(PATH, null, false, 1 << 20), new RequestHandler());
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
        return this;
    }

    public int port()
    {
        return ((InetSocketAddress)server.localAddress()).getPort();
    }

    public URI uri()
    {
        return URI.create("ws://127.0.0.1:" + port() + PATH);
    }

    // ---------------------------------------------------------------------------------------------------------
    // scripting

    /** LIMIT_MAKER orders are rejected as if they would take ("Order would immediately match and take."). */
    public void rejectPostOnly(final boolean reject)
    {
        run(() -> rejectPostOnly = reject);
    }

    /** The next {@code count} order requests get this error answer (status 429/418 with retryAfter, 400, 5xx). */
    public void failNext(final int count, final int status, final int code, final String msg, final long retryAfterMs)
    {
        run(() ->
        {
            for (int i = 0; i < count; i++)
            {
                faults.add(new Fault(status, code, msg, retryAfterMs));
            }
        });
    }

    /** Fills {@code qty} of an open order at {@code price}; a commission in {@code feeAsset} (null: none). */
    public void fill(
        final String clientOrderId, final String qty, final String price, final boolean maker, final String fee,
        final String feeAsset)
    {
        run(() ->
        {
            final FakeOrder order = openOrders.get(clientOrderId);
            if (order == null)
            {
                throw new IllegalArgumentException("no open order " + clientOrderId);
            }
            final BigDecimal lastQty = new BigDecimal(qty);
            order.executedQty = order.executedQty.add(lastQty);
            final boolean filled = order.executedQty.compareTo(order.origQty) >= 0;
            order.status = filled ? "FILLED" : "PARTIALLY_FILLED";
            order.updatedMs = System.currentTimeMillis();
            if (filled)
            {
                openOrders.remove(clientOrderId);
            }
            final long tradeId = nextTradeId++;
            order.trades.add(new FakeTrade(tradeId, new BigDecimal(price), lastQty, fee == null ? "0" : fee,
                feeAsset == null ? "USDT" : feeAsset, maker, order.updatedMs));
            pushReport(order, "TRADE", order.clientOrderId, "", lastQty, new BigDecimal(price), fee, feeAsset, maker,
                tradeId);
        });
    }

    /**
     * While set, execution reports are not sent (they are lost, as when the connection was down when the venue
     * sent them); the orders and trades still change, and {@code order.status}/{@code myTrades} tell.
     */
    public void dropExecutionReports(final boolean drop)
    {
        run(() -> dropReports = drop);
    }

    /** Expires an open order (as self-trade prevention or an IOC would). */
    public void expire(final String clientOrderId)
    {
        run(() ->
        {
            final FakeOrder order = openOrders.remove(clientOrderId);
            order.status = "EXPIRED";
            pushReport(order, "EXPIRED", order.clientOrderId, "", BigDecimal.ZERO, BigDecimal.ZERO, "0", null, false, -1);
        });
    }

    /** An order someone else placed on the account (another tool, a previous run with another prefix). */
    public void addForeignOrder(
        final String symbol, final String clientOrderId, final String side, final String price, final String qty)
    {
        run(() ->
        {
            final FakeOrder order = newOrder(symbol, clientOrderId, side, "LIMIT", price, qty);
            openOrders.put(clientOrderId, order);
            allOrders.put(clientOrderId, order);
        });
    }

    /** Closes every client connection (as a venue restart would). */
    public void disconnectAll()
    {
        run(() ->
        {
            for (final Channel channel : channels)
            {
                channel.close();
            }
        });
    }

    /** Client ids of the open orders. */
    public List<String> openOrderIds()
    {
        return call(() -> new ArrayList<>(openOrders.keySet()));
    }

    /** Methods received, in order. */
    public List<String> methods()
    {
        return methods;
    }

    /** Raw request texts received, in order. */
    public List<String> requests()
    {
        return requests;
    }

    /** Requests refused for a bad signature or key. */
    public long badSignatures()
    {
        return badSignatures;
    }

    @Override
    public void close()
    {
        if (server != null)
        {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void run(final Runnable task)
    {
        call(() ->
        {
            task.run();
            return null;
        });
    }

    private <T> T call(final Callable<T> task)
    {
        try
        {
            return group.next().submit(task).get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("fake venue task failed", ex);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // requests

    private final class RequestHandler extends SimpleChannelInboundHandler<TextWebSocketFrame>
    {
        @Override
        public void channelActive(final ChannelHandlerContext ctx) throws Exception
        {
            channels.add(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            channels.remove(ctx.channel());
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final TextWebSocketFrame frame)
        {
            final String text = frame.text();
            requests.add(text);
            final Map<String, Object> request;
            try
            {
                request = JsonTree.object(JsonTree.parse(text.getBytes(StandardCharsets.UTF_8)));
            }
            catch (final RuntimeException ex)
            {
                send(ctx.channel(), "{\"id\":null,\"status\":400,\"error\":{\"code\":-1100,\"msg\":\"Malformed request.\"}}");
                return;
            }
            final Object id = request.get("id");
            final String method = String.valueOf(request.get("method"));
            final Map<String, Object> params = request.get("params") == null ? Map.of() : JsonTree.object(request.get("params"));
            methods.add(method);
            send(ctx.channel(), handle(ctx.channel(), id, method, params));
        }
    }

    private String handle(final Channel channel, final Object id, final String method, final Map<String, Object> params)
    {
        requestWeight++;
        final String idText = id instanceof String s ? '"' + s + '"' : String.valueOf(id);
        if ("exchangeInfo".equals(method))
        {
            return response(idText, 200, "{\"timezone\":\"UTC\",\"serverTime\":" + System.currentTimeMillis() +
                ",\"rateLimits\":[{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":6000}," +
                "{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":" + ORDER_LIMIT_10S + "}," +
                "{\"rateLimitType\":\"ORDERS\",\"interval\":\"DAY\",\"intervalNum\":1,\"limit\":160000}," +
                "{\"rateLimitType\":\"RAW_REQUESTS\",\"interval\":\"MINUTE\",\"intervalNum\":5,\"limit\":61000}]," +
                "\"exchangeFilters\":[],\"symbols\":[]}");
        }
        if ("session.logon".equals(method))
        {
            if (!verifyEd25519(params))
            {
                badSignatures++;
                return error(idText, 401, -1022, "Signature for this request is not valid.", 0);
            }
            channel.attr(LOGGED_ON).set(Boolean.TRUE);
            return response(idText, 200, "{\"apiKey\":\"" + apiKey + "\",\"authorizedSince\":" + System.currentTimeMillis() +
                ",\"returnRateLimits\":true,\"serverTime\":" + System.currentTimeMillis() + ",\"userDataStream\":false}");
        }
        if (!authorised(channel, method, params))
        {
            badSignatures++;
            return error(idText, 400, -1022, "Signature for this request is not valid.", 0);
        }
        if (method.startsWith("userDataStream.subscribe"))
        {
            final int subscription = nextSubscription++;
            channel.attr(SUBSCRIPTION).set(subscription);
            return response(idText, 200, "{\"subscriptionId\":" + subscription + "}");
        }
        if ((method.startsWith("order.") || "myTrades".equals(method)) && !faults.isEmpty())
        {
            final Fault fault = faults.poll();
            return error(idText, fault.status, fault.code, fault.msg, fault.retryAfterMs);
        }
        return switch (method)
        {
            case "order.place" -> place(idText, params);
            case "order.cancel" -> cancel(idText, params);
            case "order.cancelReplace" -> cancelReplace(idText, params);
            case "order.amend.keepPriority" -> amend(idText, params);
            case "openOrders.status" -> openOrdersStatus(idText, params);
            case "order.status" -> orderStatus(idText, params);
            case "myTrades" -> myTrades(idText, params);
            default -> error(idText, 400, -1100, "Unknown method " + method, 0);
        };
    }

    private String place(final String id, final Map<String, Object> params)
    {
        final String rejection = placeRejection(params);
        if (rejection != null)
        {
            return error(id, 400, -2010, rejection, 0);
        }
        final FakeOrder order = acceptOrder(params);
        return response(id, 200, ack(order));
    }

    private String placeRejection(final Map<String, Object> params)
    {
        final String clientOrderId = (String)params.get("newClientOrderId");
        if (clientOrderId != null && openOrders.containsKey(clientOrderId))
        {
            return "Duplicate order sent.";
        }
        if (rejectPostOnly && "LIMIT_MAKER".equals(params.get("type")))
        {
            return "Order would immediately match and take.";
        }
        return null;
    }

    private FakeOrder acceptOrder(final Map<String, Object> params)
    {
        final String clientOrderId = params.get("newClientOrderId") == null ?
            "auto" + nextOrderId : (String)params.get("newClientOrderId");
        final FakeOrder order = newOrder((String)params.get("symbol"), clientOrderId, (String)params.get("side"),
            (String)params.get("type"), (String)params.get("price"), (String)params.get("quantity"));
        openOrders.put(clientOrderId, order);
        allOrders.put(clientOrderId, order);
        countOrder();
        pushReport(order, "NEW", order.clientOrderId, "", BigDecimal.ZERO, BigDecimal.ZERO, "0", null, false, -1);
        return order;
    }

    private FakeOrder newOrder(
        final String symbol, final String clientOrderId, final String side, final String type, final String price,
        final String qty)
    {
        final FakeOrder order = new FakeOrder();
        order.symbol = symbol;
        order.orderId = nextOrderId++;
        order.clientOrderId = clientOrderId;
        order.side = side;
        order.type = type;
        order.price = new BigDecimal(price);
        order.origQty = new BigDecimal(qty);
        order.createdMs = System.currentTimeMillis();
        order.updatedMs = order.createdMs;
        return order;
    }

    private String cancel(final String id, final Map<String, Object> params)
    {
        final FakeOrder order = find(params, "origClientOrderId", "orderId");
        if (order == null)
        {
            return error(id, 400, -2011, "Unknown order sent.", 0);
        }
        return response(id, 200, cancelOrder(order));
    }

    private String cancelOrder(final FakeOrder order)
    {
        openOrders.remove(order.clientOrderId);
        order.status = "CANCELED";
        final String cancelId = "cxl" + nextExecutionId;
        pushReport(order, "CANCELED", cancelId, order.clientOrderId, BigDecimal.ZERO, BigDecimal.ZERO, "0", null, false, -1);
        return "{\"symbol\":\"" + order.symbol + "\",\"origClientOrderId\":\"" + order.clientOrderId + "\",\"orderId\":" +
            order.orderId + ",\"orderListId\":-1,\"clientOrderId\":\"" + cancelId + "\",\"transactTime\":" +
            System.currentTimeMillis() + ",\"price\":\"" + decimal(order.price) + "\",\"origQty\":\"" + decimal(order.origQty) +
            "\",\"executedQty\":\"" + decimal(order.executedQty) + "\",\"status\":\"CANCELED\",\"timeInForce\":\"GTC\"," +
            "\"type\":\"" + order.type + "\",\"side\":\"" + order.side + "\",\"selfTradePreventionMode\":\"NONE\"}";
    }

    private String cancelReplace(final String id, final Map<String, Object> params)
    {
        final FakeOrder old = find(params, "cancelOrigClientOrderId", "cancelOrderId");
        if (old == null)
        {
            return error(id, 400, -2022, "Order cancel-replace failed.", 0,
                ",\"data\":{\"cancelResult\":\"FAILURE\",\"newOrderResult\":\"NOT_ATTEMPTED\"," +
                "\"cancelResponse\":{\"code\":-2011,\"msg\":\"Unknown order sent.\"},\"newOrderResponse\":null}");
        }
        final String cancelResponse = cancelOrder(old);
        final String rejection = placeRejection(params);
        if (rejection != null)
        {
            return error(id, 409, -2021, "Order cancel-replace partially failed.", 0,
                ",\"data\":{\"cancelResult\":\"SUCCESS\",\"newOrderResult\":\"FAILURE\",\"cancelResponse\":" + cancelResponse +
                ",\"newOrderResponse\":{\"code\":-2010,\"msg\":\"" + rejection + "\"}}");
        }
        final FakeOrder order = acceptOrder(params);
        return response(id, 200, "{\"cancelResult\":\"SUCCESS\",\"newOrderResult\":\"SUCCESS\",\"cancelResponse\":" +
            cancelResponse + ",\"newOrderResponse\":" + ack(order) + "}");
    }

    private String amend(final String id, final Map<String, Object> params)
    {
        final FakeOrder order = find(params, "origClientOrderId", "orderId");
        if (order == null)
        {
            return error(id, 400, -2013, "Order does not exist.", 0);
        }
        final BigDecimal newQty = new BigDecimal((String)params.get("newQty"));
        if (newQty.signum() <= 0 || newQty.compareTo(order.origQty) >= 0)
        {
            return error(id, 400, -2038, "The requested quantity must be less than the current quantity.", 0);
        }
        order.origQty = newQty;
        pushReport(order, "REPLACED", order.clientOrderId, "", BigDecimal.ZERO, BigDecimal.ZERO, "0", null, false, -1);
        return response(id, 200, "{\"transactTime\":" + System.currentTimeMillis() + ",\"executionId\":" + nextExecutionId++ +
            ",\"amendedOrder\":{\"symbol\":\"" + order.symbol + "\",\"orderId\":" + order.orderId +
            ",\"orderListId\":-1,\"origClientOrderId\":\"" + order.clientOrderId + "\",\"clientOrderId\":\"" +
            order.clientOrderId + "\",\"price\":\"" + decimal(order.price) + "\",\"qty\":\"" + decimal(order.origQty) +
            "\",\"executedQty\":\"" + decimal(order.executedQty) + "\",\"status\":\"" + order.status +
            "\",\"timeInForce\":\"GTC\",\"type\":\"" + order.type + "\",\"side\":\"" + order.side + "\"}}");
    }

    private String openOrdersStatus(final String id, final Map<String, Object> params)
    {
        final String symbol = (String)params.get("symbol");
        final StringBuilder out = new StringBuilder("[");
        for (final FakeOrder order : openOrders.values())
        {
            if (symbol != null && !symbol.equals(order.symbol))
            {
                continue;
            }
            if (out.length() > 1)
            {
                out.append(',');
            }
            out.append(orderJson(order));
        }
        return response(id, 200, out.append(']').toString());
    }

    private String orderStatus(final String id, final Map<String, Object> params)
    {
        final FakeOrder order = findAny(params);
        if (order == null || !order.symbol.equals(params.get("symbol")))
        {
            return error(id, 400, -2013, "Order does not exist.", 0);
        }
        return response(id, 200, orderJson(order));
    }

    private String myTrades(final String id, final Map<String, Object> params)
    {
        final String symbol = (String)params.get("symbol");
        final Object orderId = params.get("orderId");
        final StringBuilder out = new StringBuilder("[");
        for (final FakeOrder order : allOrders.values())
        {
            if (!order.symbol.equals(symbol) || orderId != null && order.orderId != ((BigDecimal)orderId).longValueExact())
            {
                continue;
            }
            for (final FakeTrade trade : order.trades)
            {
                if (out.length() > 1)
                {
                    out.append(',');
                }
                out.append("{\"symbol\":\"").append(order.symbol).append("\",\"id\":").append(trade.id())
                    .append(",\"orderId\":").append(order.orderId).append(",\"orderListId\":-1,\"price\":\"")
                    .append(decimal(trade.price())).append("\",\"qty\":\"").append(decimal(trade.qty()))
                    .append("\",\"quoteQty\":\"").append(decimal(trade.price().multiply(trade.qty())))
                    .append("\",\"commission\":\"").append(trade.commission()).append("\",\"commissionAsset\":\"")
                    .append(trade.commissionAsset()).append("\",\"time\":").append(trade.timeMs())
                    .append(",\"isBuyer\":").append("BUY".equals(order.side)).append(",\"isMaker\":").append(trade.maker())
                    .append(",\"isBestMatch\":true}");
            }
        }
        return response(id, 200, out.append(']').toString());
    }

    /** An order as order.status and openOrders.status give it. */
    private static String orderJson(final FakeOrder order)
    {
        BigDecimal quote = BigDecimal.ZERO;
        for (final FakeTrade trade : order.trades)
        {
            quote = quote.add(trade.price().multiply(trade.qty()));
        }
        return "{\"symbol\":\"" + order.symbol + "\",\"orderId\":" + order.orderId + ",\"orderListId\":-1,\"clientOrderId\":\"" +
            order.clientOrderId + "\",\"price\":\"" + decimal(order.price) + "\",\"origQty\":\"" + decimal(order.origQty) +
            "\",\"executedQty\":\"" + decimal(order.executedQty) + "\",\"cummulativeQuoteQty\":\"" + decimal(quote) +
            "\",\"status\":\"" + order.status + "\",\"timeInForce\":\"GTC\",\"type\":\"" + order.type + "\",\"side\":\"" +
            order.side + "\",\"stopPrice\":\"0.00000000\",\"icebergQty\":\"0.00000000\",\"time\":" + order.createdMs +
            ",\"updateTime\":" + order.updatedMs + ",\"isWorking\":true,\"workingTime\":" + order.createdMs +
            ",\"origQuoteOrderQty\":\"0.00000000\",\"selfTradePreventionMode\":\"NONE\"}";
    }

    /** An order of any status by origClientOrderId or orderId. */
    private FakeOrder findAny(final Map<String, Object> params)
    {
        final Object clientId = params.get("origClientOrderId");
        if (clientId != null)
        {
            return allOrders.get((String)clientId);
        }
        final Object orderId = params.get("orderId");
        if (orderId != null)
        {
            final long wanted = ((BigDecimal)orderId).longValueExact();
            for (final FakeOrder order : allOrders.values())
            {
                if (order.orderId == wanted)
                {
                    return order;
                }
            }
        }
        return null;
    }

    private FakeOrder find(final Map<String, Object> params, final String clientIdKey, final String orderIdKey)
    {
        final Object clientId = params.get(clientIdKey);
        if (clientId != null)
        {
            return openOrders.get((String)clientId);
        }
        final Object orderId = params.get(orderIdKey);
        if (orderId != null)
        {
            final long wanted = ((BigDecimal)orderId).longValueExact();
            for (final FakeOrder order : openOrders.values())
            {
                if (order.orderId == wanted)
                {
                    return order;
                }
            }
        }
        return null;
    }

    private static String ack(final FakeOrder order)
    {
        return "{\"symbol\":\"" + order.symbol + "\",\"orderId\":" + order.orderId + ",\"orderListId\":-1,\"clientOrderId\":\"" +
            order.clientOrderId + "\",\"transactTime\":" + System.currentTimeMillis() + "}";
    }

    private void pushReport(
        final FakeOrder order, final String executionType, final String clientId, final String origClientId,
        final BigDecimal lastQty, final BigDecimal lastPrice, final String fee, final String feeAsset, final boolean maker,
        final long tradeId)
    {
        final long now = System.currentTimeMillis();
        order.updatedMs = now;
        if (dropReports)
        {
            return;
        }
        for (final Channel channel : channels)
        {
            final Integer subscription = channel.attr(SUBSCRIPTION).get();
            if (subscription == null)
            {
                continue;
            }
            send(channel, "{\"subscriptionId\":" + subscription + ",\"event\":{\"e\":\"executionReport\",\"E\":" + now +
                ",\"s\":\"" + order.symbol + "\",\"c\":\"" + clientId + "\",\"S\":\"" + order.side + "\",\"o\":\"" + order.type +
                "\",\"f\":\"GTC\",\"q\":\"" + decimal(order.origQty) + "\",\"p\":\"" + decimal(order.price) +
                "\",\"P\":\"0.00000000\",\"F\":\"0.00000000\",\"g\":-1,\"C\":\"" + origClientId + "\",\"x\":\"" + executionType +
                "\",\"X\":\"" + order.status + "\",\"r\":\"NONE\",\"i\":" + order.orderId + ",\"l\":\"" + decimal(lastQty) +
                "\",\"z\":\"" + decimal(order.executedQty) + "\",\"L\":\"" + decimal(lastPrice) + "\",\"n\":\"" + fee +
                "\",\"N\":" + (feeAsset == null ? "null" : '"' + feeAsset + '"') + ",\"T\":" + now + ",\"t\":" + tradeId +
                ",\"I\":" + nextExecutionId++ + ",\"w\":true,\"m\":" + maker + ",\"M\":false,\"O\":" + order.createdMs +
                ",\"Z\":\"0.00000000\",\"Y\":\"0.00000000\",\"Q\":\"0.00000000\",\"W\":" + order.createdMs +
                ",\"V\":\"NONE\"}}");
        }
    }

    private boolean authorised(final Channel channel, final String method, final Map<String, Object> params)
    {
        if (params.containsKey("signature"))
        {
            if (hmacSecret == null || !apiKey.equals(params.get("apiKey")))
            {
                return false;
            }
            final String expected = HmacSha256.hex(hmacSecret, canonicalPayload(params));
            return expected.equalsIgnoreCase((String)params.get("signature"));
        }
        // a logged-on session sends no signature; SIGNED methods still carry a timestamp
        return Boolean.TRUE.equals(channel.attr(LOGGED_ON).get()) &&
            ("userDataStream.subscribe".equals(method) || params.containsKey("timestamp"));
    }

    private boolean verifyEd25519(final Map<String, Object> params)
    {
        if (ed25519 == null || !apiKey.equals(params.get("apiKey")) || !(params.get("signature") instanceof String signature))
        {
            return false;
        }
        try
        {
            final Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(ed25519);
            verifier.update(canonicalPayload(params).getBytes(StandardCharsets.UTF_8));
            return verifier.verify(java.util.Base64.getDecoder().decode(signature));
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    /** Every parameter but the signature, sorted by name, {@code name=value} joined with {@code &}. */
    static String canonicalPayload(final Map<String, Object> params)
    {
        final StringBuilder out = new StringBuilder();
        for (final Map.Entry<String, Object> entry : new TreeMap<>(params).entrySet())
        {
            if ("signature".equals(entry.getKey()))
            {
                continue;
            }
            if (!out.isEmpty())
            {
                out.append('&');
            }
            final Object value = entry.getValue();
            out.append(entry.getKey()).append('=')
                .append(value instanceof BigDecimal number ? number.toPlainString() : String.valueOf(value));
        }
        return out.toString();
    }

    private void countOrder()
    {
        final long now = System.currentTimeMillis();
        if (now / 10_000 != windowStartMs / 10_000)
        {
            windowStartMs = now;
            ordersInWindow = 0;
        }
        ordersInWindow++;
    }

    private String rateLimits()
    {
        return "[{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":" + ORDER_LIMIT_10S +
            ",\"count\":" + ordersInWindow + "},{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\"," +
            "\"intervalNum\":1,\"limit\":6000,\"count\":" + requestWeight + "}]";
    }

    private String response(final String id, final int status, final String result)
    {
        return "{\"id\":" + id + ",\"status\":" + status + ",\"result\":" + result + ",\"rateLimits\":" + rateLimits() + "}";
    }

    private String error(final String id, final int status, final int code, final String msg, final long retryAfterMs)
    {
        return error(id, status, code, msg, retryAfterMs, retryAfterMs > 0 ?
            ",\"data\":{\"serverTime\":" + System.currentTimeMillis() + ",\"retryAfter\":" + retryAfterMs + "}" : "");
    }

    private String error(
        final String id, final int status, final int code, final String msg, final long retryAfterMs, final String data)
    {
        return "{\"id\":" + id + ",\"status\":" + status + ",\"error\":{\"code\":" + code + ",\"msg\":\"" + msg + "\"" + data +
            "},\"rateLimits\":" + rateLimits() + "}";
    }

    private static String decimal(final BigDecimal value)
    {
        return value.setScale(8, RoundingMode.UNNECESSARY).toPlainString();
    }

    private static void send(final Channel channel, final String text)
    {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }
}
