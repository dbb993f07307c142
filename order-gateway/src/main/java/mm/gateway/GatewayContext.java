package mm.gateway;

import mm.common.InstrumentRegistry;
import mm.common.config.Config;

/**
 * Gateway settings ({@code gateway.*} keys): which venue adapter, post-only, and the simulated venue's
 * maker fee. {@code observe-only} computes and journals every action and, structurally, has no venue
 * adapter to send them to.
 */
public final class GatewayContext
{
    /** Where actions go. */
    public enum VenueKind
    {
        SIM,
        OBSERVE_ONLY
    }

    private InstrumentRegistry registry;
    private VenueKind venue = VenueKind.SIM;
    private boolean postOnly = true;
    private long makerFeePpm = 1000;
    private boolean lockstep = true;
    private boolean actionsRecorded = true;

    public static GatewayContext fromConfig(final Config config, final InstrumentRegistry registry)
    {
        final GatewayContext context = new GatewayContext();
        context.registry = registry;
        context.venue = config.enumValue("gateway.venue", VenueKind.class, VenueKind.SIM);
        context.postOnly = config.bool("gateway.postOnly", true);
        context.makerFeePpm = config.longValue("sim.makerFeePpm", 1000, 0, 100_000);
        return context;
    }

    public GatewayContext registry(final InstrumentRegistry registry)
    {
        this.registry = registry;
        return this;
    }

    public GatewayContext venue(final VenueKind venue)
    {
        this.venue = venue;
        return this;
    }

    public GatewayContext lockstep(final boolean lockstep)
    {
        this.lockstep = lockstep;
        return this;
    }

    /**
     * Whether something (the journal) reads ORDER_ACTIONS. When nothing does, actions are still computed and
     * counted but not queued for a subscriber that will never come.
     */
    public GatewayContext actionsRecorded(final boolean actionsRecorded)
    {
        this.actionsRecorded = actionsRecorded;
        return this;
    }

    public boolean actionsRecorded()
    {
        return actionsRecorded;
    }

    public InstrumentRegistry registry()
    {
        return registry;
    }

    public VenueKind venue()
    {
        return venue;
    }

    public boolean postOnly()
    {
        return postOnly;
    }

    public long makerFeePpm()
    {
        return makerFeePpm;
    }

    public boolean lockstep()
    {
        return lockstep;
    }
}
