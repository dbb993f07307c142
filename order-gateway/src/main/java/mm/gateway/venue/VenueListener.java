package mm.gateway.venue;

import mm.sbe.Side;
import mm.sbe.VenueRejectReason;

/**
 * Normalised events from a venue adapter, called on the thread that calls {@link OrderEntry#doWork(long)}.
 * Each order transition is reported once even when the venue says it twice (a request's response and the
 * execution report of the same change). Prices and quantities are mantissas at the instrument's exponents;
 * {@code timeNs} is the receive time of the bytes that carried the event. Shaped like
 * {@code SimVenue.Listener} so the simulated venue can implement it too.
 */
public interface VenueListener
{
    /** The order session is logged in and subscribed to its order updates: orders may be sent. */
    void onSessionUp(long timeNs);

    /**
     * The order session ended. Requests in flight have an unknown outcome until the next reconcile.
     *
     * @param reconnecting whether the adapter will connect again by itself.
     */
    void onSessionDown(long timeNs, boolean reconnecting);

    /** The venue accepted a new order. */
    void onAck(long clOrdId, long venueOrderId, long timeNs);

    /**
     * A request failed. For {@link VenueRequest#PLACE} the order is gone; for CANCEL and AMEND the order is
     * unchanged; for CANCEL_REPLACE the event is about the half named by {@code clOrdId}.
     *
     * @param venueCode the venue's own code (Binance error code, Kite HTTP status), 0 if none.
     */
    void onRejected(long clOrdId, VenueRequest request, VenueRejectReason reason, int venueCode, long timeNs);

    /** The order is out of the book (cancelled or expired) with {@code leavesQty} unfilled. */
    void onCanceled(long clOrdId, long leavesQty, long timeNs);

    /**
     * A fill.
     *
     * @param tradeId the venue's trade id, 0 when the venue gives none (Kite order updates).
     * @param fee fee at the instrument's money exponent in the quote currency, rounded up; 0 when charged in a
     *            third asset (counted by the adapter).
     */
    void onFill(
        long clOrdId, long tradeId, long lastPrice, long lastQty, long leavesQty, long cumQty, long fee,
        boolean isMaker, long timeNs);

    /** An amend took effect: the order now has {@code price} and total quantity {@code qty}. */
    void onAmended(long clOrdId, long price, long qty, long leavesQty, long timeNs);

    /**
     * One order's state: an open order of a reconcile snapshot (after {@link OrderEntry#requestOpenOrders}), or
     * the answer to {@link OrderEntry#requestOrderStatus} (any status). Quantities and the fee are cumulative
     * over the order's whole life, so the receiver books only what it has not seen (a fill is never counted
     * twice).
     *
     * @param clOrdId our id, or {@link OrderEntry#FOREIGN_ORDER} when the venue's client id is not one of ours.
     * @param qty     the order's total quantity (after amends).
     * @param cumQty  filled so far.
     * @param cumFee  fees of all its fills so far, at the instrument's money exponent in the quote currency, rounded
     *                up per fill as {@link #onFill} reports them; where the venue's answer carries no commission the
     *                adapter estimates it from its configured rate; -1 when nothing is known (booked as 0).
     */
    void onOrderStatus(
        int instrumentId, long clOrdId, long venueOrderId, Side side, long price, long qty, long cumQty, long cumFee,
        OrderStatus status, long timeNs);

    /** The snapshot asked for by {@link OrderEntry#requestOpenOrders} is complete ({@code count} orders). */
    void onOpenOrdersEnd(int instrumentId, int count, long timeNs);

    /** The venue reported how much of a limit is used in its current window. */
    void onRateLimitUsage(LimitKind kind, long intervalNs, long used, long limit, long timeNs);

    /** The venue said stop (HTTP 429 or 418): no request is sent before {@code untilNs}. */
    void onBackOff(int httpStatus, long untilNs, long timeNs);
}
