package mm.feed.binance;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import org.agrona.CloseHelper;

import java.util.function.BooleanSupplier;

/**
 * Replays a recorded Binance JSON session (hftbacktest line format) through {@link BookSync} and publishes
 * normalised market data through a {@link MarketDataPublisher}, ending with EndOfData. Paced by the
 * recorded receive times times a speed factor, or as fast as consumers take it (back-pressure holds the
 * replay; nothing is dropped). With {@code feed.recording.readAhead} the files are gunzipped on a background
 * thread (started on the first read, ended by {@link #onClose()}), so this agent's thread only splits lines.
 */
public final class BinanceRecordingFeedAgent implements BoundedAgent
{
    private static final int LINES_PER_DUTY_CYCLE = 64;

    private final double speed;
    private final BooleanSupplier startGate;
    private final MarketDataPublisher publisher;
    private final RecordingReader reader;
    private final BookSync sync;

    private boolean started;
    private boolean linePending;
    private boolean finished;
    private long startNs;
    private long firstReceiveTimeNs = Long.MIN_VALUE;
    private long lastReceiveTimeNs;

    /**
     * @param startGate true once every consumer has subscribed; nothing is published before.
     */
    public BinanceRecordingFeedAgent(
        final FeedContext context, final Aeron aeron, final Streams streams, final BooleanSupplier startGate)
    {
        this.speed = context.speed();
        this.startGate = startGate;
        this.publisher = new MarketDataPublisher(context.instrument(), context.bookDepth(), aeron, streams, roleName());
        this.reader = context.recordingReadAhead() ?
            RecordingReader.readAhead(context.files()) : new RecordingReader(context.files());
        this.sync = new BookSync(publisher, context.instrument());
        publisher.sync(sync);
    }

    public String roleName()
    {
        return "feed-binance";
    }

    public int doWork()
    {
        int work = publisher.flush();
        if (finished || !publisher.isFlushed())
        {
            return work;
        }
        if (!started)
        {
            if (!startGate.getAsBoolean())
            {
                return work;
            }
            started = true;
            startNs = System.nanoTime();
        }
        for (int i = 0; i < LINES_PER_DUTY_CYCLE && publisher.isFlushed(); i++)
        {
            if (!linePending)
            {
                if (!reader.next())
                {
                    publisher.onEndOfData(lastReceiveTimeNs);
                    finished = true;
                    break;
                }
                linePending = true;
                if (firstReceiveTimeNs == Long.MIN_VALUE)
                {
                    firstReceiveTimeNs = reader.receiveTimeNs();
                }
            }
            if (speed > 0 && System.nanoTime() - startNs < (long)((reader.receiveTimeNs() - firstReceiveTimeNs) / speed))
            {
                break; // not due yet
            }
            lastReceiveTimeNs = reader.receiveTimeNs();
            sync.onLine(reader.buffer(), reader.jsonOffset(), reader.jsonLength(), lastReceiveTimeNs);
            linePending = false;
            work++;
        }
        publisher.updateCounters();
        return work;
    }

    public boolean isDone()
    {
        return finished && publisher.isFlushed();
    }

    public BookSync sync()
    {
        return sync;
    }

    /** Where the normalised market data goes (an in-process run connects its outbox). */
    public MarketDataPublisher publisher()
    {
        return publisher;
    }

    /** Recording lines read so far. */
    public long linesRead()
    {
        return reader.linesRead();
    }

    /** See {@link RecordingReader#readAheadCpuNs()}. */
    public long readAheadCpuNs()
    {
        return reader.readAheadCpuNs();
    }

    public void onClose()
    {
        CloseHelper.quietClose(reader);
    }
}
