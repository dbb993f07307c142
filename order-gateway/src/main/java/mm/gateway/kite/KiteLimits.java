package mm.gateway.kite;

import mm.gateway.venue.LimitKind;
import mm.gateway.venue.VenueLimit;

import java.util.List;

/**
 * Kite Connect's documented order limits (docs/protocols/kite-orders.md; the sources disagree on some, the
 * newest figures are used): 10 orders a second, 400 a minute, 5000 a day per account, 10 requests a second on
 * every endpoint, and 25 modifications per order (then cancel and place a new one). Kite publishes no live
 * limits, so these are the table.
 */
public final class KiteLimits
{
    public static final List<VenueLimit> DEFAULTS = List.of(
        new VenueLimit(LimitKind.ORDERS, VenueLimit.SECOND_NS, 10),
        new VenueLimit(LimitKind.ORDERS, VenueLimit.MINUTE_NS, 400),
        new VenueLimit(LimitKind.ORDERS, VenueLimit.DAY_NS, 5000),
        new VenueLimit(LimitKind.RAW_REQUESTS, VenueLimit.SECOND_NS, 10));

    /** Modifications Kite allows per order. */
    public static final int MAX_MODIFICATIONS_PER_ORDER = 25;

    private KiteLimits()
    {
    }
}
