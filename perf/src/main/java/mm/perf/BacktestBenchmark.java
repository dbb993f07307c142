package mm.perf;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.IterationParams;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./mm backtest} as fast as it goes ({@link BacktestPipeline}): one op is a whole backtest of the raw
 * recording (by default the spot BTCUSDT 2024-08-08/09 pair of {@code ../shared/data}, gzip JSON, 99,574 lines,
 * 26,400 market-data events): gunzip, JSON decode, book sync and publish, quoting, risk, the gateway with its
 * simulated venue, and (with {@code journal=on}, the command's default) the journal of every stream and inbox in
 * Chronicle queues, the agents on the benchmark thread in lockstep, the journal's appends on a thread of its own
 * (as the command does; {@code -p journalThread=false}: on the benchmark thread too). A run is timed until the
 * journal has appended its last message. Building the engine and closing the journal (its manifest hashes the
 * queue files) are per-invocation set-up and tear-down, outside the time.
 * <p>
 * The secondary scores {@code events} and {@code lines} are market-data events and recording lines a second.
 * {@code -Dmm.perf.backtestRecording=FILE,FILE} replays other files. Each iteration prints what the benchmark
 * thread allocated per event inside the timed runs.
 * <p>
 * Fifteen warm-up iterations: every op builds and closes a whole engine, so the JIT keeps compiling (hundreds of
 * methods an iteration, {@code -jvmArgsAppend -XX:+PrintCompilation}) until about the tenth, and with five the
 * benchmark thread still did a fifth less per CPU second than in the steady state a long backtest runs in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 15, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class BacktestBenchmark
{

    @Param({"on", "off"})
    public String journal;

    /**
     * {@code local}: the in-process transport {@code ./mm backtest} uses; {@code aeron}: the same agents over the
     * embedded driver's IPC streams, as the command ran before (for comparison).
     */
    @Param({"local", "aeron"})
    public String transport;

    /**
     * {@code true}: the journal appends on a thread of its own, as {@code ./mm backtest} does by default
     * ({@code journal.backtestThread}); {@code false}: on the benchmark thread.
     */
    @Param({"true"})
    public String journalThread;

    private BacktestPipeline pipeline;
    private BacktestPipeline.Run run;
    private Path runDir;
    private int runs;
    private final RunCost cost = new RunCost();

    /** Market-data events and recording lines, reported by JMH per second of the timed runs. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts
    {
        public long events;
        public long lines;
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        final Path home = BacktestPipeline.home();
        pipeline = new BacktestPipeline(home, BacktestPipeline.recordings(home),
            Map.of("journal.enabled", journal.equals("on") ? "true" : "false", "journal.backtestThread", journalThread));
    }

    @Setup(Level.Invocation)
    public void build()
    {
        runDir = BacktestPipeline.home().resolve("perf/target/backtest-bench/run-" + runs++);
        BacktestPipeline.delete(runDir);
        run = transport.equals("local") ? pipeline.prepare(runDir) : pipeline.prepareOverAeron(runDir);
    }

    /** One whole backtest of the recording. */
    @Benchmark
    public long backtest(final Counts counts) throws Exception
    {
        cost.begin();
        run.run();
        final long events = run.marketDataEvents();
        cost.end(events, "mm-recording-readahead", run.readAheadCpuNs());
        counts.events += events;
        counts.lines += run.recordingLines();
        return events;
    }

    @TearDown(Level.Invocation)
    public void close()
    {
        final long gaps = run.gaps();
        run.close();
        BacktestPipeline.delete(runDir);
        if (gaps != 0)
        {
            throw new IllegalStateException("the recording had " + gaps + " gaps: not a valid backtest");
        }
    }

    @Setup(Level.Iteration)
    public void startIteration()
    {
        cost.reset();
    }

    @TearDown(Level.Iteration)
    public void endIteration(final IterationParams iteration)
    {
        cost.print("BacktestBenchmark journal=" + journal + " journalThread=" + journalThread + " transport=" + transport +
            " (" + iteration.getType() + ")",
            "runs");
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        pipeline.close();
    }
}
