package mm.gateway.binance;

import mm.common.Instrument;
import mm.common.Venue;
import mm.common.net.ApiKey;
import mm.gateway.venue.RecordingVenueListener;
import mm.gateway.venue.SubmitResult;
import mm.sbe.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;

import static mm.gateway.venue.RecordingVenueListener.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Binance adapter against the fake WebSocket API on 127.0.0.1: real sockets, real signatures, the documented
 * answer shapes. Each test drives {@code doWork} with the wall clock (request timestamps are epoch ms).
 */
class BinanceOrderEntrySystemTest
{
    // Binance's published demo key pair (signing_vectors.json): public test values, not anyone's account
    private static final String API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private static final String SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    private static final Instrument BTCUSDT = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -5, 1, 1, 500);

    private final RecordingVenueListener listener = new RecordingVenueListener();
    private FakeBinanceWsApi venue;
    private BinanceOrderEntry entry;

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
    void placeThenFillWithAnHmacKey()
    {
        startHmac();
        assertEquals(SubmitResult.SENT, entry.place(now(), BTCUSDT, 11, Side.BUY, 6_000_000, 150_000, true));
        awaitEvent("ack 11");
        venue.fill("mm11", "1.50000000", "60000.00000000", true, "0.09000000", "USDT");
        awaitEvent("fill 11 150000@6000000 leaves=0 cum=150000 fee=900000 maker=true trade=5000");
        assertEquals(0, entry.openOrders());
        assertTrue(venue.badSignatures() == 0);
        assertTrue(listener.usageReports > 0, "every response reports the rate-limit usage");
        // every request but exchangeInfo was signed
        assertTrue(venue.requests().stream().filter(r -> r.contains("order.place")).allMatch(r -> r.contains("\"signature\":")));
    }

    @Test
    void placeThenCancelWithAnEd25519SessionSendsNoPerRequestSignature() throws Exception
    {
        final KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        venue = new FakeBinanceWsApi(API_KEY, null, pair.getPublic()).start(0);
        start(BinanceSigner.ed25519(pair.getPrivate(), "test key"));
        assertEquals(List.of("session.logon", "userDataStream.subscribe", "exchangeInfo"), venue.methods());
        assertEquals(SubmitResult.SENT, entry.place(now(), BTCUSDT, 21, Side.SELL, 6_100_000, 100_000, true));
        awaitEvent("ack 21");
        assertEquals(SubmitResult.SENT, entry.cancel(now(), BTCUSDT, 21));
        awaitEvent("canceled 21 leaves=100000");
        assertTrue(venue.requests().stream().filter(r -> r.contains("order.")).noneMatch(r -> r.contains("signature")));
        assertEquals(List.of(), venue.openOrderIds());
    }

    @Test
    void placePartialFillThenCancelTheRest()
    {
        startHmac();
        entry.place(now(), BTCUSDT, 31, Side.BUY, 6_000_000, 200_000, true);
        awaitEvent("ack 31");
        venue.fill("mm31", "0.50000000", "60000.00000000", true, "0.00050000", "BTC");
        // commission 0.0005 BTC at 60000 = 30 USDT: 30 at the money exponent -7
        awaitEvent("fill 31 50000@6000000 leaves=150000 cum=50000 fee=300000000 maker=true trade=5000");
        entry.cancel(now(), BTCUSDT, 31);
        awaitEvent("canceled 31 leaves=150000");
        assertEquals(0, entry.openOrders());
    }

    @Test
    void postOnlyThatWouldTakeIsRejectedWithItsReason()
    {
        startHmac();
        venue.rejectPostOnly(true);
        entry.place(now(), BTCUSDT, 41, Side.BUY, 6_000_000, 100_000, true);
        awaitEvent("rejected 41 PLACE POST_ONLY_WOULD_CROSS -2010");
        assertEquals(0, entry.openOrders());
        assertEquals(SubmitResult.UNKNOWN_ORDER, entry.cancel(now(), BTCUSDT, 41));
    }

    @Test
    void cancelReplaceAndAmendKeepPriority()
    {
        startHmac();
        entry.place(now(), BTCUSDT, 51, Side.BUY, 6_000_000, 300_000, true);
        awaitEvent("ack 51");
        assertEquals(SubmitResult.INVALID, entry.amend(now(), BTCUSDT, 51, 6_000_000, 400_000), "keepPriority only reduces");
        assertEquals(SubmitResult.SENT, entry.amend(now(), BTCUSDT, 51, 6_000_000, 200_000));
        awaitEvent("amended 51 200000@6000000 leaves=200000");
        assertEquals(SubmitResult.SENT, entry.cancelReplace(now(), BTCUSDT, 51, 52, Side.BUY, 6_000_100, 200_000, true));
        awaitEvent("ack 52");
        awaitEvent("canceled 51 leaves=200000");
        assertEquals(List.of("mm52"), venue.openOrderIds());
        assertEquals(1, listener.count("amended 51"), "the response and the REPLACED report are one amend");

        // the new half fails (post-only would take) while the cancel succeeds: 409
        venue.rejectPostOnly(true);
        entry.cancelReplace(now(), BTCUSDT, 52, 53, Side.BUY, 6_000_200, 200_000, true);
        awaitEvent("rejected 53 PLACE POST_ONLY_WOULD_CROSS -2010");
        awaitEvent("canceled 52 leaves=200000");
        // the cancel fails (unknown order): STOP_ON_FAILURE places nothing
        venue.rejectPostOnly(false);
        entry.place(now(), BTCUSDT, 54, Side.BUY, 6_000_000, 100_000, true);
        awaitEvent("ack 54");
        venue.fill("mm54", "1.00000000", "60000.00000000", true, "0", "USDT");
        awaitEvent("fill 54 100000@6000000 leaves=0 cum=100000 fee=0 maker=true trade=5000");
        assertEquals(SubmitResult.UNKNOWN_ORDER, entry.cancelReplace(now(), BTCUSDT, 54, 55, Side.BUY, 6_000_000, 1, true));
    }

    @Test
    void rapidPlaceAndCancelAtTenPerSecondStaysWithinTheBudget()
    {
        startHmac();
        int sent = 0;
        int throttled = 0;
        final long start = System.nanoTime();
        for (int i = 0; i < 30; i++)
        {
            // pace at 10 a second on the wall clock
            while (System.nanoTime() - start < i * 100_000_000L)
            {
                entry.doWork(now());
            }
            final long clOrdId = 100 + i;
            final SubmitResult result = entry.place(now(), BTCUSDT, clOrdId, Side.BUY, 5_000_000, 10_000, true);
            if (result == SubmitResult.SENT)
            {
                sent++;
                awaitEvent("ack " + clOrdId);
                assertEquals(SubmitResult.SENT, entry.cancel(now(), BTCUSDT, clOrdId));
            }
            else
            {
                assertEquals(SubmitResult.THROTTLED, result);
                throttled++;
            }
        }
        final int expected = sent;
        await(entry, BinanceOrderEntrySystemTest::now, () -> listener.count("canceled") == expected, "all cancels");
        assertEquals(0, listener.backOffs, "the venue never had to say 429");
        assertEquals(0, listener.count("rejected"));
        assertEquals(30, sent + throttled);
        assertTrue(sent >= 30 * 4 / 10, "a 50-per-10-s budget with 20 % headroom still sends most: " + sent);
        assertEquals(0, entry.openOrders());
    }

    @Test
    void tooManyRequestsBacksOffUntilTheVenueSaysAndABanStopsEverything()
    {
        startHmac();
        final long retryAtMs = System.currentTimeMillis() + 400;
        venue.failNext(1, 429, -1015, "Too many new orders; current limit is 50 orders per 10 SECOND.", retryAtMs);
        entry.place(now(), BTCUSDT, 61, Side.BUY, 6_000_000, 100_000, true);
        awaitEvent("rejected 61 PLACE RATE_LIMIT -1015");
        assertEquals(entry.throttle().bucket(1).capacity(), entry.throttle().bucket(1).windowCount(),
            "-1015: the 10 s order window counts as full");
        assertTrue(listener.has("backoff 429"));
        assertEquals(retryAtMs * 1_000_000L, listener.backOffUntilNs);
        assertEquals(SubmitResult.THROTTLED, entry.place(now(), BTCUSDT, 62, Side.BUY, 6_000_000, 100_000, true));
        while (System.currentTimeMillis() <= retryAtMs)
        {
            entry.doWork(now());
        }
        assertTrue(entry.throttle().bucket(2).canAcquire(now(), 1), "but the day window is not blocked");

        final long banUntilMs = System.currentTimeMillis() + 120_000;
        venue.failNext(1, 418, -1003, "Way too much request weight used; IP banned until " + banUntilMs + ".", banUntilMs);
        entry.requestOpenOrders(now(), BTCUSDT);
        await(entry, BinanceOrderEntrySystemTest::now, () -> listener.has("open orders 0"), "open orders");
        // a cancel costs no order, whatever the order window says
        assertEquals(SubmitResult.SENT, entry.cancelByVenueId(now(), BTCUSDT, 999));
        awaitEvent("rejected -1 CANCEL RATE_LIMIT -1003");
        assertTrue(listener.has("backoff 418"));
        assertEquals(SubmitResult.THROTTLED, entry.place(now(), BTCUSDT, 64, Side.BUY, 6_000_000, 100_000, true));
        assertEquals(SubmitResult.THROTTLED, entry.requestOpenOrders(now(), BTCUSDT));
    }

    @Test
    void unknownOutcomeOnServerErrorAndAbadSignatureIsAnAuthFailure()
    {
        startHmac();
        venue.failNext(1, 503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.", 0);
        entry.place(now(), BTCUSDT, 71, Side.BUY, 6_000_000, 100_000, true);
        awaitEvent("rejected 71 PLACE UNKNOWN_STATE -1007");
        assertEquals(1, entry.openOrders(), "an unknown outcome stays tracked until a report or a reconcile settles it");
        venue.failNext(1, 400, -1022, "Signature for this request is not valid.", 0);
        entry.place(now(), BTCUSDT, 72, Side.BUY, 6_000_000, 100_000, true);
        awaitEvent("rejected 72 PLACE AUTH_FAILED -1022");
    }

    @Test
    void reconnectThenReconcileAdoptsOurOrdersAndReportsForeignOnes()
    {
        startHmac();
        entry.place(now(), BTCUSDT, 81, Side.BUY, 6_000_000, 100_000, true);
        awaitEvent("ack 81");
        venue.addForeignOrder("BTCUSDT", "web_7f3a", "SELL", "61000.00", "0.01000");
        venue.disconnectAll();
        await(entry, BinanceOrderEntrySystemTest::now, () -> listener.sessionDowns == 1, "session down");
        assertTrue(listener.has("down reconnecting=true"));
        assertEquals(SubmitResult.NOT_CONNECTED, entry.place(now(), BTCUSDT, 82, Side.BUY, 6_000_000, 100_000, true));
        await(entry, BinanceOrderEntrySystemTest::now, () -> listener.sessionUps == 2, "session up again");
        assertEquals(1, entry.reconnects());

        assertEquals(SubmitResult.SENT, entry.requestOpenOrders(now(), BTCUSDT));
        awaitEvent("open orders 2");
        assertTrue(listener.has("status 81 BUY 100000@6000000 cum=0 fee=0 NEW"));
        assertTrue(listener.has("status -1 SELL 1000@6100000 cum=0 fee=-1 NEW"));
        // the foreign order can be cancelled by its venue id; ours by its client id
        assertEquals(SubmitResult.SENT, entry.cancelByVenueId(now(), BTCUSDT, 1001));
        assertEquals(SubmitResult.SENT, entry.cancel(now(), BTCUSDT, 81));
        awaitEvent("canceled 81 leaves=100000");
        await(entry, BinanceOrderEntrySystemTest::now, () -> venue.openOrderIds().isEmpty(), "all cancelled");
    }

    @Test
    void aStatusQueryGivesTheFillsTheReportsLostWithTheirCommissions()
    {
        startHmac();
        entry.place(now(), BTCUSDT, 111, Side.BUY, 6_000_000, 200_000, true);
        awaitEvent("ack 111");
        venue.fill("mm111", "0.50000000", "60000.00000000", true, "0.03000000", "USDT");
        awaitEvent("fill 111 50000@6000000 leaves=150000 cum=50000 fee=300000 maker=true trade=5000");
        venue.dropExecutionReports(true); // as if the connection were down: the rest fills unseen
        venue.fill("mm111", "1.50000000", "60000.00000000", true, "0.09000000", "USDT");
        venue.dropExecutionReports(false);
        assertEquals(SubmitResult.SENT, entry.requestOrderStatus(now(), BTCUSDT, 111));
        // cumulative: both trades' commissions (0.03 + 0.09 USDT) from myTrades; the receiver books the difference
        awaitEvent("status 111 BUY 200000@6000000 cum=200000 fee=1200000 FILLED");
        assertEquals(List.of("order.status", "myTrades"), venue.methods().subList(venue.methods().size() - 2, venue.methods().size()));
        assertEquals(0, entry.openOrders(), "a final status ends the order here too");
        assertEquals(1, listener.count("fill 111"), "the status is not a second fill report");

        assertEquals(SubmitResult.SENT, entry.requestOrderStatus(now(), BTCUSDT, 999));
        awaitEvent("status 999 NULL_VAL 0@0 cum=0 fee=0 NOT_FOUND");

        entry.place(now(), BTCUSDT, 112, Side.SELL, 6_100_000, 100_000, true);
        awaitEvent("ack 112");
        entry.cancel(now(), BTCUSDT, 112);
        awaitEvent("canceled 112 leaves=100000");
        entry.requestOrderStatus(now(), BTCUSDT, 112);
        awaitEvent("status 112 SELL 100000@6100000 cum=0 fee=0 CANCELED");
        assertEquals("order.status", venue.methods().get(venue.methods().size() - 1), "nothing filled: no myTrades");
    }

    @Test
    void aSnapshotShowingFillsTheReportsLostEstimatesTheirFeeFromTheConfiguredRate()
    {
        startHmac();
        entry.place(now(), BTCUSDT, 121, Side.BUY, 6_000_000, 200_000, true);
        awaitEvent("ack 121");
        venue.dropExecutionReports(true);
        venue.fill("mm121", "0.50000000", "60000.00000000", true, "0.03000000", "USDT");
        venue.dropExecutionReports(false);
        entry.requestOpenOrders(now(), BTCUSDT);
        awaitEvent("open orders 1");
        // openOrders.status carries no commission: 0.5 BTC at 60000 = 30000 USDT, 0.1 % = 30 USDT at 10^-7
        assertTrue(listener.has("status 121 BUY 200000@6000000 cum=50000 fee=300000000 PARTIALLY_FILLED"), listener.events.toString());
        venue.fill("mm121", "0.50000000", "60000.00000000", true, "0.03000000", "USDT");
        awaitEvent("fill 121 50000@6000000 leaves=100000 cum=100000 fee=300000 maker=true trade=5001");
        assertEquals(0, listener.count("fill 121 50000@6000000 leaves=150000"), "the snapshot's fill is not reported again");
    }

    @Test
    void expiryIsReportedAsCanceledAndSecretsStayOutOfText()
    {
        startHmac();
        entry.place(now(), BTCUSDT, 91, Side.SELL, 6_100_000, 100_000, false);
        awaitEvent("ack 91");
        venue.expire("mm91");
        awaitEvent("canceled 91 leaves=100000");
        assertFalse(entry.toString().contains(SECRET));
        assertFalse(entry.toString().contains(API_KEY));
        assertTrue(venue.requests().stream().noneMatch(r -> r.contains(SECRET)));
        assertTrue(venue.requests().stream().anyMatch(r -> r.contains("\"timeInForce\":\"GTC\"") && r.contains("\"type\":\"LIMIT\"")));
    }

    private void startHmac()
    {
        venue = new FakeBinanceWsApi(API_KEY, SECRET, null).start(0);
        start(BinanceSigner.hmac(SECRET, "test secret"));
        assertEquals(List.of("userDataStream.subscribe.signature", "exchangeInfo"), venue.methods());
    }

    private void start(final BinanceSigner signer)
    {
        final BinanceOrderEntryContext context = new BinanceOrderEntryContext()
            .wsUrl(venue.uri())
            .keys(ApiKey.of(API_KEY, "test"), signer)
            .backoff(1, 50)
            .conclude();
        entry = new BinanceOrderEntry(context, List.of(BTCUSDT), List.of("USDT"), listener);
        entry.connect(now());
        await(entry, BinanceOrderEntrySystemTest::now, entry::isSessionUp, "session up");
        assertEquals(4, entry.throttle().bucketCount(), "the limits came from exchangeInfo");
    }

    private void awaitEvent(final String event)
    {
        await(entry, BinanceOrderEntrySystemTest::now, () -> listener.has(event), event + " in " + listener.events);
    }

    private static long now()
    {
        return System.currentTimeMillis() * 1_000_000L;
    }
}
