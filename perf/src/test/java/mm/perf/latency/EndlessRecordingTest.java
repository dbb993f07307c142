package mm.perf.latency;

import mm.common.Instrument;
import mm.feed.binance.BookSync;
import mm.feed.binance.BookSyncListener;
import mm.feed.binance.OrderBook;
import mm.feed.binance.sbe.BinanceSbeAdapter;
import mm.sbe.FeedState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator's endless stream is the real recording, lap after lap, with nothing a book sync could
 * object to: a fresh {@link BookSync} fed five laps (through the same decoders as the feed) never sees a gap,
 * a rejected value or a bookTicker disagreeing with the book; every lap publishes the same number of books
 * and ends with the same best prices; a rewind starts over at lap 0.
 */
class EndlessRecordingTest
{
    private static final Path RECORDING = Path.of(System.getProperty("mm.home", ".."), "data",
        "binance-spot-btcusdt-20240808-excerpt.jsonl.gz");

    private static final class Books implements BookSyncListener
    {
        long books;
        long trades;
        long bestBid;
        long bestAsk;

        public void onBook(final OrderBook book, final long firstUpdateId, final long lastUpdateId,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
            books++;
            bestBid = book.bestBidPrice();
            bestAsk = book.bestAskPrice();
        }

        public void onTrade(final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
            trades++;
        }

        public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
        {
        }
    }

    @ParameterizedTest
    @EnumSource(EndlessRecording.Format.class)
    void lapsReplayTheRecordingCleanlyForever(final EndlessRecording.Format format)
    {
        final Instrument instrument = new PipelineConfig(Map.of()).instrument();
        final EndlessRecording recording = EndlessRecording.of(RECORDING, instrument, format);
        assertTrue(recording.prefixCount() > 0 && recording.prefixCount() < 20, "prefix up to the snapshot");
        assertEquals(10_000 - recording.prefixCount() + recording.restoreDiffCount(), recording.loopCount());
        assertTrue(recording.restoreDiffCount() > 0, "the recorded lap changes the book, so it must be restored");
        assertTrue(recording.lapSpan() > 0);

        final Books books = new Books();
        final BookSync sync = new BookSync(books, instrument);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        for (int i = 0; i < recording.prefixCount(); i++)
        {
            recording.apply(i, sync, adapter, i);
        }
        assertTrue(sync.isSynced());
        long previousBooks = -1;
        long previousTrades = -1;
        long time = recording.prefixCount();
        for (int lap = 0; lap < 5; lap++)
        {
            final long booksBefore = books.books;
            final long tradesBefore = books.trades;
            for (int k = 0; k < recording.loopCount(); k++)
            {
                final int frame = recording.prefixCount() + k;
                recording.apply(frame, sync, adapter, ++time);
                recording.prepareNextLap(frame, lap);
            }
            final long lapBooks = books.books - booksBefore;
            final long lapTrades = books.trades - tradesBefore;
            if (previousBooks >= 0)
            {
                assertEquals(previousBooks, lapBooks, "books published in lap " + lap);
                assertEquals(previousTrades, lapTrades, "trades published in lap " + lap);
            }
            previousBooks = lapBooks;
            previousTrades = lapTrades;
            assertEquals(0, sync.gaps(), "gaps after lap " + lap);
        }
        assertEquals(0, sync.rejectedValues());
        assertEquals(0, sync.malformed());
        assertEquals(0, sync.bookTickerMismatches());
        assertEquals(0, adapter.badFrames());
        assertTrue(sync.bookTickerChecks() > 500, "bookTickers were cross-checked: " + sync.bookTickerChecks());
        assertTrue(books.bestBid < books.bestAsk, "an uncrossed book at the end");

        // rewound, the same frames start again at lap 0: a fresh sync replays them cleanly
        recording.rewind();
        final BookSync fresh = new BookSync(new Books(), instrument);
        final BinanceSbeAdapter freshAdapter = new BinanceSbeAdapter(fresh);
        for (int i = 0; i < recording.frameCount(); i++)
        {
            recording.apply(i, fresh, freshAdapter, i);
        }
        assertTrue(fresh.isSynced());
        assertEquals(0, fresh.gaps());
    }
}
