package mm.ops;

import io.aeron.Aeron;
import mm.common.aeron.LocalBus;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.agent.IdleStrategies;
import mm.common.agent.InProcessRunner;
import mm.driver.EmbeddedDriver;
import mm.feed.binance.BinanceRecordingFeedAgent;
import mm.feed.binance.FeedContext;
import mm.gateway.GatewayAgent;
import mm.journal.JournalRecorder;
import mm.journal.JournalThread;
import mm.quoting.QuotingAgent;
import mm.risk.RiskAgent;
import org.agrona.CloseHelper;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./mm backtest}'s engine: the recording through the feed's decode and book sync, quoting, risk, the
 * gateway with its simulated venue and the journal, all on the calling thread, the agents connected by a
 * {@link LocalBus} instead of a media driver. They are the agents of every other shape, built from the same
 * configuration, with their inboxes, lockstep rules and inbox tees, so the journal is byte for byte the one the
 * composite shape writes (the {@code InProcessBacktestSystemTest} compares every stream); what goes is the
 * driver hop and the other thread's wake-up on each of the several messages of a lockstep step.
 * <p>
 * An embedded driver still hosts the agents' counters (status line, summary, alerts, {@code mm stat}); their
 * Aeron publications and subscriptions exist, on small terms, and carry nothing.
 */
final class InProcessBacktest
{
    /** How a run went: exit status, the journal folder (or null) and what it processed in how long. */
    record Result(int exitCode, Path runDir, long marketDataEvents, long recordingLines, long elapsedNs)
    {
        double eventsPerSecond()
        {
            return Replay.perSecond(marketDataEvents, elapsedNs);
        }

        double linesPerSecond()
        {
            return Replay.perSecond(recordingLines, elapsedNs);
        }

        String throughputLine()
        {
            return String.format(Locale.ROOT, "%,d market-data events (%,d recording lines) in %.3f s: " +
                "%,.0f events a second (%,.0f lines a second)",
                marketDataEvents, recordingLines, elapsedNs / 1e9, eventsPerSecond(), linesPerSecond());
        }
    }

    private InProcessBacktest()
    {
    }

    /**
     * Runs the configured recording to its end.
     *
     * @param statusLine print the live status line and the end-of-run summary, as the demo does.
     */
    static Result run(final EngineConfig config, final PrintStream out, final boolean statusLine)
    {
        if (config.feed == null || config.feed.source() != FeedContext.Source.RECORDING)
        {
            throw new mm.common.config.ConfigException("feed.recording", null,
                "a backtest replays recordings (feed.source=recording)");
        }
        final long startNs = System.nanoTime();
        final List<AutoCloseable> closeables = new ArrayList<>();
        final EmbeddedDriver driver = EmbeddedDriver.launch(config.driverProfile.countersOnly());
        closeables.add(driver);
        Thread alertThread = null;
        Thread shutdownHook = null;
        try
        {
            final Aeron aeron = driver.connectClient();
            closeables.add(0, aeron);
            final Streams streams = Replay.unusedChannel(config.streams);
            Path runDir = null;
            JournalRecorder journal = null;
            if (config.journalEnabled)
            {
                runDir = config.journalDir.resolve(config.runId != null ? config.runId : Engine.newRunId());
                journal = JournalFactory.create(config, aeron, runDir, new String[0]);
            }
            final GatewayAgent gateway = new GatewayAgent(config.gateway, aeron, streams, config.journalInboxes);
            if (runDir != null && !config.config.has("risk.postMortemDir"))
            {
                config.risk.defaultPostMortemDir(runDir.resolve("post-mortem"));
            }
            final RiskAgent risk = new RiskAgent(config.risk, aeron, streams, config.journalInboxes);
            final QuotingAgent quoting = new QuotingAgent(config.quoting, aeron, streams, config.journalInboxes);
            final BinanceRecordingFeedAgent feed = new BinanceRecordingFeedAgent(config.feed, aeron, streams, () -> true);
            final HeartbeatAgent heartbeat = config.heartbeatIntervalMs > 0 ?
                new HeartbeatAgent(aeron, streams, config.heartbeatIntervalMs, new org.agrona.concurrent.SystemEpochNanoClock()) :
                null;

            final LocalBus bus = new LocalBus();
            bus.connect(quoting.inbox());
            bus.connect(risk.inbox());
            bus.connect(gateway.inbox());
            bus.connect(feed.publisher().outbox());
            final List<BoundedAgent> agents = new ArrayList<>(List.of(feed, quoting, risk, gateway));
            if (heartbeat != null)
            {
                bus.connect(heartbeat.outbox());
                agents.add(heartbeat);
            }
            JournalThread journalThread = null;
            if (journal != null && config.journalBacktestThread)
            {
                journal.connect(bus, JournalThread.RING_BYTES);
                journalThread = JournalThread.start(journal,
                    IdleStrategies.byName("engine.idleStrategy", config.idleStrategyName));
                closeables.add(0, journalThread); // if anything below fails, the journal still closes, before Aeron
            }
            else if (journal != null)
            {
                journal.connect(bus);
                journal.onStart();
            }
            final InProcessRunner runner = new InProcessRunner(
                IdleStrategies.byName("engine.idleStrategy", config.idleStrategyName), agents.toArray(new BoundedAgent[0]));
            final Thread loopThread = Thread.currentThread();
            shutdownHook = new Thread(() ->
            {
                // Ctrl-C: end the loop, let it close the journal, then let the JVM go
                runner.stop();
                try
                {
                    loopThread.join(5_000);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "mm-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            if (config.alerts.enabled())
            {
                alertThread = Engine.startAlertThread(config, aeron.countersReader(), out);
            }
            final StatusLine status = statusLine ? new StatusLine(aeron.countersReader(), config.feed.instrument()) : null;
            final boolean tty = System.console() != null;
            Throwable error = null;
            final long runStartNs = System.nanoTime();
            try
            {
                runner.run(1_000_000_000L, status == null ? null : () ->
                {
                    out.print(tty ? "\r" + status.line() + "   " : status.line() + System.lineSeparator());
                    out.flush();
                });
            }
            catch (final Throwable ex)
            {
                error = ex;
                out.println("mm: agent error: " + ex);
                ex.printStackTrace(out);
            }
            final long elapsedNs = System.nanoTime() - runStartNs;
            runner.close();
            if (journalThread != null)
            {
                try
                {
                    journalThread.finish();
                }
                catch (final IllegalStateException ex)
                {
                    error = error != null ? error : ex;
                    out.println("mm: " + ex.getMessage());
                }
            }
            else if (journal != null)
            {
                journal.onClose();
            }
            if (status != null)
            {
                out.println((tty ? "\r" : "") + status.line());
                out.println(status.summary());
                out.printf("  wall time   : %.1f s%n", (System.nanoTime() - startNs) / 1e9);
            }
            if (runDir != null)
            {
                out.println("  journal     : " + runDir);
            }
            final int exitCode = error != null ? 1 : runner.isStopped() ? 130 : 0;
            return new Result(exitCode, runDir, feed.publisher().eventSeq(), feed.linesRead(), elapsedNs);
        }
        finally
        {
            if (alertThread != null)
            {
                alertThread.interrupt();
            }
            if (shutdownHook != null)
            {
                try
                {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                }
                catch (final IllegalStateException ignore)
                {
                    // already shutting down
                }
            }
            for (final AutoCloseable closeable : closeables)
            {
                CloseHelper.quietClose(closeable);
            }
        }
    }
}
