package mm.gateway.venue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WebSocket client for an order session (request/response and pushed events over text frames) on one Netty
 * event loop. Unlike the market-data client it never reconnects by itself: the adapter decides when (its
 * {@link mm.common.net.ReconnectPolicy} and reconcile come first), so {@link #connect()} is the only way a
 * connection starts and observe-only mode, which never calls it, never opens one.
 * <p>
 * Outbound: the gateway thread copies each request into a one-to-one off-heap ring ({@link #send}) and a
 * preallocated task flushes it on the event loop into pooled direct buffers; nothing is allocated on the gateway
 * thread. Inbound: frames (aggregated if fragmented) and connection events go into the {@link InboundRing} with
 * their receive time. Pings are answered by Netty's protocol handler.
 */
public final class WsClient implements AutoCloseable
{
    private static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;

    private final URI uri;
    private final InboundRing inbound;
    private final OneToOneRingBuffer outbound;
    /** Event-loop confined view of the outbound ring's memory, for copying a frame out without allocating. */
    private final ByteBuffer outboundView;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final SslContext sslContext;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flushOutbound;
    private final MessageHandler writer = this::writeFrame;

    // event-loop confined
    private Channel channel;
    private int flushedFrames;

    private volatile int generation;
    private volatile boolean upgraded;
    private volatile boolean closed;
    private volatile long framesSent;
    private volatile long framesReceived;
    private volatile long framesDropped;

    /**
     * @param uri ws:// or wss:// endpoint (with path and query).
     * @param inbound where frames and connection events go.
     * @param outboundCapacityBytes power of two, at least 4096.
     * @param threadName the event loop thread's name.
     */
    public WsClient(final URI uri, final InboundRing inbound, final int outboundCapacityBytes, final String threadName)
    {
        this.uri = uri;
        this.inbound = inbound;
        final ByteBuffer outboundMemory =
            ByteBuffer.allocateDirect(outboundCapacityBytes + RingBufferDescriptor.TRAILER_LENGTH);
        this.outbound = new OneToOneRingBuffer(new UnsafeBuffer(outboundMemory));
        this.outboundView = outboundMemory.duplicate();
        final boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        try
        {
            sslContext = tls ? SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build() : null;
        }
        catch (final SSLException ex)
        {
            throw new IllegalStateException("cannot create the TLS context", ex);
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), NioIoHandler.newFactory());
        loop = group.next();
        bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** Opens a connection (a new generation); the outcome arrives as CONNECTED or DISCONNECTED. */
    public int connect()
    {
        if (closed)
        {
            return generation;
        }
        final int gen = ++generation;
        loop.execute(() -> open(gen));
        return gen;
    }

    /** Closes the current connection; DISCONNECTED (REQUESTED) follows. */
    public void disconnect()
    {
        loop.execute(() ->
        {
            if (channel != null)
            {
                channel.close();
            }
        });
    }

    /**
     * Queues one text frame (called on the gateway thread; copies, allocates nothing).
     *
     * @return false when the outbound ring is full or no connection is upgraded.
     */
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!upgraded)
        {
            return false;
        }
        if (!outbound.write(1, buffer, offset, length))
        {
            return false;
        }
        if (flushScheduled.compareAndSet(false, true))
        {
            loop.execute(flushTask);
        }
        return true;
    }

    public boolean isUpgraded()
    {
        return upgraded;
    }

    public int generation()
    {
        return generation;
    }

    public long framesSent()
    {
        return framesSent;
    }

    public long framesReceived()
    {
        return framesReceived;
    }

    /** Frames lost because the inbound ring was full (each breaks the session). */
    public long framesDropped()
    {
        return framesDropped;
    }

    @Override
    public void close()
    {
        closed = true;
        upgraded = false;
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void open(final int gen)
    {
        if (channel != null)
        {
            channel.close();
            channel = null;
        }
        final int port = uri.getPort() > 0 ? uri.getPort() : (sslContext != null ? 443 : 80);
        final WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .maxFramePayloadLength(MAX_FRAME_BYTES)
            .handshakeTimeoutMillis(10_000)
            .dropPongFrames(true)
            .build();
        final ChannelFuture future = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>()
        {
            @Override
            protected void initChannel(final SocketChannel ch)
            {
                if (sslContext != null)
                {
                    ch.pipeline().addLast(sslContext.newHandler(ch.alloc(), uri.getHost(), port));
                }
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                    new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME_BYTES),
                    new FrameHandler(gen));
            }
        }).connect(uri.getHost(), port);
        channel = future.channel();
        future.addListener(f ->
        {
            if (!f.isSuccess())
            {
                inbound.offer(InboundRing.DISCONNECTED, clock.nanoTime(), InboundRing.DISCONNECT_CONNECT_FAILED, gen);
            }
        });
    }

    private void flushOutbound()
    {
        flushScheduled.set(false);
        flushedFrames = 0;
        outbound.read(writer);
        if (flushedFrames > 0 && channel != null)
        {
            channel.flush();
        }
    }

    private void writeFrame(final int type, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        final Channel ch = channel;
        if (ch == null || !ch.isActive() || !upgraded)
        {
            return; // the request is lost with the connection; the adapter reconciles after reconnecting
        }
        final ByteBuf frame = ch.alloc().directBuffer(length);
        final int start = (int)buffer.wrapAdjustment() + index;
        outboundView.limit(start + length).position(start);
        frame.writeBytes(outboundView);
        ch.write(new TextWebSocketFrame(frame));
        flushedFrames++;
        framesSent++;
    }

    private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame>
    {
        private final int gen;

        FrameHandler(final int gen)
        {
            this.gen = gen;
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
            {
                upgraded = true;
                inbound.offer(InboundRing.CONNECTED, clock.nanoTime(), 0, gen);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
        {
            if (frame instanceof TextWebSocketFrame)
            {
                framesReceived++;
                if (!inbound.offer(InboundRing.TEXT, clock.nanoTime(), 0, gen, frame.content()))
                {
                    framesDropped++;
                    ctx.close(); // a lost answer breaks the session: reconnect and reconcile
                }
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (gen == generation)
            {
                upgraded = false;
            }
            inbound.offer(InboundRing.DISCONNECTED, clock.nanoTime(),
                closed ? InboundRing.DISCONNECT_REQUESTED : InboundRing.DISCONNECT_REMOTE, gen);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
