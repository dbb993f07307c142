package mm.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mm.common.Decimals;
import mm.feed.binance.BinanceJsonDecoder;
import mm.feed.binance.BookSync;
import mm.feed.binance.OrderBook;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * JSON depth diff + local book, ours against what Binance Java users typically write, on the same bytes in the
 * same run: the bundled recording's REST snapshot and its 927 depth diffs in order (the {@code diff} workload
 * of {@link BookSyncBenchmark}), one message per op, the snapshot reloaded once per cycle.
 * <ul>
 * <li>{@link #ours}: {@link BookSync#onLine} (zero-allocation decode, exact decimals, update-id chain, book,
 * listener);</li>
 * <li>{@link #jacksonTreeMap}: Jackson's {@code ObjectMapper.readTree} on the frame's bytes, the same update-id
 * rules, and {@code TreeMap<BigDecimal, BigDecimal>} per side (bids in reverse order) updated with
 * {@code new BigDecimal(text)} keys and values, quantity 0 removing the level; the top of book read after each
 * message as our listener does.</li>
 * </ul>
 * Set-up checks that both books agree on the top 20 levels a side after every diff of a whole cycle. Run with
 * {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class BookBaselineBenchmark
{
    private static final int PRICE_EXPONENT = -2;
    private static final int QTY_EXPONENT = -8;
    private static final int CHECKED_LEVELS = 20;

    private final BookSyncBenchmark.TopListener listener = new BookSyncBenchmark.TopListener();
    private BookSync sync;
    private byte[][] frames;
    private UnsafeBuffer[] buffers;
    private long[] receiveTimeNs;
    private int nextOurs;
    private int nextPeer;
    private final JacksonBook peer = new JacksonBook();

    @Setup
    public void setUp()
    {
        final RecordedFrames recorded = RecordedFrames.load();
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
        frames = new byte[count][];
        buffers = new UnsafeBuffer[count];
        receiveTimeNs = new long[count];
        for (int i = 0; i < count; i++)
        {
            frames[i] = recorded.json[all[i]];
            buffers[i] = new UnsafeBuffer(frames[i]);
            receiveTimeNs[i] = recorded.receiveTimeNs[all[i]];
        }
        sync = new BookSync(listener, PRICE_EXPONENT, QTY_EXPONENT);
        checkSameBooks();
    }

    /** One full cycle through both, comparing the books after every message once ours is synced. */
    private void checkSameBooks()
    {
        for (int i = 0; i < frames.length; i++)
        {
            ours();
            jacksonTreeMap();
            if (sync.isSynced())
            {
                peer.checkTop(sync.book(), i);
            }
        }
        if (sync.diffsApplied() == 0 || peer.applied == 0)
        {
            throw new IllegalStateException("no diff applied: ours " + sync.diffsApplied() + ", peer " + peer.applied);
        }
    }

    /** One recorded frame through our decode, sync and book; a cycle starts with a reset, as in BookSyncBenchmark. */
    @Benchmark
    public long ours()
    {
        final int i = nextOurs;
        if (i == 0)
        {
            sync.reset();
        }
        nextOurs = i + 1 == buffers.length ? 0 : i + 1;
        final UnsafeBuffer frame = buffers[i];
        sync.onLine(frame, 0, frame.capacity(), receiveTimeNs[i]);
        return listener.checksum;
    }

    /** The same frame through Jackson and TreeMap<BigDecimal, BigDecimal>. */
    @Benchmark
    public Object jacksonTreeMap()
    {
        final int i = nextPeer;
        if (i == 0)
        {
            peer.reset();
        }
        nextPeer = i + 1 == frames.length ? 0 : i + 1;
        return peer.onMessage(frames[i]);
    }

    @TearDown
    public void check()
    {
        if (sync.gaps() != 0 || sync.rejectedValues() != 0 || sync.malformed() != 0 || peer.gaps != 0)
        {
            throw new IllegalStateException("not a steady workload: ours gaps=" + sync.gaps() + " rejected=" +
                sync.rejectedValues() + " malformed=" + sync.malformed() + ", peer gaps=" + peer.gaps);
        }
    }

    /**
     * The typical Java local book: Jackson tree model, BigDecimal prices and sizes, a sorted map per side,
     * Binance's documented spot procedure (buffer diffs until the snapshot, then drop {@code u <= lastUpdateId},
     * bridge {@code U <= lastUpdateId + 1 <= u}, then chain).
     */
    static final class JacksonBook
    {
        private final ObjectMapper mapper = new ObjectMapper();
        private final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
        private final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
        private final java.util.ArrayList<JsonNode> buffered = new java.util.ArrayList<>();
        private long lastUpdateId = -1;
        private boolean bridged;
        long applied;
        long gaps;

        void reset()
        {
            bids.clear();
            asks.clear();
            buffered.clear();
            lastUpdateId = -1;
            bridged = false;
        }

        Object onMessage(final byte[] frame)
        {
            final JsonNode root;
            try
            {
                root = mapper.readTree(frame);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            final JsonNode snapshotId = root.get("lastUpdateId");
            if (snapshotId != null)
            {
                bids.clear();
                asks.clear();
                apply(bids, root.get("bids"));
                apply(asks, root.get("asks"));
                lastUpdateId = snapshotId.asLong();
                bridged = false;
                for (final JsonNode diff : buffered)
                {
                    onDiff(diff);
                }
                buffered.clear();
                return top();
            }
            final JsonNode data = root.has("data") ? root.get("data") : root;
            if (!"depthUpdate".equals(data.get("e").asText()))
            {
                return null;
            }
            if (lastUpdateId < 0)
            {
                buffered.add(data);
                return null;
            }
            return onDiff(data);
        }

        private Object onDiff(final JsonNode data)
        {
            final long first = data.get("U").asLong();
            final long last = data.get("u").asLong();
            if (last <= lastUpdateId)
            {
                return null; // stale
            }
            if (bridged ? first > lastUpdateId + 1 : !(first <= lastUpdateId + 1 && last >= lastUpdateId + 1))
            {
                gaps++;
                return null;
            }
            bridged = true;
            apply(bids, data.get("b"));
            apply(asks, data.get("a"));
            lastUpdateId = last;
            applied++;
            return top();
        }

        private static void apply(final TreeMap<BigDecimal, BigDecimal> side, final JsonNode levels)
        {
            for (final JsonNode level : levels)
            {
                final BigDecimal price = new BigDecimal(level.get(0).asText());
                final BigDecimal qty = new BigDecimal(level.get(1).asText());
                if (qty.signum() == 0)
                {
                    side.remove(price);
                }
                else
                {
                    side.put(price, qty);
                }
            }
        }

        private Object top()
        {
            final Map.Entry<BigDecimal, BigDecimal> bid = bids.firstEntry();
            final Map.Entry<BigDecimal, BigDecimal> ask = asks.firstEntry();
            return bid == null || ask == null ? null : bid.getKey().add(ask.getKey());
        }

        void checkTop(final OrderBook book, final int frame)
        {
            checkSide(book, OrderBook.BID, bids, frame);
            checkSide(book, OrderBook.ASK, asks, frame);
        }

        private static void checkSide(
            final OrderBook book, final int side, final TreeMap<BigDecimal, BigDecimal> levels, final int frame)
        {
            final Iterator<Map.Entry<BigDecimal, BigDecimal>> it = levels.entrySet().iterator();
            for (int depth = 0; depth < CHECKED_LEVELS && depth < book.levels(side); depth++)
            {
                final Map.Entry<BigDecimal, BigDecimal> level = it.next();
                if (book.price(side, depth) != Decimals.parse(level.getKey().toPlainString(), PRICE_EXPONENT) ||
                    book.qty(side, depth) != Decimals.parse(level.getValue().toPlainString(), QTY_EXPONENT))
                {
                    throw new IllegalStateException("books differ after frame " + frame + " at side " + side +
                        " depth " + depth + ": ours " + book.price(side, depth) + " x " + book.qty(side, depth) +
                        ", peer " + level);
                }
            }
        }
    }
}
