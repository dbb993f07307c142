/** A fake Kite Connect ticker server for tests and demos, and the wire writer it uses. */
package mm.feed.kite.venue;
