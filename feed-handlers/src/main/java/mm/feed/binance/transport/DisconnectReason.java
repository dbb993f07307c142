package mm.feed.binance.transport;

/**
 * Why a connection ended (or frames were lost), as recorded in the {@link ConnectionLedger}. Planned reasons
 * reconnect at once; the others go through backoff and the circuit breaker.
 */
public enum DisconnectReason
{
    /** The venue closed the connection (close frame or TCP close). */
    REMOTE_CLOSE(false),
    /** An I/O or protocol error on the connection. */
    ERROR(false),
    /** No frame (data, ping or pong) for the liveness timeout. */
    LIVENESS_TIMEOUT(false),
    /** The venue announced a restart ({@code serverShutdown} event): reconnect early. */
    SERVER_SHUTDOWN(true),
    /** Proactive rotation before the venue's connection lifetime limit (24 h on Binance). */
    LIFETIME_ROTATION(true),
    /** Asked for by the owner (operations, tests). */
    REQUESTED(true),
    /** The frame ring was full and frames were dropped: the connection stays, the book must resync. */
    RING_FULL(true),
    /** The owner closed the client. */
    CLOSED(true);

    private final boolean planned;

    DisconnectReason(final boolean planned)
    {
        this.planned = planned;
    }

    /** Planned reasons reconnect without backoff and do not count as failures. */
    public boolean planned()
    {
        return planned;
    }
}
