package mm.perf;

import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.Venue;
import mm.quoting.QuotingModel;
import mm.quoting.SymmetricQuoter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The quoting model's computation for one book update, across a walk of mids and inventories. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class QuotingBenchmark
{
    private final Instrument instrument = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -8, 1, 1000, 0);
    private final QuotingModel model = new SymmetricQuoter(2, 1, 100_000);
    private final Ladder ladder = new Ladder();
    private long step;

    @Benchmark
    public long quoteOneBookUpdate()
    {
        final long s = step++;
        final long bid = 6_183_763 + (s & 63);
        final long position = ((s >> 6) & 15) * 100_000 - 800_000;
        ladder.clear();
        model.quote(instrument, bid, bid + 1, position, ladder);
        return ladder.price(0, 0) + ladder.price(1, 0);
    }
}
