package mm.feed.binance.live;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.agent.EngineCounters;
import mm.feed.binance.BookSync;
import mm.feed.binance.FeedContext;
import mm.feed.binance.MarketDataPublisher;
import mm.feed.binance.sbe.BinanceSbeAdapter;
import mm.feed.binance.transport.BinanceWebSocketClient;
import mm.feed.binance.transport.DepthSnapshotClient;
import mm.feed.binance.transport.FrameRing;
import mm.feed.binance.transport.RestWeightBudget;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The live Binance feed: owns the WebSocket client, the REST snapshot client, the frame ring between them and
 * this agent, a {@link BookSync} and a {@link MarketDataPublisher}. Each duty cycle drains the ring in order
 * (JSON frames into {@code BookSync.onLine}, snapshots likewise, connection losses into
 * {@code BookSync.onDisconnect}), then asks for a REST snapshot when the book needs one, within the weight
 * budget, and publishes its counters. Never done: it runs until closed.
 * <p>
 * Nothing is published (and no connection opened) until {@code startGate} says every consumer has subscribed.
 * While MARKET_DATA is back-pressured the ring is not drained; if it fills, frames are dropped and counted by
 * the client and the book resyncs from a fresh snapshot.
 */
public final class BinanceLiveFeedAgent implements BoundedAgent
{
    private static final int RECORDS_PER_DUTY_CYCLE = 256;
    private static final long NS_PER_MS = 1_000_000;

    private final Instrument instrument;
    private final int snapshotLimit;
    private final int snapshotWeight;
    private final long snapshotRetryMs;
    private final long snapshotDeadlineMs;
    private final BooleanSupplier startGate;
    private final MarketDataPublisher publisher;
    private final BookSync sync;
    private final FrameRing ring;
    private final BinanceWebSocketClient client;
    private final DepthSnapshotClient rest;
    private final RestWeightBudget budget;
    private final MessageHandler recordHandler = this::onRecord;
    private BinaryFrameHandler binaryHandler;

    private boolean started;
    private int generation;
    private boolean connected;
    private boolean snapshotInFlight;
    private long snapshotRequestedAtMs;
    private long nextSnapshotAtMs;
    private long diffsBufferedAtRequest = -1;

    private long textFrames;
    private long binaryFrames;
    private long binaryFramesUnhandled;
    private long snapshotRequests;
    private long snapshotsReceived;
    private long snapshotsDiscarded;
    private long snapshotFailures;
    private long snapshotsLost;
    private long frameLossEvents;
    private long connectionLosses;

    private final AtomicCounter connectionState;
    private final AtomicCounter connects;
    private final AtomicCounter disconnects;
    private final AtomicCounter connectFailures;
    private final AtomicCounter authFailures;
    private final AtomicCounter circuitOpens;
    private final AtomicCounter livenessTimeouts;
    private final AtomicCounter framesReceived;
    private final AtomicCounter framesLost;
    private final AtomicCounter snapshotRequestsCounter;
    private final AtomicCounter snapshotsRefusedCounter;
    private final AtomicCounter snapshotFailuresCounter;
    private final AtomicCounter restWeightUsed;
    private final AtomicCounter resyncs;

    public BinanceLiveFeedAgent(
        final FeedContext context, final Aeron aeron, final Streams streams, final BooleanSupplier startGate)
    {
        this(context, aeron, streams, startGate, new Random());
    }

    /**
     * @param jitter source of reconnect jitter; seed it for reproducible tests.
     */
    public BinanceLiveFeedAgent(
        final FeedContext context, final Aeron aeron, final Streams streams, final BooleanSupplier startGate,
        final Random jitter)
    {
        this.instrument = context.instrument();
        this.snapshotLimit = context.snapshotLimit();
        this.snapshotWeight = RestWeightBudget.depthWeight(snapshotLimit);
        this.snapshotRetryMs = context.snapshotRetryMs();
        // a result the REST thread could not deliver must not leave the book waiting forever
        this.snapshotDeadlineMs = context.restConnectTimeoutMs() + 2 * context.restReadTimeoutMs() + 1_000;
        this.startGate = startGate;
        final String role = roleName();
        this.publisher = new MarketDataPublisher(instrument, context.bookDepth(), aeron, streams, role);
        this.sync = new BookSync(publisher, instrument);
        publisher.sync(sync);
        this.ring = new FrameRing(context.ringBytes());
        this.budget = new RestWeightBudget(context.restWeightPerMinute());
        this.rest = new DepthSnapshotClient(context.restUrl(), FeedContext.depthPath(instrument.venue()),
            context.restConnectTimeoutMs(), context.restReadTimeoutMs(), ring);
        this.client = new BinanceWebSocketClient(context, ring, jitter);
        if (context.format() == FeedContext.Format.SBE)
        {
            this.binaryHandler = new SbeFrames(new BinanceSbeAdapter(sync));
        }

        connectionState = EngineCounters.add(aeron, role,
            "connection state (0 idle, 1 connecting, 2 connected, 3 backoff, 4 circuit open, 5 auth failed, 6 closed)");
        connects = EngineCounters.add(aeron, role, "connects");
        disconnects = EngineCounters.add(aeron, role, "disconnects");
        connectFailures = EngineCounters.add(aeron, role, "connect failures");
        authFailures = EngineCounters.add(aeron, role, "auth failures");
        circuitOpens = EngineCounters.add(aeron, role, "circuit opens");
        livenessTimeouts = EngineCounters.add(aeron, role, "liveness timeouts");
        framesReceived = EngineCounters.add(aeron, role, "frames received");
        framesLost = EngineCounters.add(aeron, role, "frames lost (ring full)");
        snapshotRequestsCounter = EngineCounters.add(aeron, role, "snapshot requests");
        snapshotsRefusedCounter = EngineCounters.add(aeron, role, "snapshots refused (weight budget)");
        snapshotFailuresCounter = EngineCounters.add(aeron, role, "snapshot failures");
        restWeightUsed = EngineCounters.add(aeron, role, "rest weight used this minute");
        resyncs = EngineCounters.add(aeron, role, "resyncs");
    }

    public String roleName()
    {
        return "feed-binance";
    }

    /** SBE binary frames into the same book sync as JSON frames. */
    private static final class SbeFrames implements BinaryFrameHandler
    {
        private final BinanceSbeAdapter adapter;

        SbeFrames(final BinanceSbeAdapter adapter)
        {
            this.adapter = adapter;
        }

        public void onBinaryFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
        {
            adapter.onFrame(buffer, offset, length, receiveTimeNs);
        }
    }

    /** Where binary (SBE) frames go; without a handler they are counted and skipped. Set before start. */
    public BinanceLiveFeedAgent binaryHandler(final BinaryFrameHandler handler)
    {
        this.binaryHandler = handler;
        return this;
    }

    public int doWork()
    {
        int work = publisher.flush();
        if (!publisher.isFlushed())
        {
            return work; // back-pressure: leave frames in the ring until MARKET_DATA takes more
        }
        if (!started)
        {
            if (!startGate.getAsBoolean())
            {
                return work;
            }
            started = true;
            client.start();
        }
        work += ring.drain(recordHandler, RECORDS_PER_DUTY_CYCLE);
        work += requestSnapshotIfNeeded(System.currentTimeMillis());
        updateCounters();
        return work;
    }

    private void onRecord(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long receiveTimeNs = FrameRing.receiveTimeNs(buffer, index);
        final int recordGeneration = FrameRing.generation(buffer, index);
        final int payloadOffset = index + FrameRing.HEADER_LENGTH;
        final int payloadLength = length - FrameRing.HEADER_LENGTH;
        switch (type)
        {
            case FrameRing.TEXT ->
            {
                if (recordGeneration != generation)
                {
                    onConnected(recordGeneration, receiveTimeNs);
                }
                textFrames++;
                sync.onLine(buffer, payloadOffset, payloadLength, receiveTimeNs);
            }
            case FrameRing.BINARY ->
            {
                if (recordGeneration != generation)
                {
                    onConnected(recordGeneration, receiveTimeNs);
                }
                binaryFrames++;
                if (binaryHandler != null)
                {
                    binaryHandler.onBinaryFrame(buffer, payloadOffset, payloadLength, receiveTimeNs);
                }
                else
                {
                    binaryFramesUnhandled++;
                }
            }
            case FrameRing.SNAPSHOT ->
            {
                snapshotInFlight = false;
                final int usedWeight = FrameRing.aux(buffer, index);
                if (usedWeight >= 0)
                {
                    budget.onVenueReport(usedWeight, System.currentTimeMillis());
                }
                if (recordGeneration != generation || !connected)
                {
                    // fetched for a connection that has since gone: it may predate the hole, so never use it
                    snapshotsDiscarded++;
                    return;
                }
                snapshotsReceived++;
                sync.onLine(buffer, payloadOffset, payloadLength, receiveTimeNs);
            }
            case FrameRing.SNAPSHOT_FAILED ->
            {
                snapshotInFlight = false;
                snapshotFailures++;
                nextSnapshotAtMs = System.currentTimeMillis() + snapshotRetryMs;
            }
            case FrameRing.CONNECTED -> onConnected(recordGeneration, receiveTimeNs);
            case FrameRing.DISCONNECTED ->
            {
                if (recordGeneration == generation && connected)
                {
                    connected = false;
                    connectionLosses++;
                    sync.onDisconnect(receiveTimeNs);
                }
            }
            case FrameRing.FRAMES_LOST ->
            {
                // the stream has a hole of unknown size: discard the book as on a disconnect, resync by snapshot
                frameLossEvents++;
                sync.onDisconnect(receiveTimeNs);
            }
            default ->
            {
            }
        }
    }

    private void onConnected(final int newGeneration, final long receiveTimeNs)
    {
        if (newGeneration == generation)
        {
            return;
        }
        if (connected)
        {
            // the previous connection's end was not seen (cannot happen with ordered events, but be safe)
            connectionLosses++;
            sync.onDisconnect(receiveTimeNs);
        }
        generation = newGeneration;
        connected = true;
    }

    /**
     * Binance's procedure: open the stream, buffer diffs, then fetch the snapshot. So a request waits for a
     * diff buffered since the previous request, for the retry delay, and for weight in this minute's budget.
     */
    private int requestSnapshotIfNeeded(final long nowMs)
    {
        if (snapshotInFlight)
        {
            if (nowMs - snapshotRequestedAtMs < snapshotDeadlineMs)
            {
                return 0;
            }
            snapshotInFlight = false;
            snapshotsLost++;
        }
        if (!connected || !sync.needsSnapshot() || nowMs < nextSnapshotAtMs ||
            sync.diffsBuffered() == diffsBufferedAtRequest || sync.diffsBuffered() == 0)
        {
            return 0;
        }
        if (!budget.tryAcquire(snapshotWeight, nowMs))
        {
            nextSnapshotAtMs = nowMs + Math.max(snapshotRetryMs, Math.min(budget.msUntilReset(nowMs), 1_000));
            return 0;
        }
        snapshotRequests++;
        snapshotInFlight = true;
        snapshotRequestedAtMs = nowMs;
        nextSnapshotAtMs = nowMs + snapshotRetryMs;
        diffsBufferedAtRequest = sync.diffsBuffered();
        rest.request(instrument.symbol(), snapshotLimit, generation);
        return 1;
    }

    private void updateCounters()
    {
        publisher.updateCounters();
        final BinanceWebSocketClient client = this.client;
        connectionState.setRelease(client.state().code());
        connects.setRelease(client.connects());
        disconnects.setRelease(client.disconnects());
        connectFailures.setRelease(client.failedAttempts());
        authFailures.setRelease(client.authFailures());
        circuitOpens.setRelease(client.circuitOpens());
        livenessTimeouts.setRelease(client.livenessTimeouts());
        framesReceived.setRelease(client.framesReceived());
        framesLost.setRelease(client.framesLost());
        snapshotRequestsCounter.setRelease(snapshotRequests);
        snapshotsRefusedCounter.setRelease(budget.refused());
        snapshotFailuresCounter.setRelease(snapshotFailures);
        restWeightUsed.setRelease(budget.used());
        resyncs.setRelease(sync.resyncs());
    }

    /** A live feed never ends by itself. */
    public boolean isDone()
    {
        return false;
    }

    public void onClose()
    {
        CloseHelper.quietCloseAll(client, rest);
        connectionState.setRelease(client.state().code());
    }

    public BookSync sync()
    {
        return sync;
    }

    public BinanceWebSocketClient client()
    {
        return client;
    }

    public DepthSnapshotClient rest()
    {
        return rest;
    }

    public RestWeightBudget budget()
    {
        return budget;
    }

    public MarketDataPublisher publisher()
    {
        return publisher;
    }

    public long textFrames()
    {
        return textFrames;
    }

    public long binaryFrames()
    {
        return binaryFrames;
    }

    public long binaryFramesUnhandled()
    {
        return binaryFramesUnhandled;
    }

    public long snapshotRequests()
    {
        return snapshotRequests;
    }

    public long snapshotsReceived()
    {
        return snapshotsReceived;
    }

    /** Snapshots that arrived for a connection that had already ended. */
    public long snapshotsDiscarded()
    {
        return snapshotsDiscarded;
    }

    public long snapshotFailures()
    {
        return snapshotFailures;
    }

    /** Requests whose result never arrived before the deadline. */
    public long snapshotsLost()
    {
        return snapshotsLost;
    }

    /** FRAMES_LOST records: times the ring overflowed and the book had to resync. */
    public long frameLossEvents()
    {
        return frameLossEvents;
    }

    /** Connection losses passed to the book. */
    public long connectionLosses()
    {
        return connectionLosses;
    }

    @Override
    public String toString()
    {
        return "BinanceLiveFeedAgent{" + instrument.symbol() + ", " + client + ", state=" + sync.state() +
            ", snapshots=" + snapshotsReceived + "/" + snapshotRequests + '}';
    }
}
