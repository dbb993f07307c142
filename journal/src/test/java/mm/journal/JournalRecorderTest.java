package mm.journal;

import io.aeron.Aeron;
import io.aeron.Publication;
import mm.common.aeron.Streams;
import mm.common.config.Config;
import mm.driver.EmbeddedDriver;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * System test of the recorder with real parts: an embedded media driver (small-host profile, 64 KiB terms) and
 * real Chronicle queues in a temp folder. The recorder's duty cycle is driven by hand on the test thread.
 */
class JournalRecorderTest
{
    /** Small terms keep /dev/shm use low; MTU 1408 makes a 4 KiB message span several fragments. */
    private static final String CHANNEL = "aeron:ipc?term-length=64k|mtu=1408";
    private static final long TIMEOUT_NS = 20_000_000_000L;
    private static final int LARGE_MESSAGE_PAYLOAD_LENGTH = 4096;
    private static final String ENGINE_VERSION = "test-engine-0";

    @TempDir
    Path tmp;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private int nextStreamBase = 10_000;

    @BeforeEach
    void launchDriver()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
    }

    @AfterEach
    void closeDriver()
    {
        if (aeron != null)
        {
            aeron.close();
        }
        if (driver != null)
        {
            driver.close();
        }
    }

    @Test
    void recordsEveryStreamByteForByteInOrderAndWritesManifest() throws Exception
    {
        final Streams streams = freshStreams();
        final int[] recorded = {streams.marketData(), streams.quoteIntents(), streams.executions(), streams.quotingInbox()};
        final List<Sent> script = boundedRun(streams, 200, -1);
        final Path runDir = tmp.resolve("run-1");

        final RunManifest manifest = manifest("run-1");
        final JournalRecorder recorder = JournalRecorder.subscribe(aeron, streams, recorded, runDir, manifest);
        final String startManifest = Files.readString(runDir.resolve(RunManifest.FILE_NAME));
        assertTrue(startManifest.contains("\"state\": \"recording\""), startManifest);
        assertTrue(startManifest.contains("\"configSha256\": \"" + manifest.configSha256() + "\""), startManifest);

        playAndFinish(recorder, streams, script);

        final Map<String, List<byte[]>> expected = expectedByStream(streams, script);
        for (int i = 0; i < recorder.streamCount(); i++)
        {
            final String name = recorder.streamName(i);
            final List<byte[]> want = expected.get(name);
            final List<byte[]> got = readAll(runDir, name);
            assertEquals(want.size(), got.size(), name + " count");
            for (int m = 0; m < want.size(); m++)
            {
                assertArrayEquals(want.get(m), got.get(m), name + " message " + m);
            }
            assertEquals(want.size(), recorder.messageCount(i), name + " counter");
            assertEquals(want.stream().mapToLong(b -> b.length).sum(), recorder.byteCount(i), name + " bytes");
        }
        assertEquals(script.size(), recorder.totalMessageCount());

        final String json = Files.readString(runDir.resolve(RunManifest.FILE_NAME));
        assertTrue(json.contains("\"state\": \"closed\""), json);
        assertTrue(json.contains("\"runId\": \"run-1\""), json);
        assertTrue(json.contains("\"instrumentRegistryHash\": \"registry-hash-1\""), json);
        assertTrue(json.contains("\"aeron\": \"1.51.0\""), json);
        assertTrue(json.contains("\"engine\": \"" + ENGINE_VERSION + "\""), json);
        for (int i = 0; i < recorder.streamCount(); i++)
        {
            final String name = recorder.streamName(i);
            assertTrue(json.contains("\"name\": \"" + name + "\""), json);
            assertTrue(json.contains("\"messageCount\": " + expected.get(name).size()), json);
            assertTrue(json.contains("\"messagesSha256\": \"" + JournalReader.sha256(runDir, name) + "\""), json);
            final List<RunManifest.FileChecksum> files = RunManifest.queueFileChecksums(runDir, name);
            assertFalse(files.isEmpty(), name);
            for (final RunManifest.FileChecksum file : files)
            {
                // Reading back (read-only) must not have changed the files since the manifest was written.
                assertTrue(json.contains("\"sha256\": \"" + file.sha256() + "\""), file + "\n" + json);
                assertEquals(file.sha256(), RunManifest.fileSha256(runDir.resolve(file.file())));
            }
        }
        assertEquals(JournalReader.sha256(runDir, "market-data"), canonicalSha256(expected.get("market-data")));
    }

    @Test
    void messageLargerThanOneFragmentIsRecordedWhole()
    {
        final Streams streams = freshStreams();
        final Path runDir = tmp.resolve("run-large");
        final JournalRecorder recorder = JournalRecorder.subscribe(
            aeron, streams, new int[]{streams.quotingInbox()}, runDir, manifest("run-large"))
            .doneRule(DoneRule.never());
        final Publication publication = aeron.addPublication(streams.channel(), streams.quotingInbox());
        final List<byte[]> sent = new ArrayList<>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                // Alternate small and large (three fragments at MTU 1408) messages.
                final byte[] message = TestMessages.inboxRecord(i, i % 2 == 0 ? 16 : LARGE_MESSAGE_PAYLOAD_LENGTH);
                publish(publication, message, recorder);
                sent.add(message);
            }
            driveUntil(recorder, () -> recorder.messageCount(0) == sent.size());
            assertTrue(sent.get(1).length > 1408 * 2, "the large message spans three fragments");
        }
        finally
        {
            publication.close();
            recorder.onClose();
        }
        final List<byte[]> got = readAll(runDir, "inbox-quoting");
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++)
        {
            assertArrayEquals(sent.get(i), got.get(i), "message " + i);
        }
    }

    @Test
    void notDoneUntilFinalStepEndThenOneMoreDrain()
    {
        final Streams streams = freshStreams();
        final Path runDir = tmp.resolve("run-done");
        final JournalRecorder recorder = JournalRecorder.subscribe(aeron, streams,
            new int[]{streams.marketData(), streams.executions()}, runDir, manifest("run-done"));
        final Publication marketData = aeron.addPublication(streams.channel(), streams.marketData());
        final Publication executions = aeron.addPublication(streams.channel(), streams.executions());
        try
        {
            publish(marketData, TestMessages.bookTopN(9, 1, 5), recorder);
            publish(marketData, TestMessages.endOfData(10, 10), recorder);
            publish(executions, TestMessages.stepEnd(9), recorder);
            driveUntil(recorder, () -> recorder.messageCount(0) == 2 && recorder.messageCount(1) == 1);
            for (int i = 0; i < 100; i++)
            {
                recorder.doWork();
            }
            assertFalse(recorder.isDone(), "StepEnd 9 does not finish a run that ends at event 10");

            publish(executions, TestMessages.stepEnd(10), recorder);
            // Arrives after the final StepEnd but before the final drain: must still be recorded.
            publish(marketData, TestMessages.trade(11, 1), recorder);
            recorder.doWork();
            assertEquals(2, recorder.messageCount(1));
            assertFalse(recorder.isDone(), "the drain after the final StepEnd has not happened yet");
            recorder.doWork();
            assertTrue(recorder.isDone());
            assertEquals(3, recorder.messageCount(0));
        }
        finally
        {
            marketData.close();
            executions.close();
            recorder.onClose();
        }
        assertEquals(3, JournalReader.count(runDir, "market-data"));
        assertEquals(2, JournalReader.count(runDir, "executions"));
    }

    @Test
    void sha256IsEqualForIdenticalInputAndDiffersWhenOneByteDiffers()
    {
        final String[] names = {"market-data", "quote-intents", "executions"};
        final Path runA = recordRun("run-a", 60, -1);
        final Path runB = recordRun("run-b", 60, -1);
        final Path runC = recordRun("run-c", 60, 17);
        for (final String name : names)
        {
            assertEquals(JournalReader.sha256(runA, name), JournalReader.sha256(runB, name), name);
        }
        assertNotEquals(JournalReader.sha256(runA, "market-data"), JournalReader.sha256(runC, "market-data"));
        assertEquals(JournalReader.sha256(runA, "executions"), JournalReader.sha256(runC, "executions"));
    }

    @Test
    void recordingPathDoesNotAllocatePerMessageAfterWarmUp()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Streams streams = freshStreams();
        final Path runDir = tmp.resolve("run-alloc");
        final JournalRecorder recorder = JournalRecorder.subscribe(aeron, streams,
            new int[]{streams.marketData(), streams.quotingInbox()}, runDir, manifest("run-alloc"))
            .doneRule(DoneRule.never());
        final Publication marketData = aeron.addPublication(streams.channel(), streams.marketData());
        final Publication inbox = aeron.addPublication(streams.channel(), streams.quotingInbox());
        final UnsafeBuffer book = new UnsafeBuffer(TestMessages.bookTopN(1, 1, 20));
        final UnsafeBuffer large = new UnsafeBuffer(TestMessages.inboxRecord(1, LARGE_MESSAGE_PAYLOAD_LENGTH));
        final long[] allocatedBytesPerRound = new long[20];
        try
        {
            // Until C2 has compiled the path, Chronicle's temporaries are real allocations (escape analysis
            // removes them later), so warm up well past the JIT thresholds.
            pump(recorder, marketData, book, inbox, large, 20_000);
            threads.getCurrentThreadAllocatedBytes();
            long minAllocatedBytes = Long.MAX_VALUE;
            for (int round = 0; round < allocatedBytesPerRound.length && minAllocatedBytes > 0; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                pump(recorder, marketData, book, inbox, large, 2_000);
                allocatedBytesPerRound[round] = threads.getCurrentThreadAllocatedBytes() - before;
                minAllocatedBytes = Math.min(minAllocatedBytes, allocatedBytesPerRound[round]);
            }
            // Per-message allocation would show in every round; Chronicle allocates only when it maps the
            // next block of a queue file, which is rare and not per message.
            assertEquals(0, minAllocatedBytes,
                "bytes allocated per round of 2,020 messages: " + Arrays.toString(allocatedBytesPerRound));
        }
        finally
        {
            marketData.close();
            inbox.close();
            recorder.onClose();
        }
    }

    @Test
    void streamWithNoMessagesReadsBackEmpty() throws Exception
    {
        final Streams streams = freshStreams();
        final Path runDir = tmp.resolve("run-empty");
        final JournalRecorder recorder = JournalRecorder.subscribe(aeron, streams,
            new int[]{streams.control()}, runDir, manifest("run-empty")).doneRule(DoneRule.never());
        for (int i = 0; i < 10; i++)
        {
            recorder.doWork();
        }
        recorder.onClose();
        recorder.onClose();
        assertEquals(0, JournalReader.count(runDir, "control"));
        assertTrue(JournalQueues.queueFiles(runDir.resolve("control")).isEmpty(), "no messages, no cycle file");
        assertEquals(canonicalSha256(List.of()), JournalReader.sha256(runDir, "control"));
        final String json = Files.readString(runDir.resolve(RunManifest.FILE_NAME));
        assertTrue(json.contains("\"messageCount\": 0"), json);
        assertTrue(json.contains("\"files\": []"), json);
    }

    @Test
    void runsOnItsOwnThreadUnderAnAgentRunner()
    {
        // Chronicle appenders and bytes are single-threaded: they must be created and closed on the agent thread.
        final Streams streams = freshStreams();
        final Path runDir = tmp.resolve("run-threaded");
        final JournalRecorder recorder = JournalRecorder.subscribe(aeron, streams,
            new int[]{streams.marketData(), streams.executions()}, runDir, manifest("run-threaded"));
        final java.util.concurrent.atomic.AtomicReference<Throwable> error = new java.util.concurrent.atomic.AtomicReference<>();
        final org.agrona.concurrent.AgentRunner runner = new org.agrona.concurrent.AgentRunner(
            new org.agrona.concurrent.BackoffIdleStrategy(10, 20, 1_000, 100_000), error::set, null, recorder);
        org.agrona.concurrent.AgentRunner.startOnThread(runner);
        final Publication marketData = aeron.addPublication(streams.channel(), streams.marketData());
        final Publication executions = aeron.addPublication(streams.channel(), streams.executions());
        try
        {
            for (int seq = 1; seq <= 100; seq++)
            {
                offerUntilAccepted(marketData, TestMessages.bookTopN(seq, 1, 3));
                offerUntilAccepted(executions, TestMessages.stepEnd(seq));
            }
            offerUntilAccepted(marketData, TestMessages.endOfData(101, 100));
            offerUntilAccepted(executions, TestMessages.stepEnd(101));
            final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
            while (!recorder.isDone())
            {
                assertTrue(System.nanoTime() < deadlineNs, "recorder did not finish");
                Thread.yield();
            }
        }
        finally
        {
            marketData.close();
            executions.close();
            runner.close();
        }
        assertEquals(null, error.get());
        assertEquals(101, JournalReader.count(runDir, "market-data"));
        assertEquals(101, JournalReader.count(runDir, "executions"));
    }

    @Test
    void inProcessRunRecordsThroughTheRingOnTheJournalThreadComplete()
    {
        // a ring of 64 KiB (the least) and 8,000 messages of up to 470 bytes: the publisher must wait for room
        final Streams streams = freshStreams();
        final Path runDir = tmp.resolve("run-ring");
        final int[] recorded = {streams.marketData(), streams.executions()};
        final JournalRecorder recorder = JournalRecorder.subscribe(aeron, streams, recorded, runDir, manifest("run-ring"));
        final mm.common.aeron.LocalBus bus = new mm.common.aeron.LocalBus();
        recorder.connect(bus, 64 * 1024);
        final JournalThread journalThread = JournalThread.start(recorder, new org.agrona.concurrent.YieldingIdleStrategy());
        final mm.common.aeron.Outbox.Sink marketData = bus.publisher(streams.marketData());
        final mm.common.aeron.Outbox.Sink executions = bus.publisher(streams.executions());
        final List<byte[]> books = new ArrayList<>();
        final List<byte[]> steps = new ArrayList<>();
        for (int seq = 1; seq <= 4_000; seq++)
        {
            final byte[] book = TestMessages.bookTopN(seq, 1, 1 + seq % 20);
            final byte[] step = TestMessages.stepEnd(seq);
            books.add(book);
            steps.add(step);
            assertTrue(marketData.offer(new UnsafeBuffer(book), 0, book.length));
            assertTrue(executions.offer(new UnsafeBuffer(step), 0, step.length));
        }
        journalThread.finish();

        assertTrue(recorder.isDone());
        assertRecorded(runDir, "market-data", books);
        assertRecorded(runDir, "executions", steps);
        assertEquals(canonicalSha256(books), JournalReader.sha256(runDir, "market-data"));
        final String json;
        try
        {
            json = Files.readString(runDir.resolve(RunManifest.FILE_NAME));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        assertTrue(json.contains("\"state\": \"closed\""), json);
        assertTrue(json.contains("\"messageCount\": 4000"), json);
        final JournalRecorder oddRing = JournalRecorder.subscribe(aeron, streams, new int[]{streams.marketData()},
            tmp.resolve("run-ring-2"), manifest("run-ring-2"));
        assertThrows(IllegalArgumentException.class, () -> oddRing.connect(new mm.common.aeron.LocalBus(), 100_000),
            "not a power of two");
        oddRing.onClose();
    }

    @Test
    void inProcessRunRecordsThroughTapsOnThePublishersThreadFromHeapAndNativeBuffers()
    {
        // journal.backtestThread=false: the taps append on the publishing thread. A stream with a reader hands the
        // tap the bus's own native copy; one without readers hands over the publisher's buffer, here on the heap.
        final Streams streams = freshStreams();
        final Path runDir = tmp.resolve("run-taps");
        final JournalRecorder recorder = JournalRecorder.subscribe(
            aeron, streams, new int[]{streams.marketData(), streams.executions()}, runDir, manifest("run-taps"));
        final mm.common.aeron.LocalBus bus = new mm.common.aeron.LocalBus();
        recorder.connect(bus);
        recorder.onStart();
        // market data has no reader (heap buffers reach the tap, the big ones grow the staging buffer); executions
        // has one (the bus's native copy reaches the tap)
        final mm.common.aeron.Inbox.Source executionsReader = bus.subscribe(streams.executions());
        final mm.common.aeron.Outbox.Sink marketData = bus.publisher(streams.marketData());
        final mm.common.aeron.Outbox.Sink executions = bus.publisher(streams.executions());
        final List<byte[]> books = new ArrayList<>();
        final List<byte[]> steps = new ArrayList<>();
        for (int seq = 1; seq <= 300; seq++)
        {
            // up to 400 levels a side: past the recorder's 4 KiB staging buffer, which must grow for them
            final byte[] book = TestMessages.bookTopN(seq, 1, 1 + seq % 20 + (seq % 50 == 0 ? 380 : 0));
            final byte[] step = TestMessages.stepEnd(seq);
            books.add(book);
            steps.add(step);
            assertTrue(marketData.offer(new UnsafeBuffer(book), 0, book.length));
            assertTrue(executions.offer(new UnsafeBuffer(step), 0, step.length));
            // the reader keeps up, so the bus never refuses a message
            executionsReader.controlledPoll((buffer, offset, length, header) ->
                io.aeron.logbuffer.ControlledFragmentHandler.Action.CONTINUE, 10);
        }
        assertTrue(books.stream().anyMatch(book -> book.length > 4096), "a message past the staging buffer");
        recorder.onClose();

        assertRecorded(runDir, "market-data", books);
        assertRecorded(runDir, "executions", steps);
        assertEquals(canonicalSha256(steps), JournalReader.sha256(runDir, "executions"));
    }

    @Test
    void refusesToAppendToAnEarlierRunsJournal()
    {
        final Path runDir = recordRun("run-again", 5, -1);
        final Streams streams = freshStreams();
        assertThrows(IllegalStateException.class, () -> JournalRecorder.subscribe(
            aeron, streams, new int[]{streams.marketData()}, runDir, manifest("run-again")));
    }

    @Test
    void readerRejectsMissingStream()
    {
        assertThrows(IllegalArgumentException.class, () -> JournalReader.sha256(tmp, "no-such-stream"));
    }

    @Test
    void doneRuleIgnoresOtherStreamsAndForeignSchemas()
    {
        final DoneRule rule = DoneRule.endOfData(1, 5);
        final UnsafeBuffer endOfData = new UnsafeBuffer(TestMessages.endOfData(10, 10));
        final UnsafeBuffer stepEnd = new UnsafeBuffer(TestMessages.stepEnd(10));
        rule.onMessage(5, endOfData, 0, endOfData.capacity());
        rule.onMessage(1, stepEnd, 0, stepEnd.capacity());
        assertFalse(rule.isSatisfied(), "EndOfData counts only on market data, StepEnd only on executions");
        final byte[] foreign = TestMessages.endOfData(10, 10);
        foreign[4] = 1; // another schema id
        rule.onMessage(1, new UnsafeBuffer(foreign), 0, foreign.length);
        rule.onMessage(5, stepEnd, 0, stepEnd.capacity());
        assertFalse(rule.isSatisfied());
        rule.onMessage(1, endOfData, 0, endOfData.capacity());
        assertTrue(rule.isSatisfied(), "StepEnd may be seen before EndOfData");
    }

    // ---------------------------------------------------------------------------------------------------------

    private record Sent(int streamId, byte[] bytes)
    {
    }

    /**
     * A bounded run's traffic: books and trades on market data, a StepEnd per event on quote intents and
     * executions, a 4 KiB inbox record every 50 events, then EndOfData and the final StepEnds.
     *
     * @param corruptEventSeq the event whose book gets one byte changed, or -1.
     */
    private static List<Sent> boundedRun(final Streams streams, final int eventCount, final long corruptEventSeq)
    {
        final List<Sent> script = new ArrayList<>();
        for (long seq = 1; seq <= eventCount; seq++)
        {
            final byte[] book = TestMessages.bookTopN(seq, 1, 1 + (int)(seq % 20));
            if (seq == corruptEventSeq)
            {
                book[book.length - 1] ^= 1;
            }
            script.add(new Sent(streams.marketData(), book));
            if (seq % 5 == 0)
            {
                script.add(new Sent(streams.marketData(), TestMessages.trade(seq, 1)));
            }
            script.add(new Sent(streams.quoteIntents(), TestMessages.stepEnd(seq)));
            script.add(new Sent(streams.executions(), TestMessages.stepEnd(seq)));
            if (seq % 50 == 0)
            {
                script.add(new Sent(streams.quotingInbox(), TestMessages.inboxRecord(seq, LARGE_MESSAGE_PAYLOAD_LENGTH)));
            }
        }
        final long endSeq = eventCount + 1;
        script.add(new Sent(streams.marketData(), TestMessages.endOfData(endSeq, eventCount)));
        script.add(new Sent(streams.quoteIntents(), TestMessages.stepEnd(endSeq)));
        script.add(new Sent(streams.executions(), TestMessages.stepEnd(endSeq)));
        return script;
    }

    private Path recordRun(final String runId, final int eventCount, final long corruptEventSeq)
    {
        final Streams streams = freshStreams();
        final int[] recorded = {streams.marketData(), streams.quoteIntents(), streams.executions()};
        final Path runDir = tmp.resolve(runId);
        final JournalRecorder recorder =
            JournalRecorder.subscribe(aeron, streams, recorded, runDir, manifest(runId));
        final List<Sent> script = new ArrayList<>();
        for (final Sent sent : boundedRun(streams, eventCount, corruptEventSeq))
        {
            if (sent.streamId() != streams.quotingInbox())
            {
                script.add(sent);
            }
        }
        playAndFinish(recorder, streams, script);
        return runDir;
    }

    /** Publishes the script (driving the recorder whenever a publication pushes back), then drives it to done. */
    private static void assertRecorded(final Path runDir, final String stream, final List<byte[]> sent)
    {
        final List<byte[]> got = readAll(runDir, stream);
        assertEquals(sent.size(), got.size(), stream);
        for (int i = 0; i < sent.size(); i++)
        {
            assertArrayEquals(sent.get(i), got.get(i), stream + " " + i);
        }
    }

    private void playAndFinish(final JournalRecorder recorder, final Streams streams, final List<Sent> script)
    {
        final Map<Integer, Publication> publications = new HashMap<>();
        try
        {
            for (final Sent sent : script)
            {
                final Publication publication = publications.computeIfAbsent(
                    sent.streamId(), id -> aeron.addPublication(streams.channel(), id));
                publish(publication, sent.bytes(), recorder);
            }
            driveUntil(recorder, recorder::isDone);
        }
        finally
        {
            publications.values().forEach(Publication::close);
            recorder.onClose();
        }
    }

    private static void publish(final Publication publication, final byte[] message, final JournalRecorder recorder)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (true)
        {
            final long result = publication.offer(buffer, 0, message.length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                fail("publication failed: " + Publication.errorString(result));
            }
            // Back-pressure or not yet connected: the recorder is the (hand-driven) consumer.
            recorder.doWork();
            if (System.nanoTime() > deadlineNs)
            {
                fail("publish timed out: " + Publication.errorString(result));
            }
        }
    }

    /** For a recorder running on its own thread: retries until the publication takes the message. */
    private static void offerUntilAccepted(final Publication publication, final byte[] message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (publication.offer(buffer, 0, message.length) < 0)
        {
            assertTrue(System.nanoTime() < deadlineNs, "offer timed out");
            Thread.yield();
        }
    }

    /** Publishes {@code bookCount} books and one large message per 100 books without allocating. */
    private static void pump(
        final JournalRecorder recorder,
        final Publication marketData,
        final UnsafeBuffer book,
        final Publication inbox,
        final UnsafeBuffer large,
        final int bookCount)
    {
        for (int i = 0; i < bookCount; i++)
        {
            while (marketData.offer(book, 0, book.capacity()) < 0)
            {
                recorder.doWork();
            }
            if (i % 100 == 0)
            {
                while (inbox.offer(large, 0, large.capacity()) < 0)
                {
                    recorder.doWork();
                }
            }
            recorder.doWork();
        }
        while (recorder.doWork() > 0)
        {
            Thread.onSpinWait();
        }
    }

    private static void driveUntil(final JournalRecorder recorder, final java.util.function.BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (recorder.doWork() == 0)
            {
                Thread.onSpinWait();
            }
            if (System.nanoTime() > deadlineNs)
            {
                fail("recorder did not get there in time; recorded " + recorder.totalMessageCount());
            }
        }
    }

    private static Map<String, List<byte[]>> expectedByStream(final Streams streams, final List<Sent> script)
    {
        final Map<String, List<byte[]>> expected = new HashMap<>();
        for (final Sent sent : script)
        {
            expected.computeIfAbsent(streams.nameOf(sent.streamId()), k -> new ArrayList<>()).add(sent.bytes());
        }
        return expected;
    }

    private static List<byte[]> readAll(final Path runDir, final String streamName)
    {
        final List<byte[]> messages = new ArrayList<>();
        JournalReader.forEach(runDir, streamName, (buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            messages.add(bytes);
        });
        return messages;
    }

    private static String canonicalSha256(final List<byte[]> messages)
    {
        final java.security.MessageDigest digest = RunManifest.newSha256();
        for (final byte[] message : messages)
        {
            final int length = message.length;
            digest.update(new byte[]{(byte)length, (byte)(length >>> 8), (byte)(length >>> 16), (byte)(length >>> 24)});
            digest.update(message);
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    /** Each run gets its own stream ids so runs in one driver never see each other's lingering publications. */
    private Streams freshStreams()
    {
        final int base = nextStreamBase;
        nextStreamBase += 100;
        final Map<String, String> values = new HashMap<>();
        values.put("aeron.channel", CHANNEL);
        final String[] keys = {"marketData", "quoteIntents", "orderCommands", "orderActions", "executions", "control",
            "quotingInbox", "riskInbox", "gatewayInbox"};
        for (int i = 0; i < keys.length; i++)
        {
            values.put("stream." + keys[i], String.valueOf(base + i + 1));
        }
        return Streams.fromConfig(new Config(values, "test"));
    }

    private static RunManifest manifest(final String runId)
    {
        return new RunManifest(runId, 1_780_000_000_000L, "a=1\nb=2\n", "registry-hash-1", ENGINE_VERSION);
    }

}
