package mm.gateway.venue;

/** Which kind of request a venue answered; tells a rejected cancel from a rejected order. */
public enum VenueRequest
{
    PLACE,
    CANCEL,
    CANCEL_REPLACE,
    AMEND,
    OPEN_ORDERS,
    /** One order's status query (after a reconcile did not find it open). */
    ORDER_STATUS,
    SESSION
}
