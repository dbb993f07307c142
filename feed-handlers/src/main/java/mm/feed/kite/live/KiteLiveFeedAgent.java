package mm.feed.kite.live;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.agent.EngineCounters;
import mm.feed.binance.transport.FrameRing;
import mm.common.net.ReconnectPolicy;
import mm.feed.kite.KiteDecodeError;
import mm.feed.kite.KiteInstruments;
import mm.feed.kite.KiteMessageDecoder;
import mm.feed.kite.KiteTextMessageRouter;
import mm.feed.kite.KiteTextType;
import mm.feed.kite.transport.KiteConnectionState;
import mm.feed.kite.transport.KiteCredentials;
import mm.feed.kite.transport.KiteWebSocketClient;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The live Kite feed: owns the {@link KiteWebSocketClient}, the frame ring between its event loop and this agent,
 * the {@link KiteMessageDecoder}, the {@link KiteTextMessageRouter} and a {@link KiteMarketDataPublisher}. Each
 * duty cycle drains the ring in order (binary frames decoded into the publisher, text frames routed and counted,
 * disconnects marked DISCONNECTED), applies market hours and staleness, and publishes counters. Never done.
 * Nothing is opened until {@code startGate} says every consumer has subscribed to MARKET_DATA.
 */
public final class KiteLiveFeedAgent implements BoundedAgent
{
    private static final int RECORDS_PER_DUTY_CYCLE = 256;

    /** Static settings of one Kite feed. */
    public record Settings(
        String url,
        KiteCredentials credentials,
        int[] tokens,
        String mode,
        KiteMarketHours hours,
        long staleTimeoutMs,
        long livenessTimeoutMs,
        long initialBackoffMs,
        long maxBackoffMs,
        int failuresToOpenCircuit,
        long circuitCoolDownMs,
        int ringCapacityBytes)
    {
    }

    private final Settings settings;
    private final BooleanSupplier startGate;
    private final EpochNanoClock clock;
    private final FrameRing ring;
    private final KiteWebSocketClient client;
    private final KiteMarketDataPublisher publisher;
    private final KiteMessageDecoder decoder;
    private final KiteTextMessageRouter router;
    private final MessageHandler recordHandler = this::onRecord;
    private final String roleName;

    private boolean started;
    private long binaryFrames;
    private long textFrames;
    private long connectedEvents;
    private long disconnectedEvents;

    private final AtomicCounter connectionState;
    private final AtomicCounter connects;
    private final AtomicCounter disconnects;
    private final AtomicCounter tokenExpiries;
    private final AtomicCounter livenessTimeouts;
    private final AtomicCounter framesLost;
    private final AtomicCounter textMessages;
    private final AtomicCounter orderPostbacks;
    private final AtomicCounter decodeErrors;

    public KiteLiveFeedAgent(
        final Settings settings, final KiteInstruments instruments, final List<Instrument> published,
        final Aeron aeron, final Streams streams, final String roleName, final BooleanSupplier startGate,
        final EpochNanoClock clock, final java.util.Random random)
    {
        this.settings = settings;
        this.startGate = startGate;
        this.clock = clock;
        this.roleName = roleName;
        this.ring = new FrameRing(settings.ringCapacityBytes());
        this.publisher = new KiteMarketDataPublisher(instruments, published, settings.hours(),
            settings.staleTimeoutMs() * 1_000_000L, aeron, streams, roleName);
        this.decoder = new KiteMessageDecoder(publisher);
        // Postbacks and errors are only counted here: orders are the gateway's business, not the feed's.
        this.router = new KiteTextMessageRouter(message -> { });
        this.client = new KiteWebSocketClient(settings.url(), settings.credentials(), ring,
            new ReconnectPolicy(settings.initialBackoffMs(), settings.maxBackoffMs(), settings.failuresToOpenCircuit(),
                settings.circuitCoolDownMs(), random),
            settings.livenessTimeoutMs(), clock);
        connectionState = EngineCounters.add(aeron, roleName,
            "connection state (0 idle, 1 connecting, 2 connected, 3 backoff, 4 circuit open, 5 token expired, 6 closed)");
        connects = EngineCounters.add(aeron, roleName, "connects");
        disconnects = EngineCounters.add(aeron, roleName, "disconnects");
        tokenExpiries = EngineCounters.add(aeron, roleName, "token expiries (HTTP 403)");
        livenessTimeouts = EngineCounters.add(aeron, roleName, "liveness timeouts");
        framesLost = EngineCounters.add(aeron, roleName, "frames lost");
        textMessages = EngineCounters.add(aeron, roleName, "text messages");
        orderPostbacks = EngineCounters.add(aeron, roleName, "order postbacks");
        decodeErrors = EngineCounters.add(aeron, roleName, "decode errors (all kinds)");
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    @Override
    public boolean isDone()
    {
        return false;
    }

    @Override
    public int doWork()
    {
        if (!started)
        {
            if (!startGate.getAsBoolean())
            {
                return 0;
            }
            started = true;
            client.start();
            client.subscribe(settings.tokens(), settings.mode());
        }
        int work = publisher.flush();
        work += ring.drain(recordHandler, RECORDS_PER_DUTY_CYCLE);
        final long nowNs = clock.nanoTime();
        work += publisher.checkState(nowNs, nowNs);
        updateCounters();
        return work;
    }

    private void onRecord(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long receiveTimeNs = FrameRing.receiveTimeNs(buffer, index);
        switch (type)
        {
            case FrameRing.BINARY ->
            {
                binaryFrames++;
                decoder.decode(buffer, index + FrameRing.HEADER_LENGTH, length - FrameRing.HEADER_LENGTH, receiveTimeNs);
            }
            case FrameRing.TEXT ->
            {
                textFrames++;
                router.route(buffer, index + FrameRing.HEADER_LENGTH, length - FrameRing.HEADER_LENGTH, receiveTimeNs);
            }
            case FrameRing.CONNECTED -> connectedEvents++;
            case FrameRing.DISCONNECTED ->
            {
                disconnectedEvents++;
                publisher.onDisconnected(receiveTimeNs);
            }
            default ->
            {
                // no other record kinds are produced by the Kite client
            }
        }
    }

    private void updateCounters()
    {
        publisher.updateCounters();
        connectionState.setRelease(client.state().code());
        connects.setRelease(client.connects());
        disconnects.setRelease(client.disconnects());
        tokenExpiries.setRelease(client.tokenExpiries());
        livenessTimeouts.setRelease(client.livenessTimeouts());
        framesLost.setRelease(client.framesLost());
        textMessages.setRelease(router.messages());
        orderPostbacks.setRelease(router.count(KiteTextType.ORDER));
        decodeErrors.setRelease(decoder.errors());
    }

    @Override
    public void onClose()
    {
        CloseHelper.quietClose(client);
    }

    public KiteWebSocketClient client()
    {
        return client;
    }

    public KiteMarketDataPublisher publisher()
    {
        return publisher;
    }

    public KiteMessageDecoder decoder()
    {
        return decoder;
    }

    public KiteTextMessageRouter router()
    {
        return router;
    }

    public KiteConnectionState connectionState()
    {
        return client.state();
    }

    public long binaryFrames()
    {
        return binaryFrames;
    }

    public long textFrames()
    {
        return textFrames;
    }

    public long connectedEvents()
    {
        return connectedEvents;
    }

    public long disconnectedEvents()
    {
        return disconnectedEvents;
    }

    /** Decode errors of one kind (faults seen). */
    public long decodeErrors(final KiteDecodeError kind)
    {
        return decoder.errors(kind);
    }
}
