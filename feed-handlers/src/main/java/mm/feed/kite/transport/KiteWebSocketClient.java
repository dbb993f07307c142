package mm.feed.kite.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import mm.feed.binance.transport.ConnectionLedger;
import mm.feed.binance.transport.DisconnectReason;
import mm.feed.binance.transport.FrameRing;
import mm.common.net.ReconnectPolicy;
import org.agrona.concurrent.EpochNanoClock;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Kite Connect ticker client on Netty: {@code wss://ws.kite.trade?api_key=..&access_token=..} (ws:// for
 * tests), subscribe/unsubscribe/mode commands, at most {@link #MAX_INSTRUMENTS_PER_CONNECTION} instruments,
 * every subscription and mode re-sent after a reconnect (Kite keeps none across connections), a liveness timeout
 * (Kite sends a 1-byte heartbeat every couple of seconds when idle, so silence means a dead connection),
 * reconnect with exponential backoff, full jitter and a circuit breaker ({@link ReconnectPolicy}), and
 * {@link KiteConnectionState#TOKEN_EXPIRED} without a retry loop when the upgrade is refused with HTTP 403.
 * <p>
 * Threading: the connection runs on one Netty event loop; each binary or text frame is copied into the
 * {@link FrameRing} with its receive time (epoch ns) and connection generation, and connection events go through
 * the same ring, in order. A full ring drops the frame (counted). Public methods may be called from any thread.
 */
public final class KiteWebSocketClient implements AutoCloseable
{
    /** Kite's documented limit per WebSocket connection. */
    public static final int MAX_INSTRUMENTS_PER_CONNECTION = 3000;
    private static final long CHECK_INTERVAL_MS = 200;

    private final URI baseUri;
    private final KiteCredentials credentials;
    private final FrameRing ring;
    private final ReconnectPolicy policy;
    private final long livenessTimeoutNs;
    private final EpochNanoClock clock;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final SslContext sslContext;
    private final String host;
    private final int port;
    private final ConnectionLedger ledger = new ConnectionLedger(64);
    /** token → mode ("ltp", "quote", "full"); event loop only. */
    private final Map<Integer, String> subscriptions = new LinkedHashMap<>();

    private volatile KiteConnectionState state = KiteConnectionState.IDLE;
    private volatile String lastFailure = "";
    private volatile long connects;
    private volatile long disconnects;
    private volatile long failedAttempts;
    private volatile long tokenExpiries;
    private volatile long livenessTimeouts;
    private volatile long framesReceived;
    private volatile long framesLost;
    private volatile long commandsSent;
    private volatile int subscribedCount;

    private Connection current;
    private int generation;
    private boolean closed;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> checkTask;

    /**
     * @param url               {@code wss://ws.kite.trade} or a {@code ws://} test server; credentials are added
     *                          as query parameters, never printed.
     * @param livenessTimeoutMs reconnect when nothing (data, heartbeat, ping, pong) arrives for this long.
     */
    public KiteWebSocketClient(
        final String url, final KiteCredentials credentials, final FrameRing ring, final ReconnectPolicy policy,
        final long livenessTimeoutMs, final EpochNanoClock clock)
    {
        this.baseUri = URI.create(url);
        final String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss"))
        {
            throw new IllegalArgumentException("Kite URL must be ws:// or wss://, was " + url);
        }
        if (livenessTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("liveness timeout must be positive");
        }
        this.credentials = credentials;
        this.ring = ring;
        this.policy = policy;
        this.livenessTimeoutNs = livenessTimeoutMs * 1_000_000L;
        this.clock = clock;
        final boolean tls = scheme.equals("wss");
        this.host = baseUri.getHost();
        this.port = baseUri.getPort() > 0 ? baseUri.getPort() : tls ? 443 : 80;
        try
        {
            this.sslContext = tls ? SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build() : null;
        }
        catch (final SSLException ex)
        {
            throw new IllegalStateException("cannot build TLS context", ex);
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kite-ws", true), NioIoHandler.newFactory());
        loop = group.next();
        bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
    }

    /** Opens the first connection. */
    public void start()
    {
        loop.execute(() ->
        {
            checkTask = loop.scheduleAtFixedRate(this::checkLiveness, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
            connect();
        });
    }

    /**
     * Subscribes tokens in a mode ({@code ltp}, {@code quote} or {@code full}); sent now if connected, and again
     * after every reconnect.
     *
     * @throws IllegalArgumentException if the mode is unknown or the connection would carry more than
     *                                  {@value #MAX_INSTRUMENTS_PER_CONNECTION} instruments (Kite's limit: open
     *                                  another connection, at most 3 per api_key).
     */
    public void subscribe(final int[] tokens, final String mode)
    {
        checkMode(mode);
        final java.util.Set<Integer> after = new java.util.HashSet<>(subscriptionsSnapshot().keySet());
        for (final int token : tokens)
        {
            after.add(token);
        }
        if (after.size() > MAX_INSTRUMENTS_PER_CONNECTION)
        {
            throw new IllegalArgumentException("Kite allows at most " + MAX_INSTRUMENTS_PER_CONNECTION +
                " instruments per connection; this subscription would make " + after.size() +
                " (open another connection: up to 3 per api_key)");
        }
        final int[] copy = tokens.clone();
        subscribedCount = after.size();
        loop.execute(() ->
        {
            for (final int token : copy)
            {
                subscriptions.put(token, mode);
            }
            if (isUpgraded())
            {
                send(command("subscribe", null, copy));
                send(command("mode", mode, copy));
            }
        });
    }

    /** Stops the tokens' streams. */
    public void unsubscribe(final int[] tokens)
    {
        final int[] copy = tokens.clone();
        loop.execute(() ->
        {
            for (final int token : copy)
            {
                subscriptions.remove(token);
            }
            subscribedCount = subscriptions.size();
            if (isUpgraded())
            {
                send(command("unsubscribe", null, copy));
            }
        });
    }

    /** Changes the mode of subscribed tokens. */
    public void mode(final int[] tokens, final String mode)
    {
        checkMode(mode);
        final int[] copy = tokens.clone();
        loop.execute(() ->
        {
            for (final int token : copy)
            {
                subscriptions.replace(token, mode);
            }
            if (isUpgraded())
            {
                send(command("mode", mode, copy));
            }
        });
    }

    private static void checkMode(final String mode)
    {
        if (!"ltp".equals(mode) && !"quote".equals(mode) && !"full".equals(mode))
        {
            throw new IllegalArgumentException("Kite mode must be ltp, quote or full, was " + mode);
        }
    }

    private Map<Integer, String> subscriptionsSnapshot()
    {
        if (loop.inEventLoop())
        {
            return new LinkedHashMap<>(subscriptions);
        }
        try
        {
            return loop.submit(() -> new LinkedHashMap<>(subscriptions)).get(5, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("event loop did not answer", ex);
        }
    }

    /** {@code {"a":"subscribe","v":[..]}} or {@code {"a":"mode","v":["full",[..]]}}. */
    static String command(final String action, final String mode, final int[] tokens)
    {
        final StringBuilder sb = new StringBuilder(32 + tokens.length * 8).append("{\"a\":\"").append(action).append("\",\"v\":");
        if (mode != null)
        {
            sb.append("[\"").append(mode).append("\",");
        }
        sb.append('[');
        for (int i = 0; i < tokens.length; i++)
        {
            sb.append(i == 0 ? "" : ",").append(tokens[i]);
        }
        sb.append(']');
        if (mode != null)
        {
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    /** A new access token after {@link KiteConnectionState#TOKEN_EXPIRED} (or any state): reconnects now. */
    public void restart()
    {
        loop.execute(() ->
        {
            if (closed)
            {
                return;
            }
            if (current != null && !current.ended)
            {
                end(current, DisconnectReason.REQUESTED, "restart requested");
            }
            cancel(reconnectTask);
            state = KiteConnectionState.CONNECTING;
            connect();
        });
    }

    /** Drops the current connection and reconnects at once (operations, tests). */
    public void reconnect()
    {
        loop.execute(() ->
        {
            if (current != null && !current.ended)
            {
                current.channel.close();
                end(current, DisconnectReason.REQUESTED, "reconnect requested");
            }
        });
    }

    @Override
    public void close()
    {
        loop.execute(() ->
        {
            closed = true;
            cancel(reconnectTask);
            cancel(checkTask);
            if (current != null && !current.ended)
            {
                if (current.upgraded && current.channel.isActive())
                {
                    current.channel.writeAndFlush(new CloseWebSocketFrame());
                }
                end(current, DisconnectReason.CLOSED, "closed by owner");
            }
        });
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2_000);
        state = KiteConnectionState.CLOSED;
    }

    private boolean isUpgraded()
    {
        return current != null && current.upgraded && !current.ended;
    }

    private void send(final String text)
    {
        commandsSent++;
        current.channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    private URI connectUri()
    {
        final String path = baseUri.getRawPath() == null || baseUri.getRawPath().isEmpty() ? "/" : baseUri.getRawPath();
        return URI.create(baseUri.getScheme() + "://" + host + ":" + port + path +
            "?api_key=" + URLEncoder.encode(credentials.apiKey(), StandardCharsets.UTF_8) +
            "&access_token=" + URLEncoder.encode(credentials.accessToken(), StandardCharsets.UTF_8));
    }

    private void connect()
    {
        if (closed || state == KiteConnectionState.TOKEN_EXPIRED)
        {
            return;
        }
        final long nowMs = System.currentTimeMillis();
        if (!policy.tryAttempt(nowMs))
        {
            state = KiteConnectionState.CIRCUIT_OPEN;
            reconnectTask = loop.schedule(this::connect, Math.max(1, policy.remainingCoolDownMs(nowMs)), TimeUnit.MILLISECONDS);
            return;
        }
        state = KiteConnectionState.CONNECTING;
        final DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("X-Kite-Version", "3");
        final WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
            connectUri(), WebSocketVersion.V13, null, false, headers, ring.maxPayloadLength(), true, false, 1_000, false, false);
        final Connection connection = new Connection(++generation, handshaker);
        current = connection;
        final ChannelFuture future = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>()
        {
            @Override
            protected void initChannel(final SocketChannel channel)
            {
                if (sslContext != null)
                {
                    channel.pipeline().addLast(sslContext.newHandler(channel.alloc(), host, port));
                }
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), connection);
            }
        }).connect(host, port);
        connection.channel = future.channel();
        future.addListener(f ->
        {
            if (!f.isSuccess())
            {
                end(connection, DisconnectReason.ERROR, "connect failed: " + f.cause().getClass().getSimpleName());
            }
        });
    }

    private void checkLiveness()
    {
        final Connection connection = current;
        if (connection != null && connection.upgraded && !connection.ended &&
            System.nanoTime() - connection.lastReadNs > livenessTimeoutNs)
        {
            livenessTimeouts++;
            connection.channel.close();
            end(connection, DisconnectReason.LIVENESS_TIMEOUT, "nothing received for " + livenessTimeoutNs / 1_000_000 + " ms");
        }
    }

    /** Ends a connection once, records why, and schedules the next attempt unless closed or the token expired. */
    private void end(final Connection connection, final DisconnectReason reason, final String detail)
    {
        if (connection.ended)
        {
            return;
        }
        connection.ended = true;
        lastFailure = detail;
        final long nowNs = clock.nanoTime();
        if (connection.upgraded)
        {
            disconnects++;
            ledger.opened(connection.generation, reason, nowNs, detail);
            offerEvent(FrameRing.DISCONNECTED, nowNs, connection.generation, reason.ordinal());
        }
        else
        {
            failedAttempts++;
        }
        if (connection.channel != null)
        {
            connection.channel.close();
        }
        if (closed || reason == DisconnectReason.CLOSED)
        {
            state = KiteConnectionState.CLOSED;
            return;
        }
        if (connection.tokenExpired)
        {
            state = KiteConnectionState.TOKEN_EXPIRED;
            offerEvent(FrameRing.DISCONNECTED, nowNs, connection.generation, -1);
            return;
        }
        final long delayMs;
        if (reason.planned() && connection.upgraded)
        {
            delayMs = 0;
            state = KiteConnectionState.BACKOFF;
        }
        else
        {
            delayMs = policy.onFailure(System.currentTimeMillis());
            state = policy.circuit() == ReconnectPolicy.Circuit.OPEN ? KiteConnectionState.CIRCUIT_OPEN : KiteConnectionState.BACKOFF;
        }
        cancel(reconnectTask);
        reconnectTask = loop.schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
    }

    private void offerEvent(final int type, final long nowNs, final int gen, final int aux)
    {
        if (!ring.offerEvent(type, nowNs, gen, aux))
        {
            framesLost++;
        }
    }

    private static void cancel(final ScheduledFuture<?> task)
    {
        if (task != null)
        {
            task.cancel(false);
        }
    }

    /** One connection attempt and, once upgraded, its frames; event loop only. */
    private final class Connection extends SimpleChannelInboundHandler<Object>
    {
        private final int generation;
        private final WebSocketClientHandshaker handshaker;
        private Channel channel;
        private boolean upgraded;
        private boolean ended;
        private boolean tokenExpired;
        private long lastReadNs = System.nanoTime();

        Connection(final int generation, final WebSocketClientHandshaker handshaker)
        {
            this.generation = generation;
            this.handshaker = handshaker;
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            handshaker.handshake(ctx.channel());
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            end(this, DisconnectReason.REMOTE_CLOSE, "connection closed by the server");
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            end(this, DisconnectReason.ERROR, "error: " + cause.getClass().getSimpleName());
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final Object msg)
        {
            if (ended)
            {
                return;
            }
            lastReadNs = System.nanoTime();
            if (!upgraded)
            {
                if (msg instanceof FullHttpResponse response)
                {
                    onUpgradeResponse(ctx, response);
                }
                return;
            }
            if (msg instanceof BinaryWebSocketFrame binary)
            {
                offerFrame(FrameRing.BINARY, binary);
            }
            else if (msg instanceof TextWebSocketFrame text)
            {
                offerFrame(FrameRing.TEXT, text);
            }
            else if (msg instanceof PingWebSocketFrame ping)
            {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
            else if (msg instanceof CloseWebSocketFrame)
            {
                end(this, DisconnectReason.REMOTE_CLOSE, "close frame from the server");
            }
        }

        private void offerFrame(final int type, final io.netty.handler.codec.http.websocketx.WebSocketFrame frame)
        {
            framesReceived++;
            if (!ring.offerFrame(type, frame.content(), clock.nanoTime(), generation))
            {
                framesLost++;
            }
        }

        private void onUpgradeResponse(final ChannelHandlerContext ctx, final FullHttpResponse response)
        {
            final int status = response.status().code();
            if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code())
            {
                try
                {
                    handshaker.finishHandshake(ctx.channel(), response);
                }
                catch (final RuntimeException ex)
                {
                    end(this, DisconnectReason.ERROR, "upgrade rejected: " + ex.getClass().getSimpleName());
                    return;
                }
                upgraded = true;
                connects++;
                policy.onSuccess();
                state = KiteConnectionState.CONNECTED;
                final long nowNs = clock.nanoTime();
                ledger.closed(nowNs);
                offerEvent(FrameRing.CONNECTED, nowNs, generation, 0);
                resubscribe();
                return;
            }
            if (status == HttpResponseStatus.FORBIDDEN.code() || status == HttpResponseStatus.UNAUTHORIZED.code())
            {
                // Kite's access token lives one trading day: retrying with the same one cannot succeed.
                tokenExpiries++;
                tokenExpired = true;
                end(this, DisconnectReason.ERROR, "upgrade refused: HTTP " + status + " (access token expired or invalid)");
                return;
            }
            end(this, DisconnectReason.ERROR, "upgrade refused: HTTP " + status);
        }

        /** Subscriptions do not survive a connection: send them all, grouped by mode. */
        private void resubscribe()
        {
            if (subscriptions.isEmpty())
            {
                return;
            }
            final int[] all = subscriptions.keySet().stream().mapToInt(Integer::intValue).toArray();
            send(command("subscribe", null, all));
            for (final String mode : new String[]{"ltp", "quote", "full"})
            {
                final List<Integer> tokens = new ArrayList<>();
                subscriptions.forEach((token, m) ->
                {
                    if (m.equals(mode))
                    {
                        tokens.add(token);
                    }
                });
                if (!tokens.isEmpty())
                {
                    send(command("mode", mode, tokens.stream().mapToInt(Integer::intValue).toArray()));
                }
            }
        }
    }

    public KiteConnectionState state()
    {
        return state;
    }

    public ConnectionLedger ledger()
    {
        return ledger;
    }

    /** Why the last connection ended or attempt failed; never contains credentials. */
    public String lastFailure()
    {
        return lastFailure;
    }

    public long connects()
    {
        return connects;
    }

    public long disconnects()
    {
        return disconnects;
    }

    public long failedAttempts()
    {
        return failedAttempts;
    }

    public long tokenExpiries()
    {
        return tokenExpiries;
    }

    public long livenessTimeouts()
    {
        return livenessTimeouts;
    }

    public long framesReceived()
    {
        return framesReceived;
    }

    public long framesLost()
    {
        return framesLost;
    }

    public long commandsSent()
    {
        return commandsSent;
    }

    public int subscribedCount()
    {
        return subscribedCount;
    }

    @Override
    public String toString()
    {
        return "KiteWebSocketClient[" + baseUri + ", " + credentials + ", state=" + state + "]";
    }
}
