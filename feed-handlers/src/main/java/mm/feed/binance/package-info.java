/**
 * Binance JSON market data: reading hftbacktest recordings, zero-allocation JSON decoding, the documented
 * local order book procedure (snapshot + diff stream, spot and futures rules, gap detection and resync),
 * with the bookTicker stream as an independent correctness oracle.
 */
package mm.feed.binance;
