package mm.perf;

import mm.common.Decimals;
import mm.feed.binance.BinanceJsonDecoder;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.annotations.Warmup;
import org.simdjson.JsonValue;
import org.simdjson.SimdJsonParser;
import org.simdjson.StructuralIndexProbe;
import org.simdjson.annotations.JsonFieldName;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Our JSON decoder against simdjson-java 0.4.0 on the same real recorded frames, one message type at a time
 * ({@code kind}: depth diff, trade, bookTicker, the 1000-level REST snapshot). Every contender must produce
 * what the feed needs: the ids and every price and quantity as an exact mantissa (prices at 10^-2, quantities
 * at 10^-8, BTCUSDT spot), folded into a checksum that {@link #setUp} checks is identical for all of them.
 * <ul>
 * <li>{@code ours}: {@link BinanceJsonDecoder} (validating tokenizer, text ranges) plus {@link Decimals#parse}.</li>
 * <li>{@code simdjsonDom}: {@code SimdJsonParser.parse(byte[], int)} to a {@code JsonValue} tree, walked with
 * {@code get}/{@code arrayIterator}/{@code asString}; each decimal string then parsed exactly.</li>
 * <li>{@code simdjsonSchema}: {@code SimdJsonParser.parse(byte[], int, Class)} into records of Strings.</li>
 * <li>{@code simdjsonStage1}: only simdjson's UTF-8 check and structural index, then one read of each index
 * position: no values, no decimals. The floor of any design that would keep simdjson's index and parse the
 * decimals ourselves (see {@link StructuralIndexProbe}).</li>
 * <li>{@code simdjsonIndexExact}: that design, prototyped at its best: stage 1, then a walk of the index that
 * takes each key, number and string range from the original bytes (assuming the compact form, checking no
 * grammar: commas, colons, nesting, escapes and trailing bytes go unchecked) and our exact decimals.</li>
 * </ul>
 * simdjson gets its best case: frames pre-padded (no copy), and the message type known in advance (the real
 * feed must find it out, which {@code ours} does inside its time). Run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class JsonParserBenchmark
{
    private static final int PRICE_EXPONENT = -2;
    private static final int QTY_EXPONENT = -8;
    /** simdjson-java's default capacity is 34 MB per parser; a 5000-level snapshot fits in 1 MiB. */
    private static final int SIMDJSON_CAPACITY = 1 << 20;

    @Param({RecordedFrames.DIFF, RecordedFrames.TRADE, RecordedFrames.BOOK_TICKER, RecordedFrames.SNAPSHOT})
    public String kind;

    private byte[][] frames;
    private byte[][] paddedFrames;
    private UnsafeBuffer[] buffers;
    private int next;

    private final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
    private final SimdJsonParser simdjson = new SimdJsonParser(SIMDJSON_CAPACITY, 64);
    private final StructuralIndexProbe stage1 = new StructuralIndexProbe(SIMDJSON_CAPACITY);

    @Setup
    public void setUp()
    {
        final RecordedFrames recorded = RecordedFrames.load();
        frames = recorded.framesOf(kind);
        paddedFrames = recorded.paddedFramesOf(kind);
        buffers = new UnsafeBuffer[frames.length];
        for (int i = 0; i < frames.length; i++)
        {
            buffers[i] = new UnsafeBuffer(frames[i]);
        }
        for (int i = 0; i < frames.length; i++)
        {
            next = i;
            final long expected = ours();
            next = i;
            final long dom = simdjsonDom();
            next = i;
            final long schema = simdjsonSchema();
            next = i;
            final long index = simdjsonIndexExact();
            if (expected == 0 || dom != expected || schema != expected || index != expected)
            {
                throw new IllegalStateException(kind + " frame " + i + ": ours " + expected + ", dom " + dom +
                    ", schema " + schema + ", index " + index + ": " +
                    new String(frames[i], java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        next = 0;
        System.out.printf("%n%s: %d frames, mean %.0f bytes%n", kind, frames.length, recorded.meanLength(kind));
    }

    private int nextIndex()
    {
        final int i = next;
        next = i + 1 == frames.length ? 0 : i + 1;
        return i;
    }

    /** Our decoder, then every decimal text range parsed exactly at the instrument's exponents. */
    @Benchmark
    public long ours()
    {
        final UnsafeBuffer buffer = buffers[nextIndex()];
        final BinanceJsonDecoder decoder = this.decoder;
        final int type = decoder.decode(buffer, 0, buffer.capacity());
        return switch (type)
        {
            case BinanceJsonDecoder.DEPTH_UPDATE ->
                decoder.firstUpdateId() + decoder.lastUpdateId() + levels(decoder.bids()) + levels(decoder.asks());
            case BinanceJsonDecoder.SNAPSHOT -> decoder.lastUpdateId() + levels(decoder.bids()) + levels(decoder.asks());
            case BinanceJsonDecoder.TRADE -> decoder.tradeId() + decoder.transactTimeMs() +
                (decoder.buyerIsMaker() ? 1 : 0) +
                price(buffer, decoder.priceOffset(), decoder.priceLength()) +
                qty(buffer, decoder.qtyOffset(), decoder.qtyLength());
            case BinanceJsonDecoder.BOOK_TICKER -> decoder.lastUpdateId() +
                price(buffer, decoder.bidPriceOffset(), decoder.bidPriceLength()) +
                qty(buffer, decoder.bidQtyOffset(), decoder.bidQtyLength()) +
                price(buffer, decoder.askPriceOffset(), decoder.askPriceLength()) +
                qty(buffer, decoder.askQtyOffset(), decoder.askQtyLength());
            default -> type;
        };
    }

    private long levels(final BinanceJsonDecoder.Levels levels)
    {
        final UnsafeBuffer buffer = (UnsafeBuffer)decoder.buffer();
        long sum = 0;
        for (int i = 0, n = levels.count(); i < n; i++)
        {
            sum += price(buffer, levels.priceOffset(i), levels.priceLength(i)) +
                qty(buffer, levels.qtyOffset(i), levels.qtyLength(i));
        }
        return sum;
    }

    private static long price(final UnsafeBuffer buffer, final int offset, final int length)
    {
        return Decimals.parse(buffer, offset, length, PRICE_EXPONENT);
    }

    private static long qty(final UnsafeBuffer buffer, final int offset, final int length)
    {
        return Decimals.parse(buffer, offset, length, QTY_EXPONENT);
    }

    /** simdjson-java's DOM: a tape, walked through JsonValue, strings materialised, decimals parsed exactly. */
    @Benchmark
    public long simdjsonDom()
    {
        final int i = nextIndex();
        final JsonValue root = simdjson.parse(paddedFrames[i], frames[i].length);
        switch (kind)
        {
            case RecordedFrames.SNAPSHOT:
                return root.get("lastUpdateId").asLong() + levels(root.get("bids")) + levels(root.get("asks"));
            case RecordedFrames.DIFF:
            {
                final JsonValue data = root.get("data");
                return data.get("U").asLong() + data.get("u").asLong() + levels(data.get("b")) + levels(data.get("a"));
            }
            case RecordedFrames.TRADE:
            {
                final JsonValue data = root.get("data");
                return data.get("t").asLong() + data.get("T").asLong() + (data.get("m").asBoolean() ? 1 : 0) +
                    price(data.get("p").asString()) + qty(data.get("q").asString());
            }
            default:
            {
                final JsonValue data = root.get("data");
                return data.get("u").asLong() + price(data.get("b").asString()) + qty(data.get("B").asString()) +
                    price(data.get("a").asString()) + qty(data.get("A").asString());
            }
        }
    }

    private static long levels(final JsonValue levels)
    {
        long sum = 0;
        final Iterator<JsonValue> it = levels.arrayIterator();
        while (it.hasNext())
        {
            final Iterator<JsonValue> level = it.next().arrayIterator();
            sum += price(level.next().asString()) + qty(level.next().asString());
        }
        return sum;
    }

    /** simdjson-java's schema-based parser into records (the one it advertises as the fast path). */
    @Benchmark
    public long simdjsonSchema()
    {
        final int i = nextIndex();
        final byte[] frame = paddedFrames[i];
        final int length = frames[i].length;
        switch (kind)
        {
            case RecordedFrames.SNAPSHOT:
            {
                final Snapshot s = simdjson.parse(frame, length, Snapshot.class);
                return s.lastUpdateId() + levels(s.bids()) + levels(s.asks());
            }
            case RecordedFrames.DIFF:
            {
                final Depth d = simdjson.parse(frame, length, DepthStream.class).data();
                return d.firstUpdateId() + d.lastUpdateId() + levels(d.bids()) + levels(d.asks());
            }
            case RecordedFrames.TRADE:
            {
                final Trade t = simdjson.parse(frame, length, TradeStream.class).data();
                return t.tradeId() + t.tradeTimeMs() + (t.buyerIsMaker() ? 1 : 0) + price(t.price()) + qty(t.qty());
            }
            default:
            {
                final BookTicker b = simdjson.parse(frame, length, BookTickerStream.class).data();
                return b.updateId() + price(b.bidPrice()) + qty(b.bidQty()) + price(b.askPrice()) + qty(b.askQty());
            }
        }
    }

    private static long levels(final String[][] levels)
    {
        long sum = 0;
        for (final String[] level : levels)
        {
            sum += price(level[0]) + qty(level[1]);
        }
        return sum;
    }

    /** simdjson-java's stage 1 alone (UTF-8 check, structural index) plus one pass over the index. */
    @Benchmark
    public long simdjsonStage1()
    {
        final int i = nextIndex();
        return stage1.indexAndWalk(paddedFrames[i], frames[i].length);
    }

    /**
     * simdjson's structural index plus our exact decimals: the best case of "simdjson finds the structure, we
     * read the values from the original bytes". Values: ids U, u, t, T and lastUpdateId; maker m; prices and
     * quantities under p/q (trade), b/B/a/A (bookTicker) and the level lists b/a/bids/asks.
     */
    @Benchmark
    public long simdjsonIndexExact()
    {
        final int i = nextIndex();
        final byte[] b = paddedFrames[i];
        final StructuralIndexProbe index = stage1;
        final UnsafeBuffer buffer = buffers[i];
        index.index(b, frames[i].length);
        long sum = 0;
        int key = 0;
        while (index.hasNext())
        {
            final int p = index.next();
            final byte c = b[p];
            if (c == '"')
            {
                final int close = index.peek() - 1; // compact form: the closing quote precedes the next structural
                if (b[close + 1] == ':')
                {
                    key = close - p == 2 ? b[p + 1] : close - p == 13 ? 'L' : close - p == 5 ? b[p + 1] : 0;
                    index.next();
                    continue;
                }
                switch (key)
                {
                    case 'p', 'b', 'a' -> sum += price(buffer, p + 1, close - p - 1);
                    case 'q', 'B', 'A' -> sum += qty(buffer, p + 1, close - p - 1);
                    default ->
                    {
                    }
                }
            }
            else if (c == '[' && key != 0)
            {
                sum += levels(index, b, buffer);
                key = 0;
            }
            else if (c >= '0' && c <= '9')
            {
                if (key == 'U' || key == 'u' || key == 't' || key == 'T' || key == 'L')
                {
                    long value = 0;
                    for (int k = p; b[k] >= '0' && b[k] <= '9'; k++)
                    {
                        value = value * 10 + (b[k] - '0');
                    }
                    sum += value;
                }
            }
            else if (c == 't' && key == 'm')
            {
                sum += 1;
            }
        }
        return sum;
    }

    /** After a level list's {@code [}: each {@code ["price","qty"]} through the index, up to the closing {@code ]}. */
    private static long levels(final StructuralIndexProbe index, final byte[] b, final UnsafeBuffer buffer)
    {
        long sum = 0;
        while (index.hasNext())
        {
            final int p = index.next();
            if (b[p] == ']')
            {
                return sum;
            }
            if (b[p] == '[')
            {
                final int price = index.next();
                index.next(); // ,
                final int qty = index.next();
                final int end = index.next(); // ]
                sum += price(buffer, price + 1, qty - price - 3) + qty(buffer, qty + 1, end - qty - 2);
            }
        }
        return sum;
    }

    private static long price(final String text)
    {
        return exact(text, PRICE_EXPONENT);
    }

    private static long qty(final String text)
    {
        return exact(text, QTY_EXPONENT);
    }

    /**
     * Exact decimal text to a mantissa, like {@link Decimals#parse} but over a String without copying it, so
     * the simdjson contenders pay only for the Strings their API hands out.
     */
    static long exact(final String text, final int exponent)
    {
        final int scale = -exponent;
        final int length = text.length();
        if (length == 0)
        {
            return Decimals.INVALID;
        }
        int i = 0;
        final boolean negative = text.charAt(0) == '-';
        if (negative)
        {
            i++;
        }
        long mantissa = 0;
        int fractionDigits = -1;
        int digits = 0;
        for (; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c == '.')
            {
                if (fractionDigits >= 0)
                {
                    return Decimals.INVALID;
                }
                fractionDigits = 0;
                continue;
            }
            final int digit = c - '0';
            if (digit < 0 || digit > 9)
            {
                return Decimals.INVALID;
            }
            digits++;
            if (fractionDigits >= 0)
            {
                if (fractionDigits == scale)
                {
                    if (digit != 0)
                    {
                        return Decimals.INVALID;
                    }
                    continue;
                }
                fractionDigits++;
            }
            if (mantissa > (Long.MAX_VALUE - digit) / 10)
            {
                return Decimals.INVALID;
            }
            mantissa = mantissa * 10 + digit;
        }
        if (digits == 0)
        {
            return Decimals.INVALID;
        }
        final int pad = scale - Math.max(fractionDigits, 0);
        if (pad > 0)
        {
            final long factor = Decimals.powerOfTen(pad);
            if (mantissa > Long.MAX_VALUE / factor)
            {
                return Decimals.INVALID;
            }
            mantissa *= factor;
        }
        return negative ? -mantissa : mantissa;
    }

    /** REST depth snapshot for simdjson-java's schema-based parser. */
    public record Snapshot(long lastUpdateId, String[][] bids, String[][] asks)
    {
    }

    /** Combined-stream envelope of a depth diff. */
    public record DepthStream(String stream, Depth data)
    {
    }

    public record Depth(
        @JsonFieldName("e") String eventType,
        @JsonFieldName("E") long eventTimeMs,
        @JsonFieldName("s") String symbol,
        @JsonFieldName("U") long firstUpdateId,
        @JsonFieldName("u") long lastUpdateId,
        @JsonFieldName("b") String[][] bids,
        @JsonFieldName("a") String[][] asks)
    {
    }

    public record TradeStream(String stream, Trade data)
    {
    }

    public record Trade(
        @JsonFieldName("e") String eventType,
        @JsonFieldName("E") long eventTimeMs,
        @JsonFieldName("s") String symbol,
        @JsonFieldName("t") long tradeId,
        @JsonFieldName("p") String price,
        @JsonFieldName("q") String qty,
        @JsonFieldName("T") long tradeTimeMs,
        @JsonFieldName("m") boolean buyerIsMaker,
        @JsonFieldName("M") boolean ignore)
    {
    }

    public record BookTickerStream(String stream, BookTicker data)
    {
    }

    public record BookTicker(
        @JsonFieldName("u") long updateId,
        @JsonFieldName("s") String symbol,
        @JsonFieldName("b") String bidPrice,
        @JsonFieldName("B") String bidQty,
        @JsonFieldName("a") String askPrice,
        @JsonFieldName("A") String askQty)
    {
    }
}
