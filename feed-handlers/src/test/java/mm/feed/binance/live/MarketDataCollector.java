package mm.feed.binance.live;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import mm.common.sbe.Messages;
import mm.feed.binance.BookSync;
import mm.feed.binance.BookSyncListener;
import mm.feed.binance.OrderBook;
import mm.feed.binance.RecordingReader;
import mm.sbe.BookTopNDecoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusDecoder;
import mm.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads MARKET_DATA as a consumer would and checks every published book against an offline replay of the
 * same recording: the book published for update id {@code u} must equal, level for level, the book the
 * offline {@link BookSync} built at {@code u}. Also records the feed-state sequence.
 */
final class MarketDataCollector implements FragmentHandler
{
    private final Subscription subscription;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final Map<Long, String> expected;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BookTopNDecoder book = new BookTopNDecoder();
    private final FeedStatusDecoder status = new FeedStatusDecoder();
    private final StringBuilder scratch = new StringBuilder();

    final List<FeedState> states = new ArrayList<>();
    final List<String> mismatchDetails = new ArrayList<>();
    FeedState state = FeedState.RESYNCING;
    long books;
    long booksCompared;
    long booksUnknownId;
    long mismatches;
    long booksWhileNotSynced;
    long lastUpdateId;

    MarketDataCollector(final Subscription subscription, final Map<Long, String> expected)
    {
        this.subscription = subscription;
        this.expected = expected;
    }

    int poll()
    {
        return subscription.poll(assembler, 256);
    }

    long synced()
    {
        return states.stream().filter(s -> s == FeedState.SYNCED).count();
    }

    long count(final FeedState wanted)
    {
        return states.stream().filter(s -> s == wanted).count();
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        final int templateId = Messages.templateId(buffer, offset);
        if (templateId == BookTopNDecoder.TEMPLATE_ID)
        {
            book.wrapAndApplyHeader(buffer, offset, header);
            books++;
            if (state != FeedState.SYNCED)
            {
                booksWhileNotSynced++;
            }
            lastUpdateId = book.lastUpdateId();
            scratch.setLength(0);
            for (final BookTopNDecoder.BidsDecoder bid : book.bids())
            {
                scratch.append(bid.price()).append('x').append(bid.qty()).append(',');
            }
            scratch.append('|');
            for (final BookTopNDecoder.AsksDecoder ask : book.asks())
            {
                scratch.append(ask.price()).append('x').append(ask.qty()).append(',');
            }
            final String want = expected.get(lastUpdateId);
            if (want == null)
            {
                booksUnknownId++;
                return;
            }
            booksCompared++;
            if (!want.contentEquals(scratch))
            {
                mismatches++;
                if (mismatchDetails.size() < 5)
                {
                    mismatchDetails.add("u=" + lastUpdateId + " published " + scratch + " offline " + want);
                }
            }
        }
        else if (templateId == FeedStatusDecoder.TEMPLATE_ID)
        {
            status.wrapAndApplyHeader(buffer, offset, header);
            state = status.state();
            states.add(state);
        }
    }

    /** Top-N books of an offline replay of the files, by the update id each was published at. */
    static Map<Long, String> offlineBooks(final List<Path> files, final int priceExponent, final int qtyExponent, final int depth)
    {
        final Map<Long, String> books = new HashMap<>();
        final long[] prices = new long[depth];
        final long[] qtys = new long[depth];
        final BookSyncListener listener = new BookSyncListener()
        {
            public void onBook(
                final OrderBook orderBook, final long firstUpdateId, final long lastUpdateId, final long exchangeTimeNs,
                final long receiveTimeNs)
            {
                final StringBuilder sb = new StringBuilder();
                int n = orderBook.copyTop(OrderBook.BID, depth, prices, qtys);
                for (int i = 0; i < n; i++)
                {
                    sb.append(prices[i]).append('x').append(qtys[i]).append(',');
                }
                sb.append('|');
                n = orderBook.copyTop(OrderBook.ASK, depth, prices, qtys);
                for (int i = 0; i < n; i++)
                {
                    sb.append(prices[i]).append('x').append(qtys[i]).append(',');
                }
                books.put(lastUpdateId, sb.toString());
            }

            public void onTrade(
                final long tradeId, final long price, final long qty, final boolean buyerIsMaker, final long exchangeTimeNs,
                final long receiveTimeNs)
            {
            }

            public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
            {
            }
        };
        final BookSync sync = new BookSync(listener, priceExponent, qtyExponent);
        try (RecordingReader reader = new RecordingReader(files))
        {
            while (reader.next())
            {
                sync.onLine(reader.buffer(), reader.jsonOffset(), reader.jsonLength(), reader.receiveTimeNs());
            }
        }
        return books;
    }
}
