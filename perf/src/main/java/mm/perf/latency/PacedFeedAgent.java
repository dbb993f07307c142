package mm.perf.latency;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.aeron.Streams;
import mm.feed.binance.BookSync;
import mm.feed.binance.MarketDataPublisher;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.Agent;

/**
 * The load generator and the feed in one: venue frames of an {@link EndlessRecording} are due at a fixed rate,
 * frame {@code n} at {@code start + n / rate}; each goes through the real feed path ({@link RecordedFeed}: decode,
 * {@link BookSync}, {@link MarketDataPublisher}) with its <em>intended</em> send time as its receive time.
 * Latency downstream is measured from that time, so a generator that falls behind (a slow consumer, a
 * descheduled thread) shows as latency instead of hiding it (no coordinated omission): late frames are caught
 * up back to back, each still stamped with its own intended time.
 * <p>
 * Before the paced load, a burst of frames goes through as fast as the pipeline takes them (back-pressure
 * holds the feed), stamped with the time they are sent: it brings every agent's code to its optimised form,
 * which a few seconds at a realistic rate would not (the JIT compiles a method fully after thousands of calls).
 */
public final class PacedFeedAgent implements Agent
{
    private static final int FRAMES_PER_DUTY_CYCLE = 64;
    private static final long NS_PER_S = 1_000_000_000L;

    private final long framesPerSecond;
    private final RunWindow window;
    private final RecordedFeed feed;
    private final MarketDataPublisher publisher;
    private final Histogram lagNs = new Histogram(1, 60 * NS_PER_S, 3);
    private final long burstFrames;
    private volatile boolean burstDone;

    private long startNs;
    private long endNs;
    private long next;
    private long paced;
    private long framesMeasured;
    private long eventsMeasured;
    private boolean finished;

    public PacedFeedAgent(
        final EndlessRecording recording,
        final Instrument instrument,
        final int bookDepth,
        final long framesPerSecond,
        final Aeron aeron,
        final Streams streams,
        final RunWindow window,
        final long burstFrames)
    {
        if (framesPerSecond < 1 || framesPerSecond > NS_PER_S)
        {
            throw new IllegalArgumentException("framesPerSecond must be in [1, 1e9]: " + framesPerSecond);
        }
        this.framesPerSecond = framesPerSecond;
        this.window = window;
        this.burstFrames = burstFrames;
        this.burstDone = burstFrames == 0;
        this.feed = new RecordedFeed(recording, instrument, bookDepth, aeron, streams, roleName());
        this.publisher = feed.publisher();
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
        if (!burstDone)
        {
            for (int i = 0; i < FRAMES_PER_DUTY_CYCLE && publisher.isFlushed() && next < burstFrames; i++)
            {
                next++;
                feed.sendNext(System.nanoTime());
                work++;
            }
            burstDone = next >= burstFrames;
            return work;
        }
        if (startNs == 0)
        {
            startNs = window.startNs();
            endNs = window.measureToNs();
            if (startNs == 0)
            {
                return work;
            }
        }
        final long nowNs = System.nanoTime();
        for (int i = 0; i < FRAMES_PER_DUTY_CYCLE && publisher.isFlushed(); i++)
        {
            final long intendedNs = startNs + paced * NS_PER_S / framesPerSecond;
            if (intendedNs > nowNs)
            {
                break;
            }
            if (intendedNs >= endNs)
            {
                finished = true;
                break;
            }
            next++;
            paced++;
            final long events = feed.sendNext(intendedNs);
            if (window.measures(intendedNs))
            {
                framesMeasured++;
                eventsMeasured += events;
                lagNs.recordValue(Math.min(Math.max(0, System.nanoTime() - intendedNs), lagNs.getHighestTrackableValue()));
            }
            work++;
        }
        publisher.updateCounters();
        return work;
    }

    /** True once the warm-up burst has been sent (the pipeline may still be working through it). */
    public boolean isBurstDone()
    {
        return burstDone;
    }

    /** True once every frame up to the end of the window has been sent (and published). */
    public boolean isFinished()
    {
        return finished && publisher.isFlushed();
    }

    /** Frames whose intended time lay in the measured window. */
    public long framesMeasured()
    {
        return framesMeasured;
    }

    /** Market-data events published for those frames. */
    public long eventsMeasured()
    {
        return eventsMeasured;
    }

    public long framesSent()
    {
        return next;
    }

    /**
     * How late the generator handled each measured frame (handled minus intended, after decode and publish):
     * the part of the latency spent before the first hop. Read after the agent's thread has stopped.
     */
    public Histogram lagNs()
    {
        return lagNs;
    }

    public BookSync sync()
    {
        return feed.sync();
    }
}
