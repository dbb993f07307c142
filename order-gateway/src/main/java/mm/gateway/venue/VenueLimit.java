package mm.gateway.venue;

/** One limit a venue publishes: {@code limit} of {@code kind} per {@code intervalNs}. */
public record VenueLimit(LimitKind kind, long intervalNs, long limit)
{
    public static final long SECOND_NS = 1_000_000_000L;
    public static final long MINUTE_NS = 60 * SECOND_NS;
    public static final long HOUR_NS = 60 * MINUTE_NS;
    public static final long DAY_NS = 24 * HOUR_NS;

    public VenueLimit
    {
        if (kind == null || intervalNs < 1 || limit < 1)
        {
            throw new IllegalArgumentException("invalid venue limit " + kind + " " + limit + " per " + intervalNs + " ns");
        }
    }
}
