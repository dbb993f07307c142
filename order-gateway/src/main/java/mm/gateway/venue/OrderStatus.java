package mm.gateway.venue;

/** A venue's order state normalised: open-order snapshots of a reconcile, and answers to one order's status query. */
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
    PENDING,
    /** The venue does not know the order (a status query's answer): it never reached the venue, or is forgotten. */
    NOT_FOUND;

    /** Whether the order is out of the book for good (or was never in it). */
    public boolean isFinal()
    {
        return this == FILLED || this == CANCELED || this == REJECTED || this == EXPIRED || this == NOT_FOUND;
    }
}
