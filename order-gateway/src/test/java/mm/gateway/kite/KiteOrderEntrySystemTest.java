package mm.gateway.kite;

import mm.common.Instrument;
import mm.common.Venue;
import mm.common.net.ApiKey;
import mm.gateway.venue.RecordingVenueListener;
import mm.gateway.venue.SubmitResult;
import mm.sbe.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static mm.gateway.venue.RecordingVenueListener.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kite adapter against the fake Kite order server on 127.0.0.1 (REST, ticker order messages, postbacks). */
class KiteOrderEntrySystemTest
{
    // throwaway test credentials
    private static final String API_KEY = "testkey123";
    private static final String ACCESS_TOKEN = "testtoken456";
    private static final String API_SECRET = "testsecret789";
    private static final Instrument SBIN = new Instrument(7, Venue.KITE, "NSE:SBIN", -2, 0, 5, 1, 0);

    private final RecordingVenueListener listener = new RecordingVenueListener();
    private FakeKiteOrderServer venue;
    private KiteOrderEntry entry;

    @AfterEach
    void close()
    {
        if (entry != null)
        {
            entry.close();
        }
        if (venue != null)
        {
            venue.close();
        }
    }

    @Test
    void placeThenFillByTickerOrderMessages() throws Exception
    {
        start(true, false);
        assertEquals(SubmitResult.SENT, entry.place(now(), SBIN, 11, Side.BUY, 47_005, 10, false));
        awaitEvent("ack 11");
        final String orderId = venue.orderIdOfTag("mm11");
        venue.fill(orderId, "4", "470.05");
        awaitEvent("fill 11 4@47005 leaves=6 cum=4 fee=0 maker=true trade=0");
        venue.fill(orderId, "6", "470.00");
        awaitEvent("fill 11 6@47000 leaves=0 cum=10 fee=0 maker=true trade=0");
        assertEquals(0, entry.openOrders());
        assertTrue(venue.requests().getFirst().contains("tradingsymbol=SBIN&exchange=NSE&transaction_type=BUY&order_type=LIMIT" +
            "&quantity=10&price=470.05&product=MIS&validity=DAY&tag=mm11"));
    }

    @Test
    void placeThenCancelAndPartialFillThenCancelTheRest() throws Exception
    {
        start(true, false);
        entry.place(now(), SBIN, 21, Side.SELL, 47_100, 5, false);
        awaitEvent("ack 21");
        assertEquals(SubmitResult.SENT, entry.cancel(now(), SBIN, 21));
        awaitEvent("canceled 21 leaves=5");

        entry.place(now(), SBIN, 22, Side.SELL, 47_100, 5, false);
        awaitEvent("ack 22");
        venue.fill(venue.orderIdOfTag("mm22"), "2", "471.00");
        awaitEvent("fill 22 2@47100 leaves=3 cum=2 fee=0 maker=true trade=0");
        entry.cancel(now(), SBIN, 22);
        awaitEvent("canceled 22 leaves=3");
        assertEquals(List.of(), venue.openOrderIds());
    }

    @Test
    void rejectsByTheOmsAndByTheRmsAndPostOnlyIsRefusedLocally() throws Exception
    {
        start(true, false);
        assertEquals(SubmitResult.INVALID, entry.place(now(), SBIN, 30, Side.BUY, 47_000, 1, true), "Kite has no post-only");
        venue.failNext(1, 400, "InputException", "Invalid `price`.", 0);
        entry.place(now(), SBIN, 31, Side.BUY, 47_000, 1, false);
        awaitEvent("rejected 31 PLACE INVALID_ORDER 400");
        venue.rmsRejectNext();
        entry.place(now(), SBIN, 32, Side.BUY, 47_000, 1, false);
        awaitEvent("rejected 32 PLACE INSUFFICIENT_FUNDS 0");
        assertEquals(0, entry.openOrders());
        venue.failNext(1, 503, "NetworkException", "OMS unreachable.", 0);
        entry.place(now(), SBIN, 33, Side.BUY, 47_000, 1, false);
        awaitEvent("rejected 33 PLACE UNKNOWN_STATE 503");
    }

    @Test
    void modifyUpToTheCapThenCancelReplace() throws Exception
    {
        start(true, false);
        entry.place(now(), SBIN, 41, Side.BUY, 47_000, 10, false);
        awaitEvent("ack 41");
        assertEquals(SubmitResult.SENT, entry.amend(now(), SBIN, 41, 47_005, 12));
        awaitEvent("amended 41 12@47005 leaves=12");
        for (int i = 2; i <= KiteLimits.MAX_MODIFICATIONS_PER_ORDER; i++)
        {
            final int n = i;
            await(entry, KiteOrderEntrySystemTest::now,
                () -> entry.amend(now(), SBIN, 41, 47_000 + 5 * n, 12) == SubmitResult.SENT, "modification " + i);
            awaitEvent("amended 41 12@" + (47_000 + 5 * n) + " leaves=12");
        }
        assertEquals(SubmitResult.MODIFY_LIMIT, entry.amend(now(), SBIN, 41, 47_000, 12));
        await(entry, KiteOrderEntrySystemTest::now,
            () -> entry.cancelReplace(now(), SBIN, 41, 42, Side.BUY, 47_000, 12, false) == SubmitResult.SENT, "cancel-replace");
        awaitEvent("canceled 41 leaves=12");
        awaitEvent("ack 42");
        assertFalse(venue.requests().stream().anyMatch(r -> r.contains("Maximum")));
    }

    @Test
    void aCancelReplaceWhoseCancelFailsPlacesNothingSoTheLevelNeverHoldsTwoOrders() throws Exception
    {
        start(true, false);
        entry.place(now(), SBIN, 51, Side.BUY, 47_000, 5, false);
        awaitEvent("ack 51");
        venue.failNext(1, 400, "OrderException", "Order cannot be cancelled.", 0);
        assertEquals(SubmitResult.SENT, entry.cancelReplace(now(), SBIN, 51, 52, Side.BUY, 47_010, 5, false));
        awaitEvent("rejected 51 CANCEL INVALID_ORDER 400");
        awaitEvent("rejected 52 PLACE INVALID_ORDER 400");
        assertTrue(venue.requests().stream().noneMatch(r -> r.contains("tag=mm52")), "the new half never went");
        assertEquals(1, venue.openOrderIds().size());
        assertEquals(1, entry.openOrders());
        // and when the cancel succeeds, the new half goes after Kite confirms it
        assertEquals(SubmitResult.SENT, entry.cancelReplace(now(), SBIN, 51, 53, Side.BUY, 47_010, 5, false));
        awaitEvent("canceled 51 leaves=5");
        awaitEvent("ack 53");
        assertEquals(List.of(venue.orderIdOfTag("mm53")), venue.openOrderIds());
    }

    @Test
    void rapidPlaceAndCancelAtTenPerSecondStaysWithinKitesLimits() throws Exception
    {
        start(true, false);
        int sent = 0;
        final long start = System.nanoTime();
        for (int i = 0; i < 20; i++)
        {
            while (System.nanoTime() - start < i * 100_000_000L)
            {
                entry.doWork(now());
            }
            final long clOrdId = 100 + i;
            if (entry.place(now(), SBIN, clOrdId, Side.BUY, 46_000, 1, false) == SubmitResult.SENT)
            {
                sent++;
                awaitEvent("ack " + clOrdId);
                await(entry, KiteOrderEntrySystemTest::now,
                    () -> entry.cancel(now(), SBIN, clOrdId) == SubmitResult.SENT, "cancel " + clOrdId);
            }
        }
        final int expected = sent;
        await(entry, KiteOrderEntrySystemTest::now, () -> listener.count("canceled") == expected, "all cancels");
        assertEquals(0, listener.backOffs);
        assertEquals(0, listener.count("rejected"));
        // 10 requests a second less 20 % headroom is 8: four place+cancel pairs a second
        assertTrue(sent >= 5, "sent " + sent);
    }

    @Test
    void tooManyRequestsBacksOffForRetryAfter() throws Exception
    {
        start(true, false);
        venue.failNext(1, 429, "NetworkException", "Too many requests", 2);
        entry.place(now(), SBIN, 51, Side.BUY, 47_000, 1, false);
        awaitEvent("rejected 51 PLACE RATE_LIMIT 429");
        assertTrue(listener.has("backoff 429"));
        assertEquals(SubmitResult.THROTTLED, entry.place(now(), SBIN, 52, Side.BUY, 47_000, 1, false));
        assertTrue(listener.backOffUntilNs >= now() + 1_500_000_000L, "Retry-After: 2 s");
    }

    @Test
    void postbacksWithAValidChecksumAreAppliedAndForgedOnesRefused() throws Exception
    {
        start(false, true);
        entry.place(now(), SBIN, 61, Side.BUY, 47_000, 3, false);
        awaitEvent("ack 61");
        venue.fill(venue.orderIdOfTag("mm61"), "3", "470.00");
        awaitEvent("fill 61 3@47000 leaves=0 cum=3 fee=0 maker=true trade=0");
        assertTrue(entry.postbacks().accepted() >= 1, "the fill came by postback");

        final String forged = new String(Files.readAllBytes(mocks().resolve("postback.json")), StandardCharsets.UTF_8);
        final HttpResponse<Void> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + entry.postbackPort() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(forged)).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(403, response.statusCode(), "the mock's checksum was made with another secret");
        assertEquals(1, entry.postbacks().refused());
    }

    @Test
    void tickerReconnectThenReconcileAdoptsOursAndReportsForeign() throws Exception
    {
        start(true, false);
        entry.place(now(), SBIN, 71, Side.BUY, 47_000, 4, false);
        awaitEvent("ack 71");
        final String foreign = venue.addForeignOrder("NSE", "SBIN", "SELL", "475.5", "2");
        venue.disconnectTickers();
        await(entry, KiteOrderEntrySystemTest::now, () -> listener.sessionUps == 2, "ticker back");
        assertTrue(listener.has("down reconnecting=true"));
        assertEquals(SubmitResult.SENT, entry.requestOpenOrders(now(), SBIN));
        awaitEvent("open orders 2");
        assertTrue(listener.has("status 71 BUY 4@47000 cum=0 fee=-1 NEW"));
        assertTrue(listener.has("status -1 SELL 2@47550 cum=0 fee=-1 NEW"));
        assertEquals(SubmitResult.SENT, entry.cancelByVenueId(now(), SBIN, Long.parseLong(foreign)));
        await(entry, KiteOrderEntrySystemTest::now, () -> !venue.openOrderIds().contains(foreign), "foreign cancelled");
        assertTrue(venue.requests().stream().noneMatch(r -> r.contains(ACCESS_TOKEN)), "the token travels in a header only");
    }

    @Test
    void aStatusQueryAndTheDaysOrderListBothTellFillsTheUpdatesLost() throws Exception
    {
        start(true, false);
        entry.place(now(), SBIN, 81, Side.BUY, 47_000, 4, false);
        entry.place(now(), SBIN, 82, Side.SELL, 47_100, 3, false);
        awaitEvent("ack 81");
        awaitEvent("ack 82");
        venue.dropUpdates(true); // as while the ticker is down
        venue.fill(venue.orderIdOfTag("mm81"), "4", "470.00");
        venue.fill(venue.orderIdOfTag("mm82"), "1", "471.00");
        venue.dropUpdates(false);
        assertEquals(SubmitResult.SENT, entry.requestOrderStatus(now(), SBIN, 81));
        // the last entry of the order's history: cumulative, no charges in Kite's answers (fee unknown)
        awaitEvent("status 81 BUY 4@47000 cum=4 fee=-1 FILLED");
        assertEquals(0, listener.count("fill 81"), "a status answer is not a fill report: the receiver books the difference");
        assertTrue(venue.requests().stream().anyMatch(r -> r.startsWith("GET /orders/" + venue.orderIdOfTag("mm81"))));
        // the reconcile's GET /orders lists the day's orders, the partly filled one with its fill
        entry.requestOpenOrders(now(), SBIN);
        awaitEvent("open orders 1");
        assertTrue(listener.has("fill 82 1@47100 leaves=2 cum=1 fee=0 maker=true trade=0"));
        assertTrue(listener.has("status 82 SELL 3@47100 cum=1 fee=-1 PARTIALLY_FILLED"));
        assertEquals(1, entry.openOrders());
        assertEquals(SubmitResult.UNKNOWN_ORDER, entry.requestOrderStatus(now(), SBIN, 89), "no venue id to look up");
    }

    @Test
    void theTickersOrderMessageFromKitesMocksDecodes() throws Exception
    {
        start(false, false);
        // the official postback mock is the order message's data: an order of another app here, so unknown
        final byte[] data = Files.readAllBytes(mocks().resolve("postback.json"));
        final byte[] message = ("{\"type\":\"order\",\"id\":\"\",\"data\":" + new String(data, StandardCharsets.UTF_8) + "}")
            .getBytes(StandardCharsets.UTF_8);
        entry.onTickerText(new UnsafeBuffer(message), 0, message.length, now());
        assertEquals(0, entry.malformed());
        assertEquals(1, entry.unknownUpdates());
    }

    private void start(final boolean ticker, final boolean postbacks) throws Exception
    {
        venue = new FakeKiteOrderServer(API_KEY, ACCESS_TOKEN, API_SECRET);
        final KiteOrderEntryContext context = new KiteOrderEntryContext()
            .restUrl(venue.restUri())
            .tickerUrl(ticker ? venue.tickerUri() : null)
            .postbackPort(postbacks ? -1 : 0)
            .credentials(ApiKey.of(API_KEY, "test"), ApiKey.of(ACCESS_TOKEN, "test"), ApiKey.of(API_SECRET, "test"))
            .conclude();
        entry = new KiteOrderEntry(context, List.of(SBIN), listener);
        if (postbacks)
        {
            venue.postbackUrl(URI.create("http://127.0.0.1:" + entry.postbackPort() + "/postback"));
        }
        entry.connect(now());
        await(entry, KiteOrderEntrySystemTest::now, entry::isSessionUp, "session up");
        if (ticker)
        {
            await(entry, KiteOrderEntrySystemTest::now, () -> venue.tickerClients() == 1, "ticker client");
        }
    }

    private void awaitEvent(final String event)
    {
        await(entry, KiteOrderEntrySystemTest::now, () -> listener.has(event), event + " in " + listener.events);
    }

    private static Path mocks()
    {
        final String root = System.getProperty("mm.repo.root");
        final Path shared = root != null && Files.isDirectory(Path.of(root).resolve("../shared")) ?
            Path.of(root).resolve("../shared").normalize() : Path.of("/work/shared");
        return shared.resolve("reference/kite/samples/mocks");
    }

    private static long now()
    {
        return System.currentTimeMillis() * 1_000_000L;
    }
}
