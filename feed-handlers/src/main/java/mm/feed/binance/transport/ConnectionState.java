package mm.feed.binance.transport;

/**
 * Where a {@link BinanceWebSocketClient} is in its connection life cycle. The code is what the
 * connection-state counter shows out of process.
 */
public enum ConnectionState
{
    /** Not started yet. */
    IDLE(0),
    /** TCP connect, TLS and the WebSocket upgrade are in progress. */
    CONNECTING(1),
    /** Upgraded: frames flow. */
    CONNECTED(2),
    /** Waiting (backoff with jitter) before the next attempt. */
    BACKOFF(3),
    /** Too many consecutive failures: no attempt until the cool-down has passed (then one half-open trial). */
    CIRCUIT_OPEN(4),
    /** The venue refused the key (HTTP 401/403 on the upgrade): no retry loop until restarted by an operator. */
    AUTH_FAILED(5),
    /** Closed by its owner. */
    CLOSED(6);

    private final int code;

    ConnectionState(final int code)
    {
        this.code = code;
    }

    /** Stable numeric code, for counters. */
    public int code()
    {
        return code;
    }
}
