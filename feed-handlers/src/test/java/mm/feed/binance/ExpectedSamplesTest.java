package mm.feed.binance;

import mm.common.json.JsonTree;
import mm.sbe.FeedState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static mm.common.json.JsonTree.array;
import static mm.common.json.JsonTree.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks the sync against the expected answers shipped with the reference samples (made by others): the
 * counts in {@code summary}, the snapshot, the first applied event, the best bid/ask after every applied
 * event ({@code checkpoints}, compared numerically) and the final top-10 book. Line numbers in those files
 * are 0-based.
 */
class ExpectedSamplesTest
{
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "binance_json_btcusdt_20240808_excerpt", "binance_json_lrcbtc_20211012" })
    void replayMatchesExpectedAnswers(final String name) throws IOException
    {
        final Map<String, Object> expected =
            object(JsonTree.parse(Files.readAllBytes(TestData.sample(name + ".expected.json"))));
        final List<TestData.Line> lines = TestData.readLines(TestData.sample(name + ".jsonl.gz"));

        final CapturingListener listener = new CapturingListener(true);
        final BookSync sync = BookSync.withDerivedExponents(listener);
        TestData.replay(sync, lines);
        final String context = HftbacktestReplayTest.describe(sync);
        final int pe = sync.priceExponent();
        final int qe = sync.qtyExponent();

        assertEquals(expected.get("symbol"), sync.symbol(), context);
        assertEquals(FeedState.SYNCED, sync.state(), context);

        final Map<String, Object> summary = object(expected.get("summary"));
        assertEquals(longOf(summary, "depth_events_total"), countDepthEvents(lines), context);
        assertEquals(longOf(summary, "buffered_before_snapshot"), sync.diffsBuffered(), context);
        assertEquals(longOf(summary, "discarded_stale"), sync.diffsDroppedStale(), context);
        assertEquals(longOf(summary, "applied"), sync.diffsApplied(), context);
        assertEquals(longOf(summary, "gaps"), sync.gaps(), context);
        assertEquals(longOf(summary, "bookTicker_equal_u_checks"), sync.bookTickerChecks(), context);
        assertEquals(longOf(summary, "bookTicker_equal_u_matches"),
            sync.bookTickerChecks() - sync.bookTickerMismatches(), context);

        // The first publication is the snapshot itself, sent when a diff bridges it.
        final Map<String, Object> snapshot = object(expected.get("snapshot"));
        final TestData.Line snapshotLine = lines.get(intOf(snapshot, "line"));
        assertEquals(BinanceJsonDecoder.SNAPSHOT, new BinanceJsonDecoder().decode(
            new UnsafeBuffer(snapshotLine.json()), 0, snapshotLine.json().length), context);
        final CapturingListener.Top snapshotTop = listener.tops.getFirst();
        assertEquals(longOf(snapshot, "lastUpdateId"), snapshotTop.lastUpdateId(), context);
        assertEquals(longOf(snapshot, "lastUpdateId"), snapshotTop.firstUpdateId(), context);
        assertEquals(longOf(snapshot, "bid_levels"), snapshotTop.bidLevels(), context);
        assertEquals(longOf(snapshot, "ask_levels"), snapshotTop.askLevels(), context);
        assertEquals(snapshotLine.receiveTimeNs(), snapshotTop.receiveTimeNs(), context);

        final List<CapturingListener.Top> applied = listener.tops.subList(1, listener.tops.size());
        final Map<String, Object> first = object(expected.get("first_applied_event"));
        assertEquals(longOf(first, "U"), applied.getFirst().firstUpdateId(), context);
        assertEquals(longOf(first, "u"), applied.getFirst().lastUpdateId(), context);
        assertEquals(lines.get(intOf(first, "line")).receiveTimeNs(), applied.getFirst().receiveTimeNs(), context);

        final List<Object> checkpoints = array(expected.get("checkpoints"));
        assertEquals(checkpoints.size(), applied.size(), context);
        for (int i = 0; i < checkpoints.size(); i++)
        {
            final Map<String, Object> checkpoint = object(checkpoints.get(i));
            final CapturingListener.Top top = applied.get(i);
            final String where = "checkpoint " + i + " " + checkpoint + " vs " + top;
            assertEquals(longOf(checkpoint, "U"), top.firstUpdateId(), where);
            assertEquals(longOf(checkpoint, "u"), top.lastUpdateId(), where);
            assertEquals(lines.get(intOf(checkpoint, "line")).receiveTimeNs(), top.receiveTimeNs(), where);
            final List<Object> bestBid = array(checkpoint.get("best_bid"));
            final List<Object> bestAsk = array(checkpoint.get("best_ask"));
            assertNumber(bestBid.get(0), top.bid(), pe, where);
            assertNumber(bestBid.get(1), top.bidQty(), qe, where);
            assertNumber(bestAsk.get(0), top.ask(), pe, where);
            assertNumber(bestAsk.get(1), top.askQty(), qe, where);
        }

        final Map<String, Object> finalBook = object(expected.get("final_book"));
        final OrderBook book = sync.book();
        assertEquals(longOf(finalBook, "update_id"), sync.lastUpdateId(), context);
        assertEquals(longOf(finalBook, "bid_levels"), book.bidLevels(), context);
        assertEquals(longOf(finalBook, "ask_levels"), book.askLevels(), context);
        assertTop10(array(finalBook.get("bids_top10")), book, OrderBook.BID);
        assertTop10(array(finalBook.get("asks_top10")), book, OrderBook.ASK);
    }

    private static void assertTop10(final List<Object> expected, final OrderBook book, final int side)
    {
        final long[] prices = new long[10];
        final long[] qtys = new long[10];
        final int n = book.copyTop(side, 10, prices, qtys);
        assertEquals(expected.size(), n);
        for (int i = 0; i < n; i++)
        {
            final List<Object> level = array(expected.get(i));
            assertNumber(level.get(0), prices[i], book.priceExponent(), "side " + side + " level " + i);
            assertNumber(level.get(1), qtys[i], book.qtyExponent(), "side " + side + " level " + i);
        }
    }

    private static long countDepthEvents(final List<TestData.Line> lines)
    {
        final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        long count = 0;
        for (final TestData.Line line : lines)
        {
            buffer.wrap(line.json());
            if (decoder.decode(buffer, 0, line.json().length) == BinanceJsonDecoder.DEPTH_UPDATE)
            {
                count++;
            }
        }
        return count;
    }

    static void assertNumber(final Object expectedText, final long mantissa, final int exponent, final String where)
    {
        final BigDecimal expected = new BigDecimal((String)expectedText);
        final BigDecimal actual = BigDecimal.valueOf(mantissa, -exponent);
        assertEquals(0, expected.compareTo(actual), where + ": expected " + expected + " but was " + actual);
    }

    private static long longOf(final Map<String, Object> map, final String key)
    {
        return ((BigDecimal)map.get(key)).longValueExact();
    }

    private static int intOf(final Map<String, Object> map, final String key)
    {
        return ((BigDecimal)map.get(key)).intValueExact();
    }
}
