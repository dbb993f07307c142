package mm.feed.binance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingReaderTest
{
    @Test
    void normalisesMicrosecondTimestampsOf2023Files()
    {
        try (RecordingReader reader = new RecordingReader(TestData.hftbacktest("usdm/btcusdt_20230404.dat.gz")))
        {
            assertTrue(reader.next());
            assertEquals(1, reader.lineNumber());
            assertEquals(1680652700423575000L, reader.receiveTimeNs());
            final String json = reader.buffer().getStringWithoutLengthAscii(reader.jsonOffset(), reader.jsonLength());
            assertTrue(json.startsWith("{\"stream\":\"btcusdt@bookTicker\""), json);
            assertTrue(json.endsWith("}}"), json);
        }
    }

    @Test
    void readsFilesInOrderWithPerFileLineNumbersAndNanosecondTimes()
    {
        final Path first = TestData.hftbacktest("spot/btcusdt_20240808.gz");
        final Path second = TestData.hftbacktest("spot/btcusdt_20240809.gz");
        long lines = 0;
        long previousNs = 0;
        long firstFileLines = 0;
        long backwards = 0;
        try (RecordingReader reader = new RecordingReader(first, second))
        {
            while (reader.next())
            {
                lines++;
                if (reader.currentFile().equals(first.toString()))
                {
                    firstFileLines = reader.lineNumber();
                }
                if (reader.receiveTimeNs() < previousNs)
                {
                    backwards++;
                }
                previousNs = reader.receiveTimeNs();
                if (reader.currentFile().equals(first.toString()) && reader.lineNumber() == 8)
                {
                    assertTrue(reader.buffer().getStringWithoutLengthAscii(reader.jsonOffset(), 15)
                        .startsWith("{\"lastUpdateId\""));
                }
            }
            assertEquals(0, reader.skippedLines());
            assertEquals(lines, reader.linesRead());
        }
        // Line counts of the two files as shipped (wc -l): 41,249 and 58,325.
        assertEquals(41_249, firstFileLines);
        assertEquals(41_249 + 58_325, lines);
        assertEquals(0, backwards);
        assertTrue(previousNs > 1_723_161_000_000_000_000L);
    }

    @Test
    void readsPlainTextSkipsBadLinesAndHandlesLongLines(@TempDir final Path dir) throws IOException
    {
        final String longJson = "{\"x\":\"" + "a".repeat(200_000) + "\"}";
        final String text = "1680652700423575 {\"a\":1}\r\n" +
            "\n" +
            "not-a-timestamp {\"b\":2}\n" +
            "1723161254087891268 " + longJson + "\n" +
            "1633998516 {\"c\":3}";
        final Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, text, StandardCharsets.US_ASCII);
        final Path gzip = dir.resolve("same.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip)))
        {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        for (final Path file : new Path[] { plain, gzip })
        {
            try (RecordingReader reader = new RecordingReader(file))
            {
                assertTrue(reader.next());
                assertEquals(1680652700423575000L, reader.receiveTimeNs());
                assertEquals("{\"a\":1}", reader.buffer().getStringWithoutLengthAscii(reader.jsonOffset(), reader.jsonLength()));
                assertTrue(reader.next());
                assertEquals(4, reader.lineNumber());
                assertEquals(1723161254087891268L, reader.receiveTimeNs());
                assertEquals(longJson, reader.buffer().getStringWithoutLengthAscii(reader.jsonOffset(), reader.jsonLength()));
                assertTrue(reader.next());
                assertEquals(1633998516000000000L, reader.receiveTimeNs());
                assertFalse(reader.next());
                assertEquals(1, reader.skippedLines());
            }
        }
    }

    @Test
    void aTruncatedGzipFileEndsCleanly(@TempDir final Path dir) throws IOException
    {
        final byte[] whole = Files.readAllBytes(TestData.hftbacktest("spot/btcusdt_20230405.dat.gz"));
        final Path cut = dir.resolve("cut.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        final BookSync sync = new BookSync(new CapturingListener(false), -8, -8);
        long lines = 0;
        try (RecordingReader reader = new RecordingReader(cut))
        {
            while (reader.next())
            {
                lines++;
                sync.onLine(reader.buffer(), reader.jsonOffset(), reader.jsonLength(), reader.receiveTimeNs());
            }
            assertEquals(1, reader.truncatedFiles());
        }
        assertTrue(lines > 1000);
        // At most the last, cut line is malformed.
        assertTrue(sync.malformed() <= 1, HftbacktestReplayTest.describe(sync));
    }

    @Test
    void findsTheFirstNewlineAtEveryPositionAndEveryStartAndLimit()
    {
        final java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 2_000; round++)
        {
            final byte[] bytes = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++)
            {
                // bytes next to '\n' (0x0a) in value, and high bytes, test the word trick's borrows
                final int pick = random.nextInt(8);
                bytes[i] = (byte)(pick == 0 ? '\n' : pick == 1 ? 0x0b : pick == 2 ? 0x09 : pick == 3 ? 0x8a :
                    pick == 4 ? 0 : 'a' + random.nextInt(26));
            }
            final int from = random.nextInt(bytes.length + 1);
            final int limit = from + random.nextInt(bytes.length - from + 1);
            int expected = from;
            while (expected < limit && bytes[expected] != '\n')
            {
                expected++;
            }
            assertEquals(expected, RecordingReader.indexOfNewline(bytes, from, limit),
                java.util.Arrays.toString(bytes) + " from " + from + " limit " + limit);
        }
    }
}
