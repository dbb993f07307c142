package mm.feed.binance.venue;

import mm.feed.binance.BinanceJsonDecoder;
import mm.feed.binance.sbe.SbeRecording;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Streams a JSON recording as Binance SBE market data: each trade, bookTicker and spot depth diff is encoded
 * with the official {@code stream_1_0.xml} encoders into a binary frame, the way Binance's SBE streams send
 * them (no JSON envelope: the symbol is in the message). Events with no SBE equivalent (REST snapshots,
 * futures diffs) keep their JSON, so the venue's book and snapshots stay those of the recording.
 */
public final class SbeFrameSource implements VenueFrameSource
{
    private final VenueFrameSource json;
    private final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
    private final SbeRecording.Encoder encoder;
    private final ExpandableDirectByteBuffer frame = new ExpandableDirectByteBuffer(4096);
    private int frameLength;

    /**
     * @param priceExponent exponent of every SBE price mantissa, e.g. -8 as Binance sends for spot BTCUSDT;
     *                      likewise {@code qtyExponent}.
     */
    public SbeFrameSource(final VenueFrameSource json, final int priceExponent, final int qtyExponent)
    {
        this.json = json;
        this.encoder = new SbeRecording.Encoder(priceExponent, qtyExponent);
    }

    public boolean next()
    {
        if (!json.next())
        {
            return false;
        }
        frameLength = 0;
        if (!json.isSnapshot())
        {
            decoder.decode(json.jsonBuffer(), json.jsonOffset(), json.jsonLength());
            frameLength = encoder.encode(decoder, frame, 0);
        }
        return true;
    }

    public long recordedTimeNs()
    {
        return json.recordedTimeNs();
    }

    public boolean isSnapshot()
    {
        return json.isSnapshot();
    }

    public DirectBuffer jsonBuffer()
    {
        return json.jsonBuffer();
    }

    public int jsonOffset()
    {
        return json.jsonOffset();
    }

    public int jsonLength()
    {
        return json.jsonLength();
    }

    public String streamName()
    {
        return json.streamName();
    }

    public boolean isBinary()
    {
        return frameLength > 0 || json.isBinary();
    }

    public DirectBuffer frameBuffer()
    {
        return frameLength > 0 ? frame : json.frameBuffer();
    }

    public int frameOffset()
    {
        return frameLength > 0 ? 0 : json.frameOffset();
    }

    public int frameLength()
    {
        return frameLength > 0 ? frameLength : json.frameLength();
    }

    public int rawFrameOffset()
    {
        return frameLength > 0 ? 0 : json.rawFrameOffset();
    }

    public int rawFrameLength()
    {
        return frameLength > 0 ? frameLength : json.rawFrameLength();
    }

    public void close()
    {
        json.close();
    }
}
