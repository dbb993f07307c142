/**
 * Binance Spot order entry over the WebSocket API: request signing (HMAC-SHA256 on every request, or an
 * Ed25519 {@code session.logon}), request encoding into reusable buffers, response and execution-report
 * decoding, the venue's rate limits, the {@link mm.gateway.binance.BinanceOrderEntry} adapter and a fake
 * WebSocket API server for system tests. Protocol notes: docs/protocols/binance-order-entry.md.
 */
package mm.gateway.binance;
