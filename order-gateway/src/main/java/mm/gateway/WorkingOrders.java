package mm.gateway;

import mm.common.Instrument;
import mm.common.Ladder;

/**
 * The gateway's view of one instrument's orders: one slot per ladder level and side, each holding at most
 * one order and at most one request in flight. A slot with a request in flight is left alone until the
 * venue answers; the latest desired state is kept and applied then (coalescing).
 */
final class WorkingOrders
{
    static final byte EMPTY = 0;
    static final byte PENDING_NEW = 1;
    static final byte LIVE = 2;
    static final byte PENDING_CANCEL = 3;

    final Instrument instrument;
    final int index;
    final Ladder desired = new Ladder();
    final byte[][] state = new byte[2][Ladder.MAX_LEVELS];
    final long[][] clOrdId = new long[2][Ladder.MAX_LEVELS];
    final long[][] price = new long[2][Ladder.MAX_LEVELS];
    final long[][] qty = new long[2][Ladder.MAX_LEVELS];
    final long[][] leaves = new long[2][Ladder.MAX_LEVELS];
    long desiredEventSeq;
    long desiredTimeNs;
    /** New orders must not take liquidity: the approved quote asks for it, or gateway.postOnly forces it. */
    boolean postOnly;

    WorkingOrders(final Instrument instrument, final int index)
    {
        this.instrument = instrument;
        this.index = index;
    }

    int liveOrPendingCount()
    {
        int count = 0;
        for (int side = 0; side < 2; side++)
        {
            for (int slot = 0; slot < Ladder.MAX_LEVELS; slot++)
            {
                if (state[side][slot] != EMPTY)
                {
                    count++;
                }
            }
        }
        return count;
    }
}
