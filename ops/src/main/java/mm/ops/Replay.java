package mm.ops;

import io.aeron.Aeron;
import io.aeron.Subscription;
import mm.common.aeron.Inbox;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.config.Config;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code ./mm replay DIR [--verify]}: feeds each deciding agent's journaled inbox, record by record in its
 * recorded order, to a fresh agent (quoting, risk, and the gateway with its simulated venue) built from the
 * run's own configuration, on a private embedded media driver, and compares what the fresh agents publish
 * with what the run journaled: the SHA-256 over each output stream's canonical sequence, and on a difference
 * the first diverging message, decoded on both sides. Agents are replayed one after another: each depends
 * only on its own inbox, which is what makes replay independent of the deployment shape of the run.
 */
final class Replay
{
    /** What one output stream looked like in the run and in the replay. */
    record StreamResult(
        String stream, long recordedCount, long replayedCount, String recordedSha256, String replayedSha256,
        long firstDivergence, String recordedMessage, String replayedMessage)
    {
        boolean equal()
        {
            return recordedSha256.equals(replayedSha256) && recordedCount == replayedCount;
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
        if (!Files.isRegularFile(runDir.resolve(RunManifest.FILE_NAME)))
        {
            throw new IllegalArgumentException(runDir + " has no " + RunManifest.FILE_NAME);
        }
        final Config config = Config.load(configFile).withOverrides(overrides);
        final EngineConfig engineConfig = EngineConfig.from(config, home);
        final Streams recorded = engineConfig.streams;
        // the run's stream ids (the inbox records name them) on a private IPC driver of our own
        final Streams streams = new Streams("aeron:ipc?term-length=16m", recorded.marketData(), recorded.quoteIntents(),
            recorded.orderCommands(), recorded.orderActions(), recorded.executions(), recorded.control(),
            recorded.quotingInbox(), recorded.riskInbox(), recorded.gatewayInbox());
        final List<StreamResult> results = new ArrayList<>();
        throughput.clear();
        // one private driver per agent: an agent must not see another's replayed outputs as live input
        try (EmbeddedDriver driver = EmbeddedDriver.launch();
            Aeron aeron = driver.connectClient())
        {
            final OutputComparison intents = new OutputComparison(runDir, "quote-intents",
                aeron.addSubscription(streams.channel(), streams.quoteIntents()));
            final QuotingAgent quoting = new QuotingAgent(engineConfig.quoting, aeron, streams, false);
            feed(runDir, "inbox-quoting", quoting, quoting.inbox(), intents);
            results.add(intents.finish());
        }
        try (EmbeddedDriver driver = EmbeddedDriver.launch();
            Aeron aeron = driver.connectClient())
        {
            final OutputComparison commands = new OutputComparison(runDir, "order-commands",
                aeron.addSubscription(streams.channel(), streams.orderCommands()));
            final RiskAgent risk = new RiskAgent(engineConfig.risk, aeron, streams, false);
            feed(runDir, "inbox-risk", risk, risk.inbox(), commands);
            results.add(commands.finish());
        }
        try (EmbeddedDriver driver = EmbeddedDriver.launch();
            Aeron aeron = driver.connectClient())
        {
            final OutputComparison executions = new OutputComparison(runDir, "executions",
                aeron.addSubscription(streams.channel(), streams.executions()));
            final boolean actionsRecorded = Files.isDirectory(runDir.resolve("order-actions"));
            final OutputComparison actions = actionsRecorded ? new OutputComparison(runDir, "order-actions",
                aeron.addSubscription(streams.channel(), streams.orderActions())) : null;
            final GatewayAgent gateway = new GatewayAgent(engineConfig.gateway, aeron, streams, false);
            feed(runDir, "inbox-gateway", gateway, gateway.inbox(), executions, actions);
            results.add(executions.finish());
            if (actions != null)
            {
                results.add(actions.finish());
            }
        }
        return results;
    }

    /** Hands every record of one inbox queue to the agent's handler, draining its outputs as it goes. */
    private static void feed(
        final Path runDir,
        final String inboxName,
        final BoundedAgent agent,
        final Inbox inbox,
        final OutputComparison... outputs)
    {
        if (!Files.isDirectory(runDir.resolve(inboxName)))
        {
            throw new IllegalArgumentException(runDir + " has no " + inboxName + " queue: replay needs the run to " +
                "have journaled its inboxes (journal.inboxes=true)");
        }
        final Inbox.Handler handler = (Inbox.Handler)agent;
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final InboxRecordDecoder record = new InboxRecordDecoder();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
        final long startNs = System.nanoTime();
        long fed = 0;
        try (JournalReader reader = JournalReader.open(runDir, inboxName))
        {
            while (reader.next())
            {
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
            drain(agent, outputs);
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
        throughput.add(String.format(java.util.Locale.ROOT, "%s %,d inbox records in %.2f s (%,.0f a second)",
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

    /** Compares one output stream of the replay, message by message, with the same stream in the journal. */
    private static final class OutputComparison
    {
        private final String stream;
        private final Subscription subscription;
        private final JournalReader recorded;
        private final MessageDigest recordedDigest = RunManifest.newSha256();
        private final MessageDigest replayedDigest = RunManifest.newSha256();
        private long recordedCount;
        private long replayedCount;
        private long firstDivergence = -1;
        private String recordedMessage;
        private String replayedMessage;
        private final io.aeron.logbuffer.FragmentHandler fragmentHandler =
            (buffer, offset, length, header) -> onReplayed(buffer, offset, length);
        private final byte[] lengthBytes = new byte[4];
        private byte[] scratch = new byte[4096];

        OutputComparison(final Path runDir, final String stream, final Subscription subscription)
        {
            this.stream = stream;
            this.subscription = subscription;
            this.recorded = JournalReader.open(runDir, stream);
        }

        int poll()
        {
            return subscription.poll(fragmentHandler, 256);
        }

        private void onReplayed(final DirectBuffer buffer, final int offset, final int length)
        {
            update(replayedDigest, buffer, offset, length);
            final boolean hasRecorded = recorded.next();
            if (hasRecorded)
            {
                update(recordedDigest, recorded.buffer(), 0, recorded.length());
                recordedCount++;
            }
            if (firstDivergence < 0 && (!hasRecorded || !sameBytes(recorded.buffer(), recorded.length(), buffer, offset, length)))
            {
                firstDivergence = replayedCount;
                recordedMessage = hasRecorded ? MessageText.describe(recorded.buffer(), 0, recorded.length()) :
                    "(none: the run recorded fewer messages)";
                replayedMessage = MessageText.describe(buffer, offset, length);
            }
            replayedCount++;
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

        StreamResult finish()
        {
            while (recorded.next())
            {
                update(recordedDigest, recorded.buffer(), 0, recorded.length());
                if (firstDivergence < 0)
                {
                    firstDivergence = recordedCount;
                    recordedMessage = MessageText.describe(recorded.buffer(), 0, recorded.length());
                    replayedMessage = "(none: the replay produced fewer messages)";
                }
                recordedCount++;
            }
            recorded.close();
            subscription.close();
            return new StreamResult(stream, recordedCount, replayedCount,
                HexFormat.of().formatHex(recordedDigest.digest()), HexFormat.of().formatHex(replayedDigest.digest()),
                firstDivergence, recordedMessage, replayedMessage);
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
