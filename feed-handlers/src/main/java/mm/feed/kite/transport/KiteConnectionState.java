package mm.feed.kite.transport;

/** Where a {@link KiteWebSocketClient} is in its life cycle; the code is what the state counter shows. */
public enum KiteConnectionState
{
    /** Not started yet. */
    IDLE(0),
    /** TCP connect, TLS and the WebSocket upgrade are in progress. */
    CONNECTING(1),
    /** Upgraded: frames flow. */
    CONNECTED(2),
    /** Waiting (backoff with full jitter) before the next attempt. */
    BACKOFF(3),
    /** Too many consecutive failures: no attempt until the cool-down has passed. */
    CIRCUIT_OPEN(4),
    /**
     * Kite refused the upgrade with HTTP 403: the daily access token expired (or the key is wrong). No retry
     * loop: a new token from the login flow is needed, then {@link KiteWebSocketClient#restart}.
     */
    TOKEN_EXPIRED(5),
    /** Closed by its owner. */
    CLOSED(6);

    private final int code;

    KiteConnectionState(final int code)
    {
        this.code = code;
    }

    public int code()
    {
        return code;
    }
}
