package mm.common.json;

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

    @Test
    void longsAroundTheEighteenDigitFastPath()
    {
        final long[] values = {
            999_999_999_999_999_999L, -999_999_999_999_999_999L, 1_000_000_000_000_000_000L,
            -1_000_000_000_000_000_000L, 1_723_161_256_313L, -1, 7, -0};
        for (final long value : values)
        {
            final JsonCursor c = cursor(Long.toString(value));
            assertEquals(JsonCursor.NUMBER, c.next());
            assertEquals(value, c.longValue(), Long.toString(value));
        }
        final JsonCursor c = cursor("[-0,99999999999999999999,-9223372036854775808,12e1,\"5\"]");
        c.next();
        c.next();
        assertEquals(0, c.longValue());
        c.next();
        assertEquals(JsonCursor.INVALID_LONG, c.longValue(), "20 digits do not fit");
        c.next();
        assertEquals(JsonCursor.INVALID_LONG, c.longValue(), "Long.MIN_VALUE is the marker");
        c.next();
        assertEquals(JsonCursor.INVALID_LONG, c.longValue(), "an exponent is not an integer token");
        c.next();
        assertEquals(JsonCursor.INVALID_LONG, c.longValue(), "a string is not a number");
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

    /** Strings are scanned eight bytes at a time: every length, with the special byte at every position. */
    @Test
    void stringsAreScannedExactlyWhateverTheirLengthAndWhereTheSpecialByteIs()
    {
        for (int length = 0; length <= 24; length++)
        {
            final String plain = "a".repeat(length);
            assertString(plain, length, true);
            for (int p = 0; p <= length; p++)
            {
                final String head = plain.substring(0, p);
                final String tail = plain.substring(p);
                assertString(head + "\\\"" + tail, length + 2, true);     // escaped quote
                assertString(head + "\\u00e9" + tail, length + 6, true);   // unicode escape
                assertString(head + "\u00e9" + tail, length + 2, true);     // raw UTF-8, two bytes
                assertString(head + "\u007f" + tail, length + 1, true);     // DEL is allowed
                assertString(head + " " + tail, length + 1, true);
                assertString(head + "\u0001" + tail, 0, false);             // raw control byte
                assertString(head + "\n" + tail, 0, false);
                assertString(head + "\u001f" + tail, 0, false);
                assertString(head + "\\x" + tail, 0, false);               // bad escape
                assertString(head + "\"" + tail, 0, false);                 // an early quote ends it: garbage
            }
        }
    }

    private static void assertString(final String body, final int byteLength, final boolean valid)
    {
        final String json = "[\"" + body + "\"]";
        final JsonCursor c = cursor(json);
        assertEquals(JsonCursor.BEGIN_ARRAY, c.next(), json);
        if (!valid)
        {
            int t;
            do
            {
                t = c.next();
            }
            while (t != JsonCursor.ERROR && t != JsonCursor.END);
            assertEquals(JsonCursor.ERROR, t, json);
            return;
        }
        assertEquals(JsonCursor.STRING, c.next(), json);
        assertEquals(byteLength, c.tokenLength(), json);
        assertEquals(JsonCursor.END_ARRAY, c.next(), json);
        assertEquals(JsonCursor.END, c.next(), json);
    }

    @Test
    void stringPairsReadLevelsInOneCallOrFallBackToTheTokenizer()
    {
        final JsonCursor c = cursor("[[\"1.5\",\"2\"],[ \"3\" , \"4\"],[\"5\",\"6\",7],[\"8\\\"9\",\"1\"]]");
        assertEquals(JsonCursor.BEGIN_ARRAY, c.next());
        final String[][] expected = {{"1.5", "2"}, {"3", "4"}, {"5", "6"}, {"8\\\"9", "1"}};
        for (final String[] level : expected)
        {
            assertEquals(JsonCursor.BEGIN_ARRAY, c.next());
            assertTrue(c.nextStringPair());
            assertEquals(level[0], c.buffer().getStringWithoutLengthAscii(c.pairFirstOffset(), c.pairFirstLength()));
            assertEquals(level[1], c.buffer().getStringWithoutLengthAscii(c.tokenOffset(), c.tokenLength()));
            assertTrue(c.skipToDepth(1));
        }
        assertEquals(JsonCursor.END_ARRAY, c.next());
        assertEquals(JsonCursor.END, c.next());

        for (final String bad : new String[] {"[[1,\"2\"]]", "[[\"1\"]]", "[[]]", "[[\"1\",2]]", "[[\"1\"\"2\"]]", "[[\"1\",\"2"})
        {
            final JsonCursor b = cursor(bad);
            assertEquals(JsonCursor.BEGIN_ARRAY, b.next(), bad);
            assertEquals(JsonCursor.BEGIN_ARRAY, b.next(), bad);
            assertFalse(b.nextStringPair(), bad);
        }
    }

    /**
     * nextKey(), nextValue() and nextArrayElement() answer exactly as next() does, anywhere in any document,
     * whether or not their fast paths apply.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nextKey", "nextValue", "nextArrayElement"})
    void fastPathsAnswerAsNextDoes(final String method)
    {
        final String[] documents = {
            "[[\"1.5\",\"2\"],[ \"3\",\"4\"] ,[\"5\",\"6\",7],[],[[]],1,-2,\"x\",true,null,{\"a\":[1]}]",
            "{\"b\":[[\"1\",\"2\"]],\"u\":12,\"p\":\"3.5\",\"n\":-1,\"f\":1.5e3,\"z\":0,\"w\":01,\"v\":\"\\\"\"}",
            "{\"u\":123456789012345678,\"v\":1234567890123456789,\"w\":99999999999999999999}",
            "[,1]", "[1,]", "[[\"1\",\"2\"],]", "{\"a\":[\"1\" \"2\"]}", "[\"1\",\"2",
        };
        for (final String json : documents)
        {
            final JsonCursor general = cursor(json);
            final JsonCursor fast = cursor(json);
            while (true)
            {
                final int expected = general.next();
                final int actual = switch (method)
                {
                    case "nextKey" -> fast.nextKey();
                    case "nextValue" -> fast.nextValue();
                    default -> fast.nextArrayElement();
                };
                assertEquals(expected, actual, method + " " + json);
                assertEquals(general.tokenOffset(), fast.tokenOffset(), json);
                assertEquals(general.tokenLength(), fast.tokenLength(), json);
                assertEquals(general.position(), fast.position(), json);
                assertEquals(general.longValue(), fast.longValue(), json);
                if (expected == JsonCursor.END || expected == JsonCursor.ERROR)
                {
                    break;
                }
            }
        }
    }

    /** nextKey() answers exactly as next() does anywhere, whether or not its one-letter fast path applies. */
    @Test
    void nextKeyIsNextWhereAKeyIsExpected()
    {
        final String[] documents = {
            "{\"u\":1,\"s\":\"x\",\"stream\":2, \"b\" :3,\"\u00e9\":4,\"\\\"\":5,\"\":6,\"a\":{\"c\":[]}}",
            "{}", "{ }", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1,\"b\"", "{\"a\":1 ,\"b\":2}", "{\"\u0001\":1}",
            "{\"\"\":1}", "{\"\\\":1}", "[1,\"a\":2]", "{\"a\":1,\"b\":2}x",
        };
        for (final String json : documents)
        {
            final JsonCursor general = cursor(json);
            final JsonCursor fast = cursor(json);
            while (true)
            {
                final int expected = general.next();
                final int actual = fast.nextKey();
                assertEquals(expected, actual, json);
                assertEquals(general.tokenOffset(), fast.tokenOffset(), json);
                assertEquals(general.tokenLength(), fast.tokenLength(), json);
                assertEquals(general.position(), fast.position(), json);
                if (expected == JsonCursor.END || expected == JsonCursor.ERROR)
                {
                    break;
                }
            }
        }
    }

    @Test
    void nextKeyIsConsumesOnlyAnExactCompactKey()
    {
        final byte[] stream = "\"stream\":".getBytes(StandardCharsets.US_ASCII);
        final byte[] data = "\"data\":".getBytes(StandardCharsets.US_ASCII);
        final JsonCursor c = cursor("{\"stream\":\"x\",\"data\":{},\"stream\" :1, \"data\":2}");
        assertFalse(c.nextKeyIs(stream), "a value is expected, not a key");
        assertEquals(JsonCursor.BEGIN_OBJECT, c.next());
        assertFalse(c.nextKeyIs(data));
        assertTrue(c.nextKeyIs(stream));
        assertEquals("stream", c.buffer().getStringWithoutLengthAscii(c.tokenOffset(), c.tokenLength()));
        assertEquals(JsonCursor.STRING, c.nextValue());
        assertTrue(c.nextKeyIs(data));
        assertEquals(JsonCursor.BEGIN_OBJECT, c.next());
        assertEquals(JsonCursor.END_OBJECT, c.nextKey());
        assertFalse(c.nextKeyIs(stream), "not compact: a space before the colon");
        assertEquals(JsonCursor.KEY, c.nextKey());
        assertEquals(JsonCursor.NUMBER, c.nextValue());
        assertFalse(c.nextKeyIs(data), "not compact: a space after the comma");
        assertEquals(JsonCursor.KEY, c.nextKey());
        assertEquals(JsonCursor.NUMBER, c.nextValue());
        assertEquals(2, c.longValue());
        assertEquals(JsonCursor.END_OBJECT, c.nextKey());
        assertEquals(JsonCursor.END, c.next());
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
