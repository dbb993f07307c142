package mm.feed.binance.transport;

import mm.common.net.ApiKey;
import mm.feed.binance.FeedContext;
import mm.feed.binance.RecordingReader;
import mm.feed.binance.live.LiveTestSupport;
import mm.feed.binance.venue.FakeBinanceVenue;
import mm.feed.binance.venue.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static mm.feed.binance.live.LiveTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket client against the fake venue over real sockets on 127.0.0.1: every recorded frame arrives
 * in order in the ring, pings are answered and commands paced under the inbound limit, and each way a
 * connection can end (server shutdown, lifetime, liveness, refused key, refused connections) is handled as
 * specified.
 */
class BinanceWebSocketClientTest
{
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
    }

    private FakeBinanceVenue venue(final FakeBinanceVenue.Options options)
    {
        final FakeBinanceVenue venue = FakeBinanceVenue.start(options);
        closeables.add(venue);
        return venue;
    }

    private BinanceWebSocketClient client(final FeedContext context, final FrameRing ring)
    {
        final BinanceWebSocketClient client = new BinanceWebSocketClient(context, ring, new Random(42));
        closeables.add(client);
        return client;
    }

    @Test
    void everyRecordedFrameArrivesInTheRingInOrder()
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions());
        final FrameRing ring = new FrameRing(4 * 1024 * 1024);
        final RingProbe probe = new RingProbe(ring, true);
        final BinanceWebSocketClient client = client(LiveTestSupport.context(venue), ring);
        client.start();
        await("the whole recording", 30_000, () ->
        {
            probe.drain();
            return venue.finished() && probe.textFrames == venue.framesSent();
        });

        final List<String> expected = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(LiveTestSupport.spot0808()))
        {
            while (reader.next())
            {
                final byte[] json = new byte[reader.jsonLength()];
                reader.buffer().getBytes(reader.jsonOffset(), json);
                final String text = new String(json, StandardCharsets.UTF_8);
                if (text.startsWith("{\"stream\""))
                {
                    expected.add(text);
                }
            }
        }
        assertEquals(expected.size(), probe.texts.size());
        assertEquals(expected, probe.texts, "frames differ from the recording");
        assertEquals(FrameRing.CONNECTED, probe.events.get(0)[0]);
        assertEquals(0, probe.receiveTimeRegressions, "receive times go backwards");
        assertEquals(0, client.framesLost());
        assertEquals(ConnectionState.CONNECTED, client.state());
    }

    @Test
    void pingsAreAnsweredAndCommandsPacedUnderTheInboundLimit()
    {
        // pings at 10/s: answering each at once would break the 5 messages/s limit; the client stays under it
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions().speed(1).pingIntervalMs(100).pongTimeoutMs(1_000));
        final FrameRing ring = new FrameRing(4 * 1024 * 1024);
        final RingProbe probe = new RingProbe(ring, false);
        final FeedContext context = LiveTestSupport.context(venue).streams(List.of("btcusdt@trade")).livenessTimeoutMs(5_000);
        final BinanceWebSocketClient client = client(context, ring);
        client.start();
        await("connected", 5_000, () -> client.state() == ConnectionState.CONNECTED);

        final long startNs = System.nanoTime();
        final String[] names = {"btcusdt@bookTicker", "btcusdt@depth@100ms", "btcusdt@aggTrade", "ethusdt@trade",
            "ethusdt@bookTicker", "bnbusdt@trade"};
        for (final String name : names)
        {
            client.subscribe(List.of(name));
        }
        client.unsubscribe(List.of("btcusdt@aggTrade"));
        await("every command acknowledged", 10_000, () ->
        {
            probe.drain();
            return client.commandAcks() == names.length + 1;
        }, () -> client + " sent=" + client.commandsSent() + " acks=" + client.commandAcks() + " errors=" +
            client.commandErrors() + " venue received=" + venue.commandsReceived() + " rateCloses=" + venue.rateLimitCloses() +
            " pongs=" + client.pongsSent() + " connects=" + client.connects());
        final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        await("a few more pings", 5_000, () ->
        {
            probe.drain();
            return client.pongsSent() >= 8;
        });

        assertEquals(0, venue.rateLimitCloses(), "the venue closed the client for sending too much");
        assertEquals(0, venue.pongTimeoutCloses(), "the venue closed the client for not answering pings");
        assertEquals(1, client.connects(), "the connection stayed up");
        assertTrue(elapsedMs >= 500, "7 commands plus pongs cannot all go in the first second, took " + elapsedMs + " ms");
        assertEquals(0, client.commandErrors());
        final List<String> subscribed = venue.subscriptions(0);
        assertTrue(subscribed.contains("ethusdt@bookTicker") && !subscribed.contains("btcusdt@aggTrade"), subscribed.toString());
        assertTrue(venue.pongsReceived() >= 8);
        assertTrue(probe.textFrames > 0);
    }

    @Test
    void streamsChangedWhileConnectingAreSubscribedOnceUpgraded()
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions().speed(1));
        final FrameRing ring = new FrameRing(4 * 1024 * 1024);
        final RingProbe probe = new RingProbe(ring, false);
        final BinanceWebSocketClient client = client(LiveTestSupport.context(venue).streams(List.of("btcusdt@trade")), ring);
        client.start();
        client.subscribe(List.of("btcusdt@bookTicker"));
        client.unsubscribe(List.of("btcusdt@trade"));
        await("the venue has the change", 5_000, () ->
        {
            probe.drain();
            return client.state() == ConnectionState.CONNECTED && venue.sessions() == 1 &&
                venue.subscriptions(0).equals(List.of("btcusdt@bookTicker"));
        }, () -> venue.sessions() == 1 ? venue.subscriptions(0).toString() : "no session");
        client.reconnect();
        await("the next connection's URL carries it", 5_000, () ->
        {
            probe.drain();
            return client.connects() == 2 && venue.sessions() == 1 && venue.subscriptions(0).equals(List.of("btcusdt@bookTicker"));
        });
        assertEquals(DisconnectReason.REQUESTED, client.ledger().last().reason());
    }

    @Test
    void serverShutdownNoticeReconnectsAtOnce()
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions().speed(1));
        final FrameRing ring = new FrameRing(4 * 1024 * 1024);
        final RingProbe probe = new RingProbe(ring, false);
        final BinanceWebSocketClient client = client(LiveTestSupport.context(venue), ring);
        client.start();
        await("connected", 5_000, () -> client.state() == ConnectionState.CONNECTED);
        venue.sendServerShutdown();
        // generous: this checks the reaction to the notice, the 5 s reconnect requirement has its own test
        await("reconnected", 15_000, () ->
        {
            probe.drain();
            return client.connects() == 2 && client.state() == ConnectionState.CONNECTED;
        }, client::toString);
        assertEquals(1, client.serverShutdowns());
        final ConnectionLedger.Gap gap = client.ledger().last();
        assertEquals(DisconnectReason.SERVER_SHUTDOWN, gap.reason());
        assertTrue(gap.reconnectTimeNs() != ConnectionLedger.OPEN, gap.toString());
        assertEquals(1, probe.count(FrameRing.DISCONNECTED));
        assertEquals(2, probe.count(FrameRing.CONNECTED));
    }

    @Test
    void connectionIsRotatedBeforeItsLifetimeEnds()
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions().speed(1));
        final FrameRing ring = new FrameRing(4 * 1024 * 1024);
        final RingProbe probe = new RingProbe(ring, false);
        final BinanceWebSocketClient client = client(LiveTestSupport.context(venue).connectionLifetimeMs(300), ring);
        client.start();
        await("two rotations", 5_000, () ->
        {
            probe.drain();
            return client.lifetimeRotations() >= 2 && client.state() == ConnectionState.CONNECTED;
        });
        assertEquals(DisconnectReason.LIFETIME_ROTATION, client.ledger().gaps().get(0).reason());
        assertEquals(0, client.failedAttempts());
    }

    @Test
    void silentConnectionIsReplacedAfterTheLivenessTimeout()
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions().speed(1));
        venue.faults().stallMs(1_500);
        final FrameRing ring = new FrameRing(4 * 1024 * 1024);
        final RingProbe probe = new RingProbe(ring, false);
        final BinanceWebSocketClient client = client(LiveTestSupport.context(venue).livenessTimeoutMs(400), ring);
        client.start();
        await("connected", 5_000, () -> client.state() == ConnectionState.CONNECTED);
        venue.faults().once(Fault.STALL);
        await("liveness timeout and reconnect", 5_000, () ->
        {
            probe.drain();
            return client.livenessTimeouts() == 1 && client.connects() >= 2;
        });
        assertEquals(DisconnectReason.LIVENESS_TIMEOUT, client.ledger().gaps().get(0).reason());
        assertTrue(client.pingsSent() >= 1, "a probe ping went out before giving up");
    }

    @Test
    void refusedKeyStopsInAuthFailedWithoutRetrying() throws InterruptedException
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions().requiredApiKey("right-key-0123456789"));
        final FrameRing ring = new FrameRing(1024 * 1024);
        final BinanceWebSocketClient client = client(
            LiveTestSupport.context(venue).apiKey(ApiKey.of("wrong-key-0123456789", "test")), ring);
        client.start();
        await("auth failed", 5_000, () -> client.state() == ConnectionState.AUTH_FAILED);
        Thread.sleep(500); // backoff would have retried several times by now
        assertEquals(ConnectionState.AUTH_FAILED, client.state());
        assertEquals(1, client.connectAttempts(), "no retry loop after a refused key");
        assertEquals(1, client.authFailures());
        assertEquals(1, venue.upgradesRefused());
        assertTrue(client.lastFailure().contains("401"), client.lastFailure());

        final BinanceWebSocketClient good = client(
            LiveTestSupport.context(venue).apiKey(ApiKey.of("right-key-0123456789", "test")), new FrameRing(1024 * 1024));
        good.start();
        await("connected with the right key", 5_000, () -> good.state() == ConnectionState.CONNECTED);
    }

    @Test
    void circuitBreakerOpensAfterRepeatedFailuresAndTriesAgainAfterTheCoolDown() throws IOException
    {
        final int deadPort;
        try (ServerSocket socket = new ServerSocket(0))
        {
            deadPort = socket.getLocalPort(); // nothing listens there once closed
        }
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions());
        final FeedContext context = LiveTestSupport.context(venue)
            .wsUrl(URI.create("ws://127.0.0.1:" + deadPort))
            .backoffInitialMs(10).backoffMaxMs(40).circuitFailures(3).circuitCoolDownMs(400);
        final BinanceWebSocketClient client = client(context, new FrameRing(1024 * 1024));
        client.start();
        await("circuit open", 5_000, () -> client.state() == ConnectionState.CIRCUIT_OPEN);
        assertEquals(3, client.connectAttempts());
        assertEquals(1, client.circuitOpens());
        await("half-open trial fails and opens again", 5_000, () -> client.circuitOpens() == 2);
        assertEquals(4, client.connectAttempts(), "one trial per cool-down");
        assertEquals(0, client.connects());
    }

    @Test
    void tlsToAPlainServerFailsTheAttemptAndBacksOff()
    {
        // wss:// builds Netty's SslHandler; a plain HTTP server cannot complete the TLS handshake
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions());
        final FeedContext context = LiveTestSupport.context(venue)
            .wsUrl(URI.create("wss://127.0.0.1:" + venue.port())).backoffInitialMs(20).backoffMaxMs(50).circuitFailures(100);
        final BinanceWebSocketClient client = client(context, new FrameRing(1024 * 1024));
        client.start();
        await("failed TLS attempts", 10_000, () -> client.failedAttempts() >= 2, client::toString);
        assertEquals(0, client.connects());
        assertEquals(0, venue.sessionsOpened());
        assertTrue(client.state() == ConnectionState.BACKOFF || client.state() == ConnectionState.CONNECTING, client.toString());
    }

    @Test
    void aFullRingDropsFramesCountsThemAndSaysSoInOrder() throws InterruptedException
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions());
        final FrameRing ring = new FrameRing(256 * 1024);
        final RingProbe probe = new RingProbe(ring, false);
        final BinanceWebSocketClient client = client(LiveTestSupport.context(venue).livenessTimeoutMs(10_000), ring);
        client.start();
        await("frames lost while nobody drains", 10_000, () -> client.framesLost() > 0);
        await("the loss reported once there is room", 10_000, () ->
        {
            probe.drain();
            return probe.count(FrameRing.FRAMES_LOST) > 0;
        });
        final int[] lost = probe.events.stream().filter(e -> e[0] == FrameRing.FRAMES_LOST).findFirst().orElseThrow();
        assertTrue(lost[2] > 0, "the record says how many frames were lost");
        assertEquals(1, client.connects(), "the connection stays up");
        assertTrue(client.ledger().count(DisconnectReason.RING_FULL) >= 1);
        assertEquals(ConnectionState.CONNECTED, client.state());
    }
}
