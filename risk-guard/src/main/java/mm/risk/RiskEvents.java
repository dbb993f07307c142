package mm.risk;

import mm.sbe.RiskReason;

/**
 * The last {@link #CAPACITY} risk events (rejects, clips, warnings, triggers, state changes, parameter
 * changes) in a ring of primitive arrays, for the post-mortem. Allocation-free.
 */
final class RiskEvents
{
    static final int CAPACITY = 64;

    enum Kind
    {
        REJECT, CLIP, WARNING, TRIGGER, STATE, PARAMETER
    }

    private static final Kind[] KINDS = Kind.values();

    final long[] timeNs = new long[CAPACITY];
    final long[] eventSeq = new long[CAPACITY];
    final byte[] kind = new byte[CAPACITY];
    final short[] reason = new short[CAPACITY];
    final int[] instrumentId = new int[CAPACITY];
    final long[] value = new long[CAPACITY];
    final long[] limit = new long[CAPACITY];
    private long count;

    void add(
        final Kind eventKind, final long time, final long seq, final RiskReason riskReason, final int instrument,
        final long checkedValue, final long limitValue)
    {
        final int i = (int)(count % CAPACITY);
        timeNs[i] = time;
        eventSeq[i] = seq;
        kind[i] = (byte)eventKind.ordinal();
        reason[i] = riskReason.value();
        instrumentId[i] = instrument;
        value[i] = checkedValue;
        limit[i] = limitValue;
        count++;
    }

    long count()
    {
        return count;
    }

    /** Index of the {@code n}-th oldest retained event, n from 0. */
    int index(final int n)
    {
        final long first = Math.max(0, count - CAPACITY);
        return (int)((first + n) % CAPACITY);
    }

    int retained()
    {
        return (int)Math.min(count, CAPACITY);
    }

    static Kind kind(final byte ordinal)
    {
        return KINDS[ordinal];
    }
}
