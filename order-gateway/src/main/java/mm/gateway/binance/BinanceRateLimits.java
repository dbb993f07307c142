package mm.gateway.binance;

import mm.common.json.JsonCursor;
import mm.gateway.venue.LimitKind;
import mm.gateway.venue.VenueLimit;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binance's {@code rateLimits} arrays: the limits of {@code exchangeInfo} and the usage every WebSocket API
 * response carries ({@code {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":12}}).
 * {@link #parse} fills reused arrays (no allocation), so the adapter can feed each response's usage to its
 * throttle on the hot path.
 */
public final class BinanceRateLimits
{
    /** The documented defaults, used until exchangeInfo has been read: 6000 weight/min, 50 orders/10 s, 160 000/day. */
    public static final List<VenueLimit> DEFAULTS = List.of(
        new VenueLimit(LimitKind.REQUEST_WEIGHT, VenueLimit.MINUTE_NS, 6000),
        new VenueLimit(LimitKind.ORDERS, 10 * VenueLimit.SECOND_NS, 50),
        new VenueLimit(LimitKind.ORDERS, VenueLimit.DAY_NS, 160_000));

    public static final int MAX_ENTRIES = 16;

    private static final byte[] RATE_LIMIT_TYPE = ascii("rateLimitType");
    private static final byte[] INTERVAL = ascii("interval");
    private static final byte[] INTERVAL_NUM = ascii("intervalNum");
    private static final byte[] LIMIT = ascii("limit");
    private static final byte[] COUNT = ascii("count");
    private static final byte[] REQUEST_WEIGHT = ascii("REQUEST_WEIGHT");
    private static final byte[] ORDERS = ascii("ORDERS");
    private static final byte[] RAW_REQUESTS = ascii("RAW_REQUESTS");
    private static final byte[] SECOND = ascii("SECOND");
    private static final byte[] MINUTE = ascii("MINUTE");
    private static final byte[] HOUR = ascii("HOUR");
    private static final byte[] DAY = ascii("DAY");

    private final LimitKind[] kinds = new LimitKind[MAX_ENTRIES];
    private final long[] intervalNs = new long[MAX_ENTRIES];
    private final long[] limits = new long[MAX_ENTRIES];
    private final long[] counts = new long[MAX_ENTRIES];
    private int size;
    private long unknownEntries;

    /**
     * Parses the array the cursor is at (the next token must be its {@code [}). Entries of an unknown type or
     * interval are skipped and counted; a missing {@code count} is -1.
     *
     * @return false if the JSON is malformed.
     */
    public boolean parse(final JsonCursor cursor)
    {
        size = 0;
        if (cursor.next() != JsonCursor.BEGIN_ARRAY)
        {
            return false;
        }
        int token;
        while ((token = cursor.next()) == JsonCursor.BEGIN_OBJECT)
        {
            LimitKind kind = null;
            long unitNs = 0;
            long number = 0;
            long limit = 0;
            long count = -1;
            while ((token = cursor.next()) == JsonCursor.KEY)
            {
                if (cursor.tokenEquals(RATE_LIMIT_TYPE))
                {
                    cursor.next();
                    kind = cursor.tokenEquals(REQUEST_WEIGHT) ? LimitKind.REQUEST_WEIGHT :
                        cursor.tokenEquals(ORDERS) ? LimitKind.ORDERS :
                        cursor.tokenEquals(RAW_REQUESTS) ? LimitKind.RAW_REQUESTS : null;
                }
                else if (cursor.tokenEquals(INTERVAL))
                {
                    cursor.next();
                    unitNs = cursor.tokenEquals(SECOND) ? VenueLimit.SECOND_NS :
                        cursor.tokenEquals(MINUTE) ? VenueLimit.MINUTE_NS :
                        cursor.tokenEquals(HOUR) ? VenueLimit.HOUR_NS :
                        cursor.tokenEquals(DAY) ? VenueLimit.DAY_NS : 0;
                }
                else if (cursor.tokenEquals(INTERVAL_NUM))
                {
                    cursor.next();
                    number = cursor.longValue();
                }
                else if (cursor.tokenEquals(LIMIT))
                {
                    cursor.next();
                    limit = cursor.longValue();
                }
                else if (cursor.tokenEquals(COUNT))
                {
                    cursor.next();
                    count = cursor.longValue();
                }
                else if (!cursor.skipValue())
                {
                    return false;
                }
            }
            if (token != JsonCursor.END_OBJECT)
            {
                return false;
            }
            if (kind == null || unitNs == 0 || number < 1 || number > 1000 || limit < 1 || size == MAX_ENTRIES)
            {
                unknownEntries++;
                continue;
            }
            kinds[size] = kind;
            intervalNs[size] = unitNs * number;
            limits[size] = limit;
            counts[size] = count;
            size++;
        }
        return token == JsonCursor.END_ARRAY;
    }

    public int size()
    {
        return size;
    }

    public LimitKind kind(final int index)
    {
        return kinds[index];
    }

    public long intervalNs(final int index)
    {
        return intervalNs[index];
    }

    public long limit(final int index)
    {
        return limits[index];
    }

    /** The venue's usage of the current window, -1 when not reported (exchangeInfo). */
    public long count(final int index)
    {
        return counts[index];
    }

    /** Entries skipped because their type or interval is unknown. */
    public long unknownEntries()
    {
        return unknownEntries;
    }

    /** The parsed entries as limits (for building a throttle; allocates). */
    public List<VenueLimit> toLimits()
    {
        final List<VenueLimit> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            list.add(new VenueLimit(kinds[i], intervalNs[i], limits[i]));
        }
        return list;
    }

    /** The limits of an {@code exchangeInfo} response or result text (config time; allocates). */
    public static List<VenueLimit> fromExchangeInfo(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final JsonCursor cursor = new JsonCursor().reset(new UnsafeBuffer(bytes), 0, bytes.length);
        final BinanceRateLimits limits = new BinanceRateLimits();
        if (findKey(cursor, ascii("rateLimits")) && limits.parse(cursor))
        {
            return limits.toLimits();
        }
        throw new IllegalArgumentException("no rateLimits array in the exchangeInfo text");
    }

    /** Advances to the value of the first key named {@code key} at any depth; false if none. */
    static boolean findKey(final JsonCursor cursor, final byte[] key)
    {
        int token;
        while ((token = cursor.next()) != JsonCursor.END && token != JsonCursor.ERROR)
        {
            if (token == JsonCursor.KEY && cursor.tokenEquals(key))
            {
                return true;
            }
        }
        return false;
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
