package mm.feed.binance;

import mm.common.json.JsonCursor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Classifies and decodes one Binance JSON market-data message into reusable fields, without allocating.
 * <p>
 * Accepts the combined-stream envelope {@code {"stream":"..","data":{..}}}, a raw stream event (the same
 * data object at top level), and the bare REST depth snapshot {@code {"lastUpdateId":..,"bids":..,"asks":..}}
 * (spot, USD-M and COIN-M). Events decoded: depth diffs, trade, aggTrade, bookTicker (spot, without an event
 * type, and futures) and markPriceUpdate; other known events are {@link #IGNORED}, unknown ones
 * {@link #UNKNOWN}. Numbers that carry prices and quantities stay as text ranges in the source
 * buffer: the instrument's exponents are not known here (one connection carries many symbols), so the
 * caller converts them with {@code mm.common.Decimals.parse} at the right scale and can reject what is not
 * exact. The decoded fields stay valid until the next {@link #decode} and while the source bytes are unchanged.
 */
public final class BinanceJsonDecoder
{
    /** Not valid JSON, truncated, or a known message type missing a required field. */
    public static final int MALFORMED = -1;
    /** Valid JSON of a shape or event type this decoder does not know. */
    public static final int UNKNOWN = 0;
    public static final int DEPTH_UPDATE = 1;
    public static final int TRADE = 2;
    public static final int BOOK_TICKER = 3;
    public static final int SNAPSHOT = 4;
    /** A known event type this feed does not use (kline, 24hrTicker, ...), or a control reply. */
    public static final int IGNORED = 5;
    /** An aggregate trade ({@code aggTrade}): {@link #tradeId()} is the aggregate id {@code a}. */
    public static final int AGG_TRADE = 6;
    /** A futures {@code markPriceUpdate}: mark price, index price, funding rate and next funding time. */
    public static final int MARK_PRICE = 7;

    /** Value of id fields that were absent. */
    public static final long NO_VALUE = Long.MIN_VALUE;

    private static final byte[] ENVELOPE_STREAM = bytes("\"stream\":");
    private static final byte[] ENVELOPE_DATA = bytes("\"data\":");
    private static final byte[] KEY_STREAM = bytes("stream");
    private static final byte[] KEY_DATA = bytes("data");
    private static final byte[] KEY_LAST_UPDATE_ID = bytes("lastUpdateId");
    private static final byte[] KEY_BIDS = bytes("bids");
    private static final byte[] KEY_ASKS = bytes("asks");
    private static final byte[] KEY_SYMBOL = bytes("symbol");
    private static final byte[] KEY_PU = bytes("pu");
    private static final byte[] KEY_RESULT = bytes("result");
    private static final byte[] KEY_ID = bytes("id");

    private static final byte[] TYPE_DEPTH_UPDATE = bytes("depthUpdate");
    private static final byte[] TYPE_TRADE = bytes("trade");
    private static final byte[] TYPE_BOOK_TICKER = bytes("bookTicker");
    private static final byte[] TYPE_AGG_TRADE = bytes("aggTrade");
    private static final byte[] TYPE_MARK_PRICE = bytes("markPriceUpdate");
    private static final byte[] STREAM_SUFFIX_BOOK_TICKER = bytes("@bookTicker");
    // The compact spot bookTicker, {"stream":"x@bookTicker","data":{"u":1,"s":"X","b":"1","B":"1","a":"1","A":"1"}}
    private static final Literal COMPACT_STREAM = new Literal("{\"stream\":\"");
    private static final Literal COMPACT_DATA_U = new Literal("\",\"data\":{\"u\":");
    private static final Literal COMPACT_S = new Literal(",\"s\":\"");
    private static final Literal COMPACT_B = new Literal("\",\"b\":\"");
    private static final Literal COMPACT_BIG_B = new Literal("\",\"B\":\"");
    private static final Literal COMPACT_A = new Literal("\",\"a\":\"");
    private static final Literal COMPACT_BIG_A = new Literal("\",\"A\":\"");
    private static final Literal COMPACT_END = new Literal("\"}}");
    private static final Literal[] COMPACT_AFTER = {COMPACT_B, COMPACT_BIG_B, COMPACT_A, COMPACT_BIG_A, COMPACT_END};
    private static final byte[][] IGNORED_TYPES = {
        bytes("kline"), bytes("continuous_kline"), bytes("24hrTicker"),
        bytes("24hrMiniTicker"), bytes("forceOrder"), bytes("indexPriceUpdate"), bytes("serverShutdown"),
        bytes("1hTicker"), bytes("4hTicker"), bytes("1dTicker"), bytes("avgPrice"), bytes("compositeIndex"),
        bytes("contractInfo"), bytes("assetIndexUpdate"), bytes("markPriceKline"), bytes("indexPriceKline")
    };

    // Field presence bits, so that required fields can be checked once per message.
    private static final int F_STREAM = 1;
    private static final int F_DATA = 1 << 1;
    private static final int F_TYPE = 1 << 2;
    private static final int F_EVENT_TIME = 1 << 3;
    private static final int F_TRANSACT_TIME = 1 << 4;
    private static final int F_SYMBOL = 1 << 5;
    private static final int F_FIRST_ID = 1 << 6;
    private static final int F_LAST_ID = 1 << 7;
    private static final int F_PREVIOUS_ID = 1 << 8;
    private static final int F_TRADE_ID = 1 << 9;
    private static final int F_PRICE = 1 << 10;
    private static final int F_QTY = 1 << 11;
    private static final int F_MAKER = 1 << 12;
    private static final int F_BID_LEVELS = 1 << 13;
    private static final int F_ASK_LEVELS = 1 << 14;
    private static final int F_BID_PRICE = 1 << 15;
    private static final int F_BID_QTY = 1 << 16;
    private static final int F_ASK_PRICE = 1 << 17;
    private static final int F_ASK_QTY = 1 << 18;
    private static final int F_SNAPSHOT_ID = 1 << 19;
    private static final int F_RESULT = 1 << 20;
    private static final int F_ID = 1 << 21;
    private static final int F_AGG_TRADE_ID = 1 << 22;
    private static final int F_INDEX_PRICE = 1 << 23;
    private static final int F_FUNDING_RATE = 1 << 24;

    private static final int DEPTH_REQUIRED = F_FIRST_ID | F_LAST_ID | F_BID_LEVELS | F_ASK_LEVELS;
    private static final int TRADE_REQUIRED = F_TRADE_ID | F_PRICE | F_QTY | F_MAKER;
    private static final int BOOK_TICKER_REQUIRED = F_LAST_ID | F_BID_PRICE | F_BID_QTY | F_ASK_PRICE | F_ASK_QTY;
    private static final int SNAPSHOT_REQUIRED = F_SNAPSHOT_ID | F_BID_LEVELS | F_ASK_LEVELS;
    private static final int AGG_TRADE_REQUIRED = F_AGG_TRADE_ID | F_PRICE | F_QTY | F_MAKER;
    private static final int MARK_PRICE_REQUIRED = F_PRICE | F_EVENT_TIME;

    private final JsonCursor cursor = new JsonCursor();
    private final Levels bids = new Levels();
    private final Levels asks = new Levels();
    /** Offset and length of each string of a compact bookTicker, while it is being checked. */
    private final int[] compactRanges = new int[2 * COMPACT_AFTER.length];

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int type = MALFORMED;
    private int fields;

    private int streamOffset;
    private int streamLength;
    private int eventTypeOffset;
    private int eventTypeLength;
    private int symbolOffset;
    private int symbolLength;
    private long eventTimeMs;
    private long transactTimeMs;
    private long firstUpdateId;
    private long lastUpdateId;
    private long previousUpdateId;
    private long tradeId;
    private long aggTradeId;
    private boolean buyerIsMaker;
    // Text ranges of trade price/qty and bookTicker best bid/ask.
    private int priceOffset;
    private int priceLength;
    private int qtyOffset;
    private int qtyLength;
    private int bidPriceOffset;
    private int bidPriceLength;
    private int bidQtyOffset;
    private int bidQtyLength;
    private int askPriceOffset;
    private int askPriceLength;
    private int askQtyOffset;
    private int askQtyLength;
    // markPriceUpdate: the mark price is under "p" (the trade price range), index price "i", funding rate "r".
    private int indexPriceOffset;
    private int indexPriceLength;
    private int fundingRateOffset;
    private int fundingRateLength;

    /**
     * Decodes {@code buffer[offset, offset + length)}.
     *
     * @return the message type: one of the constants of this class.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        fields = 0;
        eventTimeMs = NO_VALUE;
        transactTimeMs = NO_VALUE;
        firstUpdateId = NO_VALUE;
        lastUpdateId = NO_VALUE;
        previousUpdateId = NO_VALUE;
        tradeId = NO_VALUE;
        aggTradeId = NO_VALUE;
        symbolLength = 0;
        streamLength = 0;
        eventTypeLength = 0;
        bids.count = 0;
        asks.count = 0;

        if (decodeCompactBookTicker(buffer, offset, offset + length))
        {
            return type = BOOK_TICKER;
        }
        final JsonCursor cursor = this.cursor.reset(buffer, offset, length);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT || !parseEnvelope() || !parseObject(true) ||
            cursor.next() != JsonCursor.END)
        {
            return type = MALFORMED;
        }
        return type = classify();
    }

    /**
     * A spot bookTicker in the exact compact form Binance sends (three in four lines of a recording), read
     * straight through instead of token by token. Anything else, and any byte the general path could read
     * differently (whitespace, another key order, escapes, control bytes, a number with a sign, a leading zero
     * or more than 18 digits, bytes after the end), makes it return false with no field set, and the general
     * path decodes the message as it always did: what this accepts, that would decode to the same fields.
     */
    private boolean decodeCompactBookTicker(final DirectBuffer buffer, final int offset, final int end)
    {
        if (!COMPACT_STREAM.at(buffer, offset, end))
        {
            return false;
        }
        final int streamOffset = offset + COMPACT_STREAM.length;
        int p = JsonCursor.plainStringEnd(buffer, streamOffset, end);
        if (p < 0 || !endsWith(streamOffset, p - streamOffset, STREAM_SUFFIX_BOOK_TICKER) ||
            !COMPACT_DATA_U.at(buffer, p, end))
        {
            return false;
        }
        final int streamLength = p - streamOffset;
        p += COMPACT_DATA_U.length;
        final int digitsStart = p;
        long updateId = 0;
        for (int digit; p < end && (digit = buffer.getByte(p) - '0') >= 0 && digit <= 9; p++)
        {
            updateId = updateId * 10 + digit;
        }
        final int digits = p - digitsStart;
        if (digits == 0 || digits > 18 || (buffer.getByte(digitsStart) == '0' && digits > 1) ||
            !COMPACT_S.at(buffer, p, end))
        {
            return false;
        }
        // the symbol, best bid, its quantity, best ask, its quantity: each a plain string, then the next key or the end
        final int[] ranges = compactRanges;
        int from = p + COMPACT_S.length;
        for (int i = 0; i < COMPACT_AFTER.length; i++)
        {
            final int stringEnd = JsonCursor.plainStringEnd(buffer, from, end);
            if (stringEnd < 0 || !COMPACT_AFTER[i].at(buffer, stringEnd, end))
            {
                return false;
            }
            ranges[2 * i] = from;
            ranges[2 * i + 1] = stringEnd - from;
            from = stringEnd + COMPACT_AFTER[i].length;
        }
        if (from != end)
        {
            return false;
        }
        this.streamOffset = streamOffset;
        this.streamLength = streamLength;
        this.lastUpdateId = updateId;
        symbolOffset = ranges[0];
        symbolLength = ranges[1];
        bidPriceOffset = ranges[2];
        bidPriceLength = ranges[3];
        bidQtyOffset = ranges[4];
        bidQtyLength = ranges[5];
        askPriceOffset = ranges[6];
        askPriceLength = ranges[7];
        askQtyOffset = ranges[8];
        askQtyLength = ranges[9];
        fields = F_STREAM | F_DATA | F_LAST_ID | F_SYMBOL | BOOK_TICKER_REQUIRED;
        return true;
    }

    /**
     * The combined-stream envelope's usual compact start, {@code "stream":"..","data":{..}}, read directly; any
     * other shape (a raw event, a snapshot, other key order) is left to {@link #parseObject} unchanged.
     */
    private boolean parseEnvelope()
    {
        final JsonCursor cursor = this.cursor;
        if (!cursor.nextKeyIs(ENVELOPE_STREAM))
        {
            return true;
        }
        if (cursor.nextValue() != JsonCursor.STRING)
        {
            return false;
        }
        streamOffset = cursor.tokenOffset();
        streamLength = cursor.tokenLength();
        fields |= F_STREAM;
        if (!cursor.nextKeyIs(ENVELOPE_DATA))
        {
            return true;
        }
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            return false;
        }
        fields |= F_DATA;
        return parseObject(false);
    }

    private int classify()
    {
        final int fields = this.fields;
        if ((fields & (F_STREAM | F_DATA)) != 0)
        {
            if ((fields & (F_STREAM | F_DATA)) != (F_STREAM | F_DATA))
            {
                return MALFORMED;
            }
            return classifyEvent(fields);
        }
        if ((fields & F_SNAPSHOT_ID) != 0)
        {
            return (fields & SNAPSHOT_REQUIRED) == SNAPSHOT_REQUIRED ? SNAPSHOT : MALFORMED;
        }
        if ((fields & (F_RESULT | F_ID)) == (F_RESULT | F_ID))
        {
            return IGNORED;
        }
        return classifyEvent(fields);
    }

    private int classifyEvent(final int fields)
    {
        if ((fields & F_TYPE) != 0)
        {
            if (eventTypeIs(TYPE_DEPTH_UPDATE))
            {
                return (fields & DEPTH_REQUIRED) == DEPTH_REQUIRED ? DEPTH_UPDATE : MALFORMED;
            }
            if (eventTypeIs(TYPE_TRADE))
            {
                return (fields & TRADE_REQUIRED) == TRADE_REQUIRED &&
                    (fields & (F_TRANSACT_TIME | F_EVENT_TIME)) != 0 ? TRADE : MALFORMED;
            }
            if (eventTypeIs(TYPE_BOOK_TICKER))
            {
                return (fields & BOOK_TICKER_REQUIRED) == BOOK_TICKER_REQUIRED ? BOOK_TICKER : MALFORMED;
            }
            if (eventTypeIs(TYPE_AGG_TRADE))
            {
                if ((fields & AGG_TRADE_REQUIRED) != AGG_TRADE_REQUIRED || (fields & (F_TRANSACT_TIME | F_EVENT_TIME)) == 0)
                {
                    return MALFORMED;
                }
                tradeId = aggTradeId;
                return AGG_TRADE;
            }
            if (eventTypeIs(TYPE_MARK_PRICE))
            {
                return (fields & MARK_PRICE_REQUIRED) == MARK_PRICE_REQUIRED ? MARK_PRICE : MALFORMED;
            }
            for (final byte[] ignored : IGNORED_TYPES)
            {
                if (eventTypeIs(ignored))
                {
                    return IGNORED;
                }
            }
            return UNKNOWN;
        }
        // Spot bookTicker events carry no "e": the stream name identifies them (or their shape on a raw stream).
        final boolean bookTickerStream = (fields & F_STREAM) != 0 ?
            endsWith(streamOffset, streamLength, STREAM_SUFFIX_BOOK_TICKER) :
            (fields & BOOK_TICKER_REQUIRED) == BOOK_TICKER_REQUIRED;
        if (bookTickerStream)
        {
            return (fields & BOOK_TICKER_REQUIRED) == BOOK_TICKER_REQUIRED ? BOOK_TICKER : MALFORMED;
        }
        return UNKNOWN;
    }

    /** Walks the keys of an object whose BEGIN_OBJECT has been read; the top level also knows the envelope keys. */
    private boolean parseObject(final boolean topLevel)
    {
        final JsonCursor cursor = this.cursor;
        while (true)
        {
            final int t = cursor.nextKey();
            if (t == JsonCursor.END_OBJECT)
            {
                return true;
            }
            if (t != JsonCursor.KEY)
            {
                return false;
            }
            final int key = cursor.singleByteToken();
            final boolean ok = switch (key)
            {
                case 'e' -> readEventType();
                case 'E' -> (eventTimeMs = readLong(F_EVENT_TIME)) != NO_VALUE;
                case 'T' -> (transactTimeMs = readLong(F_TRANSACT_TIME)) != NO_VALUE;
                case 's' -> readSymbol();
                case 'U' -> (firstUpdateId = readLong(F_FIRST_ID)) != NO_VALUE;
                case 'u' -> (lastUpdateId = readLong(F_LAST_ID)) != NO_VALUE;
                case 't' -> (tradeId = readLong(F_TRADE_ID)) != NO_VALUE;
                case 'p' -> readPrice();
                case 'q' -> readQty();
                case 'm' -> readMaker();
                case 'b' -> readBidField();
                case 'a' -> readAskField();
                case 'B' -> readBidQty();
                case 'A' -> readAskQty();
                case 'i' -> readIndexPrice();
                case 'r' -> readFundingRate();
                default -> readOtherKey(topLevel);
            };
            if (!ok)
            {
                return false;
            }
        }
    }

    private boolean readOtherKey(final boolean topLevel)
    {
        final JsonCursor cursor = this.cursor;
        if (cursor.tokenEquals(KEY_PU))
        {
            return (previousUpdateId = readLong(F_PREVIOUS_ID)) != NO_VALUE;
        }
        if (topLevel)
        {
            if (cursor.tokenEquals(KEY_STREAM))
            {
                if (cursor.nextValue() != JsonCursor.STRING)
                {
                    return false;
                }
                streamOffset = cursor.tokenOffset();
                streamLength = cursor.tokenLength();
                fields |= F_STREAM;
                return true;
            }
            if (cursor.tokenEquals(KEY_DATA))
            {
                if (cursor.next() != JsonCursor.BEGIN_OBJECT || (fields & F_DATA) != 0)
                {
                    return false;
                }
                fields |= F_DATA;
                return parseObject(false);
            }
            if (cursor.tokenEquals(KEY_LAST_UPDATE_ID))
            {
                return (lastUpdateId = readLong(F_SNAPSHOT_ID)) != NO_VALUE;
            }
            if (cursor.tokenEquals(KEY_BIDS))
            {
                return cursor.next() == JsonCursor.BEGIN_ARRAY && readLevels(bids, F_BID_LEVELS);
            }
            if (cursor.tokenEquals(KEY_ASKS))
            {
                return cursor.next() == JsonCursor.BEGIN_ARRAY && readLevels(asks, F_ASK_LEVELS);
            }
            if (cursor.tokenEquals(KEY_SYMBOL))
            {
                return readSymbol();
            }
            if (cursor.tokenEquals(KEY_RESULT))
            {
                fields |= F_RESULT;
                return cursor.skipValue();
            }
            if (cursor.tokenEquals(KEY_ID))
            {
                fields |= F_ID;
                return cursor.skipValue();
            }
        }
        return cursor.skipValue();
    }

    private boolean readEventType()
    {
        if (cursor.nextValue() != JsonCursor.STRING)
        {
            return false;
        }
        eventTypeOffset = cursor.tokenOffset();
        eventTypeLength = cursor.tokenLength();
        fields |= F_TYPE;
        return true;
    }

    private boolean readSymbol()
    {
        if (cursor.nextValue() != JsonCursor.STRING)
        {
            return false;
        }
        symbolOffset = cursor.tokenOffset();
        symbolLength = cursor.tokenLength();
        fields |= F_SYMBOL;
        return true;
    }

    private long readLong(final int field)
    {
        if (cursor.nextValue() != JsonCursor.NUMBER)
        {
            return NO_VALUE;
        }
        final long value = cursor.longValue();
        if (value != JsonCursor.INVALID_LONG)
        {
            fields |= field;
        }
        return value;
    }

    private boolean readPrice()
    {
        // Spot trades carry price as a string; anything else under "p" (e.g. markPrice's) is still a string.
        final int t = cursor.nextValue();
        if (t == JsonCursor.STRING)
        {
            priceOffset = cursor.tokenOffset();
            priceLength = cursor.tokenLength();
            fields |= F_PRICE;
            return true;
        }
        return skipRestOfValue(t);
    }

    private boolean readQty()
    {
        final int t = cursor.nextValue();
        if (t == JsonCursor.STRING)
        {
            qtyOffset = cursor.tokenOffset();
            qtyLength = cursor.tokenLength();
            fields |= F_QTY;
            return true;
        }
        return skipRestOfValue(t);
    }

    private boolean readMaker()
    {
        final int t = cursor.nextValue();
        if (t == JsonCursor.TRUE || t == JsonCursor.FALSE)
        {
            buyerIsMaker = t == JsonCursor.TRUE;
            fields |= F_MAKER;
            return true;
        }
        return skipRestOfValue(t);
    }

    /** "b": levels in a depth update, best bid text in a bookTicker, buyer order id (number) in older spot trades. */
    private boolean readBidField()
    {
        final int t = cursor.nextValue();
        if (t == JsonCursor.BEGIN_ARRAY)
        {
            return readLevels(bids, F_BID_LEVELS);
        }
        if (t == JsonCursor.STRING)
        {
            bidPriceOffset = cursor.tokenOffset();
            bidPriceLength = cursor.tokenLength();
            fields |= F_BID_PRICE;
            return true;
        }
        return skipRestOfValue(t);
    }

    /** "a": levels in a depth update, best ask text in a bookTicker, aggregate trade id (number) in an aggTrade. */
    private boolean readAskField()
    {
        final int t = cursor.nextValue();
        if (t == JsonCursor.BEGIN_ARRAY)
        {
            return readLevels(asks, F_ASK_LEVELS);
        }
        if (t == JsonCursor.STRING)
        {
            askPriceOffset = cursor.tokenOffset();
            askPriceLength = cursor.tokenLength();
            fields |= F_ASK_PRICE;
            return true;
        }
        if (t == JsonCursor.NUMBER)
        {
            // Also the seller order id in older spot trades: only an aggTrade reads it back, as its id.
            final long value = cursor.longValue();
            if (value != JsonCursor.INVALID_LONG)
            {
                aggTradeId = value;
                fields |= F_AGG_TRADE_ID;
            }
            return true;
        }
        return skipRestOfValue(t);
    }

    private boolean readIndexPrice()
    {
        final int t = cursor.nextValue();
        if (t == JsonCursor.STRING)
        {
            indexPriceOffset = cursor.tokenOffset();
            indexPriceLength = cursor.tokenLength();
            fields |= F_INDEX_PRICE;
            return true;
        }
        return skipRestOfValue(t);
    }

    private boolean readFundingRate()
    {
        final int t = cursor.nextValue();
        if (t == JsonCursor.STRING)
        {
            fundingRateOffset = cursor.tokenOffset();
            fundingRateLength = cursor.tokenLength();
            fields |= F_FUNDING_RATE;
            return true;
        }
        return skipRestOfValue(t);
    }

    private boolean readBidQty()
    {
        final int t = cursor.nextValue();
        if (t == JsonCursor.STRING)
        {
            bidQtyOffset = cursor.tokenOffset();
            bidQtyLength = cursor.tokenLength();
            fields |= F_BID_QTY;
            return true;
        }
        return skipRestOfValue(t);
    }

    private boolean readAskQty()
    {
        final int t = cursor.nextValue();
        if (t == JsonCursor.STRING)
        {
            askQtyOffset = cursor.tokenOffset();
            askQtyLength = cursor.tokenLength();
            fields |= F_ASK_QTY;
            return true;
        }
        return skipRestOfValue(t);
    }

    /** After reading the first token of a value we do not use: finish skipping it. */
    private boolean skipRestOfValue(final int firstToken)
    {
        switch (firstToken)
        {
            case JsonCursor.BEGIN_OBJECT, JsonCursor.BEGIN_ARRAY:
                return cursor.skipToDepth(cursor.depth() - 1);
            case JsonCursor.STRING, JsonCursor.NUMBER, JsonCursor.TRUE, JsonCursor.FALSE, JsonCursor.NULL:
                return true;
            default:
                return false;
        }
    }

    /** Reads {@code [[price, qty, ...], ...]} after its BEGIN_ARRAY; extra elements per level are skipped. */
    private boolean readLevels(final Levels levels, final int field)
    {
        if ((fields & field) != 0)
        {
            return false; // a duplicate key would silently merge two level lists
        }
        final JsonCursor cursor = this.cursor;
        levels.count = 0;
        while (true)
        {
            final int t = cursor.nextArrayElement();
            if (t == JsonCursor.END_ARRAY)
            {
                fields |= field;
                return true;
            }
            if (t != JsonCursor.BEGIN_ARRAY || !cursor.nextStringPair())
            {
                return false;
            }
            levels.add(cursor.pairFirstOffset(), cursor.pairFirstLength(), cursor.tokenOffset(), cursor.tokenLength());
            if (!cursor.endArray()) // skips any extra elements of the level
            {
                return false;
            }
        }
    }

    private boolean eventTypeIs(final byte[] expected)
    {
        return equals(eventTypeOffset, eventTypeLength, expected);
    }

    private boolean equals(final int offset, final int length, final byte[] expected)
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

    private boolean endsWith(final int offset, final int length, final byte[] suffix)
    {
        return length >= suffix.length && equals(offset + length - suffix.length, suffix.length, suffix);
    }

    /** True if the message's symbol ({@code s}, or {@code symbol} in a COIN-M snapshot) equals {@code symbol}. */
    public boolean symbolEquals(final byte[] symbol)
    {
        return (fields & F_SYMBOL) != 0 && equals(symbolOffset, symbolLength, symbol);
    }

    public boolean hasSymbol()
    {
        return (fields & F_SYMBOL) != 0;
    }

    /** Copies the symbol out as a String: for set-up and diagnostics only, it allocates. */
    public String symbolAsString()
    {
        return hasSymbol() ? buffer.getStringWithoutLengthAscii(symbolOffset, symbolLength) : null;
    }

    /** Type returned by the last {@link #decode}. */
    public int type()
    {
        return type;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Start of the decoded message's bytes (for buffering it raw). */
    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    /** Where the JSON grammar broke in a {@link #MALFORMED} message, or -1. */
    public int errorOffset()
    {
        return cursor.errorOffset();
    }

    public int symbolOffset()
    {
        return symbolOffset;
    }

    public int symbolLength()
    {
        return symbolLength;
    }

    public int streamOffset()
    {
        return streamOffset;
    }

    public int streamLength()
    {
        return streamLength;
    }

    /** Event time {@code E} in milliseconds, or {@link #NO_VALUE}. */
    public long eventTimeMs()
    {
        return eventTimeMs;
    }

    /** Transaction / trade time {@code T} in milliseconds, or {@link #NO_VALUE}. */
    public long transactTimeMs()
    {
        return transactTimeMs;
    }

    /** A markPriceUpdate's next funding time {@code T} in ms (0 for contracts without funding), or {@link #NO_VALUE}. */
    public long nextFundingTimeMs()
    {
        return transactTimeMs;
    }

    /** The best exchange time we have in ms: {@code T} (matching time) if present, else {@code E}, else NO_VALUE. */
    public long exchangeTimeMs()
    {
        return transactTimeMs != NO_VALUE ? transactTimeMs : eventTimeMs;
    }

    /** Depth update {@code U}. */
    public long firstUpdateId()
    {
        return firstUpdateId;
    }

    /** Depth update or bookTicker {@code u}, or the snapshot's {@code lastUpdateId}. */
    public long lastUpdateId()
    {
        return lastUpdateId;
    }

    /** Futures depth update {@code pu}, or {@link #NO_VALUE} on spot. */
    public long previousUpdateId()
    {
        return previousUpdateId;
    }

    /** True for futures depth updates, which chain by {@code pu} rather than by {@code U}. */
    public boolean hasPreviousUpdateId()
    {
        return (fields & F_PREVIOUS_ID) != 0;
    }

    /** A trade's id {@code t}; for an {@link #AGG_TRADE} the aggregate trade id {@code a}. */
    public long tradeId()
    {
        return tradeId;
    }

    public boolean buyerIsMaker()
    {
        return buyerIsMaker;
    }

    /** Text of a trade's price, or of a markPriceUpdate's mark price ({@code p}). */
    public int priceOffset()
    {
        return priceOffset;
    }

    public int priceLength()
    {
        return priceLength;
    }

    public int qtyOffset()
    {
        return qtyOffset;
    }

    public int qtyLength()
    {
        return qtyLength;
    }

    public int bidPriceOffset()
    {
        return bidPriceOffset;
    }

    public int bidPriceLength()
    {
        return bidPriceLength;
    }

    public int bidQtyOffset()
    {
        return bidQtyOffset;
    }

    public int bidQtyLength()
    {
        return bidQtyLength;
    }

    public int askPriceOffset()
    {
        return askPriceOffset;
    }

    public int askPriceLength()
    {
        return askPriceLength;
    }

    public int askQtyOffset()
    {
        return askQtyOffset;
    }

    public int askQtyLength()
    {
        return askQtyLength;
    }

    /** True if a markPriceUpdate carried an index price {@code i}. */
    public boolean hasIndexPrice()
    {
        return (fields & F_INDEX_PRICE) != 0;
    }

    public int indexPriceOffset()
    {
        return indexPriceOffset;
    }

    public int indexPriceLength()
    {
        return indexPriceLength;
    }

    /** True if a markPriceUpdate carried a funding rate {@code r} (empty text for contracts without funding). */
    public boolean hasFundingRate()
    {
        return (fields & F_FUNDING_RATE) != 0;
    }

    public int fundingRateOffset()
    {
        return fundingRateOffset;
    }

    public int fundingRateLength()
    {
        return fundingRateLength;
    }

    /** Bid levels of a depth update ({@code b}) or snapshot ({@code bids}). */
    public Levels bids()
    {
        return bids;
    }

    /** Ask levels of a depth update ({@code a}) or snapshot ({@code asks}). */
    public Levels asks()
    {
        return asks;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Text ranges of {@code [price, qty]} pairs in the source buffer, in message order. Grows during
     * warm-up (a 1000-level snapshot) and is then reused.
     */
    public static final class Levels
    {
        private int[] ranges = new int[4 * 1024];
        private int count;

        void add(final int priceOffset, final int priceLength, final int qtyOffset, final int qtyLength)
        {
            final int base = count << 2;
            if (base + 4 > ranges.length)
            {
                ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
            }
            ranges[base] = priceOffset;
            ranges[base + 1] = priceLength;
            ranges[base + 2] = qtyOffset;
            ranges[base + 3] = qtyLength;
            count++;
        }

        public int count()
        {
            return count;
        }

        public int priceOffset(final int index)
        {
            return ranges[index << 2];
        }

        public int priceLength(final int index)
        {
            return ranges[(index << 2) + 1];
        }

        public int qtyOffset(final int index)
        {
            return ranges[(index << 2) + 2];
        }

        public int qtyLength(final int index)
        {
            return ranges[(index << 2) + 3];
        }
    }

    /** A fixed run of 1 to 16 ASCII bytes, compared a word (or half a word) at a time from both of its ends. */
    private static final class Literal
    {
        final int length;
        private final byte[] bytes;
        private final long first;
        private final long last;

        Literal(final String text)
        {
            bytes = bytes(text);
            length = bytes.length;
            if (length > 2 * Long.BYTES)
            {
                throw new IllegalArgumentException(text);
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            first = length >= Long.BYTES ? buffer.getLong(0, ByteOrder.LITTLE_ENDIAN) :
                length >= Integer.BYTES ? buffer.getInt(0, ByteOrder.LITTLE_ENDIAN) : 0;
            last = length >= Long.BYTES ? buffer.getLong(length - Long.BYTES, ByteOrder.LITTLE_ENDIAN) :
                length >= Integer.BYTES ? buffer.getInt(length - Integer.BYTES, ByteOrder.LITTLE_ENDIAN) : 0;
        }

        /** True if {@code buffer[at, at + length)} lies before {@code end} and holds these bytes. */
        boolean at(final DirectBuffer buffer, final int at, final int end)
        {
            if (at + length > end)
            {
                return false;
            }
            if (length >= Long.BYTES)
            {
                return buffer.getLong(at, ByteOrder.LITTLE_ENDIAN) == first &&
                    buffer.getLong(at + length - Long.BYTES, ByteOrder.LITTLE_ENDIAN) == last;
            }
            if (length >= Integer.BYTES)
            {
                return buffer.getInt(at, ByteOrder.LITTLE_ENDIAN) == (int)first &&
                    buffer.getInt(at + length - Integer.BYTES, ByteOrder.LITTLE_ENDIAN) == (int)last;
            }
            for (int i = 0; i < length; i++)
            {
                if (buffer.getByte(at + i) != bytes[i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
