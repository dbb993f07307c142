package mm.feed.binance;

import mm.sbe.FeedState;

import java.util.ArrayList;
import java.util.List;

/** Records what a BookSync publishes, for assertions. Allocates only when told to keep tops. */
final class CapturingListener implements BookSyncListener
{
    /** Best bid/ask after one onBook call. */
    record Top(
        long firstUpdateId, long lastUpdateId, long bid, long bidQty, long ask, long askQty,
        int bidLevels, int askLevels, long exchangeTimeNs, long receiveTimeNs)
    {
    }

    final boolean keepTops;
    final List<Top> tops = new ArrayList<>();
    final List<FeedState> states = new ArrayList<>();
    long books;
    long trades;
    long firstTradeId = -1;
    long lastTradeId = -1;
    long tradeIdBreaks;
    long crossedBooksSeen;
    long lastBookExchangeTimeNs;

    CapturingListener(final boolean keepTops)
    {
        this.keepTops = keepTops;
    }

    @Override
    public void onBook(
        final OrderBook book, final long firstUpdateId, final long lastUpdateId,
        final long exchangeTimeNs, final long receiveTimeNs)
    {
        books++;
        lastBookExchangeTimeNs = exchangeTimeNs;
        if (book.isCrossed())
        {
            crossedBooksSeen++;
        }
        if (keepTops)
        {
            tops.add(new Top(firstUpdateId, lastUpdateId,
                book.bestBidPrice(), book.bestBidQty(), book.bestAskPrice(), book.bestAskQty(),
                book.bidLevels(), book.askLevels(), exchangeTimeNs, receiveTimeNs));
        }
    }

    @Override
    public void onTrade(
        final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
        final long exchangeTimeNs, final long receiveTimeNs)
    {
        if (lastTradeId >= 0 && tradeId != lastTradeId + 1)
        {
            tradeIdBreaks++;
        }
        if (firstTradeId < 0)
        {
            firstTradeId = tradeId;
        }
        lastTradeId = tradeId;
        trades++;
        if (keepTops)
        {
            tradeList.add(new Trade(tradeId, price, qty, buyerIsMaker, exchangeTimeNs, receiveTimeNs));
        }
    }

    /** One onTrade call, kept only when tops are kept. */
    record Trade(long tradeId, long price, long qty, boolean buyerIsMaker, long exchangeTimeNs, long receiveTimeNs)
    {
    }

    final List<Trade> tradeList = new ArrayList<>();

    /** One onMarkPrice call, as received. */
    record Mark(
        long markPrice, long indexPrice, int markPriceExponent, long fundingRate, int fundingRateExponent,
        long nextFundingTimeNs, long exchangeTimeNs, long receiveTimeNs)
    {
    }

    /** Kept only when tops are kept. */
    final List<Mark> marks = new ArrayList<>();
    long markPrices;

    @Override
    public void onMarkPrice(
        final long markPrice, final long indexPrice, final int markPriceExponent, final long fundingRate,
        final int fundingRateExponent, final long nextFundingTimeNs, final long exchangeTimeNs, final long receiveTimeNs)
    {
        markPrices++;
        if (keepTops)
        {
            marks.add(new Mark(markPrice, indexPrice, markPriceExponent, fundingRate, fundingRateExponent,
                nextFundingTimeNs, exchangeTimeNs, receiveTimeNs));
        }
    }

    @Override
    public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
    {
        states.add(state);
    }
}
