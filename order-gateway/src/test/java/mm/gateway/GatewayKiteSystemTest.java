package mm.gateway;

import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.common.net.ApiKey;
import mm.common.testing.Counters;
import mm.common.testing.Drive;
import mm.gateway.kite.FakeKiteOrderServer;
import mm.gateway.kite.KiteOrderEntryContext;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.OrderActionType;
import mm.sbe.Side;
import mm.sbe.VenueRejectReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static mm.gateway.GatewayBinanceSystemTest.assertAction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway end to end against the fake Kite Connect server on 127.0.0.1 (REST, ticker order messages):
 * approved quotes in on Aeron, orders out over HTTP, execution reports back on Aeron. Place and fill, a
 * cancel-replace (a cancel, then the place once Kite confirms it), a 429 the gateway waits out, and a ticker drop
 * during which an order filled: the reconcile's GET /orders (the whole day) brings the fill, once.
 */
class GatewayKiteSystemTest
{
    // throwaway test credentials
    private static final String API_KEY = "testkey123";
    private static final String ACCESS_TOKEN = "testtoken456";
    private static final String API_SECRET = "testsecret789";
    private static final Instrument SBIN = new Instrument(7, Venue.KITE, "NSE:SBIN", -2, 0, 5, 1, 0);
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000_000L * MS;

    @Test
    void placeFillCancelReplaceATooManyRequestsAndAFillMadeWhileTheTickerWasDown() throws Exception
    {
        try (GatewayStreams io = new GatewayStreams(SBIN.id());
            FakeKiteOrderServer venue = new FakeKiteOrderServer(API_KEY, ACCESS_TOKEN, API_SECRET))
        {
            final KiteOrderEntryContext session = new KiteOrderEntryContext()
                .restUrl(venue.restUri())
                .tickerUrl(venue.tickerUri())
                .credentials(ApiKey.of(API_KEY, "test"), ApiKey.of(ACCESS_TOKEN, "test"), ApiKey.of(API_SECRET, "test"))
                .conclude();
            final GatewayAgent gateway = new GatewayAgent(new GatewayContext().registry(registry())
                .venue(GatewayContext.VenueKind.KITE).kite(session).postOnly(false).lockstep(false),
                io.aeron, io.streams, false);
            try
            {
                io.book(T0, 46_995, 47_105);
                io.quote(T0 + MS, 47_000, 5, 47_100, 5);
                Drive.until(() -> io.count(ExecType.NEW) == 2, gateway);
                assertAction(io.actions().get(0), OrderActionType.NEW, 1, 0, Side.BUY, 47_000, 5);
                assertAction(io.actions().get(1), OrderActionType.NEW, 2, 0, Side.SELL, 47_100, 5);
                assertTrue(venue.requests().stream().anyMatch(r -> r.startsWith("POST") && r.contains("tag=mm1")));
                venue.fill(venue.orderIdOfTag("mm1"), "5", "470.00");
                Drive.until(() -> io.count(ExecType.TRADE) == 1, gateway);
                final ExecutionReportDecoder fill = io.executions(ExecType.TRADE).get(0);
                assertEquals(1, fill.clOrdId());
                assertEquals(5, fill.lastQty());
                assertEquals(47_000, fill.lastPrice());
                assertEquals(0, fill.leavesQty());

                // the ask moves: a cancel, then the place once Kite confirms the cancel
                io.quote(T0 + 2 * MS, 0, 0, 47_110, 5);
                Drive.until(() -> io.has(ExecType.NEW, 3) && io.has(ExecType.CANCELED, 2), gateway);
                assertAction(io.actions().get(2), OrderActionType.REPLACE, 3, 2, Side.SELL, 47_110, 5);
                assertEquals(List.of(venue.orderIdOfTag("mm3")), venue.openOrderIds());

                // 429 on a new bid: rejected; the same bid again waits for Retry-After, then goes
                venue.failNext(1, 429, "NetworkException", "Too many requests", 1);
                final long refusedAtMs = System.currentTimeMillis();
                io.quote(T0 + 3 * MS, 46_900, 5, 47_110, 5);
                Drive.until(() -> io.has(ExecType.REJECTED, 4), gateway);
                assertEquals(VenueRejectReason.RATE_LIMIT, io.executions(ExecType.REJECTED).get(0).rejectReason());
                io.quote(T0 + 4 * MS, 46_900, 5, 47_110, 5);
                Drive.until(() -> io.has(ExecType.NEW, 5), gateway);
                assertTrue(System.currentTimeMillis() - refusedAtMs >= 900, "held until Retry-After (1 s)");
                assertTrue(Counters.value(io.aeron, "gateway: requests throttled") > 0);

                // the ticker drops while the bid fills: its update is lost; the reconcile's GET /orders has it
                venue.dropUpdates(true);
                venue.fill(venue.orderIdOfTag("mm5"), "5", "469.00");
                venue.disconnectTickers();
                venue.dropUpdates(false);
                Drive.until(() -> io.count(ExecType.TRADE) == 2, gateway);
                Drive.until(() -> Counters.value(io.aeron, "gateway: reconciles") == 2, gateway);
                Drive.rounds(200, gateway);
                final ExecutionReportDecoder missed = io.executions(ExecType.TRADE).get(1);
                assertEquals(5, missed.clOrdId());
                assertEquals(5, missed.lastQty());
                assertEquals(46_900, missed.lastPrice());
                assertEquals(0, missed.leavesQty());
                assertEquals(2, io.count(ExecType.TRADE), "once: " + io.describe(5));
                assertEquals(0, io.count(ExecType.EXPIRED));
                assertEquals(List.of(venue.orderIdOfTag("mm3")), venue.openOrderIds(), "the ask rests, kept");
                assertEquals(5, io.actions().size(), "nothing placed or cancelled again after the reconcile");
            }
            finally
            {
                gateway.orderEntry().close();
            }
        }
    }

    @Test
    void aKiteGatewayRefusesPostOnlyQuotesItCannotSendAsTheyAre()
    {
        final Config config = new Config(Map.of(
            "gateway.venue", "kite",
            "kite.order.apiKeyEnv", "MM_TEST_KITE_KEY",
            "kite.order.accessTokenEnv", "MM_TEST_KITE_TOKEN"), "test");
        final ConfigException refused = assertThrows(ConfigException.class, () -> GatewayContext.fromConfig(config, registry()));
        assertTrue(refused.getMessage().contains("gateway.postOnly"), refused.getMessage());
    }

    private static InstrumentRegistry registry()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.add(SBIN);
        return registry;
    }
}
