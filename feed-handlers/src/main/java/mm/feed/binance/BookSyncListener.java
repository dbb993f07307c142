package mm.feed.binance;

/**
 * What {@link BookSync} tells its owner (e.g. the Aeron market-data publisher). Called on the sync thread;
 * the book passed in is only valid during the call.
 */
public interface BookSyncListener
{
    /** After the snapshot and after every applied diff; the book is consistent. */
    void onBook(OrderBook book, long firstUpdateId, long lastUpdateId, long exchangeTimeNs, long receiveTimeNs);

    void onTrade(long tradeId, long price, long qty, boolean buyerIsMaker, long exchangeTimeNs, long receiveTimeNs);

    /** Sync state changes: SYNCED after a snapshot bridges, RESYNCING on a gap. */
    void onFeedState(mm.sbe.FeedState state, long lastUpdateId, long receiveTimeNs);
}
