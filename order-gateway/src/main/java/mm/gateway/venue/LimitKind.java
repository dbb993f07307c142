package mm.gateway.venue;

/** What a venue limit counts. */
public enum LimitKind
{
    /** Binance REQUEST_WEIGHT (per IP). */
    REQUEST_WEIGHT,
    /** New orders (Binance ORDERS is the unfilled-order count, per account; Kite counts placements). */
    ORDERS,
    /** Binance RAW_REQUESTS; Kite's per-second request limit on every endpoint. */
    RAW_REQUESTS
}
