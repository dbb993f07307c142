package mm.perf;

import io.aeron.Aeron;
import mm.common.InstrumentRegistry;
import mm.common.aeron.Inbox;
import mm.common.aeron.LocalBus;
import mm.common.aeron.Streams;
import mm.common.agent.InProcessRunner;
import mm.common.config.Config;
import mm.driver.DriverProfile;
import mm.driver.EmbeddedDriver;
import mm.feed.binance.BinanceRecordingFeedAgent;
import mm.feed.binance.FeedContext;
import mm.gateway.GatewayAgent;
import mm.gateway.GatewayContext;
import mm.journal.InboxReplay;
import mm.journal.JournalRecorder;
import mm.journal.JournalThread;
import mm.journal.RunManifest;
import mm.quoting.QuotingAgent;
import mm.quoting.QuotingContext;
import mm.risk.RiskAgent;
import mm.risk.RiskContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./mm backtest}'s engine for the benchmarks: {@code config/sim-composite.properties} with the recording
 * and speed 0, the agents (recording feed, quoting, risk, gateway with its simulated venue) built from it through
 * their contexts as {@code EngineConfig} builds them, each agent's inbox and outboxes and the journal recorder
 * connected to a {@link LocalBus}, and everything run to the end of the recording by an {@link InProcessRunner}
 * on the caller's thread ({@code ops}' {@code InProcessBacktest} does the same from the command line; the
 * {@code ops} module is not a dependency of this one). An embedded driver hosts the agents' counters only.
 */
final class BacktestPipeline implements AutoCloseable
{
    static final String CONFIG = "config/sim-composite.properties";
    static final String RECORDING_PROPERTY = "mm.perf.backtestRecording";
    /** The journal streams a replay compares, in the order {@code ./mm replay} reports them. */
    static final List<String> OUTPUTS = List.of("quote-intents", "order-commands", "executions", "order-actions");

    private final Config config;
    private final Path home;
    private final InstrumentRegistry registry;
    private final Streams streams;
    private final Streams agentStreams;
    private final boolean lockstep;
    private final boolean journalEnabled;
    private final EmbeddedDriver driver;

    /**
     * @param recordings the hftbacktest files to replay, in order.
     * @param overrides  config changes, e.g. {@code journal.enabled=false}.
     */
    BacktestPipeline(final Path home, final List<Path> recordings, final Map<String, String> overrides)
    {
        this.home = home;
        final Map<String, String> all = new LinkedHashMap<>();
        all.put("feed.speed", "0");
        all.put("feed.recording", recordings.stream().map(p -> p.toAbsolutePath().toString())
            .collect(Collectors.joining(",")));
        all.putAll(overrides);
        config = Config.load(home.resolve(CONFIG)).withOverrides(all);
        registry = InstrumentRegistry.fromConfig(config);
        streams = Streams.fromConfig(config);
        // the agents' own Aeron publications and subscriptions carry nothing: small terms
        agentStreams = new Streams("aeron:ipc?term-length=64k", streams.marketData(), streams.quoteIntents(),
            streams.orderCommands(), streams.orderActions(), streams.executions(), streams.control(),
            streams.quotingInbox(), streams.riskInbox(), streams.gatewayInbox());
        lockstep = config.bool("engine.lockstep", true);
        journalEnabled = config.bool("journal.enabled", true);
        driver = EmbeddedDriver.launch(DriverProfile.fromConfig(config).countersOnly());
    }

    /** The bundled excerpt's big sibling: the spot BTCUSDT 2024-08-08/09 pair from the shared data, else the excerpt. */
    static List<Path> recordings(final Path home)
    {
        final String property = System.getProperty(RECORDING_PROPERTY);
        if (property != null)
        {
            final List<Path> files = new ArrayList<>();
            for (final String file : property.split(","))
            {
                files.add(Path.of(file.trim()));
            }
            return files;
        }
        final Path spot = home.resolve("../shared/data/binance/hftbacktest/spot").normalize();
        final List<Path> shared = List.of(spot.resolve("btcusdt_20240808.gz"), spot.resolve("btcusdt_20240809.gz"));
        if (Files.isRegularFile(shared.get(0)) && Files.isRegularFile(shared.get(1)))
        {
            return shared;
        }
        System.out.println("BacktestPipeline: " + spot + " not found, using the bundled excerpt");
        return List.of(home.resolve("data/binance-spot-btcusdt-20240808-excerpt.jsonl.gz"));
    }

    static Path home()
    {
        return Path.of(System.getProperty("mm.home", ".")).toAbsolutePath().normalize();
    }

    /** The run's stream ids and names. */
    Streams streams()
    {
        return streams;
    }

    /** Builds a fresh engine journaling into {@code runDir} (a new folder), ready to run. */
    Run prepare(final Path runDir)
    {
        return new Run(runDir, true);
    }

    /**
     * The same engine the way {@code ./mm backtest} ran it before the in-process transport: every agent and the
     * journal over the embedded driver's IPC streams, one duty cycle each in turn on the caller's thread (the
     * composite shape without its idle strategy). For comparison only.
     */
    Run prepareOverAeron(final Path runDir)
    {
        return new Run(runDir, false);
    }

    /** The deciding agents as a replay of this pipeline's runs builds them (no inbox tee). */
    List<InboxReplay.ReplayedAgent> replayedAgents()
    {
        return List.of(
            new InboxReplay.ReplayedAgent("inbox-quoting", aeron -> new QuotingAgent(quoting(), aeron, agentStreams, false).inbox()),
            new InboxReplay.ReplayedAgent("inbox-risk", aeron -> new RiskAgent(risk(null), aeron, agentStreams, false).inbox()),
            new InboxReplay.ReplayedAgent("inbox-gateway", aeron -> new GatewayAgent(gateway(), aeron, agentStreams, false).inbox()));
    }

    Aeron connect()
    {
        return driver.connectClient();
    }

    private QuotingContext quoting()
    {
        return QuotingContext.fromConfig(config, registry).lockstep(lockstep);
    }

    private RiskContext risk(final Path runDir)
    {
        final RiskContext risk = RiskContext.fromConfig(config, registry, home).lockstep(lockstep);
        if (runDir != null)
        {
            risk.defaultPostMortemDir(runDir.resolve("post-mortem"));
        }
        return risk;
    }

    private GatewayContext gateway()
    {
        return GatewayContext.fromConfig(config, registry).lockstep(lockstep).actionsRecorded(journalEnabled);
    }

    public void close()
    {
        CloseHelper.quietClose(driver);
    }

    /** Deletes a run folder made by {@link #prepare}. */
    static void delete(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** One backtest: built, then {@link #run()} once, then {@link #close()} (journal manifest, Aeron resources). */
    final class Run implements AutoCloseable
    {
        private final Aeron aeron;
        private final BinanceRecordingFeedAgent feed;
        private final JournalRecorder journal;
        private JournalThread journalThread;
        private InProcessRunner runner;

        private Run(final Path runDir, final boolean inProcess)
        {
            aeron = driver.connectClient();
            final Streams agentStreams = inProcess ? BacktestPipeline.this.agentStreams : streams;
            try
            {
                final boolean inboxes = journalEnabled && config.bool("journal.inboxes", true);
                journal = journalEnabled ? JournalRecorder.subscribe(aeron, agentStreams,
                    inboxes ? streams.all() : java.util.Arrays.copyOf(streams.all(), 6), runDir,
                    RunManifest.of(runDir.getFileName().toString(), config, registry.sha256(), "bench")) : null;
                final GatewayAgent gateway = new GatewayAgent(gateway(), aeron, agentStreams, inboxes);
                final RiskAgent risk = new RiskAgent(risk(runDir), aeron, agentStreams, inboxes);
                final QuotingAgent quoting = new QuotingAgent(quoting(), aeron, agentStreams, inboxes);
                feed = new BinanceRecordingFeedAgent(FeedContext.fromConfig(config, registry, home), aeron, agentStreams,
                    () -> true);
                if (!inProcess)
                {
                    // every subscription was linked when it was added; the feed waits for its first subscriber
                    final long deadlineNs = System.nanoTime() + 30_000_000_000L;
                    while (!feed.publisher().isConnected() && System.nanoTime() < deadlineNs)
                    {
                        Thread.onSpinWait();
                    }
                    if (journal != null)
                    {
                        journal.onStart();
                        runner = new InProcessRunner(new NoOpIdleStrategy(), feed, journal, gateway, risk, quoting);
                    }
                    else
                    {
                        runner = new InProcessRunner(new NoOpIdleStrategy(), feed, gateway, risk, quoting);
                    }
                    return;
                }
                final LocalBus bus = new LocalBus();
                for (final Inbox inbox : List.of(quoting.inbox(), risk.inbox(), gateway.inbox()))
                {
                    bus.connect(inbox);
                }
                bus.connect(feed.publisher().outbox());
                if (journal != null && config.bool("journal.backtestThread", true))
                {
                    journal.connect(bus, JournalThread.RING_BYTES);
                    journalThread = JournalThread.start(journal, new BackoffIdleStrategy());
                }
                else if (journal != null)
                {
                    journal.connect(bus);
                    journal.onStart();
                }
                runner = new InProcessRunner(new NoOpIdleStrategy(), feed, quoting, risk, gateway);
            }
            catch (final RuntimeException ex)
            {
                aeron.close();
                throw ex;
            }
        }

        /** The recording to its end, and the journal thread (if any) to the last message. */
        void run() throws Exception
        {
            runner.run(Long.MAX_VALUE, null);
            if (journalThread != null)
            {
                journalThread.awaitRecorded();
            }
        }

        long marketDataEvents()
        {
            return feed.publisher().eventSeq();
        }

        long recordingLines()
        {
            return feed.linesRead();
        }

        /** The read-ahead thread's CPU time, known once it has ended (after the last chunk): else -1. */
        long readAheadCpuNs()
        {
            return feed.readAheadCpuNs();
        }

        long gaps()
        {
            return feed.sync().gaps();
        }

        public void close()
        {
            try
            {
                try
                {
                    runner.close();
                }
                finally
                {
                    if (journalThread != null)
                    {
                        journalThread.finish();
                    }
                    else if (journal != null)
                    {
                        journal.onClose();
                    }
                }
            }
            finally
            {
                aeron.close();
            }
        }
    }
}
