package mm.feed.binance;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fuzzing of the JSON decoder and the book sync: N frames. 60% are the real recordings (spot and
 * futures, with snapshots, aggTrades and mark prices) in order, one in 20 of them mutated, so that the syncs
 * keep bridging snapshots and mutations also hit the live paths (the syncs are reset when the recordings
 * start over); the rest are recorded frames mutated byte-wise or spliced, generated JSON with Binance's
 * keys, and random bytes. For every frame:
 * <ul>
 * <li>no exception escapes the decoder or either sync (one with fixed exponents, one deriving them);</li>
 * <li>the decoder reads nothing outside its range: decoding the frame in an exact-size buffer (bounds checks
 * are on in tests, so a read past the end throws) and inside a larger buffer between random bytes gives the
 * same type and the same fields;</li>
 * <li>every frame is counted: a malformed or unknown frame moves exactly that counter by one, and any other
 * frame moves at least one of the sync's counters (applied, buffered, stale, gap, rejected, ...).</li>
 * </ul>
 * The book's sides are checked for order every 10,000 frames. Excluded from the default run (tag "fuzz"); run:
 * <pre>
 * mvn -q -pl feed-handlers -am verify -Dgroups=fuzz -DexcludedGroups=none -Dtest=JsonFuzzTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dmm.fuzz.frames=1000000 -Dmm.fuzz.seed=20240808
 * </pre>
 * A failure names the seed and the frame index; the same seed reproduces it.
 */
@Tag("fuzz")
class JsonFuzzTest
{
    private static final int FRAMES = Integer.getInteger("mm.fuzz.frames", 1_000_000);
    private static final long SEED = Long.getLong("mm.fuzz.seed", 20240808L);
    private static final byte[] STRUCTURAL = "{}[]:,\"\\ 0123456789.-+eEtfn".getBytes(StandardCharsets.US_ASCII);
    private static final String[] KEYS = {
        "e", "E", "s", "U", "u", "pu", "b", "a", "B", "A", "p", "q", "m", "M", "t", "T", "i", "r", "P", "f", "l",
        "stream", "data", "lastUpdateId", "bids", "asks", "symbol", "result", "id", "x"};
    private static final String[] EVENT_TYPES = {
        "depthUpdate", "trade", "aggTrade", "bookTicker", "markPriceUpdate", "kline", "serverShutdown", "brandNew"};

    private final SplittableRandom random = new SplittableRandom(SEED);

    @Test
    void decoderAndSyncCountEveryFrameAndNeverThrow() throws IOException
    {
        final List<byte[]> recorded = recordedFrames();
        final BinanceJsonDecoder exact = new BinanceJsonDecoder();
        final BinanceJsonDecoder embedded = new BinanceJsonDecoder();
        final BookSync fixed = new BookSync(new CapturingListener(false), -2, -8);
        final BookSync derived = BookSync.withDerivedExponents(new CapturingListener(false));
        final UnsafeBuffer exactBuffer = new UnsafeBuffer(new byte[0]);
        final UnsafeBuffer embeddedBuffer = new UnsafeBuffer(new byte[0]);
        final long[] typeCounts = new long[9]; // by decoder type + 1
        long receiveTimeNs = 1_700_000_000_000_000_000L;
        int nextRecorded = 0;

        for (int n = 0; n < FRAMES; n++)
        {
            final byte[] frame;
            final int choice = random.nextInt(100);
            if (choice < 60)
            {
                // The recording in order, one frame in 20 mutated: the syncs bridge, apply, break and resync.
                final byte[] next = recorded.get(nextRecorded);
                frame = random.nextInt(20) == 0 ? mutate(next) : next;
                if (++nextRecorded == recorded.size())
                {
                    nextRecorded = 0;
                    fixed.reset(); // update ids start again from the top: a new run as far as the syncs know
                    derived.reset();
                }
            }
            else if (choice < 75)
            {
                frame = mutate(recorded.get(random.nextInt(recorded.size())));
            }
            else if (choice < 83)
            {
                frame = splice(recorded.get(random.nextInt(recorded.size())), recorded.get(random.nextInt(recorded.size())));
            }
            else if (choice < 93)
            {
                frame = generated();
            }
            else
            {
                frame = randomBytes();
            }
            receiveTimeNs += 1 + random.nextInt(1_000_000);

            try
            {
                exactBuffer.wrap(frame);
                final int type = exact.decode(exactBuffer, 0, frame.length);
                typeCounts[type + 1]++;

                // Same frame between random bytes: same answer, so nothing outside [offset, offset + length) was read.
                final int offset = 1 + random.nextInt(16);
                final byte[] surrounded = new byte[offset + frame.length + 1 + random.nextInt(16)];
                random.nextBytes(surrounded);
                System.arraycopy(frame, 0, surrounded, offset, frame.length);
                embeddedBuffer.wrap(surrounded);
                assertEquals(type, embedded.decode(embeddedBuffer, offset, frame.length));
                assertSameFields(exact, embedded, offset);

                final long before = accounted(fixed);
                final long malformedBefore = fixed.malformed();
                final long unknownBefore = fixed.unknownMessages();
                fixed.onLine(exactBuffer, 0, frame.length, receiveTimeNs);
                if (type == BinanceJsonDecoder.MALFORMED)
                {
                    assertEquals(malformedBefore + 1, fixed.malformed());
                }
                else if (type == BinanceJsonDecoder.UNKNOWN)
                {
                    assertEquals(unknownBefore + 1, fixed.unknownMessages());
                }
                assertTrue(accounted(fixed) > before, "frame not counted");

                final long derivedMalformed = derived.malformed();
                derived.onLine(exactBuffer, 0, frame.length, receiveTimeNs);
                assertEquals(derivedMalformed + (type == BinanceJsonDecoder.MALFORMED ? 1 : 0), derived.malformed());

                if (n % 10_000 == 0)
                {
                    assertOrdered(fixed.book());
                    assertOrdered(derived.book());
                }
            }
            catch (final Throwable ex)
            {
                throw new AssertionError("seed " + SEED + ", frame " + n + ": " + ex + "\n" + printable(frame), ex);
            }
        }
        assertOrdered(fixed.book());
        System.out.println("fuzz: " + FRAMES + " frames, seed " + SEED + ", types (malformed, unknown, depth, trade, " +
            "bookTicker, snapshot, ignored, aggTrade, markPrice) " + Arrays.toString(typeCounts) + "\n  fixed " + HftbacktestReplayTest.describe(fixed).split(", book=")[0] +
            "\n  derived " + HftbacktestReplayTest.describe(derived).split(", book=")[0]);
        assertTrue(fixed.diffsApplied() > 0 && fixed.malformed() > 0 && fixed.rejectedValues() > 0,
            "the fuzzing must reach the synced, malformed and rejected paths");
    }

    /** The sum of the counters by which the sync accounts for a frame. */
    private static long accounted(final BookSync sync)
    {
        return sync.malformed() + sync.unknownMessages() + sync.ignoredMessages() + sync.snapshots() +
            sync.diffsBuffered() + sync.diffsDroppedStale() + sync.diffsApplied() + sync.gaps() + sync.trades() +
            sync.bookTickers() + sync.markPrices() + sync.rejectedValues() + sync.otherSymbolMessages() +
            sync.snapshotsUnusable() + sync.pendingOverflows();
    }

    private static void assertSameFields(final BinanceJsonDecoder a, final BinanceJsonDecoder b, final int offset)
    {
        if (a.type() == BinanceJsonDecoder.MALFORMED)
        {
            return; // nothing is read from a malformed frame
        }
        assertEquals(a.eventTimeMs(), b.eventTimeMs());
        assertEquals(a.transactTimeMs(), b.transactTimeMs());
        assertEquals(a.firstUpdateId(), b.firstUpdateId());
        assertEquals(a.lastUpdateId(), b.lastUpdateId());
        assertEquals(a.previousUpdateId(), b.previousUpdateId());
        assertEquals(a.tradeId(), b.tradeId());
        assertEquals(a.hasSymbol(), b.hasSymbol());
        assertEquals(a.bids().count(), b.bids().count());
        assertEquals(a.asks().count(), b.asks().count());
        switch (a.type())
        {
            case BinanceJsonDecoder.TRADE, BinanceJsonDecoder.AGG_TRADE, BinanceJsonDecoder.MARK_PRICE ->
            {
                assertEquals(a.priceOffset() + offset, b.priceOffset());
                assertEquals(a.priceLength(), b.priceLength());
            }
            case BinanceJsonDecoder.BOOK_TICKER ->
            {
                assertEquals(a.askQtyOffset() + offset, b.askQtyOffset());
                assertEquals(a.askQtyLength(), b.askQtyLength());
            }
            default ->
            {
                for (int i = 0; i < a.bids().count(); i++)
                {
                    assertEquals(a.bids().priceOffset(i) + offset, b.bids().priceOffset(i));
                    assertEquals(a.bids().qtyLength(i), b.bids().qtyLength(i));
                }
            }
        }
    }

    /** Bids strictly descending and asks strictly ascending from the best, every quantity positive. */
    private static void assertOrdered(final OrderBook book)
    {
        for (int side = 0; side < 2; side++)
        {
            long previous = 0;
            for (int depth = 0; depth < book.levels(side); depth++)
            {
                final long price = book.price(side, depth);
                assertTrue(book.qty(side, depth) > 0, "quantity at " + depth);
                assertTrue(price > 0 && (depth == 0 || (side == OrderBook.BID ? price < previous : price > previous)),
                    "side " + side + " out of order at " + depth);
                previous = price;
            }
        }
    }

    private byte[] mutate(final byte[] frame)
    {
        byte[] bytes = frame.clone();
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && bytes.length > 0; m++)
        {
            final int at = random.nextInt(bytes.length);
            switch (random.nextInt(8))
            {
                case 0 -> bytes[at] = (byte)random.nextInt(256);
                case 1 -> bytes[at] = STRUCTURAL[random.nextInt(STRUCTURAL.length)];
                case 2 ->
                {
                    // A digit changed keeps the syntax: wrong ids, prices and quantities reach the sync.
                    final int digit = indexOfDigit(bytes, at);
                    if (digit >= 0)
                    {
                        bytes[digit] = (byte)('0' + random.nextInt(10));
                    }
                }
                case 3 -> bytes = Arrays.copyOf(bytes, at); // truncated
                case 4 ->
                {
                    final int length = Math.min(bytes.length - at, 1 + random.nextInt(16));
                    final byte[] shorter = new byte[bytes.length - length];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + length, shorter, at, bytes.length - at - length);
                    bytes = shorter;
                }
                case 5 ->
                {
                    final byte[] inserted = new byte[1 + random.nextInt(8)];
                    for (int i = 0; i < inserted.length; i++)
                    {
                        inserted[i] = STRUCTURAL[random.nextInt(STRUCTURAL.length)];
                    }
                    bytes = insert(bytes, at, inserted);
                }
                case 6 ->
                {
                    final int length = Math.min(bytes.length - at, 1 + random.nextInt(32));
                    bytes = insert(bytes, at, Arrays.copyOfRange(bytes, at, at + length)); // duplicated range
                }
                default ->
                {
                    final int other = random.nextInt(bytes.length);
                    final byte swap = bytes[at];
                    bytes[at] = bytes[other];
                    bytes[other] = swap;
                }
            }
        }
        return bytes;
    }

    private static int indexOfDigit(final byte[] bytes, final int from)
    {
        for (int i = from; i < bytes.length; i++)
        {
            if (bytes[i] >= '0' && bytes[i] <= '9')
            {
                return i;
            }
        }
        return -1;
    }

    private static byte[] insert(final byte[] bytes, final int at, final byte[] inserted)
    {
        final byte[] longer = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, longer, 0, at);
        System.arraycopy(inserted, 0, longer, at, inserted.length);
        System.arraycopy(bytes, at, longer, at + inserted.length, bytes.length - at);
        return longer;
    }

    private byte[] splice(final byte[] a, final byte[] b)
    {
        final int cutA = random.nextInt(a.length + 1);
        final int cutB = random.nextInt(b.length + 1);
        final byte[] spliced = Arrays.copyOf(a, cutA + b.length - cutB);
        System.arraycopy(b, cutB, spliced, cutA, b.length - cutB);
        return spliced;
    }

    private byte[] randomBytes()
    {
        final byte[] bytes = new byte[random.nextInt(300)];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = random.nextInt(4) == 0 ? STRUCTURAL[random.nextInt(STRUCTURAL.length)] : (byte)random.nextInt(256);
        }
        return bytes;
    }

    /** JSON, valid or nearly so, made of Binance's keys, event types and value shapes. */
    private byte[] generated()
    {
        final StringBuilder sb = new StringBuilder(256);
        if (random.nextBoolean())
        {
            sb.append("{\"stream\":\"btcusdt@").append(random.nextBoolean() ? "bookTicker" : "depth").append("\",\"data\":");
            object(sb, 0);
            sb.append('}');
        }
        else
        {
            object(sb, 0);
        }
        if (random.nextInt(10) == 0)
        {
            sb.setLength(random.nextInt(sb.length() + 1));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void object(final StringBuilder sb, final int depth)
    {
        sb.append('{');
        final int keys = random.nextInt(10);
        for (int k = 0; k < keys; k++)
        {
            if (k > 0)
            {
                sb.append(',');
            }
            final String key = KEYS[random.nextInt(KEYS.length)];
            sb.append('"').append(key).append("\":");
            if (key.equals("e"))
            {
                sb.append('"').append(EVENT_TYPES[random.nextInt(EVENT_TYPES.length)]).append('"');
            }
            else
            {
                value(sb, depth);
            }
        }
        sb.append('}');
    }

    private void value(final StringBuilder sb, final int depth)
    {
        switch (random.nextInt(depth > 2 ? 6 : 9))
        {
            case 0 -> sb.append('"').append(decimal()).append('"');
            case 1 -> sb.append(random.nextLong(Long.MAX_VALUE) >> random.nextInt(64));
            case 2 -> sb.append(random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null");
            case 3 -> sb.append('-').append(random.nextInt(1000)).append(random.nextBoolean() ? ".5e3" : "");
            case 4 -> sb.append("\"\"");
            case 5 -> sb.append("99999999999999999999999");
            case 6 ->
            {
                sb.append('[');
                final int levels = random.nextInt(5);
                for (int i = 0; i < levels; i++)
                {
                    sb.append(i > 0 ? "," : "").append("[\"").append(decimal()).append("\",\"").append(decimal()).append('"');
                    if (random.nextInt(8) == 0)
                    {
                        sb.append(",[]");
                    }
                    sb.append(']');
                }
                sb.append(']');
            }
            case 7 -> object(sb, depth + 1);
            default ->
            {
                sb.append('[');
                value(sb, depth + 1);
                sb.append(']');
            }
        }
    }

    private String decimal()
    {
        return switch (random.nextInt(6))
        {
            case 0 -> "0.00000000";
            case 1 -> random.nextInt(100_000) + "." + random.nextInt(100);
            case 2 -> "1e5";
            case 3 -> "-" + random.nextInt(10);
            case 4 -> "61837.6300000" + random.nextInt(10);
            default -> Long.toString(random.nextLong(1_000_000_000_000L)) + ".0";
        };
    }

    /** Real frames: a spot BTCUSDT excerpt with its snapshot, USD-M with mark prices, cryptofeed aggTrades. */
    private static List<byte[]> recordedFrames() throws IOException
    {
        final List<byte[]> frames = new ArrayList<>();
        for (final TestData.Line line : TestData.readLines(TestData.sample("binance_json_btcusdt_20240808_excerpt.jsonl.gz")))
        {
            frames.add(line.json());
        }
        final List<TestData.Line> usdm = TestData.readLines(TestData.hftbacktest("usdm/btcusdt_20230404.dat.gz"));
        for (final TestData.Line line : usdm.subList(0, Math.min(3_000, usdm.size())))
        {
            frames.add(line.json());
        }
        final Path futures = TestData.shared().resolve("data/binance/cryptofeed/BINANCE_FUTURES.ws.1.0");
        final List<String> lines = Files.readAllLines(futures, StandardCharsets.UTF_8);
        for (final String line : lines.subList(1, lines.size()))
        {
            final int colon = line.indexOf(": ");
            if (colon > 0)
            {
                frames.add(line.substring(colon + 2).getBytes(StandardCharsets.UTF_8));
            }
        }
        return frames;
    }

    private static String printable(final byte[] frame)
    {
        final StringBuilder sb = new StringBuilder(frame.length + 16);
        for (final byte b : frame)
        {
            if (b >= 0x20 && b < 0x7F)
            {
                sb.append((char)b);
            }
            else
            {
                sb.append(String.format("\\x%02x", b & 0xFF));
            }
        }
        return sb.toString();
    }
}
