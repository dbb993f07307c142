package mm.common.json;

import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a JSON document into maps, lists, strings, BigDecimals, booleans and nulls, using the
 * production {@link JsonCursor} (so expected-answer files also exercise the tokenizer).
 */
public final class JsonTree
{
    private final JsonCursor cursor = new JsonCursor();
    private final UnsafeBuffer buffer;

    private JsonTree(final byte[] bytes)
    {
        buffer = new UnsafeBuffer(bytes);
        cursor.reset(buffer, 0, bytes.length);
    }

    public static Object parse(final byte[] bytes)
    {
        final JsonTree tree = new JsonTree(bytes);
        final Object value = tree.value(tree.cursor.next());
        if (tree.cursor.next() != JsonCursor.END)
        {
            throw new IllegalArgumentException("trailing data at " + tree.cursor.errorOffset());
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final Object value)
    {
        return (Map<String, Object>)value;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(final Object value)
    {
        return (List<Object>)value;
    }

    private Object value(final int token)
    {
        switch (token)
        {
            case JsonCursor.BEGIN_OBJECT:
            {
                final Map<String, Object> map = new LinkedHashMap<>();
                int t;
                while ((t = cursor.next()) == JsonCursor.KEY)
                {
                    final String key = text();
                    map.put(key, value(cursor.next()));
                }
                check(t == JsonCursor.END_OBJECT);
                return map;
            }
            case JsonCursor.BEGIN_ARRAY:
            {
                final List<Object> list = new ArrayList<>();
                int t;
                while ((t = cursor.next()) != JsonCursor.END_ARRAY)
                {
                    check(t != JsonCursor.ERROR);
                    list.add(value(t));
                }
                return list;
            }
            case JsonCursor.STRING:
                return text();
            case JsonCursor.NUMBER:
                return new BigDecimal(buffer.getStringWithoutLengthAscii(cursor.tokenOffset(), cursor.tokenLength()));
            case JsonCursor.TRUE:
                return Boolean.TRUE;
            case JsonCursor.FALSE:
                return Boolean.FALSE;
            case JsonCursor.NULL:
                return null;
            default:
                throw new IllegalArgumentException("malformed JSON at " + cursor.errorOffset());
        }
    }

    private void check(final boolean ok)
    {
        if (!ok)
        {
            throw new IllegalArgumentException("malformed JSON at " + cursor.errorOffset());
        }
    }

    private String text()
    {
        final byte[] raw = new byte[cursor.tokenLength()];
        buffer.getBytes(cursor.tokenOffset(), raw);
        final String s = new String(raw, StandardCharsets.UTF_8);
        if (s.indexOf('\\') < 0)
        {
            return s;
        }
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = s.charAt(++i);
            switch (e)
            {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' ->
                {
                    sb.append((char)Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }
}
