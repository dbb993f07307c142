/**
 * Venue transport for Binance market data: the Netty WebSocket client (reconnect, backoff with jitter,
 * circuit breaker, liveness, lifetime rotation, inbound-rate limit, API key header), the REST snapshot client
 * with request-weight accounting, and the ring buffer that hands frames from the I/O threads to the feed agent.
 */
package mm.feed.binance.transport;
