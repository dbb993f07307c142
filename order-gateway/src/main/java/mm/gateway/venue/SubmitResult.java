package mm.gateway.venue;

/**
 * The immediate outcome of an {@link OrderEntry} call. Only {@link #SENT} puts a request on the wire; every
 * other value is decided locally, before anything is sent, and produces no callback.
 */
public enum SubmitResult
{
    /** Encoded and handed to the transport; the answer arrives through the {@link VenueListener}. */
    SENT,
    /** A venue limit (token bucket, or a 429/418 back-off) has no room now; try again later. */
    THROTTLED,
    /** No order session is up. */
    NOT_CONNECTED,
    /** The request is malformed for this venue (unknown instrument, bad price or quantity, unsupported amend). */
    INVALID,
    /** The order is not in this adapter's table (never placed, or already done). */
    UNKNOWN_ORDER,
    /** The venue's per-order modification cap is reached (Kite: 25); cancel and place instead. */
    MODIFY_LIMIT,
    /** The transport's outbound queue is full. */
    BACK_PRESSURED
}
