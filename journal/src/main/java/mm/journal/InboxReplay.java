package mm.journal;

import io.aeron.Aeron;
import mm.common.aeron.Inbox;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.json.JsonTree;
import mm.common.sbe.Messages;
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
import java.util.function.Function;

/**
 * Re-decides a run from its journaled inboxes: each deciding agent's inbox queue is handed, record by record in
 * its recorded order, straight to a fresh agent's handler, and what the agent sends is compared, message by
 * message as it is sent, with the stream the run journaled. No media driver carries a message: the agent's
 * outboxes are {@link Outbox#redirect redirected} to the comparisons, so the cost is the agent's own decisions,
 * reading the journal and comparing. Agents are replayed one after another, each on its own inbox, which makes a
 * replay independent of the run's deployment shape and lockstep setting.
 * <p>
 * A run restarted into its own folder has several sessions ({@link RunManifest#readSessions}); the agents started
 * afresh at each, so each session is replayed with fresh agents. A session that did not end cleanly (killed)
 * may have journaled an agent's input without all of its outputs, or the other way round: there, only the
 * messages both sides have are compared, and the rest is counted as the crash tail.
 */
public final class InboxReplay
{
    /**
     * One deciding agent: the queue of its journaled inbox and how to build a fresh one for a session (its inbox
     * is returned; its handler is the agent, a {@link BoundedAgent}). The agent must not tee its inbox.
     */
    public record ReplayedAgent(String inboxName, AgentFactory newAgent)
    {
        /** An agent that does not depend on which session of the run it replays. */
        public ReplayedAgent(final String inboxName, final Function<Aeron, Inbox> newAgent)
        {
            this(inboxName, (aeron, session) -> newAgent.apply(aeron));
        }
    }

    /** Builds a fresh agent for session {@code session} (0 for the run's first) of the run. */
    @FunctionalInterface
    public interface AgentFactory
    {
        Inbox newAgent(Aeron aeron, int session);
    }

    /** What one output stream looked like in the run and in the replay. */
    public record Result(
        String stream, long recordedCount, long replayedCount, String recordedSha256, String replayedSha256,
        long firstDivergence, String recordedMessage, String replayedMessage, long crashTail)
    {
        /** Every message both sides have is identical, and complete sessions have the same messages. */
        public boolean equal()
        {
            return firstDivergence < 0;
        }
    }

    /** Records one agent was fed over all sessions, the market-data events among them, and the time it took. */
    public record Throughput(String role, long records, long marketDataEvents, long elapsedNs)
    {
    }

    /** The comparisons, in the order asked for, and what each agent replayed. */
    public record Report(List<Result> results, List<Throughput> throughput)
    {
        /** Every output identical to the journal (up to crashes). */
        public boolean equal()
        {
            for (final Result result : results)
            {
                if (!result.equal())
                {
                    return false;
                }
            }
            return true;
        }

        /** Market-data events of the run: the most any agent was fed (each deciding agent reads all of them). */
        public long marketDataEvents()
        {
            long events = 0;
            for (final Throughput t : throughput)
            {
                events = Math.max(events, t.marketDataEvents());
            }
            return events;
        }

        /** Time spent feeding the agents and comparing their outputs, all agents together. */
        public long elapsedNs()
        {
            long elapsedNs = 0;
            for (final Throughput t : throughput)
            {
                elapsedNs += t.elapsedNs();
            }
            return elapsedNs;
        }
    }

    /** An input that never has anything: a replayed agent's subscriptions are not read. */
    private static final Inbox.Source NOTHING = (handler, fragmentLimit) -> 0;

    private final Path runDir;
    private final Streams streams;
    private final List<RunManifest.Session> sessions;
    private final boolean closed;

    /**
     * @param streams the run's stream ids (the inbox records name them); the channel is not used.
     */
    public InboxReplay(final Path runDir, final Streams streams)
    {
        this.runDir = runDir;
        this.streams = streams;
        final Path manifestFile = runDir.resolve(RunManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile))
        {
            throw new IllegalArgumentException(runDir + " has no " + RunManifest.FILE_NAME);
        }
        try
        {
            closed = RunManifest.STATE_CLOSED.equals(
                JsonTree.object(JsonTree.parse(Files.readAllBytes(manifestFile))).get("state"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        sessions = RunManifest.readSessions(runDir);
    }

    /**
     * Replays every agent through every session and compares the {@code outputs} (journal stream names, in the
     * order of the results) that exist in the run folder; outputs of streams not listed, or not journaled, are
     * dropped.
     *
     * @param aeron the client the agents are built on (their publications and subscriptions stay unused).
     */
    public Report run(final Aeron aeron, final List<ReplayedAgent> agents, final List<String> outputs)
    {
        try (Prepared prepared = prepare(aeron, agents, outputs))
        {
            return prepared.run();
        }
    }

    /**
     * Builds the agents of every session and opens the journal queues, so that {@link Prepared#run()} is only the
     * replay itself (what the throughput figures time).
     */
    public Prepared prepare(final Aeron aeron, final List<ReplayedAgent> agents, final List<String> outputs)
    {
        for (final ReplayedAgent agent : agents)
        {
            if (!Files.isDirectory(runDir.resolve(agent.inboxName())))
            {
                throw new IllegalArgumentException(runDir + " has no " + agent.inboxName() + " queue: replay needs " +
                    "the run to have journaled its inboxes (journal.inboxes=true)");
            }
        }
        final Prepared prepared = new Prepared(agents.size());
        try
        {
            for (final String output : outputs)
            {
                if (Files.isDirectory(runDir.resolve(output)))
                {
                    prepared.comparisons.add(new OutputComparison(runDir, output));
                }
            }
            for (int s = 0; s < sessions.size(); s++)
            {
                final RunManifest.Session session = sessions.get(s);
                final RunManifest.Session next = s + 1 < sessions.size() ? sessions.get(s + 1) : null;
                final boolean complete = next == null && closed;
                for (int a = 0; a < agents.size(); a++)
                {
                    prepared.replays.add(
                        new SessionReplay(a, agents.get(a), aeron, s, session, next, complete, prepared.comparisons));
                }
            }
        }
        catch (final RuntimeException ex)
        {
            prepared.close();
            throw ex;
        }
        return prepared;
    }

    /** Agents built and queues open: {@link #run()} replays, {@link #close()} closes the queues. */
    public final class Prepared implements AutoCloseable
    {
        private final int agentCount;
        private final List<OutputComparison> comparisons = new ArrayList<>();
        private final List<SessionReplay> replays = new ArrayList<>();
        private boolean ran;

        private Prepared(final int agentCount)
        {
            this.agentCount = agentCount;
        }

        /** Replays every session of every agent, in order; once. */
        public Report run()
        {
            if (ran)
            {
                throw new IllegalStateException("a prepared replay runs once");
            }
            ran = true;
            final long[] records = new long[agentCount];
            final long[] events = new long[agentCount];
            final long[] elapsedNs = new long[agentCount];
            final String[] roles = new String[agentCount];
            for (final SessionReplay replay : replays)
            {
                final long startNs = System.nanoTime();
                replay.feed();
                replay.finish();
                elapsedNs[replay.agentIndex] += System.nanoTime() - startNs;
                records[replay.agentIndex] += replay.fed;
                events[replay.agentIndex] += replay.marketDataEvents;
                roles[replay.agentIndex] = replay.agent.roleName();
            }
            final List<Throughput> throughput = new ArrayList<>();
            for (int a = 0; a < agentCount; a++)
            {
                throughput.add(new Throughput(roles[a], records[a], events[a], elapsedNs[a]));
            }
            final List<Result> results = new ArrayList<>();
            for (final OutputComparison comparison : comparisons)
            {
                results.add(comparison.result());
            }
            return new Report(results, throughput);
        }

        public void close()
        {
            for (final SessionReplay replay : replays)
            {
                replay.close();
            }
            for (final OutputComparison comparison : comparisons)
            {
                comparison.close();
            }
        }
    }

    private static long first(final RunManifest.Session session, final String stream)
    {
        return session.firstMessages().getOrDefault(stream, 0L);
    }

    /** One agent through one session: a fresh agent, its outboxes redirected to the comparisons. */
    private final class SessionReplay
    {
        private final int agentIndex;
        private final String inboxName;
        private final long start;
        private final long end;
        private final BoundedAgent agent;
        private final Inbox inbox;
        private final Inbox.Handler handler;
        private final JournalReader reader;
        private final List<OutputComparison> outputs = new ArrayList<>();
        private final long[] outputStarts;
        private final long[] outputEnds;
        private final boolean complete;
        private long fed;
        private long marketDataEvents;

        SessionReplay(
            final int agentIndex,
            final ReplayedAgent replayed,
            final Aeron aeron,
            final int sessionIndex,
            final RunManifest.Session session,
            final RunManifest.Session next,
            final boolean complete,
            final List<OutputComparison> comparisons)
        {
            this.agentIndex = agentIndex;
            this.complete = complete;
            inboxName = replayed.inboxName();
            start = first(session, inboxName);
            end = next == null ? Long.MAX_VALUE : first(next, inboxName);
            inbox = replayed.newAgent().newAgent(aeron, sessionIndex);
            handler = inbox.handler();
            agent = (BoundedAgent)handler;
            if (inbox.tee() != null)
            {
                throw new IllegalArgumentException(agent.roleName() + " would tee its inbox during a replay");
            }
            for (int i = 0; i < inbox.inputCount(); i++)
            {
                inbox.replaceInput(i, NOTHING);
            }
            outputStarts = new long[inbox.outputCount()];
            outputEnds = new long[inbox.outputCount()];
            for (int i = 0; i < inbox.outputCount(); i++)
            {
                final Outbox outbox = inbox.output(i);
                final String name = streams.nameOf(outbox.streamId());
                OutputComparison target = null;
                for (final OutputComparison comparison : comparisons)
                {
                    if (comparison.stream.equals(name))
                    {
                        target = comparison;
                    }
                }
                if (target != null)
                {
                    outputStarts[outputs.size()] = first(session, name);
                    outputEnds[outputs.size()] = next == null ? Long.MAX_VALUE : first(next, name);
                    outputs.add(target);
                    outbox.redirect(target);
                }
                else
                {
                    outbox.redirect((buffer, offset, length) -> true); // not compared
                }
            }
            reader = JournalReader.open(runDir, inboxName);
        }

        /** Hands records [start, end) of the inbox queue to the agent's handler. */
        void feed()
        {
            for (int i = 0; i < outputs.size(); i++)
            {
                outputs.get(i).beginSession(outputStarts[i], outputEnds[i], complete);
            }
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final InboxRecordDecoder record = new InboxRecordDecoder();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
            final int marketData = streams.marketData();
            final JournalReader reader = this.reader;
            while (reader.messageIndex() + 1 < end && reader.next())
            {
                if (reader.messageIndex() < start)
                {
                    continue;
                }
                final DirectBuffer buffer = reader.buffer();
                header.wrap(buffer, 0);
                record.wrap(buffer, Messages.HEADER_LENGTH, header.blockLength(), header.version());
                final int streamId = record.streamId();
                final int input = inbox.inputIndexOf(streamId);
                final int length = record.payloadLength();
                // a view of the payload in the reader's buffer, valid until the next record
                payload.wrap(buffer, record.limit() + InboxRecordDecoder.payloadHeaderLength(), length);
                if (input < 0 || !Messages.isEngineMessage(payload, 0, length))
                {
                    throw new IllegalStateException(inboxName + " record " + reader.messageIndex() +
                        " is from stream " + streamId + ", which " + agent.roleName() + " does not read");
                }
                header.wrap(payload, 0);
                handler.onMessage(input, header.templateId(), Messages.eventSeq(payload, 0), payload,
                    Messages.HEADER_LENGTH, header.blockLength(), header.version());
                fed++;
                if (streamId == marketData)
                {
                    marketDataEvents++;
                }
            }
        }

        /** Lets the agent send anything it still holds, then closes each output's session. */
        void finish()
        {
            try
            {
                while (!inbox.isFlushed())
                {
                    agent.doWork();
                }
                agent.onClose();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(agent.roleName() + " failed during replay", ex);
            }
            for (final OutputComparison output : outputs)
            {
                output.endSession();
            }
        }

        void close()
        {
            reader.close();
        }
    }

    /**
     * Compares one output stream of the replay, message by message as the agent sends it, with the same stream in
     * the journal, session by session. While both sides are the same one digest serves both; it forks at the first
     * message only one side has or that differs.
     */
    private static final class OutputComparison implements Outbox.Sink, AutoCloseable
    {
        private final String stream;
        private final JournalReader recorded;
        private MessageDigest recordedDigest = RunManifest.newSha256();
        /** Null while it would equal {@link #recordedDigest}. */
        private MessageDigest replayedDigest;
        private final byte[] lengthBytes = new byte[4];
        private byte[] scratch = new byte[4096];
        private long sessionEnd;
        private boolean sessionComplete;
        private long recordedCount;
        private long replayedCount;
        private long firstDivergence = -1;
        private String recordedMessage;
        private String replayedMessage;
        private long crashTail;

        OutputComparison(final Path runDir, final String stream)
        {
            this.stream = stream;
            this.recorded = JournalReader.open(runDir, stream);
        }

        void beginSession(final long start, final long end, final boolean complete)
        {
            sessionEnd = end;
            sessionComplete = complete;
            while (recordedCount < start && nextRecorded(true))
            {
                crashTail++; // recorded past the end of a crashed session's replay: nothing to compare with
            }
        }

        /**
         * Reads the next recorded message.
         *
         * @param alone the replay has no message to pair with it: the digests part.
         */
        private boolean nextRecorded(final boolean alone)
        {
            if (!recorded.next())
            {
                return false;
            }
            recordedCount++;
            if (alone)
            {
                fork();
                update(recordedDigest, recorded.buffer(), 0, recorded.length());
            }
            return true;
        }

        private void fork()
        {
            if (replayedDigest == null)
            {
                try
                {
                    replayedDigest = (MessageDigest)recordedDigest.clone();
                }
                catch (final CloneNotSupportedException ex)
                {
                    throw new IllegalStateException("SHA-256 digest cannot be copied", ex);
                }
            }
        }

        public boolean offer(final DirectBuffer buffer, final int offset, final int length)
        {
            final long index = replayedCount++;
            final boolean hasRecorded = recordedCount < sessionEnd && nextRecorded(false);
            if (!hasRecorded && !sessionComplete)
            {
                fork();
                update(replayedDigest, buffer, offset, length);
                crashTail++; // the crashed session journaled fewer outputs than its inputs produce
                return true;
            }
            final boolean same = hasRecorded && sameBytes(recorded.buffer(), recorded.length(), buffer, offset, length);
            if (same && replayedDigest == null)
            {
                update(recordedDigest, recorded.buffer(), 0, recorded.length());
                return true;
            }
            fork();
            if (hasRecorded)
            {
                update(recordedDigest, recorded.buffer(), 0, recorded.length());
            }
            update(replayedDigest, buffer, offset, length);
            if (!same && firstDivergence < 0)
            {
                firstDivergence = index;
                recordedMessage = hasRecorded ? MessageText.describe(recorded.buffer(), 0, recorded.length()) :
                    "(none: the run recorded fewer messages)";
                replayedMessage = MessageText.describe(buffer, offset, length);
            }
            return true;
        }

        void endSession()
        {
            while (recordedCount < sessionEnd && nextRecorded(true))
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
        }

        Result result()
        {
            final String recordedSha256 = HexFormat.of().formatHex(recordedDigest.digest());
            final String replayedSha256 = replayedDigest == null ? recordedSha256 :
                HexFormat.of().formatHex(replayedDigest.digest());
            return new Result(stream, recordedCount, replayedCount, recordedSha256, replayedSha256,
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
            int i = 0;
            for (; i + Long.BYTES <= aLength; i += Long.BYTES)
            {
                if (a.getLong(i) != b.getLong(bOffset + i))
                {
                    return false;
                }
            }
            for (; i < aLength; i++)
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
            final byte[] array = buffer.byteArray();
            if (array != null)
            {
                digest.update(array, (int)(buffer.wrapAdjustment() + offset), length);
                return;
            }
            if (scratch.length < length)
            {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            buffer.getBytes(offset, scratch, 0, length);
            digest.update(scratch, 0, length);
        }
    }
}
