package mm.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link JournalReader} reads Chronicle's files itself: every message must be the one Chronicle's own tailer
 * returns, in the same order, across daily roll cycles and lengths of every alignment, whatever part of a file is
 * mapped at a time.
 */
class JournalReaderTest
{
    @TempDir
    Path tmp;

    @Test
    void readsWhatChroniclesTailerReadsAcrossRollCyclesAndWindows()
    {
        final Path queueDir = tmp.resolve("run").resolve("stream");
        final SetTimeProvider clock = new SetTimeProvider("2026-11-20T22:00:00");
        final List<byte[]> written = new ArrayList<>();
        final Random random = new Random(7);
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(queueDir)
            .rollCycle(JournalQueues.ROLL_CYCLE).blockSize(JournalQueues.BLOCK_SIZE_BYTES).timeProvider(clock).build();
            ExcerptAppender appender = queue.createAppender())
        {
            for (int i = 0; i < 30_000; i++)
            {
                // lengths of every remainder mod 4, now and then a large one; a message every 10 s
                final int length = i % 1_000 == 0 ? 70_000 + random.nextInt(5_000) : 1 + random.nextInt(200);
                final byte[] message = new byte[length];
                random.nextBytes(message);
                written.add(message);
                appender.writeBytes(Bytes.wrapForRead(message));
                clock.advanceMillis(10_000);
            }
        }
        assertEquals(5, JournalQueues.queueFiles(queueDir).size(), "3.5 days from 22:00 UTC: five daily files");

        final List<byte[]> tailed = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(queueDir)
            .rollCycle(JournalQueues.ROLL_CYCLE).blockSize(JournalQueues.BLOCK_SIZE_BYTES).readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = document.wire().bytes();
                    final byte[] message = new byte[(int)bytes.readRemaining()];
                    bytes.read(message);
                    tailed.add(message);
                }
            }
        }
        assertEquals(written.size(), tailed.size());

        for (final long windowBytes : new long[] {64 * 1024, 1024 * 1024, 256L * 1024 * 1024})
        {
            try (JournalReader reader = JournalReader.open(tmp.resolve("run"), "stream", windowBytes))
            {
                for (int i = 0; i < tailed.size(); i++)
                {
                    assertEquals(true, reader.next(), "message " + i);
                    assertEquals(i, reader.messageIndex());
                    final byte[] read = new byte[reader.length()];
                    reader.buffer().getBytes(0, read);
                    assertArrayEquals(tailed.get(i), read, "message " + i + " with " + windowBytes + "-byte windows");
                    assertArrayEquals(written.get(i), read);
                }
                assertFalse(reader.next());
                assertFalse(reader.next(), "stays at the end");
            }
        }
        assertEquals(written.size(), JournalReader.count(tmp.resolve("run"), "stream"));
    }

    @Test
    void aReaderAtTheEndSeesWhatIsAppendedLaterEvenPastTheFileSizeItOpenedWith()
    {
        final Path runDir = tmp.resolve("run");
        final List<byte[]> written = new ArrayList<>();
        try (SingleChronicleQueue queue = JournalQueues.openForWriting(runDir.resolve("live"));
            ExcerptAppender appender = queue.createAppender();
            JournalReader reader = JournalReader.open(runDir, "live"))
        {
            append(appender, written, 10, 100);
            for (int i = 0; i < 10; i++)
            {
                assertEquals(true, reader.next());
            }
            assertFalse(reader.next(), "at the end for now");
            // 48 MiB more: Chronicle grows the file beyond the size it had when the reader opened it
            append(appender, written, 48, 1024 * 1024);
            for (int i = 10; i < written.size(); i++)
            {
                assertEquals(true, reader.next(), "message " + i);
                final byte[] read = new byte[reader.length()];
                reader.buffer().getBytes(0, read);
                assertArrayEquals(written.get(i), read, "message " + i);
            }
            assertFalse(reader.next());
        }
    }

    private static void append(final ExcerptAppender appender, final List<byte[]> written, final int count, final int length)
    {
        final Random random = new Random(count);
        for (int i = 0; i < count; i++)
        {
            final byte[] message = new byte[length + i % 4];
            random.nextBytes(message);
            written.add(message);
            appender.writeBytes(Bytes.wrapForRead(message));
        }
    }

    @Test
    void emptyQueueReadsNothingAndMissingQueueIsRefused()
    {
        final Path queueDir = tmp.resolve("run").resolve("empty");
        try (SingleChronicleQueue queue = JournalQueues.openForWriting(queueDir);
            ExcerptAppender appender = queue.createAppender())
        {
            appender.toString(); // created, nothing written
        }
        try (JournalReader reader = JournalReader.open(tmp.resolve("run"), "empty"))
        {
            assertFalse(reader.next());
        }
        assertThrows(IllegalArgumentException.class, () -> JournalReader.open(tmp.resolve("run"), "missing"));
    }
}
