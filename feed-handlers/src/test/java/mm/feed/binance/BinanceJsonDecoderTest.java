package mm.feed.binance;

import mm.common.json.JsonTree;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decodes Binance's official documentation examples (shared/reference) and real recorded shapes. */
class BinanceJsonDecoderTest
{
    private final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
    private UnsafeBuffer buffer;

    private int decode(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        buffer = new UnsafeBuffer(bytes);
        return decoder.decode(buffer, 0, bytes.length);
    }

    private String text(final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }

    /** The official examples file, each example re-serialised compactly is not needed: the decoder takes spaces. */
    private static String example(final String name) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(TestData.sample("json_stream_examples.json"));
        final String all = new String(bytes, StandardCharsets.UTF_8);
        // Cut the example's object out of the pretty-printed file by brace matching.
        final int key = all.indexOf("\"" + name + "\":");
        int start = all.indexOf('{', key);
        int depth = 0;
        for (int i = start; i < all.length(); i++)
        {
            final char c = all.charAt(i);
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return all.substring(start, i + 1);
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void officialExamplesFileIsValidJsonForTheCursor() throws IOException
    {
        final Map<String, Object> root =
            JsonTree.object(JsonTree.parse(Files.readAllBytes(TestData.sample("json_stream_examples.json"))));
        assertTrue(JsonTree.object(root.get("examples")).containsKey("depthUpdate"));
    }

    @Test
    void officialTrade() throws IOException
    {
        assertEquals(BinanceJsonDecoder.TRADE, decode(example("trade")));
        assertEquals(12345, decoder.tradeId());
        assertEquals("0.001", text(decoder.priceOffset(), decoder.priceLength()));
        assertEquals("100", text(decoder.qtyOffset(), decoder.qtyLength()));
        assertTrue(decoder.buyerIsMaker());
        assertEquals(1672515782136L, decoder.exchangeTimeMs());
        assertEquals("BNBBTC", decoder.symbolAsString());
    }

    @Test
    void officialRawBookTickerIsRecognisedByShape() throws IOException
    {
        assertEquals(BinanceJsonDecoder.BOOK_TICKER, decode(example("bookTicker")));
        assertEquals(400900217, decoder.lastUpdateId());
        assertEquals("25.35190000", text(decoder.bidPriceOffset(), decoder.bidPriceLength()));
        assertEquals("31.21000000", text(decoder.bidQtyOffset(), decoder.bidQtyLength()));
        assertEquals("25.36520000", text(decoder.askPriceOffset(), decoder.askPriceLength()));
        assertEquals("40.66000000", text(decoder.askQtyOffset(), decoder.askQtyLength()));
    }

    @Test
    void officialDepthUpdate() throws IOException
    {
        assertEquals(BinanceJsonDecoder.DEPTH_UPDATE, decode(example("depthUpdate")));
        assertEquals(157, decoder.firstUpdateId());
        assertEquals(160, decoder.lastUpdateId());
        assertFalse(decoder.hasPreviousUpdateId());
        assertEquals(1, decoder.bids().count());
        assertEquals("0.0024", text(decoder.bids().priceOffset(0), decoder.bids().priceLength(0)));
        assertEquals("10", text(decoder.bids().qtyOffset(0), decoder.bids().qtyLength(0)));
        assertEquals("100", text(decoder.asks().qtyOffset(0), decoder.asks().qtyLength(0)));
    }

    @Test
    void officialRestSnapshot() throws IOException
    {
        assertEquals(BinanceJsonDecoder.SNAPSHOT, decode(example("rest_GET_api_v3_depth_response")));
        assertEquals(1027024, decoder.lastUpdateId());
        assertEquals("4.00000200", text(decoder.asks().priceOffset(0), decoder.asks().priceLength(0)));
    }

    @Test
    void officialControlMessagesAreIgnoredOrUnknown() throws IOException
    {
        assertEquals(BinanceJsonDecoder.IGNORED, decode(example("serverShutdown_combined")));
        assertEquals(BinanceJsonDecoder.IGNORED, decode(example("serverShutdown_raw")));
        assertEquals(BinanceJsonDecoder.IGNORED, decode(example("subscribe_response")));
        assertEquals(BinanceJsonDecoder.UNKNOWN, decode(example("subscribe_request")));
    }

    @Test
    void futuresDepthCarriesPu()
    {
        assertEquals(BinanceJsonDecoder.DEPTH_UPDATE, decode(
            "{\"stream\":\"btcusdt@depth@0ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1723161256299,\"T\":1723161256298," +
            "\"s\":\"BTCUSDT\",\"U\":5123107832006,\"u\":5123107837557,\"pu\":5123107831937," +
            "\"b\":[[\"58710.20\",\"0.014\"]],\"a\":[]}}"));
        assertTrue(decoder.hasPreviousUpdateId());
        assertEquals(5123107831937L, decoder.previousUpdateId());
        assertEquals(1723161256298L, decoder.exchangeTimeMs());
        assertEquals(0, decoder.asks().count());
        assertTrue(decoder.symbolEquals("BTCUSDT".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(decoder.symbolEquals("ETHUSDT".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void spotBookTickerByStreamSuffixAndFuturesByEventType()
    {
        assertEquals(BinanceJsonDecoder.BOOK_TICKER, decode(
            "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":50093239212,\"s\":\"BTCUSDT\",\"b\":\"61837.63000000\"," +
            "\"B\":\"3.78826000\",\"a\":\"61837.64000000\",\"A\":\"1.54698000\"}}"));
        assertEquals(BinanceJsonDecoder.BOOK_TICKER, decode(
            "{\"stream\":\"btcusd_perp@bookTicker\",\"data\":{\"u\":1007198632021,\"e\":\"bookTicker\",\"s\":\"BTCUSD_PERP\"," +
            "\"ps\":\"BTCUSD\",\"b\":\"61804.7\",\"B\":\"35\",\"a\":\"61804.8\",\"A\":\"1645\",\"T\":1,\"E\":2}}"));
        assertEquals(1007198632021L, decoder.lastUpdateId());
        // A bookTicker stream missing a field is malformed, not silently half-decoded.
        assertEquals(BinanceJsonDecoder.MALFORMED, decode(
            "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":5,\"s\":\"BTCUSDT\",\"b\":\"1\",\"B\":\"3\",\"a\":\"2\"}}"));
    }

    @Test
    void spot2023TradeWithNumericBuyerOrderIdAndMarkPrice()
    {
        assertEquals(BinanceJsonDecoder.TRADE, decode(
            "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1680652800000,\"s\":\"BTCUSDT\"," +
            "\"t\":3071245454,\"p\":\"28165.47000000\",\"q\":\"0.00056000\",\"b\":20720542158,\"a\":20720542592," +
            "\"T\":1680652799999,\"m\":true,\"M\":true}}"));
        assertEquals(1680652799999L, decoder.exchangeTimeMs());
        assertEquals(3071245454L, decoder.tradeId(), "the seller order id under \"a\" is not a trade id");
    }

    @Test
    void usdm2023MarkPriceUpdate()
    {
        assertEquals(BinanceJsonDecoder.MARK_PRICE, decode(
            "{\"stream\":\"btcusdt@markPrice@1s\",\"data\":{\"e\":\"markPriceUpdate\",\"E\":1680652701000," +
            "\"s\":\"BTCUSDT\",\"p\":\"28147.27373413\",\"P\":\"28142.15563565\",\"i\":\"28159.75642857\"," +
            "\"r\":\"0.00002754\",\"T\":1680652800000}}"));
        assertEquals("28147.27373413", text(decoder.priceOffset(), decoder.priceLength()));
        assertTrue(decoder.hasIndexPrice());
        assertEquals("28159.75642857", text(decoder.indexPriceOffset(), decoder.indexPriceLength()));
        assertTrue(decoder.hasFundingRate());
        assertEquals("0.00002754", text(decoder.fundingRateOffset(), decoder.fundingRateLength()));
        assertEquals(1680652800000L, decoder.nextFundingTimeMs());
        assertEquals(1680652701000L, decoder.eventTimeMs());
        assertEquals("BTCUSDT", decoder.symbolAsString());

        // Delivery contracts: no index price, empty funding rate, T 0. A mark price without "p" is malformed.
        assertEquals(BinanceJsonDecoder.MARK_PRICE, decode(
            "{\"e\":\"markPriceUpdate\",\"E\":1596095725000,\"s\":\"BTCUSD_201225\",\"p\":\"10934.62615417\"," +
            "\"P\":\"10962.17178236\",\"r\":\"\",\"T\":0}"));
        assertFalse(decoder.hasIndexPrice());
        assertEquals(0, decoder.fundingRateLength());
        assertEquals(0, decoder.nextFundingTimeMs());
        assertEquals(BinanceJsonDecoder.MALFORMED, decode(
            "{\"e\":\"markPriceUpdate\",\"E\":1596095725000,\"s\":\"BTCUSD_201225\",\"r\":\"\",\"T\":0}"));
    }

    @Test
    void aggTradeSpotAndFutures()
    {
        // cryptofeed recordings: spot (with "M") and USD-M futures ("a" before "s", no "M").
        assertEquals(BinanceJsonDecoder.AGG_TRADE, decode(
            "{\"stream\":\"nknusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1633998523963,\"s\":\"NKNUSDT\"," +
            "\"a\":15683430,\"p\":\"0.35280000\",\"q\":\"58.00000000\",\"f\":19862790,\"l\":19862790," +
            "\"T\":1633998523963,\"m\":false,\"M\":true}}"));
        assertEquals(15683430L, decoder.tradeId());
        assertEquals("0.35280000", text(decoder.priceOffset(), decoder.priceLength()));
        assertEquals("58.00000000", text(decoder.qtyOffset(), decoder.qtyLength()));
        assertFalse(decoder.buyerIsMaker());
        assertEquals(1633998523963L, decoder.exchangeTimeMs());
        assertEquals(BinanceJsonDecoder.AGG_TRADE, decode(
            "{\"stream\":\"ctkusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1626992741575,\"a\":16599292," +
            "\"s\":\"CTKUSDT\",\"p\":\"1.01100\",\"q\":\"10\",\"f\":23961322,\"l\":23961322,\"T\":1626992741421," +
            "\"m\":true}}"));
        assertEquals(16599292L, decoder.tradeId());
        assertTrue(decoder.buyerIsMaker());
        assertEquals(1626992741421L, decoder.exchangeTimeMs());
        // Without its aggregate id an aggTrade is malformed, not a trade with a stale id.
        assertEquals(BinanceJsonDecoder.MALFORMED, decode(
            "{\"e\":\"aggTrade\",\"E\":1,\"s\":\"CTKUSDT\",\"p\":\"1.01100\",\"q\":\"10\",\"T\":1,\"m\":true}"));
    }

    @Test
    void usdmBookTickerCarriesEventAndTransactionTimes()
    {
        assertEquals(BinanceJsonDecoder.BOOK_TICKER, decode(
            "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"u\":5123107839020," +
            "\"s\":\"BTCUSDT\",\"b\":\"61800.20\",\"B\":\"2.507\",\"a\":\"61800.30\",\"A\":\"2.510\"," +
            "\"T\":1723161256313,\"E\":1723161256314}}"));
        assertEquals(5123107839020L, decoder.lastUpdateId());
        assertEquals(1723161256313L, decoder.transactTimeMs());
        assertEquals(1723161256314L, decoder.eventTimeMs());
        assertEquals("61800.30", text(decoder.askPriceOffset(), decoder.askPriceLength()));
        assertEquals("2.510", text(decoder.askQtyOffset(), decoder.askQtyLength()));
    }

    @Test
    void futuresSnapshotsWithSpacesAndExtraKeys()
    {
        assertEquals(BinanceJsonDecoder.SNAPSHOT, decode(
            "{\"lastUpdateId\": 2710246765483, \"E\": 1680652700590, \"T\": 1680652700580, " +
            "\"bids\": [[\"28145.10\", \"3.818\"]], \"asks\": [[\"28145.20\", \"6.887\"], [\"28145.30\", \"1.000\"]]}"));
        assertEquals(2, decoder.asks().count());
        assertEquals(1680652700580L, decoder.exchangeTimeMs());
        assertEquals(BinanceJsonDecoder.SNAPSHOT, decode(
            "{\"lastUpdateId\":1007198635033,\"E\":1,\"T\":2,\"symbol\":\"BTCUSD_PERP\",\"pair\":\"BTCUSD\"," +
            "\"bids\":[[\"61804.7\",\"35\"]],\"asks\":[[\"61805.0\",\"1\",[]]]}"));
        assertEquals("BTCUSD_PERP", decoder.symbolAsString());
        assertEquals(1, decoder.asks().count());
    }

    @Test
    void missingRequiredFieldsAndBrokenShapesAreMalformed()
    {
        assertEquals(BinanceJsonDecoder.MALFORMED, decode(
            "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"u\":2,\"b\":[],\"a\":[]}}"));
        assertEquals(BinanceJsonDecoder.MALFORMED, decode(
            "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"E\":1,\"U\":\"1\",\"u\":2,\"b\":[],\"a\":[]}}"));
        assertEquals(BinanceJsonDecoder.MALFORMED, decode(
            "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"U\":1,\"u\":2,\"b\":[[\"1\"]],\"a\":[]}}"));
        assertEquals(BinanceJsonDecoder.MALFORMED, decode("{\"stream\":\"btcusdt@depth\"}"));
        assertEquals(BinanceJsonDecoder.MALFORMED, decode("{\"lastUpdateId\":5,\"bids\":[]}"));
        assertEquals(BinanceJsonDecoder.MALFORMED, decode("[1,2]"));
        assertEquals(BinanceJsonDecoder.UNKNOWN, decode("{\"stream\":\"x@y\",\"data\":{\"e\":\"brandNew\"}}"));
        assertEquals(BinanceJsonDecoder.UNKNOWN, decode("{\"stream\":\"btcusdt@depth5\",\"data\":" +
            "{\"lastUpdateId\":160,\"bids\":[],\"asks\":[]}}"));
    }

    /**
     * The compact bookTicker shape is read by a straight-through path; a leading space sends the same message
     * down the general path. Both must agree on every real bookTicker line of the shared spot recordings, and on
     * seeded byte mutations of them (the straight path either declines or reads what the general path reads).
     */
    @Test
    void compactBookTickersReadAsTheGeneralPathReadsThem()
    {
        final List<byte[]> bookTickers = new ArrayList<>();
        for (final Path file : new Path[] {
            TestData.hftbacktest("spot/btcusdt_20240808.gz"), TestData.sample("binance_json_btcusdt_20240808_excerpt.jsonl.gz")})
        {
            for (final TestData.Line line : TestData.readLines(file))
            {
                if (line.text().contains("@bookTicker"))
                {
                    bookTickers.add(line.json());
                }
            }
        }
        assertTrue(bookTickers.size() > 10_000, "bookTicker lines: " + bookTickers.size());
        final BinanceJsonDecoder general = new BinanceJsonDecoder();
        for (final byte[] json : bookTickers)
        {
            assertEquals(BinanceJsonDecoder.BOOK_TICKER, decode(json));
            assertSameAsGeneralPath(json, general);
        }
        final SplittableRandom random = new SplittableRandom(20241122);
        final byte[] replacements = "\"\\{}:,. 0123456789-eE@\u0001a".getBytes(StandardCharsets.ISO_8859_1);
        int declined = 0;
        for (int i = 0; i < 50_000; i++)
        {
            final byte[] json = bookTickers.get(random.nextInt(bookTickers.size())).clone();
            for (int edits = 1 + random.nextInt(2); edits > 0; edits--)
            {
                json[random.nextInt(json.length)] = random.nextBoolean() ?
                    replacements[random.nextInt(replacements.length)] : (byte)random.nextInt(256);
            }
            final int cut = random.nextInt(8) == 0 ? random.nextInt(json.length) : json.length;
            final byte[] frame = java.util.Arrays.copyOf(json, cut);
            declined += decode(frame) == BinanceJsonDecoder.BOOK_TICKER ? 0 : 1;
            assertSameAsGeneralPath(frame, general);
        }
        assertNotEquals(0, declined);
    }

    private int decode(final byte[] json)
    {
        buffer = new UnsafeBuffer(json);
        return decoder.decode(buffer, 0, json.length);
    }

    private void assertSameAsGeneralPath(final byte[] json, final BinanceJsonDecoder general)
    {
        final int type = decode(json);
        final String fields = fields(decoder, type);
        final byte[] spaced = new byte[json.length + 1];
        spaced[0] = ' ';
        System.arraycopy(json, 0, spaced, 1, json.length);
        final int generalType = general.decode(new UnsafeBuffer(spaced), 0, spaced.length);
        final String context = new String(json, StandardCharsets.ISO_8859_1);
        assertEquals(generalType, type, context);
        assertEquals(fields(general, generalType), fields, context);
    }

    /** Every field a bookTicker consumer reads, as text (the two decodes' offsets differ by the space). */
    private static String fields(final BinanceJsonDecoder d, final int type)
    {
        if (type != BinanceJsonDecoder.BOOK_TICKER)
        {
            return "type " + type;
        }
        final org.agrona.DirectBuffer b = d.buffer();
        return d.lastUpdateId() + " " + (d.hasSymbol() ? d.symbolAsString() : "-") +
            " " + b.getStringWithoutLengthAscii(d.streamOffset(), d.streamLength()) +
            " " + b.getStringWithoutLengthAscii(d.bidPriceOffset(), d.bidPriceLength()) +
            " " + b.getStringWithoutLengthAscii(d.bidQtyOffset(), d.bidQtyLength()) +
            " " + b.getStringWithoutLengthAscii(d.askPriceOffset(), d.askPriceLength()) +
            " " + b.getStringWithoutLengthAscii(d.askQtyOffset(), d.askQtyLength()) +
            " " + d.exchangeTimeMs() + " " + d.firstUpdateId() + " " + d.bids().count() + " " + d.asks().count();
    }
}
