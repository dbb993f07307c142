package mm.feed.kite;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Classifies Kite WebSocket text messages ({@code {"type": ..., "data": ...}}) by their top-level
 * {@code type} and hands the raw bytes to a {@link KiteTextMessageHandler}. Nothing is dropped: unknown types
 * and malformed text are counted and go to {@link KiteTextMessageHandler#onOther}.
 * <p>
 * Scans only the top level of the object (nested values are skipped structurally, strings with escapes
 * respected) without allocating. The scan checks structure, not full JSON grammar: it is a router, and the
 * handler parses what it keeps. If {@code type} appears twice, the last one wins, as in most JSON parsers.
 */
public final class KiteTextMessageRouter
{
    private static final byte[] KEY_TYPE = ascii("type");
    private static final byte[] KEY_DATA = ascii("data");
    private static final byte[] TYPE_ORDER = ascii("order");
    private static final byte[] TYPE_ERROR = ascii("error");
    private static final byte[] TYPE_MESSAGE = ascii("message");
    private static final KiteTextType[] TYPES = KiteTextType.values();
    /** Nesting deeper than this is treated as malformed (a defence against pathological input, not a JSON rule). */
    private static final int MAX_DEPTH = 64;

    private final KiteTextMessageHandler handler;
    private final KiteTextMessage message = new KiteTextMessage();
    private final long[] countsByType = new long[TYPES.length];

    private DirectBuffer buffer;
    private int end;

    public KiteTextMessageRouter(final KiteTextMessageHandler handler)
    {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Classifies and routes the UTF-8 text message {@code buffer[offset, offset + length)}.
     *
     * @return the classification the handler received.
     */
    public KiteTextType route(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
    {
        this.buffer = buffer;
        this.end = offset + length;
        int typeOffset = KiteTextMessage.NONE;
        int typeLength = 0;
        int dataOffset = KiteTextMessage.NONE;
        int dataLength = 0;
        KiteTextType type = KiteTextType.MALFORMED;

        int p = skipWhitespace(offset);
        boolean wellFormed = p < end && buffer.getByte(p) == '{';
        if (wellFormed)
        {
            p = skipWhitespace(p + 1);
            if (p < end && buffer.getByte(p) == '}')
            {
                p++;
            }
            else
            {
                while (true)
                {
                    if (p >= end || buffer.getByte(p) != '"')
                    {
                        wellFormed = false;
                        break;
                    }
                    final int keyStart = p + 1;
                    final int keyEnd = skipString(p);
                    if (keyEnd < 0)
                    {
                        wellFormed = false;
                        break;
                    }
                    p = skipWhitespace(keyEnd);
                    if (p >= end || buffer.getByte(p) != ':')
                    {
                        wellFormed = false;
                        break;
                    }
                    final int valueStart = skipWhitespace(p + 1);
                    final int valueEnd = skipValue(valueStart);
                    if (valueEnd < 0)
                    {
                        wellFormed = false;
                        break;
                    }
                    final int keyLength = keyEnd - 1 - keyStart;
                    if (equalsAscii(keyStart, keyLength, KEY_TYPE))
                    {
                        if (buffer.getByte(valueStart) == '"')
                        {
                            typeOffset = valueStart + 1;
                            typeLength = valueEnd - 1 - typeOffset;
                        }
                        else
                        {
                            // A non-string type cannot be classified: forget any earlier one.
                            typeOffset = KiteTextMessage.NONE;
                            typeLength = 0;
                        }
                    }
                    else if (equalsAscii(keyStart, keyLength, KEY_DATA))
                    {
                        dataOffset = valueStart;
                        dataLength = valueEnd - valueStart;
                    }
                    p = skipWhitespace(valueEnd);
                    if (p < end && buffer.getByte(p) == ',')
                    {
                        p = skipWhitespace(p + 1);
                        continue;
                    }
                    if (p < end && buffer.getByte(p) == '}')
                    {
                        p++;
                        break;
                    }
                    wellFormed = false;
                    break;
                }
            }
            wellFormed = wellFormed && skipWhitespace(p) == end;
        }

        if (wellFormed && typeOffset != KiteTextMessage.NONE)
        {
            type = classify(typeOffset, typeLength, dataOffset);
        }
        countsByType[type.ordinal()]++;
        message.set(buffer, offset, length, type, typeOffset, typeLength, dataOffset, dataLength, receiveTimeNs);
        switch (type)
        {
            case ORDER -> handler.onOrder(message);
            case ERROR -> handler.onError(message);
            case MESSAGE -> handler.onBrokerMessage(message);
            default -> handler.onOther(message);
        }
        this.buffer = null;
        return type;
    }

    private KiteTextType classify(final int typeOffset, final int typeLength, final int dataOffset)
    {
        if (equalsAscii(typeOffset, typeLength, TYPE_ORDER))
        {
            // An order update without its order object cannot be applied by anyone: make it visible as malformed.
            return dataOffset != KiteTextMessage.NONE && buffer.getByte(dataOffset) == '{' ?
                KiteTextType.ORDER : KiteTextType.MALFORMED;
        }
        if (equalsAscii(typeOffset, typeLength, TYPE_ERROR))
        {
            return KiteTextType.ERROR;
        }
        if (equalsAscii(typeOffset, typeLength, TYPE_MESSAGE))
        {
            return KiteTextType.MESSAGE;
        }
        return KiteTextType.OTHER;
    }

    /** Messages routed as {@code type}. */
    public long count(final KiteTextType type)
    {
        return countsByType[type.ordinal()];
    }

    /** Every message routed. */
    public long messages()
    {
        long sum = 0;
        for (final long n : countsByType)
        {
            sum += n;
        }
        return sum;
    }

    private int skipWhitespace(final int from)
    {
        int p = from;
        while (p < end)
        {
            final byte b = buffer.getByte(p);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                break;
            }
            p++;
        }
        return p;
    }

    /** {@code p} at an opening quote; returns the index after the closing quote, or -1 if unterminated. */
    private int skipString(final int p)
    {
        int i = p + 1;
        while (i < end)
        {
            final byte b = buffer.getByte(i);
            if (b == '\\')
            {
                i += 2;
                continue;
            }
            if (b == '"')
            {
                return i + 1;
            }
            i++;
        }
        return -1;
    }

    /** Returns the index after the value starting at {@code p}, or -1 if it is not a well-formed value. */
    private int skipValue(final int p)
    {
        if (p >= end)
        {
            return -1;
        }
        final byte first = buffer.getByte(p);
        if (first == '"')
        {
            return skipString(p);
        }
        if (first == '{' || first == '[')
        {
            return skipContainer(p);
        }
        // Number or literal: runs until a delimiter.
        int i = p;
        while (i < end)
        {
            final byte b = buffer.getByte(i);
            if (b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t')
            {
                break;
            }
            if (b == '"' || b == '{' || b == '[' || b == ':')
            {
                return -1;
            }
            i++;
        }
        return i == p ? -1 : i;
    }

    /** Skips a nested object or array by bracket depth, honouring strings. */
    private int skipContainer(final int p)
    {
        int depth = 0;
        int i = p;
        while (i < end)
        {
            final byte b = buffer.getByte(i);
            if (b == '"')
            {
                i = skipString(i);
                if (i < 0)
                {
                    return -1;
                }
                continue;
            }
            if (b == '{' || b == '[')
            {
                if (++depth > MAX_DEPTH)
                {
                    return -1;
                }
            }
            else if (b == '}' || b == ']')
            {
                if (--depth == 0)
                {
                    return i + 1;
                }
            }
            i++;
        }
        return -1;
    }

    private boolean equalsAscii(final int offset, final int length, final byte[] expected)
    {
        if (length != expected.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
