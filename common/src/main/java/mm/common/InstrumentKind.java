package mm.common;

/**
 * What kind of contract an instrument is: it decides how the risk guard values and charges it (Zerodha's
 * charges differ for options, futures and cash equity; a perpetual is marked at its venue mark price).
 * Quantities are always in units of the underlying (a NIFTY option lot of 65 is a quantity of 65), so no
 * contract multiplier is needed: notional is price times quantity for every kind.
 */
public enum InstrumentKind
{
    /** Cash: crypto spot, or cash equity. */
    SPOT,
    /** A futures contract without expiry (Binance USD-M and COIN-M perpetuals). */
    PERPETUAL,
    /** A dated futures contract (Kite NFO FUT). */
    FUTURE,
    /** An option; its price is the premium (Kite NFO CE/PE). */
    OPTION;

    /** The kind an instrument of {@code venue} has unless configured: perpetual on Binance futures, else spot. */
    public static InstrumentKind defaultFor(final Venue venue)
    {
        return venue == Venue.BINANCE_USDM || venue == Venue.BINANCE_COINM ? PERPETUAL : SPOT;
    }
}
