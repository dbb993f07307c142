package mm.feed.binance.venue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
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
import mm.common.Decimals;
import mm.feed.binance.BookSync;
import mm.feed.binance.BookSyncListener;
import mm.feed.binance.OrderBook;
import mm.feed.binance.transport.RestWeightBudget;
import mm.sbe.FeedState;
import org.agrona.DirectBuffer;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Binance stand-in on 127.0.0.1 for system tests and demos: a Netty HTTP server that answers REST depth
 * snapshots ({@code GET /api/v3/depth?symbol=X&limit=N}, also {@code /fapi/v1/depth} and {@code /dapi/v1/depth})
 * and upgrades {@code /stream?streams=a/b} (combined) and {@code /ws/<stream>} (raw) to real WebSockets that
 * stream a recording's frames, paced by recorded time divided by a speed, or as fast as the clients read.
 * <p>
 * Like the venue, it keeps one market: a book built from the recording's snapshot and every diff it streams,
 * so a snapshot asked for at any moment is the book at the last diff streamed (and bridges the stream that
 * follows). Connections get pings (and are closed without pongs), obey the 5 messages a second inbound limit
 * (closed when exceeded), answer SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS, and can be required to send an
 * API key ({@code X-MBX-APIKEY}, HTTP 401 otherwise). Faults are injected through {@link #faults()}.
 * <p>
 * Everything runs on one Netty event loop; as fast as possible means: while every connection is writable, and
 * the market pauses while nobody is connected. Not a performance tool: it allocates per frame.
 */
public final class FakeBinanceVenue implements AutoCloseable
{
    private static final int EVENTS_PER_BATCH = 256;
    private static final long MIN_PUMP_DELAY_NS = 20_000;
    private static final long MINUTE_MS = 60_000;
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern PARAMS = Pattern.compile("\"params\"\\s*:\\s*\\[([^\\]]*)\\]");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?[0-9]+|null)");
    private static final BookSyncListener IGNORE = new BookSyncListener()
    {
        public void onBook(final OrderBook book, final long first, final long last, final long exchangeNs, final long receiveNs)
        {
        }

        public void onTrade(
            final long tradeId, final long price, final long qty, final boolean buyerIsMaker, final long exchangeTimeNs,
            final long receiveTimeNs)
        {
        }

        public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
        {
        }
    };

    /** How the venue is set up; fluent. */
    public static final class Options
    {
        private Supplier<VenueFrameSource> source;
        private String description = "";
        private String host = "127.0.0.1";
        private int port;
        private double speed;
        private long seed = 1;
        private String requiredApiKey;
        private long pingIntervalMs = 20_000;
        private long pongTimeoutMs = 60_000;
        private int maxInboundPerSecond = 5;
        private String faultSpec;
        private long stallMs = 2_000;
        private long snapshotDelayMs = 2_000;

        /** Streams these recordings (JSON text frames). */
        public Options recordings(final List<Path> files)
        {
            final List<Path> copy = List.copyOf(files);
            this.source = () -> new RecordingFrameSource(copy);
            this.description = copy.toString();
            return this;
        }

        /**
         * Streams these recordings as Binance SBE binary frames (official schema), prices and quantities at
         * the given exponents; REST snapshots stay JSON.
         */
        public Options sbeRecordings(final List<Path> files, final int priceExponent, final int qtyExponent)
        {
            final List<Path> copy = List.copyOf(files);
            this.source = () -> new SbeFrameSource(new RecordingFrameSource(copy), priceExponent, qtyExponent);
            this.description = copy + " as SBE (exponents " + priceExponent + "/" + qtyExponent + ")";
            return this;
        }

        /** Streams what the source gives (e.g. SBE binary frames); called once per venue. */
        public Options source(final Supplier<VenueFrameSource> source, final String description)
        {
            this.source = source;
            this.description = description;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Options port(final int port)
        {
            this.port = port;
            return this;
        }

        public Options host(final String host)
        {
            this.host = host;
            return this;
        }

        /** Multiple of recorded time; 0 (the default) as fast as the clients read. */
        public Options speed(final double speed)
        {
            this.speed = speed;
            return this;
        }

        /** Seed of the fault injector's randomness. */
        public Options seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        /** Upgrades without this {@code X-MBX-APIKEY} are refused with HTTP 401 (as the SBE streams do). */
        public Options requiredApiKey(final String key)
        {
            this.requiredApiKey = key;
            return this;
        }

        /** Binance pings every 20 s. */
        public Options pingIntervalMs(final long pingIntervalMs)
        {
            this.pingIntervalMs = pingIntervalMs;
            return this;
        }

        /** A connection whose last pong is older than this is closed (Binance: 1 minute). */
        public Options pongTimeoutMs(final long pongTimeoutMs)
        {
            this.pongTimeoutMs = pongTimeoutMs;
            return this;
        }

        /** Random or one-off faults, as {@link FaultInjector#parse} reads them; more can be added through {@link #faults()}. */
        public Options faults(final String spec)
        {
            FaultInjector.parse(spec, seed); // fail early on a bad spec
            this.faultSpec = spec;
            return this;
        }

        /** How long a stall fault lasts. */
        public Options stallMs(final long stallMs)
        {
            this.stallMs = stallMs;
            return this;
        }

        /** How late a slow snapshot is answered. */
        public Options snapshotDelayMs(final long snapshotDelayMs)
        {
            this.snapshotDelayMs = snapshotDelayMs;
            return this;
        }

        /** Inbound messages a second above which a connection is closed (Binance: 5). */
        public Options maxInboundPerSecond(final int maxInboundPerSecond)
        {
            this.maxInboundPerSecond = maxInboundPerSecond;
            return this;
        }
    }

    private final Options options;
    private final FaultInjector faults;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Channel serverChannel;
    private final int port;

    // Event-loop confined.
    private final VenueFrameSource source;
    private final BookSync book = BookSync.withDerivedExponents(IGNORE);
    private final List<Session> sessions = new ArrayList<>();
    private final byte[] initialSnapshot;
    private boolean pending;
    private boolean started;
    private long startNs;
    private long firstRecordedNs = Long.MIN_VALUE;
    private long stallUntilNs;
    private boolean pumpScheduled;
    private long lastExchangeTimeMs;
    private long weightMinute;
    private int weightUsed;

    private volatile boolean finished;
    private volatile boolean closed;
    private volatile long eventsStreamed;
    private volatile long framesSent;
    private volatile long snapshotsServed;
    private volatile long sessionsOpened;
    private volatile long upgradesRefused;
    private volatile long rateLimitCloses;
    private volatile long pongTimeoutCloses;
    private volatile long commandsReceived;
    private volatile long pingsSent;
    private volatile long pongsReceived;
    private volatile long lastSnapshotUpdateId;

    private FakeBinanceVenue(final Options options)
    {
        this.options = options;
        this.faults = FaultInjector.parse(options.faultSpec, options.seed)
            .stallMs(options.stallMs).snapshotDelayMs(options.snapshotDelayMs);
        Objects.requireNonNull(options.source, "a recording or a frame source is required");
        this.initialSnapshot = firstSnapshot(options.source);
        this.source = options.source.get();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mm-fake-venue", true), NioIoHandler.newFactory());
        this.loop = group.next();
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(loop, loop)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(64 * 1024))
                        .addLast(new Handler());
                }
            });
        try
        {
            serverChannel = bootstrap.bind(options.host, options.port).sync().channel();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("interrupted while binding", ex);
        }
        catch (final RuntimeException ex)
        {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw ex;
        }
        this.port = ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /** Binds and starts serving; the recording starts streaming when the first WebSocket connects. */
    public static FakeBinanceVenue start(final Options options)
    {
        return new FakeBinanceVenue(options);
    }

    /** The recording's first REST snapshot, served until the venue's own book is in sync (and when stale). */
    private static byte[] firstSnapshot(final Supplier<VenueFrameSource> supplier)
    {
        try (VenueFrameSource scan = supplier.get())
        {
            while (scan.next())
            {
                if (scan.isSnapshot())
                {
                    final byte[] bytes = new byte[scan.jsonLength()];
                    scan.jsonBuffer().getBytes(scan.jsonOffset(), bytes);
                    return bytes;
                }
            }
        }
        return null;
    }

    public FaultInjector faults()
    {
        return faults;
    }

    public int port()
    {
        return port;
    }

    /** For {@code feed.wsUrl}: {@code ws://127.0.0.1:PORT}. */
    public String wsBaseUrl()
    {
        return "ws://" + options.host + ":" + port;
    }

    /** For {@code feed.restUrl}: {@code http://127.0.0.1:PORT}. */
    public String restBaseUrl()
    {
        return "http://" + options.host + ":" + port;
    }

    /** Closes every WebSocket connection abruptly (as a network failure would). */
    public void disconnectAll()
    {
        loop.execute(() ->
        {
            for (final Session session : new ArrayList<>(sessions))
            {
                session.channel.close();
            }
        });
    }

    /** Sends Binance's {@code serverShutdown} notice on every connection (which stays open). */
    public void sendServerShutdown()
    {
        loop.execute(() ->
        {
            final String notice = "{\"e\":\"serverShutdown\",\"E\":" + System.currentTimeMillis() + "}";
            for (final Session session : sessions)
            {
                session.channel.writeAndFlush(new TextWebSocketFrame(notice));
            }
        });
    }

    /** Number of open WebSocket connections. */
    public int sessions()
    {
        return call(sessions::size);
    }

    /** Streams the open connection at {@code index} is subscribed to. */
    public List<String> subscriptions(final int index)
    {
        return call(() -> List.copyOf(sessions.get(index).streams));
    }

    private <T> T call(final java.util.concurrent.Callable<T> task)
    {
        try
        {
            return loop.submit(task).get(5, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("venue did not answer", ex);
        }
    }

    /** True once the whole recording has been streamed. */
    public boolean finished()
    {
        return finished;
    }

    /** Recorded events streamed (snapshots excluded), whether or not a fault kept them off the wire. */
    public long eventsStreamed()
    {
        return eventsStreamed;
    }

    /** WebSocket frames written, over all connections. */
    public long framesSent()
    {
        return framesSent;
    }

    public long snapshotsServed()
    {
        return snapshotsServed;
    }

    /** lastUpdateId of the latest snapshot served. */
    public long lastSnapshotUpdateId()
    {
        return lastSnapshotUpdateId;
    }

    /** WebSocket upgrades accepted. */
    public long sessionsOpened()
    {
        return sessionsOpened;
    }

    /** Upgrades refused (missing or wrong API key). */
    public long upgradesRefused()
    {
        return upgradesRefused;
    }

    /** Connections closed for sending more than the inbound limit. */
    public long rateLimitCloses()
    {
        return rateLimitCloses;
    }

    /** Connections closed for not answering pings. */
    public long pongTimeoutCloses()
    {
        return pongTimeoutCloses;
    }

    public long commandsReceived()
    {
        return commandsReceived;
    }

    public long pingsSent()
    {
        return pingsSent;
    }

    public long pongsReceived()
    {
        return pongsReceived;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        serverChannel.close().awaitUninterruptibly(1_000);
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(3_000);
        source.close();
    }

    // ---------------------------------------------------------------- market (event loop)

    private void schedulePump(final long delayNs)
    {
        if (pumpScheduled || closed)
        {
            return;
        }
        pumpScheduled = true;
        // Never loop.execute: a task that re-submits itself keeps the event loop in its task phase and starves
        // socket reads (REST requests, pongs); a scheduled task lets the loop poll its sockets in between.
        loop.schedule(this::pump, Math.max(delayNs, MIN_PUMP_DELAY_NS), TimeUnit.NANOSECONDS);
    }

    private void pump()
    {
        pumpScheduled = false;
        if (closed || finished || !started)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        if (nowNs < stallUntilNs)
        {
            schedulePump(stallUntilNs - nowNs);
            return;
        }
        final boolean paced = options.speed > 0;
        if (!paced && !allWritable())
        {
            return; // resumed by a connection becoming writable or a new connection
        }
        for (int i = 0; i < EVENTS_PER_BATCH; i++)
        {
            if (!pending)
            {
                if (!source.next())
                {
                    finished = true;
                    break;
                }
                pending = true;
                if (firstRecordedNs == Long.MIN_VALUE)
                {
                    firstRecordedNs = source.recordedTimeNs();
                }
            }
            if (paced)
            {
                final long dueNs = startNs + (long)((source.recordedTimeNs() - firstRecordedNs) / options.speed);
                if (nowNs < dueNs)
                {
                    flushAll();
                    schedulePump(dueNs - nowNs);
                    return;
                }
            }
            pending = false;
            process();
            if (stallUntilNs > nowNs || (!paced && !allWritable()))
            {
                break;
            }
        }
        flushAll();
        if (!finished)
        {
            if (stallUntilNs > nowNs)
            {
                schedulePump(stallUntilNs - nowNs);
            }
            else if (paced || allWritable())
            {
                schedulePump(0);
            }
        }
    }

    private boolean allWritable()
    {
        if (sessions.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < sessions.size(); i++)
        {
            if (!sessions.get(i).channel.isWritable())
            {
                return false;
            }
        }
        return true;
    }

    private void flushAll()
    {
        for (int i = 0; i < sessions.size(); i++)
        {
            sessions.get(i).channel.flush();
        }
    }

    private void process()
    {
        final VenueFrameSource source = this.source;
        // the venue's own book follows every event, streamed or not
        book.onLine(source.jsonBuffer(), source.jsonOffset(), source.jsonLength(), source.recordedTimeNs());
        lastExchangeTimeMs = source.recordedTimeNs() / 1_000_000;
        if (source.isSnapshot())
        {
            return;
        }
        final long index = eventsStreamed;
        eventsStreamed = index + 1;
        final String stream = source.streamName();
        final boolean depthDiff = isDepthDiff(stream);
        final Fault fault = faults.onFrame(index, depthDiff);
        if (fault == Fault.DISCONNECT)
        {
            for (final Session session : new ArrayList<>(sessions))
            {
                session.channel.close(); // abrupt: no close frame; this event is lost with the connection
            }
            return;
        }
        if (fault == Fault.STALL)
        {
            final long stallNs = faults.stallMs() * 1_000_000L;
            stallUntilNs = System.nanoTime() + stallNs;
            startNs += stallNs; // paced: resume where the stream stopped, not with a catch-up burst
        }
        byte[] combined = null;
        byte[] raw = null;
        for (int i = 0; i < sessions.size(); i++)
        {
            final Session session = sessions.get(i);
            if (stream == null || !session.streams.contains(stream))
            {
                continue;
            }
            final byte[] frame;
            if (session.combined)
            {
                if (combined == null)
                {
                    combined = copy(source.frameBuffer(), source.frameOffset(), source.frameLength());
                }
                frame = combined;
            }
            else
            {
                if (raw == null)
                {
                    raw = copy(source.frameBuffer(), source.rawFrameOffset(), source.rawFrameLength());
                }
                frame = raw;
            }
            send(session, frame, source.isBinary(), depthDiff, fault);
        }
    }

    private void send(final Session session, final byte[] frame, final boolean binary, final boolean depthDiff, final Fault fault)
    {
        if (fault != null && fault.target() == Fault.Target.DEPTH_FRAME)
        {
            switch (fault)
            {
                case DROP ->
                {
                    return;
                }
                case DUPLICATE ->
                {
                    write(session, frame, frame.length, binary);
                    write(session, frame, frame.length, binary);
                }
                case REORDER ->
                {
                    session.held = frame; // goes out after the next diff
                    session.heldBinary = binary;
                    return;
                }
                case TRUNCATE -> write(session, frame, frame.length / 2, binary);
                case CORRUPT ->
                {
                    final byte[] damaged = frame.clone();
                    faults.corrupt(damaged, damaged.length);
                    write(session, damaged, damaged.length, binary);
                }
                default -> write(session, frame, frame.length, binary);
            }
        }
        else
        {
            write(session, frame, frame.length, binary);
        }
        if (depthDiff && session.held != null && session.held != frame)
        {
            write(session, session.held, session.held.length, session.heldBinary);
            session.held = null;
        }
    }

    private void write(final Session session, final byte[] frame, final int length, final boolean binary)
    {
        final ByteBuf content = Unpooled.wrappedBuffer(frame, 0, length);
        session.channel.write(binary ? new BinaryWebSocketFrame(content) : new TextWebSocketFrame(content));
        framesSent++;
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /** {@code <symbol>@depth}, {@code @depth@100ms}, {@code @depth@0ms}: diffs; {@code @depth5} etc. are partial books. */
    static boolean isDepthDiff(final String stream)
    {
        if (stream == null)
        {
            return false;
        }
        final int at = stream.indexOf("@depth");
        if (at < 0)
        {
            return false;
        }
        final int after = at + "@depth".length();
        return after == stream.length() || stream.charAt(after) == '@';
    }

    // ---------------------------------------------------------------- REST (event loop)

    private void onHttp(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final QueryStringDecoder query = new QueryStringDecoder(request.uri());
        final String path = query.path();
        if (HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE, "")))
        {
            upgrade(ctx, request, query);
            return;
        }
        if (request.method() != HttpMethod.GET)
        {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, error(-1000, "GET only"), 0);
            return;
        }
        if (path.equals("/api/v3/depth") || path.equals("/fapi/v1/depth") || path.equals("/dapi/v1/depth"))
        {
            snapshot(ctx, request, query, !path.startsWith("/api/"));
            return;
        }
        respond(ctx, request, HttpResponseStatus.NOT_FOUND, error(-1000, "not found: " + path), 0);
    }

    private void snapshot(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final QueryStringDecoder query, final boolean futures)
    {
        final List<String> symbols = query.parameters().get("symbol");
        if (symbols == null || symbols.isEmpty())
        {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST,
                error(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."), 0);
            return;
        }
        if (book.symbol() != null && !book.symbol().equalsIgnoreCase(symbols.get(0)))
        {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, error(-1121, "Invalid symbol."), 0);
            return;
        }
        int limit = 100;
        final List<String> limits = query.parameters().get("limit");
        if (limits != null && !limits.isEmpty())
        {
            try
            {
                limit = Math.max(1, Math.min(5000, Integer.parseInt(limits.get(0))));
            }
            catch (final NumberFormatException ex)
            {
                respond(ctx, request, HttpResponseStatus.BAD_REQUEST, error(-1100, "Illegal characters found in parameter 'limit'"), 0);
                return;
            }
        }
        final long nowMs = System.currentTimeMillis();
        if (nowMs / MINUTE_MS != weightMinute)
        {
            weightMinute = nowMs / MINUTE_MS;
            weightUsed = 0;
        }
        weightUsed += RestWeightBudget.depthWeight(limit);
        final int usedWeight = weightUsed;
        final Fault fault = faults.onSnapshot();
        final byte[] body;
        if (fault == Fault.STALE_SNAPSHOT || !book.isSynced())
        {
            body = initialSnapshot;
        }
        else
        {
            body = currentSnapshot(limit, futures);
        }
        if (body == null)
        {
            respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, error(-1003, "no snapshot yet"), usedWeight);
            return;
        }
        final FullHttpResponse response = response(request, HttpResponseStatus.OK, body, usedWeight);
        snapshotsServed++;
        if (fault == Fault.SLOW_SNAPSHOT)
        {
            request.retain();
            loop.schedule(() ->
            {
                try
                {
                    send(ctx, request, response);
                }
                finally
                {
                    request.release();
                }
            }, faults.snapshotDelayMs(), TimeUnit.MILLISECONDS);
            return;
        }
        send(ctx, request, response);
    }

    /** The venue's book right now, top {@code limit} levels a side, in Binance's REST format. */
    private byte[] currentSnapshot(final int limit, final boolean futures)
    {
        final OrderBook orderBook = book.book();
        final int priceExponent = book.priceExponent();
        final int qtyExponent = book.qtyExponent();
        final StringBuilder sb = new StringBuilder(128 + 2 * Math.min(limit, 5000) * 40);
        final long updateId = book.lastUpdateId();
        lastSnapshotUpdateId = updateId;
        sb.append("{\"lastUpdateId\":").append(updateId);
        if (futures)
        {
            sb.append(",\"E\":").append(lastExchangeTimeMs).append(",\"T\":").append(lastExchangeTimeMs);
        }
        for (int side = 0; side < 2; side++)
        {
            sb.append(side == OrderBook.BID ? ",\"bids\":[" : ",\"asks\":[");
            final int levels = Math.min(limit, orderBook.levels(side));
            for (int i = 0; i < levels; i++)
            {
                sb.append(i == 0 ? "[\"" : ",[\"");
                Decimals.append(sb, orderBook.price(side, i), priceExponent).append("\",\"");
                Decimals.append(sb, orderBook.qty(side, i), qtyExponent).append("\"]");
            }
            sb.append(']');
        }
        return sb.append('}').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] error(final int code, final String message)
    {
        return ("{\"code\":" + code + ",\"msg\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private void respond(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final HttpResponseStatus status, final byte[] body,
        final int usedWeight)
    {
        send(ctx, request, response(request, status, body, usedWeight));
    }

    private static FullHttpResponse response(
        final FullHttpRequest request, final HttpResponseStatus status, final byte[] body, final int usedWeight)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(
            request.protocolVersion(), status, Unpooled.wrappedBuffer(body));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (usedWeight > 0)
        {
            response.headers().setInt("X-MBX-USED-WEIGHT-1M", usedWeight);
        }
        return response;
    }

    private static void send(final ChannelHandlerContext ctx, final FullHttpRequest request, final FullHttpResponse response)
    {
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive)
        {
            ctx.writeAndFlush(response);
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---------------------------------------------------------------- WebSocket (event loop)

    private void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request, final QueryStringDecoder query)
    {
        final String path = query.path();
        final LinkedHashSet<String> streams = new LinkedHashSet<>();
        final boolean combined;
        if (path.equals("/stream"))
        {
            combined = true;
            final List<String> values = query.parameters().get("streams");
            if (values != null)
            {
                for (final String value : values)
                {
                    for (final String name : value.split("/"))
                    {
                        if (!name.isBlank())
                        {
                            streams.add(name.trim());
                        }
                    }
                }
            }
        }
        else if (path.equals("/ws") || path.startsWith("/ws/"))
        {
            combined = false;
            for (final String name : path.substring(3).split("/"))
            {
                if (!name.isBlank())
                {
                    streams.add(name);
                }
            }
        }
        else
        {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, error(-1000, "not a stream path: " + path), 0);
            return;
        }
        if (options.requiredApiKey != null &&
            !options.requiredApiKey.equals(request.headers().get("X-MBX-APIKEY")))
        {
            upgradesRefused++;
            // the key received is never echoed
            respond(ctx, request, HttpResponseStatus.UNAUTHORIZED,
                error(-2015, "Invalid API-key, IP, or permissions for action."), 0);
            return;
        }
        final WebSocketServerHandshakerFactory factory =
            new WebSocketServerHandshakerFactory("ws://" + options.host + ":" + port + path, null, false, 64 * 1024);
        final WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null)
        {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        final Handler handler = ctx.pipeline().get(Handler.class);
        handshaker.handshake(ctx.channel(), request).addListener(future ->
        {
            if (!future.isSuccess())
            {
                ctx.close();
                return;
            }
            final Session session = new Session(ctx.channel(), combined, streams);
            handler.session = session;
            sessions.add(session);
            sessionsOpened++;
            session.lastPongNs = System.nanoTime();
            if (options.pingIntervalMs > 0)
            {
                session.pingTask = loop.scheduleAtFixedRate(() -> ping(session),
                    options.pingIntervalMs, options.pingIntervalMs, TimeUnit.MILLISECONDS);
            }
            if (!started)
            {
                started = true;
                startNs = System.nanoTime();
            }
            schedulePump(0);
        });
    }

    private void ping(final Session session)
    {
        if (!session.channel.isActive() || System.nanoTime() < stallUntilNs)
        {
            return;
        }
        if (System.nanoTime() - session.lastPongNs > options.pongTimeoutMs * 1_000_000L)
        {
            pongTimeoutCloses++;
            session.channel.writeAndFlush(new CloseWebSocketFrame(1008, "pong timeout")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        final byte[] payload = Long.toString(++session.pings).getBytes(StandardCharsets.US_ASCII);
        session.channel.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        pingsSent++;
    }

    private void onFrame(final Session session, final WebSocketFrame frame)
    {
        if (session.closing)
        {
            return;
        }
        if (frame instanceof CloseWebSocketFrame)
        {
            session.channel.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!session.countInbound(System.nanoTime(), options.maxInboundPerSecond))
        {
            // Binance disconnects a client that sends too much
            rateLimitCloses++;
            session.closing = true;
            session.channel.writeAndFlush(new CloseWebSocketFrame(1008, "too many messages"))
                .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (frame instanceof PingWebSocketFrame)
        {
            if (System.nanoTime() < stallUntilNs)
            {
                return; // a stall is total: a stuck path answers nothing
            }
            session.channel.writeAndFlush(new PongWebSocketFrame(frame.content().retainedDuplicate()));
        }
        else if (frame instanceof PongWebSocketFrame)
        {
            pongsReceived++;
            session.lastPongNs = System.nanoTime();
        }
        else if (frame instanceof TextWebSocketFrame text)
        {
            commandsReceived++;
            session.channel.writeAndFlush(new TextWebSocketFrame(command(session, text.text())));
        }
    }

    /** Answers a control command as Binance does. */
    private static String command(final Session session, final String text)
    {
        final Matcher method = METHOD.matcher(text);
        final Matcher id = ID.matcher(text);
        final String idText = id.find() ? id.group(1) : "null";
        if (!method.find())
        {
            return "{\"error\":{\"code\":3,\"msg\":\"Invalid JSON: expected a method\"},\"id\":" + idText + "}";
        }
        final List<String> params = new ArrayList<>();
        final Matcher paramsMatcher = PARAMS.matcher(text);
        if (paramsMatcher.find())
        {
            for (final String item : paramsMatcher.group(1).split(","))
            {
                final String name = item.trim().replace("\"", "");
                if (!name.isEmpty())
                {
                    params.add(name);
                }
            }
        }
        switch (method.group(1))
        {
            case "SUBSCRIBE" ->
            {
                session.streams.addAll(params);
                return "{\"result\":null,\"id\":" + idText + "}";
            }
            case "UNSUBSCRIBE" ->
            {
                params.forEach(session.streams::remove);
                return "{\"result\":null,\"id\":" + idText + "}";
            }
            case "LIST_SUBSCRIPTIONS" ->
            {
                final StringBuilder sb = new StringBuilder("{\"result\":[");
                boolean first = true;
                for (final String name : session.streams)
                {
                    sb.append(first ? "\"" : ",\"").append(name).append('"');
                    first = false;
                }
                return sb.append("],\"id\":").append(idText).append('}').toString();
            }
            default ->
            {
                return "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown method\"},\"id\":" + idText + "}";
            }
        }
    }

    private void onClosed(final Session session)
    {
        sessions.remove(session);
        if (session.pingTask != null)
        {
            session.pingTask.cancel(false);
        }
    }

    /** One WebSocket connection. */
    private static final class Session
    {
        final Channel channel;
        final boolean combined;
        final LinkedHashSet<String> streams;
        final long[] inboundNs = new long[16];
        int inboundNext;
        long inboundCount;
        long lastPongNs;
        long pings;
        byte[] held;
        boolean heldBinary;
        boolean closing;
        ScheduledFuture<?> pingTask;

        Session(final Channel channel, final boolean combined, final LinkedHashSet<String> streams)
        {
            this.channel = channel;
            this.combined = combined;
            this.streams = streams;
        }

        /** Records an inbound message; false when more than {@code max} arrived within the last second. */
        boolean countInbound(final long nowNs, final int max)
        {
            inboundCount++;
            final int window = Math.min(max + 1, inboundNs.length);
            inboundNs[inboundNext] = nowNs;
            inboundNext = (inboundNext + 1) % window;
            if (inboundCount < window)
            {
                return true;
            }
            // the (max+1)-th most recent message: if it is within a second, max+1 arrived in one second
            final long oldest = inboundNs[inboundNext];
            return nowNs - oldest >= 1_000_000_000L;
        }
    }

    /** Per connection: HTTP until upgraded, WebSocket frames after. */
    private final class Handler extends SimpleChannelInboundHandler<Object>
    {
        Session session;

        protected void channelRead0(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof FullHttpRequest request)
            {
                onHttp(ctx, request);
            }
            else if (msg instanceof WebSocketFrame frame && session != null)
            {
                onFrame(session, frame);
            }
        }

        public void channelWritabilityChanged(final ChannelHandlerContext ctx)
        {
            if (ctx.channel().isWritable())
            {
                schedulePump(0);
            }
            ctx.fireChannelWritabilityChanged();
        }

        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (session != null)
            {
                onClosed(session);
            }
            ctx.fireChannelInactive();
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }

    // ---------------------------------------------------------------- command line

    /**
     * {@code mm fake-venue binance --recording FILE... [--port N] [--speed X] [--faults SPEC] [--seed N]
     * [--stall-ms N] [--snapshot-delay-ms N] [--ping-ms N] [--api-key-env VAR]}: serves until interrupted
     * (Ctrl-C) and prints its URLs.
     *
     * @return the process exit code.
     */
    public static int run(final List<String> args, final PrintStream out)
    {
        if (args.isEmpty() || !"binance".equals(args.get(0)))
        {
            out.println(USAGE);
            return 2;
        }
        final List<Path> recordings = new ArrayList<>();
        final Options options = new Options().speed(1);
        String faultSpec = null;
        String format = "json";
        long stallMs = 2_000;
        long snapshotDelayMs = 2_000;
        try
        {
            for (int i = 1; i < args.size(); i++)
            {
                final String arg = args.get(i);
                switch (arg)
                {
                    case "--recording" ->
                    {
                        while (i + 1 < args.size() && !args.get(i + 1).startsWith("--"))
                        {
                            recordings.add(resolve(args.get(++i)));
                        }
                    }
                    case "--port" -> options.port(Integer.parseInt(value(args, ++i, arg)));
                    case "--format" ->
                    {
                        format = value(args, ++i, arg);
                        if (!"json".equals(format) && !"sbe".equals(format))
                        {
                            throw new IllegalArgumentException("--format must be json or sbe");
                        }
                    }
                    case "--host" -> options.host(value(args, ++i, arg));
                    case "--speed" -> options.speed(Double.parseDouble(value(args, ++i, arg)));
                    case "--faults" -> faultSpec = value(args, ++i, arg);
                    case "--seed" -> options.seed(Long.parseLong(value(args, ++i, arg)));
                    case "--stall-ms" -> stallMs = Long.parseLong(value(args, ++i, arg));
                    case "--snapshot-delay-ms" -> snapshotDelayMs = Long.parseLong(value(args, ++i, arg));
                    case "--ping-ms" -> options.pingIntervalMs(Long.parseLong(value(args, ++i, arg)));
                    case "--api-key-env" ->
                    {
                        final String name = value(args, ++i, arg);
                        final String key = System.getenv(name);
                        if (key == null || key.isBlank())
                        {
                            throw new IllegalArgumentException("--api-key-env " + name + ": the variable is not set");
                        }
                        options.requiredApiKey(key.strip());
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (recordings.isEmpty())
            {
                throw new IllegalArgumentException("--recording FILE... is required");
            }
            for (final Path file : recordings)
            {
                if (!Files.isReadable(file))
                {
                    throw new IllegalArgumentException("cannot read recording " + file);
                }
            }
            if (!(options.speed >= 0) || Double.isInfinite(options.speed))
            {
                throw new IllegalArgumentException("--speed must be >= 0 (0: as fast as the client reads)");
            }
            // validate the fault spec before binding
            options.faults(faultSpec);
        }
        catch (final IllegalArgumentException ex)
        {
            out.println("mm fake-venue: " + ex.getMessage());
            out.println(USAGE);
            return 2;
        }
        if ("sbe".equals(format))
        {
            options.sbeRecordings(recordings, SBE_EXPONENT, SBE_EXPONENT);
        }
        else
        {
            options.recordings(recordings);
        }
        options.faults(faultSpec).stallMs(stallMs).snapshotDelayMs(snapshotDelayMs);
        final CountDownLatch stopped = new CountDownLatch(1);
        final FakeBinanceVenue venue = start(options);
        final Thread hook = new Thread(() ->
        {
            venue.close();
            stopped.countDown();
        }, "mm-fake-venue-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        final List<String> names = knownStreams(options.source);
        final String streams = String.join("/", names);
        final String symbol = names.isEmpty() ? "SYMBOL" : names.get(0).substring(0, Math.max(0, names.get(0).indexOf('@')))
            .toUpperCase(Locale.ROOT);
        out.println("mm fake-venue: Binance stand-in streaming " + recordings + " at " +
            (options.speed == 0 ? "max speed" : options.speed + "x") +
            (faultSpec == null ? "" : ", faults " + faultSpec + " (seed " + options.seed + ")"));
        out.println("  websocket : " + venue.wsBaseUrl() + "/stream?streams=" + streams);
        out.println("  rest      : " + venue.restBaseUrl() + "/api/v3/depth?symbol=" + symbol + "&limit=1000");
        out.println("  engine    : --set feed.source=websocket --set feed.wsUrl=" + venue.wsBaseUrl() +
            " --set feed.restUrl=" + venue.restBaseUrl());
        out.println("  the recording starts when the first client connects; Ctrl-C stops");
        out.flush();
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            venue.close();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignore)
            {
                // shutting down already
            }
        }
        return 0;
    }

    /** Stream names in the first events of the recording (for the printed URL). */
    private static List<String> knownStreams(final Supplier<VenueFrameSource> supplier)
    {
        final LinkedHashSet<String> names = new LinkedHashSet<>();
        try (VenueFrameSource scan = supplier.get())
        {
            for (int i = 0; i < 2_000 && scan.next(); i++)
            {
                if (scan.streamName() != null)
                {
                    names.add(scan.streamName());
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static Path resolve(final String name)
    {
        final Path path = Path.of(name);
        if (path.isAbsolute())
        {
            return path;
        }
        final String home = System.getProperty("mm.home");
        return home == null ? path.toAbsolutePath() : Path.of(home).resolve(path).normalize();
    }

    private static String value(final List<String> args, final int index, final String option)
    {
        if (index >= args.size())
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    /** Exponent of SBE prices and quantities the venue sends: what Binance sends for spot BTCUSDT. */
    static final int SBE_EXPONENT = -8;

    static final String USAGE = String.join(System.lineSeparator(),
        "usage: mm fake-venue binance --recording FILE... [--port N] [--speed X] [--faults SPEC] [--seed N]",
        "                             [--stall-ms N] [--snapshot-delay-ms N] [--ping-ms N] [--api-key-env VAR]",
        "                             [--format json|sbe]",
        "  serves REST depth snapshots and WebSocket streams of the recording on 127.0.0.1 until Ctrl-C",
        "  --port N        0 (default) picks a free port",
        "  --speed X       multiple of recorded time (default 1); 0 as fast as the client reads",
        "  --faults SPEC   kind[:probability],... kinds: " + String.join(", ", Fault.cliNames()),
        "                  without a probability a fault happens once; e.g. drop:0.001,disconnect:0.0002,stale-snapshot",
        "  --api-key-env   refuse upgrades (HTTP 401) without the X-MBX-APIKEY held in this environment variable",
        "  --format sbe    stream binary SBE frames (official stream_1_0 schema, exponents -8) instead of JSON;",
        "                  REST snapshots stay JSON, as on Binance");
}
