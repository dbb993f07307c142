/**
 * Zerodha Kite Connect order entry: REST place / modify / cancel / orders with the documented headers, order
 * updates from the ticker's text messages and from postbacks (checksum verified), Kite's limits, and a fake
 * Kite order server for system tests. Protocol notes: docs/protocols/kite-orders.md.
 */
package mm.gateway.kite;
