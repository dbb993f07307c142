package mm.feed.binance.sbe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static mm.feed.binance.sbe.MiniJson.array;
import static mm.feed.binance.sbe.MiniJson.longValue;
import static mm.feed.binance.sbe.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectBinanceSbeTest
{
    @TempDir
    Path dir;

    private static List<Map<String, Object>> run(final int expectedExit, final Path... files)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<String> args = new ArrayList<>();
        for (final Path file : files)
        {
            args.add(file.toString());
        }
        final int exit = InspectBinanceSbe.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, text);
        final List<Map<String, Object>> lines = new ArrayList<>();
        if (expectedExit != 2)
        {
            text.lines().forEach(line -> lines.add(MiniJson.parseObject(line)));
        }
        return lines;
    }

    @Test
    void aRawBinaryFileIsOneFrame() throws Exception
    {
        final byte[] frame = TestFrames.depthDiff(77_453_519_695L, 77_453_519_761L, -8, -8, 1_759_737_666_314_426L,
            "BTCUSDT", 1, 12_346_739_000_000L, 512_345_000L, 12_346_740_000_000L, 0L);
        final Path file = dir.resolve("frame.bin");
        Files.write(file, frame);
        final List<Map<String, Object>> lines = run(0, file);
        assertEquals(2, lines.size());
        final Map<String, Object> line = lines.getFirst();
        assertFalse(line.containsKey("line"));
        assertFalse(line.containsKey("recvNs"));
        assertEquals("DepthDiffStreamEvent", line.get("message"));
        assertEquals(10_003, longValue(line.get("templateId")));
        assertEquals(1, longValue(line.get("schemaId")));
        assertEquals(0, longValue(line.get("version")));
        assertEquals(frame.length, longValue(line.get("length")));
        assertEquals("2025-10-06T08:01:06.314426Z", line.get("eventTime"));
        assertEquals(-8, longValue(line.get("priceExponent")));
        final Map<String, Object> bid = object(array(line.get("bids")).getFirst());
        assertEquals("123467.39000000", bid.get("priceDecimal"));
        assertEquals(512_345_000L, longValue(bid.get("qty")));
        assertEquals("0.00000000", object(array(line.get("asks")).getFirst()).get("qtyDecimal"));
        assertEquals("BTCUSDT", line.get("symbol"));
    }

    @Test
    void anSbeRecordingPrintsFramesWithReceiveTimesAndNotesItsJsonLines() throws Exception
    {
        final Path file = dir.resolve("recording.sbe.gz");
        SbeRecording.write(SbeTestData.spotPairSbe().subList(0, 60), file);
        final List<Map<String, Object>> lines = run(0, file);
        assertEquals(61, lines.size());
        final Map<String, Object> first = lines.getFirst();
        assertEquals(1_723_161_253_937_085_768L, longValue(first.get("recvNs")));
        assertEquals(1, longValue(first.get("line")));
        assertEquals("DepthDiffStreamEvent", first.get("message"));
        assertEquals(50_093_239_189L, longValue(first.get("firstBookUpdateId")));
        assertEquals("61737.63000000", object(array(first.get("bids")).getFirst()).get("priceDecimal"));
        final Map<String, Object> bookTicker = lines.get(2);
        assertEquals("BestBidAskStreamEvent", bookTicker.get("message"));
        assertNull(bookTicker.get("eventTimeUs"), "spot bookTicker JSON has no event time");
        assertTrue(bookTicker.containsKey("eventTimeUs"));
        final Map<String, Object> trade = lines.get(3);
        assertEquals("TradesStreamEvent", trade.get("message"));
        assertEquals(1_723_161_255_343_000L, longValue(trade.get("eventTimeUs")));
        assertEquals(1_723_161_255_342_000L, longValue(trade.get("transactTimeUs")));
        final Map<String, Object> entry = object(array(trade.get("trades")).getFirst());
        assertEquals(3_735_683_259L, longValue(entry.get("id")));
        assertEquals("True", entry.get("isBuyerMaker"));
        assertEquals("0.02000000", entry.get("qtyDecimal"));
        assertTrue(lines.stream().anyMatch(l -> Boolean.TRUE.equals(l.get("json"))), "the REST snapshot line");
        final Map<String, Object> summary = lines.getLast();
        assertEquals(1, longValue(summary.get("jsonLines")));
        assertEquals(59, longValue(summary.get("frames")));
        assertEquals(0, longValue(summary.get("badFrames")));
    }

    @Test
    void badFramesAreReportedCountedAndFailTheExit() throws Exception
    {
        final byte[] good = TestFrames.trade(1, 100, 2, false, -2, 0, 1_000_000L, 1_000_000L, "BTCUSDT");
        final Path file = dir.resolve("mixed.txt");
        Files.writeString(file,
            "123 " + SbeRecording.toHex(good, 0, good.length) + "\n" +
            "\n" +
            SbeRecording.toHex(good, 0, good.length - 1) + "\n" +
            "124 abc\n" +
            SbeRecording.toHex(TestFrames.withHeader(good, null, 12, null, null), 0, good.length) + "\r\n" +
            SbeRecording.toHex(TestFrames.withHeader(good, null, null, 7, null), 0, good.length) + "\n" +
            SbeRecording.toHex(TestFrames.withHeader(good, 3, null, null, null), 0, good.length) + "\n");
        final List<Map<String, Object>> lines = run(1, file);
        assertEquals(7, lines.size());
        assertEquals(123_000_000_000L, longValue(lines.get(0).get("recvNs")), "seconds normalised to ns");
        assertEquals("1.00", object(array(lines.get(0).get("trades")).getFirst()).get("priceDecimal"));
        assertEquals("2", object(array(lines.get(0).get("trades")).getFirst()).get("qtyDecimal"));
        assertFalse(lines.get(0).containsKey("error"));
        assertEquals("TRUNCATED", lines.get(1).get("error"));
        assertEquals(3, longValue(lines.get(1).get("line")));
        assertEquals(1, longValue(object(array(lines.get(1).get("trades")).getFirst()).get("id")), "entries fit");
        assertEquals("INVALID_HEX", lines.get(2).get("error"));
        assertEquals("UNKNOWN_TEMPLATE", lines.get(3).get("error"));
        assertEquals("WRONG_SCHEMA", lines.get(4).get("error"));
        assertEquals("MALFORMED", lines.get(5).get("error"));
        final Map<String, Object> summary = lines.getLast();
        assertEquals(6, longValue(summary.get("frames")));
        assertEquals(5, longValue(summary.get("badFrames")));
        assertEquals(1, longValue(summary.get("truncated")));
        assertEquals(1, longValue(summary.get("invalidHex")));
    }

    @Test
    void aDepth20SnapshotIsDecodedPrintedAndCountedButNotUsedForSync() throws Exception
    {
        final org.agrona.ExpandableArrayBuffer buffer = new org.agrona.ExpandableArrayBuffer(256);
        final mm.sbe.binance.stream.DepthSnapshotStreamEventEncoder encoder =
            new mm.sbe.binance.stream.DepthSnapshotStreamEventEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new mm.sbe.binance.stream.MessageHeaderEncoder())
            .eventTime(1_759_737_666_314_426L)
            .bookUpdateId(77_453_519_761L)
            .priceExponent((byte)-2)
            .qtyExponent((byte)-5);
        encoder.bidsCount(2).next().price(12_346_739L).qty(512_345L).next().price(12_346_738L).qty(1L);
        encoder.asksCount(1).next().price(12_346_740L).qty(1_234L);
        encoder.symbol("BTCUSDT");
        final int length = mm.sbe.binance.stream.MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final byte[] frame = java.util.Arrays.copyOf(buffer.byteArray(), length);

        final mm.feed.binance.BookSync sync = new mm.feed.binance.BookSync(new CountingListener(), -2, -8);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        assertEquals(BinanceSbeDecoder.DEPTH_SNAPSHOT, adapter.onFrame(TestFrames.exact(frame, length), 0, length, 1L));
        assertEquals(1, adapter.depthSnapshots());
        assertEquals(0, adapter.badFrames());
        assertEquals(0, sync.diffsBuffered() + sync.snapshots());

        final Path file = dir.resolve("depth20.txt");
        Files.writeString(file, SbeRecording.toHex(frame, 0, length) + "\n");
        final Map<String, Object> line = run(0, file).getFirst();
        assertEquals("DepthSnapshotStreamEvent", line.get("message"));
        assertEquals(77_453_519_761L, longValue(line.get("bookUpdateId")));
        assertEquals(2, longValue(line.get("bidsCount")));
        assertEquals(16, longValue(line.get("bidsBlockLength")));
        assertEquals("123467.38", object(array(line.get("bids")).get(1)).get("priceDecimal"));
        assertEquals("0.01234", object(array(line.get("asks")).getFirst()).get("qtyDecimal"));
        assertEquals("BTCUSDT", line.get("symbol"));
    }

    @Test
    void badArguments()
    {
        assertEquals(0, run(2).size());
        assertEquals(0, run(2, Path.of("/nonexistent/frames.txt")).size());
    }
}
