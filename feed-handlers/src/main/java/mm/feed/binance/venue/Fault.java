package mm.feed.binance.venue;

import java.util.Locale;

/** Faults the {@link FakeBinanceVenue} can inject, on demand or at random with a seed. */
public enum Fault
{
    /** A diff-depth frame is not sent (the venue's book still moves): the client sees a gap. */
    DROP(Target.DEPTH_FRAME),
    /** A diff-depth frame is sent twice. */
    DUPLICATE(Target.DEPTH_FRAME),
    /** A diff-depth frame is held back and sent after the next one. */
    REORDER(Target.DEPTH_FRAME),
    /** A diff-depth frame is cut to half its length. */
    TRUNCATE(Target.DEPTH_FRAME),
    /**
     * One to three bytes of a diff-depth frame are overwritten with {@code #}, which is never valid in Binance
     * JSON outside a string and never valid in a number, so the damage is detectable (silent numeric corruption
     * is not a transport fault any client could detect).
     */
    CORRUPT(Target.DEPTH_FRAME),
    /** Every connection is closed abruptly (no close frame), mid-stream. */
    DISCONNECT(Target.ANY_FRAME),
    /** The venue sends nothing (no data, no pings) for the stall time. */
    STALL(Target.ANY_FRAME),
    /** The REST snapshot is answered after the snapshot delay. */
    SLOW_SNAPSHOT(Target.SNAPSHOT),
    /** The REST snapshot served is the oldest one the venue knows: older than the stream. */
    STALE_SNAPSHOT(Target.SNAPSHOT);

    /** What a fault applies to. */
    public enum Target
    {
        DEPTH_FRAME, ANY_FRAME, SNAPSHOT
    }

    private final Target target;

    Fault(final Target target)
    {
        this.target = target;
    }

    public Target target()
    {
        return target;
    }

    /** The command-line name, e.g. {@code slow-snapshot}. */
    public String cliName()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a command-line name ({@code stale-snapshot} or {@code STALE_SNAPSHOT}). */
    public static Fault parse(final String name)
    {
        for (final Fault fault : values())
        {
            if (fault.cliName().equalsIgnoreCase(name.trim()) || fault.name().equalsIgnoreCase(name.trim()))
            {
                return fault;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; known: " + java.util.Arrays.toString(cliNames()));
    }

    static String[] cliNames()
    {
        final Fault[] faults = values();
        final String[] names = new String[faults.length];
        for (int i = 0; i < faults.length; i++)
        {
            names[i] = faults[i].cliName();
        }
        return names;
    }
}
