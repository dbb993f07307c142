package mm.ops;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import mm.common.aeron.Inbox;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.config.Config;
import mm.common.json.JsonTree;
import mm.common.sbe.Messages;
import mm.driver.EmbeddedDriver;
import mm.gateway.GatewayAgent;
import mm.journal.JournalReader;
import mm.journal.MessageText;
import mm.journal.RunManifest;
import mm.quoting.QuotingAgent;
import mm.risk.RiskAgent;
import mm.sbe.InboxRecordDecoder;
import mm.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code ./mm replay DIR [--verify]}: feeds each deciding agent's journaled inbox, record by record in its
 * recorded order, to a fresh agent (quoting, risk, and the gateway with its simulated venue) built from the
 * run's own configuration, on a private embedded media driver, and compares what the fresh agents publish
 * with what the run journaled, message by message: on a difference, the first diverging message decoded on
 * both sides. Agents are replayed one after another: each depends only on its own inbox, which makes replay
 * independent of the deployment shape of the run.
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
        long firstDivergence, String recordedMessage, String replayedMessage, long crashTail)
    {
        /** Every message both sides have is identical, and complete sessions have the same messages. */
        boolean equal()
        {
            return firstDivergence < 0;
        }
    }

    static final String RUN_CONFIG_FILE = "run-config.properties";

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
        final Path configFile = runDir.resolve(RUN_CONFIG_FILE);
        if (!Files.isRegularFile(configFile))
        {
            throw new IllegalArgumentException(runDir + " has no " + RUN_CONFIG_FILE + ": not a run folder, or " +
                "recorded by an engine that did not keep its configuration");
        }
        final Path manifestFile = runDir.resolve(RunManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile))
        {
            throw new IllegalArgumentException(runDir + " has no " + RunManifest.FILE_NAME);
        }
        final boolean closed;
        try
        {
            closed = RunManifest.STATE_CLOSED.equals(
                JsonTree.object(JsonTree.parse(Files.readAllBytes(manifestFile))).get("state"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final List<RunManifest.Session> sessions = RunManifest.readSessions(runDir);
        final EngineConfig engineConfig = EngineConfig.from(Config.load(configFile).withOverrides(overrides), home);
        final Streams recorded = engineConfig.streams;
        // the run's stream ids (the inbox records name them) on private IPC drivers of our own
        final Streams streams = new Streams("aeron:ipc?term-length=16m", recorded.marketData(), recorded.quoteIntents(),
            recorded.orderCommands(), recorded.orderActions(), recorded.executions(), recorded.control(),
            recorded.quotingInbox(), recorded.riskInbox(), recorded.gatewayInbox());

        final OutputComparison intents = new OutputComparison(runDir, "quote-intents", streams.quoteIntents());
        final OutputComparison commands = new OutputComparison(runDir, "order-commands", streams.orderCommands());
        final OutputComparison executions = new OutputComparison(runDir, "executions", streams.executions());
        final OutputComparison actions = Files.isDirectory(runDir.resolve("order-actions")) ?
            new OutputComparison(runDir, "order-actions", streams.orderActions()) : null;
        throughput.clear();
        try
        {
            for (int s = 0; s < sessions.size(); s++)
            {
                final RunManifest.Session session = sessions.get(s);
                final RunManifest.Session next = s + 1 < sessions.size() ? sessions.get(s + 1) : null;
                final boolean complete = next == null && closed;
                replaySession(runDir, "inbox-quoting", session, next, complete, streams,
                    aeron -> new QuotingAgent(engineConfig.quoting, aeron, streams, false), intents);
                replaySession(runDir, "inbox-risk", session, next, complete, streams,
                    aeron -> new RiskAgent(engineConfig.risk, aeron, streams, false), commands);
                final int sessionIndex = s; // the gateway numbers its client order ids per session
                replaySession(runDir, "inbox-gateway", session, next, complete, streams,
                    aeron -> new GatewayAgent(engineConfig.gateway.session(sessionIndex), aeron, streams, false),
                    executions, actions);
            }
        }
        finally
        {
            intents.close();
            commands.close();
            executions.close();
            if (actions != null)
            {
                actions.close();
            }
        }
        final List<StreamResult> results = new ArrayList<>();
        results.add(intents.result());
        results.add(commands.result());
        results.add(executions.result());
        if (actions != null)
        {
            results.add(actions.result());
        }
        return results;
    }

    /** One agent through one session, on a private driver: an agent must not see another's outputs as input. */
    private static void replaySession(
        final Path runDir,
        final String inboxName,
        final RunManifest.Session session,
        final RunManifest.Session next,
        final boolean complete,
        final Streams streams,
        final Function<Aeron, BoundedAgent> newAgent,
        final OutputComparison... outputs)
    {
        if (!Files.isDirectory(runDir.resolve(inboxName)))
        {
            throw new IllegalArgumentException(runDir + " has no " + inboxName + " queue: replay needs the run to " +
                "have journaled its inboxes (journal.inboxes=true)");
        }
        try (EmbeddedDriver driver = EmbeddedDriver.launch();
            Aeron aeron = driver.connectClient())
        {
            for (final OutputComparison output : outputs)
            {
                if (output != null)
                {
                    output.beginSession(aeron, streams.channel(), first(session, output.stream),
                        next == null ? Long.MAX_VALUE : first(next, output.stream), complete);
                }
            }
            final BoundedAgent agent = newAgent.apply(aeron);
            final Inbox inbox = agent instanceof QuotingAgent q ? q.inbox() :
                agent instanceof RiskAgent r ? r.inbox() : ((GatewayAgent)agent).inbox();
            feed(runDir, inboxName, first(session, inboxName), next == null ? Long.MAX_VALUE : first(next, inboxName),
                agent, inbox, outputs);
            for (final OutputComparison output : outputs)
            {
                if (output != null)
                {
                    output.endSession();
                }
            }
        }
    }

    private static long first(final RunManifest.Session session, final String stream)
    {
        return session.firstMessages().getOrDefault(stream, 0L);
    }

    /** Hands records [start, end) of one inbox queue to the agent's handler, draining its outputs as it goes. */
    private static void feed(
        final Path runDir,
        final String inboxName,
        final long start,
        final long end,
        final BoundedAgent agent,
        final Inbox inbox,
        final OutputComparison... outputs)
    {
        final Inbox.Handler handler = (Inbox.Handler)agent;
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final InboxRecordDecoder record = new InboxRecordDecoder();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
        final long startNs = System.nanoTime();
        long fed = 0;
        try (JournalReader reader = JournalReader.open(runDir, inboxName))
        {
            while (reader.messageIndex() + 1 < end && reader.next())
            {
                if (reader.messageIndex() < start)
                {
                    continue;
                }
                final DirectBuffer buffer = reader.buffer();
                header.wrap(buffer, 0);
                record.wrap(buffer, Messages.HEADER_LENGTH, header.blockLength(), header.version());
                final int input = inbox.inputIndexOf(record.streamId());
                final int length = record.payloadLength();
                // a view of the payload in the reader's buffer, valid until the next record
                payload.wrap(buffer, record.limit() + InboxRecordDecoder.payloadHeaderLength(), length);
                if (input < 0 || !Messages.isEngineMessage(payload, 0, length))
                {
                    throw new IllegalStateException(inboxName + " record " + reader.messageIndex() + " is from stream " +
                        record.streamId() + ", which " + agent.roleName() + " does not read");
                }
                header.wrap(payload, 0);
                handler.onMessage(input, header.templateId(), Messages.eventSeq(payload, 0), payload,
                    Messages.HEADER_LENGTH, header.blockLength(), header.version());
                if ((++fed & 255) == 0)
                {
                    drain(agent, outputs);
                }
            }
        }
        while (!inbox.isFlushed() || drain(agent, outputs) > 0)
        {
            Thread.onSpinWait();
        }
        // what the driver still holds for the subscriptions
        for (int idle = 0; idle < 100; idle++)
        {
            if (drain(agent, outputs) > 0)
            {
                idle = 0;
            }
            Thread.yield();
        }
        final long elapsedNs = System.nanoTime() - startNs;
        throughput.add(String.format(Locale.ROOT, "%s %,d inbox records in %.2f s (%,.0f a second)",
            agent.roleName(), fed, elapsedNs / 1e9, fed * 1e9 / Math.max(1, elapsedNs)));
    }

    private static int drain(final BoundedAgent agent, final OutputComparison... outputs)
    {
        int work;
        try
        {
            work = agent.doWork();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(agent.roleName() + " failed during replay", ex);
        }
        for (final OutputComparison output : outputs)
        {
            if (output != null)
            {
                work += output.poll();
            }
        }
        return work;
    }

    /**
     * Compares one output stream of the replay, message by message, with the same stream in the journal,
     * session by session.
     */
    private static final class OutputComparison implements AutoCloseable
    {
        private final String stream;
        private final int streamId;
        private final JournalReader recorded;
        private final MessageDigest recordedDigest = RunManifest.newSha256();
        private final MessageDigest replayedDigest = RunManifest.newSha256();
        private final FragmentHandler fragmentHandler =
            (buffer, offset, length, header) -> onReplayed(buffer, offset, length);
        private final byte[] lengthBytes = new byte[4];
        private byte[] scratch = new byte[4096];
        private Subscription subscription;
        private long sessionEnd;
        private boolean sessionComplete;
        private long recordedCount;
        private long replayedCount;
        private long firstDivergence = -1;
        private String recordedMessage;
        private String replayedMessage;
        private long crashTail;

        OutputComparison(final Path runDir, final String stream, final int streamId)
        {
            this.stream = stream;
            this.streamId = streamId;
            this.recorded = JournalReader.open(runDir, stream);
        }

        void beginSession(
            final Aeron aeron, final String channel, final long start, final long end, final boolean complete)
        {
            subscription = aeron.addSubscription(channel, streamId);
            sessionEnd = end;
            sessionComplete = complete;
            while (recordedCount < start && nextRecorded())
            {
                crashTail++; // recorded past the end of a crashed session's replay: nothing to compare with
            }
        }

        int poll()
        {
            return subscription.poll(fragmentHandler, 256);
        }

        private boolean nextRecorded()
        {
            if (!recorded.next())
            {
                return false;
            }
            update(recordedDigest, recorded.buffer(), 0, recorded.length());
            recordedCount++;
            return true;
        }

        private void onReplayed(final DirectBuffer buffer, final int offset, final int length)
        {
            update(replayedDigest, buffer, offset, length);
            final long index = replayedCount++;
            final boolean hasRecorded = recordedCount < sessionEnd && nextRecorded();
            if (!hasRecorded && !sessionComplete)
            {
                crashTail++; // the crashed session journaled fewer outputs than its inputs produce
                return;
            }
            if (firstDivergence < 0 &&
                (!hasRecorded || !sameBytes(recorded.buffer(), recorded.length(), buffer, offset, length)))
            {
                firstDivergence = index;
                recordedMessage = hasRecorded ? MessageText.describe(recorded.buffer(), 0, recorded.length()) :
                    "(none: the run recorded fewer messages)";
                replayedMessage = MessageText.describe(buffer, offset, length);
            }
        }

        void endSession()
        {
            while (recordedCount < sessionEnd && nextRecorded())
            {
                if (!sessionComplete)
                {
                    crashTail++;
                }
                else if (firstDivergence < 0)
                {
                    firstDivergence = recordedCount - 1;
                    recordedMessage = MessageText.describe(recorded.buffer(), 0, recorded.length());
                    replayedMessage = "(none: the replay produced fewer messages)";
                }
            }
            subscription.close();
        }

        StreamResult result()
        {
            return new StreamResult(stream, recordedCount, replayedCount,
                HexFormat.of().formatHex(recordedDigest.digest()), HexFormat.of().formatHex(replayedDigest.digest()),
                firstDivergence, recordedMessage, replayedMessage, crashTail);
        }

        public void close()
        {
            recorded.close();
        }

        private static boolean sameBytes(
            final DirectBuffer a, final int aLength, final DirectBuffer b, final int bOffset, final int bLength)
        {
            if (aLength != bLength)
            {
                return false;
            }
            for (int i = 0; i < aLength; i++)
            {
                if (a.getByte(i) != b.getByte(bOffset + i))
                {
                    return false;
                }
            }
            return true;
        }

        /** The journal's canonical form: each message as its int32 little-endian length, then its bytes. */
        private void update(final MessageDigest digest, final DirectBuffer buffer, final int offset, final int length)
        {
            lengthBytes[0] = (byte)length;
            lengthBytes[1] = (byte)(length >>> 8);
            lengthBytes[2] = (byte)(length >>> 16);
            lengthBytes[3] = (byte)(length >>> 24);
            digest.update(lengthBytes);
            if (scratch.length < length)
            {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            buffer.getBytes(offset, scratch, 0, length);
            digest.update(scratch, 0, length);
        }
    }
}
