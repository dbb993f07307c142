package mm.feed.binance;

import org.agrona.DirectBuffer;

/**
 * A zero-allocation pull tokenizer for one JSON document held in a {@link DirectBuffer} range.
 * <p>
 * Each {@link #next()} returns the next token type and validates the grammar as it goes (commas, colons,
 * nesting, string escapes, number syntax, trailing garbage), so a truncated or corrupt line yields
 * {@link #ERROR} rather than a half-decoded message. Failure is reported by return codes, never by
 * exceptions, because it runs on the feed's hot path. Object keys are returned as {@link #KEY} with the
 * following colon already consumed; string tokens are reported as an (offset, length) range of the raw
 * bytes between the quotes (escapes are validated but not decoded; Binance numbers-as-strings never
 * contain any).
 */
public final class JsonCursor
{
    /** The input is not valid JSON (or is truncated); the cursor stays failed until {@link #reset}. */
    public static final int ERROR = -1;
    /** The top-level value is complete and only whitespace remains. */
    public static final int END = 0;
    public static final int BEGIN_OBJECT = 1;
    public static final int END_OBJECT = 2;
    public static final int BEGIN_ARRAY = 3;
    public static final int END_ARRAY = 4;
    /** An object key; the token range is the key text and the colon has been consumed. */
    public static final int KEY = 5;
    public static final int STRING = 6;
    public static final int NUMBER = 7;
    public static final int TRUE = 8;
    public static final int FALSE = 9;
    public static final int NULL = 10;

    /** Returned by {@link #longValue()} when the token is not an integer that fits in a long. */
    public static final long INVALID_LONG = Long.MIN_VALUE;

    /** Deeper nesting than this is rejected: Binance messages nest three levels at most. */
    public static final int MAX_DEPTH = 32;

    private static final int EXPECT_VALUE = 0;
    private static final int EXPECT_VALUE_OR_END_ARRAY = 1;
    private static final int EXPECT_KEY_OR_END_OBJECT = 2;
    private static final int EXPECT_KEY = 3;
    private static final int EXPECT_COMMA_OR_END = 4;
    private static final int EXPECT_EOF = 5;
    private static final int FAILED = 6;

    private final boolean[] containerIsObject = new boolean[MAX_DEPTH];
    private DirectBuffer buffer;
    private int position;
    private int end;
    private int depth;
    private int expect = FAILED;
    private int tokenType = ERROR;
    private int tokenOffset;
    private int tokenLength;
    private boolean tokenIsInteger;
    private int errorOffset = -1;

    /** Starts tokenizing {@code buffer[offset, offset + length)} as one JSON document. */
    public JsonCursor reset(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
        this.depth = 0;
        this.expect = EXPECT_VALUE;
        this.tokenType = ERROR;
        this.tokenOffset = offset;
        this.tokenLength = 0;
        this.tokenIsInteger = false;
        this.errorOffset = -1;
        return this;
    }

    /** Advances to the next token and returns its type, or {@link #ERROR} (sticky) or {@link #END}. */
    public int next()
    {
        if (expect == FAILED)
        {
            return ERROR;
        }
        skipWhitespace();
        if (position >= end)
        {
            if (expect == EXPECT_EOF)
            {
                return token(END);
            }
            return fail();
        }

        byte b = buffer.getByte(position);
        switch (expect)
        {
            case EXPECT_VALUE:
                return readValue(b);

            case EXPECT_VALUE_OR_END_ARRAY:
                if (b == ']')
                {
                    return closeContainer(END_ARRAY);
                }
                return readValue(b);

            case EXPECT_KEY_OR_END_OBJECT:
                if (b == '}')
                {
                    return closeContainer(END_OBJECT);
                }
                return readKey(b);

            case EXPECT_KEY:
                return readKey(b);

            case EXPECT_COMMA_OR_END:
            {
                final boolean inObject = containerIsObject[depth - 1];
                if (b == ',')
                {
                    position++;
                    skipWhitespace();
                    if (position >= end)
                    {
                        return fail();
                    }
                    b = buffer.getByte(position);
                    return inObject ? readKey(b) : readValue(b);
                }
                if (inObject ? b == '}' : b == ']')
                {
                    return closeContainer(inObject ? END_OBJECT : END_ARRAY);
                }
                return fail();
            }

            default:
                // EXPECT_EOF with bytes remaining: trailing garbage after the document.
                return fail();
        }
    }

    /**
     * Skips one complete value, including everything nested in it. Call it where a value is expected
     * (right after a {@link #KEY}, or inside an array).
     *
     * @return false if the input is malformed or no value was there.
     */
    public boolean skipValue()
    {
        final int startDepth = depth;
        final int t = next();
        if (t == BEGIN_OBJECT || t == BEGIN_ARRAY)
        {
            return skipToDepth(startDepth);
        }
        return t == STRING || t == NUMBER || t == TRUE || t == FALSE || t == NULL;
    }

    /**
     * Consumes tokens until the nesting depth is back to {@code targetDepth}; used to skip the remainder
     * of a container that has been entered.
     *
     * @return false if the input is malformed.
     */
    public boolean skipToDepth(final int targetDepth)
    {
        while (depth > targetDepth)
        {
            if (next() == ERROR)
            {
                return false;
            }
        }
        return expect != FAILED;
    }

    /** Number of containers currently open. */
    public int depth()
    {
        return depth;
    }

    /** Type of the last token returned by {@link #next()}. */
    public int tokenType()
    {
        return tokenType;
    }

    /** Start of the last token: for strings and keys the first byte after the opening quote. */
    public int tokenOffset()
    {
        return tokenOffset;
    }

    /** Length of the last token: for strings and keys excluding the quotes. */
    public int tokenLength()
    {
        return tokenLength;
    }

    /** Offset of the next unread byte; after {@link #END_OBJECT} or {@link #END_ARRAY} it is just past the bracket. */
    public int position()
    {
        return position;
    }

    /** Where the grammar was broken, or -1. */
    public int errorOffset()
    {
        return errorOffset;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** True if the last token's bytes equal {@code expected} (ASCII keys and enum-like values). */
    public boolean tokenEquals(final byte[] expected)
    {
        if (tokenLength != expected.length)
        {
            return false;
        }
        final DirectBuffer buffer = this.buffer;
        final int offset = tokenOffset;
        for (int i = 0; i < expected.length; i++)
        {
            if (buffer.getByte(offset + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    /** The last token's only byte if it is one byte long, else -1: a fast key switch for Binance's one-letter keys. */
    public int singleByteToken()
    {
        return tokenLength == 1 ? buffer.getByte(tokenOffset) : -1;
    }

    /** True if the last token is a {@link #NUMBER} without fraction or exponent. */
    public boolean tokenIsInteger()
    {
        return tokenType == NUMBER && tokenIsInteger;
    }

    /** The last token as a long if it is an integer number that fits, else {@link #INVALID_LONG}. */
    public long longValue()
    {
        if (tokenType != NUMBER || !tokenIsInteger)
        {
            return INVALID_LONG;
        }
        int i = tokenOffset;
        final int limit = tokenOffset + tokenLength;
        boolean negative = false;
        if (buffer.getByte(i) == '-')
        {
            negative = true;
            i++;
        }
        long value = 0;
        for (; i < limit; i++)
        {
            final int digit = buffer.getByte(i) - '0';
            // Accumulate negatively so that Long.MIN_VALUE + 1 .. Long.MAX_VALUE all parse; MIN itself is the marker.
            if (value < (Long.MIN_VALUE + digit) / 10)
            {
                return INVALID_LONG;
            }
            value = value * 10 - digit;
        }
        if (negative)
        {
            return value;
        }
        return value == Long.MIN_VALUE ? INVALID_LONG : -value;
    }

    private int readValue(final byte b)
    {
        switch (b)
        {
            case '{':
                return openContainer(true, BEGIN_OBJECT);
            case '[':
                return openContainer(false, BEGIN_ARRAY);
            case '"':
                if (!scanString())
                {
                    return fail();
                }
                return afterValue(STRING);
            case 't':
                return literal(TRUE, 't', 'r', 'u', 'e');
            case 'f':
                return literal(FALSE, 'f', 'a', 'l', 's', 'e');
            case 'n':
                return literal(NULL, 'n', 'u', 'l', 'l');
            default:
                if (b == '-' || (b >= '0' && b <= '9'))
                {
                    if (!scanNumber())
                    {
                        return fail();
                    }
                    return afterValue(NUMBER);
                }
                return fail();
        }
    }

    private int readKey(final byte b)
    {
        if (b != '"' || !scanString())
        {
            return fail();
        }
        skipWhitespace();
        if (position >= end || buffer.getByte(position) != ':')
        {
            return fail();
        }
        position++;
        expect = EXPECT_VALUE;
        return token(KEY);
    }

    private int openContainer(final boolean isObject, final int type)
    {
        if (depth == MAX_DEPTH)
        {
            return fail();
        }
        containerIsObject[depth++] = isObject;
        tokenOffset = position;
        tokenLength = 1;
        position++;
        expect = isObject ? EXPECT_KEY_OR_END_OBJECT : EXPECT_VALUE_OR_END_ARRAY;
        return token(type);
    }

    private int closeContainer(final int type)
    {
        depth--;
        tokenOffset = position;
        tokenLength = 1;
        position++;
        return afterValue(type);
    }

    private int afterValue(final int type)
    {
        expect = depth == 0 ? EXPECT_EOF : EXPECT_COMMA_OR_END;
        return token(type);
    }

    private int literal(final int type, final char c0, final char c1, final char c2, final char c3)
    {
        if (position + 4 > end ||
            buffer.getByte(position) != c0 ||
            buffer.getByte(position + 1) != c1 ||
            buffer.getByte(position + 2) != c2 ||
            buffer.getByte(position + 3) != c3)
        {
            return fail();
        }
        tokenOffset = position;
        tokenLength = 4;
        position += 4;
        return afterValue(type);
    }

    private int literal(final int type, final char c0, final char c1, final char c2, final char c3, final char c4)
    {
        if (position + 5 > end || buffer.getByte(position + 4) != c4)
        {
            return fail();
        }
        final int result = literal(type, c0, c1, c2, c3);
        if (result == ERROR)
        {
            return ERROR;
        }
        tokenLength = 5;
        position++;
        return result;
    }

    /** Scans a string starting at the opening quote; sets the token range to the text between the quotes. */
    private boolean scanString()
    {
        final DirectBuffer buffer = this.buffer;
        final int start = position + 1;
        int i = start;
        while (i < end)
        {
            final int c = buffer.getByte(i) & 0xFF;
            if (c == '"')
            {
                tokenOffset = start;
                tokenLength = i - start;
                position = i + 1;
                return true;
            }
            if (c == '\\')
            {
                if (i + 1 >= end)
                {
                    return false;
                }
                final byte e = buffer.getByte(i + 1);
                switch (e)
                {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
                    case 'u' ->
                    {
                        if (i + 6 > end)
                        {
                            return false;
                        }
                        for (int k = i + 2; k < i + 6; k++)
                        {
                            if (!isHex(buffer.getByte(k)))
                            {
                                return false;
                            }
                        }
                        i += 6;
                    }
                    default ->
                    {
                        return false;
                    }
                }
                continue;
            }
            if (c < 0x20)
            {
                return false;
            }
            i++;
        }
        return false;
    }

    /** Scans {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private boolean scanNumber()
    {
        final DirectBuffer buffer = this.buffer;
        final int start = position;
        int i = start;
        boolean integer = true;
        if (buffer.getByte(i) == '-')
        {
            i++;
        }
        if (i >= end)
        {
            return false;
        }
        byte b = buffer.getByte(i);
        if (b == '0')
        {
            i++;
        }
        else if (b >= '1' && b <= '9')
        {
            i = digits(i);
        }
        else
        {
            return false;
        }
        if (i < end && buffer.getByte(i) == '.')
        {
            integer = false;
            final int fractionStart = i + 1;
            i = digits(fractionStart);
            if (i == fractionStart)
            {
                return false;
            }
        }
        if (i < end && ((b = buffer.getByte(i)) == 'e' || b == 'E'))
        {
            integer = false;
            i++;
            if (i < end && ((b = buffer.getByte(i)) == '+' || b == '-'))
            {
                i++;
            }
            final int exponentStart = i;
            i = digits(exponentStart);
            if (i == exponentStart)
            {
                return false;
            }
        }
        tokenOffset = start;
        tokenLength = i - start;
        tokenIsInteger = integer;
        position = i;
        return true;
    }

    private int digits(final int from)
    {
        int i = from;
        while (i < end)
        {
            final byte b = buffer.getByte(i);
            if (b < '0' || b > '9')
            {
                break;
            }
            i++;
        }
        return i;
    }

    private void skipWhitespace()
    {
        while (position < end)
        {
            final byte b = buffer.getByte(position);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                return;
            }
            position++;
        }
    }

    private static boolean isHex(final byte b)
    {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private int token(final int type)
    {
        tokenType = type;
        return type;
    }

    private int fail()
    {
        if (expect != FAILED)
        {
            errorOffset = position;
        }
        expect = FAILED;
        tokenType = ERROR;
        return ERROR;
    }
}
