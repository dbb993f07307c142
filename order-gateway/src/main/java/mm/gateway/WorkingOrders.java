package mm.gateway;

import mm.common.Instrument;
import mm.common.Ladder;

/**
 * The gateway's view of one instrument's orders: one slot per ladder level and side, each holding at most one
 * order and at most one request in flight ("never two live requests for one level"). A slot with a request in
 * flight is left alone until the venue answers; the latest desired state is kept and applied then (coalescing).
 * <p>
 * Slot states map onto the order lifecycle: {@link #PENDING_NEW}; {@link #LIVE} (new, or partially filled when
 * {@code cumQty > 0}); {@link #PENDING_CANCEL}; {@link #PENDING_REPLACE} (cancel-replace in flight: the old order
 * in the main fields, the new one in {@code repl*}); {@link #PENDING_AMEND}; {@link #PENDING_STATUS} (a
 * reconcile did not find the order, or the replacement, open: the venue is asked what became of it). Filled,
 * canceled, rejected and expired are terminal: they are reported on EXECUTIONS and the slot becomes {@link #EMPTY}.
 */
final class WorkingOrders
{
    static final byte EMPTY = 0;
    static final byte PENDING_NEW = 1;
    static final byte LIVE = 2;
    static final byte PENDING_CANCEL = 3;
    static final byte PENDING_REPLACE = 4;
    static final byte PENDING_AMEND = 5;
    static final byte PENDING_STATUS = 6;

    /** Status query of one order of a slot: none, to be sent, sent. */
    static final byte QUERY_NONE = 0;
    static final byte QUERY_WANTED = 1;
    static final byte QUERY_SENT = 2;

    final Instrument instrument;
    final int index;
    final Ladder desired = new Ladder();
    final byte[][] state = new byte[2][Ladder.MAX_LEVELS];
    final long[][] clOrdId = new long[2][Ladder.MAX_LEVELS];
    final long[][] venueOrderId = new long[2][Ladder.MAX_LEVELS];
    final long[][] price = new long[2][Ladder.MAX_LEVELS];
    final long[][] qty = new long[2][Ladder.MAX_LEVELS];
    final long[][] cumQty = new long[2][Ladder.MAX_LEVELS];
    /** Fees reported for the order so far: what a status answer's cumulative fee is compared with. */
    final long[][] cumFee = new long[2][Ladder.MAX_LEVELS];
    /** Input time the request in flight was sent; for the request timeout. */
    final long[][] sentNs = new long[2][Ladder.MAX_LEVELS];
    /** The request in flight passed its timeout: only a reconcile settles the slot. */
    final boolean[][] timedOut = new boolean[2][Ladder.MAX_LEVELS];
    /** The venue refused the cancel half of a cancel-replace: the old order stays. */
    final boolean[][] cancelFailed = new boolean[2][Ladder.MAX_LEVELS];
    /** Seen in the current reconcile snapshot: main order, replacement. */
    final boolean[][] seen = new boolean[2][Ladder.MAX_LEVELS];
    final boolean[][] replSeen = new boolean[2][Ladder.MAX_LEVELS];
    /** The replacement of a cancel-replace in flight (0: none). */
    final long[][] replClOrdId = new long[2][Ladder.MAX_LEVELS];
    final long[][] replPrice = new long[2][Ladder.MAX_LEVELS];
    final long[][] replQty = new long[2][Ladder.MAX_LEVELS];
    final long[][] replCumQty = new long[2][Ladder.MAX_LEVELS];
    final long[][] replCumFee = new long[2][Ladder.MAX_LEVELS];
    final boolean[][] replAcked = new boolean[2][Ladder.MAX_LEVELS];
    /** The desired state (its eventSeq) a venue rejected on this level: not sent again until a new one comes. */
    final long[][] rejectedSeq = new long[2][Ladder.MAX_LEVELS];
    /**
     * The desired state (its eventSeq) whose order on this level filled completely: that approval is used up,
     * and the level is not placed again before a new desired state comes. Re-placing it from the stale
     * approval would add exposure the risk guard never approved at the new position.
     */
    final long[][] filledSeq = new long[2][Ladder.MAX_LEVELS];
    /** While {@link #PENDING_STATUS}: the state (and timed-out flag) it had, restored once the answers are in. */
    final byte[][] queriedState = new byte[2][Ladder.MAX_LEVELS];
    final boolean[][] queriedTimedOut = new boolean[2][Ladder.MAX_LEVELS];
    /** While {@link #PENDING_STATUS}: the status query of the main order and of the replacement. */
    final byte[][] mainQuery = new byte[2][Ladder.MAX_LEVELS];
    final byte[][] replQuery = new byte[2][Ladder.MAX_LEVELS];
    /** While {@link #PENDING_STATUS}: the main order is out of the book (reported); it filled completely. */
    final boolean[][] mainGone = new boolean[2][Ladder.MAX_LEVELS];
    final boolean[][] mainFilled = new boolean[2][Ladder.MAX_LEVELS];
    /** The quantity an amend in flight asks for. */
    final long[][] amendQty = new long[2][Ladder.MAX_LEVELS];
    /**
     * Per side, one past the highest slot that has held an order: the diff, the timeout check and the count
     * look no further (a two-level ladder scans two slots, not {@link Ladder#MAX_LEVELS}).
     */
    final int[] slotsInUse = new int[2];
    long desiredEventSeq;
    long desiredTimeNs;
    /** The desired state is not fully applied yet (a slot was busy or the throttle said no). */
    boolean dirty;
    /** New orders must not take liquidity: the approved quote asks for it, or gateway.postOnly forces it. */
    boolean postOnly;

    WorkingOrders(final Instrument instrument, final int index)
    {
        this.instrument = instrument;
        this.index = index;
        for (int side = 0; side < 2; side++)
        {
            java.util.Arrays.fill(rejectedSeq[side], -1);
            java.util.Arrays.fill(filledSeq[side], -1);
        }
    }

    long leaves(final int side, final int slot)
    {
        return qty[side][slot] - cumQty[side][slot];
    }

    /** Call when a slot takes an order (placed or adopted). */
    void occupy(final int side, final int slot)
    {
        if (slot >= slotsInUse[side])
        {
            slotsInUse[side] = slot + 1;
        }
    }

    /** How many slots of {@code side} the diff must visit: the desired levels and every slot that held an order. */
    int scanLimit(final int side)
    {
        return Math.max(desired.count(side), slotsInUse[side]);
    }

    int liveOrPendingCount()
    {
        int count = 0;
        for (int side = 0; side < 2; side++)
        {
            for (int slot = 0, n = slotsInUse[side]; slot < n; slot++)
            {
                if (state[side][slot] != EMPTY)
                {
                    count++;
                }
            }
        }
        return count;
    }

    void clearSlot(final int side, final int slot)
    {
        state[side][slot] = EMPTY;
        clOrdId[side][slot] = 0;
        venueOrderId[side][slot] = 0;
        price[side][slot] = 0;
        qty[side][slot] = 0;
        cumQty[side][slot] = 0;
        cumFee[side][slot] = 0;
        timedOut[side][slot] = false;
        cancelFailed[side][slot] = false;
        replClOrdId[side][slot] = 0;
        replAcked[side][slot] = false;
        replCumQty[side][slot] = 0;
        replCumFee[side][slot] = 0;
        mainQuery[side][slot] = QUERY_NONE;
        replQuery[side][slot] = QUERY_NONE;
        mainGone[side][slot] = false;
        mainFilled[side][slot] = false;
    }
}
