package mm.perf.latency;

/** Where the agents run: the engine's three deployment shapes. */
public enum Shape
{
    /** Every agent on one thread (a CompositeAgent), the embedded default. */
    COMPOSITE,
    /** An AgentRunner thread per agent in one JVM. */
    THREADED,
    /** A JVM per role (quoting, risk, gateway) on one media driver; the feed runs in the harness's JVM. */
    PROCESS;

    public String cliName()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Shape byName(final String name)
    {
        for (final Shape shape : values())
        {
            if (shape.cliName().equals(name))
            {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown shape '" + name + "': composite, threaded or process");
    }
}
