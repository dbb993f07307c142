package mm.ops;

import io.aeron.Aeron;
import mm.driver.EmbeddedDriver;
import mm.feed.binance.BinanceRecordingFeedAgent;
import mm.gateway.GatewayAgent;
import mm.quoting.QuotingAgent;
import mm.risk.RiskAgent;
import org.agrona.concurrent.CompositeAgent;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady state allocates nothing: the real recording through feed decode, book sync, quoting, risk, gateway
 * and simulated venue on one thread (doWork by hand). A first pass runs every code path once (class
 * initialisation, constant-pool resolution, JIT); a second pass with fresh agents on fresh streams is
 * measured after its first 1,000 lines, by the bytes the driving thread allocated. The journal has its own
 * allocation test (Chronicle allocates when it maps the next block of a file).
 * <p>
 * A few hundred bytes appear once per pass whatever its length (measured: 344-520 B over this recording's
 * 2.7k events, 680 B over the 4x longer spot_20240808 file), so the bound is per pass, not per event: 1 KiB
 * over thousands of events means nothing allocates per event.
 */
class PipelineAllocationTest
{
    private static final long TIMEOUT_NS = 60_000_000_000L;
    private static final long ONE_OFF_BYTES_BOUND = 1024;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void steadyStateAllocatesNothingOnTheAgentThread()
    {
        final EngineConfig warmUp = config(0);
        final EngineConfig measured = config(100);
        try (EmbeddedDriver driver = EmbeddedDriver.launch(warmUp.driverProfile);
            Aeron aeron = driver.connectClient())
        {
            run(warmUp, aeron, 0);
            run(config(300), aeron, 0);
            // least of three measured passes, as Allocations does: a per-message allocation shows in every pass,
            // a one-off of the JVM on this thread (a deoptimisation on a loaded machine) does not
            long allocated = run(measured, aeron, 1_000);
            for (final int offset : new int[]{400, 700})
            {
                allocated = Math.min(allocated, run(config(offset), aeron, 1_000));
            }
            assertTrue(allocated < ONE_OFF_BYTES_BOUND,
                "bytes allocated by the pipeline thread over the measured pass: " + allocated);
        }
    }

    private static EngineConfig config(final int streamIdOffset)
    {
        final Map<String, String> overrides = new HashMap<>(Map.of(
            "feed.speed", "0", "journal.enabled", "false", "journal.inboxes", "false"));
        final String[] keys = mm.common.aeron.Streams.CONFIG_NAMES;
        final int[] ids = {1001, 1002, 1003, 1004, 1005, 1006, 1101, 1102, 1103, 1201};
        for (int i = 0; i < keys.length; i++)
        {
            overrides.put("stream." + keys[i], String.valueOf(ids[i] + streamIdOffset));
        }
        return EngineConfig.from(Main.demoConfig().withOverrides(overrides), TestPaths.repoRoot());
    }

    /** Runs the recording to the end; returns bytes allocated after {@code measureFromLine} lines. */
    private long run(final EngineConfig config, final Aeron aeron, final long measureFromLine)
    {
        final GatewayAgent gateway = new GatewayAgent(config.gateway, aeron, config.streams, false);
        final RiskAgent risk = new RiskAgent(config.risk, aeron, config.streams, false);
        final QuotingAgent quoting = new QuotingAgent(config.quoting, aeron, config.streams, false);
        final BinanceRecordingFeedAgent feed = new BinanceRecordingFeedAgent(config.feed, aeron, config.streams, () -> true);
        final CompositeAgent pipeline = new CompositeAgent(feed, quoting, risk, gateway);
        pipeline.onStart();
        final int instrumentId = config.feed.instrument().id();
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        try
        {
            while (feed.sync().linesRead() < measureFromLine && System.nanoTime() < deadlineNs)
            {
                pipeline.doWork();
            }
            final long fillsBefore = risk.position(instrumentId).fillCount();
            final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            while (!(feed.isDone() && quoting.isDone() && risk.isDone() && gateway.isDone()) &&
                System.nanoTime() < deadlineNs)
            {
                pipeline.doWork();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            assertTrue(gateway.isDone(), "the run completed");
            assertEquals(10_000, feed.sync().linesRead());
            assertTrue(risk.position(instrumentId).fillCount() > fillsBefore, "the measured part includes fills");
            return allocated;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
        finally
        {
            pipeline.onClose();
        }
    }
}
