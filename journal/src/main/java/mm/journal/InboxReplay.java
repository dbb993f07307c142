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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Re-decides a run from its journaled inboxes: each deciding agent's inbox queue is handed, record by record in
 * its recorded order, straight to a fresh agent's handler, and what the agent sends is compared, message by
 * message as it is sent, with the stream the run journaled. No media driver carries a message: the agent's
 * outboxes are {@link Outbox#redirect redirected} to the comparisons, so the cost is the agent's own decisions,
 * reading the journal and comparing. Each agent is replayed on its own inbox, which makes a replay independent of
 * the run's deployment shape and lockstep setting, and lets the agents be replayed side by side, one thread each.
 * <p>
 * A run restarted into its own folder has several sessions ({@link RunManifest#readSessions}); the agents started
 * afresh at each, so each session is replayed with fresh agents. A session that did not end cleanly (killed)
 * may have journaled an agent's input without all of its outputs, or the other way round: there, only the
 * messages both sides have are compared, and the rest is counted as the crash tail.
 * <p>
 * A closed run of one session has each stream's count and SHA-256 in its manifest, written by the journal at
 * close: {@link #run} compares the replayed outputs with those, reading none of the recorded outputs (a quarter of
 * a replay's work), and only if one differs replays again, message by message, to locate the first difference.
 * That the queue files still hold what the manifest says is {@code verify-journal}'s check.
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
        long firstDivergence, String recordedMessage, String replayedMessage, long crashTail, boolean byDigest)
    {
        /** {@link #firstDivergence} of a difference found by digest alone: it is not located. */
        public static final long NOT_LOCATED = Long.MAX_VALUE;

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

    /**
     * The comparisons, in the order asked for, what each agent replayed, and the wall time of the whole replay
     * (the agents' own times overlap when they ran side by side).
     */
    public record Report(List<Result> results, List<Throughput> throughput, long elapsedNs)
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

        /** Some output was compared by the manifest's digest (a difference there is not located). */
        public boolean byDigest()
        {
            for (final Result result : results)
            {
                if (result.byDigest())
                {
                    return true;
                }
            }
            return false;
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
    }

    /** An input that never has anything: a replayed agent's subscriptions are not read. */
    private static final Inbox.Source NOTHING = (handler, fragmentLimit) -> 0;

    private final Path runDir;
    private final Streams streams;
    private final List<RunManifest.Session> sessions;
    private final boolean closed;
    /**
     * Each stream's message count and canonical SHA-256 as the journal wrote them at close: a replay of a run of
     * one clean session compares its outputs with these, reading none of the recorded outputs.
     */
    private final Map<String, RecordedDigest> recordedDigests = new HashMap<>();

    /** One stream's messages as the manifest describes them. */
    private record RecordedDigest(long messageCount, String messagesSha256)
    {
    }

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
        final Map<String, Object> manifest;
        try
        {
            manifest = JsonTree.object(JsonTree.parse(Files.readAllBytes(manifestFile)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        closed = RunManifest.STATE_CLOSED.equals(manifest.get("state"));
        sessions = RunManifest.readSessions(runDir);
        if (closed && sessions.size() == 1 && manifest.get("streams") != null)
        {
            for (final Object listed : JsonTree.array(manifest.get("streams")))
            {
                final Map<String, Object> stream = JsonTree.object(listed);
                if (stream.get("messagesSha256") instanceof String sha256 && stream.get("messageCount") instanceof Number count &&
                    stream.get("name") instanceof String name)
                {
                    recordedDigests.put(name, new RecordedDigest(count.longValue(), sha256));
                }
            }
        }
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
        return run(aeron, agents, outputs, true);
    }

    /**
     * @param parallel the agents side by side, a thread each ({@link Prepared#run()}), or in turn on this thread.
     */
    public Report run(
        final Aeron aeron, final List<ReplayedAgent> agents, final List<String> outputs, final boolean parallel)
    {
        final Report report;
        try (Prepared prepared = prepare(aeron, agents, outputs))
        {
            report = prepared.run(parallel);
        }
        if (report.equal() || !report.byDigest())
        {
            return report;
        }
        // a difference found by digest: replay again reading the recorded outputs, to say where it is
        try (Prepared prepared = prepare(aeron, agents, outputs, false))
        {
            return prepared.run(parallel);
        }
    }

    /**
     * Builds the agents of every session and opens the journal queues, so that {@link Prepared#run()} is only the
     * replay itself (what the throughput figures time).
     */
    public Prepared prepare(final Aeron aeron, final List<ReplayedAgent> agents, final List<String> outputs)
    {
        return prepare(aeron, agents, outputs, true);
    }

    /**
     * @param byDigest compare an output with the count and SHA-256 the manifest holds for it, where it has them
     *                 (a closed run of one session), without reading the recorded messages; a difference is then
     *                 known but not located (see {@link Result#firstDivergence()}). False: read and compare every
     *                 recorded message.
     */
    public Prepared prepare(
        final Aeron aeron, final List<ReplayedAgent> agents, final List<String> outputs, final boolean byDigest)
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
                    prepared.comparisons.add(new OutputComparison(runDir, output,
                        byDigest ? recordedDigests.get(output) : null));
                }
            }
            for (int s = 0; s < sessions.size(); s++)
            {
                final RunManifest.Session session = sessions.get(s);
                final RunManifest.Session next = s + 1 < sessions.size() ? sessions.get(s + 1) : null;
                final boolean complete = next == null && closed;
                for (int a = 0; a < agents.size(); a++)
                {
                    if (prepared.inboxReaders[a] == null)
                    {
                        // one reader per inbox for all its sessions, which follow each other in it
                        prepared.inboxReaders[a] = JournalReader.open(runDir, agents.get(a).inboxName());
                    }
                    prepared.replays.add(new SessionReplay(a, agents.get(a), aeron, s, session, next, complete,
                        prepared.comparisons, prepared.inboxReaders[a]));
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
        /** Opened here, outside the timed replay; read on the agent's replay thread (JournalReader allows that). */
        private final JournalReader[] inboxReaders;
        private boolean ran;

        private Prepared(final int agentCount)
        {
            this.agentCount = agentCount;
            this.inboxReaders = new JournalReader[agentCount];
        }

        /**
         * Replays every session of every agent, once: each agent's sessions in order, and the agents side by side
         * on threads of their own (this one and one more per further agent) when no compared stream is written by
         * two of them. Each agent reads only its own inbox and writes only its own outputs, so this changes how
         * long a replay takes and nothing it finds.
         */
        public Report run()
        {
            return run(true);
        }

        /**
         * @param parallel false: every agent in turn on the caller's thread.
         */
        public Report run(final boolean parallel)
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
            final long startNs = System.nanoTime();
            if (parallel && agentCount > 1 && outputsDisjoint())
            {
                final Thread[] threads = new Thread[agentCount];
                final Throwable[] failures = new Throwable[agentCount];
                try
                {
                    for (int a = 1; a < agentCount; a++)
                    {
                        final int agentIndex = a;
                        threads[a] = new Thread(() ->
                        {
                            try
                            {
                                replayAgent(agentIndex, records, events, elapsedNs, roles);
                            }
                            catch (final Throwable ex)
                            {
                                failures[agentIndex] = ex;
                            }
                        }, "mm-replay-" + a);
                        threads[a].start();
                    }
                    replayAgent(0, records, events, elapsedNs, roles);
                }
                catch (final Throwable ex)
                {
                    failures[0] = ex;
                }
                finally
                {
                    // every started agent ends before anything (the queues' mappings) is closed
                    for (final Thread thread : threads)
                    {
                        if (thread != null)
                        {
                            JournalThread.joinUninterruptibly(thread);
                        }
                    }
                }
                IllegalStateException failed = null;
                for (int a = 0; a < agentCount; a++)
                {
                    if (failures[a] != null)
                    {
                        if (failed == null)
                        {
                            failed = new IllegalStateException("replay failed: " + failures[a], failures[a]);
                        }
                        else
                        {
                            failed.addSuppressed(failures[a]);
                        }
                    }
                }
                if (failed != null)
                {
                    throw failed;
                }
            }
            else
            {
                for (int a = 0; a < agentCount; a++)
                {
                    replayAgent(a, records, events, elapsedNs, roles);
                }
            }
            final long wallNs = System.nanoTime() - startNs;
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
            return new Report(results, throughput, wallNs);
        }

        /** Every session of one agent, in order; each slot of the arrays is written by that agent's thread only. */
        private void replayAgent(
            final int agentIndex, final long[] records, final long[] events, final long[] elapsedNs, final String[] roles)
        {
            for (final SessionReplay replay : replays)
            {
                if (replay.agentIndex != agentIndex)
                {
                    continue;
                }
                final long startNs = System.nanoTime();
                replay.feed();
                replay.finish();
                elapsedNs[agentIndex] += System.nanoTime() - startNs;
                records[agentIndex] += replay.fed;
                events[agentIndex] += replay.marketDataEvents;
                roles[agentIndex] = replay.agent.roleName();
            }
        }

        /** No compared stream is written by two agents (it never is in this engine, but a replay must not race). */
        private boolean outputsDisjoint()
        {
            for (final OutputComparison comparison : comparisons)
            {
                int writer = -1;
                for (final SessionReplay replay : replays)
                {
                    if (replay.outputs.contains(comparison))
                    {
                        if (writer >= 0 && writer != replay.agentIndex)
                        {
                            return false;
                        }
                        writer = replay.agentIndex;
                    }
                }
            }
            return true;
        }

        public void close()
        {
            for (final JournalReader reader : inboxReaders)
            {
                if (reader != null)
                {
                    reader.close();
                }
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
            final List<OutputComparison> comparisons,
            final JournalReader reader)
        {
            this.agentIndex = agentIndex;
            this.reader = reader;
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

    }

    /**
     * Compares one output stream of the replay, message by message as the agent sends it, with the same stream in
     * the journal, session by session. While both sides are the same one digest serves both; it forks at the first
     * message only one side has or that differs. With the manifest's digest of the stream (a closed run of one
     * session), it only hashes the replayed messages and compares count and SHA-256 at the end.
     */
    private static final class OutputComparison implements Outbox.Sink, AutoCloseable
    {
        private static final String NOT_LOCATED_TEXT = "(not located: compared with the manifest's SHA-256)";

        private final String stream;
        /** Null when compared by the manifest's digest. */
        private final JournalReader recorded;
        private final RecordedDigest manifestDigest;
        private final CanonicalDigest recordedDigest = new CanonicalDigest();
        /** Null while it would equal {@link #recordedDigest}. */
        private CanonicalDigest replayedDigest;
        private long sessionEnd;
        private boolean sessionComplete;
        private long recordedCount;
        private long replayedCount;
        private long firstDivergence = -1;
        private String recordedMessage;
        private String replayedMessage;
        private long crashTail;

        /**
         * @param manifestDigest what the manifest says of the stream, to compare with instead of its messages; null:
         *                       read and compare the recorded messages.
         */
        OutputComparison(final Path runDir, final String stream, final RecordedDigest manifestDigest)
        {
            this.stream = stream;
            this.manifestDigest = manifestDigest;
            this.recorded = manifestDigest == null ? JournalReader.open(runDir, stream) : null;
        }

        void beginSession(final long start, final long end, final boolean complete)
        {
            if (recorded == null)
            {
                return; // one complete session, compared as a whole at the end
            }
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
                recordedDigest.add(recorded.buffer(), 0, recorded.length());
            }
            return true;
        }

        private void fork()
        {
            if (replayedDigest == null)
            {
                replayedDigest = recordedDigest.copy();
            }
        }

        public boolean offer(final DirectBuffer buffer, final int offset, final int length)
        {
            final long index = replayedCount++;
            if (recorded == null)
            {
                recordedDigest.add(buffer, offset, length); // here the digest of the replayed messages
                return true;
            }
            final boolean hasRecorded = recordedCount < sessionEnd && nextRecorded(false);
            if (!hasRecorded && !sessionComplete)
            {
                fork();
                replayedDigest.add(buffer, offset, length);
                crashTail++; // the crashed session journaled fewer outputs than its inputs produce
                return true;
            }
            final boolean same = hasRecorded && sameBytes(recorded.buffer(), recorded.length(), buffer, offset, length);
            if (same && replayedDigest == null)
            {
                recordedDigest.add(recorded.buffer(), 0, recorded.length());
                return true;
            }
            fork();
            if (hasRecorded)
            {
                recordedDigest.add(recorded.buffer(), 0, recorded.length());
            }
            replayedDigest.add(buffer, offset, length);
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
            if (recorded == null)
            {
                return;
            }
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
            if (recorded == null)
            {
                final String replayedSha256 = recordedDigest.hex();
                final boolean same = replayedCount == manifestDigest.messageCount() &&
                    replayedSha256.equals(manifestDigest.messagesSha256());
                return new Result(stream, manifestDigest.messageCount(), replayedCount, manifestDigest.messagesSha256(),
                    replayedSha256, same ? -1 : Result.NOT_LOCATED, same ? null : NOT_LOCATED_TEXT,
                    same ? null : NOT_LOCATED_TEXT, 0, true);
            }
            final String recordedSha256 = recordedDigest.hex();
            final String replayedSha256 = replayedDigest == null ? recordedSha256 : replayedDigest.hex();
            return new Result(stream, recordedCount, replayedCount, recordedSha256, replayedSha256,
                firstDivergence, recordedMessage, replayedMessage, crashTail, false);
        }

        public void close()
        {
            if (recorded != null)
            {
                recorded.close();
            }
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
    }
}
