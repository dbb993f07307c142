package mm.perf;

import mm.perf.latency.EndlessRecording;
import mm.perf.latency.HandDrivenPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline's work per venue frame, without any thread hop or scheduler in the way
 * ({@link HandDrivenPipeline}: the latency harness's engine on one thread over a real embedded media driver).
 * One op is one recorded frame (depth diff, trade or bookTicker, in recorded order, laps of the
 * {@link EndlessRecording}) and everything it causes: decode, book sync, publish, quoting, risk, gateway diff and
 * ORDER_ACTIONS encode. Compare with the latency harness, which adds pacing, idle strategies and the scheduler.
 * Run with {@code -prof gc}; each iteration also prints what the benchmark thread itself allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class PipelineBenchmark
{
    @Param({"json", "sbe"})
    public String format;

    private HandDrivenPipeline pipeline;
    private final ThreadAllocation allocation = new ThreadAllocation();
    private String allocationParams;
    private long frames;

    @Setup
    public void setUp()
    {
        final Path recording = Path.of(System.getProperty("mm.home", "."), "data",
            "binance-spot-btcusdt-20240808-excerpt.jsonl.gz");
        pipeline = new HandDrivenPipeline(recording, EndlessRecording.Format.valueOf(format.toUpperCase(Locale.ROOT)),
            Map.of());
        allocationParams = "format=" + format;
    }

    @Setup(Level.Iteration)
    public void startIteration()
    {
        allocation.start(frames);
    }

    /** One recorded frame through feed, quoting, risk and gateway, until every agent is idle. */
    @Benchmark
    public long onFrame()
    {
        frames++;
        return pipeline.onFrame();
    }

    @TearDown(Level.Iteration)
    public void endIteration(final org.openjdk.jmh.infra.IterationParams iteration)
    {
        allocation.end("PipelineBenchmark.onFrame", allocationParams, iteration, frames);
    }

    @TearDown
    public void tearDown()
    {
        final String state = "frames=" + pipeline.feed().framesSent() + " actions=" + pipeline.actionCount() +
            " gaps=" + pipeline.feed().sync().gaps() + " synced=" + pipeline.feed().sync().isSynced();
        pipeline.close();
        if (pipeline.feed().sync().gaps() != 0 || !pipeline.feed().sync().isSynced())
        {
            throw new IllegalStateException("not a steady replay: " + state);
        }
    }
}
