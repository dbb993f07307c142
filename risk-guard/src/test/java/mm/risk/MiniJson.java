package mm.risk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict little JSON reader for tests: objects, arrays, strings, integers, true/false/null. */
final class MiniJson
{
    private final String text;
    private int i;

    private MiniJson(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final MiniJson json = new MiniJson(text);
        final Object value = json.value();
        json.whitespace();
        if (json.i != text.length())
        {
            throw new IllegalArgumentException("trailing text at " + json.i);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(final Object value)
    {
        return (Map<String, Object>)value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(final Object value)
    {
        return (List<Object>)value;
    }

    private Object value()
    {
        whitespace();
        final char c = text.charAt(i);
        if (c == '{')
        {
            i++;
            final Map<String, Object> map = new LinkedHashMap<>();
            whitespace();
            if (text.charAt(i) == '}')
            {
                i++;
                return map;
            }
            while (true)
            {
                whitespace();
                final String key = string();
                whitespace();
                expect(':');
                if (map.put(key, value()) != null)
                {
                    throw new IllegalArgumentException("duplicate key " + key);
                }
                whitespace();
                if (text.charAt(i) == ',')
                {
                    i++;
                    continue;
                }
                expect('}');
                return map;
            }
        }
        if (c == '[')
        {
            i++;
            final List<Object> list = new ArrayList<>();
            whitespace();
            if (text.charAt(i) == ']')
            {
                i++;
                return list;
            }
            while (true)
            {
                list.add(value());
                whitespace();
                if (text.charAt(i) == ',')
                {
                    i++;
                    continue;
                }
                expect(']');
                return list;
            }
        }
        if (c == '"')
        {
            return string();
        }
        if (text.startsWith("true", i) || text.startsWith("null", i))
        {
            i += 4;
            return text.startsWith("true", i - 4) ? Boolean.TRUE : null;
        }
        if (text.startsWith("false", i))
        {
            i += 5;
            return Boolean.FALSE;
        }
        final int start = i;
        if (text.charAt(i) == '-')
        {
            i++;
        }
        while (i < text.length() && Character.isDigit(text.charAt(i)))
        {
            i++;
        }
        if (start == i)
        {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
        }
        return Long.parseLong(text.substring(start, i));
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (text.charAt(i) != '"')
        {
            char c = text.charAt(i++);
            if (c == '\\')
            {
                c = text.charAt(i++);
                switch (c)
                {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'u' ->
                    {
                        sb.append((char)Integer.parseInt(text.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(c);
                }
            }
            else if (c < 0x20)
            {
                throw new IllegalArgumentException("control character in a string at " + i);
            }
            else
            {
                sb.append(c);
            }
        }
        i++;
        return sb.toString();
    }

    private void expect(final char c)
    {
        if (text.charAt(i) != c)
        {
            throw new IllegalArgumentException("expected '" + c + "' at " + i + " but found '" + text.charAt(i) + "'");
        }
        i++;
    }

    private void whitespace()
    {
        while (i < text.length() && Character.isWhitespace(text.charAt(i)))
        {
            i++;
        }
    }
}
