package mm.perf;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import mm.common.aeron.Inbox;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import mm.driver.EmbeddedDriver;
import mm.journal.JournalRecorder;
import mm.journal.RunManifest;
import mm.sbe.BookTopNEncoder;
import mm.sbe.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What journaling a deciding agent's inbox costs per message: one market-data book (10 levels a side, 376 bytes)
 * published on an Aeron IPC stream and consumed through an {@link Inbox}, all on the benchmark thread:
 * <ul>
 * <li>{@code none}: the inbox without a tee (the baseline: publish, poll, decode header, hand over);</li>
 * <li>{@code tee}: the inbox tees each consumed fragment as an {@code InboxRecord} to its own exclusive
 * publication, drained by a plain subscriber (the tee's cost on the agent);</li>
 * <li>{@code teeAndJournal}: the tee recorded by a {@link JournalRecorder} into a Chronicle queue (the recorder's
 * duty cycle on the same thread, so the op includes the append).</li>
 * </ul>
 * Each measurement iteration journals into a fresh run folder under {@code perf/target/journal-bench} (deleted
 * after it), so queue files stay bounded. Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class JournalTeeBenchmark
{
    private static final String CHANNEL = "aeron:ipc?term-length=16m";
    private static final int INPUT_STREAM = 3001;
    private static final int TEE_STREAM = 3002;

    @Param({"none", "tee", "teeAndJournal"})
    public String mode;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private ExclusivePublication input;
    private Inbox inbox;
    private Outbox tee;
    private Subscription teeSubscription;
    private JournalRecorder journal;
    private Path runDir;
    private int iteration;
    private final Consumer handler = new Consumer();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[512]);
    private final BookTopNEncoder encoder = new BookTopNEncoder();
    private int messageLength;
    private long eventSeq;
    private final ThreadAllocation allocation = new ThreadAllocation();
    private String allocationParams;
    private final FragmentHandler drain = (buffer, offset, length, header) -> { };

    /** The deciding agent behind the inbox: reads the event sequence, as every agent does. */
    static final class Consumer implements Inbox.Handler
    {
        long sum;

        public boolean canConsume(final int input, final long eventSeq)
        {
            return true;
        }

        public void onMessage(final int input, final int templateId, final long eventSeq, final DirectBuffer buffer,
            final int bodyOffset, final int blockLength, final int version)
        {
            sum += eventSeq + templateId;
        }

        public long inputTimeNs()
        {
            return sum;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        driver = EmbeddedDriver.launch();
        allocationParams = "mode=" + mode;
        aeron = driver.connectClient();
        input = aeron.addExclusivePublication(CHANNEL, INPUT_STREAM);
        tee = mode.equals("none") ? null : new Outbox(aeron.addExclusivePublication(CHANNEL, TEE_STREAM));
        inbox = new Inbox(handler, EngineCounters.add(aeron, "bench", "skipped"), 1, tee);
        inbox.addInput(aeron.addSubscription(CHANNEL, INPUT_STREAM));
        if (mode.equals("tee"))
        {
            teeSubscription = aeron.addSubscription(CHANNEL, TEE_STREAM);
        }
        encoder.wrapAndApplyHeader(message, 0, new MessageHeaderEncoder())
            .eventSeq(0).instrumentId(1).exchangeTimeNs(1).receiveTimeNs(2).firstUpdateId(3).lastUpdateId(4)
            .priceExponent((byte)-2).qtyExponent((byte)-8);
        final BookTopNEncoder.BidsEncoder bids = encoder.bidsCount(10);
        for (int i = 0; i < 10; i++)
        {
            bids.next().price(6_183_763 - i).qty(100_000_000L + i);
        }
        final BookTopNEncoder.AsksEncoder asks = encoder.asksCount(10);
        for (int i = 0; i < 10; i++)
        {
            asks.next().price(6_183_764 + i).qty(200_000_000L + i);
        }
        messageLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        while (!input.isConnected() || (teeSubscription != null && !tee.publication().isConnected()))
        {
            Thread.onSpinWait();
        }
    }

    @Setup(Level.Iteration)
    public void startJournal()
    {
        allocation.start(eventSeq);
        if (!mode.equals("teeAndJournal"))
        {
            return;
        }
        final Path base = Path.of(System.getProperty("mm.home", "."), "perf", "target", "journal-bench");
        runDir = base.resolve("run-" + ProcessHandle.current().pid() + "-" + iteration++);
        final Streams streams = new Streams(CHANNEL, 1001, 1002, 1003, 1004, 1005, 1006, 1101, 1102, TEE_STREAM);
        journal = JournalRecorder.subscribe(aeron, streams, new int[]{TEE_STREAM}, runDir,
            new RunManifest("journal-bench", System.currentTimeMillis(), "benchmark", "none", "bench"))
            .doneRule(mm.journal.DoneRule.never());
        journal.onStart();
        // the recorder's subscription must be connected before the inbox tees into it
        while (!tee.publication().isConnected())
        {
            journal.doWork();
            Thread.onSpinWait();
        }
        allocation.start(eventSeq);
    }

    /** Publish one book, consume it through the inbox (tee included), and drain or journal the tee. */
    @Benchmark
    public long consumeOne()
    {
        encoder.eventSeq(++eventSeq);
        while (input.offer(message, 0, messageLength) < 0)
        {
            Thread.onSpinWait();
        }
        while (inbox.poll(1) == 0)
        {
            Thread.onSpinWait();
        }
        switch (mode)
        {
            case "tee" ->
            {
                while (teeSubscription.poll(drain, 1) == 0)
                {
                    inbox.poll(0); // retries a record the tee publication could not take (term rotation)
                }
            }
            case "teeAndJournal" ->
            {
                while (journal.doWork() == 0)
                {
                    inbox.poll(0); // retries a record the tee publication could not take (term rotation)
                }
            }
            default ->
            {
            }
        }
        return handler.sum;
    }

    @TearDown(Level.Iteration)
    public void stopJournal(final org.openjdk.jmh.infra.IterationParams iteration)
    {
        allocation.end("JournalTeeBenchmark.consumeOne", allocationParams, iteration, eventSeq);
        if (journal == null)
        {
            return;
        }
        journal.onClose();
        journal = null;
        try (Stream<Path> files = Files.walk(runDir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }
}
