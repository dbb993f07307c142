/**
 * The live Binance feed: an agent that drains the transport's frame ring into book sync and publishes
 * normalised market data, fetching REST snapshots whenever the book needs one.
 */
package mm.feed.binance.live;
