package mm.feed.kite;

import java.util.ArrayList;
import java.util.List;

/** Test listener: copies every tick's fields out of the reused view, and records heartbeats and errors. */
final class CapturingKiteListener implements KiteTickListener
{
    /** Every field of one tick, copied. */
    record Tick(
        KitePacketMode mode, int packetIndex, int token, int segmentId, int exchangeToken, boolean tradable,
        int priceExponent, long lastPrice, long open, long high, long low, long close, long netChange,
        long indexChangeField, long lastQuantity, long averagePrice, long volume, long totalBuyQuantity,
        long totalSellQuantity, long lastTradeTimeS, long lastTradeTimeNs, long openInterest,
        long openInterestDayHigh, long openInterestDayLow, long exchangeTimeS, long exchangeTimeNs,
        long[] bidQuantity, long[] bidPrice, long[] bidOrders, long[] askQuantity, long[] askPrice,
        long[] askOrders, long receiveTimeNs)
    {
        static Tick of(final KiteTick t)
        {
            final int n = t.depthLevels();
            final long[] bq = new long[n];
            final long[] bp = new long[n];
            final long[] bo = new long[n];
            final long[] aq = new long[n];
            final long[] ap = new long[n];
            final long[] ao = new long[n];
            for (int i = 0; i < n; i++)
            {
                bq[i] = t.bidQuantity(i);
                bp[i] = t.bidPrice(i);
                bo[i] = t.bidOrders(i);
                aq[i] = t.askQuantity(i);
                ap[i] = t.askPrice(i);
                ao[i] = t.askOrders(i);
            }
            return new Tick(t.mode(), t.packetIndex(), t.instrumentToken(), t.segmentId(), t.exchangeToken(),
                t.tradable(), t.priceExponent(), t.lastPrice(), t.open(), t.high(), t.low(), t.close(),
                t.netChange(), t.indexChangeField(), t.lastQuantity(), t.averagePrice(), t.volume(),
                t.totalBuyQuantity(), t.totalSellQuantity(), t.lastTradeTimeS(), t.lastTradeTimeNs(),
                t.openInterest(), t.openInterestDayHigh(), t.openInterestDayLow(), t.exchangeTimeS(),
                t.exchangeTimeNs(), bq, bp, bo, aq, ap, ao, t.receiveTimeNs());
        }
    }

    record Error(KiteDecodeError error, int packetIndex, int messageOffset, int detail)
    {
    }

    final List<Tick> ticks = new ArrayList<>();
    final List<Error> errors = new ArrayList<>();
    int heartbeats;

    @Override
    public void onTick(final KiteTick tick)
    {
        ticks.add(Tick.of(tick));
    }

    @Override
    public void onHeartbeat(final long receiveTimeNs)
    {
        heartbeats++;
    }

    @Override
    public void onDecodeError(
        final KiteDecodeError error, final int packetIndex, final int messageOffset, final int detail,
        final long receiveTimeNs)
    {
        errors.add(new Error(error, packetIndex, messageOffset, detail));
    }
}
