package mm.feed.kite;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Reused view of one Kite text message handed to a {@link KiteTextMessageHandler}: the raw bytes, the
 * classification, and where the {@code type} string and the raw {@code data} JSON value sit in them. Valid
 * only during the callback. The {@code ...Text()} helpers allocate and are meant for the (rare, non-hot)
 * consumers of postbacks and errors.
 */
public final class KiteTextMessage
{
    /** Offset value when the member is absent. */
    public static final int NONE = -1;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private KiteTextType type;
    private int typeOffset;
    private int typeLength;
    private int dataOffset;
    private int dataLength;
    private long receiveTimeNs;

    void set(
        final DirectBuffer buffer, final int offset, final int length, final KiteTextType type,
        final int typeOffset, final int typeLength, final int dataOffset, final int dataLength,
        final long receiveTimeNs)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.type = type;
        this.typeOffset = typeOffset;
        this.typeLength = typeLength;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        this.receiveTimeNs = receiveTimeNs;
    }

    public KiteTextType type()
    {
        return type;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Offset of the whole message in {@link #buffer()}. */
    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    /** Offset of the {@code type} string's content (without quotes), or {@link #NONE}. */
    public int typeOffset()
    {
        return typeOffset;
    }

    public int typeLength()
    {
        return typeLength;
    }

    /** Offset of the raw JSON value of {@code data} (object, string with its quotes, ...), or {@link #NONE}. */
    public int dataOffset()
    {
        return dataOffset;
    }

    public int dataLength()
    {
        return dataLength;
    }

    public long receiveTimeNs()
    {
        return receiveTimeNs;
    }

    /** The whole message as text (allocates). */
    public String text()
    {
        return buffer.getStringWithoutLengthUtf8(offset, length);
    }

    /** The raw {@code type} string content, or null if absent (allocates). */
    public String typeText()
    {
        return typeOffset == NONE ? null : buffer.getStringWithoutLengthUtf8(typeOffset, typeLength);
    }

    /** The raw JSON text of {@code data}, or null if absent (allocates). */
    public String dataJson()
    {
        return dataOffset == NONE ? null : buffer.getStringWithoutLengthUtf8(dataOffset, dataLength);
    }

    /**
     * The value of {@code data} when it is a JSON string, unescaped (allocates); null when absent or not a
     * string. Error and broker messages carry their text this way.
     */
    public String dataString()
    {
        if (dataOffset == NONE || dataLength < 2 || buffer.getByte(dataOffset) != '"')
        {
            return null;
        }
        final byte[] raw = new byte[dataLength - 2];
        buffer.getBytes(dataOffset + 1, raw);
        return unescape(new String(raw, StandardCharsets.UTF_8));
    }

    private static String unescape(final String s)
    {
        if (s.indexOf('\\') < 0)
        {
            return s;
        }
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length())
            {
                sb.append(c);
                continue;
            }
            final char e = s.charAt(++i);
            switch (e)
            {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' ->
                {
                    if (i + 4 < s.length())
                    {
                        sb.append((char)Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    else
                    {
                        sb.append("\\u");
                    }
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }
}
