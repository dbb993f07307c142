package mm.common.json;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

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
 * <p>
 * Speed comes from the shape of Binance's frames, without giving up validation: whitespace is checked for
 * with one comparison before any loop, strings are scanned eight bytes at a time (one {@code getLong} and a
 * few bit operations find the first quote, backslash or control byte), integers are parsed while scanned,
 * and entry points for where the caller knows what comes next ({@link #nextKey()}, {@link #nextValue()},
 * {@link #nextArrayElement()}, {@link #nextStringPair()}, {@link #endArray()}, {@link #nextKeyIs}) take the
 * compact form directly and leave anything else to the general path, so the outcome is always the one
 * {@link #next()} would give. They are kept small on purpose: the general {@code next()} is too large for the JIT
 * to inline, the fast paths are not. Reads go through the {@link DirectBuffer}, so Agrona's bounds checks
 * apply when enabled (as in tests).
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
    private int pairFirstOffset;
    private int pairFirstLength;
    private long tokenLongValue = INVALID_LONG;

    // SWAR constants: a byte-wise "equals" or "below" test on eight bytes held in a long.
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

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
        if (position >= end)
        {
            return atEnd();
        }
        byte b = buffer.getByte(position);
        if (b <= ' ')
        {
            // Rare in Binance frames: one comparison above keeps the common case out of the loop.
            skipWhitespace();
            if (position >= end)
            {
                return atEnd();
            }
            b = buffer.getByte(position);
        }
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
                    if (position >= end)
                    {
                        return fail();
                    }
                    b = buffer.getByte(position);
                    if (b <= ' ')
                    {
                        skipWhitespace();
                        if (position >= end)
                        {
                            return fail();
                        }
                        b = buffer.getByte(position);
                    }
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
     * {@link #next()} for where an object key (or the object's end) is expected, with a fast path for
     * Binance's one-letter keys in compact form ({@code "u":}, after a comma or the opening brace): one
     * 4-byte read instead of the string scanner. Anything else takes the general path, so the result is
     * always what {@link #next()} would return.
     */
    public int nextKey()
    {
        int p = position;
        if (expect == EXPECT_COMMA_OR_END)
        {
            if (p >= end || !containerIsObject[depth - 1])
            {
                return next();
            }
            final byte b = buffer.getByte(p);
            if (b != ',')
            {
                return b == '}' ? closeContainer(END_OBJECT) : next();
            }
            p++;
        }
        else if (expect != EXPECT_KEY_OR_END_OBJECT)
        {
            return next();
        }
        if (p + Integer.BYTES <= end)
        {
            // Little-endian bytes '"', key, '"', ':' with a key byte that is neither special nor a control byte.
            final int word = buffer.getInt(p, ByteOrder.LITTLE_ENDIAN);
            final int key = (word >>> 8) & 0xFF;
            if ((word & 0xFF00FFFF) == ('"' | '"' << 16 | ':' << 24) && key >= 0x20 && key != '"' && key != '\\')
            {
                tokenOffset = p + 1;
                tokenLength = 1;
                position = p + Integer.BYTES;
                expect = EXPECT_VALUE;
                return token(KEY);
            }
        }
        return next();
    }

    /**
     * Consumes the next key if its compact form is exactly {@code quotedKeyColon} (e.g. {@code "stream":}, after
     * a comma or the opening brace), as {@link #next()} would return it as a {@link #KEY}; otherwise changes
     * nothing. Lets a decoder recognise a fixed envelope without the general key path.
     */
    public boolean nextKeyIs(final byte[] quotedKeyColon)
    {
        int p = position;
        if (expect == EXPECT_COMMA_OR_END)
        {
            if (p >= end || buffer.getByte(p) != ',' || !containerIsObject[depth - 1])
            {
                return false;
            }
            p++;
        }
        else if (expect != EXPECT_KEY_OR_END_OBJECT)
        {
            return false;
        }
        final int length = quotedKeyColon.length;
        if (length < 3 || p + length > end)
        {
            return false;
        }
        for (int k = 0; k < length; k++)
        {
            if (buffer.getByte(p + k) != quotedKeyColon[k])
            {
                return false;
            }
        }
        tokenOffset = p + 1;
        tokenLength = length - 3;
        position = p + length;
        expect = EXPECT_VALUE;
        token(KEY);
        return true;
    }

    /**
     * {@link #next()} for where a value is expected (right after a {@link #KEY}), with a small inlinable path
     * for a string or a plain integer in compact form; the result is always what {@link #next()} would return.
     */
    public int nextValue()
    {
        if (expect == EXPECT_VALUE && position < end)
        {
            final byte b = buffer.getByte(position);
            if (b == '"')
            {
                return scanString() ? afterValue(STRING) : fail();
            }
            if (b >= '0' && b <= '9')
            {
                return scanNumberFast() ? afterValue(NUMBER) : fail();
            }
        }
        return next();
    }

    /**
     * {@link #next()} for the start of the next element of an array of arrays (a list of price levels): the
     * compact {@code ,[} or {@code [} is opened directly; anything else takes the general path.
     */
    public int nextArrayElement()
    {
        int p = position;
        if (expect == EXPECT_COMMA_OR_END && p + 1 < end && buffer.getByte(p) == ',' && !containerIsObject[depth - 1])
        {
            p++;
        }
        else if (expect != EXPECT_VALUE_OR_END_ARRAY)
        {
            return next();
        }
        if (p < end && buffer.getByte(p) == '[' && depth < MAX_DEPTH)
        {
            position = p;
            return openContainer(false, BEGIN_ARRAY);
        }
        return next();
    }

    /**
     * Closes the innermost array: directly when its {@code ]} is next, else by skipping its remaining elements.
     *
     * @return false if the input is malformed.
     */
    public boolean endArray()
    {
        if (expect == EXPECT_COMMA_OR_END && position < end && buffer.getByte(position) == ']' &&
            !containerIsObject[depth - 1])
        {
            closeContainer(END_ARRAY);
            return true;
        }
        return skipToDepth(depth - 1);
    }

    private int atEnd()
    {
        return expect == EXPECT_EOF ? token(END) : fail();
    }

    /**
     * Reads the first two elements of an array just opened ({@link #BEGIN_ARRAY} was the last token) when both
     * are strings, as two calls to {@link #next()} would: a Binance price level {@code ["price","qty"]}. The
     * first string's range is {@link #pairFirstOffset()}/{@link #pairFirstLength()}, the second is the token.
     * The compact form is read in one go; anything else (whitespace, escapes) takes the general path.
     *
     * @return false if the array does not start with two strings (or the input is malformed).
     */
    public boolean nextStringPair()
    {
        if (expect == EXPECT_VALUE_OR_END_ARRAY)
        {
            final int start = position;
            if (start < end && buffer.getByte(start) == '"' && scanString())
            {
                final int firstOffset = tokenOffset;
                final int firstLength = tokenLength;
                final int comma = position;
                if (comma + 1 < end && buffer.getByte(comma) == ',' && buffer.getByte(comma + 1) == '"')
                {
                    position = comma + 1;
                    if (scanString())
                    {
                        pairFirstOffset = firstOffset;
                        pairFirstLength = firstLength;
                        expect = EXPECT_COMMA_OR_END;
                        tokenType = STRING;
                        return true;
                    }
                }
            }
            position = start; // not the compact form: rewind and let the tokenizer judge it
        }
        if (next() != STRING)
        {
            return false;
        }
        final int firstOffset = tokenOffset;
        final int firstLength = tokenLength;
        if (next() != STRING)
        {
            return false;
        }
        pairFirstOffset = firstOffset;
        pairFirstLength = firstLength;
        return true;
    }

    /** Start of the first string read by {@link #nextStringPair()}. */
    public int pairFirstOffset()
    {
        return pairFirstOffset;
    }

    /** Length of the first string read by {@link #nextStringPair()}. */
    public int pairFirstLength()
    {
        return pairFirstLength;
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
        return tokenType == NUMBER ? tokenLongValue : INVALID_LONG;
    }

    /** An integer of more than 18 digits, which may or may not fit in a long: checked digit by digit. */
    private long parseLongSlowly(final int from, final int limit)
    {
        int i = from;
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
                if (b >= '0' && b <= '9' ? scanNumberFast() : b == '-' && scanNumber())
                {
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
        if (position >= end || buffer.getByte(position) != ':')
        {
            skipWhitespace();
            if (position >= end || buffer.getByte(position) != ':')
            {
                return fail();
            }
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
        // Kept small so that the JIT inlines it: a plain string (nearly always) ends at the first special byte;
        // escapes and control bytes go the slow way.
        final int start = position + 1;
        final int quote = plainStringEnd(buffer, start, end);
        if (quote >= 0)
        {
            tokenOffset = start;
            tokenLength = quote - start;
            position = quote + 1;
            return true;
        }
        return scanStringSlowly(start);
    }

    /**
     * The index of the quote that closes a string whose text starts at {@code from}, if that text is plain (no
     * escape, no control byte) and the quote is before {@code end}; otherwise -1. Eight bytes at a time: the
     * first special byte decides.
     */
    public static int plainStringEnd(final DirectBuffer buffer, final int from, final int end)
    {
        int i = from;
        while (i + Long.BYTES <= end)
        {
            final long word = buffer.getLong(i, ByteOrder.LITTLE_ENDIAN);
            final long quotes = zeroBytes(word ^ QUOTES);
            final long special = quotes | zeroBytes(word ^ BACKSLASHES) | ((word - SPACES) & ~word & HIGH_BITS);
            if (special != 0)
            {
                // The lowest flag of each mask is exact, so the first special byte is a quote when they agree.
                return Long.lowestOneBit(special) == Long.lowestOneBit(quotes) ?
                    i + (Long.numberOfTrailingZeros(quotes) >>> 3) : -1;
            }
            i += Long.BYTES;
        }
        for (; i < end; i++)
        {
            final int c = buffer.getByte(i) & 0xFF;
            if (c == '"')
            {
                return i;
            }
            if (c == '\\' || c < 0x20)
            {
                return -1;
            }
        }
        return -1;
    }

    /** Byte by byte, the string whose text starts at {@code start}: escapes (checked) and control bytes (refused). */
    private boolean scanStringSlowly(final int start)
    {
        final DirectBuffer buffer = this.buffer;
        final int end = this.end;
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

    /**
     * A plain non-negative integer of at most 18 digits (ids and times: nearly every number Binance sends) in a
     * small, inlinable method; anything else is left to {@link #scanNumber()}.
     */
    private boolean scanNumberFast()
    {
        final DirectBuffer buffer = this.buffer;
        final int start = position;
        final int limit = Math.min(end, start + 18);
        long value = 0;
        int i = start;
        for (; i < limit; i++)
        {
            final int digit = buffer.getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            value = value * 10 + digit;
        }
        if (i == start || i == limit || (buffer.getByte(start) == '0' && i > start + 1))
        {
            return scanNumber(); // no digit, 18 digits or more, the end of the input, or a leading zero
        }
        final byte next = buffer.getByte(i);
        if (next == '.' || next == 'e' || next == 'E')
        {
            return scanNumber();
        }
        tokenOffset = start;
        tokenLength = i - start;
        tokenIsInteger = true;
        tokenLongValue = value;
        position = i;
        return true;
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
        final int integerStart = i;
        long value = 0;
        if (b == '0')
        {
            i++;
        }
        else if (b >= '1' && b <= '9')
        {
            // Accumulate while scanning, so that longValue() need not read the digits again.
            for (; i < end; i++)
            {
                final int digit = buffer.getByte(i) - '0';
                if (digit < 0 || digit > 9)
                {
                    break;
                }
                value = value * 10 + digit; // may wrap beyond 18 digits: then unused, see below
            }
        }
        else
        {
            return false;
        }
        final int integerDigits = i - integerStart;
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
        tokenLongValue = !integer ? INVALID_LONG : integerDigits <= 18 ? (start == integerStart ? value : -value) :
            parseLongSlowly(start, i);
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

    /**
     * High bit set in each zero byte of {@code word}, and possibly in bytes above a zero byte (borrows only
     * travel upwards), so the lowest flagged byte is exact. Applied to {@code word ^ 0x2222..} it finds quotes;
     * {@code (word - 0x2020..) & ~word} likewise finds bytes below 0x20 (never bytes of 0x80 and above, UTF-8).
     */
    private static long zeroBytes(final long word)
    {
        return (word - ONES) & ~word & HIGH_BITS;
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
