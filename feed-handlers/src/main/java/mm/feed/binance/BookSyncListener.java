package mm.feed.binance;

/**
 * What {@link BookSync} tells its owner (e.g. the Aeron market-data publisher). Called on the sync thread;
 * the book passed in is only valid during the call.
 */
public interface BookSyncListener
{
    /** After the snapshot and after every applied diff; the book is consistent. */
    void onBook(OrderBook book, long firstUpdateId, long lastUpdateId, long exchangeTimeNs, long receiveTimeNs);

    /**
     * A public trade, from {@code @trade} ({@code tradeId} is the trade id) or {@code @aggTrade}
     * ({@code tradeId} is the aggregate trade id, a different sequence: subscribe to one of the two).
     */
    void onTrade(long tradeId, long price, long qty, boolean buyerIsMaker, long exchangeTimeNs, long receiveTimeNs);

    /** Sync state changes: SYNCED after a snapshot bridges, RESYNCING on a gap. */
    void onFeedState(mm.sbe.FeedState state, long lastUpdateId, long receiveTimeNs);

    /**
     * A futures {@code markPriceUpdate}. The venue sends these with more decimals than the tick, so the values
     * come with their own exponents, exact; an absent value is {@link BinanceJsonDecoder#NO_VALUE}. A default
     * method, so listeners that have no use for it need not change.
     *
     * @param markPrice         mark price {@code p} in units of 10^markPriceExponent.
     * @param indexPrice        index price {@code i} in units of 10^markPriceExponent, or NO_VALUE.
     * @param markPriceExponent exponent of both prices: the finer of the two texts' scales.
     * @param fundingRate       funding rate {@code r} in units of 10^fundingRateExponent, or NO_VALUE
     *                          (delivery contracts send it empty).
     * @param fundingRateExponent exponent of the funding rate, from its text; 0 when absent.
     * @param nextFundingTimeNs next funding time {@code T} (0 for contracts without funding), or NO_VALUE.
     * @param exchangeTimeNs    event time {@code E}.
     */
    default void onMarkPrice(
        long markPrice,
        long indexPrice,
        int markPriceExponent,
        long fundingRate,
        int fundingRateExponent,
        long nextFundingTimeNs,
        long exchangeTimeNs,
        long receiveTimeNs)
    {
    }
}
