package mm.gateway.kite;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Kite Connect's order APIs on 127.0.0.1, for system tests of the Kite adapter: REST
 * {@code POST/PUT/DELETE /orders/regular[/id]}, {@code GET /orders} and {@code GET /orders/id} (the order's
 * history) with the documented headers checked
 * ({@code X-Kite-Version: 3}, {@code Authorization: token key:token}) and the documented answer shapes, order
 * updates pushed as the ticker's {@code {"type":"order","data":...}} text messages (a WebSocket endpoint at
 * {@code /}) and as postbacks with a valid checksum, and scriptable faults: error answers with any status (429
 * with Retry-After, 5xx, exceptions by type), RMS rejections after acceptance, fills and partial fills, the
 * 25-modification cap, foreign orders, order updates lost (as while the ticker is down), dropping ticker
 * connections.
 * <p>
 * State is guarded by this object's monitor (the HTTP server's threads and the test thread share it).
 */
public final class FakeKiteOrderServer implements AutoCloseable
{
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** One order. */
    private static final class FakeOrder
    {
        String orderId;
        String exchange;
        String tradingSymbol;
        String side;
        BigDecimal price;
        BigDecimal quantity;
        BigDecimal filled = BigDecimal.ZERO;
        BigDecimal filledValue = BigDecimal.ZERO;
        String status = "OPEN";
        String statusMessage;
        String tag;
        String timestamp;
        int modifications;
        /** Every state the order went through, as GET /orders/id lists them (oldest first). */
        final List<String> history = new ArrayList<>();
    }

    private record Fault(int status, String errorType, String message, int retryAfterS)
    {
    }

    private final String apiKey;
    private final String accessToken;
    private final String apiSecret;
    private final HttpServer rest;
    private final EventLoopGroup group;
    private final ChannelGroup tickers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel tickerServer;
    private final HttpClient postbackClient = HttpClient.newHttpClient();
    private final Map<String, FakeOrder> orders = new LinkedHashMap<>();
    private final ArrayDeque<Fault> faults = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile URI postbackUrl;
    private long nextOrderId = 251122000000001L;
    private boolean rmsRejectNext;
    private volatile boolean dropUpdates;

    public FakeKiteOrderServer(final String apiKey, final String accessToken, final String apiSecret) throws IOException
    {
        this.apiKey = apiKey;
        this.accessToken = accessToken;
        this.apiSecret = apiSecret;
        rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        rest.createContext("/orders", this::handle);
        rest.start();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mm-fake-kite-ticker", true), NioIoHandler.newFactory());
        tickerServer = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                        new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                            .websocketPath("/").checkStartsWith(true).build()), new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
                            {
                                if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake)
                                {
                                    final String uri = handshake.requestUri();
                                    if (uri.contains("api_key=" + apiKey) && uri.contains("access_token=" + accessToken))
                                    {
                                        tickers.add(ctx.channel());
                                    }
                                    else
                                    {
                                        ctx.close();
                                    }
                                }
                            }
                        });
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public URI restUri()
    {
        return URI.create("http://127.0.0.1:" + rest.getAddress().getPort());
    }

    public URI tickerUri()
    {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress)tickerServer.localAddress()).getPort() + "/");
    }

    /** Where postbacks are POSTed (null: none). */
    public void postbackUrl(final URI url)
    {
        this.postbackUrl = url;
    }

    /** Connected, authenticated ticker clients. */
    public int tickerClients()
    {
        return tickers.size();
    }

    /** The next {@code count} order requests get this error answer. */
    public synchronized void failNext(final int count, final int status, final String errorType, final String message, final int retryAfterS)
    {
        for (int i = 0; i < count; i++)
        {
            faults.add(new Fault(status, errorType, message, retryAfterS));
        }
    }

    /** The next placement is accepted, then rejected by the RMS (as for insufficient margin). */
    public synchronized void rmsRejectNext()
    {
        rmsRejectNext = true;
    }

    /** While set, order updates are not pushed (lost, as while the ticker is down); GET /orders still tells. */
    public void dropUpdates(final boolean drop)
    {
        dropUpdates = drop;
    }

    /** Fills {@code qty} of an open order at {@code price}. */
    public void fill(final String orderId, final String qty, final String price)
    {
        final FakeOrder order;
        synchronized (this)
        {
            order = orders.get(orderId);
            final BigDecimal lastQty = new BigDecimal(qty);
            order.filledValue = order.filledValue.add(lastQty.multiply(new BigDecimal(price)));
            order.filled = order.filled.add(lastQty);
            order.status = order.filled.compareTo(order.quantity) >= 0 ? "COMPLETE" : "UPDATE";
            order.history.add(json(order, false));
        }
        push(order);
    }

    /** An order placed elsewhere (Kite web, another app) on the same account. */
    public synchronized String addForeignOrder(final String exchange, final String symbol, final String side, final String price, final String qty)
    {
        final FakeOrder order = newOrder(exchange, symbol, side, price, qty, null);
        return order.orderId;
    }

    /** Closes every ticker connection. */
    public void disconnectTickers()
    {
        tickers.close().syncUninterruptibly();
    }

    /** Order ids of the orders still open. */
    public synchronized List<String> openOrderIds()
    {
        final List<String> ids = new ArrayList<>();
        for (final FakeOrder order : orders.values())
        {
            if (order.status.equals("OPEN") || order.status.equals("UPDATE"))
            {
                ids.add(order.orderId);
            }
        }
        return ids;
    }

    /** The order id the fake gave the order with this tag. */
    public synchronized String orderIdOfTag(final String tag)
    {
        for (final FakeOrder order : orders.values())
        {
            if (tag.equals(order.tag))
            {
                return order.orderId;
            }
        }
        return null;
    }

    /** "METHOD path body" of every request. */
    public List<String> requests()
    {
        return requests;
    }

    @Override
    public void close()
    {
        rest.stop(0);
        tickerServer.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        postbackClient.shutdownNow();
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String body;
            try (InputStream in = exchange.getRequestBody())
            {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            final String method = exchange.getRequestMethod();
            final String path = exchange.getRequestURI().getPath();
            requests.add(method + " " + path + " " + body);
            if (!"3".equals(exchange.getRequestHeaders().getFirst("X-Kite-Version")) ||
                !("token " + apiKey + ":" + accessToken).equals(exchange.getRequestHeaders().getFirst("Authorization")))
            {
                reply(exchange, 403, error("TokenException", "Incorrect `api_key` or `access_token`."));
                return;
            }
            final FakeOrder changed;
            final String answer;
            final int status;
            synchronized (this)
            {
                final Fault fault = "GET".equals(method) ? null : faults.poll();
                if (fault != null)
                {
                    if (fault.retryAfterS > 0)
                    {
                        exchange.getResponseHeaders().add("Retry-After", String.valueOf(fault.retryAfterS));
                    }
                    reply(exchange, fault.status, error(fault.errorType, fault.message));
                    return;
                }
                final String[] parts = path.split("/");
                final Map<String, String> form = form(body);
                FakeOrder order = parts.length > 3 ? orders.get(parts[3]) : null;
                if ("GET".equals(method) && parts.length == 3)
                {
                    final FakeOrder known = orders.get(parts[2]);
                    if (known == null)
                    {
                        answer = error("GeneralException", "Couldn't find that `order_id`.");
                        status = 400;
                    }
                    else
                    {
                        answer = "{\"status\":\"success\",\"data\":[" + String.join(",", known.history) + "]}";
                        status = 200;
                    }
                    changed = null;
                }
                else if ("GET".equals(method) && parts.length == 2)
                {
                    final StringBuilder data = new StringBuilder("[");
                    for (final FakeOrder o : orders.values())
                    {
                        data.append(data.length() > 1 ? "," : "").append(json(o, false));
                    }
                    answer = "{\"status\":\"success\",\"data\":" + data.append(']') + "}";
                    status = 200;
                    changed = null;
                }
                else if ("POST".equals(method) && parts.length == 3)
                {
                    order = newOrder(form.get("exchange"), form.get("tradingsymbol"), form.get("transaction_type"),
                        form.get("price"), form.get("quantity"), form.get("tag"));
                    if (rmsRejectNext)
                    {
                        rmsRejectNext = false;
                        order.status = "REJECTED";
                        order.statusMessage = "RMS:Margin Exceeds, insufficient funds";
                        order.history.add(json(order, false));
                    }
                    answer = success(order.orderId);
                    status = 200;
                    changed = order;
                }
                else if (order == null)
                {
                    answer = error("OrderException", "Order not found.");
                    status = 400;
                    changed = null;
                }
                else if (!order.status.equals("OPEN") && !order.status.equals("UPDATE"))
                {
                    answer = error("OrderException", "Order cannot be modified or cancelled: it is " + order.status + ".");
                    status = 400;
                    changed = null;
                }
                else if ("PUT".equals(method))
                {
                    if (++order.modifications > KiteLimits.MAX_MODIFICATIONS_PER_ORDER)
                    {
                        answer = error("OrderException", "Maximum allowed order modifications exceeded.");
                        status = 400;
                        changed = null;
                    }
                    else
                    {
                        order.quantity = new BigDecimal(form.get("quantity"));
                        order.price = new BigDecimal(form.get("price"));
                        order.status = "UPDATE";
                        order.history.add(json(order, false));
                        answer = success(order.orderId);
                        status = 200;
                        changed = order;
                    }
                }
                else if ("DELETE".equals(method))
                {
                    order.status = "CANCELLED";
                    order.history.add(json(order, false));
                    answer = success(order.orderId);
                    status = 200;
                    changed = order;
                }
                else
                {
                    answer = error("InputException", "Unknown route.");
                    status = 400;
                    changed = null;
                }
            }
            reply(exchange, status, answer);
            if (changed != null)
            {
                push(changed);
            }
        }
    }

    private FakeOrder newOrder(
        final String exchange, final String symbol, final String side, final String price, final String qty, final String tag)
    {
        final FakeOrder order = new FakeOrder();
        order.orderId = String.valueOf(nextOrderId++);
        order.exchange = exchange;
        order.tradingSymbol = symbol;
        order.side = side;
        order.price = new BigDecimal(price);
        order.quantity = new BigDecimal(qty);
        order.tag = tag;
        order.timestamp = LocalDateTime.now().format(TIMESTAMP);
        orders.put(order.orderId, order);
        order.history.add(json(order, false));
        return order;
    }

    /** Sends an update by ticker and by postback (the checksum made with the API secret). */
    private void push(final FakeOrder order)
    {
        if (dropUpdates)
        {
            return;
        }
        final String data;
        synchronized (this)
        {
            data = json(order, true);
        }
        tickers.writeAndFlush(new TextWebSocketFrame("{\"type\":\"order\",\"id\":\"\",\"data\":" + data + "}"));
        final URI url = postbackUrl;
        if (url != null)
        {
            postbackClient.sendAsync(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(data)).build(),
                HttpResponse.BodyHandlers.discarding());
        }
    }

    private String json(final FakeOrder order, final boolean withChecksum)
    {
        final BigDecimal average = order.filled.signum() == 0 ? BigDecimal.ZERO :
            order.filledValue.divide(order.filled, 4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        final BigDecimal pending = order.status.equals("OPEN") || order.status.equals("UPDATE") ?
            order.quantity.subtract(order.filled) : BigDecimal.ZERO;
        return "{" + (withChecksum ? "\"checksum\":\"" + KitePostbacks.checksum(order.orderId, order.timestamp, apiSecret) + "\"," : "") +
            "\"placed_by\":\"AB1234\",\"order_id\":\"" + order.orderId + "\",\"exchange_order_id\":\"1" + order.orderId +
            "\",\"parent_order_id\":null,\"status\":\"" + order.status + "\",\"status_message\":" +
            (order.statusMessage == null ? "null" : '"' + order.statusMessage + '"') +
            ",\"order_timestamp\":\"" + order.timestamp + "\",\"variety\":\"regular\",\"exchange\":\"" + order.exchange +
            "\",\"tradingsymbol\":\"" + order.tradingSymbol + "\",\"instrument_token\":779521,\"order_type\":\"LIMIT\"," +
            "\"transaction_type\":\"" + order.side + "\",\"validity\":\"DAY\",\"product\":\"MIS\",\"quantity\":" +
            order.quantity.toPlainString() + ",\"disclosed_quantity\":0,\"price\":" + order.price.toPlainString() +
            ",\"trigger_price\":0,\"average_price\":" + average.toPlainString() + ",\"filled_quantity\":" +
            order.filled.toPlainString() + ",\"pending_quantity\":" + pending.toPlainString() +
            ",\"cancelled_quantity\":" + (order.status.equals("CANCELLED") ? order.quantity.subtract(order.filled).toPlainString() : "0") +
            ",\"market_protection\":0,\"meta\":{},\"tag\":" + (order.tag == null ? "null" : '"' + order.tag + '"') +
            ",\"guid\":\"fake\"}";
    }

    private static Map<String, String> form(final String body)
    {
        final Map<String, String> form = new LinkedHashMap<>();
        for (final String pair : body.split("&"))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0)
            {
                form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String success(final String orderId)
    {
        return "{\"status\":\"success\",\"data\":{\"order_id\":\"" + orderId + "\"}}";
    }

    private static String error(final String type, final String message)
    {
        return "{\"status\":\"error\",\"message\":\"" + message + "\",\"data\":null,\"error_type\":\"" + type + "\"}";
    }

    private static void reply(final HttpExchange exchange, final int status, final String body) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
