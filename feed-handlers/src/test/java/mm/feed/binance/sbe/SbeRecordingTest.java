package mm.feed.binance.sbe;

import mm.feed.binance.InspectBook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SBE recording converter and format, checked end to end through {@code inspect book}. */
class SbeRecordingTest
{
    @TempDir
    Path dir;

    private static List<String> inspectBook(final int expectedExit, final List<Path> files)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = InspectBook.run(files, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedExit, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void spotPairConvertedToSbeInspectsExactlyLikeTheJson()
    {
        final List<SbeRecording.Entry> entries = SbeTestData.spotPairSbe();
        final Path sbe = dir.resolve("spot-pair.sbe"); // plain: gzip is covered elsewhere and costs seconds here
        SbeRecording.write(entries, sbe);

        final List<String> json = inspectBook(0, SbeTestData.spotPairFiles());
        final List<String> converted = inspectBook(0, List.of(sbe));
        assertEquals(json.size(), converted.size());
        for (int i = 0; i < json.size(); i++)
        {
            assertEquals(json.get(i), converted.get(i), "line " + (i + 1));
        }

        assertEquals(6_493 + 1, converted.size());
        assertEquals("{\"u\":50093696318,\"bestBid\":\"61602.01000000\",\"bestBidQty\":\"1.67177000\"," +
            "\"bestAsk\":\"61602.02000000\",\"bestAskQty\":\"2.66795000\"}", converted.get(converted.size() - 2));
        final Map<String, Object> summary = MiniJson.parseObject(converted.getLast());
        assertEquals("BTCUSDT", summary.get("symbol"));
        assertEquals(0, MiniJson.longValue(summary.get("gaps")));
        assertEquals(1072, MiniJson.longValue(summary.get("bookTickerChecks")));
        assertEquals(0, MiniJson.longValue(summary.get("bookTickerMismatches")));
        assertEquals(0, MiniJson.longValue(summary.get("malformed")));
        assertEquals(0, MiniJson.longValue(summary.get("rejectedValues")));
    }

    @Test
    void everyLineIsAFrameExceptTheRestSnapshotsAndTheFileReadsBack()
    {
        final List<SbeRecording.Entry> entries = SbeTestData.spotPairSbe();
        final long json = entries.stream().filter(e -> !e.sbe()).count();
        assertTrue(json >= 1 && json <= 2, "JSON lines kept: " + json);
        for (final SbeRecording.Entry entry : entries)
        {
            if (!entry.sbe())
            {
                assertTrue(entry.payloadText().startsWith("{\"lastUpdateId\":"), entry.payloadText());
            }
        }

        final Path plain = dir.resolve("spot-pair.sbe");
        SbeRecording.write(entries, plain);
        final List<SbeRecording.Entry> read = SbeRecording.read(List.of(plain));
        assertEquals(entries.size(), read.size());
        for (int i = 0; i < entries.size(); i++)
        {
            assertEquals(entries.get(i).receiveTimeNs(), read.get(i).receiveTimeNs());
            assertEquals(entries.get(i).sbe(), read.get(i).sbe());
            assertArrayEquals(entries.get(i).bytes(), read.get(i).bytes());
        }
    }

    @Test
    void streamingConversionWritesTheSameFileAsWritingTheEntries() throws Exception
    {
        final Path viaEntries = dir.resolve("a.sbe");
        final Path streamed = dir.resolve("b.sbe");
        final List<Path> input = List.of(SbeTestData.excerpt());
        SbeRecording.write(SbeRecording.encode(input), viaEntries);
        final SbeRecording.Summary summary = SbeRecording.convert(input, streamed,
            SbeRecording.DEFAULT_PRICE_EXPONENT, SbeRecording.DEFAULT_QTY_EXPONENT);
        assertArrayEquals(Files.readAllBytes(viaEntries), Files.readAllBytes(streamed));
        assertEquals(summary.lines(), summary.frames() + summary.keptJson());
        assertEquals(1, summary.snapshots());
        assertTrue(summary.trades() > 0 && summary.bestBidAsks() > 0 && summary.depthDiffs() > 0, summary.toString());
    }

    @Test
    void finerExponentsThanTheBookAreRescaledExactly()
    {
        // -10 carries two more decimals than the book's -8: every mantissa is divided by 100 exactly on the way in.
        final Path fine = dir.resolve("fine.sbe.gz");
        SbeRecording.convert(List.of(SbeTestData.excerpt()), fine, -10, -10);
        final List<String> json = inspectBook(0, List.of(SbeTestData.excerpt()));
        final List<String> converted = inspectBook(0, List.of(fine));
        assertEquals(json, converted);
    }

    @Test
    void conversionRefusesToRoundAndNamesTheLine()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SbeRecording.convert(
            List.of(SbeTestData.excerpt()), dir.resolve("coarse.sbe"), -1, -8));
        assertTrue(ex.getMessage().contains("line 1:") && ex.getMessage().contains("not exact at exponent -1"),
            ex.getMessage());
    }

    @Test
    void converterCommandPrintsItsSummary() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Path output = dir.resolve("cmd.sbe.gz");
        final int exit = SbeRecording.run(
            List.of(output.toString(), SbeTestData.excerpt().toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
        final Map<String, Object> summary = MiniJson.parseObject(out.toString(StandardCharsets.UTF_8).strip());
        assertEquals(-8, MiniJson.longValue(summary.get("priceExponent")));
        assertTrue(Files.size(output) > 0);
        assertEquals(2, SbeRecording.run(List.of(), new PrintStream(new ByteArrayOutputStream())));
        assertFalse(SbeRecording.isHex(new org.agrona.concurrent.UnsafeBuffer("{\"a\":1}".getBytes()), 0, 7));
    }
}
