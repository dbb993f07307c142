package mm.common.agent;

/**
 * Where agents run: all on one thread ({@code CompositeAgent}), one thread per agent (pinned where possible),
 * or one process per role over a standalone media driver. The agents are the same in every shape.
 */
public enum Deployment
{
    COMPOSITE,
    THREADED,
    PROCESS
}
