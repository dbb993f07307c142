package mm.gateway.venue;

/** A venue's order state normalised, for the open-order snapshot of a reconcile. */
public enum OrderStatus
{
    /** Accepted, resting, nothing filled. */
    NEW,
    PARTIALLY_FILLED,
    FILLED,
    CANCELED,
    REJECTED,
    EXPIRED,
    /** Sent and not yet confirmed (Kite: OPEN PENDING, VALIDATION PENDING, ...). */
    PENDING
}
