package mm.feed.binance.sbe;

import mm.feed.binance.BookSyncListener;
import mm.feed.binance.OrderBook;
import mm.sbe.FeedState;

import java.util.ArrayList;
import java.util.List;

/** Records what a BookSync publishes; keeps per-event details only when asked (that allocates). */
final class CountingListener implements BookSyncListener
{
    record Top(long firstUpdateId, long lastUpdateId, long bid, long bidQty, long ask, long askQty,
        int bidLevels, int askLevels, long exchangeTimeNs, long receiveTimeNs)
    {
    }

    record Trade(long tradeId, long price, long qty, boolean buyerIsMaker, long exchangeTimeNs, long receiveTimeNs)
    {
    }

    private final boolean keep;
    final List<Top> tops = new ArrayList<>();
    final List<Trade> tradeList = new ArrayList<>();
    final List<FeedState> states = new ArrayList<>();
    long books;
    long trades;
    long checksum;

    CountingListener()
    {
        this(false);
    }

    CountingListener(final boolean keep)
    {
        this.keep = keep;
    }

    @Override
    public void onBook(
        final OrderBook book, final long firstUpdateId, final long lastUpdateId,
        final long exchangeTimeNs, final long receiveTimeNs)
    {
        books++;
        checksum = 31 * checksum + book.bestBidPrice() + book.bestAskQty() + lastUpdateId;
        if (keep)
        {
            tops.add(new Top(firstUpdateId, lastUpdateId, book.bestBidPrice(), book.bestBidQty(),
                book.bestAskPrice(), book.bestAskQty(), book.bidLevels(), book.askLevels(), exchangeTimeNs,
                receiveTimeNs));
        }
    }

    @Override
    public void onTrade(
        final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
        final long exchangeTimeNs, final long receiveTimeNs)
    {
        trades++;
        checksum = 31 * checksum + tradeId + price;
        if (keep)
        {
            tradeList.add(new Trade(tradeId, price, qty, buyerIsMaker, exchangeTimeNs, receiveTimeNs));
        }
    }

    @Override
    public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
    {
        if (keep)
        {
            states.add(state);
        }
    }
}
