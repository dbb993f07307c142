package mm.perf;

import mm.feed.binance.BinanceJsonDecoder;
import mm.feed.binance.BookSync;
import mm.feed.binance.BookSyncListener;
import mm.feed.binance.OrderBook;
import mm.sbe.FeedState;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.util.concurrent.TimeUnit;

/**
 * JSON decode + book apply, per message, in steady state, on the bundled real recording: one recorded frame
 * through {@link BookSync#onLine} (decode, exact decimals at the instrument's exponents, update-id chain check,
 * book update, bookTicker cross-check, listener call). Run with {@code -prof gc}: it must be 0 B/op.
 * <p>
 * Steady workload: a recording is finite and its update ids only go up, so replaying it again would be one
 * long gap. Instead the sync is {@link BookSync#reset() reset} when the replay wraps (its storage reused,
 * nothing allocated) and re-syncs from the recording's own REST snapshot, exactly as the first time: every
 * cycle does identical, valid work (0 gaps, 0 rejected values, checked in {@link #check}). The price is one
 * snapshot per cycle inside the average; {@code kind=snapshot} measures that cost alone (reset + the
 * 1000-level snapshot decoded, parsed and loaded), so its share is {@code snapshot ns / cycle length}
 * (10,000 lines for {@code all}, 928 for {@code diff}).
 * <p>
 * Besides {@code -prof gc} (which counts the whole JVM, JMH's own threads included, so long operations show
 * a fraction of a byte per op), each iteration prints the bytes allocated by the benchmark thread itself.
 * <ul>
 * <li>{@code all}: every line in recorded order (depth diffs, trades, bookTickers, the snapshot);</li>
 * <li>{@code diff}: only the snapshot and the depth diffs, in order (the chain is intact without the rest);</li>
 * <li>{@code snapshot}: reset, then the snapshot alone.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class BookSyncBenchmark
{
    /** BTCUSDT spot: tick 0.01, and quantities exact at 10^-8. */
    private static final int PRICE_EXPONENT = -2;
    private static final int QTY_EXPONENT = -8;

    @Param({RecordedFrames.ALL, RecordedFrames.DIFF, RecordedFrames.SNAPSHOT})
    public String kind;

    private final TopListener listener = new TopListener();
    private BookSync sync;
    private UnsafeBuffer[] frames;
    private long[] receiveTimeNs;
    private int next;
    private boolean snapshotOnly;
    private long cycles;
    private long ops;
    private final ThreadAllocation allocation = new ThreadAllocation();
    private String allocationParams;

    /** What a consumer would read after each update: the top of the book. Allocation-free. */
    static final class TopListener implements BookSyncListener
    {
        long checksum;

        public void onBook(
            final OrderBook book, final long firstUpdateId, final long lastUpdateId,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
            checksum += book.bestBidPrice() + book.bestAskPrice() + lastUpdateId;
        }

        public void onTrade(
            final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
            checksum += price + qty;
        }

        public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
        {
            checksum += state.value();
        }
    }

    @Setup
    public void setUp()
    {
        final RecordedFrames recorded = RecordedFrames.load();
        snapshotOnly = RecordedFrames.SNAPSHOT.equals(kind);
        final int[] indexes;
        if (RecordedFrames.DIFF.equals(kind))
        {
            final int[] all = recorded.indexesOf(RecordedFrames.ALL);
            int count = 0;
            for (final int i : all)
            {
                final int type = recorded.type[i];
                if (type == BinanceJsonDecoder.DEPTH_UPDATE || type == BinanceJsonDecoder.SNAPSHOT)
                {
                    all[count++] = i;
                }
            }
            indexes = java.util.Arrays.copyOf(all, count);
        }
        else
        {
            indexes = recorded.indexesOf(kind);
        }
        frames = new UnsafeBuffer[indexes.length];
        receiveTimeNs = new long[indexes.length];
        for (int i = 0; i < indexes.length; i++)
        {
            frames[i] = new UnsafeBuffer(recorded.json[indexes[i]]);
            receiveTimeNs[i] = recorded.receiveTimeNs[indexes[i]];
        }
        sync = new BookSync(listener, PRICE_EXPONENT, QTY_EXPONENT);
        allocationParams = "kind=" + kind;
    }

    @Setup(Level.Iteration)
    public void startIteration()
    {
        allocation.start(ops);
    }

    /** Allocation by this thread alone over the iteration: the figure that shows the hot path allocates nothing. */
    @TearDown(Level.Iteration)
    public void endIteration(final org.openjdk.jmh.infra.IterationParams iteration)
    {
        allocation.end("BookSyncBenchmark.onMessage", allocationParams, iteration, ops);
    }

    /** One recorded message through decode, sync and book; the first of each cycle resets the sync first. */
    @Benchmark
    public long onMessage()
    {
        final int i = next;
        ops++;
        if (i == 0)
        {
            sync.reset();
            cycles++;
        }
        next = i + 1 == frames.length ? 0 : i + 1;
        final UnsafeBuffer frame = frames[i];
        sync.onLine(frame, 0, frame.capacity(), receiveTimeNs[i]);
        return listener.checksum;
    }

    /** The workload stayed what it claims: every cycle synced, nothing rejected, no gap. */
    @TearDown
    public void check()
    {
        final String state = "cycles=" + cycles + ", applied=" + sync.diffsApplied() + ", gaps=" + sync.gaps() +
            ", malformed=" + sync.malformed() + ", rejected=" + sync.rejectedValues() +
            ", mismatches=" + sync.bookTickerMismatches() + ", synced=" + sync.isSynced();
        final boolean valid = sync.gaps() == 0 && sync.malformed() == 0 && sync.rejectedValues() == 0 &&
            sync.bookTickerMismatches() == 0 && (snapshotOnly ? sync.snapshots() > 0 : sync.diffsApplied() > 0);
        System.out.println("\nBookSyncBenchmark " + kind + ": " + state);
        if (!valid)
        {
            throw new IllegalStateException("the workload was not steady: " + state);
        }
    }
}
