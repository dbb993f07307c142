/** Kite Connect ticker WebSocket client: credentials, connection states, reconnects; frames go to a FrameRing. */
package mm.feed.kite.transport;
