package mm.perf;

import mm.feed.binance.BookSync;
import mm.feed.binance.BookSyncListener;
import mm.feed.binance.OrderBook;
import mm.feed.binance.sbe.BinanceSbeAdapter;
import mm.feed.binance.sbe.BinanceSbeDecoder;
import mm.feed.binance.sbe.SbeRecording;
import mm.sbe.FeedState;
import mm.sbe.binance.stream.BestBidAskStreamEventEncoder;
import mm.sbe.binance.stream.DepthDiffStreamEventEncoder;
import mm.sbe.binance.stream.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Binance SBE feed's hot path per frame, on the bundled real recording (spot BTCUSDT, 10,000 JSON lines)
 * converted to SBE frames with {@link SbeRecording} at Binance's -8/-8 exponents, held in one buffer as a
 * receive path would hold them.
 * <ul>
 * <li>{@link #decodeFrame}: validating one frame and positioning its generated flyweight
 * ({@link BinanceSbeDecoder}), frames in recorded order; compare with {@code FeedBenchmark.decodeMessage} (JSON)
 * in the same run.</li>
 * <li>{@link #decodeAndApply}: one frame through {@link BinanceSbeAdapter} into {@link BookSync} at the demo
 * instrument's scale (-2/-8, so prices are rescaled exactly): depth diffs checked against the update-id chain and
 * applied to the book, bestBidAsks cross-checked against applied diffs, trades published.</li>
 * </ul>
 * Steady state: a book replayed from a recording must not run out of diffs, and replaying the same diffs again
 * would be stale (their ids are behind the book). So the measured loop is the part of the recording after the
 * diff that bridged the REST snapshot (the snapshot and everything before it are applied once in setup), and
 * each time the loop wraps, the update ids of every diff and bestBidAsk are advanced by the lap's span (last
 * {@code u} minus the bridging diff's {@code u}), through the generated encoders, so the chain continues exactly
 * ({@code U == previous u + 1}) forever. Diffs carry absolute quantities, so every lap ends with the same book:
 * its size and shape are those of the real book, not growing. The id rewrite costs a few microseconds per lap of
 * ~9,000 frames (well under 1% of the measured time) and is included. {@link #checkSteadyState} fails the run if
 * a gap, a resync or a bad frame ever happened. Run with {@code -prof gc}: B/op must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class SbeFeedBenchmark
{
    private static final int PRICE_EXPONENT = -2;
    private static final int QTY_EXPONENT = -8;

    /** Every recorded frame, back to back, with where each starts and its length. */
    private UnsafeBuffer frames;
    private int[] frameOffsets;
    private int[] frameLengths;
    private long[] receiveTimesNs;
    private int nextFrame;

    private final BinanceSbeDecoder decoder = new BinanceSbeDecoder();

    /** The steady loop: frames after the bridging diff. */
    private int[] loopFrames;
    private int nextLoopFrame;
    private long lap;
    private long lapSpan;
    /** Per loop frame: kind (0 other, 1 diff, 2 bestBidAsk) and its original ids, for the lap rewrite. */
    private int[] loopKinds;
    private long[] loopFirstIds;
    private long[] loopLastIds;
    private final DepthDiffStreamEventEncoder diffEncoder = new DepthDiffStreamEventEncoder();
    private final BestBidAskStreamEventEncoder bestBidAskEncoder = new BestBidAskStreamEventEncoder();

    private final TopOfBook listener = new TopOfBook();
    private BookSync sync;
    private BinanceSbeAdapter adapter;

    /** What a consumer does with each book: reads the top, as the publisher would copy it. */
    static final class TopOfBook implements BookSyncListener
    {
        long checksum;

        @Override
        public void onBook(
            final OrderBook book, final long firstUpdateId, final long lastUpdateId,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
            checksum += book.bestBidPrice() + book.bestAskPrice() + book.bestBidQty() + book.bestAskQty();
        }

        @Override
        public void onTrade(
            final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
            checksum += price + qty;
        }

        @Override
        public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
        {
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        final Path file = Path.of(System.getProperty("mm.home", "."), "data",
            "binance-spot-btcusdt-20240808-excerpt.jsonl.gz");
        final List<SbeRecording.Entry> entries = SbeRecording.encode(List.of(file));
        int total = 0;
        for (final SbeRecording.Entry entry : entries)
        {
            total += entry.bytes().length;
        }
        frames = new UnsafeBuffer(new byte[total]);
        frameOffsets = new int[entries.size()];
        frameLengths = new int[entries.size()];
        receiveTimesNs = new long[entries.size()];
        final boolean[] sbe = new boolean[entries.size()];
        int at = 0;
        for (int i = 0; i < entries.size(); i++)
        {
            final byte[] bytes = entries.get(i).bytes();
            frames.putBytes(at, bytes);
            frameOffsets[i] = at;
            frameLengths[i] = bytes.length;
            receiveTimesNs[i] = entries.get(i).receiveTimeNs();
            sbe[i] = entries.get(i).sbe();
            at += bytes.length;
        }

        // Sync once up to and including the diff that bridges the snapshot (JSON lines are the REST snapshot).
        sync = new BookSync(listener, PRICE_EXPONENT, QTY_EXPONENT);
        adapter = new BinanceSbeAdapter(sync);
        int i = 0;
        for (; i < entries.size() && sync.diffsApplied() == 0; i++)
        {
            if (sbe[i])
            {
                adapter.onFrame(frames, frameOffsets[i], frameLengths[i], receiveTimesNs[i]);
            }
            else
            {
                sync.onLine(frames, frameOffsets[i], frameLengths[i], receiveTimesNs[i]);
            }
        }
        if (!sync.isSynced())
        {
            throw new IllegalStateException("the recording never synced: " + sync.state());
        }
        final long bridgeLastId = sync.lastUpdateId();

        final List<Integer> loop = new ArrayList<>();
        for (; i < entries.size(); i++)
        {
            if (sbe[i])
            {
                loop.add(i);
            }
        }
        loopFrames = loop.stream().mapToInt(Integer::intValue).toArray();
        loopKinds = new int[loopFrames.length];
        loopFirstIds = new long[loopFrames.length];
        loopLastIds = new long[loopFrames.length];
        long lastDiffId = bridgeLastId;
        for (int k = 0; k < loopFrames.length; k++)
        {
            final int f = loopFrames[k];
            switch (decoder.decode(frames, frameOffsets[f], frameLengths[f]))
            {
                case BinanceSbeDecoder.DEPTH_DIFF ->
                {
                    loopKinds[k] = 1;
                    loopFirstIds[k] = decoder.depthDiff().firstBookUpdateId();
                    loopLastIds[k] = decoder.depthDiff().lastBookUpdateId();
                    lastDiffId = loopLastIds[k];
                }
                case BinanceSbeDecoder.BEST_BID_ASK ->
                {
                    loopKinds[k] = 2;
                    loopLastIds[k] = decoder.bestBidAsk().bookUpdateId();
                }
                default -> loopKinds[k] = 0;
            }
        }
        lapSpan = lastDiffId - bridgeLastId;
    }

    /** One recorded frame through the validating decoder (no sync): the SBE counterpart of JSON decoding. */
    @Benchmark
    public int decodeFrame()
    {
        final int i = nextFrame;
        nextFrame = i + 1 == frameOffsets.length ? 0 : i + 1;
        return decoder.decode(frames, frameOffsets[i], frameLengths[i]);
    }

    /** One recorded frame decoded and applied: chain check, exact rescale, book update, cross-check, publish. */
    @Benchmark
    public int decodeAndApply()
    {
        final int k = nextLoopFrame;
        final int f = loopFrames[k];
        final int result = adapter.onFrame(frames, frameOffsets[f], frameLengths[f], receiveTimesNs[f]);
        if (k + 1 == loopFrames.length)
        {
            nextLoopFrame = 0;
            nextLap();
        }
        else
        {
            nextLoopFrame = k + 1;
        }
        return result;
    }

    /** Advances the ids of the loop's diffs and bestBidAsks by one span, so the chain continues. */
    private void nextLap()
    {
        final long shift = ++lap * lapSpan;
        for (int k = 0; k < loopFrames.length; k++)
        {
            final int rootOffset = frameOffsets[loopFrames[k]] + MessageHeaderEncoder.ENCODED_LENGTH;
            switch (loopKinds[k])
            {
                case 1 -> diffEncoder.wrap(frames, rootOffset)
                    .firstBookUpdateId(loopFirstIds[k] + shift)
                    .lastBookUpdateId(loopLastIds[k] + shift);
                case 2 -> bestBidAskEncoder.wrap(frames, rootOffset).bookUpdateId(loopLastIds[k] + shift);
                default ->
                {
                }
            }
        }
    }

    @TearDown(Level.Iteration)
    public void checkSteadyState()
    {
        if (sync.gaps() != 0 || !sync.isSynced() || adapter.badFrames() != 0 || sync.rejectedValues() != 0)
        {
            throw new IllegalStateException("not a steady replay: gaps=" + sync.gaps() + " state=" + sync.state() +
                " badFrames=" + adapter.badFrames() + " rejectedValues=" + sync.rejectedValues());
        }
    }
}
