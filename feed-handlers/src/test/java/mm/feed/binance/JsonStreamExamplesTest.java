package mm.feed.binance;

import mm.common.json.JsonTree;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every official example in {@code shared/reference/binance/samples/json_stream_examples.json} (copied from
 * Binance's documentation, not by us) decodes to its own field values: each example is cut out of the file
 * byte for byte (pretty-printed, as the documentation has it) and every field the decoder exposes is compared
 * with the value in the file. A new example in the file fails the test until it is covered here.
 */
class JsonStreamExamplesTest
{
    private static final Set<String> COVERED = Set.of(
        "trade", "bookTicker", "partialDepth", "depthUpdate", "serverShutdown_raw", "serverShutdown_combined",
        "subscribe_request", "subscribe_response", "rest_GET_api_v3_depth_response");

    private final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
    private final String file;
    private final Map<String, Object> examples;
    private UnsafeBuffer buffer;

    JsonStreamExamplesTest() throws IOException
    {
        final byte[] bytes = Files.readAllBytes(TestData.sample("json_stream_examples.json"));
        file = new String(bytes, StandardCharsets.UTF_8);
        examples = JsonTree.object(JsonTree.object(JsonTree.parse(bytes)).get("examples"));
    }

    @Test
    void everyExampleInTheFileIsCovered()
    {
        assertEquals(COVERED, examples.keySet());
        for (final String name : examples.keySet())
        {
            assertFalse(decode(name) == BinanceJsonDecoder.MALFORMED, name);
        }
    }

    @Test
    void trade()
    {
        final Map<String, Object> e = example("trade");
        assertEquals(BinanceJsonDecoder.TRADE, decode("trade"));
        assertEquals(longOf(e, "t"), decoder.tradeId());
        assertEquals(e.get("p"), text(decoder.priceOffset(), decoder.priceLength()));
        assertEquals(e.get("q"), text(decoder.qtyOffset(), decoder.qtyLength()));
        assertEquals(e.get("m"), decoder.buyerIsMaker());
        assertEquals(longOf(e, "E"), decoder.eventTimeMs());
        assertEquals(longOf(e, "T"), decoder.transactTimeMs());
        assertEquals(longOf(e, "T"), decoder.exchangeTimeMs());
        assertEquals(e.get("s"), decoder.symbolAsString());
    }

    @Test
    void bookTickerWithoutEventTypeIsRecognisedByShape()
    {
        final Map<String, Object> e = example("bookTicker");
        assertEquals(BinanceJsonDecoder.BOOK_TICKER, decode("bookTicker"));
        assertEquals(longOf(e, "u"), decoder.lastUpdateId());
        assertEquals(e.get("s"), decoder.symbolAsString());
        assertEquals(e.get("b"), text(decoder.bidPriceOffset(), decoder.bidPriceLength()));
        assertEquals(e.get("B"), text(decoder.bidQtyOffset(), decoder.bidQtyLength()));
        assertEquals(e.get("a"), text(decoder.askPriceOffset(), decoder.askPriceLength()));
        assertEquals(e.get("A"), text(decoder.askQtyOffset(), decoder.askQtyLength()));
        assertEquals(BinanceJsonDecoder.NO_VALUE, decoder.eventTimeMs(), "spot bookTicker has no event time");
    }

    @Test
    void depthUpdate()
    {
        final Map<String, Object> e = example("depthUpdate");
        assertEquals(BinanceJsonDecoder.DEPTH_UPDATE, decode("depthUpdate"));
        assertEquals(longOf(e, "U"), decoder.firstUpdateId());
        assertEquals(longOf(e, "u"), decoder.lastUpdateId());
        assertEquals(longOf(e, "E"), decoder.eventTimeMs());
        assertEquals(e.get("s"), decoder.symbolAsString());
        assertEquals(BinanceJsonDecoder.NO_VALUE, decoder.previousUpdateId(), "spot has no pu");
        assertLevels(e.get("b"), decoder.bids());
        assertLevels(e.get("a"), decoder.asks());
    }

    @Test
    void partialDepthAndRestSnapshotHaveTheSnapshotShape()
    {
        for (final String name : List.of("partialDepth", "rest_GET_api_v3_depth_response"))
        {
            final Map<String, Object> e = example(name);
            assertEquals(BinanceJsonDecoder.SNAPSHOT, decode(name), name);
            assertEquals(longOf(e, "lastUpdateId"), decoder.lastUpdateId(), name);
            assertLevels(e.get("bids"), decoder.bids());
            assertLevels(e.get("asks"), decoder.asks());
            assertFalse(decoder.hasSymbol(), name);
        }
    }

    @Test
    void controlMessages()
    {
        for (final String name : List.of("serverShutdown_raw", "serverShutdown_combined"))
        {
            assertEquals(BinanceJsonDecoder.IGNORED, decode(name), name);
            assertEquals(1770123456789L, decoder.eventTimeMs(), name);
        }
        assertEquals("!serverShutdown", text(decoder.streamOffset(), decoder.streamLength()));
        assertEquals(BinanceJsonDecoder.IGNORED, decode("subscribe_response"));
        // A request is what we send, never what we receive: not a known market-data shape.
        assertEquals(BinanceJsonDecoder.UNKNOWN, decode("subscribe_request"));
    }

    private void assertLevels(final Object expected, final BinanceJsonDecoder.Levels levels)
    {
        final List<Object> list = JsonTree.array(expected);
        assertEquals(list.size(), levels.count());
        for (int i = 0; i < list.size(); i++)
        {
            final List<Object> level = JsonTree.array(list.get(i));
            assertEquals(level.get(0), text(levels.priceOffset(i), levels.priceLength(i)), "level " + i);
            assertEquals(level.get(1), text(levels.qtyOffset(i), levels.qtyLength(i)), "level " + i);
        }
    }

    private Map<String, Object> example(final String name)
    {
        return JsonTree.object(examples.get(name));
    }

    /** Decodes the example's own bytes, cut out of the pretty-printed file by brace matching. */
    private int decode(final String name)
    {
        final int key = file.indexOf("\"" + name + "\":");
        final int start = file.indexOf('{', key);
        int depth = 0;
        for (int i = start; i < file.length(); i++)
        {
            final char c = file.charAt(i);
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                final byte[] bytes = file.substring(start, i + 1).getBytes(StandardCharsets.UTF_8);
                buffer = new UnsafeBuffer(bytes);
                return decoder.decode(buffer, 0, bytes.length);
            }
        }
        throw new AssertionError(name);
    }

    private String text(final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }

    private static long longOf(final Map<String, Object> map, final String key)
    {
        return ((BigDecimal)map.get(key)).longValueExact();
    }
}
