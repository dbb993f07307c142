package mm.perf.latency;

import mm.common.Instrument;
import mm.feed.binance.BinanceJsonDecoder;
import mm.feed.binance.BookSync;
import mm.feed.binance.BookSyncListener;
import mm.feed.binance.OrderBook;
import mm.feed.binance.RecordingReader;
import mm.feed.binance.sbe.BinanceSbeAdapter;
import mm.feed.binance.sbe.SbeRecording;
import mm.sbe.FeedState;
import mm.sbe.binance.stream.BestBidAskStreamEventEncoder;
import mm.sbe.binance.stream.DepthDiffStreamEventEncoder;
import mm.sbe.binance.stream.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A finite real recording turned into an endless, valid venue stream, so a load generator can run for as long
 * as it likes without ever replaying stale ids or resyncing. The frames up to and including the REST snapshot
 * that syncs the book are sent once (the prefix); the rest loops in laps. At the end of each lap a few
 * <em>restore diffs</em> (ordinary depth diffs, deletions first so no intermediate book crosses) bring the book
 * back to exactly its state after the snapshot was bridged, so every lap rebuilds exactly the recorded books
 * and every bookTicker cross-check agrees. Each lap shifts the update ids of diffs and bookTickers by the lap's
 * span, so the chain continues ({@code U <= previous u + 1}); a frame is rewritten for its next lap right after
 * it is sent ({@link #prepareNextLap}), in place and without allocation (JSON digits keep their length).
 * <p>
 * Everything is checked when built: three laps replayed offline through a fresh {@link BookSync} must apply
 * with no gap, no rejected value and no bookTicker mismatch, and end each lap with the same book.
 */
public final class EndlessRecording
{
    /** What the venue sends: the JSON text frames, or the official SBE stream frames (snapshot stays JSON). */
    public enum Format
    {
        JSON,
        SBE
    }

    private static final int KIND_OTHER = 0;
    private static final int KIND_DIFF = 1;
    private static final int KIND_BOOK_TICKER = 2;
    /** Levels per restore diff: the size of a busy real diff. */
    private static final int RESTORE_LEVELS_PER_DIFF = 50;
    private static final int CHECKED_LAPS = 3;

    private final Format format;
    private final UnsafeBuffer frames;
    private final int[] offsets;
    private final int[] lengths;
    private final boolean[] sbe;
    private final int prefixCount;
    private final int restoreDiffCount;
    private final long lapSpan;
    private final int[] kinds;
    private final long[] firstIds;
    private final long[] lastIds;
    /** JSON only: where the digits of U and u are, and how many there are. */
    private final int[] firstIdAt;
    private final int[] firstIdDigits;
    private final int[] lastIdAt;
    private final int[] lastIdDigits;
    private final DepthDiffStreamEventEncoder diffEncoder = new DepthDiffStreamEventEncoder();
    private final BestBidAskStreamEventEncoder bestBidAskEncoder = new BestBidAskStreamEventEncoder();
    private final long bookUpdates;
    private final long trades;
    private final long bookTickers;

    private EndlessRecording(final Format format, final List<byte[]> content, final List<Boolean> isSbe,
        final int prefixCount, final int restoreDiffCount, final long lapSpan)
    {
        this.format = format;
        this.prefixCount = prefixCount;
        this.restoreDiffCount = restoreDiffCount;
        this.lapSpan = lapSpan;
        final int count = content.size();
        int total = 0;
        for (final byte[] bytes : content)
        {
            total += bytes.length;
        }
        frames = new UnsafeBuffer(new byte[total]);
        offsets = new int[count];
        lengths = new int[count];
        sbe = new boolean[count];
        kinds = new int[count];
        firstIds = new long[count];
        lastIds = new long[count];
        firstIdAt = new int[count];
        firstIdDigits = new int[count];
        lastIdAt = new int[count];
        lastIdDigits = new int[count];
        int at = 0;
        final BinanceJsonDecoder json = new BinanceJsonDecoder();
        final mm.feed.binance.sbe.BinanceSbeDecoder binary = new mm.feed.binance.sbe.BinanceSbeDecoder();
        long diffs = 0;
        long tradeCount = 0;
        long tickerCount = 0;
        for (int i = 0; i < count; i++)
        {
            final byte[] bytes = content.get(i);
            frames.putBytes(at, bytes);
            offsets[i] = at;
            lengths[i] = bytes.length;
            sbe[i] = isSbe.get(i);
            at += bytes.length;
            if (sbe[i])
            {
                switch (binary.decode(frames, offsets[i], lengths[i]))
                {
                    case mm.feed.binance.sbe.BinanceSbeDecoder.DEPTH_DIFF ->
                    {
                        kinds[i] = KIND_DIFF;
                        firstIds[i] = binary.depthDiff().firstBookUpdateId();
                        lastIds[i] = binary.depthDiff().lastBookUpdateId();
                        diffs++;
                    }
                    case mm.feed.binance.sbe.BinanceSbeDecoder.BEST_BID_ASK ->
                    {
                        kinds[i] = KIND_BOOK_TICKER;
                        lastIds[i] = binary.bestBidAsk().bookUpdateId();
                        tickerCount++;
                    }
                    default -> tradeCount++;
                }
            }
            else
            {
                final int type = json.decode(frames, offsets[i], lengths[i]);
                if (type == BinanceJsonDecoder.DEPTH_UPDATE)
                {
                    kinds[i] = KIND_DIFF;
                    firstIds[i] = json.firstUpdateId();
                    lastIds[i] = json.lastUpdateId();
                    firstIdAt[i] = offsets[i] + digitsAfter(bytes, "\"U\":", firstIds[i]);
                    firstIdDigits[i] = digitCount(firstIds[i]);
                    lastIdAt[i] = offsets[i] + digitsAfter(bytes, "\"u\":", lastIds[i]);
                    lastIdDigits[i] = digitCount(lastIds[i]);
                    diffs++;
                }
                else if (type == BinanceJsonDecoder.BOOK_TICKER)
                {
                    kinds[i] = KIND_BOOK_TICKER;
                    lastIds[i] = json.lastUpdateId();
                    lastIdAt[i] = offsets[i] + digitsAfter(bytes, "\"u\":", lastIds[i]);
                    lastIdDigits[i] = digitCount(lastIds[i]);
                    tickerCount++;
                }
                else if (type == BinanceJsonDecoder.TRADE || type == BinanceJsonDecoder.AGG_TRADE)
                {
                    tradeCount++;
                }
            }
        }
        bookUpdates = diffs;
        trades = tradeCount;
        bookTickers = tickerCount;
    }

    /**
     * Builds the endless stream of a hftbacktest-format Binance spot recording for {@code instrument}, in
     * {@code format}, and checks three laps offline.
     *
     * @throws IllegalStateException if the recording never syncs or a lap would not replay cleanly.
     */
    public static EndlessRecording of(final Path recording, final Instrument instrument, final Format format)
    {
        final List<byte[]> lines = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(recording))
        {
            while (reader.next())
            {
                final byte[] bytes = new byte[reader.jsonLength()];
                reader.buffer().getBytes(reader.jsonOffset(), bytes);
                lines.add(bytes);
            }
        }

        // 1. Sync offline: the prefix ends with the line that bridged (the snapshot, replaying buffered diffs).
        final BookSync sync = new BookSync(NO_LISTENER, instrument);
        final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
        int prefix = 0;
        while (prefix < lines.size() && !(sync.isSynced() && sync.diffsApplied() > 0))
        {
            final byte[] line = lines.get(prefix++);
            sync.onLine(new UnsafeBuffer(line), 0, line.length, 0);
        }
        if (!sync.isSynced())
        {
            throw new IllegalStateException("the recording never synced its book: " + recording);
        }
        final long bridgeId = sync.lastUpdateId();
        final long[][] startBook = copy(sync.book());

        // 2. One lap as recorded (later snapshots are left out: a synced book ignores them anyway).
        final List<byte[]> loop = new ArrayList<>();
        long lastExchangeMs = 0;
        long maxTickerId = 0;
        for (int i = prefix; i < lines.size(); i++)
        {
            final byte[] line = lines.get(i);
            final int type = decoder.decode(new UnsafeBuffer(line), 0, line.length);
            if (type == BinanceJsonDecoder.SNAPSHOT)
            {
                continue;
            }
            if (type == BinanceJsonDecoder.DEPTH_UPDATE && decoder.hasPreviousUpdateId())
            {
                throw new IllegalStateException("only spot recordings (no pu) can be looped: " + recording);
            }
            if (type == BinanceJsonDecoder.DEPTH_UPDATE)
            {
                lastExchangeMs = decoder.exchangeTimeMs();
            }
            if (type == BinanceJsonDecoder.BOOK_TICKER)
            {
                maxTickerId = Math.max(maxTickerId, decoder.lastUpdateId());
            }
            loop.add(line);
            sync.onLine(new UnsafeBuffer(line), 0, line.length, 0);
        }
        final long lastId = sync.lastUpdateId();
        final long plainMismatches = sync.bookTickerMismatches();

        // 3. Restore diffs: deletions first (a subset of an uncrossed book never crosses), then the start's levels.
        // The first one's range reaches past every bookTicker id of the lap: a bookTicker at the end of the
        // recording (its diff never recorded) must not meet a restore diff with its id.
        final long firstRestoreLastId = Math.max(lastId, maxTickerId) + 1;
        final List<byte[]> restore =
            restoreDiffs(startBook, copy(sync.book()), instrument, lastId, firstRestoreLastId, lastExchangeMs);
        loop.addAll(restore);
        final long lapSpan = firstRestoreLastId + restore.size() - 1 - bridgeId;

        final List<byte[]> jsonFrames = new ArrayList<>(lines.subList(0, prefix));
        jsonFrames.addAll(loop);
        final List<Boolean> isSbe = new ArrayList<>();
        final List<byte[]> content;
        if (format == Format.JSON)
        {
            content = jsonFrames;
            for (int i = 0; i < content.size(); i++)
            {
                isSbe.add(false);
            }
        }
        else
        {
            content = new ArrayList<>();
            final SbeRecording.Encoder encoder = new SbeRecording.Encoder(
                SbeRecording.DEFAULT_PRICE_EXPONENT, SbeRecording.DEFAULT_QTY_EXPONENT);
            final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64 * 1024);
            for (final byte[] line : jsonFrames)
            {
                decoder.decode(new UnsafeBuffer(line), 0, line.length);
                final int length = encoder.encode(decoder, out, 0);
                if (length > 0)
                {
                    content.add(Arrays.copyOf(out.byteArray(), length));
                    isSbe.add(true);
                }
                else
                {
                    content.add(line);
                    isSbe.add(false);
                }
            }
        }
        final EndlessRecording endless = new EndlessRecording(format, content, isSbe, prefix, restore.size(), lapSpan);
        endless.check(instrument, startBook, plainMismatches);
        return endless;
    }

    /** Replays the prefix and {@link #CHECKED_LAPS} laps on a copy, through the same decoders the feed uses. */
    private void check(final Instrument instrument, final long[][] startBook, final long plainMismatches)
    {
        final EndlessRecording copy = copy();
        final BookSync sync = new BookSync(NO_LISTENER, instrument);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        long[][] lapEnd = null;
        for (int i = 0; i < prefixCount; i++)
        {
            copy.apply(i, sync, adapter);
        }
        if (!Arrays.deepEquals(copy(sync.book()), startBook))
        {
            throw new IllegalStateException("the prefix does not rebuild the synced book");
        }
        for (int lap = 0; lap < CHECKED_LAPS; lap++)
        {
            final long mismatchesBefore = sync.bookTickerMismatches();
            for (int k = 0; k < loopCount(); k++)
            {
                final int frame = prefixCount + k;
                copy.apply(frame, sync, adapter);
                if (k == loopCount() - restoreDiffCount - 1)
                {
                    final long[][] end = copy(sync.book());
                    if (lapEnd != null && !Arrays.deepEquals(end, lapEnd))
                    {
                        throw new IllegalStateException("lap " + lap + " ends with another book than lap 0: " +
                            difference(end, lapEnd));
                    }
                    lapEnd = end;
                }
                copy.prepareNextLap(frame, lap);
            }
            if (!Arrays.deepEquals(copy(sync.book()), startBook))
            {
                throw new IllegalStateException("the restore diffs of lap " + lap + " do not rebuild the start book");
            }
            final long mismatches = sync.bookTickerMismatches() - mismatchesBefore;
            if (mismatches != plainMismatches)
            {
                throw new IllegalStateException("lap " + lap + " has " + mismatches + " bookTicker mismatches, the " +
                    "recording " + plainMismatches);
            }
        }
        if (sync.gaps() != 0 || sync.rejectedValues() != 0 || sync.malformed() != 0 || adapter.badFrames() != 0 ||
            !sync.isSynced())
        {
            throw new IllegalStateException("laps do not replay cleanly: gaps=" + sync.gaps() + " rejected=" +
                sync.rejectedValues() + " malformed=" + sync.malformed() + " badFrames=" + adapter.badFrames() +
                " state=" + sync.state());
        }
    }

    private EndlessRecording copy()
    {
        final List<byte[]> content = new ArrayList<>(offsets.length);
        final List<Boolean> isSbe = new ArrayList<>(offsets.length);
        for (int i = 0; i < offsets.length; i++)
        {
            final byte[] bytes = new byte[lengths[i]];
            frames.getBytes(offsets[i], bytes);
            content.add(bytes);
            isSbe.add(sbe[i]);
        }
        return new EndlessRecording(format, content, isSbe, prefixCount, restoreDiffCount, lapSpan);
    }

    /** Hands frame {@code index} to the feed's decoders, stamped with {@code receiveTimeNs}. */
    public void apply(final int index, final BookSync sync, final BinanceSbeAdapter adapter, final long receiveTimeNs)
    {
        if (sbe[index])
        {
            adapter.onFrame(frames, offsets[index], lengths[index], receiveTimeNs);
        }
        else
        {
            sync.onLine(frames, offsets[index], lengths[index], receiveTimeNs);
        }
    }

    private void apply(final int index, final BookSync sync, final BinanceSbeAdapter adapter)
    {
        apply(index, sync, adapter, 0);
    }

    /**
     * Rewrites loop frame {@code index}, just sent in lap {@code lap}, for lap {@code lap + 1}: its update ids
     * become the recorded ones plus {@code (lap + 1) × span}. Prefix frames are left alone. Allocation-free.
     */
    public void prepareNextLap(final int index, final long lap)
    {
        final int kind = kinds[index];
        if (index < prefixCount || kind == KIND_OTHER)
        {
            return;
        }
        final long shift = (lap + 1) * lapSpan;
        if (sbe[index])
        {
            final int body = offsets[index] + MessageHeaderEncoder.ENCODED_LENGTH;
            if (kind == KIND_DIFF)
            {
                diffEncoder.wrap(frames, body).firstBookUpdateId(firstIds[index] + shift)
                    .lastBookUpdateId(lastIds[index] + shift);
            }
            else
            {
                bestBidAskEncoder.wrap(frames, body).bookUpdateId(lastIds[index] + shift);
            }
        }
        else
        {
            if (kind == KIND_DIFF)
            {
                writeDigits(firstIdAt[index], firstIdDigits[index], firstIds[index] + shift);
            }
            writeDigits(lastIdAt[index], lastIdDigits[index], lastIds[index] + shift);
        }
    }

    /** Puts every loop frame back to its recorded ids (lap 0), for a new feed over the same frames. */
    public void rewind()
    {
        for (int i = prefixCount; i < offsets.length; i++)
        {
            prepareNextLap(i, -1);
        }
    }

    private void writeDigits(final int at, final int digits, final long value)
    {
        long v = value;
        for (int i = digits - 1; i >= 0; i--)
        {
            frames.putByte(at + i, (byte)('0' + v % 10));
            v /= 10;
        }
        if (v != 0)
        {
            // a lap count this high (about 10^(digits) / span laps) would change the JSON's length
            throw new IllegalStateException("update id " + value + " no longer fits the recorded " + digits + " digits");
        }
    }

    public Format format()
    {
        return format;
    }

    /** Frames in total: the prefix and one lap. */
    public int frameCount()
    {
        return offsets.length;
    }

    /** Frames sent once, up to and including the one that syncs the book. */
    public int prefixCount()
    {
        return prefixCount;
    }

    /** Frames per lap, restore diffs included. */
    public int loopCount()
    {
        return offsets.length - prefixCount;
    }

    /** Synthetic diffs at the end of each lap that bring the book back to its state at the lap's start. */
    public int restoreDiffCount()
    {
        return restoreDiffCount;
    }

    public long lapSpan()
    {
        return lapSpan;
    }

    /** Depth diffs in prefix + lap (restore diffs included), trades, bookTickers. */
    public long depthDiffs()
    {
        return bookUpdates;
    }

    public long trades()
    {
        return trades;
    }

    public long bookTickers()
    {
        return bookTickers;
    }

    /** Mean frame length in bytes. */
    public double meanFrameLength()
    {
        return (double)frames.capacity() / offsets.length;
    }

    static String difference(final long[][] a, final long[][] b)
    {
        for (int side = 0; side < 2; side++)
        {
            final java.util.Map<Long, Long> left = levels(a, side);
            final java.util.Map<Long, Long> right = levels(b, side);
            for (final var level : left.entrySet())
            {
                if (!level.getValue().equals(right.get(level.getKey())))
                {
                    return (side == 0 ? "bid " : "ask ") + level.getKey() + ": " + level.getValue() + " vs " +
                        right.get(level.getKey()) + " (" + left.size() + " vs " + right.size() + " levels)";
                }
            }
            for (final var level : right.entrySet())
            {
                if (!left.containsKey(level.getKey()))
                {
                    return (side == 0 ? "bid " : "ask ") + level.getKey() + ": absent vs " + level.getValue() + " (" +
                        left.size() + " vs " + right.size() + " levels)";
                }
            }
        }
        return "no difference";
    }

    private static long[][] copy(final OrderBook book)
    {
        final long[][] levels = new long[4][];
        for (int side = 0; side < 2; side++)
        {
            final int count = book.levels(side);
            levels[side * 2] = new long[count];
            levels[side * 2 + 1] = new long[count];
            for (int depth = 0; depth < count; depth++)
            {
                levels[side * 2][depth] = book.price(side, depth);
                levels[side * 2 + 1][depth] = book.qty(side, depth);
            }
        }
        return levels;
    }

    private static List<byte[]> restoreDiffs(final long[][] start, final long[][] end, final Instrument instrument,
        final long lastId, final long firstRestoreLastId, final long exchangeMs)
    {
        // per side: price -> qty to set (0 deletes)
        final List<long[]> deletes = new ArrayList<>();
        final List<long[]> sets = new ArrayList<>();
        for (int side = 0; side < 2; side++)
        {
            final java.util.Map<Long, Long> startLevels = levels(start, side);
            final java.util.Map<Long, Long> endLevels = levels(end, side);
            for (final var level : endLevels.entrySet())
            {
                if (!startLevels.containsKey(level.getKey()))
                {
                    deletes.add(new long[]{side, level.getKey(), 0});
                }
            }
            for (final var level : startLevels.entrySet())
            {
                if (!level.getValue().equals(endLevels.get(level.getKey())))
                {
                    sets.add(new long[]{side, level.getKey(), level.getValue()});
                }
            }
        }
        final List<long[]> changes = new ArrayList<>(deletes);
        changes.addAll(sets);
        final List<byte[]> diffs = new ArrayList<>();
        long id = firstRestoreLastId;
        for (int from = 0; from < Math.max(1, changes.size()); from += RESTORE_LEVELS_PER_DIFF)
        {
            final List<long[]> part = changes.subList(from, Math.min(changes.size(), from + RESTORE_LEVELS_PER_DIFF));
            diffs.add(diffJson(part, instrument, from == 0 ? lastId + 1 : id, id, exchangeMs));
            id++;
        }
        return diffs;
    }

    private static java.util.Map<Long, Long> levels(final long[][] book, final int side)
    {
        final java.util.Map<Long, Long> levels = new java.util.LinkedHashMap<>();
        for (int i = 0; i < book[side * 2].length; i++)
        {
            levels.put(book[side * 2][i], book[side * 2 + 1][i]);
        }
        return levels;
    }

    private static byte[] diffJson(final List<long[]> levels, final Instrument instrument, final long firstId,
        final long lastId, final long exchangeMs)
    {
        final StringBuilder json = new StringBuilder(64 + levels.size() * 40);
        final String symbol = instrument.symbol();
        json.append("{\"stream\":\"").append(symbol.toLowerCase(java.util.Locale.ROOT))
            .append("@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":").append(exchangeMs)
            .append(",\"s\":\"").append(symbol).append("\",\"U\":").append(firstId).append(",\"u\":").append(lastId);
        for (int side = 0; side < 2; side++)
        {
            json.append(side == 0 ? ",\"b\":[" : ",\"a\":[");
            boolean first = true;
            for (final long[] level : levels)
            {
                if (level[0] != side)
                {
                    continue;
                }
                json.append(first ? "" : ",").append("[\"")
                    .append(mm.common.Decimals.toString(level[1], instrument.priceExponent())).append("\",\"")
                    .append(mm.common.Decimals.toString(level[2], instrument.qtyExponent())).append("\"]");
                first = false;
            }
            json.append(']');
        }
        return json.append("}}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int digitsAfter(final byte[] bytes, final String key, final long expected)
    {
        final byte[] pattern = key.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + pattern.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length))
            {
                final int at = i + pattern.length;
                final int digits = digitCount(expected);
                final String text = new String(bytes, at, Math.min(digits, bytes.length - at), StandardCharsets.US_ASCII);
                if (text.equals(Long.toString(expected)))
                {
                    return at;
                }
            }
        }
        throw new IllegalStateException("no " + key + expected + " in " + new String(bytes, StandardCharsets.UTF_8));
    }

    private static int digitCount(final long value)
    {
        return Long.toString(value).length();
    }

    private static final BookSyncListener NO_LISTENER = new BookSyncListener()
    {
        public void onBook(final OrderBook book, final long firstUpdateId, final long lastUpdateId,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
        }

        public void onTrade(final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
        }

        public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
        {
        }
    };
}
