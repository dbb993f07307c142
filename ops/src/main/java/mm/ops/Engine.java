package mm.ops;

import io.aeron.Aeron;
import mm.common.agent.BoundedAgent;
import mm.common.agent.Deployment;
import mm.common.agent.DoneSignallingAgent;
import mm.common.agent.IdleStrategies;
import mm.common.agent.Pinning;
import mm.common.agent.Readiness;
import mm.driver.DriverProfile;
import mm.driver.EmbeddedDriver;
import mm.feed.binance.BinanceRecordingFeedAgent;
import mm.feed.binance.FeedContext;
import mm.feed.binance.live.BinanceLiveFeedAgent;
import mm.feed.kite.live.KiteLiveFeedAgent;
import mm.gateway.GatewayAgent;
import mm.journal.JournalRecorder;
import mm.journal.RunManifest;
import mm.quoting.QuotingAgent;
import mm.risk.RiskAgent;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds the agents of the chosen roles and runs them in the configured shape: all on one thread
 * (composite), one thread each (threaded, pinned where possible), or only the given roles in this process
 * (process shape, where {@link ProcessLauncher} starts one JVM per role over a standalone driver).
 * The agents are the same objects in every shape.
 */
public final class Engine implements AutoCloseable
{
    /** Longest wait for the venue to answer the cancels of a stop. */
    private static final long STOP_TIMEOUT_MS = 3_000;
    /** Time for the journal to record the last answers before the agents stop. */
    private static final long JOURNAL_DRAIN_MS = 300;

    /** Counter of each deciding agent with {@code journal.tether=false}: journal-only records it dropped. */
    static final String JOURNAL_RECORDS_DROPPED = "journal records dropped (journal behind)";
    private static final String[] CONSUMER_ROLES = {"quoting", "risk", "gateway", "journal"};
    private static final String[] JOURNAL_ROLE = {"journal"};
    private static final long JOURNAL_READY_TIMEOUT_MS = 60_000;
    private static final String[] PRODUCER_ROLES = {"feed-binance", "quoting", "risk", "gateway"};
    /** How long a finished role waits for the roles in engine.exitAfter (the journal, the launcher). */
    private static final long EXIT_AFTER_TIMEOUT_MS = 60_000;

    private final EngineConfig config;
    private final PrintStream out;
    private Thread alertThread;
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final List<BoundedAgent> agents = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private EmbeddedDriver driver;
    private Aeron aeron;
    private Path runDir;
    private QuotingAgent quoting;
    private RiskAgent risk;
    private HeartbeatAgent heartbeat;
    /** The gateway and its latency monitor, one agent on the gateway's thread. */
    private BoundedAgent gatewayRunnable;
    private GatewayAgent gateway;
    private JournalRecorder journal;
    private BoundedAgent feed;

    public Engine(final EngineConfig config, final PrintStream out)
    {
        this.config = config;
        this.out = out;
    }

    /** Starts a driver if embedded, connects, builds the agents of {@code roles} and starts them. */
    public Engine start(final EnumSet<Role> roles)
    {
        final String aeronDir;
        if (config.embeddedDriver)
        {
            driver = EmbeddedDriver.launch(config.driverProfile);
            aeronDir = driver.aeronDirectoryName();
        }
        else
        {
            aeronDir = config.driverProfile.aeronDirectoryName() != null ?
                config.driverProfile.aeronDirectoryName() : DriverProfile.defaultSharedDir();
        }
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).errorHandler(this::onError));

        // consumers subscribe before the source publishes: Aeron delivers only from when a subscriber joins
        if (roles.contains(Role.JOURNAL) && config.journalEnabled)
        {
            runDir = config.journalDir.resolve(config.runId != null ? config.runId : newRunId());
            journal = JournalFactory.create(config, aeron, runDir, producerRoles());
            agents.add(signalling(journal));
            Readiness.markReady(aeron, "journal");
            if (config.announceReady)
            {
                final JournalRecorder recorder = journal;
                final int control = config.streams.control();
                agents.add(signalling(new RemoteReadiness.Announcer(aeron, config.streams, "journal",
                    () -> recorder.isConnectedExcept(control), new org.agrona.concurrent.SystemEpochNanoClock())));
            }
        }
        else if (roles.contains(Role.JOURNAL) || !config.journalEnabled)
        {
            Readiness.markReady(aeron, "journal");
        }
        if (!config.remoteRoles.isEmpty() && (roles.contains(Role.FEED_BINANCE) || roles.contains(Role.FEED_KITE)))
        {
            // the journal is on another host: its announcement raises its ready counter here
            agents.add(signalling(new RemoteReadiness.Listener(aeron, config.streams, config.remoteRoles)));
        }
        if (roles.contains(Role.GATEWAY))
        {
            config.gateway.session(sessionIndex());
            gateway = new GatewayAgent(config.gateway, aeron, config.streams, config.journalInboxes);
            // the latency monitor reads each action right after the gateway's duty cycle, on its thread
            gatewayRunnable = new GatewayWithLatency(
                gateway, new LatencyMonitor(aeron, config.streams, new org.agrona.concurrent.SystemEpochNanoClock()));
            agents.add(signalling(gatewayRunnable));
            markReadyWhenJoined("gateway", gateway.inbox());
        }
        if (roles.contains(Role.RISK))
        {
            if (runDir != null && !config.config.has("risk.postMortemDir"))
            {
                config.risk.defaultPostMortemDir(runDir.resolve("post-mortem"));
            }
            risk = new RiskAgent(config.risk, aeron, config.streams, config.journalInboxes);
            agents.add(signalling(risk));
            markReadyWhenJoined("risk", risk.inbox());
            if (config.heartbeatIntervalMs > 0)
            {
                heartbeat = new HeartbeatAgent(aeron, config.streams, config.heartbeatIntervalMs,
                    new org.agrona.concurrent.SystemEpochNanoClock());
                agents.add(signalling(heartbeat));
            }
        }
        if (roles.contains(Role.QUOTING))
        {
            quoting = new QuotingAgent(config.quoting, aeron, config.streams, config.journalInboxes);
            agents.add(signalling(quoting));
            markReadyWhenJoined("quoting", quoting.inbox());
        }
        if (roles.contains(Role.FEED_KITE))
        {
            if (config.kiteFeed == null)
            {
                throw new mm.common.config.ConfigException("engine.feed", "binance", "must be kite to run the feed-kite role");
            }
            final Aeron client = aeron;
            feed = new KiteLiveFeedAgent(config.kiteFeed.settings(), config.kiteFeed.instruments(),
                config.kiteFeed.published(), aeron, config.streams, Role.FEED_KITE.cliName(),
                () -> Readiness.allReady(client.countersReader(), CONSUMER_ROLES),
                new org.agrona.concurrent.SystemEpochNanoClock(), new java.util.Random());
            agents.add(0, signalling(feed));
        }
        if (roles.contains(Role.FEED_BINANCE))
        {
            if (config.feed == null)
            {
                throw new mm.common.config.ConfigException("engine.feed", "kite", "must be binance to run the feed-binance role");
            }
            final Aeron client = aeron;
            // feed.source: a recording replayed to its end, or the venue's live streams (never done by itself)
            feed = config.feed.source() == FeedContext.Source.WEBSOCKET ?
                new BinanceLiveFeedAgent(config.feed, aeron, config.streams,
                    () -> Readiness.allReady(client.countersReader(), CONSUMER_ROLES)) :
                new BinanceRecordingFeedAgent(config.feed, aeron, config.streams,
                    () -> Readiness.allReady(client.countersReader(), CONSUMER_ROLES));
            agents.add(0, signalling(feed));
        }
        if (config.journalEnabled && !config.journalTether)
        {
            dropWhatTheJournalCannotTake();
        }
        startRunners();
        startAlerts(roles);
        return this;
    }

    /**
     * One channel for every stream (IPC, or UDP unicast to one endpoint): a role is ready once its subscriptions
     * exist, since a publication is not connected, and the feed's offers wait, until they join. With per-stream
     * channels (multi-destination-cast across hosts) a publication is connected as soon as any one subscriber has
     * joined, so a role is ready only once every input but CONTROL has joined (CONTROL's publishers, the
     * heartbeat and operators' commands, may not exist yet).
     */
    private void markReadyWhenJoined(final String role, final mm.common.aeron.Inbox inbox)
    {
        if (config.streams.singleChannel())
        {
            Readiness.markReady(aeron, role);
            return;
        }
        final int control = config.streams.control();
        agents.add(signalling(new BoundedAgent()
        {
            private boolean marked;

            public int doWork()
            {
                if (!marked && inbox.inputsConnectedExcept(control))
                {
                    marked = true;
                    Readiness.markReady(aeron, role);
                    return 1;
                }
                return 0;
            }

            public boolean isDone()
            {
                return true;
            }

            public String roleName()
            {
                return role + "-joined";
            }
        }));
    }

    /**
     * Which start of its run folder this is: 0 for a new run, n for the n-th restart into it
     * ({@code journal.resume}), as the run's manifest lists its sessions (the gateway numbers its client order
     * ids from it; a replay reads the same list). A role process without the journal waits until the journal
     * process has added this session.
     */
    private int sessionIndex()
    {
        if (!config.journalEnabled || !config.journalResume || config.runId == null)
        {
            return 0;
        }
        if (journal == null)
        {
            final long deadlineMs = System.currentTimeMillis() + JOURNAL_READY_TIMEOUT_MS;
            while (!Readiness.allReady(aeron.countersReader(), JOURNAL_ROLE))
            {
                if (System.currentTimeMillis() > deadlineMs)
                {
                    throw new IllegalStateException("the journal did not start within " + JOURNAL_READY_TIMEOUT_MS +
                        " ms: the session number of this restart is unknown");
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        return Math.max(0, RunManifest.readSessions(config.journalDir.resolve(config.runId)).size() - 1);
    }

    /**
     * {@code journal.tether=false}: a stream only the journal reads (each inbox tee, the order actions) has no other
     * reader for the driver to measure the journal's lag against, so a stalled journal would hold its publisher, and
     * through the inbox the agent, back; there, the agent drops (and counts) what the journal cannot take.
     */
    private void dropWhatTheJournalCannotTake()
    {
        final List<mm.common.aeron.Inbox> inboxes = new ArrayList<>();
        final List<String> roleNames = new ArrayList<>();
        if (quoting != null)
        {
            inboxes.add(quoting.inbox());
            roleNames.add(quoting.roleName());
        }
        if (risk != null)
        {
            inboxes.add(risk.inbox());
            roleNames.add(risk.roleName());
        }
        if (gateway != null)
        {
            inboxes.add(gateway.inbox());
            roleNames.add(gateway.roleName());
        }
        for (int i = 0; i < inboxes.size(); i++)
        {
            final mm.common.aeron.Inbox inbox = inboxes.get(i);
            final org.agrona.concurrent.status.AtomicCounter dropped = mm.common.agent.EngineCounters.add(
                aeron, roleNames.get(i), JOURNAL_RECORDS_DROPPED);
            if (inbox.tee() != null)
            {
                inbox.tee().dropWhenBackPressured(dropped);
            }
            for (int o = 0; o < inbox.outputCount(); o++)
            {
                if (inbox.output(o).streamId() == config.streams.orderActions())
                {
                    inbox.output(o).dropWhenBackPressured(dropped);
                }
            }
        }
    }

    /** The producers the journal records: the configured feed's role, then quoting, risk and gateway. */
    private String[] producerRoles()
    {
        final String[] roles = PRODUCER_ROLES.clone();
        roles[0] = config.feedRole.cliName();
        return roles;
    }

    private BoundedAgent signalling(final BoundedAgent agent)
    {
        return new DoneSignallingAgent(agent, Readiness.doneCounter(aeron, agent.roleName()),
            mm.common.agent.EngineCounters.add(aeron, agent.roleName(), "max duty cycle ns"));
    }

    private void startRunners()
    {
        final ErrorHandler errorHandler = this::onError;
        if (config.deployment == Deployment.THREADED)
        {
            for (final BoundedAgent agent : agents)
            {
                final AgentRunner runner = new AgentRunner(
                    IdleStrategies.byName("engine.idleStrategy", config.idleStrategyName), errorHandler, null, agent);
                runners.add(runner);
                final Role role = roleOf(agent);
                if (config.pin && ((DoneSignallingAgent)agent).delegate() != heartbeat)
                {
                    AgentRunner.startOnThread(runner, Pinning.threadFactory(
                        agent.roleName(), config.cpus.getOrDefault(role, -1), msg -> out.println("mm: warning: " + msg)));
                }
                else
                {
                    AgentRunner.startOnThread(runner);
                }
            }
        }
        else
        {
            final AgentRunner runner = new AgentRunner(
                IdleStrategies.byName("engine.idleStrategy", config.idleStrategyName),
                errorHandler,
                null,
                agents.size() == 1 ? agents.get(0) : new CompositeAgent(agents));
            runners.add(runner);
            if (config.pin && config.deployment == Deployment.PROCESS)
            {
                final Role role = agents.isEmpty() ? Role.ALL : roleOf(agents.get(0));
                AgentRunner.startOnThread(runner, Pinning.threadFactory(
                    runner.agent().roleName(), config.cpus.getOrDefault(role, -1), msg -> out.println("mm: warning: " + msg)));
            }
            else
            {
                AgentRunner.startOnThread(runner);
            }
        }
    }

    private Role roleOf(final BoundedAgent wrapped)
    {
        final BoundedAgent agent = ((DoneSignallingAgent)wrapped).delegate();
        if (agent == feed)
        {
            return config.feedRole;
        }
        if (agent == quoting)
        {
            return Role.QUOTING;
        }
        if (agent == risk)
        {
            return Role.RISK;
        }
        if (agent == gatewayRunnable)
        {
            return Role.GATEWAY;
        }
        return Role.JOURNAL;
    }

    /** True when every agent of this process has finished its bounded run. */
    public boolean isDone()
    {
        for (final BoundedAgent agent : agents)
        {
            if (!agent.isDone())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Blocks until the run is done or fails, calling {@code onTick} about every {@code tickMs}.
     *
     * @return the first agent error, or null.
     */
    public Throwable awaitDone(final long tickMs, final Runnable onTick) throws InterruptedException
    {
        long lastTickMs = System.currentTimeMillis();
        long doneAtMs = 0;
        while (firstError.get() == null)
        {
            if (isDone())
            {
                // stay up until the journal (and a launcher reading our counters) has seen us done: once this
                // process exits its counters, done signal included, are gone from shared memory
                if (Readiness.allDone(aeron.countersReader(), config.exitAfterRoles))
                {
                    break;
                }
                if (doneAtMs == 0)
                {
                    doneAtMs = System.currentTimeMillis();
                }
                else if (System.currentTimeMillis() - doneAtMs > EXIT_AFTER_TIMEOUT_MS)
                {
                    out.println("mm: warning: " + String.join(", ", config.exitAfterRoles) + " did not finish within " +
                        EXIT_AFTER_TIMEOUT_MS + " ms");
                    break;
                }
            }
            Thread.sleep(20);
            if (onTick != null && System.currentTimeMillis() - lastTickMs >= tickMs)
            {
                lastTickMs = System.currentTimeMillis();
                onTick.run();
            }
        }
        return firstError.get();
    }

    public Aeron aeron()
    {
        return aeron;
    }

    /** The run's journal folder, or null when this process records nothing. */
    public Path runDir()
    {
        return runDir;
    }

    public Throwable firstError()
    {
        return firstError.get();
    }

    /**
     * A run stopped before it was done (SIGTERM, Ctrl-C) leaves no order behind: a Kill goes through CONTROL,
     * so the gateway cancels every working order from its own inbox (journaled and replayable like any
     * input), and the journal gets time to record the venue's answers before the agents stop.
     */
    private void stopTrading()
    {
        if (gateway == null || aeron == null || aeron.isClosed() || isDone())
        {
            return;
        }
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[256]);
        final mm.sbe.KillEncoder kill = new mm.sbe.KillEncoder()
            .wrapAndApplyHeader(buffer, 0, new mm.sbe.MessageHeaderEncoder())
            .eventSeq(0).timeNs(0).instrumentId(0).reason("engine stop"); // time 0: the receivers' own input time
        final int length = mm.sbe.MessageHeaderEncoder.ENCODED_LENGTH + kill.encodedLength();
        try (io.aeron.ExclusivePublication control =
            aeron.addExclusivePublication(config.streams.publicationChannel(config.streams.control()), config.streams.control()))
        {
            final long deadlineMs = System.currentTimeMillis() + STOP_TIMEOUT_MS;
            while (control.offer(buffer, 0, length) < 0 && System.currentTimeMillis() < deadlineMs)
            {
                Thread.onSpinWait();
            }
            final CounterView counters = new CounterView(aeron.countersReader());
            while (counters.value("gateway: working orders", 0) > 0 && System.currentTimeMillis() < deadlineMs)
            {
                Thread.sleep(10);
            }
            Thread.sleep(JOURNAL_DRAIN_MS);
            out.println("mm: stopped trading: " + counters.value("gateway: working orders", 0) + " working orders left");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            out.println("mm: warning: could not cancel working orders on stop: " + ex);
        }
    }

    /** Alerts from the counters, once a second, on a daemon thread of the process that runs the risk role. */
    private void startAlerts(final EnumSet<Role> roles)
    {
        if (!config.alerts.enabled() || !roles.contains(Role.RISK))
        {
            return;
        }
        alertThread = startAlertThread(config, aeron.countersReader(), out);
    }

    /** The alert monitor over {@code counters}, checked once a second on a daemon thread it starts. */
    static Thread startAlertThread(
        final EngineConfig config, final org.agrona.concurrent.status.CountersReader counters, final PrintStream out)
    {
        final long maxPosition = config.quoting.parameters().maxPosition();
        final AlertMonitor monitor = new AlertMonitor(new CounterView(counters), out,
            config.journalDir.resolve(config.alerts.file()), config.alerts, config.quoting.instrument(),
            maxPosition == Long.MAX_VALUE ? 0 : maxPosition);
        final Thread thread = new Thread(() ->
        {
            try
            {
                while (!Thread.currentThread().isInterrupted())
                {
                    monitor.check(System.currentTimeMillis());
                    Thread.sleep(1000);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final RuntimeException ex)
            {
                out.println("mm: warning: alert monitor stopped: " + ex);
            }
        }, "mm-alerts");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public void close()
    {
        if (alertThread != null)
        {
            alertThread.interrupt();
        }
        stopTrading();
        // runners first: AgentRunner.close waits for the thread and calls each agent's onClose
        for (final AgentRunner runner : runners)
        {
            CloseHelper.quietClose(runner);
        }
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
    }

    private void onError(final Throwable throwable)
    {
        if (firstError.compareAndSet(null, throwable))
        {
            out.println("mm: agent error: " + throwable);
            throwable.printStackTrace(out);
        }
    }

    static String newRunId()
    {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" +
            ProcessHandle.current().pid();
    }


    /** The gateway, then the latency monitor reading what it just sent: one duty cycle, one thread. */
    private static final class GatewayWithLatency implements BoundedAgent
    {
        private final GatewayAgent gateway;
        private final LatencyMonitor monitor;

        GatewayWithLatency(final GatewayAgent gateway, final LatencyMonitor monitor)
        {
            this.gateway = gateway;
            this.monitor = monitor;
        }

        public int doWork() throws Exception
        {
            return gateway.doWork() + monitor.doWork();
        }

        public boolean isDone()
        {
            return gateway.isDone();
        }

        public String roleName()
        {
            return gateway.roleName();
        }

        public void onStart()
        {
            gateway.onStart();
            monitor.onStart();
        }

        public void onClose()
        {
            try
            {
                gateway.onClose();
            }
            finally
            {
                monitor.onClose();
            }
        }
    }
}
