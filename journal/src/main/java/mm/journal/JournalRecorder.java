package mm.journal;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import mm.common.aeron.LocalBus;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.PointerBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import mm.common.agent.BoundedAgent;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;

/**
 * Records streams into Chronicle Queues: every complete message (fragments reassembled), byte for byte as
 * received, appended to {@code <runDir>/<streamName>/} (one queue per stream, daily files). It is an Aeron
 * subscriber polling with a fragment limit. Tethered (the default), it is complete and, like any subscriber, holds
 * the publishers back once it is a publication window behind; on an {@link #untethered} channel
 * the driver drops it instead after a bounded stall, and what it missed is counted ({@link JournalLag}).
 * <p>
 * Runs as an Agrona {@link Agent}: {@link #doWork()} can be driven by hand in tests. Queues are opened in the
 * constructor; appenders are created on the agent's thread at the first {@code doWork} (Chronicle appenders are
 * single-threaded). After warm-up the recording path allocates nothing: a message in native memory (an Aeron
 * term, the journal ring, the bus) is copied by Chronicle straight from there; one on the heap is first copied
 * into one reused direct buffer.
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
    /** Messages appended from the ring before its room is given back to the publishers. */
    private static final int RING_BATCH_MESSAGES = 256;

    private final Path runDir;
    private final RunManifest manifest;
    private final StreamRecorder[] recorders;
    private final boolean ownsSubscriptions;
    private DoneRule doneRule;
    private int fragmentLimit = DEFAULT_FRAGMENT_LIMIT;

    // One reusable direct copy of the current message; grown (rarely) for larger messages.
    private Bytes<?> messageBytes;
    private final UnsafeBuffer messageView = new UnsafeBuffer(0, 0);
    /** The roll-cycle clock of every queue: expired per drain or poll round, not read per append. */
    private final BatchClock appendClock = new BatchClock(SystemEpochClock.INSTANCE);
    /** Points Chronicle at a message in native memory (the ring, an Aeron term) so it is copied once, not twice. */
    private PointerBytesStore nativeMessage;
    private int messageCapacity;

    private boolean started;
    private boolean local;
    /** Set by {@link #connect(LocalBus, int)}: the bus's taps hand messages to this thread through it. */
    private OneToOneRingBuffer ring;
    private final MessageHandler ringReader = this::onRingMessage;
    /** The in-process run published its last message ({@link #endOfInput()}). */
    private volatile boolean inputEnded;
    /** The thread draining {@link #ring} failed: publishers waiting for room stop waiting. */
    private volatile boolean ringReaderFailed;
    /** Engine counters of the journal (null when built without Aeron): see {@link JournalLag}. */
    private AtomicCounter lagCounter;
    private AtomicCounter maxLagCounter;
    private AtomicCounter lostCounter;
    private AtomicCounter rejoinCounter;
    private long maxLagBytes;
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
                    stream.name(), stream.subscription(),
                    JournalQueues.openForWriting(runDir.resolve(stream.name()), appendClock));
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
     * Subscribes to {@code streamIds}, each on its subscription channel ({@link Streams#subscriptionChannel}), and
     * records each into a queue named by
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
        return subscribe(aeron, streams, streamIds, runDir, manifest, resume, true);
    }

    /**
     * As {@link #subscribe(Aeron, Streams, int[], Path, RunManifest, boolean)}, each stream on its subscription
     * channel, {@link #untethered} unless {@code tethered}, with the journal's engine counters: lag in bytes,
     * bytes lost and rejoins.
     */
    public static JournalRecorder subscribe(
        final Aeron aeron,
        final Streams streams,
        final int[] streamIds,
        final Path runDir,
        final RunManifest manifest,
        final boolean resume,
        final boolean tethered)
    {
        final List<RecordedStream> recorded = new ArrayList<>(streamIds.length);
        try
        {
            for (final int streamId : streamIds)
            {
                final String channel = streams.subscriptionChannel(streamId);
                recorded.add(new RecordedStream(
                    streams.nameOf(streamId), aeron.addSubscription(tethered ? channel : untethered(channel), streamId)));
            }
            final JournalRecorder recorder = new JournalRecorder(
                runDir, recorded, manifest, DoneRule.endOfData(streams.marketData(), streams.executions()), true, resume);
            recorder.counters(aeron);
            return recorder;
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
     * The channel every publisher of a run uses when its journal must never hold the hot path back for long
     * ({@code journal.tether=false}): {@code channel} with the driver's untethered timeouts. The journal subscribes
     * on {@link #untethered} of it. A journal more than three quarters of a publication window behind the fastest
     * other subscriber for {@code maxStallMs} is dropped by the driver (publishers are held back about twice that
     * at most), rejoins {@code rejoinMs} later at the live position, and counts what it missed
     * ({@code journal: bytes lost}, the manifest's {@code lostBytes}, a verify-journal problem). On a stream only the
     * journal reads (an inbox tee, the order actions) there is no faster subscriber: the publisher's own outbox
     * must drop instead ({@link mm.common.aeron.Outbox#dropWhenBackPressured}).
     */
    public static String withUntetheredTimeouts(final String channel, final long maxStallMs, final long rejoinMs)
    {
        return JournalLag.withUntetheredTimeouts(channel, maxStallMs, rejoinMs);
    }

    /** {@code channel} with {@code tether=false}: the journal's subscription channel when it is untethered. */
    public static String untethered(final String channel)
    {
        return JournalLag.untethered(channel);
    }

    private void counters(final Aeron aeron)
    {
        lagCounter = EngineCounters.add(aeron, ROLE_NAME, "lag bytes (max over streams)");
        maxLagCounter = EngineCounters.add(aeron, ROLE_NAME, "max lag bytes");
        lostCounter = EngineCounters.add(aeron, ROLE_NAME, "bytes lost (fell behind, untethered)");
        rejoinCounter = EngineCounters.add(aeron, ROLE_NAME, "rejoins after falling behind");
        for (final StreamRecorder recorder : recorders)
        {
            recorder.lag = new JournalLag(recorder.subscription, aeron.countersReader());
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

    /**
     * Records from an in-process run's streams on a thread of its own ({@link JournalThread}): each message is
     * copied, as it is published, into a ring of {@code ringCapacityBytes} that {@link #doWork()} drains into the
     * queues. Per stream the order is the publication order, so the journal is the one {@link #connect(LocalBus)}
     * writes. The publishers (one thread: the bus is not thread-safe) wait for room when the ring is full, so the
     * journal stays complete; {@link #endOfInput()} says they are finished, and the recorder is done once the ring
     * is then empty.
     *
     * @param ringCapacityBytes a power of two; the largest message is an eighth of it.
     */
    public JournalRecorder connect(final LocalBus bus, final int ringCapacityBytes)
    {
        if (!BitUtil.isPowerOfTwo(ringCapacityBytes) || ringCapacityBytes < 64 * 1024)
        {
            throw new IllegalArgumentException("journal ring capacity must be a power of two of at least 64 KiB: " +
                ringCapacityBytes);
        }
        local = true;
        ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(ringCapacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        for (int i = 0; i < recorders.length; i++)
        {
            bus.tap(recorders[i].streamId, new RingTap(i + 1));
        }
        return this;
    }

    /** An in-process run connected by {@link #connect(LocalBus, int)} has published its last message. */
    public void endOfInput()
    {
        inputEnded = true;
    }

    /** The thread draining the ring stopped with an error: publishers must not wait for it. */
    void ringReaderFailed()
    {
        ringReaderFailed = true;
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
        nativeMessage = new PointerBytesStore();
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
        if (ring != null)
        {
            // the flag first: a drain that then finds the ring empty has everything published before it was set
            final boolean ended = inputEnded;
            appendClock.expire();
            // in batches: the ring frees a batch's room only when the batch is done, and publishers may be waiting
            final int work = ring.read(ringReader, RING_BATCH_MESSAGES);
            // a read stops at the ring's end (its padding counts as no message): empty means nothing left at all
            if (ended && work == 0 && ring.size() == 0)
            {
                done = true;
            }
            return work;
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
        long lagBytes = 0;
        appendClock.expire();
        for (final StreamRecorder recorder : recorders)
        {
            if (recorder.lag != null)
            {
                lagBytes = Math.max(lagBytes, recorder.lag.sample(lostCounter, rejoinCounter));
            }
            final int fragments = recorder.subscription.poll(recorder.assembler, fragmentLimit);
            work += fragments;
            // Fewer than the limit means every image of the subscription was read to its end just now.
            if (draining && fragments < fragmentLimit)
            {
                recorder.drainedAfterDone = true;
            }
        }

        if (lagCounter != null)
        {
            lagCounter.setRelease(lagBytes);
            if (lagBytes > maxLagBytes)
            {
                maxLagBytes = lagBytes;
                maxLagCounter.setRelease(lagBytes);
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

    /**
     * Whether every recorded stream except {@code exceptStreamId} has a publisher connected (an image): across
     * hosts, the journal is ready to record from the first message once this holds. CONTROL is the usual
     * exception: its publishers (the heartbeat, an operator's command) may not exist yet.
     */
    public boolean isConnectedExcept(final int exceptStreamId)
    {
        for (final StreamRecorder recorder : recorders)
        {
            if (recorder.streamId != exceptStreamId && !recorder.subscription.isConnected())
            {
                return false;
            }
        }
        return true;
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
        if (nativeMessage != null)
        {
            nativeMessage.releaseLast();
            nativeMessage = null;
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

    /** Bytes of the stream at {@code index} the journal missed while it was dropped for lagging (untethered). */
    public long lostBytes(final int index)
    {
        return recorders[index].lag == null ? 0 : recorders[index].lag.lostBytes();
    }

    /** The largest lag seen, in bytes published and not yet recorded, over all streams. */
    public long maxLagBytes()
    {
        return maxLagBytes;
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
        if (buffer.byteArray() == null && length > 0)
        {
            nativeMessage.set(buffer.addressOffset() + offset, length);
            recorder.appender.writeBytes(nativeMessage);
        }
        else
        {
            if (length > messageCapacity)
            {
                allocateMessageBuffer(Math.max(length, messageCapacity * 2));
            }
            messageView.putBytes(0, buffer, offset, length);
            messageBytes.readPositionRemaining(0, length);
            recorder.appender.writeBytes(messageBytes);
        }
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
        if (!withCounts)
        {
            final List<RunManifest.StreamSummary> summaries = new ArrayList<>(recorders.length);
            for (final StreamRecorder recorder : recorders)
            {
                summaries.add(RunManifest.StreamSummary.named(recorder.name, recorder.streamId));
            }
            return summaries;
        }
        // at close, the streams' hashes (every message, every whole file) side by side: each reads only its own files
        return java.util.Arrays.stream(recorders).parallel().map(recorder -> new RunManifest.StreamSummary(
            recorder.name,
            recorder.streamId,
            recorder.messageCount,
            recorder.byteCount,
            JournalReader.sha256(runDir, recorder.name),
            RunManifest.queueFileChecksums(runDir, recorder.name),
            recorder.lag == null ? 0 : recorder.lag.lostBytes())).toList();
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

    private void onRingMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        record(recorders[msgTypeId - 1], buffer, index, length);
    }

    /** Publishes one stream's messages into the ring, on the publishers' thread. */
    private final class RingTap implements LocalBus.Tap
    {
        private final int msgTypeId;
        private final IdleStrategy waitForRoom = new BackoffIdleStrategy();

        RingTap(final int msgTypeId)
        {
            this.msgTypeId = msgTypeId;
        }

        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            if (inputEnded)
            {
                // the journal may already be closed: a message published after the end would be lost silently
                throw new IllegalStateException("a message was published after the end of input");
            }
            if (ring.write(msgTypeId, buffer, offset, length))
            {
                return;
            }
            while (!ring.write(msgTypeId, buffer, offset, length))
            {
                if (ringReaderFailed)
                {
                    throw new IllegalStateException("the journal thread stopped: the journal cannot take messages");
                }
                waitForRoom.idle();
            }
            waitForRoom.reset();
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
        JournalLag lag;
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
            // a tap appends as each message is published, with no round around it
            appendClock.expire();
            record(this, buffer, offset, length);
        }

        void close()
        {
            CloseHelper.quietClose(appender);
            CloseHelper.quietClose(queue);
        }
    }
}
