package mm.gateway;

import mm.common.net.ApiKey;
import mm.common.testing.Counters;
import mm.common.testing.Drive;
import mm.common.testing.TestInstruments;
import mm.gateway.binance.BinanceOrderEntryContext;
import mm.gateway.binance.BinanceSigner;
import mm.gateway.binance.FakeBinanceWsApi;
import mm.sbe.BooleanType;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.OrderActionDecoder;
import mm.sbe.OrderActionType;
import mm.sbe.Side;
import mm.sbe.VenueRejectReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway end to end against the fake Binance WebSocket API on 127.0.0.1: approved quotes in on Aeron (embedded
 * media driver), orders out over a real WebSocket with real signatures, execution reports back on Aeron. Place and
 * fill, a cancel-replace, a 429 the gateway waits out, and a dropped connection during which an order filled: the
 * reconcile finds it missing, asks the venue, and books the fill it never heard of once, with its commission.
 */
class GatewayBinanceSystemTest
{
    // Binance's published demo key pair (signing_vectors.json): public test values, not anyone's account
    private static final String API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private static final String SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    private static final long MS = 1_000_000L;
    /** Epoch second 1_700_000_000: client order ids of this session start at 1. */
    private static final long T0 = 1_700_000_000_000L * MS;

    @Test
    void placeFillCancelReplaceATooManyRequestsAndAFillMadeWhileDisconnected()
    {
        try (GatewayStreams io = new GatewayStreams(TestInstruments.BTCUSDT.id());
            FakeBinanceWsApi venue = new FakeBinanceWsApi(API_KEY, SECRET, null).start(0))
        {
            final BinanceOrderEntryContext session = new BinanceOrderEntryContext()
                .wsUrl(venue.uri())
                .keys(ApiKey.of(API_KEY, "test"), BinanceSigner.hmac(SECRET, "test secret"))
                .backoff(1, 50)
                .conclude();
            final GatewayAgent gateway = new GatewayAgent(new GatewayContext().registry(TestInstruments.registry())
                .venue(GatewayContext.VenueKind.BINANCE).binance(session).lockstep(false), io.aeron, io.streams, false);
            try
            {
                // place, then a fill
                io.book(T0, 5_999_900, 6_001_000);
                io.quote(T0 + MS, 5_999_800, 100, 6_001_100, 100);
                Drive.until(() -> io.count(ExecType.NEW) == 2, gateway);
                assertEquals(List.of("mm1", "mm2"), venue.openOrderIds());
                final List<OrderActionDecoder> placed = io.actions();
                assertAction(placed.get(0), OrderActionType.NEW, 1, 0, Side.BUY, 5_999_800, 100);
                assertAction(placed.get(1), OrderActionType.NEW, 2, 0, Side.SELL, 6_001_100, 100);
                venue.fill("mm1", "0.00100000", "59998.00000000", true, "0.05999800", "USDT");
                Drive.until(() -> io.count(ExecType.TRADE) == 1, gateway);
                final ExecutionReportDecoder fill = io.executions(ExecType.TRADE).get(0);
                assertEquals(1, fill.clOrdId());
                assertEquals(100, fill.lastQty());
                assertEquals(5_999_800, fill.lastPrice());
                assertEquals(0, fill.leavesQty());
                assertEquals(599_980, fill.fee(), "0.059998 USDT at 10^-7");
                assertEquals(BooleanType.TRUE, fill.isMaker());

                // the ask moves (the bid is wanted no more): one order.cancelReplace
                io.quote(T0 + 2 * MS, 0, 0, 6_001_200, 100);
                Drive.until(() -> io.has(ExecType.NEW, 3) && io.has(ExecType.CANCELED, 2), gateway);
                assertAction(io.actions().get(2), OrderActionType.REPLACE, 3, 2, Side.SELL, 6_001_200, 100);
                assertEquals(List.of("mm3"), venue.openOrderIds());

                // 429 (-1015) on the next move: that new half is rejected, the old order stands, and nothing goes
                // before the venue's retryAfter and the end of its 10 s order window
                final long retryAtMs = System.currentTimeMillis() + 300;
                venue.failNext(1, 429, -1015, "Too many new orders; current limit is 50 orders per 10 SECOND.", retryAtMs);
                io.quote(T0 + 3 * MS, 0, 0, 6_001_300, 100);
                Drive.until(() -> io.has(ExecType.REJECTED, 4), gateway);
                final ExecutionReportDecoder refused = io.executions(ExecType.REJECTED).get(0);
                assertEquals(VenueRejectReason.RATE_LIMIT, refused.rejectReason());
                assertEquals(List.of("mm3"), venue.openOrderIds(), "the old ask stands");
                driveUntil(() -> io.has(ExecType.NEW, 5) && io.has(ExecType.CANCELED, 3), gateway, 25_000);
                assertTrue(System.currentTimeMillis() >= retryAtMs, "not before retryAfter");
                assertTrue(Counters.value(io.aeron, "gateway: requests throttled") > 0, "held back, counted");
                assertEquals(3, venue.methods().stream().filter("order.cancelReplace"::equals).count(),
                    "nothing was sent while the venue said stop");
                assertEquals(List.of("mm5"), venue.openOrderIds());

                // a partial fill seen live; then the reports are lost, the rest fills, and the connection drops
                io.quote(T0 + 4 * MS, 5_999_700, 200, 6_001_300, 100);
                Drive.until(() -> io.has(ExecType.NEW, 6), gateway);
                venue.fill("mm6", "0.00050000", "59997.00000000", true, "0.02999850", "USDT");
                Drive.until(() -> io.count(ExecType.TRADE) == 2, gateway);
                venue.dropExecutionReports(true);
                venue.fill("mm6", "0.00150000", "59997.00000000", true, "0.08999550", "USDT");
                venue.disconnectAll();
                venue.dropExecutionReports(false);
                // reconnect, reconcile: mm5 rests; mm6 is not open, so order.status (FILLED) and myTrades (fees)
                Drive.until(() -> io.count(ExecType.TRADE) == 3, gateway);
                Drive.rounds(200, gateway);
                long position = 0;
                for (final ExecutionReportDecoder report : io.executions(ExecType.TRADE))
                {
                    position += report.clOrdId() == 6 ? report.lastQty() : 0;
                }
                assertEquals(200, position, "50 live + 150 from the venue's status: the order's size, once; " +
                    io.describe(6));
                final ExecutionReportDecoder rest = io.executions(ExecType.TRADE).get(2);
                assertEquals(6, rest.clOrdId());
                assertEquals(150, rest.lastQty());
                assertEquals(0, rest.leavesQty());
                assertEquals(200, rest.cumQty());
                assertEquals(899_955, rest.fee(), "the second trade's commission (myTrades), not 0");
                assertEquals(0, io.count(ExecType.EXPIRED), "a fill is not an expiry");
                assertTrue(venue.methods().contains("order.status") && venue.methods().contains("myTrades"));
                assertEquals(2, Counters.value(io.aeron, "gateway: reconciles"), "at the connect and the reconnect");
                assertEquals(1, Counters.value(io.aeron, "gateway: order sessions lost"));
                assertEquals(1, Counters.value(io.aeron, "gateway: order status queries"));
                assertEquals(List.of("mm5"), venue.openOrderIds(), "the ask was found resting and kept");
                assertEquals(6, io.actions().size(), "nothing placed or cancelled again after the reconnect");
            }
            finally
            {
                gateway.orderEntry().close();
            }
        }
    }

    private static void driveUntil(final BooleanSupplier condition, final GatewayAgent gateway, final long timeoutMs)
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.currentTimeMillis() < deadlineMs, "condition not reached in " + timeoutMs + " ms");
            gateway.doWork();
        }
    }

    static void assertAction(
        final OrderActionDecoder action, final OrderActionType type, final long clOrdId, final long origClOrdId,
        final Side side, final long price, final long qty)
    {
        assertEquals(type, action.action());
        assertEquals(clOrdId, action.clOrdId());
        assertEquals(origClOrdId, action.origClOrdId());
        assertEquals(side, action.side());
        assertEquals(price, action.price());
        assertEquals(qty, action.qty());
        assertEquals(BooleanType.TRUE, action.sent());
    }
}
