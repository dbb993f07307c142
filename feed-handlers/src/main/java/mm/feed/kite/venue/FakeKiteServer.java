package mm.feed.kite.venue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake Kite Connect ticker on 127.0.0.1 for tests and demos: a WebSocket server at
 * {@code /?api_key=..&access_token=..} that refuses a wrong key or token with HTTP 403 (what Kite answers for an
 * expired session), takes {@code subscribe}/{@code unsubscribe}/{@code mode} commands and streams framed binary
 * messages for the subscribed tokens in each token's mode (LTP, quote, full with 5-level depth), from a
 * deterministic generator (seeded random walk per token); 1-byte heartbeats when nothing is subscribed; an order
 * postback text message now and then. Faults ({@link Fault}) are injected in turn every {@code faultEveryMessages}
 * data messages. Counters are thread-safe.
 */
public final class FakeKiteServer implements AutoCloseable
{
    /** Injectable faults. */
    public enum Fault
    {
        /** A message cut short in the middle of a packet. */
        TRUNCATED,
        /** A packet whose length field claims more bytes than the message holds. */
        BAD_LENGTH,
        /** A packet of a length that is no mode (20 bytes). */
        UNKNOWN_MODE,
        /** 50 heartbeats in a row. */
        HEARTBEAT_FLOOD,
        /** The server closes the TCP connection. */
        DISCONNECT
    }

    /** Subscribed tokens start in quote mode, as on Kite. */
    private static final String DEFAULT_MODE = "quote";
    private static final int TICK_SIZE = 5;
    private static final java.util.regex.Pattern COMMAND = java.util.regex.Pattern.compile(
        "\\s*\\{\\s*\"a\"\\s*:\\s*\"(\\w+)\"\\s*,\\s*\"v\"\\s*:\\s*\\[\\s*(?:\"(\\w+)\"\\s*,\\s*\\[)?([-\\d,\\s]*)\\]\\s*\\]?\\s*}\\s*");

    private final String apiKey;
    private final String accessToken;
    private final long seed;
    private final long tickIntervalMs;
    private final List<Fault> faults;
    private final int faultEveryMessages;
    private final int postbackEveryMessages;
    private final String postback;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final List<Channel> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong rejectedUpgrades = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong dataMessages = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong textMessages = new AtomicLong();
    private final Map<Fault, AtomicLong> faultsInjected = new EnumMap<>(Fault.class);
    private volatile boolean paused;
    /** Tokens this server streams; empty = any token subscribed. */
    private volatile java.util.Set<Integer> knownTokens = java.util.Set.of();

    /**
     * @param port               0 for an ephemeral port.
     * @param faultEveryMessages inject the next fault after this many data messages (ignored without faults).
     */
    public FakeKiteServer(
        final int port, final String apiKey, final String accessToken, final long seed, final long tickIntervalMs,
        final List<Fault> faults, final int faultEveryMessages, final int postbackEveryMessages)
    {
        this.apiKey = apiKey;
        this.accessToken = accessToken;
        this.seed = seed;
        this.tickIntervalMs = tickIntervalMs;
        this.faults = List.copyOf(faults);
        this.faultEveryMessages = Math.max(1, faultEveryMessages);
        this.postbackEveryMessages = postbackEveryMessages;
        this.postback = "{\"type\":\"order\",\"data\":" + loadPostback() + "}";
        for (final Fault fault : Fault.values())
        {
            faultsInjected.put(fault, new AtomicLong());
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fake-kite", true), NioIoHandler.newFactory());
        try
        {
            serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new UpgradeHandler());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        }
        catch (final InterruptedException ex)
        {
            group.shutdownGracefully();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", ex);
        }
    }

    private static String loadPostback()
    {
        // The shared mock when present (the order shape Kite sends), else a minimal order of the same shape.
        final java.nio.file.Path shared = java.nio.file.Path.of(
            System.getProperty("mm.kite.samples", "/work/shared/reference/kite/samples"), "mocks", "postback.json");
        try
        {
            if (java.nio.file.Files.isRegularFile(shared))
            {
                return java.nio.file.Files.readString(shared).trim();
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // fall through to the built-in order
        }
        try (InputStream in = FakeKiteServer.class.getResourceAsStream("/kite/postback.json"))
        {
            if (in != null)
            {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
        catch (final IOException ignored)
        {
            // fall through
        }
        return "{\"order_id\":\"1\",\"status\":\"COMPLETE\",\"instrument_token\":408065,\"tradingsymbol\":\"INFY\"}";
    }

    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /** The URL a client connects to, without credentials. */
    public String url()
    {
        return "ws://127.0.0.1:" + port() + "/";
    }

    /** Restricts streaming to these tokens (subscriptions of others are ignored, as Kite ignores unknown tokens). */
    public FakeKiteServer knownTokens(final java.util.Set<Integer> tokens)
    {
        this.knownTokens = java.util.Set.copyOf(tokens);
        return this;
    }

    /** Stops all streaming (no data, no heartbeats): the client's liveness timeout must fire. */
    public void pause(final boolean paused)
    {
        this.paused = paused;
    }

    /** Closes every open session (the client sees a remote close). */
    public void disconnectAll()
    {
        for (final Channel session : sessions)
        {
            session.close();
        }
    }

    public long connections()
    {
        return connections.get();
    }

    public long rejectedUpgrades()
    {
        return rejectedUpgrades.get();
    }

    public long commands()
    {
        return commands.get();
    }

    public long dataMessages()
    {
        return dataMessages.get();
    }

    public long heartbeats()
    {
        return heartbeats.get();
    }

    public long textMessages()
    {
        return textMessages.get();
    }

    public long faultsInjected(final Fault fault)
    {
        return faultsInjected.get(fault).get();
    }

    public int openSessions()
    {
        return sessions.size();
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class UpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final QueryStringDecoder query = new QueryStringDecoder(request.uri());
            final String key = first(query, "api_key");
            final String token = first(query, "access_token");
            if (!"/".equals(query.path()) || !apiKey.equals(key) || !accessToken.equals(token))
            {
                rejectedUpgrades.incrementAndGet();
                final FullHttpResponse response = new DefaultFullHttpResponse(
                    request.protocolVersion(), HttpResponseStatus.FORBIDDEN,
                    Unpooled.copiedBuffer("{\"status\":\"error\",\"error_type\":\"TokenException\"}", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            final WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://127.0.0.1/", null, false, 1 << 16).newHandshaker(request);
            if (handshaker == null)
            {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            final Session session = new Session(handshaker, connections.incrementAndGet());
            ctx.pipeline().replace(this, "session", session);
            handshaker.handshake(ctx.channel(), request).addListener(f ->
            {
                if (f.isSuccess())
                {
                    session.start(ctx);
                }
            });
        }

        private static String first(final QueryStringDecoder query, final String name)
        {
            final List<String> values = query.parameters().get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** One connection: its subscriptions, generator state and streaming task; runs on the event loop. */
    private final class Session extends SimpleChannelInboundHandler<WebSocketFrame>
    {
        private final WebSocketServerHandshaker handshaker;
        private final Map<Integer, String> modeByToken = new LinkedHashMap<>();
        private final Map<Integer, long[]> walkByToken = new LinkedHashMap<>();
        private final Random random;
        private final KitePacketWriter writer = new KitePacketWriter();
        private final UnsafeBuffer out = new UnsafeBuffer(new byte[64 * 1024]);
        private ScheduledFuture<?> task;
        private long sessionMessages;
        private int nextFault;
        private long idleSinceMs;

        Session(final WebSocketServerHandshaker handshaker, final long connection)
        {
            this.handshaker = handshaker;
            this.random = new Random(seed * 31 + connection);
        }

        void start(final ChannelHandlerContext ctx)
        {
            sessions.add(ctx.channel());
            ctx.channel().closeFuture().addListener(f -> sessions.remove(ctx.channel()));
            task = ctx.channel().eventLoop().scheduleAtFixedRate(() -> tick(ctx), tickIntervalMs, tickIntervalMs,
                TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (task != null)
            {
                task.cancel(false);
            }
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
        {
            if (frame instanceof TextWebSocketFrame text)
            {
                onCommand(ctx, text.text());
            }
            else if (frame instanceof PingWebSocketFrame ping)
            {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
            else if (frame instanceof CloseWebSocketFrame close)
            {
                handshaker.close(ctx.channel(), close.retain());
            }
        }

        private void onCommand(final ChannelHandlerContext ctx, final String text)
        {
            commands.incrementAndGet();
            // Commands are tiny and fixed in shape: {"a":"<action>","v":[tokens]} or {"a":"mode","v":["<mode>",[tokens]]}.
            final java.util.regex.Matcher m = COMMAND.matcher(text);
            if (!m.matches())
            {
                error(ctx, "Invalid message");
                return;
            }
            final String action = m.group(1);
            final String mode = m.group(2);
            final int[] tokens;
            try
            {
                tokens = m.group(3).isBlank() ? new int[0] : java.util.Arrays.stream(m.group(3).split(","))
                    .mapToInt(t -> Integer.parseInt(t.trim())).toArray();
            }
            catch (final NumberFormatException ex)
            {
                error(ctx, "Invalid message");
                return;
            }
            switch (action)
            {
                case "subscribe" ->
                {
                    if (mode != null)
                    {
                        error(ctx, "Invalid message");
                        return;
                    }
                    for (final int token : tokens)
                    {
                        if (knownTokens.isEmpty() || knownTokens.contains(token))
                        {
                            modeByToken.putIfAbsent(token, DEFAULT_MODE);
                        }
                    }
                }
                case "unsubscribe" ->
                {
                    for (final int token : tokens)
                    {
                        modeByToken.remove(token);
                    }
                }
                case "mode" ->
                {
                    if (!"ltp".equals(mode) && !"quote".equals(mode) && !"full".equals(mode))
                    {
                        error(ctx, "Invalid mode " + mode);
                        return;
                    }
                    for (final int token : tokens)
                    {
                        modeByToken.replace(token, mode);
                    }
                }
                default -> error(ctx, "Invalid action " + action);
            }
        }

        private void error(final ChannelHandlerContext ctx, final String message)
        {
            textMessages.incrementAndGet();
            ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"error\",\"data\":\"" + message.replace("\"", "'") + "\"}"));
        }

        private void tick(final ChannelHandlerContext ctx)
        {
            if (paused || !ctx.channel().isActive())
            {
                return;
            }
            final long nowMs = System.currentTimeMillis();
            if (modeByToken.isEmpty())
            {
                // Idle: a 1-byte heartbeat every second, as Kite does every couple of seconds.
                if (nowMs - idleSinceMs >= 1000)
                {
                    idleSinceMs = nowMs;
                    heartbeat(ctx);
                }
                return;
            }
            sessionMessages++;
            if (!faults.isEmpty() && sessionMessages % faultEveryMessages == 0)
            {
                final Fault fault = faults.get(nextFault++ % faults.size());
                faultsInjected.get(fault).incrementAndGet();
                if (inject(ctx, fault))
                {
                    return;
                }
            }
            final int length = buildMessage((int)(nowMs / 1000));
            send(ctx, length);
            dataMessages.incrementAndGet();
            if (postbackEveryMessages > 0 && sessionMessages % postbackEveryMessages == 0)
            {
                textMessages.incrementAndGet();
                ctx.writeAndFlush(new TextWebSocketFrame(postback));
            }
        }

        /** @return true when the fault replaces the message. */
        private boolean inject(final ChannelHandlerContext ctx, final Fault fault)
        {
            switch (fault)
            {
                case TRUNCATED ->
                {
                    final int length = buildMessage((int)(System.currentTimeMillis() / 1000));
                    send(ctx, Math.max(3, length - 17));
                    return true;
                }
                case BAD_LENGTH ->
                {
                    writer.begin(out, 0).raw(4000, new byte[8]);
                    send(ctx, writer.end());
                    return true;
                }
                case UNKNOWN_MODE ->
                {
                    final byte[] junk = new byte[20];
                    random.nextBytes(junk);
                    final int tokenCount = writer.begin(out, 0).raw(20, junk).end();
                    send(ctx, tokenCount);
                    return true;
                }
                case HEARTBEAT_FLOOD ->
                {
                    for (int i = 0; i < 50; i++)
                    {
                        heartbeat(ctx);
                    }
                    return false;
                }
                case DISCONNECT ->
                {
                    ctx.channel().close();
                    return true;
                }
                default -> throw new IllegalStateException(fault.name());
            }
        }

        private void heartbeat(final ChannelHandlerContext ctx)
        {
            heartbeats.incrementAndGet();
            ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{0})));
        }

        private void send(final ChannelHandlerContext ctx, final int length)
        {
            final ByteBuf buf = ctx.alloc().buffer(length);
            buf.writeBytes(out.byteArray(), 0, length);
            ctx.writeAndFlush(new BinaryWebSocketFrame(buf));
        }

        private int buildMessage(final int nowS)
        {
            writer.begin(out, 0);
            for (final Map.Entry<Integer, String> entry : modeByToken.entrySet())
            {
                final int token = entry.getKey();
                final long[] walk = walkByToken.computeIfAbsent(token, t -> new long[]{
                    100_000 + (Math.floorMod(t, 1000)) * 100L, 0, 100_000 + (Math.floorMod(t, 1000)) * 100L});
                // walk = {last price mantissa, volume, previous close}
                walk[0] = Math.max(TICK_SIZE * 10, walk[0] + (random.nextInt(5) - 2) * TICK_SIZE);
                final int lastQty = 1 + random.nextInt(50);
                walk[1] += random.nextInt(3) == 0 ? 0 : lastQty;
                final int ltp = (int)walk[0];
                switch (entry.getValue())
                {
                    case "ltp" -> writer.ltp(token, ltp);
                    case "quote" -> writer.quote(token, ltp, lastQty, ltp, (int)walk[1], 1000, 1000,
                        (int)walk[2], ltp, ltp, (int)walk[2]);
                    default ->
                    {
                        final int[] bidPrices = new int[5];
                        final int[] bidQtys = new int[5];
                        final int[] askPrices = new int[5];
                        final int[] askQtys = new int[5];
                        for (int i = 0; i < 5; i++)
                        {
                            bidPrices[i] = ltp - TICK_SIZE * (i + 1);
                            askPrices[i] = ltp + TICK_SIZE * (i + 1);
                            bidQtys[i] = 1 + random.nextInt(500);
                            askQtys[i] = 1 + random.nextInt(500);
                        }
                        writer.full(token, ltp, lastQty, (int)walk[1], (int)walk[2], nowS, nowS,
                            bidPrices, bidQtys, askPrices, askQtys);
                    }
                }
            }
            return writer.end();
        }
    }

    /**
     * {@code fake-venue kite [--port N] [--tokens T,..] (only these are streamed; default any) [--api-key K] [--access-token T] [--seed S]
     * [--tick-ms MS] [--faults truncated,bad_length,unknown_mode,heartbeat_flood,disconnect] [--fault-every N]}:
     * runs until killed. Prints the URL (credentials are the caller's; the token is never printed).
     *
     * @return 2 on bad arguments; otherwise blocks.
     */
    public static int run(final List<String> args, final PrintStream out)
    {
        int port = 0;
        String key = "test-key";
        String token = "test-token";
        long seed = 42;
        long tickMs = 100;
        int faultEvery = 50;
        final List<Fault> faults = new ArrayList<>();
        final java.util.Set<Integer> tokens = new java.util.HashSet<>();
        try
        {
            for (int i = 0; i < args.size(); i++)
            {
                final String arg = args.get(i);
                switch (arg)
                {
                    case "--port" -> port = Integer.parseInt(args.get(++i));
                    case "--api-key" -> key = args.get(++i);
                    case "--access-token" -> token = args.get(++i);
                    case "--seed" -> seed = Long.parseLong(args.get(++i));
                    case "--tick-ms" -> tickMs = Long.parseLong(args.get(++i));
                    case "--fault-every" -> faultEvery = Integer.parseInt(args.get(++i));
                    case "--tokens" ->
                    {
                        for (final String t : args.get(++i).split(","))
                        {
                            if (!t.isBlank())
                            {
                                tokens.add(Integer.parseInt(t.trim()));
                            }
                        }
                    }
                    case "--faults" ->
                    {
                        for (final String name : args.get(++i).split(","))
                        {
                            if (!name.isBlank())
                            {
                                faults.add(Fault.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
                            }
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            out.println("usage: fake-venue kite [--port N] [--tokens T,..] [--api-key K] [--access-token T] [--seed S] [--tick-ms MS]" +
                " [--faults truncated,bad_length,unknown_mode,heartbeat_flood,disconnect] [--fault-every N]: " +
                ex.getMessage());
            return 2;
        }
        try (FakeKiteServer server = new FakeKiteServer(port, key, token, seed, tickMs, faults, faultEvery, 100))
        {
            server.knownTokens(tokens);
            out.println("fake Kite ticker listening on " + server.url() + "?api_key=" + key + "&access_token=<redacted>");
            out.flush();
            new CountDownLatch(1).await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
