/**
 * Zerodha Kite Connect v3 market data: the binary WebSocket tick decoder (every packet mode, segment price
 * scales, counted handling of malformed framing), routing of the JSON text messages (order postbacks,
 * errors, broker messages), the instruments CSV loader, and the {@code inspect kite} command's engine.
 * Protocol facts and the choices made where the official clients disagree: {@code docs/protocols/kite.md}.
 */
package mm.feed.kite;
