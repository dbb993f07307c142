package mm.feed.binance;

import mm.common.Decimals;
import mm.sbe.FeedState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damages real recordings (drops, duplicates, truncations, corrupt and unknown lines, inexact values) and
 * checks that the sync counts each fault, never publishes a book built across a broken chain, and recovers
 * from a new snapshot to exactly the book of the undamaged replay.
 */
class FaultInjectionTest
{
    private static final Path[] SPOT = {
        TestData.hftbacktest("spot/btcusdt_20240808.gz"), TestData.hftbacktest("spot/btcusdt_20240809.gz") };
    private static final Path[] USDM = { TestData.hftbacktest("usdm/btcusdt_20240808.gz") };

    private static List<TestData.Line> spotLines;
    private static List<TestData.Line> usdmLines;

    private static synchronized List<TestData.Line> lines(final String market)
    {
        if (market.equals("spot"))
        {
            if (spotLines == null)
            {
                spotLines = TestData.readLines(SPOT);
            }
            return spotLines;
        }
        if (usdmLines == null)
        {
            usdmLines = TestData.readLines(USDM);
        }
        return usdmLines;
    }

    private static BookSync newSync(final String market, final BookSyncListener listener)
    {
        return market.equals("spot") ? new BookSync(listener, -8, -8) : new BookSync(listener, -2, -3);
    }

    /** Counts books published while the announced state is not SYNCED: must stay 0. */
    static final class StateTrackingListener implements BookSyncListener
    {
        FeedState announced = FeedState.RESYNCING;
        final List<FeedState> states = new ArrayList<>();
        long books;
        long booksWhileNotSynced;
        long booksAtFirstLoss = -1;
        long lastStateTimeNs;

        @Override
        public void onBook(
            final OrderBook book, final long firstUpdateId, final long lastUpdateId,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
            books++;
            if (announced != FeedState.SYNCED)
            {
                booksWhileNotSynced++;
            }
        }

        @Override
        public void onTrade(
            final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
        }

        @Override
        public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
        {
            if (state != FeedState.SYNCED && booksAtFirstLoss < 0)
            {
                booksAtFirstLoss = books;
            }
            announced = state;
            states.add(state);
            lastStateTimeNs = receiveTimeNs;
        }
    }

    private static int snapshotIndex(final List<TestData.Line> lines)
    {
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).text().startsWith("{\"lastUpdateId\""))
            {
                return i;
            }
        }
        throw new AssertionError("no snapshot line");
    }

    /** Index of the n-th depth line after {@code from}. */
    private static int nthDepthAfter(final List<TestData.Line> lines, final int from, final int n)
    {
        int seen = 0;
        for (int i = from + 1; i < lines.size(); i++)
        {
            if (lines.get(i).isDepth() && ++seen == n)
            {
                return i;
            }
        }
        throw new AssertionError("not enough depth lines");
    }

    private static long field(final TestData.Line line, final String key)
    {
        final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
        decoder.decode(new UnsafeBuffer(line.json()), 0, line.json().length);
        return switch (key)
        {
            case "U" -> decoder.firstUpdateId();
            case "u" -> decoder.lastUpdateId();
            case "pu" -> decoder.previousUpdateId();
            default -> throw new IllegalArgumentException(key);
        };
    }

    /** A REST-style snapshot of {@code book}: every level, best first, at the book's exponents. */
    private static TestData.Line snapshotOf(final OrderBook book, final long lastUpdateId, final long receiveTimeNs)
    {
        final StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("{\"lastUpdateId\":").append(lastUpdateId);
        for (int side = 0; side < 2; side++)
        {
            sb.append(side == OrderBook.BID ? ",\"bids\":[" : ",\"asks\":[");
            for (int i = 0; i < book.levels(side); i++)
            {
                sb.append(i == 0 ? "[\"" : ",[\"");
                Decimals.append(sb, book.price(side, i), book.priceExponent()).append("\",\"");
                Decimals.append(sb, book.qty(side, i), book.qtyExponent()).append("\"]");
            }
            sb.append(']');
        }
        sb.append('}');
        return new TestData.Line(receiveTimeNs, sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertSameBook(final OrderBook expected, final OrderBook actual)
    {
        for (int side = 0; side < 2; side++)
        {
            assertEquals(expected.levels(side), actual.levels(side), "levels of side " + side);
            for (int i = 0; i < expected.levels(side); i++)
            {
                assertEquals(expected.price(side, i), actual.price(side, i), "price side " + side + " level " + i);
                assertEquals(expected.qty(side, i), actual.qty(side, i), "qty side " + side + " level " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "spot", "usdm" })
    void droppedDiffIsOneGapAndNoBookIsPublishedUntilANewSnapshotResyncs(final String market)
    {
        final List<TestData.Line> clean = lines(market);
        final int snapshot = snapshotIndex(clean);
        final int dropped = nthDepthAfter(clean, snapshot, 1000);
        final int resyncAt = nthDepthAfter(clean, dropped, 50);

        // The undamaged replay: its book after line resyncAt becomes the "fresh REST snapshot".
        final BookSync reference = newSync(market, new CapturingListener(false));
        TestData.replay(reference, clean.subList(0, resyncAt + 1));
        final TestData.Line freshSnapshot =
            snapshotOf(reference.book(), reference.lastUpdateId(), clean.get(resyncAt).receiveTimeNs());
        TestData.replay(reference, clean.subList(resyncAt + 1, clean.size()));

        // Phase 1: the damaged stream up to the point the fresh snapshot arrives.
        final List<TestData.Line> damaged = new ArrayList<>(clean.subList(0, resyncAt + 1));
        damaged.remove(dropped);
        final StateTrackingListener listener = new StateTrackingListener();
        final BookSync sync = newSync(market, listener);
        TestData.replay(sync, damaged);

        final String context = HftbacktestReplayTest.describe(sync);
        assertEquals(1, sync.gaps(), context);
        assertEquals(FeedState.RESYNCING, sync.state(), context);
        assertTrue(sync.needsSnapshot(), context);
        assertEquals(List.of(FeedState.SYNCED, FeedState.RESYNCING), listener.states, context);
        assertEquals(listener.booksAtFirstLoss, listener.books, "no book after the gap: " + context);
        assertEquals(0, listener.booksWhileNotSynced, context);
        assertEquals(0, sync.book().bidLevels() + sync.book().askLevels(), context);

        final GapLog gapLog = sync.gapLog();
        assertEquals(1, gapLog.size());
        assertEquals(GapLog.REASON_GAP, gapLog.reason(0));
        final TestData.Line before = clean.get(previousDepth(clean, dropped));
        final TestData.Line after = clean.get(nthDepthAfter(clean, dropped, 1));
        final boolean futures = market.equals("usdm");
        assertEquals(futures ? field(before, "u") : field(before, "u") + 1, gapLog.expectedId(0), context);
        assertEquals(field(after, "U"), gapLog.receivedFirstId(0), context);
        assertEquals(field(after, "u"), gapLog.receivedLastId(0), context);
        if (futures)
        {
            assertEquals(field(clean.get(dropped), "u"), gapLog.receivedPreviousId(0), context);
        }
        assertEquals(after.receiveTimeNs(), gapLog.receiveTimeNs(0), context);
        assertEquals(GapLog.NOT_RESYNCED, gapLog.resyncDurationNs(0));

        // Phase 2: a fresh snapshot arrives; the buffered diffs bridge it and the book matches the clean replay.
        TestData.replay(sync, List.of(freshSnapshot));
        TestData.replay(sync, clean.subList(resyncAt + 1, clean.size()));
        final String context2 = HftbacktestReplayTest.describe(sync);
        assertEquals(FeedState.SYNCED, sync.state(), context2);
        assertFalse(sync.needsSnapshot(), context2);
        assertEquals(1, sync.gaps(), context2);
        assertEquals(1, sync.resyncs(), context2);
        assertEquals(List.of(FeedState.SYNCED, FeedState.RESYNCING, FeedState.SYNCED), listener.states);
        assertEquals(0, listener.booksWhileNotSynced, context2);
        assertEquals(listener.lastStateTimeNs - after.receiveTimeNs(), gapLog.resyncDurationNs(0));
        assertTrue(gapLog.resyncDurationNs(0) >= freshSnapshot.receiveTimeNs() - after.receiveTimeNs());
        assertEquals(reference.lastUpdateId(), sync.lastUpdateId(), context2);
        assertSameBook(reference.book(), sync.book());
        assertEquals(0, sync.bookTickerMismatches(), context2);
        if (market.equals("spot"))
        {
            HftbacktestReplayTest.assertTop(sync, "61602.01", "1.67177", "61602.02", "2.66795");
        }
        else
        {
            HftbacktestReplayTest.assertTop(sync, "61659.70", "1.486", "61659.80", "0.981");
        }
    }

    private static int previousDepth(final List<TestData.Line> lines, final int index)
    {
        for (int i = index - 1; i >= 0; i--)
        {
            if (lines.get(i).isDepth())
            {
                return i;
            }
        }
        throw new AssertionError("no depth line before " + index);
    }

    @ParameterizedTest
    @ValueSource(strings = { "spot", "usdm" })
    void duplicatedDiffsAreDroppedAsStaleWithoutAGap(final String market)
    {
        final List<TestData.Line> clean = lines(market);
        final BookSync reference = newSync(market, new CapturingListener(false));
        TestData.replay(reference, clean);

        final int snapshot = snapshotIndex(clean);
        final int duplicated = nthDepthAfter(clean, snapshot, 500);
        final int replayedLate = nthDepthAfter(clean, snapshot, 700);
        final List<TestData.Line> damaged = new ArrayList<>(clean);
        // A late copy of an old diff first (so indices below stay valid), then an immediate duplicate.
        damaged.add(nthDepthAfter(clean, snapshot, 900), clean.get(replayedLate));
        damaged.add(duplicated + 1, clean.get(duplicated));

        final StateTrackingListener listener = new StateTrackingListener();
        final BookSync sync = newSync(market, listener);
        TestData.replay(sync, damaged);
        final String context = HftbacktestReplayTest.describe(sync);
        assertEquals(0, sync.gaps(), context);
        assertEquals(reference.diffsDroppedStale() + 2, sync.diffsDroppedStale(), context);
        assertEquals(reference.diffsApplied(), sync.diffsApplied(), context);
        assertEquals(List.of(FeedState.SYNCED), listener.states);
        assertSameBook(reference.book(), sync.book());
    }

    @Test
    void corruptTruncatedAndUnknownLinesAreCountedAndTheSyncContinues()
    {
        final List<TestData.Line> clean = lines("spot");
        final BookSync reference = newSync("spot", new CapturingListener(false));
        TestData.replay(reference, clean);

        final int snapshot = snapshotIndex(clean);
        final int diff = nthDepthAfter(clean, snapshot, 300);
        int trade = diff + 1;
        while (!clean.get(trade).text().contains("\"e\":\"trade\""))
        {
            trade++;
        }
        final List<TestData.Line> damaged = new ArrayList<>(clean);
        final TestData.Line tradeLine = clean.get(trade);
        // Corrupt a trade: its closing braces are lost.
        damaged.set(trade, new TestData.Line(tradeLine.receiveTimeNs(),
            java.util.Arrays.copyOf(tradeLine.json(), tradeLine.json().length - 2)));
        // Insert a truncated copy of a diff, binary garbage, an unknown stream type, and an empty object.
        final TestData.Line diffLine = clean.get(diff);
        damaged.add(diff + 1, new TestData.Line(diffLine.receiveTimeNs(),
            java.util.Arrays.copyOf(diffLine.json(), diffLine.json().length / 2)));
        damaged.add(diff + 1, new TestData.Line(diffLine.receiveTimeNs(), new byte[] { 0, (byte)0xff, '{', '"' }));
        damaged.add(diff + 1, new TestData.Line(diffLine.receiveTimeNs(),
            "{\"stream\":\"btcusdt@somethingNew\",\"data\":{\"e\":\"somethingNew\",\"E\":1}}"
                .getBytes(StandardCharsets.US_ASCII)));
        damaged.add(diff + 1, new TestData.Line(diffLine.receiveTimeNs(), "{}".getBytes(StandardCharsets.US_ASCII)));

        final StateTrackingListener listener = new StateTrackingListener();
        final BookSync sync = newSync("spot", listener);
        TestData.replay(sync, damaged);
        final String context = HftbacktestReplayTest.describe(sync);
        assertEquals(3, sync.malformed(), context);
        assertEquals(2, sync.unknownMessages(), context);
        assertEquals(0, sync.gaps(), context);
        assertEquals(reference.trades() - 1, sync.trades(), context);
        assertEquals(reference.diffsApplied(), sync.diffsApplied(), context);
        assertEquals(FeedState.SYNCED, sync.state(), context);
        assertSameBook(reference.book(), sync.book());
    }

    @Test
    void truncatingARealDiffIsMalformedThenAGap()
    {
        final List<TestData.Line> clean = lines("spot");
        final int diff = nthDepthAfter(clean, snapshotIndex(clean), 300);
        final List<TestData.Line> damaged = new ArrayList<>(clean);
        final TestData.Line diffLine = clean.get(diff);
        damaged.set(diff, new TestData.Line(diffLine.receiveTimeNs(),
            java.util.Arrays.copyOf(diffLine.json(), diffLine.json().length - 1)));

        final StateTrackingListener listener = new StateTrackingListener();
        final BookSync sync = newSync("spot", listener);
        TestData.replay(sync, damaged);
        final String context = HftbacktestReplayTest.describe(sync);
        assertEquals(1, sync.malformed(), context);
        assertEquals(1, sync.gaps(), context);
        assertEquals(FeedState.RESYNCING, sync.state(), context);
        assertEquals(0, listener.booksWhileNotSynced, context);
    }

    @Test
    void aDiffWithAnInexactPriceIsRejectedAndForcesAResync()
    {
        final List<TestData.Line> clean = lines("spot");
        final int snapshot = snapshotIndex(clean);
        int diff = nthDepthAfter(clean, snapshot, 300);
        while (!clean.get(diff).text().contains("\"b\":[[\""))
        {
            diff = nthDepthAfter(clean, diff, 1);
        }
        final String text = clean.get(diff).text();
        final int priceStart = text.indexOf("\"b\":[[\"") + 7;
        final int priceEnd = text.indexOf('"', priceStart);
        // Nine decimals cannot be held at the symbol's eight: it must be rejected, not rounded.
        final String damagedText = text.substring(0, priceEnd) + "1" + text.substring(priceEnd);
        final List<TestData.Line> damaged = new ArrayList<>(clean);
        damaged.set(diff, new TestData.Line(clean.get(diff).receiveTimeNs(),
            damagedText.getBytes(StandardCharsets.US_ASCII)));

        final StateTrackingListener listener = new StateTrackingListener();
        final BookSync sync = newSync("spot", listener);
        TestData.replay(sync, damaged);
        final String context = HftbacktestReplayTest.describe(sync);
        assertEquals(1, sync.rejectedValues(), context);
        assertEquals(0, sync.gaps(), context);
        assertEquals(1, sync.invalidations(), context);
        assertEquals(FeedState.RESYNCING, sync.state(), context);
        assertEquals(GapLog.REASON_REJECTED_VALUE, sync.gapLog().reason(0));
        assertEquals(0, listener.booksWhileNotSynced, context);
        assertEquals(listener.booksAtFirstLoss, listener.books, context);
    }

    @Test
    void aSnapshotOlderThanTheBufferedDiffsIsUnusableAndTheNextOneIsUsed()
    {
        final List<TestData.Line> clean = lines("spot");
        final int snapshot = snapshotIndex(clean);
        // The stream starts a few diffs after the real snapshot, which arrives late: it cannot be bridged.
        final int start = nthDepthAfter(clean, snapshot, 5);
        final List<TestData.Line> damaged = new ArrayList<>();
        damaged.addAll(clean.subList(start, start + 200));
        damaged.add(clean.get(snapshot));
        final StateTrackingListener listener = new StateTrackingListener();
        final BookSync sync = newSync("spot", listener);
        TestData.replay(sync, damaged);
        final String context = HftbacktestReplayTest.describe(sync);
        assertEquals(1, sync.snapshots(), context);
        assertEquals(1, sync.snapshotsUnusable(), context);
        assertEquals(0, listener.books, context);
        assertTrue(sync.needsSnapshot(), context);
        assertTrue(sync.pendingBytes() > 0, context);

        // A snapshot taken from the clean replay at a later point bridges the buffered stream.
        final int resyncAt = nthDepthAfter(clean, start + 100, 1);
        final BookSync reference = newSync("spot", new CapturingListener(false));
        TestData.replay(reference, clean.subList(0, resyncAt + 1));
        TestData.replay(sync, List.of(snapshotOf(reference.book(), reference.lastUpdateId(), 0)));
        TestData.replay(reference, clean.subList(resyncAt + 1, start + 200));
        final String context2 = HftbacktestReplayTest.describe(sync);
        assertEquals(FeedState.SYNCED, sync.state(), context2);
        assertEquals(reference.lastUpdateId(), sync.lastUpdateId(), context2);
        assertSameBook(reference.book(), sync.book());
    }
}
