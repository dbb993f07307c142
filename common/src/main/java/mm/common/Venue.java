package mm.common;

/** Venues the engine knows; the venue decides the book-sync rule and the order-entry adapter. */
public enum Venue
{
    BINANCE_SPOT,
    BINANCE_USDM,
    BINANCE_COINM,
    KITE,
    SIM
}
