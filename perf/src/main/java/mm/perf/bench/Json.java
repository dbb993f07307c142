package mm.perf.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small JSON tree for the report: ordered objects, arrays, strings, numbers (non-finite numbers become
 * {@code null}), booleans and null, written with two-space indentation.
 */
public final class Json
{
    private Json()
    {
    }

    public static Obj obj()
    {
        return new Obj();
    }

    public static Arr arr()
    {
        return new Arr();
    }

    /** An ordered JSON object. */
    public static final class Obj
    {
        final Map<String, Object> fields = new LinkedHashMap<>();

        public Obj put(final String key, final Object value)
        {
            fields.put(key, value);
            return this;
        }

        public Object get(final String key)
        {
            return fields.get(key);
        }

        @Override
        public String toString()
        {
            final StringBuilder out = new StringBuilder();
            write(out, this, 0);
            return out.append('\n').toString();
        }
    }

    /** A JSON array. */
    public static final class Arr
    {
        final List<Object> items = new ArrayList<>();

        public Arr add(final Object value)
        {
            items.add(value);
            return this;
        }

        public int size()
        {
            return items.size();
        }
    }

    static void write(final StringBuilder out, final Object value, final int indent)
    {
        switch (value)
        {
            case null -> out.append("null");
            case Obj obj ->
            {
                if (obj.fields.isEmpty())
                {
                    out.append("{}");
                    return;
                }
                out.append("{\n");
                int i = 0;
                for (final Map.Entry<String, Object> field : obj.fields.entrySet())
                {
                    pad(out, indent + 1);
                    string(out, field.getKey());
                    out.append(": ");
                    write(out, field.getValue(), indent + 1);
                    out.append(++i < obj.fields.size() ? ",\n" : "\n");
                }
                pad(out, indent);
                out.append('}');
            }
            case Arr arr ->
            {
                if (arr.items.isEmpty())
                {
                    out.append("[]");
                    return;
                }
                final boolean flat = arr.items.stream().noneMatch(item -> item instanceof Obj || item instanceof Arr);
                final boolean compact = flat ||
                    arr.items.stream().allMatch(item -> item instanceof Arr a && a.items.size() <= 4 &&
                        a.items.stream().noneMatch(x -> x instanceof Obj || x instanceof Arr));
                out.append(compact ? "[" : "[\n");
                for (int i = 0; i < arr.items.size(); i++)
                {
                    if (!compact)
                    {
                        pad(out, indent + 1);
                    }
                    write(out, arr.items.get(i), indent + 1);
                    if (i + 1 < arr.items.size())
                    {
                        out.append(compact ? ", " : ",\n");
                    }
                }
                if (!compact)
                {
                    out.append('\n');
                    pad(out, indent);
                }
                out.append(']');
            }
            case String text -> string(out, text);
            case Boolean bool -> out.append(bool);
            case Double number -> number(out, number);
            case Float number -> number(out, number.doubleValue());
            case Number number -> out.append(number.longValue());
            default -> string(out, value.toString());
        }
    }

    private static void number(final StringBuilder out, final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            out.append("null");
        }
        else if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            out.append((long)value);
        }
        else
        {
            final java.math.BigDecimal rounded =
                java.math.BigDecimal.valueOf(value).round(new java.math.MathContext(6)).stripTrailingZeros();
            out.append(Math.abs(value) >= 1e-6 ? rounded.toPlainString() : rounded.toString());
        }
    }

    private static void pad(final StringBuilder out, final int indent)
    {
        out.append("  ".repeat(indent));
    }

    private static void string(final StringBuilder out, final String text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
