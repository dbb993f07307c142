package mm.feed.binance.venue;

import mm.feed.binance.BinanceJsonDecoder;
import mm.feed.binance.OrderBook;
import mm.feed.binance.live.LiveTestSupport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static mm.feed.binance.live.LiveTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake venue seen from outside, with the JDK's own HTTP and WebSocket clients (so that what is checked is
 * the venue, not our client): REST snapshots as Binance serves them, raw and combined streams, commands,
 * the inbound limit, and faults that repeat with the same seed.
 */
class FakeBinanceVenueTest
{
    private static final String FIRST_SNAPSHOT_ID = "50093239218";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            closeables.get(i).close();
        }
        http.close();
    }

    private FakeBinanceVenue venue(final FakeBinanceVenue.Options options)
    {
        final FakeBinanceVenue venue = FakeBinanceVenue.start(options);
        closeables.add(venue);
        return venue;
    }

    private HttpResponse<String> get(final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** Collects text frames of one JDK WebSocket. */
    private static final class Frames implements WebSocket.Listener
    {
        // iterated by the test while the WebSocket thread appends: a snapshot-iterating list
        final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
        final StringBuilder partial = new StringBuilder();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile int closeCode;

        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        public CompletionStage<?> onClose(final WebSocket socket, final int statusCode, final String reason)
        {
            closeCode = statusCode;
            closed.countDown();
            return null;
        }

        public void onError(final WebSocket socket, final Throwable error)
        {
            closed.countDown();
        }
    }

    private WebSocket connect(final String url, final Frames frames)
    {
        final WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(url), frames).join();
        closeables.add(() -> socket.abort());
        return socket;
    }

    @Test
    void beforeAnyStreamTheRecordingsOwnSnapshotIsServedWithItsWeight() throws Exception
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions());
        final HttpResponse<String> response = get(venue.restBaseUrl() + "/api/v3/depth?symbol=BTCUSDT&limit=1000");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("{\"lastUpdateId\":" + FIRST_SNAPSHOT_ID), response.body().substring(0, 40));
        assertEquals("50", response.headers().firstValue("x-mbx-used-weight-1m").orElseThrow());
        final HttpResponse<String> second = get(venue.restBaseUrl() + "/api/v3/depth?symbol=BTCUSDT&limit=5000");
        assertTrue(Integer.parseInt(second.headers().firstValue("x-mbx-used-weight-1m").orElseThrow()) >= 300);

        assertEquals(400, get(venue.restBaseUrl() + "/api/v3/depth").statusCode());
        assertEquals(404, get(venue.restBaseUrl() + "/api/v3/ticker").statusCode());
    }

    @Test
    void snapshotIsTheVenuesBookAtTheLastDiffStreamed() throws Exception
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions());
        final Frames frames = new Frames();
        connect(venue.wsBaseUrl() + "/stream?streams=btcusdt@depth@100ms", frames);
        await("the recording streamed", 20_000, venue::finished);
        final HttpResponse<String> response = get(venue.restBaseUrl() + "/api/v3/depth?symbol=BTCUSDT&limit=5");
        final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
        final byte[] body = response.body().getBytes(StandardCharsets.US_ASCII);
        assertEquals(BinanceJsonDecoder.SNAPSHOT, decoder.decode(new UnsafeBuffer(body), 0, body.length));
        assertEquals(5, decoder.bids().count());
        assertEquals(5, decoder.asks().count());

        // the same book, rebuilt from the frames the client received (the venue has sent them all, the client may
        // still be reading the last ones)
        final String lastId = "\"u\":" + decoder.lastUpdateId() + ",";
        await("the last diff received", 10_000, () -> !frames.texts.isEmpty() && frames.texts.get(frames.texts.size() - 1).contains(lastId));
        final OrderBook expected = rebuild(frames.texts, decoder.lastUpdateId());
        final UnsafeBuffer buffer = new UnsafeBuffer(body);
        for (int i = 0; i < 5; i++)
        {
            assertEquals(expected.price(OrderBook.BID, i),
                mm.common.Decimals.parse(buffer, decoder.bids().priceOffset(i), decoder.bids().priceLength(i), -8));
            assertEquals(expected.qty(OrderBook.ASK, i),
                mm.common.Decimals.parse(buffer, decoder.asks().qtyOffset(i), decoder.asks().qtyLength(i), -8));
        }
        assertEquals(400, get(venue.restBaseUrl() + "/api/v3/depth?symbol=ETHUSDT").statusCode(), "not this venue's symbol");
        final String last = frames.texts.get(frames.texts.size() - 1);
        assertTrue(last.contains("\"u\":" + decoder.lastUpdateId() + ","), "the snapshot id is the last diff's u");
    }

    /** Replays the recording's snapshot and the received diffs up to {@code lastUpdateId}. */
    private static OrderBook rebuild(final List<String> diffs, final long lastUpdateId)
    {
        final mm.feed.binance.BookSync sync = new mm.feed.binance.BookSync(
            new mm.feed.binance.BookSyncListener()
            {
                public void onBook(final OrderBook book, final long f, final long l, final long e, final long r)
                {
                }

                public void onTrade(final long t, final long p, final long q, final boolean m, final long e, final long r)
                {
                }

                public void onFeedState(final mm.sbe.FeedState s, final long l, final long r)
                {
                }
            }, -8, -8);
        try (mm.feed.binance.RecordingReader reader = new mm.feed.binance.RecordingReader(LiveTestSupport.spot0808()))
        {
            while (reader.next())
            {
                if (reader.buffer().getByte(reader.jsonOffset() + 2) == 'l') // the snapshot line
                {
                    sync.onLine(reader.buffer(), reader.jsonOffset(), reader.jsonLength(), reader.receiveTimeNs());
                    break;
                }
            }
        }
        for (final String diff : diffs)
        {
            final byte[] bytes = diff.getBytes(StandardCharsets.US_ASCII);
            sync.onLine(new UnsafeBuffer(bytes), 0, bytes.length, 0);
            if (sync.isSynced() && sync.lastUpdateId() >= lastUpdateId)
            {
                break;
            }
        }
        assertEquals(lastUpdateId, sync.lastUpdateId());
        return sync.book();
    }

    @Test
    void rawStreamsCarryTheBareEventAndCommandsAreAnswered() throws Exception
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions().speed(1));
        final Frames frames = new Frames();
        final WebSocket socket = connect(venue.wsBaseUrl() + "/ws/btcusdt@trade", frames);
        await("a trade", 10_000, () -> !frames.texts.isEmpty());
        assertTrue(frames.texts.get(0).startsWith("{\"e\":\"trade\""), frames.texts.get(0));
        socket.sendText("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@bookTicker\"],\"id\":7}", true).join();
        socket.sendText("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":\"x1\"}", true).join();
        await("replies", 5_000, () -> frames.texts.contains("{\"result\":null,\"id\":7}") &&
            frames.texts.contains("{\"result\":[\"btcusdt@trade\",\"btcusdt@bookTicker\"],\"id\":\"x1\"}"));
        await("a bookTicker", 5_000, () -> frames.texts.stream().anyMatch(t -> t.startsWith("{\"u\":")));
        assertEquals(2, venue.commandsReceived());
    }

    @Test
    void moreThanFiveMessagesASecondCloseTheConnection() throws Exception
    {
        final FakeBinanceVenue venue = venue(LiveTestSupport.venueOptions().speed(1));
        final Frames frames = new Frames();
        final WebSocket socket = connect(venue.wsBaseUrl() + "/stream?streams=btcusdt@trade", frames);
        for (int i = 0; i < 7 && !socket.isOutputClosed(); i++)
        {
            socket.sendPing(ByteBuffer.wrap(new byte[]{(byte)i})).get(5, TimeUnit.SECONDS);
        }
        assertTrue(frames.closed.await(5, TimeUnit.SECONDS), "closed by the venue");
        assertEquals(1008, frames.closeCode);
        assertEquals(1, venue.rateLimitCloses());
    }

    @Test
    void sameSeedSameFaultsOnTheSameFrames() throws Exception
    {
        final List<String> first = streamWithFaults(5);
        final List<String> second = streamWithFaults(5);
        final List<String> other = streamWithFaults(6);
        assertEquals(first, second, "same seed, same frames");
        assertNotEquals(first, other);
        assertTrue(first.stream().anyMatch(t -> t.contains("#")), "corrupted frames");
        assertTrue(first.stream().anyMatch(t -> !t.endsWith("}")), "truncated frames");
    }

    private List<String> streamWithFaults(final long seed) throws Exception
    {
        final FakeBinanceVenue venue = FakeBinanceVenue.start(LiveTestSupport.venueOptions().seed(seed)
            .faults("drop:0.05,duplicate:0.05,reorder:0.05,truncate:0.05,corrupt:0.05"));
        try
        {
            final Frames frames = new Frames();
            final WebSocket socket = connect(venue.wsBaseUrl() + "/stream?streams=btcusdt@depth@100ms", frames);
            await("the recording streamed", 20_000, () -> venue.finished() && frames.texts.size() == venue.framesSent());
            socket.abort();
            assertTrue(venue.faults().injected(Fault.DROP) > 50);
            assertFalse(venue.faults().injected(Fault.STALL) > 0);
            return new ArrayList<>(frames.texts);
        }
        finally
        {
            venue.close();
        }
    }

    @Test
    void depthDiffStreamsAreRecognised()
    {
        assertTrue(FakeBinanceVenue.isDepthDiff("btcusdt@depth"));
        assertTrue(FakeBinanceVenue.isDepthDiff("btcusdt@depth@100ms"));
        assertTrue(FakeBinanceVenue.isDepthDiff("btcusdt@depth@0ms"));
        assertFalse(FakeBinanceVenue.isDepthDiff("btcusdt@depth20@100ms"));
        assertFalse(FakeBinanceVenue.isDepthDiff("btcusdt@bookTicker"));
        assertFalse(FakeBinanceVenue.isDepthDiff(null));
    }

    @Test
    void faultSpecsParse()
    {
        final FaultInjector injector = FaultInjector.parse("drop:0.5, stale-snapshot ,STALL:1", 1);
        assertEquals(1, injector.pending(), "stale-snapshot once");
        assertEquals(Fault.STALE_SNAPSHOT, injector.onSnapshot());
        assertEquals(null, injector.onSnapshot());
        assertEquals(Fault.STALL, injector.onFrame(0, false), "stall at every frame");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FaultInjector.parse("explode", 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FaultInjector.parse("drop:2", 1));
    }
}
