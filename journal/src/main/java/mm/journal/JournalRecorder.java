package mm.journal;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import mm.common.aeron.LocalBus;
import mm.common.aeron.Streams;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import mm.common.agent.BoundedAgent;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;

/**
 * Records streams into Chronicle Queues: every complete message (fragments reassembled), byte for byte as
 * received, appended to {@code <runDir>/<streamName>/} (one queue per stream, daily files). It is an ordinary
 * Aeron subscriber polling with a fragment limit, so it never slows publishers beyond normal flow control.
 * <p>
 * Runs as an Agrona {@link Agent}: {@link #doWork()} can be driven by hand in tests. Queues are opened in the
 * constructor; appenders are created on the agent's thread at the first {@code doWork} (Chronicle appenders are
 * single-threaded). After warm-up the recording path allocates nothing: each message is copied into one reused
 * direct buffer and appended from there.
 * <p>
 * Bounded runs: the {@link DoneRule} (default {@link DoneRule#endOfData}) sees every message; once it is
 * satisfied, one more full drain of every subscription happens and then {@link #isDone()} turns true.
 * {@link #onClose()} closes the queues and rewrites the run manifest with counts and checksums.
 */
public final class JournalRecorder implements BoundedAgent
{
    public static final String ROLE_NAME = "journal";
    /** Fragments per subscription per duty cycle: enough to keep up, small enough to be fair across streams. */
    public static final int DEFAULT_FRAGMENT_LIMIT = 256;
    private static final int INITIAL_MESSAGE_CAPACITY = 4096;

    private final Path runDir;
    private final RunManifest manifest;
    private final StreamRecorder[] recorders;
    private final boolean ownsSubscriptions;
    private DoneRule doneRule;
    private int fragmentLimit = DEFAULT_FRAGMENT_LIMIT;

    // One reusable direct copy of the current message; grown (rarely) for larger messages.
    private Bytes<?> messageBytes;
    private final UnsafeBuffer messageView = new UnsafeBuffer(0, 0);
    private int messageCapacity;

    private boolean started;
    private boolean local;
    private boolean draining;
    // Read by the launcher's thread while the agent thread runs the recorder.
    private volatile boolean done;
    private boolean closed;

    /**
     * @param runDir    the run folder; created if missing; gets {@code manifest.json} now and one queue per stream.
     *                  It must not already hold a journal for any of the streams.
     * @param streams   what to record; the recorder does not close these subscriptions.
     * @param manifest  the run's manifest, written now and rewritten at close.
     * @param doneRule  when a bounded run is complete ({@link DoneRule#never()} for live runs).
     */
    public JournalRecorder(
        final Path runDir, final List<RecordedStream> streams, final RunManifest manifest, final DoneRule doneRule)
    {
        this(runDir, streams, manifest, doneRule, false, false);
    }

    /**
     * @param resume continue a run folder that already holds this run's journal (a restart after a stop or a
     *               crash): new messages are appended and a new session is added to the manifest.
     */
    private JournalRecorder(
        final Path runDir,
        final List<RecordedStream> streams,
        final RunManifest manifest,
        final DoneRule doneRule,
        final boolean ownsSubscriptions,
        final boolean resume)
    {
        this.runDir = runDir;
        this.manifest = manifest;
        this.doneRule = doneRule;
        this.ownsSubscriptions = ownsSubscriptions;

        final Set<String> names = new HashSet<>();
        for (final RecordedStream stream : streams)
        {
            if (!names.add(stream.name()))
            {
                throw new IllegalArgumentException("two streams would share the journal folder " + stream.name());
            }
            // Appending to another run's queue would mix two runs in one message sequence and hash.
            if (!resume && !JournalQueues.queueFiles(runDir.resolve(stream.name())).isEmpty())
            {
                throw new IllegalStateException("run folder already holds a journal for " + stream.name() + ": " +
                    runDir + " (use a new run folder per run, or journal.resume=true to continue this run)");
            }
        }
        // what earlier sessions recorded: counted once, so the manifest's totals and session starts are exact
        final Map<String, Long> firstMessages = new TreeMap<>();
        final long[] existingCounts = new long[streams.size()];
        final long[] existingBytes = new long[streams.size()];
        for (int i = 0; i < streams.size(); i++)
        {
            final String name = streams.get(i).name();
            if (resume && !JournalQueues.queueFiles(runDir.resolve(name)).isEmpty())
            {
                final long[] bytes = {0};
                existingCounts[i] = JournalReader.forEach(runDir, name, (buffer, offset, length) -> bytes[0] += length);
                existingBytes[i] = bytes[0];
            }
            firstMessages.put(name, existingCounts[i]);
        }
        if (resume)
        {
            for (final RunManifest.Session session : RunManifest.readSessions(runDir))
            {
                manifest.addSession(session);
            }
        }
        manifest.addSession(new RunManifest.Session(System.currentTimeMillis(), firstMessages));
        try
        {
            Files.createDirectories(runDir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create run folder " + runDir, ex);
        }

        recorders = new StreamRecorder[streams.size()];
        try
        {
            for (int i = 0; i < recorders.length; i++)
            {
                final RecordedStream stream = streams.get(i);
                recorders[i] = new StreamRecorder(
                    stream.name(), stream.subscription(), JournalQueues.openForWriting(runDir.resolve(stream.name())));
                recorders[i].messageCount = existingCounts[i];
                recorders[i].byteCount = existingBytes[i];
            }
        }
        catch (final RuntimeException ex)
        {
            closeQueues();
            throw ex;
        }
        manifest.writeStart(runDir, summaries(false));
    }

    /**
     * Subscribes to {@code streamIds} on {@code streams.channel()} and records each into a queue named by
     * {@link Streams#nameOf(int)}, with the default done rule ({@code EndOfData} on market data, then the
     * final {@code StepEnd} on executions). The recorder owns these subscriptions and closes them.
     */
    public static JournalRecorder subscribe(
        final Aeron aeron, final Streams streams, final int[] streamIds, final Path runDir, final RunManifest manifest)
    {
        return subscribe(aeron, streams, streamIds, runDir, manifest, false);
    }

    /** As {@link #subscribe(Aeron, Streams, int[], Path, RunManifest)}; {@code resume} continues an earlier session. */
    public static JournalRecorder subscribe(
        final Aeron aeron,
        final Streams streams,
        final int[] streamIds,
        final Path runDir,
        final RunManifest manifest,
        final boolean resume)
    {
        final List<RecordedStream> recorded = new ArrayList<>(streamIds.length);
        try
        {
            for (final int streamId : streamIds)
            {
                recorded.add(new RecordedStream(
                    streams.nameOf(streamId), aeron.addSubscription(streams.channel(), streamId)));
            }
            return new JournalRecorder(
                runDir, recorded, manifest, DoneRule.endOfData(streams.marketData(), streams.executions()), true, resume);
        }
        catch (final RuntimeException ex)
        {
            for (final RecordedStream stream : recorded)
            {
                CloseHelper.quietClose(stream.subscription());
            }
            throw ex;
        }
    }

    /**
     * Records from an in-process run's streams instead of the subscriptions (which stay open and are no longer
     * polled): each message is appended as it is published, on the publisher's thread, which must be the one
     * that calls {@link #onStart()} (before the first message) and {@link #onClose()}. {@link #doWork()} then
     * only follows the done rule.
     */
    public JournalRecorder connect(final LocalBus bus)
    {
        local = true;
        for (final StreamRecorder recorder : recorders)
        {
            bus.tap(recorder.streamId, recorder);
        }
        return this;
    }

    /** Replaces the done rule (e.g. {@link DoneRule#never()} for live runs); call before the first doWork. */
    public JournalRecorder doneRule(final DoneRule doneRule)
    {
        this.doneRule = doneRule;
        return this;
    }

    public DoneRule doneRule()
    {
        return doneRule;
    }

    /** Fragments polled per subscription per {@link #doWork()}. */
    public JournalRecorder fragmentLimit(final int fragmentLimit)
    {
        if (fragmentLimit < 1)
        {
            throw new IllegalArgumentException("fragmentLimit must be at least 1: " + fragmentLimit);
        }
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    /**
     * Creates the appenders and the message buffer on the agent's own thread: Chronicle appenders and bytes
     * check that one thread uses them. Called by {@link #doWork()} if the runner did not.
     */
    public void onStart()
    {
        if (started)
        {
            return;
        }
        started = true;
        allocateMessageBuffer(INITIAL_MESSAGE_CAPACITY);
        for (final StreamRecorder recorder : recorders)
        {
            recorder.appender = recorder.queue.createAppender();
        }
    }

    /** Polls every subscription once (up to the fragment limit each); returns the fragments handled. */
    public int doWork()
    {
        if (!started)
        {
            onStart();
        }
        if (local)
        {
            // every message was recorded as it was published: nothing is in flight
            if (!done && doneRule.isSatisfied())
            {
                done = true;
            }
            return 0;
        }
        int work = 0;
        for (final StreamRecorder recorder : recorders)
        {
            final int fragments = recorder.subscription.poll(recorder.assembler, fragmentLimit);
            work += fragments;
            // Fewer than the limit means every image of the subscription was read to its end just now.
            if (draining && fragments < fragmentLimit)
            {
                recorder.drainedAfterDone = true;
            }
        }

        if (!draining)
        {
            // Only polls that start after the rule is satisfied count as the final drain.
            if (doneRule.isSatisfied())
            {
                draining = true;
            }
        }
        else if (!done)
        {
            boolean allDrained = true;
            for (final StreamRecorder recorder : recorders)
            {
                allDrained &= recorder.drainedAfterDone;
            }
            done = allDrained;
        }
        return work;
    }

    /** True once the done rule was satisfied and every subscription has since been read to its end. */
    public boolean isDone()
    {
        return done;
    }

    /** Closes the queues (and owned subscriptions) and rewrites the manifest with counts and checksums. */
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeQueues();
        if (messageBytes != null)
        {
            messageBytes.releaseLast();
            messageBytes = null;
        }
        if (ownsSubscriptions)
        {
            for (final StreamRecorder recorder : recorders)
            {
                CloseHelper.quietClose(recorder.subscription);
            }
        }
        manifest.writeFinal(runDir, System.currentTimeMillis(), summaries(true));
    }

    public Path runDir()
    {
        return runDir;
    }

    public int streamCount()
    {
        return recorders.length;
    }

    public String streamName(final int index)
    {
        return recorders[index].name;
    }

    public int streamId(final int index)
    {
        return recorders[index].subscription.streamId();
    }

    /**
     * Messages recorded so far on the stream at {@code index} (order of the constructor's list). Counters are
     * plain fields written by the agent thread: exact on that thread, a recent value from any other.
     */
    public long messageCount(final int index)
    {
        return recorders[index].messageCount;
    }

    /** Message bytes (without any Chronicle framing) recorded so far on the stream at {@code index}. */
    public long byteCount(final int index)
    {
        return recorders[index].byteCount;
    }

    /** Messages recorded so far on the stream called {@code name}. */
    public long messageCount(final String name)
    {
        return recorders[indexOf(name)].messageCount;
    }

    public long byteCount(final String name)
    {
        return recorders[indexOf(name)].byteCount;
    }

    public long totalMessageCount()
    {
        long total = 0;
        for (final StreamRecorder recorder : recorders)
        {
            total += recorder.messageCount;
        }
        return total;
    }

    private int indexOf(final String name)
    {
        for (int i = 0; i < recorders.length; i++)
        {
            if (recorders[i].name.equals(name))
            {
                return i;
            }
        }
        throw new IllegalArgumentException("not recorded: " + name);
    }

    private void record(final StreamRecorder recorder, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > messageCapacity)
        {
            allocateMessageBuffer(Math.max(length, messageCapacity * 2));
        }
        messageView.putBytes(0, buffer, offset, length);
        messageBytes.readPositionRemaining(0, length);
        recorder.appender.writeBytes(messageBytes);
        recorder.messageCount++;
        recorder.byteCount += length;
        doneRule.onMessage(recorder.streamId, buffer, offset, length);
    }

    private void allocateMessageBuffer(final int capacity)
    {
        if (messageBytes != null)
        {
            messageBytes.releaseLast();
        }
        messageBytes = Bytes.allocateDirect(capacity);
        messageCapacity = capacity;
        // A view over the same native memory lets Agrona copy straight from the Aeron buffer into it.
        messageView.wrap(messageBytes.addressForWrite(0), capacity);
    }

    private List<RunManifest.StreamSummary> summaries(final boolean withCounts)
    {
        final List<RunManifest.StreamSummary> summaries = new ArrayList<>(recorders.length);
        for (final StreamRecorder recorder : recorders)
        {
            if (!withCounts)
            {
                summaries.add(RunManifest.StreamSummary.named(recorder.name, recorder.streamId));
            }
            else
            {
                summaries.add(new RunManifest.StreamSummary(
                    recorder.name,
                    recorder.streamId,
                    recorder.messageCount,
                    recorder.byteCount,
                    JournalReader.sha256(runDir, recorder.name),
                    RunManifest.queueFileChecksums(runDir, recorder.name)));
            }
        }
        return summaries;
    }

    private void closeQueues()
    {
        if (recorders == null)
        {
            return;
        }
        for (final StreamRecorder recorder : recorders)
        {
            if (recorder != null)
            {
                recorder.close();
            }
        }
    }

    /** One stream: its subscription, reassembly, queue and counters. */
    private final class StreamRecorder implements FragmentHandler, LocalBus.Tap
    {
        final String name;
        final int streamId;
        final Subscription subscription;
        final FragmentAssembler assembler;
        final SingleChronicleQueue queue;
        ExcerptAppender appender;
        long messageCount;
        long byteCount;
        boolean drainedAfterDone;

        StreamRecorder(final String name, final Subscription subscription, final SingleChronicleQueue queue)
        {
            this.name = name;
            this.streamId = subscription.streamId();
            this.subscription = subscription;
            this.queue = queue;
            // Direct reassembly buffers: messages larger than one fragment are copied from native memory too.
            this.assembler = new FragmentAssembler(this, INITIAL_MESSAGE_CAPACITY, true);
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            record(this, buffer, offset, length);
        }

        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            record(this, buffer, offset, length);
        }

        void close()
        {
            CloseHelper.quietClose(appender);
            CloseHelper.quietClose(queue);
        }
    }
}
