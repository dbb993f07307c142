/**
 * Venue-neutral order entry: the {@link mm.gateway.venue.OrderEntry} interface the gateway drives, the
 * {@link mm.gateway.venue.VenueListener} it is called back on, the deterministic token-bucket throttles, the
 * order table that turns a venue's (often duplicated) answers into one event per transition, and the
 * transport pieces the Binance and Kite adapters share.
 */
package mm.gateway.venue;
