package mm.feed.binance;

import mm.common.json.JsonTree;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static mm.common.json.JsonTree.array;
import static mm.common.json.JsonTree.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InspectBookTest
{
    private static List<String> run(final int expectedExit, final Path... files)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = InspectBook.run(List.of(files), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedExit, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static Map<String, Object> json(final String line)
    {
        return object(JsonTree.parse(line.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void spotPairPrintsOneLinePerAppliedDiffAndTheReadmeTopOfBook()
    {
        final List<String> lines = run(0, TestData.hftbacktest("spot/btcusdt_20240808.gz"),
            TestData.hftbacktest("spot/btcusdt_20240809.gz"));
        assertEquals(6_493 + 1, lines.size());
        assertEquals("{\"u\":50093696318,\"bestBid\":\"61602.01000000\",\"bestBidQty\":\"1.67177000\"," +
            "\"bestAsk\":\"61602.02000000\",\"bestAskQty\":\"2.66795000\"}", lines.get(lines.size() - 2));

        final Map<String, Object> summary = json(lines.getLast());
        assertEquals("BTCUSDT", summary.get("symbol"));
        assertEquals("50093696318", summary.get("lastUpdateId").toString());
        assertEquals("6493", summary.get("diffsApplied").toString());
        assertEquals("0", summary.get("gaps").toString());
        assertEquals("1072", summary.get("bookTickerChecks").toString());
        assertEquals("0", summary.get("bookTickerMismatches").toString());
        assertEquals("61602.01000000", object(summary.get("bestBid")).get("price"));
        assertEquals("1.67177000", object(summary.get("bestBid")).get("qty"));
        assertEquals("61602.02000000", object(summary.get("bestAsk")).get("price"));
        assertEquals("2.66795000", object(summary.get("bestAsk")).get("qty"));
    }

    @Test
    void excerptLinesEqualTheExpectedCheckpoints() throws Exception
    {
        final String name = "binance_json_btcusdt_20240808_excerpt";
        final List<String> lines = run(0, TestData.sample(name + ".jsonl.gz"));
        final Map<String, Object> expected =
            object(JsonTree.parse(Files.readAllBytes(TestData.sample(name + ".expected.json"))));
        final List<Object> checkpoints = array(expected.get("checkpoints"));
        assertEquals(checkpoints.size() + 1, lines.size());
        for (int i = 0; i < checkpoints.size(); i++)
        {
            final Map<String, Object> checkpoint = object(checkpoints.get(i));
            final Map<String, Object> line = json(lines.get(i));
            assertEquals(checkpoint.get("u"), line.get("u"));
            // The expected file copies the input text verbatim and so does our exact formatting.
            assertEquals(array(checkpoint.get("best_bid")), List.of(line.get("bestBid"), line.get("bestBidQty")));
            assertEquals(array(checkpoint.get("best_ask")), List.of(line.get("bestAsk"), line.get("bestAskQty")));
        }
    }

    @Test
    void aRecordingWithoutSnapshotPrintsOnlyTheSummaryAndFails()
    {
        final List<String> lines = run(1, TestData.hftbacktest("spot/btcusdt_20230405.dat.gz"));
        assertEquals(1, lines.size());
        final Map<String, Object> summary = json(lines.getFirst());
        assertEquals("0", summary.get("diffsApplied").toString());
        assertEquals("RESYNCING", summary.get("state"));
    }

    @Test
    void badArguments()
    {
        assertEquals(0, run(2).size());
        assertEquals(0, run(2, Path.of("/nonexistent/file.gz")).size());
    }
}
