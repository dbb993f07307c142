package mm.perf;

import io.aeron.Aeron;
import mm.journal.InboxReplay;
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
 * {@code ./mm replay --verify} as fast as it goes ({@link InboxReplay}): one op replays a whole journal, each
 * deciding agent (quoting, risk, the gateway with its simulated venue) fed its journaled inbox record by record,
 * the agents side by side on a thread each ({@code -p threads=one}: one after another on the benchmark thread),
 * every output hashed (SHA-256) and compared with the manifest's count and hash per stream ({@code -p
 * compare=messages}: with every recorded message, read back).
 * The journal is made once, in the trial's set-up, by {@link BacktestPipeline} from the raw recording (by default
 * the spot BTCUSDT 2024-08-08/09 pair of {@code ../shared/data}: 26,400 market-data events, about 8 inbox records
 * each). Building the fresh agents and opening the queues is per-invocation set-up, outside the time.
 * <p>
 * The secondary scores {@code events} and {@code records} are the run's market-data events and the inbox records
 * fed (all agents together) a second. A replay that does not match the journal fails the benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class ReplayBenchmark
{

    /** {@code agents}: a thread per agent, as {@code ./mm replay} does; {@code one}: every agent in turn. */
    @Param({"agents"})
    public String threads;

    /**
     * {@code digest}: outputs compared with the manifest's count and SHA-256 per stream, as {@code ./mm replay}
     * does for a closed run of one session; {@code messages}: with every recorded message, read back.
     */
    @Param({"digest"})
    public String compare;

    private BacktestPipeline pipeline;
    private Path runDir;
    private Aeron aeron;
    private InboxReplay.Prepared replay;
    private InboxReplay.Report report;
    private final RunCost cost = new RunCost();

    /** Market-data events and inbox records replayed, reported by JMH per second of the timed replays. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts
    {
        public long events;
        public long records;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final Path home = BacktestPipeline.home();
        pipeline = new BacktestPipeline(home, BacktestPipeline.recordings(home), Map.of());
        runDir = home.resolve("perf/target/replay-bench/run");
        BacktestPipeline.delete(runDir);
        try (BacktestPipeline.Run run = pipeline.prepare(runDir))
        {
            run.run();
            System.out.printf("%nReplayBenchmark: journal of %,d market-data events in %s%n",
                run.marketDataEvents(), runDir);
        }
    }

    @Setup(Level.Invocation)
    public void build()
    {
        aeron = pipeline.connect();
        replay = new InboxReplay(runDir, pipeline.streams())
            .prepare(aeron, pipeline.replayedAgents(), BacktestPipeline.OUTPUTS, compare.equals("digest"));
    }

    /** One whole replay of the journal, every output compared. */
    @Benchmark
    public long replay(final Counts counts)
    {
        cost.begin();
        report = replay.run(!threads.equals("one"));
        final long events = report.marketDataEvents();
        cost.end(events);
        counts.events += events;
        for (final InboxReplay.Throughput agent : report.throughput())
        {
            counts.records += agent.records();
        }
        return events;
    }

    @TearDown(Level.Invocation)
    public void close()
    {
        replay.close();
        aeron.close();
        if (!report.equal())
        {
            throw new IllegalStateException("the replay differs from the journal: " + report.results());
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
        cost.print("ReplayBenchmark (" + iteration.getType() + ")", "replays");
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        pipeline.close();
        BacktestPipeline.delete(runDir);
    }
}
