package mm.feed.kite.live;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Locale;

/**
 * The exchange session in IST (UTC+05:30, no daylight saving), e.g. 09:15-15:30 Monday to Friday. Holidays are
 * not modelled: on an exchange holiday the feed reports STALE (no ticks during "open" hours), not CLOSED.
 * {@link #isOpen(long)} is arithmetic on epoch nanoseconds: no allocation, safe on the duty cycle.
 */
public final class KiteMarketHours
{
    /** IST is UTC+05:30 all year. */
    public static final long IST_OFFSET_S = 5 * 3600 + 30 * 60;
    private static final long SECONDS_PER_DAY = 86_400;

    private final int openSecondOfDay;
    private final int closeSecondOfDay;
    /** Indexed by {@link DayOfWeek#ordinal()} (Monday = 0). */
    private final boolean[] tradingDays = new boolean[7];
    private final String text;

    /**
     * @param open  session start, IST, inclusive.
     * @param close session end, IST, exclusive; after {@code open}.
     */
    public KiteMarketHours(final LocalTime open, final LocalTime close, final DayOfWeek... days)
    {
        if (!close.isAfter(open))
        {
            throw new IllegalArgumentException("market close " + close + " must be after open " + open);
        }
        if (days.length == 0)
        {
            throw new IllegalArgumentException("at least one trading day is needed");
        }
        openSecondOfDay = open.toSecondOfDay();
        closeSecondOfDay = close.toSecondOfDay();
        final StringBuilder dayText = new StringBuilder();
        for (final DayOfWeek day : days)
        {
            tradingDays[day.ordinal()] = true;
        }
        for (final DayOfWeek day : DayOfWeek.values())
        {
            if (tradingDays[day.ordinal()])
            {
                dayText.append(dayText.isEmpty() ? "" : ",").append(day.name(), 0, 3);
            }
        }
        text = open + "-" + close + " IST " + dayText;
    }

    /** NSE/BSE equity session: 09:15-15:30 IST, Monday to Friday. */
    public static KiteMarketHours nseEquity()
    {
        return new KiteMarketHours(LocalTime.of(9, 15), LocalTime.of(15, 30),
            DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
    }

    /** Always open (every day, 00:00-24:00): for tests and for venues whose hours the engine should not judge. */
    public static KiteMarketHours always()
    {
        return new KiteMarketHours(LocalTime.MIDNIGHT, LocalTime.MAX, DayOfWeek.values());
    }

    /**
     * Parses {@code HH:MM-HH:MM} and a day list such as {@code MON-FRI} or {@code MON,TUE,WED} (or {@code ALL}).
     *
     * @throws IllegalArgumentException with the reason, for the caller to wrap in a config error.
     */
    public static KiteMarketHours parse(final String session, final String days)
    {
        final String[] times = session.trim().split("-");
        if (times.length != 2)
        {
            throw new IllegalArgumentException("session must be HH:MM-HH:MM, was '" + session + "'");
        }
        final LocalTime open;
        final LocalTime close;
        try
        {
            open = LocalTime.parse(times[0].trim());
            close = "24:00".equals(times[1].trim()) ? LocalTime.MAX : LocalTime.parse(times[1].trim());
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("session must be HH:MM-HH:MM, was '" + session + "'");
        }
        return new KiteMarketHours(open, close, parseDays(days));
    }

    private static DayOfWeek[] parseDays(final String days)
    {
        final String spec = days.trim().toUpperCase(Locale.ROOT);
        if ("ALL".equals(spec))
        {
            return DayOfWeek.values();
        }
        final boolean[] selected = new boolean[7];
        for (final String part : spec.split(","))
        {
            final String[] range = part.trim().split("-");
            if (range.length == 1)
            {
                selected[day(range[0]).ordinal()] = true;
            }
            else if (range.length == 2)
            {
                final int from = day(range[0]).ordinal();
                final int to = day(range[1]).ordinal();
                if (to < from)
                {
                    throw new IllegalArgumentException("day range must run Monday-first, was '" + part + "'");
                }
                for (int d = from; d <= to; d++)
                {
                    selected[d] = true;
                }
            }
            else
            {
                throw new IllegalArgumentException("bad day list '" + days + "'");
            }
        }
        int count = 0;
        for (final boolean b : selected)
        {
            count += b ? 1 : 0;
        }
        final DayOfWeek[] result = new DayOfWeek[count];
        int i = 0;
        for (int d = 0; d < 7; d++)
        {
            if (selected[d])
            {
                result[i++] = DayOfWeek.values()[d];
            }
        }
        return result;
    }

    private static DayOfWeek day(final String name)
    {
        final String n = name.trim();
        for (final DayOfWeek day : DayOfWeek.values())
        {
            if (day.name().startsWith(n) && n.length() >= 3)
            {
                return day;
            }
        }
        throw new IllegalArgumentException("unknown day '" + name + "' (use MON..SUN)");
    }

    /** Whether the session is open at this wall-clock time (epoch nanoseconds, UTC). */
    public boolean isOpen(final long epochNs)
    {
        final long istS = Math.floorDiv(epochNs, 1_000_000_000L) + IST_OFFSET_S;
        final long day = Math.floorDiv(istS, SECONDS_PER_DAY);
        final int secondOfDay = (int)Math.floorMod(istS, SECONDS_PER_DAY);
        // 1970-01-01 was a Thursday: ordinal 3 with Monday = 0.
        final int dayOfWeek = (int)Math.floorMod(day + 3, 7);
        return tradingDays[dayOfWeek] &&
            secondOfDay >= openSecondOfDay &&
            (secondOfDay < closeSecondOfDay || closeSecondOfDay == LocalTime.MAX.toSecondOfDay());
    }

    @Override
    public String toString()
    {
        return text;
    }
}
