package mm.gateway.venue;

import mm.common.Instrument;
import mm.sbe.Side;

/**
 * Venue-neutral order entry, driven by the gateway on its own thread: requests go out from the calls below,
 * answers come back as {@link VenueListener} callbacks from {@link #doWork(long)}. Prices and quantities are
 * mantissas at the instrument's exponents; client order ids are the gateway's {@code long}s (each adapter maps
 * them to the venue's form and back). Every method takes the caller's time: nothing here reads a clock, so the
 * throttles and request timestamps follow the time the gateway passes in.
 * <p>
 * An adapter never opens a connection by itself: {@link #connect(long)} does. Observe-only mode simply never
 * constructs one.
 */
public interface OrderEntry extends AutoCloseable
{
    /** {@link VenueListener#onOrderStatus} client id of an order this engine did not place. */
    long FOREIGN_ORDER = -1;

    /** Starts the session (connect, log on, subscribe to order updates); {@link VenueListener#onSessionUp} follows. */
    void connect(long nowNs);

    /** Whether orders may be sent now. */
    boolean isSessionUp();

    /** Polls the network and dispatches callbacks; returns the work done (for the idle strategy). */
    int doWork(long nowNs);

    /** A new limit order; post-only rests or is rejected (Binance LIMIT_MAKER). */
    SubmitResult place(
        long nowNs, Instrument instrument, long clOrdId, Side side, long price, long qty, boolean postOnly);

    /** Cancels one of our orders. */
    SubmitResult cancel(long nowNs, Instrument instrument, long clOrdId);

    /** Cancels an order the venue reported in a reconcile snapshot that is not ours (or not known any more). */
    SubmitResult cancelByVenueId(long nowNs, Instrument instrument, long venueOrderId);

    /**
     * Cancels {@code cancelClOrdId} and places {@code newClOrdId} in one request where the venue has one
     * (Binance order.cancelReplace, STOP_ON_FAILURE: no new order unless the cancel succeeded), else as two.
     * Time priority is lost.
     */
    SubmitResult cancelReplace(
        long nowNs, Instrument instrument, long cancelClOrdId, long newClOrdId, Side side, long price, long qty,
        boolean postOnly);

    /**
     * Changes a resting order in place. Binance: only a smaller quantity at the same price (keeps queue
     * priority; see {@link #canAmendPrice()}). Kite: price and quantity (modify; 25 per order).
     */
    SubmitResult amend(long nowNs, Instrument instrument, long clOrdId, long newPrice, long newQty);

    /** Whether {@link #amend} may change the price. */
    boolean canAmendPrice();

    /** Asks for every open order of the instrument (null: all) for a reconcile. */
    SubmitResult requestOpenOrders(long nowNs, Instrument instrument);

    /**
     * Asks what became of one of our orders that a reconcile did not find open (filled, cancelled or expired
     * while the session was down, or never placed). The answer is one {@link VenueListener#onOrderStatus} with
     * the order's cumulative filled quantity and fee and its final (or still open) status, {@link
     * OrderStatus#NOT_FOUND} if the venue does not know it; a failed query is an {@link VenueListener#onRejected}
     * with {@link VenueRequest#ORDER_STATUS}. {@link SubmitResult#UNKNOWN_ORDER}: this venue cannot look the order
     * up (nothing is sent).
     */
    SubmitResult requestOrderStatus(long nowNs, Instrument instrument, long clOrdId);

    /** The throttle the adapter checks before every request; the gateway reads it to plan. */
    VenueThrottle throttle();

    /** Closes the session and releases the transport. */
    @Override
    void close();
}
