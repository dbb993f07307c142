package mm.feed.binance.live;

import org.agrona.DirectBuffer;

/**
 * Takes the WebSocket binary frames (Binance SBE market data) that the live feed drains from its ring, on the
 * agent thread. The seam for an SBE decoder; without one, binary frames are counted and skipped.
 */
@FunctionalInterface
public interface BinaryFrameHandler
{
    /** The frame is valid only during the call. */
    void onBinaryFrame(DirectBuffer buffer, int offset, int length, long receiveTimeNs);
}
