package mm.feed.binance;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonCursorTest
{
    private static JsonCursor cursor(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        // Offset the document inside a larger buffer to check that offsets are honoured.
        final byte[] padded = new byte[bytes.length + 6];
        System.arraycopy("xyz".getBytes(StandardCharsets.US_ASCII), 0, padded, 0, 3);
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        padded[padded.length - 3] = '}';
        return new JsonCursor().reset(new UnsafeBuffer(padded), 3, bytes.length);
    }

    /** Walks the whole document; true if it reached END without ERROR. */
    private static boolean valid(final String json)
    {
        final JsonCursor cursor = cursor(json);
        int t;
        while ((t = cursor.next()) != JsonCursor.END)
        {
            if (t == JsonCursor.ERROR)
            {
                return false;
            }
        }
        return true;
    }

    @Test
    void tokenizesAnEnvelope()
    {
        final JsonCursor c = cursor(" {\"stream\" : \"a@b\", \"data\":{\"u\":-12,\"m\":true,\"x\":[1.5e3,null,false]}} ");
        assertEquals(JsonCursor.BEGIN_OBJECT, c.next());
        assertEquals(JsonCursor.KEY, c.next());
        assertTrue(c.tokenEquals("stream".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(JsonCursor.STRING, c.next());
        assertEquals("a@b", c.buffer().getStringWithoutLengthAscii(c.tokenOffset(), c.tokenLength()));
        assertEquals(JsonCursor.KEY, c.next());
        assertEquals(JsonCursor.BEGIN_OBJECT, c.next());
        assertEquals(2, c.depth());
        assertEquals(JsonCursor.KEY, c.next());
        assertEquals('u', c.singleByteToken());
        assertEquals(JsonCursor.NUMBER, c.next());
        assertEquals(-12, c.longValue());
        assertEquals(JsonCursor.KEY, c.next());
        assertEquals(JsonCursor.TRUE, c.next());
        assertEquals(JsonCursor.KEY, c.next());
        assertTrue(c.skipValue());
        assertEquals(JsonCursor.END_OBJECT, c.next());
        assertEquals(JsonCursor.END_OBJECT, c.next());
        assertEquals(0, c.depth());
        assertEquals(JsonCursor.END, c.next());
    }

    @Test
    void readsLongsExactly()
    {
        final JsonCursor c = cursor("[9223372036854775807,-9223372036854775807,9223372036854775808,1.0,0]");
        assertEquals(JsonCursor.BEGIN_ARRAY, c.next());
        c.next();
        assertEquals(Long.MAX_VALUE, c.longValue());
        c.next();
        assertEquals(-Long.MAX_VALUE, c.longValue());
        c.next();
        assertEquals(JsonCursor.INVALID_LONG, c.longValue());
        c.next();
        assertFalse(c.tokenIsInteger());
        assertEquals(JsonCursor.INVALID_LONG, c.longValue());
        c.next();
        assertEquals(0, c.longValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "{\"a\":[]}", "[[],{}]", "\"s\"", "0", "-0.5E+2", "{\"a\":\"\\u00e9\\n\"}", "  [1 , 2 ]  ",
        "{\"e\":\"depthUpdate\",\"b\":[[\"1.0\",\"2\"]]}" })
    void acceptsValidJson(final String json)
    {
        assertTrue(valid(json), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\":1 \"b\":2}", "{a:1}",
        "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"x}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}", "{} {}", "{}x", "[}", "{]", "{\"a\":1]",
        "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\",\"b\":[[\"1\",\"2\"]" })
    void rejectsMalformedJson(final String json)
    {
        assertFalse(valid(json.replace("\\t", "\t")), json);
    }

    @Test
    void rejectsExcessiveNesting()
    {
        assertFalse(valid("[".repeat(JsonCursor.MAX_DEPTH + 1) + "]".repeat(JsonCursor.MAX_DEPTH + 1)));
        assertTrue(valid("[".repeat(JsonCursor.MAX_DEPTH) + "]".repeat(JsonCursor.MAX_DEPTH)));
    }

    @Test
    void errorIsSticky()
    {
        final JsonCursor c = cursor("[1,,2]");
        assertEquals(JsonCursor.BEGIN_ARRAY, c.next());
        assertEquals(JsonCursor.NUMBER, c.next());
        assertEquals(JsonCursor.ERROR, c.next());
        assertTrue(c.errorOffset() >= 0);
        assertEquals(JsonCursor.ERROR, c.next());
        assertFalse(c.skipValue());
    }
}
