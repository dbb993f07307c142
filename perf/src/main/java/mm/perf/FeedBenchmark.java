package mm.perf;

import mm.common.Decimals;
import mm.feed.binance.BinanceJsonDecoder;
import mm.feed.binance.OrderBook;
import org.agrona.collections.LongArrayList;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The Binance JSON feed's hot path on the bundled real recording: decoding one wire message, per message type
 * ({@code kind}: every line in recorded order, or only depth diffs, trades, bookTickers, or the 1000-level REST
 * snapshot, since their sizes differ by a factor of 400), and applying one price-level update to the local
 * book (the recording's diff levels, replayed cyclically onto a book that started from its REST snapshot).
 * Decoding here stops at text ranges; {@link BookSyncBenchmark} adds the exact decimals and the book.
 * Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class FeedBenchmark
{
    private static final int PRICE_EXPONENT = -2;
    private static final int QTY_EXPONENT = -8;

    private final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
    private RecordedLines lines;

    private final OrderBook book = new OrderBook(OrderBook.DEFAULT_CAPACITY, PRICE_EXPONENT, QTY_EXPONENT);
    private long[] sides;
    private long[] prices;
    private long[] qtys;
    private int nextLevel;

    @Setup
    public void setUp()
    {
        lines = RecordedLines.load();
        final LongArrayList side = new LongArrayList();
        final LongArrayList price = new LongArrayList();
        final LongArrayList qty = new LongArrayList();
        for (int i = 0; i < lines.json.length; i++)
        {
            final int type = decoder.decode(lines.json[i], 0, lines.json[i].capacity());
            if (type == BinanceJsonDecoder.SNAPSHOT)
            {
                load(decoder.bids(), OrderBook.BID, null, null, null);
                load(decoder.asks(), OrderBook.ASK, null, null, null);
            }
            else if (type == BinanceJsonDecoder.DEPTH_UPDATE)
            {
                load(decoder.bids(), OrderBook.BID, side, price, qty);
                load(decoder.asks(), OrderBook.ASK, side, price, qty);
            }
        }
        sides = side.toLongArray();
        prices = price.toLongArray();
        qtys = qty.toLongArray();
    }

    private void load(
        final BinanceJsonDecoder.Levels levels, final int side,
        final LongArrayList sideOut, final LongArrayList priceOut, final LongArrayList qtyOut)
    {
        for (int i = 0; i < levels.count(); i++)
        {
            final long price = Decimals.parse(decoder.buffer(), levels.priceOffset(i), levels.priceLength(i), PRICE_EXPONENT);
            final long qty = Decimals.parse(decoder.buffer(), levels.qtyOffset(i), levels.qtyLength(i), QTY_EXPONENT);
            if (sideOut == null)
            {
                book.set(side, price, qty);
            }
            else
            {
                sideOut.addLong(side);
                priceOut.addLong(price);
                qtyOut.addLong(qty);
            }
        }
    }

    /** The recorded frames of one message type, cycled in recorded order. */
    @State(Scope.Thread)
    public static class Frames
    {
        @Param({RecordedFrames.ALL, RecordedFrames.DIFF, RecordedFrames.TRADE, RecordedFrames.BOOK_TICKER,
            RecordedFrames.SNAPSHOT})
        public String kind;

        UnsafeBuffer[] buffers;
        int next;

        @Setup
        public void setUp()
        {
            final byte[][] frames = RecordedFrames.load().framesOf(kind);
            buffers = new UnsafeBuffer[frames.length];
            for (int i = 0; i < frames.length; i++)
            {
                buffers[i] = new UnsafeBuffer(frames[i]);
            }
        }

        UnsafeBuffer next()
        {
            final int i = next;
            next = i + 1 == buffers.length ? 0 : i + 1;
            return buffers[i];
        }
    }

    /** One recorded wire message of the chosen kind through the zero-allocation JSON decoder. */
    @Benchmark
    public int decodeMessage(final Frames frames)
    {
        final UnsafeBuffer frame = frames.next();
        return decoder.decode(frame, 0, frame.capacity());
    }

    /** One recorded price-level update (insert, replace or delete) applied to the book. */
    @Benchmark
    public boolean applyLevelUpdate()
    {
        final int i = nextLevel;
        nextLevel = i + 1 == sides.length ? 0 : i + 1;
        return book.set((int)sides[i], prices[i], qtys[i]);
    }
}
