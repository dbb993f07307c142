package mm.feed.binance.transport;

import mm.common.net.ReconnectPolicy;
import mm.common.net.ApiKey;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
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
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import mm.feed.binance.FeedContext;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A Binance market-data WebSocket client on Netty: combined streams ({@code /stream?streams=a/b}), ws:// for
 * tests and wss:// (Netty's SslHandler) for real endpoints, the {@code X-MBX-APIKEY} upgrade header when a
 * key is configured (SBE streams), SUBSCRIBE/UNSUBSCRIBE commands and pongs under the venue's inbound limit
 * (5 messages a second), answers to the venue's pings, a liveness timeout, proactive rotation before the
 * 24 h connection lifetime, early reconnect on {@code serverShutdown}, reconnect with exponential backoff,
 * full jitter and a circuit breaker, and AUTH_FAILED (no retry loop) when the upgrade is refused with
 * HTTP 401/403.
 * <p>
 * Threading: everything here runs on one Netty event loop, which never calls the book. Each text or binary
 * frame is copied straight from Netty's (pooled, direct) buffer into the {@link FrameRing} with its receive
 * time (epoch ns, taken at arrival) and its connection generation; connection events go through the same
 * ring so the agent sees them in order. A full ring drops the frame (counted) and is reported in order as
 * {@link FrameRing#FRAMES_LOST} once there is room, so the book resyncs; the event loop never blocks.
 * Public methods may be called from any thread; state and counters are published with volatile writes.
 */
public final class BinanceWebSocketClient implements AutoCloseable
{
    private static final byte[] SERVER_SHUTDOWN = "serverShutdown".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESULT_KEY = "\"result\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CODE_KEY = "\"code\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_KEY = "\"id\"".getBytes(StandardCharsets.US_ASCII);
    /** Control messages (command replies, serverShutdown) are short; market data frames are scanned no further. */
    private static final int CONTROL_SCAN_LENGTH = 192;
    private static final long MS = 1_000_000L;
    private static final int LEDGER_CAPACITY = 64;
    private static final long MIN_PLANNED_INTERVAL_NS = 1_000_000_000L;

    private final String host;
    private final int port;
    private final String basePath;
    private final boolean tls;
    private final SslContext sslContext;
    private final FrameRing ring;
    private final ReconnectPolicy policy;
    private final OutboundRateLimiter limiter;
    private final ConnectionLedger ledger = new ConnectionLedger(LEDGER_CAPACITY);
    private final ApiKey apiKey;
    private final EpochNanoClock clock;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final long connectTimeoutNs;
    private final long livenessTimeoutNs;
    private final long lifetimeNs;
    private final long tickMs;

    // Event-loop confined.
    private final LinkedHashSet<String> streams = new LinkedHashSet<>();
    private final ArrayDeque<String> commands = new ArrayDeque<>();
    private final ArrayDeque<long[]> pendingEvents = new ArrayDeque<>();
    private final ExpandableDirectByteBuffer fragments = new ExpandableDirectByteBuffer(64 * 1024);
    private int fragmentsLength;
    private int fragmentsType;
    private boolean fragmentsOverflow;
    private Connection current;
    private int generation;
    private long nextCommandId = 1;
    private byte[] pongPayload;
    private long lastPongSentMs;
    private boolean pingProbeDue;
    private boolean pingProbeSent;
    private boolean lossPending;
    private long lostSinceReport;
    private boolean started;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> outboundTask;
    private ScheduledFuture<?> tickTask;

    private volatile ConnectionState state = ConnectionState.IDLE;
    private volatile boolean closed;
    private volatile String lastFailure = "";
    private volatile long connectAttempts;
    private volatile long connects;
    private volatile long disconnects;
    private volatile long failedAttempts;
    private volatile long authFailures;
    private volatile long livenessTimeouts;
    private volatile long serverShutdowns;
    private volatile long lifetimeRotations;
    private volatile long framesReceived;
    private volatile long bytesReceived;
    private volatile long framesLost;
    private volatile long pingsReceived;
    private volatile long pongsSent;
    private volatile long pingsSent;
    private volatile long pongsReceived;
    private volatile long commandsSent;
    private volatile long commandAcks;
    private volatile long commandErrors;
    private volatile long circuitOpens;
    private volatile long lastConnectedTimeNs;

    /**
     * @param context endpoints, streams, key, timeouts and backoff ({@code feed.*}).
     * @param ring where frames and connection events go.
     * @param random jitter source; seed it in tests.
     */
    public BinanceWebSocketClient(final FeedContext context, final FrameRing ring, final Random random)
    {
        final URI url = context.wsUrl();
        this.tls = "wss".equalsIgnoreCase(url.getScheme());
        this.host = url.getHost();
        this.port = url.getPort() > 0 ? url.getPort() : (tls ? 443 : 80);
        final String path = url.getRawPath() == null ? "" : url.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.ring = ring;
        this.apiKey = context.apiKey();
        this.clock = new OffsetEpochNanoClock();
        this.policy = new ReconnectPolicy(context.backoffInitialMs(), context.backoffMaxMs(), context.circuitFailures(),
            context.circuitCoolDownMs(), random);
        this.limiter = new OutboundRateLimiter(context.outboundPerSecond(), 1000);
        this.connectTimeoutNs = context.connectTimeoutMs() * MS;
        this.livenessTimeoutNs = context.livenessTimeoutMs() * MS;
        this.lifetimeNs = context.connectionLifetimeMs() * MS;
        this.tickMs = Math.max(5, Math.min(1000, Math.min(context.livenessTimeoutMs(), context.connectTimeoutMs()) / 8));
        this.streams.addAll(context.streams());
        try
        {
            this.sslContext = tls ? SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build() : null;
        }
        catch (final SSLException ex)
        {
            throw new IllegalStateException("cannot create the TLS context", ex);
        }
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mm-feed-ws", true), NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.min(Integer.MAX_VALUE, context.connectTimeoutMs()));
    }

    /** Starts connecting (once); later connections follow by themselves. */
    public void start()
    {
        loop.execute(() ->
        {
            if (started || closed)
            {
                return;
            }
            started = true;
            tickTask = loop.scheduleAtFixedRate(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
            connect();
        });
    }

    /**
     * Adds streams: sent as one SUBSCRIBE command when connected (paced by the inbound limit), and part of
     * the URL of every later connection.
     */
    public void subscribe(final List<String> names)
    {
        final List<String> copy = List.copyOf(names);
        loop.execute(() ->
        {
            final List<String> added = new ArrayList<>();
            for (final String name : copy)
            {
                if (streams.add(name))
                {
                    added.add(name);
                }
            }
            if (!added.isEmpty())
            {
                command("SUBSCRIBE", added);
            }
        });
    }

    /** Removes streams: one UNSUBSCRIBE command when connected; later connections leave them out. */
    public void unsubscribe(final List<String> names)
    {
        final List<String> copy = List.copyOf(names);
        loop.execute(() ->
        {
            final List<String> removed = new ArrayList<>();
            for (final String name : copy)
            {
                if (streams.remove(name))
                {
                    removed.add(name);
                }
            }
            if (!removed.isEmpty())
            {
                command("UNSUBSCRIBE", removed);
            }
        });
    }

    /** Replaces the connection now (planned: no backoff). */
    public void reconnect()
    {
        loop.execute(() ->
        {
            if (current != null && current.upgraded && !current.ended)
            {
                end(current, DisconnectReason.REQUESTED, "requested");
            }
        });
    }

    /**
     * Leaves AUTH_FAILED or an open circuit and connects again: the operator's action after fixing the key
     * or the network.
     */
    public void restart()
    {
        loop.execute(() ->
        {
            if (closed || !started)
            {
                return;
            }
            if (state == ConnectionState.AUTH_FAILED || state == ConnectionState.CIRCUIT_OPEN ||
                state == ConnectionState.BACKOFF)
            {
                policy.onSuccess();
                cancel(reconnectTask);
                connect();
            }
        });
    }

    /** Closes the connection and stops the event loop; waits up to 2 s for it. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        loop.execute(() ->
        {
            cancel(reconnectTask);
            cancel(outboundTask);
            cancel(tickTask);
            final Connection connection = current;
            if (connection != null && !connection.ended)
            {
                if (connection.upgraded && connection.channel.isActive())
                {
                    connection.channel.writeAndFlush(new CloseWebSocketFrame());
                }
                end(connection, DisconnectReason.CLOSED, "closed by owner");
            }
            state = ConnectionState.CLOSED;
        });
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2_000);
        state = ConnectionState.CLOSED;
    }

    private void connect()
    {
        if (closed || state == ConnectionState.AUTH_FAILED)
        {
            return;
        }
        final long nowMs = System.currentTimeMillis();
        if (!policy.tryAttempt(nowMs))
        {
            state = ConnectionState.CIRCUIT_OPEN;
            reconnectTask = loop.schedule(this::connect, Math.max(1, policy.remainingCoolDownMs(nowMs)), TimeUnit.MILLISECONDS);
            return;
        }
        state = ConnectionState.CONNECTING;
        connectAttempts++;
        commands.clear();
        final int gen = ++generation;
        final HttpHeaders headers = new DefaultHttpHeaders();
        if (apiKey != null)
        {
            headers.set(ApiKey.HEADER, apiKey.value());
        }
        final WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
            streamUri(), WebSocketVersion.V13, null, false, headers, ring.maxPayloadLength(), true, false, 1_000, false, false);
        final Connection connection = new Connection(gen, handshaker, System.nanoTime(), List.copyOf(streams));
        current = connection;
        final ChannelFuture future = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>()
        {
            protected void initChannel(final SocketChannel channel)
            {
                final ChannelPipeline pipeline = channel.pipeline();
                if (sslContext != null)
                {
                    pipeline.addLast(sslContext.newHandler(channel.alloc(), host, port));
                }
                pipeline.addLast(new HttpClientCodec());
                pipeline.addLast(new HttpObjectAggregator(64 * 1024));
                pipeline.addLast(connection);
            }
        }).connect(host, port);
        connection.channel = future.channel();
        future.addListener(f ->
        {
            if (!f.isSuccess())
            {
                end(connection, DisconnectReason.ERROR, "connect failed: " + describe(f.cause()));
            }
        });
    }

    /** {@code /stream?streams=a/b/c} under the configured base path. */
    URI streamUri()
    {
        final StringBuilder sb = new StringBuilder(tls ? "wss://" : "ws://").append(host).append(':').append(port)
            .append(basePath).append("/stream?streams=");
        boolean first = true;
        for (final String name : streams)
        {
            if (!first)
            {
                sb.append('/');
            }
            sb.append(name);
            first = false;
        }
        return URI.create(sb.toString());
    }

    private void command(final String method, final List<String> names)
    {
        final Connection connection = current;
        if (connection == null || !connection.upgraded || connection.ended)
        {
            return; // the next connection's URL carries the change
        }
        final StringBuilder sb = new StringBuilder(64).append("{\"method\":\"").append(method).append("\",\"params\":[");
        for (int i = 0; i < names.size(); i++)
        {
            sb.append(i == 0 ? "\"" : ",\"").append(names.get(i)).append('"');
        }
        sb.append("],\"id\":").append(nextCommandId++).append('}');
        commands.add(sb.toString());
        flushOutbound();
    }

    /**
     * Sends pongs, probes and commands under the inbound limit. A pong goes first unless one went out less than
     * a second ago (the venue allows a minute): pings cannot starve subscription commands.
     */
    private void flushOutbound()
    {
        final Connection connection = current;
        if (connection == null || !connection.upgraded || connection.ended || !connection.channel.isActive())
        {
            return;
        }
        final Channel channel = connection.channel;
        boolean wrote = false;
        while (pongPayload != null || pingProbeDue || !commands.isEmpty())
        {
            final long nowMs = System.currentTimeMillis();
            if (!limiter.tryAcquire(nowMs))
            {
                if (outboundTask == null || outboundTask.isDone())
                {
                    outboundTask = loop.schedule(this::flushOutbound, Math.max(1, limiter.delayMs(nowMs)), TimeUnit.MILLISECONDS);
                }
                break;
            }
            final boolean pongFirst = pongPayload != null && (commands.isEmpty() || nowMs - lastPongSentMs >= 1_000);
            if (pongFirst)
            {
                channel.write(new PongWebSocketFrame(Unpooled.wrappedBuffer(pongPayload)));
                pongPayload = null;
                lastPongSentMs = nowMs;
                pongsSent++;
            }
            else if (!commands.isEmpty())
            {
                channel.write(new TextWebSocketFrame(commands.poll()));
                commandsSent++;
            }
            else
            {
                channel.write(new PingWebSocketFrame());
                pingProbeDue = false;
                pingsSent++;
            }
            wrote = true;
        }
        if (wrote)
        {
            channel.flush();
        }
    }

    private void tick()
    {
        flushEvents();
        final Connection connection = current;
        if (connection == null || connection.ended)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        if (!connection.upgraded)
        {
            if (nowNs - connection.startedNs > connectTimeoutNs)
            {
                end(connection, DisconnectReason.ERROR, "connect/upgrade timed out");
            }
            return;
        }
        final long idleNs = nowNs - connection.lastFrameNs;
        if (idleNs > livenessTimeoutNs)
        {
            livenessTimeouts++;
            end(connection, DisconnectReason.LIVENESS_TIMEOUT, "no frame for " + idleNs / MS + " ms");
            return;
        }
        if (nowNs - connection.upgradedNs > lifetimeNs)
        {
            lifetimeRotations++;
            end(connection, DisconnectReason.LIFETIME_ROTATION, "connection lifetime reached");
            return;
        }
        if (idleNs > livenessTimeoutNs / 2 && !pingProbeSent)
        {
            // quiet connection: ask the venue for a pong before declaring it dead
            pingProbeSent = true;
            pingProbeDue = true;
        }
        flushOutbound();
    }

    /**
     * The connection ends (or the attempt failed): record the gap, tell the agent in order, and schedule the
     * next attempt (at once when planned, else with backoff; nothing after an auth failure or close).
     */
    private void end(final Connection connection, final DisconnectReason reason, final String detail)
    {
        if (connection.ended)
        {
            return;
        }
        connection.ended = true;
        if (connection.channel != null && connection.channel.isOpen())
        {
            connection.channel.close();
        }
        final long nowNs = clock.nanoTime();
        if (connection.upgraded)
        {
            disconnects++;
            ledger.opened(connection.generation, reason, nowNs, detail);
            queueEvent(FrameRing.DISCONNECTED, nowNs, connection.generation, reason.ordinal());
        }
        else
        {
            failedAttempts++;
        }
        lastFailure = detail;
        resetFragments();
        if (closed || reason == DisconnectReason.CLOSED)
        {
            state = ConnectionState.CLOSED;
            return;
        }
        if (connection != current || connection.authFailed)
        {
            return;
        }
        final long nowMs = System.currentTimeMillis();
        long delayMs;
        // a planned reconnect is immediate, unless the connection was young: a venue that keeps announcing
        // shutdowns (or an owner that keeps asking) must not turn into a reconnect storm
        if (reason.planned() && connection.upgraded && System.nanoTime() - connection.upgradedNs >= MIN_PLANNED_INTERVAL_NS)
        {
            delayMs = 0;
            state = ConnectionState.BACKOFF;
        }
        else
        {
            final long opensBefore = policy.circuitOpens();
            delayMs = policy.onFailure(nowMs);
            if (policy.circuitOpens() != opensBefore)
            {
                circuitOpens++;
            }
            state = policy.circuit() == ReconnectPolicy.Circuit.OPEN ? ConnectionState.CIRCUIT_OPEN : ConnectionState.BACKOFF;
        }
        delayMs = Math.max(delayMs, connection.retryAfterMs);
        cancel(reconnectTask);
        reconnectTask = loop.schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
    }

    private void onUpgradeResponse(final Connection connection, final ChannelHandlerContext ctx, final FullHttpResponse response)
    {
        final int status = response.status().code();
        if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code())
        {
            try
            {
                connection.handshaker.finishHandshake(ctx.channel(), response);
            }
            catch (final RuntimeException ex)
            {
                end(connection, DisconnectReason.ERROR, "upgrade rejected: " + describe(ex));
                return;
            }
            final long nowNs = clock.nanoTime();
            connection.upgraded = true;
            connection.upgradedNs = System.nanoTime();
            connection.lastFrameNs = connection.upgradedNs;
            pingProbeSent = false;
            pingProbeDue = false;
            pongPayload = null;
            connects++;
            lastConnectedTimeNs = nowNs;
            state = ConnectionState.CONNECTED;
            ledger.closed(nowNs);
            queueEvent(FrameRing.CONNECTED, nowNs, connection.generation, 0);
            // streams added or removed while this connection was being set up: its URL did not carry them
            final List<String> added = new ArrayList<>(streams);
            added.removeAll(connection.urlStreams);
            final List<String> removed = new ArrayList<>(connection.urlStreams);
            removed.removeAll(streams);
            if (!added.isEmpty())
            {
                command("SUBSCRIBE", added);
            }
            if (!removed.isEmpty())
            {
                command("UNSUBSCRIBE", removed);
            }
            return;
        }
        if (status == HttpResponseStatus.UNAUTHORIZED.code() || status == HttpResponseStatus.FORBIDDEN.code())
        {
            // a refused key does not get better by retrying: stop and say so
            authFailures++;
            connection.authFailed = true;
            state = ConnectionState.AUTH_FAILED;
            end(connection, DisconnectReason.ERROR, "upgrade refused: HTTP " + status + " (API key rejected)");
            state = ConnectionState.AUTH_FAILED;
            return;
        }
        if (status == 429 || status == 418)
        {
            final String retryAfter = response.headers().get(HttpHeaderNames.RETRY_AFTER);
            connection.retryAfterMs = parseRetryAfterMs(retryAfter);
        }
        end(connection, DisconnectReason.ERROR, "upgrade refused: HTTP " + status);
    }

    private static long parseRetryAfterMs(final String value)
    {
        if (value == null)
        {
            return 0;
        }
        try
        {
            return Math.min(3_600_000L, Math.max(0, Long.parseLong(value.trim()) * 1000));
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }

    private void onFrame(final Connection connection, final WebSocketFrame frame)
    {
        final long receiveTimeNs = clock.nanoTime();
        connection.lastFrameNs = System.nanoTime();
        pingProbeSent = false;
        framesReceived++;
        final ByteBuf content = frame.content();
        bytesReceived += content.readableBytes();
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
        {
            final int type = frame instanceof TextWebSocketFrame ? FrameRing.TEXT : FrameRing.BINARY;
            if (!frame.isFinalFragment())
            {
                resetFragments();
                fragmentsType = type;
                appendFragment(content);
                return;
            }
            deliver(type, content, receiveTimeNs, connection);
            if (type == FrameRing.TEXT && content.readableBytes() <= CONTROL_SCAN_LENGTH)
            {
                onShortText(connection, content);
            }
        }
        else if (frame instanceof ContinuationWebSocketFrame)
        {
            if (fragmentsType == 0)
            {
                return; // a continuation without a start: protocol noise, nothing to deliver
            }
            appendFragment(content);
            if (frame.isFinalFragment())
            {
                if (fragmentsOverflow)
                {
                    lost(receiveTimeNs, connection.generation);
                }
                else
                {
                    deliverFragments(receiveTimeNs, connection);
                }
                resetFragments();
            }
        }
        else if (frame instanceof PingWebSocketFrame)
        {
            pingsReceived++;
            // the pong must echo the latest ping's payload; an unanswered older ping needs no separate pong
            pongPayload = ByteBufUtil.getBytes(content);
            flushOutbound();
        }
        else if (frame instanceof PongWebSocketFrame)
        {
            pongsReceived++;
        }
        else if (frame instanceof CloseWebSocketFrame close)
        {
            end(connection, DisconnectReason.REMOTE_CLOSE, "close frame " + close.statusCode());
        }
    }

    private void deliver(final int type, final ByteBuf content, final long receiveTimeNs, final Connection connection)
    {
        if (!connection.dataSeen)
        {
            connection.dataSeen = true;
            policy.onSuccess(); // upgraded and data flows: the backoff starts over
        }
        if (!flushEvents() || !reportLoss(receiveTimeNs, connection.generation) ||
            !ring.offerFrame(type, content, receiveTimeNs, connection.generation))
        {
            lost(receiveTimeNs, connection.generation);
        }
    }

    private void deliverFragments(final long receiveTimeNs, final Connection connection)
    {
        if (!flushEvents() || !reportLoss(receiveTimeNs, connection.generation) ||
            !ring.offerFrame(fragmentsType, fragments, 0, fragmentsLength, receiveTimeNs, connection.generation))
        {
            lost(receiveTimeNs, connection.generation);
        }
    }

    private void appendFragment(final ByteBuf content)
    {
        final int length = content.readableBytes();
        if (fragmentsLength + length > ring.maxPayloadLength())
        {
            fragmentsOverflow = true;
            return;
        }
        fragments.checkLimit(fragmentsLength + length);
        content.getBytes(content.readerIndex(), fragments.byteBuffer().duplicate()
            .limit(fragmentsLength + length).position(fragmentsLength));
        fragmentsLength += length;
    }

    private void resetFragments()
    {
        fragmentsLength = 0;
        fragmentsType = 0;
        fragmentsOverflow = false;
    }

    private void lost(final long receiveTimeNs, final int gen)
    {
        framesLost++;
        lostSinceReport++;
        if (!lossPending)
        {
            lossPending = true;
            ledger.opened(gen, DisconnectReason.RING_FULL, receiveTimeNs, "frame ring full: frames dropped");
        }
    }

    /**
     * Tells the agent, in order, that frames were dropped; false while the ring is still more than half full:
     * the book resyncs anyway, so frames keep being dropped until the agent has caught up, rather than one loss
     * report per freed record.
     */
    private boolean reportLoss(final long receiveTimeNs, final int gen)
    {
        if (!lossPending)
        {
            return true;
        }
        if (ring.size() > ring.capacity() / 2 || !ring.offerEvent(FrameRing.FRAMES_LOST, receiveTimeNs, gen, (int)Math.min(Integer.MAX_VALUE, lostSinceReport)))
        {
            return false;
        }
        lossPending = false;
        lostSinceReport = 0;
        ledger.closed(receiveTimeNs);
        return true;
    }

    private void queueEvent(final int type, final long timeNs, final int gen, final int aux)
    {
        pendingEvents.add(new long[]{type, timeNs, gen, aux});
        flushEvents();
    }

    /** Connection events wait here while the ring is full, so they are never lost or reordered. */
    private boolean flushEvents()
    {
        while (!pendingEvents.isEmpty())
        {
            final long[] event = pendingEvents.peek();
            if (!ring.offerEvent((int)event[0], event[1], (int)event[2], (int)event[3]))
            {
                return false;
            }
            pendingEvents.poll();
        }
        return true;
    }

    /** Command replies and the serverShutdown notice are short text frames: recognise them here. */
    private void onShortText(final Connection connection, final ByteBuf content)
    {
        if (contains(content, SERVER_SHUTDOWN))
        {
            serverShutdowns++;
            end(connection, DisconnectReason.SERVER_SHUTDOWN, "venue announced shutdown");
            return;
        }
        if (contains(content, ID_KEY))
        {
            if (contains(content, ERROR_KEY) || contains(content, CODE_KEY))
            {
                commandErrors++;
            }
            else if (contains(content, RESULT_KEY))
            {
                commandAcks++;
            }
        }
    }

    private static boolean contains(final ByteBuf haystack, final byte[] needle)
    {
        final int start = haystack.readerIndex();
        final int end = haystack.writerIndex() - needle.length;
        outer:
        for (int i = start; i <= end; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack.getByte(i + j) != needle[j])
                {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String describe(final Throwable cause)
    {
        if (cause == null)
        {
            return "unknown";
        }
        // class and message only: neither carries request headers
        final String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void cancel(final ScheduledFuture<?> task)
    {
        if (task != null)
        {
            task.cancel(false);
        }
    }

    /** One connection attempt: its own handler, so events of an old connection never touch the new one. */
    private final class Connection extends SimpleChannelInboundHandler<Object>
    {
        final int generation;
        final WebSocketClientHandshaker handshaker;
        final long startedNs;
        final List<String> urlStreams;
        Channel channel;
        boolean upgraded;
        boolean dataSeen;
        boolean ended;
        boolean authFailed;
        long upgradedNs;
        long lastFrameNs;
        long retryAfterMs;

        Connection(
            final int generation, final WebSocketClientHandshaker handshaker, final long startedNs, final List<String> urlStreams)
        {
            this.generation = generation;
            this.handshaker = handshaker;
            this.startedNs = startedNs;
            this.urlStreams = urlStreams;
        }

        public void channelActive(final ChannelHandlerContext ctx)
        {
            handshaker.handshake(ctx.channel());
        }

        protected void channelRead0(final ChannelHandlerContext ctx, final Object msg)
        {
            if (ended)
            {
                return;
            }
            if (msg instanceof WebSocketFrame frame)
            {
                onFrame(this, frame);
            }
            else if (!upgraded && msg instanceof FullHttpResponse response)
            {
                onUpgradeResponse(this, ctx, response);
            }
        }

        public void channelInactive(final ChannelHandlerContext ctx)
        {
            end(this, upgraded ? DisconnectReason.REMOTE_CLOSE : DisconnectReason.ERROR,
                upgraded ? "connection closed by the venue" : "connection closed during the upgrade");
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            end(this, DisconnectReason.ERROR, describe(cause));
        }
    }

    public ConnectionState state()
    {
        return state;
    }

    public ConnectionLedger ledger()
    {
        return ledger;
    }

    /** Generation of the latest connection attempt (1 for the first). */
    public int generation()
    {
        return generation;
    }

    /** Why the last connection or attempt ended; never holds the API key. */
    public String lastFailure()
    {
        return lastFailure;
    }

    public long connectAttempts()
    {
        return connectAttempts;
    }

    /** Successful upgrades. */
    public long connects()
    {
        return connects;
    }

    /** Upgraded connections that ended. */
    public long disconnects()
    {
        return disconnects;
    }

    /** Attempts that never upgraded (refused, timed out, rejected). */
    public long failedAttempts()
    {
        return failedAttempts;
    }

    public long authFailures()
    {
        return authFailures;
    }

    public long livenessTimeouts()
    {
        return livenessTimeouts;
    }

    public long serverShutdowns()
    {
        return serverShutdowns;
    }

    public long lifetimeRotations()
    {
        return lifetimeRotations;
    }

    public long circuitOpens()
    {
        return circuitOpens;
    }

    public long framesReceived()
    {
        return framesReceived;
    }

    public long bytesReceived()
    {
        return bytesReceived;
    }

    /** Frames dropped because the ring was full (or a frame was larger than a ring record). */
    public long framesLost()
    {
        return framesLost;
    }

    public long pingsReceived()
    {
        return pingsReceived;
    }

    public long pongsSent()
    {
        return pongsSent;
    }

    public long pingsSent()
    {
        return pingsSent;
    }

    public long pongsReceived()
    {
        return pongsReceived;
    }

    public long commandsSent()
    {
        return commandsSent;
    }

    public long commandAcks()
    {
        return commandAcks;
    }

    public long commandErrors()
    {
        return commandErrors;
    }

    /** Epoch ns of the latest successful upgrade, 0 before the first. */
    public long lastConnectedTimeNs()
    {
        return lastConnectedTimeNs;
    }

    @Override
    public String toString()
    {
        return "BinanceWebSocketClient{" + (tls ? "wss://" : "ws://") + host + ':' + port + basePath +
            ", streams=" + streams.size() + ", state=" + state + ", generation=" + generation +
            ", apiKey=" + (apiKey == null ? "none" : "set (redacted)") + ", lastFailure=" + lastFailure + '}';
    }
}
