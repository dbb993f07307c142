/** Live Kite Connect feed: normalised publishing of decoded ticks on MARKET_DATA, market hours, and the live agent. */
package mm.feed.kite.live;
