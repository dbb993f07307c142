package mm.feed.binance.sbe;

import mm.common.Decimals;
import mm.feed.binance.BookSync;
import mm.sbe.binance.stream.BestBidAskStreamEventDecoder;
import mm.sbe.binance.stream.DepthDiffStreamEventDecoder;
import mm.sbe.binance.stream.MessageHeaderEncoder;
import mm.sbe.binance.stream.TradesStreamEventDecoder;
import mm.sbe.binance.stream.TradesStreamEventEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance on {@code sbe_stream_vectors.json} (made by others with the official SBE tool, and real production
 * bytes): the complete messages decode to exactly the expected fields, the real prefixes decode as far as they go
 * and are counted as truncated.
 */
class BinanceSbeConformanceTest
{
    @TempDir
    Path dir;

    private static List<Map<String, Object>> completeVectors()
    {
        final List<Map<String, Object>> vectors = new ArrayList<>();
        for (final Object vector : array(SbeTestData.vectors().get("vectors")))
        {
            vectors.add(object(vector));
        }
        assertEquals(4, vectors.size());
        return vectors;
    }

    private static Map<String, Object> prefix(final String name)
    {
        for (final Object item : array(object(SbeTestData.vectors().get("real_partial_prefixes")).get("items")))
        {
            if (name.equals(object(item).get("name")))
            {
                return object(item);
            }
        }
        throw new AssertionError("no prefix " + name);
    }

    private static String symbol(final BinanceSbeDecoder decoder)
    {
        final byte[] bytes = new byte[decoder.symbolLength()];
        decoder.buffer().getBytes(decoder.symbolOffset(), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void assertLevels(final List<Object> expected, final long[][] actual, final int pe, final int qe)
    {
        assertEquals(expected.size(), actual.length);
        for (int i = 0; i < actual.length; i++)
        {
            final Map<String, Object> level = object(expected.get(i));
            assertEquals(longValue(level.get("price")), actual[i][0]);
            assertEquals(longValue(level.get("qty")), actual[i][1]);
            assertEquals(level.get("price_decimal"), Decimals.toString(actual[i][0], pe));
            assertEquals(level.get("qty_decimal"), Decimals.toString(actual[i][1], qe));
        }
    }

    @Test
    void completeMessagesDecodeToExactlyTheExpectedFields()
    {
        final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
        for (final Map<String, Object> vector : completeVectors())
        {
            final byte[] frame = SbeRecording.fromHex((String)vector.get("hex"));
            assertEquals(longValue(vector.get("length_bytes")), frame.length);
            final Map<String, Object> expected = object(vector.get("expected"));
            final int result = decoder.decode(TestFrames.exact(frame, frame.length), 0, frame.length);
            assertEquals(expected.get("message"), BinanceSbeDecoder.resultName(result), (String)vector.get("name"));
            final Map<String, Object> header = object(expected.get("header"));
            assertEquals(longValue(header.get("blockLength")), decoder.blockLength());
            assertEquals(longValue(header.get("templateId")), decoder.templateId());
            assertEquals(longValue(header.get("schemaId")), decoder.schemaId());
            assertEquals(longValue(header.get("version")), decoder.version());
            assertEquals(frame.length, decoder.messageLength());
            assertEquals(expected.get("symbol"), symbol(decoder));
            switch (result)
            {
                case BinanceSbeDecoder.TRADES ->
                {
                    final TradesStreamEventDecoder m = decoder.trades();
                    assertEquals(longValue(expected.get("eventTime")), m.eventTime());
                    assertEquals(longValue(expected.get("transactTime")), m.transactTime());
                    assertEquals(longValue(expected.get("priceExponent")), m.priceExponent());
                    assertEquals(longValue(expected.get("qtyExponent")), m.qtyExponent());
                    final List<Object> trades = array(expected.get("trades"));
                    final TradesStreamEventDecoder.TradesDecoder group = m.trades();
                    assertEquals(trades.size(), group.count());
                    for (final Object t : trades)
                    {
                        final Map<String, Object> trade = object(t);
                        group.next();
                        assertEquals(longValue(trade.get("id")), group.id());
                        assertEquals(longValue(trade.get("price")), group.price());
                        assertEquals(longValue(trade.get("qty")), group.qty());
                        assertEquals(trade.get("isBuyerMaker"), group.isBuyerMaker().name());
                        assertEquals(trade.get("isBestMatch"), group.isBestMatch().name());
                        assertEquals(trade.get("price_decimal"), Decimals.toString(group.price(), m.priceExponent()));
                        assertEquals(trade.get("qty_decimal"), Decimals.toString(group.qty(), m.qtyExponent()));
                    }
                }
                case BinanceSbeDecoder.BEST_BID_ASK ->
                {
                    final BestBidAskStreamEventDecoder m = decoder.bestBidAsk();
                    assertEquals(longValue(expected.get("eventTime")), m.eventTime());
                    assertEquals(longValue(expected.get("bookUpdateId")), m.bookUpdateId());
                    assertEquals(longValue(expected.get("priceExponent")), m.priceExponent());
                    assertEquals(longValue(expected.get("qtyExponent")), m.qtyExponent());
                    assertEquals(longValue(expected.get("bidPrice")), m.bidPrice());
                    assertEquals(longValue(expected.get("bidQty")), m.bidQty());
                    assertEquals(longValue(expected.get("askPrice")), m.askPrice());
                    assertEquals(longValue(expected.get("askQty")), m.askQty());
                    assertEquals(expected.get("bidPrice_decimal"), Decimals.toString(m.bidPrice(), m.priceExponent()));
                    assertEquals(expected.get("bidQty_decimal"), Decimals.toString(m.bidQty(), m.qtyExponent()));
                    assertEquals(expected.get("askPrice_decimal"), Decimals.toString(m.askPrice(), m.priceExponent()));
                    assertEquals(expected.get("askQty_decimal"), Decimals.toString(m.askQty(), m.qtyExponent()));
                }
                case BinanceSbeDecoder.DEPTH_DIFF ->
                {
                    final DepthDiffStreamEventDecoder m = decoder.depthDiff();
                    assertEquals(longValue(expected.get("eventTime")), m.eventTime());
                    assertEquals(longValue(expected.get("firstBookUpdateId")), m.firstBookUpdateId());
                    assertEquals(longValue(expected.get("lastBookUpdateId")), m.lastBookUpdateId());
                    assertEquals(longValue(expected.get("priceExponent")), m.priceExponent());
                    assertEquals(longValue(expected.get("qtyExponent")), m.qtyExponent());
                    final DepthDiffStreamEventDecoder.BidsDecoder bids = m.bids();
                    final long[][] bidLevels = new long[bids.count()][];
                    for (int i = 0; i < bidLevels.length; i++)
                    {
                        bids.next();
                        bidLevels[i] = new long[] {bids.price(), bids.qty()};
                    }
                    final DepthDiffStreamEventDecoder.AsksDecoder asks = m.asks();
                    final long[][] askLevels = new long[asks.count()][];
                    for (int i = 0; i < askLevels.length; i++)
                    {
                        asks.next();
                        askLevels[i] = new long[] {asks.price(), asks.qty()};
                    }
                    assertLevels(array(expected.get("bids")), bidLevels, m.priceExponent(), m.qtyExponent());
                    assertLevels(array(expected.get("asks")), askLevels, m.priceExponent(), m.qtyExponent());
                }
                default -> throw new AssertionError("unexpected " + result);
            }
        }
    }

    /** Output of {@link InspectBinanceSbe} as parsed JSON lines, the summary last. */
    private List<Map<String, Object>> inspect(final int expectedExit, final String content) throws Exception
    {
        final Path file = dir.resolve("frames-" + System.nanoTime() + ".txt");
        Files.writeString(file, content);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit =
            InspectBinanceSbe.run(List.of(file.toString()), new PrintStream(out, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, text);
        final List<Map<String, Object>> lines = new ArrayList<>();
        text.lines().forEach(line -> lines.add(MiniJson.parseObject(line)));
        return lines;
    }

    @Test
    void inspectorPrintsEveryExpectedFieldOfTheCompleteMessages() throws Exception
    {
        final StringBuilder content = new StringBuilder();
        for (final Map<String, Object> vector : completeVectors())
        {
            content.append(vector.get("hex")).append('\n');
        }
        final List<Map<String, Object>> lines = inspect(0, content.toString());
        assertEquals(5, lines.size());
        final List<Map<String, Object>> vectors = completeVectors();
        for (int i = 0; i < vectors.size(); i++)
        {
            final Map<String, Object> expected = object(vectors.get(i).get("expected"));
            final Map<String, Object> line = lines.get(i);
            assertFalse(line.containsKey("error"), line.toString());
            assertEquals(expected.get("message"), line.get("message"));
            final Map<String, Object> header = object(expected.get("header"));
            for (final String key : header.keySet())
            {
                assertEquals(header.get(key), line.get(key), key);
            }
            for (final Map.Entry<String, Object> field : expected.entrySet())
            {
                final String key = field.getKey();
                switch (key)
                {
                    case "header", "message" ->
                    {
                    }
                    case "eventTime", "transactTime" -> assertEquals(field.getValue(), line.get(key + "Us"), key);
                    case "trades", "bids", "asks" ->
                    {
                        final List<Object> expectedEntries = array(field.getValue());
                        final List<Object> entries = array(line.get(key));
                        assertEquals(expectedEntries.size(), entries.size(), key);
                        assertEquals(expectedEntries.size(), longValue(line.get(key + "Count")), key);
                        for (int e = 0; e < entries.size(); e++)
                        {
                            final Map<String, Object> entry = object(entries.get(e));
                            for (final Map.Entry<String, Object> f : object(expectedEntries.get(e)).entrySet())
                            {
                                assertEquals(f.getValue(), entry.get(f.getKey().replace("_decimal", "Decimal")),
                                    key + "[" + e + "]." + f.getKey());
                            }
                        }
                    }
                    default -> assertEquals(field.getValue(), line.get(key.replace("_decimal", "Decimal")), key);
                }
            }
        }
        assertEquals("2025-10-06T08:02:47.354941Z", lines.getFirst().get("eventTime"));
        final Map<String, Object> summary = lines.getLast();
        assertEquals(4, longValue(summary.get("frames")));
        assertEquals(0, longValue(summary.get("badFrames")));
    }

    /** P1 quotes only the body of a trade frame: the test restores the header a trades event always has. */
    private static byte[] p1WithHeader()
    {
        final byte[] body = SbeRecording.fromHex((String)prefix("P1_trade_body_prefix").get("hex"));
        final byte[] frame = new byte[MessageHeaderEncoder.ENCODED_LENGTH + body.length];
        new MessageHeaderEncoder().wrap(new UnsafeBuffer(frame), 0)
            .blockLength(TradesStreamEventEncoder.BLOCK_LENGTH)
            .templateId(TradesStreamEventEncoder.TEMPLATE_ID)
            .schemaId(TradesStreamEventEncoder.SCHEMA_ID)
            .version(TradesStreamEventEncoder.SCHEMA_VERSION);
        System.arraycopy(body, 0, frame, MessageHeaderEncoder.ENCODED_LENGTH, body.length);
        return frame;
    }

    @Test
    void realProductionPrefixesDecodeAsFarAsTheyGoAndAreCountedAsTruncated() throws Exception
    {
        final byte[] p1 = p1WithHeader();
        final byte[] p2 = SbeRecording.fromHex((String)prefix("P2_bestbidask_prefix").get("hex"));
        final byte[] p3 = SbeRecording.fromHex((String)prefix("P3_depthdiff_prefix").get("hex"));

        final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
        assertEquals(BinanceSbeDecoder.TRUNCATED, decoder.decode(TestFrames.exact(p1, p1.length), 0, p1.length));
        assertEquals(BinanceSbeDecoder.SECTION_GROUP_ENTRIES, decoder.section());
        assertEquals("trades", decoder.groupName());
        assertEquals(8 + 18 + 6 + 25, decoder.requiredLength());
        assertEquals(BinanceSbeDecoder.TRUNCATED, decoder.decode(TestFrames.exact(p2, p2.length), 0, p2.length));
        assertEquals(BinanceSbeDecoder.SECTION_ROOT_BLOCK, decoder.section());
        assertEquals(8 + 50, decoder.requiredLength());
        assertEquals(BinanceSbeDecoder.TRUNCATED, decoder.decode(TestFrames.exact(p3, p3.length), 0, p3.length));
        assertEquals(BinanceSbeDecoder.SECTION_ROOT_BLOCK, decoder.section());
        assertEquals(8 + 26, decoder.requiredLength());

        // Through the feed: counted, skipped, the book untouched.
        final BookSync sync = new BookSync(new CountingListener(), -2, -8);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        for (final byte[] frame : List.of(p1, p2, p3))
        {
            assertEquals(BinanceSbeDecoder.TRUNCATED,
                adapter.onFrame(TestFrames.exact(frame, frame.length), 0, frame.length, 1L));
        }
        assertEquals(3, adapter.truncatedFrames());
        assertEquals(3, adapter.badFrames());
        assertEquals(0, sync.diffsBuffered() + sync.trades() + sync.bookTickers());

        // Through the inspector: every field the bytes hold, then the error.
        final List<Map<String, Object>> lines = inspect(1,
            SbeRecording.toHex(p1, 0, p1.length) + "\n" + SbeRecording.toHex(p2, 0, p2.length) + "\n" +
            SbeRecording.toHex(p3, 0, p3.length) + "\n");
        final Map<String, Object> trade = lines.get(0);
        final Map<String, Object> expectedTrade = object(prefix("P1_trade_body_prefix").get("expected"));
        assertEquals(expectedTrade.get("eventTime"), trade.get("eventTimeUs"));
        assertEquals(expectedTrade.get("eventTime_utc"), trade.get("eventTime"));
        assertEquals(expectedTrade.get("transactTime"), trade.get("transactTimeUs"));
        assertEquals(expectedTrade.get("priceExponent"), trade.get("priceExponent"));
        assertEquals(expectedTrade.get("qtyExponent"), trade.get("qtyExponent"));
        final Map<String, Object> groupHeader = object(expectedTrade.get("trades_group_header"));
        assertEquals(groupHeader.get("blockLength"), trade.get("tradesBlockLength"));
        assertEquals(groupHeader.get("numInGroup"), trade.get("tradesCount"));
        assertEquals(List.of(), trade.get("trades"));
        assertEquals("TRUNCATED", trade.get("error"));
        assertFalse(trade.containsKey("symbol"));

        final Map<String, Object> bestBidAsk = lines.get(1);
        final Map<String, Object> expectedBestBidAsk = object(prefix("P2_bestbidask_prefix").get("expected"));
        assertHeader(object(expectedBestBidAsk.get("header")), bestBidAsk);
        assertEquals(expectedBestBidAsk.get("eventTime"), bestBidAsk.get("eventTimeUs"));
        assertEquals(expectedBestBidAsk.get("eventTime_utc"), bestBidAsk.get("eventTime"));
        assertEquals(expectedBestBidAsk.get("bookUpdateId"), bestBidAsk.get("bookUpdateId"));
        assertEquals(expectedBestBidAsk.get("priceExponent"), bestBidAsk.get("priceExponent"));
        assertEquals(expectedBestBidAsk.get("qtyExponent"), bestBidAsk.get("qtyExponent"));
        assertFalse(bestBidAsk.containsKey("bidPrice"), "only 6 of its 8 bytes are in the prefix");
        assertEquals("TRUNCATED", bestBidAsk.get("error"));

        final Map<String, Object> diff = lines.get(2);
        final Map<String, Object> expectedDiff = object(prefix("P3_depthdiff_prefix").get("expected"));
        assertHeader(object(expectedDiff.get("header")), diff);
        assertEquals(expectedDiff.get("eventTime"), diff.get("eventTimeUs"));
        assertEquals(expectedDiff.get("eventTime_utc"), diff.get("eventTime"));
        assertEquals(expectedDiff.get("firstBookUpdateId"), diff.get("firstBookUpdateId"));
        assertEquals(expectedDiff.get("lastBookUpdateId"), diff.get("lastBookUpdateId"));
        assertFalse(diff.containsKey("priceExponent"));
        assertEquals("TRUNCATED", diff.get("error"));
        assertTrue(((String)diff.get("detail")).contains("root block needs 34 bytes"), (String)diff.get("detail"));

        final Map<String, Object> summary = lines.getLast();
        assertEquals(3, longValue(summary.get("badFrames")));
        assertEquals(3, longValue(summary.get("truncated")));
    }

    @Test
    void theRealPrefixesAgreeWithTheGeneratedMessagesTheyWereCopiedInto()
    {
        // The vectors say V2 and V3 start with P2 and P3: our decoder reads the same header from both.
        final byte[] p2 = SbeRecording.fromHex((String)prefix("P2_bestbidask_prefix").get("hex"));
        final byte[] v2 = SbeRecording.fromHex((String)completeVectors().get(1).get("hex"));
        final DirectBuffer prefix = new UnsafeBuffer(p2);
        final DirectBuffer whole = new UnsafeBuffer(v2, 0, p2.length);
        assertEquals(0, prefix.compareTo(whole));
    }

    private static void assertHeader(final Map<String, Object> expected, final Map<String, Object> line)
    {
        for (final String key : expected.keySet())
        {
            assertEquals(expected.get(key), line.get(key), key);
        }
    }
}
