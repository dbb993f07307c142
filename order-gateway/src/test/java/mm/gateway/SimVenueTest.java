package mm.gateway;

import mm.common.testing.TestInstruments;
import mm.gateway.venue.OrderStatus;
import mm.gateway.venue.RecordingVenueListener;
import mm.gateway.venue.SubmitResult;
import mm.gateway.venue.VenueThrottle;
import mm.sbe.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated venue's queue position, by hand: a resting order joins the back of its level, trades at the level
 * consume the queue ahead and then fill it, and level-size decreases no trade explains move it up by their share of
 * the level ({@code proportional}) or not at all ({@code conservative}). Exact queue sizes and fill quantities.
 * BTCUSDT: price 5_999_800 is 59998.00, quantities at 10^-5.
 */
class SimVenueTest
{
    private static final int BTC = TestInstruments.BTCUSDT.id();
    private static final long BID = 5_999_800;
    private static final long ASK = 6_001_000;
    private static final long T = 1_000_000_000L;

    private final RecordingVenueListener listener = new RecordingVenueListener();
    private long tradeId;

    private SimVenue venue(final SimVenue.QueueModel model)
    {
        final SimVenue venue = new SimVenue(List.of(TestInstruments.BTCUSDT), 1000, 0, 0, model, true,
            new VenueThrottle(SimVenue.DEFAULT_LIMITS, 0)).listener(listener);
        venue.connect(T);
        venue.doWork(T);
        assertTrue(venue.isSessionUp());
        return venue;
    }

    /** A buy of {@code qty} at the bid, resting behind the displayed {@code displayed}. */
    private static void restBid(final SimVenue venue, final long clOrdId, final long displayed, final long qty)
    {
        venue.onBook(BTC, BID, displayed, ASK, 100);
        assertEquals(SubmitResult.SENT, venue.place(T, TestInstruments.BTCUSDT, clOrdId, Side.BUY, BID, qty, true));
        venue.doWork(T);
    }

    private void trade(final SimVenue venue, final long price, final long qty)
    {
        venue.onTrade(BTC, ++tradeId, price, qty, T);
        venue.doWork(T);
    }

    @Test
    void joinsTheBackOfItsLevelThenTradesAtTheLevelMoveItUpAndFillIt()
    {
        for (final SimVenue.QueueModel model : SimVenue.QueueModel.values())
        {
            listener.events.clear();
            tradeId = 0;
            final SimVenue venue = venue(model);
            restBid(venue, 1, 500, 100);
            assertTrue(listener.has("ack 1"));
            assertEquals(500, venue.queueAhead(1), model + ": behind everything displayed at its price");
            trade(venue, BID, 300);
            assertEquals(200, venue.queueAhead(1), model + ": a trade at the level takes from the front");
            assertEquals(0, listener.count("fill"));
            trade(venue, BID, 250);
            assertEquals(0, venue.queueAhead(1));
            assertTrue(listener.has("fill 1 50@5999800 leaves=50 cum=50 fee=299990 maker=true trade=2"),
                model + ": what the trade has left after the queue ahead fills it: " + listener.events);
            trade(venue, BID, 80);
            assertTrue(listener.has("fill 1 50@5999800 leaves=0 cum=100 fee=299990 maker=true trade=3"), model + "");
            assertEquals(-1, venue.queueAhead(1), "filled: no longer resting");
            assertEquals(0, venue.restingCount());
        }
    }

    @Test
    void proportionalMovesUpByTheShareOfTheLevelThatWasCancelled()
    {
        final SimVenue venue = venue(SimVenue.QueueModel.PROPORTIONAL);
        restBid(venue, 1, 500, 100);
        venue.onBook(BTC, BID, 800, ASK, 100); // 300 join behind us
        assertEquals(500, venue.queueAhead(1));
        venue.onBook(BTC, BID, 600, ASK, 100); // 200 of 800 cancelled: 500 / 800 of them were ahead of us
        assertEquals(375, venue.queueAhead(1), "500 - 200 * 500 / 800");
        trade(venue, BID, 100);                // traded, not cancelled ...
        assertEquals(275, venue.queueAhead(1));
        venue.onBook(BTC, BID, 500, ASK, 100); // ... so the level's 100 decrease that follows moves nothing
        assertEquals(275, venue.queueAhead(1));
        trade(venue, BID, 300);
        assertTrue(listener.has("fill 1 25@5999800 leaves=75 cum=25 fee=149995 maker=true trade=2"), listener.events.toString());
        assertEquals(0, venue.queueAhead(1));
        venue.onBook(BTC, BID, 100, ASK, 100); // nothing is ahead any more: a decrease cannot move it further
        assertEquals(0, venue.queueAhead(1));
    }

    @Test
    void proportionalNeverLeavesMoreAheadThanTheLevelShows()
    {
        final SimVenue venue = venue(SimVenue.QueueModel.PROPORTIONAL);
        restBid(venue, 1, 500, 100);
        venue.onBook(BTC, BID, 100, ASK, 100); // 400 of 500 gone: 400 * 500 / 500 move us up, 100 left ahead
        assertEquals(100, venue.queueAhead(1));
        trade(venue, BID, 150);
        assertTrue(listener.has("fill 1 50@5999800 leaves=50 cum=50 fee=299990 maker=true trade=1"), listener.events.toString());
    }

    @Test
    void conservativeNeverMovesOnLevelDecreases()
    {
        final SimVenue venue = venue(SimVenue.QueueModel.CONSERVATIVE);
        restBid(venue, 1, 500, 100);
        venue.onBook(BTC, BID, 800, ASK, 100);
        venue.onBook(BTC, BID, 600, ASK, 100);
        assertEquals(500, venue.queueAhead(1), "cancellations might all have been behind us");
        venue.onBook(BTC, BID, 100, ASK, 100);
        assertEquals(500, venue.queueAhead(1));
        trade(venue, BID, 100);
        assertEquals(400, venue.queueAhead(1), "only trades at the level move it");
        trade(venue, BID, 300);
        assertEquals(100, venue.queueAhead(1));
        assertEquals(0, listener.count("fill"));
        trade(venue, BID, 150);
        assertTrue(listener.has("fill 1 50@5999800 leaves=50 cum=50 fee=299990 maker=true trade=3"), listener.events.toString());
    }

    @Test
    void aTradeThroughItsPriceFillsItUpToTheTradesSizeWhateverTheQueue()
    {
        for (final SimVenue.QueueModel model : SimVenue.QueueModel.values())
        {
            listener.events.clear();
            final SimVenue venue = venue(model);
            restBid(venue, 1, 500, 100);
            trade(venue, BID - 100, 60); // a sell at 59997.00, below our bid: it went through us
            assertTrue(listener.has("fill 1 60@5999800 leaves=40 cum=60 fee=359988 maker=true trade=" + tradeId),
                model + ": " + listener.events);
            assertEquals(500, venue.queueAhead(1), "the queue at our level is untouched");
        }
    }

    @Test
    void twoOrdersAtOneLevelShareATradeOldestFirst()
    {
        final SimVenue venue = venue(SimVenue.QueueModel.CONSERVATIVE);
        restBid(venue, 1, 0, 100);   // first at an empty level: nothing ahead
        restBid(venue, 2, 100, 100); // joins behind the displayed 100 (our first order is not in public data)
        trade(venue, BID, 150);
        assertTrue(listener.has("fill 1 100@5999800 leaves=0 cum=100 fee=599980 maker=true trade=1"), listener.events.toString());
        assertEquals(0, listener.count("fill 2"), "the 50 left went to the queue ahead of the second");
        assertEquals(50, venue.queueAhead(2));
    }

    @Test
    void aStatusQueryTellsAFilledOrderFromACancelledOneAndFromOneItNeverHad()
    {
        final SimVenue venue = venue(SimVenue.QueueModel.CONSERVATIVE);
        restBid(venue, 1, 0, 100);
        venue.place(T, TestInstruments.BTCUSDT, 2, Side.SELL, ASK, 100, true);
        venue.doWork(T);
        trade(venue, BID, 30);
        trade(venue, BID - 100, 1000);
        venue.cancel(T, TestInstruments.BTCUSDT, 2);
        venue.doWork(T);
        for (final long clOrdId : new long[]{1, 2, 3})
        {
            assertEquals(SubmitResult.SENT, venue.requestOrderStatus(T, TestInstruments.BTCUSDT, clOrdId));
        }
        venue.doWork(T);
        // cumulative, with the fees of every fill (30 and 70 at 59998.00: 0.0179994 + 0.0419986 USDT)
        assertTrue(listener.has("status 1 BUY 100@5999800 cum=100 fee=599980 " + OrderStatus.FILLED), listener.events.toString());
        assertTrue(listener.has("status 2 SELL 100@6001000 cum=0 fee=0 " + OrderStatus.CANCELED));
        assertTrue(listener.has("status 3 NULL_VAL 0@0 cum=0 fee=0 " + OrderStatus.NOT_FOUND));
    }
}
