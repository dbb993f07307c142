package mm.feed.binance.sbe;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: a small strict JSON reader into maps, lists, strings, BigDecimals, booleans and nulls. */
final class MiniJson
{
    private final String text;
    private int at;

    private MiniJson(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final MiniJson json = new MiniJson(text);
        final Object value = json.value();
        json.space();
        if (json.at != text.length())
        {
            throw new IllegalArgumentException("trailing data at " + json.at + ": " + text);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(final Object value)
    {
        return (Map<String, Object>)value;
    }

    static Map<String, Object> parseObject(final String text)
    {
        return object(parse(text));
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(final Object value)
    {
        return (List<Object>)value;
    }

    static long longValue(final Object value)
    {
        return ((BigDecimal)value).longValueExact();
    }

    private void space()
    {
        while (at < text.length() && Character.isWhitespace(text.charAt(at)))
        {
            at++;
        }
    }

    private Object value()
    {
        space();
        final char c = text.charAt(at);
        switch (c)
        {
            case '{':
            {
                at++;
                final Map<String, Object> map = new LinkedHashMap<>();
                space();
                if (text.charAt(at) == '}')
                {
                    at++;
                    return map;
                }
                while (true)
                {
                    space();
                    final String key = string();
                    space();
                    expect(':');
                    if (map.put(key, value()) != null)
                    {
                        throw new IllegalArgumentException("duplicate key " + key);
                    }
                    space();
                    if (text.charAt(at) == '}')
                    {
                        at++;
                        return map;
                    }
                    expect(',');
                }
            }
            case '[':
            {
                at++;
                final List<Object> list = new ArrayList<>();
                space();
                if (text.charAt(at) == ']')
                {
                    at++;
                    return list;
                }
                while (true)
                {
                    list.add(value());
                    space();
                    if (text.charAt(at) == ']')
                    {
                        at++;
                        return list;
                    }
                    expect(',');
                }
            }
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
            {
                final int start = at;
                while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0)
                {
                    at++;
                }
                return new BigDecimal(text.substring(start, at));
            }
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final char c = text.charAt(at++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c == '\\')
            {
                final char e = text.charAt(at++);
                switch (e)
                {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' ->
                    {
                        sb.append((char)Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> sb.append(e);
                }
            }
            else
            {
                sb.append(c);
            }
        }
    }

    private void literal(final String word)
    {
        if (!text.startsWith(word, at))
        {
            throw new IllegalArgumentException("expected " + word + " at " + at);
        }
        at += word.length();
    }

    private void expect(final char c)
    {
        if (text.charAt(at) != c)
        {
            throw new IllegalArgumentException("expected " + c + " at " + at + ": " + text);
        }
        at++;
    }
}
