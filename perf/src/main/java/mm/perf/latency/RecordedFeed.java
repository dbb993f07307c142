package mm.perf.latency;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.aeron.Streams;
import mm.feed.binance.BookSync;
import mm.feed.binance.MarketDataPublisher;
import mm.feed.binance.sbe.BinanceSbeAdapter;

/**
 * The feed handler's real path over an {@link EndlessRecording}: each {@link #sendNext} hands the next venue frame
 * to the decoder and {@link BookSync} (JSON text, or SBE through {@link BinanceSbeAdapter}) whose listener, a
 * {@link MarketDataPublisher}, publishes books, trades and feed states on MARKET_DATA. Frames are endless: the
 * prefix once, then laps with their update ids advanced. Allocation-free per frame. The recording's frames are
 * rewritten in place: one feed at a time per recording (a new feed rewinds them to lap 0).
 */
public final class RecordedFeed
{
    private final EndlessRecording recording;
    private final MarketDataPublisher publisher;
    private final BookSync sync;
    private final BinanceSbeAdapter adapter;
    private long next;

    public RecordedFeed(
        final EndlessRecording recording,
        final Instrument instrument,
        final int bookDepth,
        final Aeron aeron,
        final Streams streams,
        final String roleName)
    {
        this.recording = recording;
        recording.rewind();
        this.publisher = new MarketDataPublisher(instrument, bookDepth, aeron, streams, roleName);
        this.sync = new BookSync(publisher, instrument);
        this.adapter = new BinanceSbeAdapter(sync);
        publisher.sync(sync);
    }

    /** Decodes, syncs and publishes the next frame as received at {@code receiveTimeNs}; returns events published. */
    public long sendNext(final long receiveTimeNs)
    {
        final long sequence = next++;
        final int prefix = recording.prefixCount();
        final long eventsBefore = publisher.eventSeq();
        if (sequence < prefix)
        {
            recording.apply((int)sequence, sync, adapter, receiveTimeNs);
        }
        else
        {
            final long inLoop = sequence - prefix;
            final long lap = inLoop / recording.loopCount();
            final int index = prefix + (int)(inLoop - lap * recording.loopCount());
            recording.apply(index, sync, adapter, receiveTimeNs);
            recording.prepareNextLap(index, lap);
        }
        return publisher.eventSeq() - eventsBefore;
    }

    /** Frames sent so far. */
    public long framesSent()
    {
        return next;
    }

    public MarketDataPublisher publisher()
    {
        return publisher;
    }

    public BookSync sync()
    {
        return sync;
    }

    public BinanceSbeAdapter adapter()
    {
        return adapter;
    }
}
