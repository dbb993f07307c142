package mm.feed.binance.venue;

import org.agrona.DirectBuffer;

/**
 * What the {@link FakeBinanceVenue} streams: recorded market events in order, each with the JSON the venue
 * keeps its own book from (so its REST snapshots agree with its stream) and the frame that goes on the wire,
 * text or binary. {@link RecordingFrameSource} streams the recorded JSON as text frames; an SBE source can wrap
 * it and return the same events encoded as binary frames.
 * <p>
 * Buffers are valid until the next {@link #next()}. Used by the venue's event-loop thread only.
 */
public interface VenueFrameSource extends AutoCloseable
{
    /** Advances to the next event; false when the recording is exhausted. */
    boolean next();

    /** When the event was recorded (epoch ns): the venue paces by it. */
    long recordedTimeNs();

    /** The event is a REST depth snapshot: it seeds the venue's book and is served over REST, never streamed. */
    boolean isSnapshot();

    /** The event as Binance JSON (combined-stream envelope or a bare snapshot body). */
    DirectBuffer jsonBuffer();

    int jsonOffset();

    int jsonLength();

    /** The stream the event belongs to, e.g. {@code btcusdt@depth@100ms}; null for snapshots. */
    String streamName();

    /** True when {@link #frameBuffer()} holds a binary (SBE) frame, false for a text (JSON) frame. */
    boolean isBinary();

    /** The frame for a combined-stream connection ({@code /stream?streams=}). */
    DirectBuffer frameBuffer();

    int frameOffset();

    int frameLength();

    /** Offset in {@link #frameBuffer()} of the frame for a raw connection ({@code /ws/<stream>}): no envelope. */
    int rawFrameOffset();

    int rawFrameLength();

    @Override
    void close();
}
