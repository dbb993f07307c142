package mm.gateway;

import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.gateway.binance.BinanceOrderEntry;
import mm.gateway.binance.BinanceOrderEntryContext;
import mm.gateway.kite.KiteOrderEntry;
import mm.gateway.kite.KiteOrderEntryContext;
import mm.gateway.venue.LimitKind;
import mm.gateway.venue.OrderEntry;
import mm.gateway.venue.VenueLimit;
import mm.gateway.venue.VenueListener;
import mm.gateway.venue.VenueThrottle;

import java.util.ArrayList;
import java.util.List;

/**
 * Gateway settings ({@code gateway.*} and {@code sim.*} keys): which venue, post-only, request timeout, what a
 * reconcile does with unknown orders, and the simulated venue's latency, queue model, fees and limits.
 * {@code observe-only} never constructs an order session: the only {@link OrderEntry} it builds is a shadow
 * {@link SimVenue}. A live venue ({@code binance}, {@code kite}) reads and validates its own session keys only
 * when chosen.
 */
public final class GatewayContext
{
    /** Where actions go. */
    public enum VenueKind
    {
        /** The deterministic simulated venue. */
        SIM,
        /** Compute, throttle and journal every action; a shadow simulated venue answers; nothing is sent. */
        OBSERVE_ONLY,
        /** Binance spot over the WebSocket API ({@code binance.order.*} keys). */
        BINANCE,
        /** Zerodha Kite Connect REST with ticker order updates ({@code kite.order.*} keys). */
        KITE;

        /** Whether orders go to a real venue (its transport reads a clock). */
        public boolean isLive()
        {
            return this == BINANCE || this == KITE;
        }
    }

    /** What a reconcile does with an open order of ours (our id prefix) that this gateway does not know. */
    public enum UnknownOrders
    {
        CANCEL,
        ADOPT
    }

    private InstrumentRegistry registry;
    private VenueKind venue = VenueKind.SIM;
    private boolean postOnly = true;
    private long makerFeePpm = 1000;
    private boolean lockstep = true;
    private boolean actionsRecorded = true;
    private long requestTimeoutMs = 5000;
    private UnknownOrders unknownOrders = UnknownOrders.CANCEL;
    private long entryLatencyUs = 500;
    private long ackLatencyUs = 500;
    private SimVenue.QueueModel queueModel = SimVenue.QueueModel.CONSERVATIVE;
    private boolean cancelOnDisconnect = true;
    private int simHeadroomPercent = 20;
    private long simOrdersPer10s = 100;
    private long simRequestWeightPerMinute = 6000;
    private String quoteAsset = "USDT";
    private int session;
    private BinanceOrderEntryContext binance;
    private java.util.function.Function<VenueListener, OrderEntry> orderEntryFactory;
    private KiteOrderEntryContext kite;

    public static GatewayContext fromConfig(final Config config, final InstrumentRegistry registry)
    {
        final GatewayContext context = new GatewayContext();
        context.registry = registry;
        context.venue = config.enumValue("gateway.venue", VenueKind.class, VenueKind.SIM);
        context.postOnly = config.bool("gateway.postOnly", true);
        context.requestTimeoutMs = config.longValue("gateway.requestTimeoutMs", 5000, 1, 600_000);
        context.unknownOrders = config.enumValue("gateway.reconcile.unknownOrders", UnknownOrders.class,
            UnknownOrders.CANCEL);
        context.makerFeePpm = config.longValue("sim.makerFeePpm", 1000, 0, 100_000);
        context.entryLatencyUs = config.longValue("sim.entryLatencyUs", 500, 0, 10_000_000);
        context.ackLatencyUs = config.longValue("sim.ackLatencyUs", 500, 0, 10_000_000);
        context.queueModel = config.enumValue("sim.queueModel", SimVenue.QueueModel.class,
            SimVenue.QueueModel.CONSERVATIVE);
        context.cancelOnDisconnect = config.bool("sim.cancelOnDisconnect", true);
        context.simHeadroomPercent = config.intValue("sim.headroomPercent", 20, 0, 90);
        context.simOrdersPer10s = config.longValue("sim.ordersPer10s", 100, 1, 1_000_000);
        context.simRequestWeightPerMinute = config.longValue("sim.requestWeightPerMinute", 6000, 1, 10_000_000);
        context.quoteAsset = config.string("gateway.quoteAsset", "USDT");
        if (context.quoteAsset.isEmpty() || !context.quoteAsset.chars().allMatch(Character::isLetterOrDigit))
        {
            throw new ConfigException("gateway.quoteAsset", context.quoteAsset, "must be an asset code like USDT");
        }
        if (context.venue == VenueKind.BINANCE)
        {
            // only a live venue reads (and validates) its session keys: observe-only never looks at them
            context.binance = BinanceOrderEntryContext.fromConfig(config).conclude();
        }
        else if (context.venue == VenueKind.KITE)
        {
            final KiteOrderEntryContext kite = KiteOrderEntryContext.fromConfig(config);
            if (context.postOnly && !kite.postOnlyAsLimit())
            {
                throw new ConfigException("gateway.postOnly", "true", "Kite has no post-only order: set " +
                    "gateway.postOnly=false (and quoting.postOnly=false), or kite.order.postOnlyAsLimit=true to send " +
                    "post-only quotes as plain limit orders");
            }
            context.kite = kite.conclude();
        }
        // a rehearsal runs the live file with only gateway.venue changed: the other venues' session keys are parsed
        // (a bad value still stops startup) but their secrets are never loaded and no session is ever built
        if (context.venue != VenueKind.BINANCE)
        {
            BinanceOrderEntryContext.fromConfig(config);
        }
        if (context.venue != VenueKind.KITE)
        {
            KiteOrderEntryContext.fromConfig(config);
        }
        if (context.venue.isLive() && venueInstruments(registry, context.venue).isEmpty())
        {
            throw new ConfigException("gateway.venue", context.venue.name().toLowerCase(java.util.Locale.ROOT),
                "no instrument of that venue in the registry");
        }
        return context;
    }

    /**
     * The venue the gateway drives. SIM and OBSERVE_ONLY get a {@link SimVenue} (in observe-only it is the
     * shadow venue); only BINANCE and KITE open an order session, and this is the one place such a session is made.
     */
    OrderEntry newOrderEntry(final VenueListener listener)
    {
        if (orderEntryFactory != null)
        {
            return orderEntryFactory.apply(listener);
        }
        if (venue == VenueKind.KITE)
        {
            return new KiteOrderEntry(kite, venueInstruments(registry, venue), listener);
        }
        if (venue == VenueKind.BINANCE)
        {
            final List<Instrument> instruments = venueInstruments(registry, venue);
            final List<String> quoteAssets = new ArrayList<>();
            for (int i = 0; i < instruments.size(); i++)
            {
                quoteAssets.add(quoteAsset);
            }
            return new BinanceOrderEntry(binance, instruments, quoteAssets, listener);
        }
        return newSimVenue().listener(listener);
    }

    /** The registry's instruments a live venue trades (Binance: spot; Kite: Kite's). */
    private static List<Instrument> venueInstruments(final InstrumentRegistry registry, final VenueKind venue)
    {
        final List<Instrument> instruments = new ArrayList<>();
        for (final Instrument instrument : registry.all())
        {
            if (venue == VenueKind.BINANCE && instrument.venue() == Venue.BINANCE_SPOT ||
                venue == VenueKind.KITE && instrument.venue() == Venue.KITE)
            {
                instruments.add(instrument);
            }
        }
        return instruments;
    }

    /** The simulated venue these settings describe (no listener yet). */
    public SimVenue newSimVenue()
    {
        final VenueThrottle throttle = new VenueThrottle(List.of(
            new VenueLimit(LimitKind.ORDERS, 10 * VenueLimit.SECOND_NS, simOrdersPer10s),
            new VenueLimit(LimitKind.REQUEST_WEIGHT, VenueLimit.MINUTE_NS, simRequestWeightPerMinute)),
            simHeadroomPercent);
        return new SimVenue(new ArrayList<>(registry.all()), makerFeePpm, entryLatencyUs * 1000, ackLatencyUs * 1000,
            queueModel, cancelOnDisconnect, throttle);
    }

    /**
     * Replaces the venue adapter the venue kind would build (with its input-time clock, as for the simulated
     * venue): for benchmarks that measure the gateway's own work apart from a venue's, never from config.
     */
    public GatewayContext orderEntryFactory(final java.util.function.Function<VenueListener, OrderEntry> factory)
    {
        this.orderEntryFactory = factory;
        return this;
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

    public GatewayContext entryLatencyUs(final long entryLatencyUs)
    {
        this.entryLatencyUs = entryLatencyUs;
        return this;
    }

    public GatewayContext ackLatencyUs(final long ackLatencyUs)
    {
        this.ackLatencyUs = ackLatencyUs;
        return this;
    }

    public GatewayContext queueModel(final SimVenue.QueueModel queueModel)
    {
        this.queueModel = queueModel;
        return this;
    }

    public GatewayContext requestTimeoutMs(final long requestTimeoutMs)
    {
        this.requestTimeoutMs = requestTimeoutMs;
        return this;
    }

    public GatewayContext unknownOrders(final UnknownOrders unknownOrders)
    {
        this.unknownOrders = unknownOrders;
        return this;
    }

    public GatewayContext cancelOnDisconnect(final boolean cancelOnDisconnect)
    {
        this.cancelOnDisconnect = cancelOnDisconnect;
        return this;
    }

    public GatewayContext simLimits(final long ordersPer10s, final long requestWeightPerMinute, final int headroomPercent)
    {
        this.simOrdersPer10s = ordersPer10s;
        this.simRequestWeightPerMinute = requestWeightPerMinute;
        this.simHeadroomPercent = headroomPercent;
        return this;
    }

    /**
     * Which start of its run folder this gateway is: 0 for a new run, n for the n-th restart into the same folder
     * ({@code journal.resume}). Not a config key: the engine sets it from the run's manifest, and a replay sets
     * each session's. Client order ids are numbered from the first input's second and this number
     * ({@link mm.gateway.venue.ClientOrderIds#sessionBase}), so no two sessions share an id.
     */
    public GatewayContext session(final int session)
    {
        if (session < 0)
        {
            throw new IllegalArgumentException("session must be 0 or more: " + session);
        }
        this.session = session;
        return this;
    }

    public int session()
    {
        return session;
    }

    public GatewayContext binance(final BinanceOrderEntryContext binance)
    {
        this.binance = binance;
        return this;
    }

    public GatewayContext kite(final KiteOrderEntryContext kite)
    {
        this.kite = kite;
        return this;
    }

    public GatewayContext postOnly(final boolean postOnly)
    {
        this.postOnly = postOnly;
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

    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    public UnknownOrders unknownOrders()
    {
        return unknownOrders;
    }
}
