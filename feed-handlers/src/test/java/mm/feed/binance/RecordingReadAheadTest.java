package mm.feed.binance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read-ahead reader returns exactly what the synchronous one does (lines, times, line numbers, files, counts,
 * exceptions), read side by side line by line, and its thread ends when the reader is closed or exhausted.
 */
class RecordingReadAheadTest
{
    private static final long JOIN_TIMEOUT_MS = 10_000;

    @Test
    void everySharedRecordingInARowReadsTheSame()
    {
        final List<Path> files = new ArrayList<>();
        for (final String name : new String[] {
            "spot/btcusdt_20230405.dat.gz", "spot/btcusdt_20240808.gz", "spot/btcusdt_20240809.gz",
            "usdm/btcusdt_20230404.dat.gz", "usdm/btcusdt_20230405.dat.gz", "usdm/btcusdt_20240718.gz",
            "usdm/btcusdt_20240719.gz", "usdm/btcusdt_20240808.gz", "usdm/ethusdt_20240718.gz",
            "usdm/ethusdt_20240719.gz", "cm/btcusd_perp_20240808.gz", "cm/btcusd_perp_20240809.gz"})
        {
            files.add(TestData.hftbacktest(name));
        }
        final Outcome outcome = readSideBySide(files, RecordingReader.READ_AHEAD_CHUNK_BYTES, RecordingReader.READ_AHEAD_CHUNKS);
        assertTrue(outcome.lines > 500_000, "lines " + outcome.lines);
        assertEquals(0, outcome.exceptions.size());
    }

    @Test
    void tinyChunksPutBoundariesInsideEveryLine()
    {
        final List<Path> files = List.of(
            TestData.hftbacktest("spot/btcusdt_20230405.dat.gz"), TestData.hftbacktest("usdm/btcusdt_20230404.dat.gz"));
        final Outcome outcome = readSideBySide(files, 97, 3);
        assertTrue(outcome.lines > 10_000, "lines " + outcome.lines);
    }

    @Test
    void plainAndGzipTextWithCrLfBadEmptyAndLongLines(@TempDir final Path dir) throws IOException
    {
        // longer than a read-ahead chunk, so that the line is assembled from several
        final String longJson = "{\"x\":\"" + "a".repeat(RecordingReader.READ_AHEAD_CHUNK_BYTES * 2 + 12_345) + "\"}";
        final String text = "1680652700423575 {\"a\":1}\r\n" +
            "\n" +
            "\r\n" +
            "not-a-timestamp {\"b\":2}\n" +
            "1723161254087891268 " + longJson + "\r\n" +
            "1723161254087891269\n" +
            "1723161254087891270   {\"d\":4}\n" +
            "1633998516 {\"c\":3}";
        final Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, text, StandardCharsets.US_ASCII);
        final Path gzip = gzip(dir.resolve("same.gz"), text);
        final Path empty = Files.createFile(dir.resolve("empty.txt"));
        final Path emptyGzip = gzip(dir.resolve("empty.gz"), "");
        final Outcome outcome = readSideBySide(
            List.of(empty, plain, emptyGzip, gzip, empty), RecordingReader.READ_AHEAD_CHUNK_BYTES, RecordingReader.READ_AHEAD_CHUNKS);
        assertEquals(8, outcome.lines);
        assertEquals(4, outcome.skippedLines);
        assertEquals(0, outcome.truncatedFiles);

        try (RecordingReader reader = RecordingReader.readAhead(List.of(plain)))
        {
            assertTrue(reader.next());
            assertEquals("{\"a\":1}", json(reader));
            assertTrue(reader.next());
            assertEquals(5, reader.lineNumber());
            assertEquals(longJson, json(reader));
            assertTrue(reader.next());
            assertEquals("{\"d\":4}", json(reader));
            assertTrue(reader.next());
            assertEquals(8, reader.lineNumber());
            assertEquals(1633998516000000000L, reader.receiveTimeNs());
            assertFalse(reader.next());
            assertFalse(reader.next());
            assertEquals(2, reader.skippedLines());
        }
    }

    @Test
    void crLfLinesSplitAtEveryChunkBoundary(@TempDir final Path dir) throws IOException
    {
        // with chunks of 1 to 16 bytes every '\r', '\n' and line start lands on a chunk's last and first byte
        final String text = "1680652700423575 {\"a\":1}\r\n\r\n1680652700423576 {\"bb\":22}\r\n" +
            "1680652700423577 {}\r\r\n1680652700423578 {\"c\":3}";
        final Path file = dir.resolve("crlf.txt");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        for (int chunkBytes = 1; chunkBytes <= 16; chunkBytes++)
        {
            final Outcome outcome = readSideBySide(List.of(file), chunkBytes, 2);
            assertEquals(4, outcome.lines, "chunks of " + chunkBytes);
            try (RecordingReader reader = RecordingReader.readAhead(List.of(file), chunkBytes, 2))
            {
                final String sizes = "chunks of " + chunkBytes;
                assertTrue(reader.next(), sizes);
                assertEquals("{\"a\":1}", json(reader), sizes);
                assertTrue(reader.next(), sizes);
                assertEquals("{\"bb\":22}", json(reader), sizes);
                assertTrue(reader.next(), sizes);
                assertEquals("{}\r", json(reader), sizes + ": only the last '\\r' is the line end's");
                assertTrue(reader.next(), sizes);
                assertEquals("{\"c\":3}", json(reader), sizes);
                assertFalse(reader.next(), sizes);
            }
        }
    }

    @Test
    void aTruncatedGzipFileEndsAtWhatWasReadableAndTheNextFileFollows(@TempDir final Path dir) throws IOException
    {
        final byte[] whole = Files.readAllBytes(TestData.hftbacktest("spot/btcusdt_20240808.gz"));
        final Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        final Path cutInHeader = dir.resolve("cut-in-header.gz");
        Files.write(cutInHeader, Arrays.copyOf(whole, 5));
        final Outcome outcome = readSideBySide(
            List.of(cut, TestData.hftbacktest("spot/btcusdt_20230405.dat.gz"), cut, cutInHeader, cut),
            RecordingReader.READ_AHEAD_CHUNK_BYTES, RecordingReader.READ_AHEAD_CHUNKS);
        assertEquals(3, outcome.truncatedFiles);
        // a header cut short cannot be opened: an I/O error, as with the synchronous reader
        assertEquals(List.of("java.io.UncheckedIOException: reading " + cutInHeader + " <- java.io.EOFException"), outcome.exceptions);
        assertTrue(outcome.lines > 20_000, "lines " + outcome.lines);
    }

    @Test
    void aMissingFileThrowsTheSameAndTheNextFileFollows(@TempDir final Path dir) throws IOException
    {
        final Path missing = dir.resolve("missing.gz");
        final Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "1680652700423575 {\"a\":1}\n1680652700423576 {\"a\":2}\n", StandardCharsets.US_ASCII);
        final Outcome outcome = readSideBySide(
            List.of(plain, missing, plain), RecordingReader.READ_AHEAD_CHUNK_BYTES, RecordingReader.READ_AHEAD_CHUNKS);
        assertEquals(
            List.of("java.io.UncheckedIOException: reading " + missing + " <- java.nio.file.NoSuchFileException"),
            outcome.exceptions);
        assertEquals(4, outcome.lines);

        final Outcome alone = readSideBySide(List.of(missing), 1024, 2);
        assertEquals(1, alone.exceptions.size());
        assertEquals(0, alone.lines);
    }

    @Test
    void closingMidFileEndsTheThreadEvenWhileItWaitsForAnEmptyChunk() throws InterruptedException
    {
        final RecordingReader reader = RecordingReader.readAhead(List.of(
            TestData.hftbacktest("usdm/btcusdt_20240808.gz"), TestData.hftbacktest("usdm/btcusdt_20240719.gz")));
        assertNull(reader.readAheadThread(), "starts on the first read");
        for (int i = 0; i < 1_000; i++)
        {
            assertTrue(reader.next());
        }
        final Thread thread = reader.readAheadThread();
        assertNotNull(thread);
        assertEquals(RecordingReader.READ_AHEAD_THREAD_NAME, thread.getName());
        assertTrue(thread.isDaemon());
        // every chunk filled: the thread parks, waiting for the reader to return one
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT_MS);
        while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, thread.getState());
        reader.close();
        thread.join(JOIN_TIMEOUT_MS);
        assertFalse(thread.isAlive(), "the read-ahead thread ended on close");
        assertFalse(reader.next(), "a closed reader has no more lines");
    }

    @Test
    void theThreadEndsAfterTheLastFileAndIsNeverStartedForAnUnreadReader() throws InterruptedException
    {
        final RecordingReader unread = RecordingReader.readAhead(List.of(TestData.hftbacktest("spot/btcusdt_20230405.dat.gz")));
        unread.close();
        assertNull(unread.readAheadThread());
        assertFalse(unread.next());
        assertNull(unread.readAheadThread(), "a closed reader starts no thread");

        try (RecordingReader reader = RecordingReader.readAhead(List.of(TestData.hftbacktest("spot/btcusdt_20230405.dat.gz"))))
        {
            while (reader.next())
            {
                assertTrue(reader.jsonLength() > 0);
            }
            final Thread thread = reader.readAheadThread();
            thread.join(JOIN_TIMEOUT_MS);
            assertFalse(thread.isAlive(), "the thread ends after handing over the end of the recording");
            assertFalse(reader.next());
        }
    }

    /** What a side-by-side read saw; every line and every exception already compared. */
    private record Outcome(long lines, long skippedLines, long truncatedFiles, List<String> exceptions)
    {
    }

    /**
     * Reads the files with a synchronous and a read-ahead reader in lock step, asserting that each call returns or
     * throws the same and leaves the same line, time, line number, file and counts; goes on after an exception as
     * a caller that skips the file would.
     */
    private static Outcome readSideBySide(final List<Path> files, final int chunkBytes, final int chunks)
    {
        final List<String> exceptions = new ArrayList<>();
        long lines = 0;
        try (RecordingReader expected = new RecordingReader(files);
            RecordingReader actual = RecordingReader.readAhead(files, chunkBytes, chunks))
        {
            assertFalse(expected.isReadAhead());
            assertTrue(actual.isReadAhead());
            while (true)
            {
                final Object expectedResult = nextOrException(expected);
                final Object actualResult = nextOrException(actual);
                final String where = "after line " + expected.lineNumber() + " of " + expected.currentFile();
                assertEquals(expectedResult, actualResult, where);
                assertEquals(expected.currentFile(), actual.currentFile(), where);
                assertEquals(expected.lineNumber(), actual.lineNumber(), where);
                assertEquals(expected.linesRead(), actual.linesRead(), where);
                assertEquals(expected.skippedLines(), actual.skippedLines(), where);
                assertEquals(expected.truncatedFiles(), actual.truncatedFiles(), where);
                if (expectedResult instanceof String exception)
                {
                    exceptions.add(exception);
                    continue;
                }
                if (!(Boolean)expectedResult)
                {
                    break;
                }
                lines++;
                assertEquals(expected.receiveTimeNs(), actual.receiveTimeNs(), where);
                assertArrayEquals(jsonBytes(expected), jsonBytes(actual), where);
            }
            assertEquals(lines, actual.linesRead());
            assertEquals(-1, expected.readAheadCpuNs());
            assertTrue(actual.readAheadCpuNs() > 0, "the read-ahead thread's CPU time is known once the end is read");
            return new Outcome(lines, actual.skippedLines(), actual.truncatedFiles(), exceptions);
        }
    }

    /** True/false, or the exception's type, message and cause type. */
    private static Object nextOrException(final RecordingReader reader)
    {
        try
        {
            return reader.next();
        }
        catch (final RuntimeException ex)
        {
            return ex.getClass().getName() + ": " + ex.getMessage() +
                (ex.getCause() == null ? "" : " <- " + ex.getCause().getClass().getName());
        }
    }

    private static byte[] jsonBytes(final RecordingReader reader)
    {
        final byte[] bytes = new byte[reader.jsonLength()];
        reader.buffer().getBytes(reader.jsonOffset(), bytes);
        return bytes;
    }

    private static String json(final RecordingReader reader)
    {
        return reader.buffer().getStringWithoutLengthAscii(reader.jsonOffset(), reader.jsonLength());
    }

    private static Path gzip(final Path file, final String text) throws IOException
    {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }
}
