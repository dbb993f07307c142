package mm.feed.binance.sbe;

import mm.feed.binance.BookSync;
import mm.feed.binance.GapLog;
import mm.feed.binance.OrderBook;
import mm.sbe.FeedState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static mm.feed.binance.sbe.BinanceSbeRobustnessTest.feedSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SBE frames go through the same sync as JSON: same books, trades and checks; exact or rejected, never rounded. */
class SbeBookSyncTest
{
    private static final long TIME_US = 1_723_161_255_208_000L;

    /** Feeds entries: frames to the adapter, JSON lines (the REST snapshot) to the sync. */
    static void replay(final BinanceSbeAdapter adapter, final List<SbeRecording.Entry> entries)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        for (final SbeRecording.Entry entry : entries)
        {
            buffer.wrap(entry.bytes());
            if (entry.sbe())
            {
                adapter.onFrame(buffer, 0, entry.bytes().length, entry.receiveTimeNs());
            }
            else
            {
                adapter.sync().onLine(buffer, 0, entry.bytes().length, entry.receiveTimeNs());
            }
        }
    }

    private static void frame(final BinanceSbeAdapter adapter, final byte[] frame, final long receiveTimeNs)
    {
        adapter.onFrame(new UnsafeBuffer(frame), 0, frame.length, receiveTimeNs);
    }

    @Test
    void spotPairAtTheInstrumentScalePublishesExactlyWhatTheJsonDoes()
    {
        // BTCUSDT as the demo configures it: prices at -2 (tick 0.01), sizes at -8; SBE sends -8/-8.
        final CountingListener json = new CountingListener(true);
        final BookSync jsonSync = new BookSync(json, -2, -8);
        try (mm.feed.binance.RecordingReader reader = new mm.feed.binance.RecordingReader(SbeTestData.spotPairFiles()))
        {
            while (reader.next())
            {
                jsonSync.onLine(reader.buffer(), reader.jsonOffset(), reader.jsonLength(), reader.receiveTimeNs());
            }
        }
        final CountingListener sbe = new CountingListener(true);
        final BookSync sbeSync = new BookSync(sbe, -2, -8);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sbeSync);
        replay(adapter, SbeTestData.spotPairSbe());

        assertEquals(6_493, sbeSync.diffsApplied());
        assertEquals(0, sbeSync.gaps());
        assertEquals(0, sbeSync.rejectedValues());
        assertEquals(0, adapter.badFrames());
        assertEquals(jsonSync.bookTickerChecks(), sbeSync.bookTickerChecks());
        assertEquals(0, sbeSync.bookTickerMismatches());
        assertEquals(jsonSync.trades(), sbeSync.trades());
        assertEquals(json.states, sbe.states);
        assertEquals(json.tops.size(), sbe.tops.size());
        for (int i = 0; i < json.tops.size(); i++)
        {
            assertEquals(json.tops.get(i), sbe.tops.get(i), "book " + i);
        }
        assertEquals(json.tradeList, sbe.tradeList);
        assertEquals(6_160_201, sbeSync.book().bestBidPrice());
        assertEquals(167_177_000, sbeSync.book().bestBidQty());
    }

    @Test
    void aDiffValueNotExactAtTheBookScaleIsRejectedAndTheBookResyncs()
    {
        final CountingListener listener = new CountingListener(true);
        final BookSync sync = new BookSync(listener, -2, -8);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        feedSnapshot(sync, 99);
        frame(adapter, TestFrames.depthDiff(100, 100, -8, -8, TIME_US, "BTCUSDT", 1, 6_170_001_000_000L, 100_000_000L),
            2L);
        assertEquals(FeedState.SYNCED, sync.state());
        assertEquals(6_170_001L, sync.book().bestBidPrice());

        // 61700.015 is not a multiple of the 0.01 tick: rejected, never rounded; the book is dropped.
        frame(adapter, TestFrames.depthDiff(101, 101, -3, -8, TIME_US, "BTCUSDT", 1, 61_700_015L, 100_000_000L), 3L);
        assertEquals(1, sync.rejectedValues());
        assertEquals(FeedState.RESYNCING, sync.state());
        assertEquals(1, sync.gapLog().size());
        assertEquals(GapLog.REASON_REJECTED_VALUE, sync.gapLog().reason(0));
        assertEquals(OrderBook.NO_PRICE, sync.book().bestBidPrice());

        // A new snapshot and a bridging diff at yet other exponents: in sync again, values exact.
        frame(adapter, TestFrames.depthDiff(102, 103, 0, -3, TIME_US, "BTCUSDT", 1, 61_700L, 2_500L), 4L);
        feedSnapshot(sync, 101);
        assertEquals(FeedState.SYNCED, sync.state());
        assertEquals(6_170_000L, sync.book().bestBidPrice());
        assertEquals(250_000_000L, sync.book().bestBidQty());
        assertEquals(1, sync.resyncs());
        assertEquals(103, sync.lastUpdateId());
    }

    @Test
    void tradesAndBestBidAsksWithInexactValuesAreRejectedAndCounted()
    {
        final CountingListener listener = new CountingListener(true);
        final BookSync sync = new BookSync(listener, -2, -8);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        frame(adapter, TestFrames.trade(7, 6_170_001_000_000L, 1L, false, -8, -8, TIME_US, TIME_US - 3, "BTCUSDT"), 5L);
        frame(adapter, TestFrames.trade(8, 6_170_001_500_000L, 1L, false, -8, -8, TIME_US, TIME_US, "BTCUSDT"), 5L);
        frame(adapter, TestFrames.trade(9, 1L, 1L, false, -8, -9, TIME_US, TIME_US, "BTCUSDT"), 5L);
        frame(adapter,
            TestFrames.bestBidAsk(5, 6_170_001_000_000L, 1L, 6_170_002_000_000L, 1L, -8, -8, TIME_US, "BTCUSDT"), 5L);
        frame(adapter, TestFrames.bestBidAsk(6, 1L, 1L, 1L, 1L, -9, -8, TIME_US, "BTCUSDT"), 5L);
        assertEquals(1, sync.trades());
        assertEquals(1, sync.bookTickers());
        assertEquals(3, sync.rejectedValues());
        final CountingListener.Trade trade = listener.tradeList.getFirst();
        assertEquals(new CountingListener.Trade(7, 6_170_001L, 1L, false, (TIME_US - 3) * 1_000L, 5L), trade);
    }

    @Test
    void aMissedDiffIsAGapAndOtherSymbolsAreIgnored()
    {
        final CountingListener listener = new CountingListener(true);
        final BookSync sync = new BookSync(listener, "BTCUSDT", -2, -8, 1024, 64, 1 << 20);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        feedSnapshot(sync, 99);
        frame(adapter, TestFrames.depthDiff(100, 101, -8, -8, TIME_US, "BTCUSDT", 1, 6_170_001_000_000L, 1L), 2L);
        frame(adapter, TestFrames.depthDiff(102, 102, -8, -8, TIME_US, "ETHUSDT", 1, 6_170_001_000_000L, 1L), 2L);
        frame(adapter, TestFrames.trade(1, 1_000_000L, 1L, true, -8, -8, TIME_US, TIME_US, "ETHUSDT"), 2L);
        assertEquals(2, sync.otherSymbolMessages());
        frame(adapter, TestFrames.depthDiff(103, 104, -8, -8, TIME_US, "BTCUSDT", 1, 6_170_001_000_000L, 2L), 3L);
        assertEquals(1, sync.gaps());
        assertEquals(FeedState.RESYNCING, sync.state());
        assertEquals(List.of(FeedState.SYNCED, FeedState.RESYNCING), listener.states);
        assertEquals(GapLog.REASON_GAP, sync.gapLog().reason(0));
        assertEquals(102, sync.gapLog().expectedId(0));
    }

    @Test
    void eventsBeforeTheSnapshotWaitInOrderWhileTheScaleIsUnknown()
    {
        final CountingListener listener = new CountingListener(true);
        final BookSync sync = BookSync.withDerivedExponents(listener);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        frame(adapter, TestFrames.depthDiff(95, 99, -8, -8, TIME_US, "BTCUSDT", 1, 6_170_001_000_000L, 5L), 1L);
        frame(adapter, TestFrames.trade(11, 6_170_001_000_000L, 1L, true, -8, -8, TIME_US, TIME_US, "BTCUSDT"), 2L);
        frame(adapter, TestFrames.depthDiff(100, 101, -10, -10, TIME_US + 1, "BTCUSDT", 0,
            6_180_000_000_000_00L, 300_000_000_00L), 3L);
        frame(adapter, TestFrames.bestBidAsk(101, 6_170_000_000_000L, 100_000_000L, 6_180_000_000_000L, 300_000_000L,
            -8, -8, Long.MIN_VALUE, "BTCUSDT"), 4L);
        assertEquals(0, listener.trades);
        assertEquals(2, sync.diffsBuffered());
        assertTrue(sync.pendingBytes() > 0);

        feedSnapshot(sync, 99); // 8 decimals in its text: the book's scale becomes -8/-8
        assertEquals(FeedState.SYNCED, sync.state());
        assertEquals(-8, sync.priceExponent());
        assertEquals(1, listener.trades);
        assertEquals(1, sync.diffsDroppedStale());
        assertEquals(1, sync.diffsApplied());
        assertEquals(6_180_000_000_000L, sync.book().bestAskPrice());
        assertEquals(300_000_000L, sync.book().bestAskQty());
        assertEquals(1, sync.bookTickerChecks());
        assertEquals(0, sync.bookTickerMismatches());
        assertEquals("BTCUSDT", sync.symbol());
        final CountingListener.Top last = listener.tops.getLast();
        assertEquals((TIME_US + 1) * 1_000L, last.exchangeTimeNs());
        assertEquals(3L, last.receiveTimeNs());
    }
}
