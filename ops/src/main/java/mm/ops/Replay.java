package mm.ops;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.config.Config;
import mm.driver.DriverProfile;
import mm.driver.EmbeddedDriver;
import mm.gateway.GatewayAgent;
import mm.journal.InboxReplay;
import mm.journal.RunManifest;
import mm.quoting.QuotingAgent;
import mm.risk.RiskAgent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./mm replay DIR [--verify]}: feeds each deciding agent's journaled inbox, record by record in its
 * recorded order, to a fresh agent (quoting, risk, and the gateway with its simulated venue) built from the
 * run's own configuration, and compares what the fresh agents publish with what the run journaled, message by
 * message: on a difference, the first diverging message decoded on both sides ({@link InboxReplay}). The agents'
 * outputs go straight to the comparison (no media driver carries them; one embedded driver only hosts their
 * counters), and the agents are replayed side by side, one thread each: each depends only on its own inbox, which
 * makes replay independent of the deployment shape of the run.
 * <p>
 * A run restarted into its own folder ({@code journal.resume=true}) has several sessions; the agents started
 * afresh at each, so each session is replayed with fresh agents. A session that did not end cleanly (killed)
 * may have journaled an agent's input without all of its outputs, or the other way round: there, only the
 * messages both sides have are compared, and the rest is reported as the crash tail.
 */
final class Replay
{
    /** What one output stream looked like in the run and in the replay. */
    record StreamResult(
        String stream, long recordedCount, long replayedCount, String recordedSha256, String replayedSha256,
        long firstDivergence, String recordedMessage, String replayedMessage, long crashTail, boolean byDigest)
    {
        /** Every message both sides have is identical, and complete sessions have the same messages. */
        boolean equal()
        {
            return firstDivergence < 0;
        }
    }

    static final String RUN_CONFIG_FILE = "run-config.properties";
    /** The output streams compared, in the order they are reported. */
    static final List<String> OUTPUTS = List.of("quote-intents", "order-commands", "executions", "order-actions");
    /** Nothing flows through the agents' own publications in a replay: the smallest terms will do. */
    static final String UNUSED_CHANNEL = "aeron:ipc?term-length=64k";

    /** Records fed per agent and how fast, one line each, from the last {@link #run} (for the replay command). */
    static final List<String> throughput = new ArrayList<>();

    private Replay()
    {
    }

    /**
     * @param overrides config changes for the replay (a different parameter is a deliberate divergence).
     */
    static List<StreamResult> run(final Path runDir, final Map<String, String> overrides, final Path home)
    {
        return run(runDir, overrides, home, true);
    }

    /**
     * @param parallel the agents side by side, a thread each (what the command does), or in turn on this thread.
     */
    static List<StreamResult> run(
        final Path runDir, final Map<String, String> overrides, final Path home, final boolean parallel)
    {
        final Path configFile = runDir.resolve(RUN_CONFIG_FILE);
        if (!Files.isRegularFile(configFile))
        {
            throw new IllegalArgumentException(runDir + " has no " + RUN_CONFIG_FILE + ": not a run folder, or " +
                "recorded by an engine that did not keep its configuration");
        }
        if (!Files.isRegularFile(runDir.resolve(RunManifest.FILE_NAME)))
        {
            throw new IllegalArgumentException(runDir + " has no " + RunManifest.FILE_NAME);
        }
        final EngineConfig engineConfig = EngineConfig.from(Config.load(configFile).withOverrides(overrides), home);
        final Streams recorded = engineConfig.streams;
        final Streams streams = unusedChannel(recorded);
        final InboxReplay.Report report;
        try (EmbeddedDriver driver = EmbeddedDriver.launch(DriverProfile.named(DriverProfile.SMALL_HOST).countersOnly());
            Aeron aeron = driver.connectClient())
        {
            report = new InboxReplay(runDir, recorded).run(aeron, List.of(
                new InboxReplay.ReplayedAgent("inbox-quoting",
                    client -> new QuotingAgent(engineConfig.quoting, client, streams, false).inbox()),
                new InboxReplay.ReplayedAgent("inbox-risk",
                    client -> new RiskAgent(engineConfig.risk, client, streams, false).inbox()),
                // the gateway numbers its client order ids per session of the run
                new InboxReplay.ReplayedAgent("inbox-gateway", (client, session) ->
                    new GatewayAgent(engineConfig.gateway.session(session), client, streams, false).inbox())),
                OUTPUTS, parallel);
        }
        throughput.clear();
        for (final InboxReplay.Throughput agent : report.throughput())
        {
            throughput.add(String.format(Locale.ROOT, "%s %,d inbox records in %.3f s (%,.0f a second)",
                agent.role(), agent.records(), agent.elapsedNs() / 1e9, perSecond(agent.records(), agent.elapsedNs())));
        }
        throughput.add(String.format(Locale.ROOT,
            "%,d market-data events through quoting, risk and the gateway (side by side) in %.3f s (%,.0f events a second)",
            report.marketDataEvents(), report.elapsedNs() / 1e9, perSecond(report.marketDataEvents(), report.elapsedNs())));
        final List<StreamResult> results = new ArrayList<>();
        for (final InboxReplay.Result r : report.results())
        {
            results.add(new StreamResult(r.stream(), r.recordedCount(), r.replayedCount(), r.recordedSha256(),
                r.replayedSha256(), r.firstDivergence(), r.recordedMessage(), r.replayedMessage(), r.crashTail(),
                r.byDigest()));
        }
        return results;
    }

    /** The run's stream ids on a channel with small terms: the agents' publications and subscriptions stay idle. */
    static Streams unusedChannel(final Streams streams)
    {
        return streams.onChannel(UNUSED_CHANNEL); // every stream, even one with its own channel in the run
    }

    static double perSecond(final long count, final long elapsedNs)
    {
        return count * 1e9 / Math.max(1, elapsedNs);
    }
}
