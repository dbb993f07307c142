package mm.gateway.venue;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The venue's text form of our {@code long} client order ids: a configured prefix and the decimal id
 * ({@code mm123456}), which fits Binance's {@code ^[a-zA-Z0-9-_]{1,36}$}. Writing and parsing allocate nothing.
 * The prefix tells our orders (from this run or an earlier one) from orders placed by anyone else on the same
 * account, which a reconcile must not adopt blindly.
 * <p>
 * The ids themselves differ between runs and between the sessions of one run ({@link #sessionBase}): a session
 * numbers its orders from a base made of the epoch second of its first input and its session number, so a
 * restarted engine never reuses an id the venue may still hold, and a replay (which has the same first input
 * and session number) makes the same ids.
 */
public final class ClientOrderIds
{
    /** Returned by {@link #parse} for an id that is not ours. */
    public static final long FOREIGN = -1;

    /** Orders a session numbers before its ids run into the next second's range (six decimal digits). */
    public static final long IDS_PER_SESSION = 1_000_000L;
    /** Session stamps (seconds) before the stamps repeat: ~11.6 days. */
    public static final long STAMP_CYCLE = 1_000_000L;
    /** Most decimal digits of a session's ids (up to its first {@link #IDS_PER_SESSION}): fits Kite's 20-char tag. */
    public static final int MAX_SESSION_ID_DIGITS = 12;

    private static final int MAX_PREFIX_LENGTH = 16;
    private static final long NS_PER_SECOND = 1_000_000_000L;

    private final byte[] prefix;

    public ClientOrderIds(final String prefix)
    {
        if (!isValidPrefix(prefix))
        {
            throw new IllegalArgumentException("client order id prefix must be 1-" + MAX_PREFIX_LENGTH +
                " letters, digits, '-' or '_' and end in a letter, '-' or '_': " + prefix);
        }
        this.prefix = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The first client order id of a session: {@code stamp * 10^6 + 1}, where the stamp is the epoch second of
     * the session's first input plus its session number (0 for a new run, n for its n-th restart into the same
     * run folder), modulo 10^6. Ids then count up from there; the first 10^6 of a session have at most 12 digits,
     * so a tag prefix of up to 8 characters still fits Kite's 20. Deterministic: the same first input and
     * session number give the same ids (replay); a session started in another second, or the next session of the
     * same run on the same recording, gets another range. Stamps repeat after 10^6 s (~11.6 days).
     *
     * @param firstInputTimeNs the first input's time, epoch nanoseconds (0 or less: stamp from the session only).
     * @param session          the session's number in its run folder, 0 for the first.
     */
    public static long sessionBase(final long firstInputTimeNs, final int session)
    {
        final long seconds = Math.floorDiv(Math.max(0, firstInputTimeNs), NS_PER_SECOND);
        final long stamp = Math.floorMod(seconds + session, STAMP_CYCLE);
        return stamp * IDS_PER_SESSION + 1;
    }

    /** Whether {@code prefix} is usable: [A-Za-z0-9_-]{1,16}, not ending in a digit (the id's digits follow). */
    public static boolean isValidPrefix(final String prefix)
    {
        if (prefix == null || prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++)
        {
            final char c = prefix.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'))
            {
                return false;
            }
        }
        final char last = prefix.charAt(prefix.length() - 1);
        return !(last >= '0' && last <= '9');
    }

    /** Writes the text form of a non-negative id; returns the length written. */
    public int put(final MutableDirectBuffer buffer, final int offset, final long clOrdId)
    {
        if (clOrdId < 0)
        {
            throw new IllegalArgumentException("client order ids are non-negative: " + clOrdId);
        }
        buffer.putBytes(offset, prefix);
        return prefix.length + buffer.putLongAscii(offset + prefix.length, clOrdId);
    }

    /** The id written in {@code buffer[offset, offset + length)}, or {@link #FOREIGN} if it is not one of ours. */
    public long parse(final DirectBuffer buffer, final int offset, final int length)
    {
        final int digits = length - prefix.length;
        if (digits < 1 || digits > 19)
        {
            return FOREIGN;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (buffer.getByte(offset + i) != prefix[i])
            {
                return FOREIGN;
            }
        }
        long value = 0;
        for (int i = offset + prefix.length, end = offset + length; i < end; i++)
        {
            final int digit = buffer.getByte(i) - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10)
            {
                return FOREIGN;
            }
            value = value * 10 + digit;
        }
        if (digits > 1 && buffer.getByte(offset + prefix.length) == '0')
        {
            return FOREIGN; // we never write leading zeros: "mm007" is someone else's
        }
        return value;
    }

    /** The text form, for tests and tools (allocates). */
    public String toString(final long clOrdId)
    {
        return new String(prefix, java.nio.charset.StandardCharsets.US_ASCII) + clOrdId;
    }

    public int prefixLength()
    {
        return prefix.length;
    }
}
