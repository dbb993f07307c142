package mm.risk;

/** The last {@link #CAPACITY} fills the risk guard booked, for the post-mortem. Allocation-free. */
final class FillLog
{
    static final int CAPACITY = 32;

    final long[] timeNs = new long[CAPACITY];
    final long[] eventSeq = new long[CAPACITY];
    final int[] instrumentId = new int[CAPACITY];
    final long[] clOrdId = new long[CAPACITY];
    final boolean[] buy = new boolean[CAPACITY];
    final long[] price = new long[CAPACITY];
    final long[] qty = new long[CAPACITY];
    final long[] fee = new long[CAPACITY];
    final long[] realizedPnl = new long[CAPACITY];
    private long count;

    void add(
        final long time, final long seq, final int instrument, final long orderId, final boolean isBuy,
        final long fillPrice, final long fillQty, final long fillFee, final long realized)
    {
        final int i = (int)(count % CAPACITY);
        timeNs[i] = time;
        eventSeq[i] = seq;
        instrumentId[i] = instrument;
        clOrdId[i] = orderId;
        buy[i] = isBuy;
        price[i] = fillPrice;
        qty[i] = fillQty;
        fee[i] = fillFee;
        realizedPnl[i] = realized;
        count++;
    }

    int retained()
    {
        return (int)Math.min(count, CAPACITY);
    }

    int index(final int n)
    {
        final long first = Math.max(0, count - CAPACITY);
        return (int)((first + n) % CAPACITY);
    }
}
