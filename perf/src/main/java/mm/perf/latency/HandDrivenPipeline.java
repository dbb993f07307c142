package mm.perf.latency;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import mm.driver.EmbeddedDriver;
import mm.gateway.GatewayAgent;
import mm.quoting.QuotingAgent;
import mm.risk.RiskAgent;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import io.aeron.logbuffer.Header;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The harness's engine on the caller's thread, driven by hand: feed decode + book sync + publish, quoting, risk
 * and gateway over a real embedded media driver, each agent's {@code doWork} called until nothing moves. Used
 * for the work per frame without any scheduler in the way ({@code PipelineBenchmark}) and for the allocation
 * check (bytes the thread allocates over millions of frames in steady state).
 */
public final class HandDrivenPipeline implements AutoCloseable, FragmentHandler
{
    private static final long FRAME_INTERVAL_NS = 100_000;

    private final EmbeddedDriver driver;
    private final Aeron aeron;
    private final RecordedFeed feed;
    private final QuotingAgent quoting;
    private final RiskAgent risk;
    private final GatewayAgent gateway;
    private final Subscription actions;
    private long actionCount;
    private long timeNs = 1_000_000_000L;

    /** Builds the pipeline and runs it until it has produced its first order action (book synced, all connected). */
    public HandDrivenPipeline(final Path recording, final EndlessRecording.Format format, final Map<String, String> overrides)
    {
        final PipelineConfig config = new PipelineConfig(overrides);
        driver = EmbeddedDriver.launch(LatencyHarness.driverProfile());
        try
        {
            aeron = driver.connectClient();
            gateway = config.gateway(aeron);
            risk = config.risk(aeron);
            quoting = config.quoting(aeron);
            actions = aeron.addSubscription(config.streams().channel(), config.streams().orderActions());
            feed = new RecordedFeed(EndlessRecording.of(recording, config.instrument(), format), config.instrument(),
                config.bookDepth(), aeron, config.streams(), "feed-binance");
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!feed.publisher().isConnected() && System.nanoTime() < deadlineNs)
            {
                Thread.onSpinWait();
            }
            while (actionCount == 0 && System.nanoTime() < deadlineNs)
            {
                onFrame();
            }
            if (actionCount == 0)
            {
                throw new IllegalStateException("the pipeline produced no order action within 30 s");
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /** One frame through every agent, until all are idle; returns the order actions seen so far. Allocation-free. */
    public long onFrame()
    {
        feed.sendNext(timeNs += FRAME_INTERVAL_NS);
        int work;
        do
        {
            work = feed.publisher().flush() + quoting.doWork() + risk.doWork() + gateway.doWork() + actions.poll(this, 64);
        }
        while (work > 0);
        return actionCount;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        actionCount++;
    }

    public RecordedFeed feed()
    {
        return feed;
    }

    public long actionCount()
    {
        return actionCount;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }

    /**
     * The allocation check: {@code warmupFrames} frames to reach steady state, then the bytes this thread
     * allocates over {@code frames} frames (the whole pipeline runs on it).
     */
    public static Allocation check(final Path recording, final EndlessRecording.Format format,
        final Map<String, String> overrides, final long warmupFrames, final long frames)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        try (HandDrivenPipeline pipeline = new HandDrivenPipeline(recording, format, overrides))
        {
            for (long i = 0; i < warmupFrames; i++)
            {
                pipeline.onFrame();
            }
            final long eventsBefore = pipeline.feed.publisher().eventSeq();
            final long actionsBefore = pipeline.actionCount;
            final long startNs = System.nanoTime();
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (long i = 0; i < frames; i++)
            {
                pipeline.onFrame();
            }
            final long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            final long elapsedNs = System.nanoTime() - startNs;
            if (pipeline.feed.sync().gaps() != 0 || !pipeline.feed.sync().isSynced())
            {
                throw new IllegalStateException("the replay broke: gaps=" + pipeline.feed.sync().gaps());
            }
            return new Allocation(format, frames, pipeline.feed.publisher().eventSeq() - eventsBefore,
                pipeline.actionCount - actionsBefore, bytes, elapsedNs);
        }
    }

    /** What the allocation check measured. */
    public record Allocation(
        EndlessRecording.Format format, long frames, long marketDataEvents, long actions, long bytes, long elapsedNs)
    {
        public double bytesPerMillionFrames()
        {
            return bytes * 1e6 / frames;
        }

        public double nsPerFrame()
        {
            return (double)elapsedNs / frames;
        }
    }
}
