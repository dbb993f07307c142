package mm.feed.binance;

import mm.common.Decimals;
import mm.sbe.FeedState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the hftbacktest recordings (recorded by others) and checks the numbers stated in
 * shared/data/README.md: diffs applied, 0 chain breaks, bookTicker comparisons with 0 mismatches, trade
 * counts and the final top of book.
 */
class HftbacktestReplayTest
{
    static String describe(final BookSync sync)
    {
        final StringBuilder sb = new StringBuilder("sync{state=").append(sync.state())
            .append(", lines=").append(sync.linesRead())
            .append(", snapshots=").append(sync.snapshots())
            .append(", unusable=").append(sync.snapshotsUnusable())
            .append(", buffered=").append(sync.diffsBuffered())
            .append(", stale=").append(sync.diffsDroppedStale())
            .append(", applied=").append(sync.diffsApplied())
            .append(", gaps=").append(sync.gaps())
            .append(", trades=").append(sync.trades())
            .append(", bookTickers=").append(sync.bookTickers())
            .append(", checks=").append(sync.bookTickerChecks())
            .append(", mismatches=").append(sync.bookTickerMismatches())
            .append(", malformed=").append(sync.malformed())
            .append(", unknown=").append(sync.unknownMessages())
            .append(", ignored=").append(sync.ignoredMessages())
            .append(", rejected=").append(sync.rejectedValues())
            .append(", crossed=").append(sync.crossedBooks())
            .append(", lastUpdateId=").append(sync.lastUpdateId())
            .append(", exponents=").append(sync.priceExponent()).append('/').append(sync.qtyExponent())
            .append(", book=").append(sync.book());
        for (int i = 0; i < Math.min(sync.bookTickerMismatches(), BookTickerOracle.MAX_MISMATCH_DETAILS); i++)
        {
            sb.append("\n  mismatch ").append(sync.oracle().mismatchDescription(i, sync.priceExponent(), sync.qtyExponent()));
        }
        return sb.append('}').toString();
    }

    static void assertTop(
        final BookSync sync, final String bid, final String bidQty, final String ask, final String askQty)
    {
        final OrderBook book = sync.book();
        final String context = describe(sync);
        assertEquals(Decimals.parse(bid, book.priceExponent()), book.bestBidPrice(), context);
        assertEquals(Decimals.parse(bidQty, book.qtyExponent()), book.bestBidQty(), context);
        assertEquals(Decimals.parse(ask, book.priceExponent()), book.bestAskPrice(), context);
        assertEquals(Decimals.parse(askQty, book.qtyExponent()), book.bestAskQty(), context);
    }

    @Test
    void spotBtcusdt20240808And09WithRegistryExponents()
    {
        final CapturingListener listener = new CapturingListener(false);
        final BookSync sync = new BookSync(listener, -8, -8);
        TestData.replayFiles(sync, TestData.hftbacktest("spot/btcusdt_20240808.gz"),
            TestData.hftbacktest("spot/btcusdt_20240809.gz"));

        final String context = describe(sync);
        assertEquals(FeedState.SYNCED, sync.state(), context);
        assertEquals(0, sync.gaps(), context);
        assertEquals(6_493, sync.diffsApplied(), context);
        assertEquals(50_093_696_318L, sync.lastUpdateId(), context);
        assertEquals(0, sync.bookTickerMismatches(), context);
        assertEquals(1_072, sync.bookTickerChecks(), context);
        assertEquals(1, sync.snapshots(), context);
        assertEquals(0, sync.malformed() + sync.unknownMessages() + sync.rejectedValues(), context);
        assertEquals(0, sync.crossedBooks(), context);
        assertTop(sync, "61602.01", "1.67177", "61602.02", "2.66795");

        assertEquals(19_904, listener.trades, context);
        assertEquals(0, listener.tradeIdBreaks, context);
        // One publication for the snapshot when it bridges, then one per applied diff.
        assertEquals(6_493 + 1, listener.books, context);
        assertEquals(java.util.List.of(FeedState.SYNCED), listener.states);
    }

    @Test
    void spotWithDerivedExponentsGivesTheSameBook()
    {
        final BookSync sync = BookSync.withDerivedExponents(new CapturingListener(false));
        TestData.replayFiles(sync, TestData.hftbacktest("spot/btcusdt_20240808.gz"),
            TestData.hftbacktest("spot/btcusdt_20240809.gz"));
        assertEquals(-8, sync.priceExponent());
        assertEquals(-8, sync.qtyExponent());
        assertEquals(6_493, sync.diffsApplied(), describe(sync));
        assertEquals(1_072, sync.bookTickerChecks(), describe(sync));
        assertEquals(0, sync.bookTickerMismatches(), describe(sync));
        assertEquals(19_904, sync.trades(), describe(sync));
        assertTop(sync, "61602.01", "1.67177", "61602.02", "2.66795");
    }

    @Test
    void usdmBtcusdt20240808()
    {
        final CapturingListener listener = new CapturingListener(false);
        final BookSync sync = new BookSync(listener, -2, -3);
        TestData.replayFiles(sync, TestData.hftbacktest("usdm/btcusdt_20240808.gz"));

        final String context = describe(sync);
        assertEquals(FeedState.SYNCED, sync.state(), context);
        assertEquals(0, sync.gaps(), context);
        assertEquals(6_547, sync.diffsApplied(), context);
        assertEquals(5_123_135_475_514L, sync.lastUpdateId(), context);
        assertEquals(0, sync.bookTickerMismatches(), context);
        assertEquals(629, sync.bookTickerChecks(), context);
        assertTop(sync, "61659.70", "1.486", "61659.80", "0.981");
        assertEquals(21_313, listener.trades, context);
        assertEquals(0, listener.tradeIdBreaks, context);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "usdm/btcusdt_20240718.gz usdm/btcusdt_20240719.gz, 9017, 625, 10701",
        "usdm/ethusdt_20240718.gz usdm/ethusdt_20240719.gz, 8924, 834, 13655",
        "usdm/btcusdt_20230404.dat.gz usdm/btcusdt_20230405.dat.gz, 16110, 1565, 12935",
        "cm/btcusd_perp_20240808.gz cm/btcusd_perp_20240809.gz, 44772, 1885, 5235",
    })
    void otherPairsReplayWithoutGaps(
        final String files, final long diffsApplied, final long bookTickerChecks, final long trades)
    {
        final Path[] paths = Arrays.stream(files.split(" ")).map(TestData::hftbacktest).toArray(Path[]::new);
        final CapturingListener listener = new CapturingListener(false);
        final BookSync sync = BookSync.withDerivedExponents(listener);
        TestData.replayFiles(sync, paths);

        final String context = describe(sync);
        assertEquals(FeedState.SYNCED, sync.state(), context);
        assertEquals(0, sync.gaps(), context);
        assertEquals(diffsApplied, sync.diffsApplied(), context);
        assertEquals(0, sync.bookTickerMismatches(), context);
        assertEquals(bookTickerChecks, sync.bookTickerChecks(), context);
        assertEquals(trades, sync.trades(), context);
        assertEquals(0, listener.tradeIdBreaks, context);
        assertEquals(0, sync.malformed() + sync.unknownMessages() + sync.rejectedValues(), context);
        assertEquals(0, listener.crossedBooksSeen, context);
    }

    @Test
    void usdm2023MarkPricesArePublishedExactly()
    {
        final CapturingListener listener = new CapturingListener(true);
        final BookSync sync = BookSync.withDerivedExponents(listener);
        TestData.replayFiles(sync, TestData.hftbacktest("usdm/btcusdt_20230404.dat.gz"),
            TestData.hftbacktest("usdm/btcusdt_20230405.dat.gz"));
        final String context = describe(sync);
        // README: 99 markPrice@1s events in the 04-04 file and 415 in the 04-05 file.
        assertEquals(99 + 415, sync.markPrices(), context);
        assertEquals(99 + 415, listener.marks.size(), context);
        assertEquals(0, sync.ignoredMessages() + sync.malformed() + sync.rejectedValues(), context);

        // Exact at their own 8 decimals, although the book's exponents (derived from the snapshot) are -2 and -3.
        final CapturingListener.Mark first = listener.marks.getFirst();
        assertEquals(new CapturingListener.Mark(2814727373413L, 2815975642857L, -8, 2754, -8,
            1680652800000L * 1_000_000, 1680652701000L * 1_000_000, 1680652701048293L * 1_000), first);
        final CapturingListener.Mark lastOfDay = listener.marks.get(98);
        assertEquals(2815710000000L, lastOfDay.markPrice());
        assertEquals(2816504309524L, lastOfDay.indexPrice());
        assertEquals(1680652799001L * 1_000_000, lastOfDay.exchangeTimeNs());
        final CapturingListener.Mark last = listener.marks.getLast();
        assertEquals(new CapturingListener.Mark(2814010000000L, 2815152166667L, -8, 2846, -8,
            1680681600000L * 1_000_000, 1680653214000L * 1_000_000, 1680653214088260L * 1_000), last);
        // The funding time rolls over at 00:00 UTC: 100 events before it, 414 after.
        assertEquals(414, listener.marks.stream().filter(m -> m.nextFundingTimeNs() == 1680681600000L * 1_000_000).count());
    }

    @Test
    void spot2023WithoutSnapshotNeverSyncsNorPublishesABook()
    {
        final CapturingListener listener = new CapturingListener(false);
        final BookSync sync = new BookSync(listener, -8, -8);
        TestData.replayFiles(sync, TestData.hftbacktest("spot/btcusdt_20230405.dat.gz"));

        final String context = describe(sync);
        assertFalse(sync.everSynced(), context);
        assertEquals(FeedState.RESYNCING, sync.state(), context);
        assertTrue(sync.needsSnapshot(), context);
        assertEquals(0, listener.books, context);
        assertTrue(listener.states.isEmpty(), context);
        assertEquals(0, sync.diffsApplied(), context);
        assertEquals(3_929, sync.diffsBuffered(), context);
        assertEquals(0, sync.snapshots(), context);
        // Trades do not depend on the book: they still pass through.
        assertEquals(3_144, listener.trades, context);
        assertEquals(0, sync.book().bidLevels() + sync.book().askLevels(), context);
    }

    @Test
    void spot2023WithDerivedExponentsBuffersEverythingAndPublishesNothing()
    {
        final CapturingListener listener = new CapturingListener(false);
        final BookSync sync = BookSync.withDerivedExponents(listener);
        TestData.replayFiles(sync, TestData.hftbacktest("spot/btcusdt_20230405.dat.gz"));
        assertFalse(sync.everSynced());
        assertFalse(sync.exponentsKnown());
        assertEquals(0, listener.books);
        assertEquals(0, listener.trades);
        assertEquals(3_929, sync.diffsBuffered());
    }
}
