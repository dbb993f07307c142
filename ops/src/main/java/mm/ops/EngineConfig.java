package mm.ops;

import mm.common.InstrumentRegistry;
import mm.common.aeron.Streams;
import mm.common.agent.Deployment;
import mm.common.agent.IdleStrategies;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.driver.DriverProfile;
import mm.feed.binance.FeedContext;
import mm.feed.kite.live.KiteFeedContext;
import mm.gateway.GatewayContext;
import mm.quoting.QuotingContext;
import mm.risk.RiskContext;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything one deployment needs, read from its single config file and validated before anything starts:
 * a bad value stops startup with a message naming the key, the value and the rule, and so does a key that
 * nothing reads.
 */
public final class EngineConfig
{
    final Config config;
    final Path home;
    final Deployment deployment;
    final boolean embeddedDriver;
    final String idleStrategyName;
    final boolean pin;
    final Map<Role, Integer> cpus = new EnumMap<>(Role.class);
    final boolean lockstep;
    /** CONTROL heartbeat period; 0: no heartbeats (lockstep runs take time from market data). */
    final long heartbeatIntervalMs;
    final boolean journalEnabled;
    final boolean journalInboxes;
    /** {@code ./mm backtest}: the journal appends on a thread of its own ({@link mm.journal.JournalThread}). */
    final boolean journalBacktestThread;
    final Path journalDir;
    final String runId;
    /** Continue the journal of {@link #runId} (a restart after a stop or a crash) instead of refusing its folder. */
    final boolean journalResume;
    /**
     * The journal holds publishers back when it lags (complete, the lockstep default), or, false, is dropped by the
     * driver after {@link #journalMaxStallMs} and the agents drop the journal-only records it cannot take (live runs).
     */
    final boolean journalTether;
    final long journalMaxStallMs;
    final long journalRejoinMs;
    /** {@code alerts.*}: thresholds and file of the alert monitor (runs in the process with the risk role). */
    final AlertMonitor.Settings alerts;
    /** Roles whose "done" a finished role waits for before it exits (the process shape's end handshake). */
    final String[] exitAfterRoles;
    /** Roles on other hosts the feed waits for (their RoleReady on the readiness stream). */
    final java.util.Set<String> remoteRoles;
    /** This engine's journal announces itself on the readiness stream once it has joined every stream. */
    final boolean announceReady;
    final Streams streams;
    final InstrumentRegistry registry;
    /** The Binance feed's settings; null when engine.feed=kite. */
    final FeedContext feed;
    /** The Kite feed's settings; null unless engine.feed=kite. */
    final KiteFeedContext kiteFeed;
    /** The feed role of this deployment: feed-binance or feed-kite (engine.feed). */
    final Role feedRole;
    final QuotingContext quoting;
    final RiskContext risk;
    final GatewayContext gateway;
    final DriverProfile driverProfile;

    private EngineConfig(final Config config, final Path home)
    {
        this.config = config;
        this.home = home;
        deployment = config.enumValue("engine.deployment", Deployment.class, Deployment.COMPOSITE);
        embeddedDriver = config.bool("driver.embedded", deployment != Deployment.PROCESS);
        if (embeddedDriver && deployment == Deployment.PROCESS)
        {
            throw new ConfigException("driver.embedded", "true", "must be false when engine.deployment=process: " +
                "roles in separate processes share one standalone driver");
        }
        driverProfile = DriverProfile.fromConfig(config);
        idleStrategyName = config.string("engine.idleStrategy", "backoff");
        IdleStrategies.byName("engine.idleStrategy", idleStrategyName);
        pin = config.bool("engine.pin", true);
        for (final Role role : Role.AGENT_ROLES)
        {
            cpus.put(role, config.intValue("engine.cpu." + role.cliName(), -1, -1, 4095));
        }
        final boolean lockstepRun = config.bool("engine.lockstep", true);
        final boolean journalOn = config.bool("journal.enabled", true);
        journalTether = config.bool("journal.tether", lockstepRun);
        journalMaxStallMs = config.longValue("journal.maxStallMs", 100, 1, 60_000);
        journalRejoinMs = config.longValue("journal.rejoinMs", 1_000, 1, 600_000);
        if (!journalTether && lockstepRun)
        {
            throw new ConfigException("journal.tether", "false", "must be true when engine.lockstep=true: a lockstep " +
                "run is a simulation, and its journal must be complete");
        }
        final Streams configured = Streams.fromConfig(config);
        // every publisher carries the driver's untethered timeouts: Aeron takes them from the publication
        streams = journalTether || !journalOn ? configured : configured.withChannel(
            mm.journal.JournalRecorder.withUntetheredTimeouts(configured.channel(), journalMaxStallMs, journalRejoinMs));
        registry = InstrumentRegistry.fromConfig(config);
        final String feedVenue = config.string("engine.feed", "binance");
        if (!feedVenue.equals("binance") && !feedVenue.equals("kite"))
        {
            throw new ConfigException("engine.feed", feedVenue, "must be binance or kite");
        }
        feedRole = feedVenue.equals("kite") ? Role.FEED_KITE : Role.FEED_BINANCE;
        // Kite instruments come from the instruments dump: loaded before anything looks instruments up.
        kiteFeed = feedRole == Role.FEED_KITE ? KiteFeedContext.fromConfig(config, registry, home) : null;
        if (registry.all().isEmpty())
        {
            throw new ConfigException("instrument.<id>.symbol", null, "at least one instrument is required");
        }
        gateway = GatewayContext.fromConfig(config, registry);
        lockstep = config.bool("engine.lockstep", true);
        journalEnabled = config.bool("journal.enabled", true);
        journalInboxes = config.bool("journal.inboxes", true) && journalEnabled;
        journalBacktestThread = config.bool("journal.backtestThread", true);
        journalDir = resolve(home, config.string("journal.dir", "runs"));
        runId = config.string("journal.runId", null);
        journalResume = config.bool("journal.resume", false);
        alerts = AlertMonitor.Settings.fromConfig(config);
        if (journalResume && runId == null)
        {
            throw new ConfigException("journal.resume", "true", "needs journal.runId: the run folder to continue");
        }
        exitAfterRoles = exitAfter(config.string("engine.exitAfter", "journal"), journalEnabled);
        remoteRoles = new java.util.TreeSet<>();
        for (final String name : config.string("engine.remoteRoles", "").split(","))
        {
            if (!name.isBlank())
            {
                if (!"journal".equals(name.strip()))
                {
                    throw new ConfigException("engine.remoteRoles", config.string("engine.remoteRoles", ""),
                        "lists roles on other hosts the feed waits for; only journal announces itself across hosts");
                }
                remoteRoles.add(name.strip());
            }
        }
        announceReady = config.bool("engine.announceReady", false);
        feed = feedRole == Role.FEED_BINANCE ? FeedContext.fromConfig(config, registry, home) : null;
        quoting = QuotingContext.fromConfig(config, registry).lockstep(lockstep);
        if (feedRole == Role.FEED_KITE && quoting.instrument().venue() != mm.common.Venue.KITE)
        {
            throw new ConfigException("quoting.instrument", String.valueOf(quoting.instrument().id()),
                "must be a Kite instrument (one of feed-kite.instruments) when engine.feed=kite");
        }
        risk = RiskContext.fromConfig(config, registry, home).lockstep(lockstep);
        // post-mortems go to the run's folder when it is known here, else next to the runs
        risk.defaultPostMortemDir(journalEnabled && runId != null ?
            journalDir.resolve(runId).resolve("post-mortem") : journalDir.resolve("post-mortem"));
        heartbeatIntervalMs = config.longValue("engine.heartbeatIntervalMs", lockstep ? 0 : 1000, 0, 60_000);
        if (heartbeatIntervalMs != 0 && lockstep)
        {
            throw new ConfigException("engine.heartbeatIntervalMs", String.valueOf(heartbeatIntervalMs),
                "must be 0 when engine.lockstep=true: lockstep runs take time from market data, and a wall-clock tick " +
                    "would make their output depend on timing");
        }
        if (heartbeatIntervalMs != 0 && heartbeatIntervalMs < 10)
        {
            throw new ConfigException("engine.heartbeatIntervalMs", String.valueOf(heartbeatIntervalMs),
                "must be 0 (off) or at least 10");
        }
        gateway.lockstep(lockstep).actionsRecorded(journalEnabled);
        config.rejectUnknownKeys();
    }

    /**
     * @param home folder that relative paths in the config resolve against (the repo root for ./mm).
     */
    public static EngineConfig from(final Config config, final Path home)
    {
        return new EngineConfig(config, home);
    }

    public Config config()
    {
        return config;
    }

    public Deployment deployment()
    {
        return deployment;
    }

    public Path journalDir()
    {
        return journalDir;
    }

    public Streams streams()
    {
        return streams;
    }

    public Role feedRole()
    {
        return feedRole;
    }

    public InstrumentRegistry registry()
    {
        return registry;
    }

    private static String[] exitAfter(final String text, final boolean journalEnabled)
    {
        final java.util.List<String> roles = new java.util.ArrayList<>();
        for (final String role : text.split(","))
        {
            final String name = role.trim();
            if (!name.isEmpty() && !("journal".equals(name) && !journalEnabled))
            {
                roles.add(name);
            }
        }
        return roles.toArray(new String[0]);
    }

    static Path resolve(final Path home, final String path)
    {
        final Path p = Path.of(path);
        return p.isAbsolute() ? p : home.resolve(p).normalize();
    }
}
