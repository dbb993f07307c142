package mm.feed.binance.sbe;

import mm.sbe.binance.stream.BestBidAskStreamEventDecoder;
import mm.sbe.binance.stream.DepthDiffStreamEventDecoder;
import mm.sbe.binance.stream.DepthSnapshotStreamEventDecoder;
import mm.sbe.binance.stream.MessageHeaderDecoder;
import mm.sbe.binance.stream.TradesStreamEventDecoder;
import org.agrona.DirectBuffer;

/**
 * Validates one Binance spot SBE market-data frame (schema {@code spot_stream}, id 1) and positions the
 * generated flyweight of its message on it, without allocating.
 * <p>
 * Every length is checked against the frame before anything is read from it: the message header, the root
 * block, each group's header and entries, and the var-data symbol; the generated decoders then read only
 * bytes known to be inside the frame (their own reads are not bounds-checked against the frame, which may sit
 * in a larger buffer). As SBE intends, the root block is skipped by the header's {@code blockLength} and group
 * entries by each group header's {@code blockLength}, so a newer schema version that appends fields decodes
 * the fields we know. Problems are returned as negative codes, never thrown: {@link #TRUNCATED},
 * {@link #WRONG_SCHEMA}, {@link #UNKNOWN_TEMPLATE}, {@link #MALFORMED}; {@link #section()} and
 * {@link #requiredLength()} say where a frame broke. Bytes after the symbol are ignored (a newer version may
 * append var data).
 * <p>
 * After a successful {@link #decode}, the matching accessor ({@link #trades()}, {@link #bestBidAsk()},
 * {@link #depthSnapshot()}, {@link #depthDiff()}) returns the flyweight rewound to its root block; the
 * symbol's position is in {@link #symbolOffset()} and {@link #symbolLength()}. Valid until the next decode
 * and while the frame's bytes are unchanged. Single-threaded.
 */
public final class BinanceSbeDecoder
{
    /** The schema id of Binance's spot stream schema ({@code stream_1_0.xml}). */
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;

    public static final int TRADES = 1;
    public static final int BEST_BID_ASK = 2;
    public static final int DEPTH_SNAPSHOT = 3;
    public static final int DEPTH_DIFF = 4;

    /** The frame ends before the part named by {@link #section()} does. */
    public static final int TRUNCATED = -1;
    /** The header's schema id is not {@link #SCHEMA_ID}. */
    public static final int WRONG_SCHEMA = -2;
    /** A template id this schema version does not define. */
    public static final int UNKNOWN_TEMPLATE = -3;
    /** Lengths that contradict the schema: a root block or group entry shorter than its known fields, a group
     * count beyond its type's range, or an enum value the schema does not define. */
    public static final int MALFORMED = -4;

    public static final int SECTION_NONE = 0;
    public static final int SECTION_HEADER = 1;
    public static final int SECTION_ROOT_BLOCK = 2;
    public static final int SECTION_GROUP_HEADER = 3;
    public static final int SECTION_GROUP_ENTRIES = 4;
    public static final int SECTION_VAR_DATA_HEADER = 5;
    public static final int SECTION_VAR_DATA = 6;

    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    /** {@code boolEnum} values on the wire; anything else is not a value of the schema. */
    private static final short FALSE = 0;
    private static final short TRUE = 1;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TradesStreamEventDecoder trades = new TradesStreamEventDecoder();
    private final BestBidAskStreamEventDecoder bestBidAsk = new BestBidAskStreamEventDecoder();
    private final DepthSnapshotStreamEventDecoder depthSnapshot = new DepthSnapshotStreamEventDecoder();
    private final DepthDiffStreamEventDecoder depthDiff = new DepthDiffStreamEventDecoder();

    private DirectBuffer buffer;
    private int frameOffset;
    private int frameEnd;
    private int result;
    private int blockLength;
    private int templateId;
    private int schemaId;
    private int version;
    private int section;
    private String groupName;
    private int requiredLength;
    private int symbolOffset;
    private int symbolLength;
    private int messageLength;

    /**
     * Validates {@code buffer[offset, offset + length)} as one SBE message.
     *
     * @return {@link #TRADES}, {@link #BEST_BID_ASK}, {@link #DEPTH_SNAPSHOT}, {@link #DEPTH_DIFF}, or a
     * negative problem code.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        frameOffset = offset;
        frameEnd = offset + Math.max(length, 0);
        blockLength = 0;
        templateId = 0;
        schemaId = 0;
        version = 0;
        section = SECTION_NONE;
        groupName = null;
        requiredLength = 0;
        symbolOffset = 0;
        symbolLength = 0;
        messageLength = 0;
        if (length < HEADER_LENGTH)
        {
            return result = fail(TRUNCATED, SECTION_HEADER, HEADER_LENGTH);
        }
        header.wrap(buffer, offset);
        blockLength = header.blockLength();
        templateId = header.templateId();
        schemaId = header.schemaId();
        version = header.version();
        if (schemaId != SCHEMA_ID)
        {
            return result = fail(WRONG_SCHEMA, SECTION_HEADER, HEADER_LENGTH);
        }
        return result = switch (templateId)
        {
            case TradesStreamEventDecoder.TEMPLATE_ID -> decodeTrades();
            case BestBidAskStreamEventDecoder.TEMPLATE_ID -> decodeBestBidAsk();
            case DepthSnapshotStreamEventDecoder.TEMPLATE_ID -> decodeDepthSnapshot();
            case DepthDiffStreamEventDecoder.TEMPLATE_ID -> decodeDepthDiff();
            default -> fail(UNKNOWN_TEMPLATE, SECTION_HEADER, HEADER_LENGTH);
        };
    }

    private int decodeTrades()
    {
        final TradesStreamEventDecoder message = trades;
        if (!rootBlockFits(TradesStreamEventDecoder.BLOCK_LENGTH))
        {
            return result;
        }
        message.wrap(buffer, frameOffset + HEADER_LENGTH, blockLength, version);
        groupName = "trades";
        if (!groupHeaderFits(message.limit(), TradesStreamEventDecoder.TradesDecoder.sbeHeaderSize()))
        {
            return result;
        }
        final TradesStreamEventDecoder.TradesDecoder group = message.trades();
        final int count = group.count();
        if (count < 0) // numInGroup is uint32 on the wire: above 2^31-1 it is beyond the schema's maxValue
        {
            return fail(MALFORMED, SECTION_GROUP_HEADER, message.limit());
        }
        if (!entriesFit(message.limit(), count, group.actingBlockLength(),
            TradesStreamEventDecoder.TradesDecoder.sbeBlockLength()))
        {
            return result;
        }
        while (group.hasNext())
        {
            final short maker = group.next().isBuyerMakerRaw();
            if (maker != FALSE && maker != TRUE)
            {
                return fail(MALFORMED, SECTION_GROUP_ENTRIES, message.limit());
            }
        }
        groupName = null;
        if (!varDataHeaderFits(message.limit(), TradesStreamEventDecoder.symbolHeaderLength()) ||
            !symbolFits(message.limit(), TradesStreamEventDecoder.symbolHeaderLength(), message.symbolLength()))
        {
            return result;
        }
        message.sbeRewind();
        return TRADES;
    }

    private int decodeBestBidAsk()
    {
        final BestBidAskStreamEventDecoder message = bestBidAsk;
        if (!rootBlockFits(BestBidAskStreamEventDecoder.BLOCK_LENGTH))
        {
            return result;
        }
        message.wrap(buffer, frameOffset + HEADER_LENGTH, blockLength, version);
        if (!varDataHeaderFits(message.limit(), BestBidAskStreamEventDecoder.symbolHeaderLength()) ||
            !symbolFits(message.limit(), BestBidAskStreamEventDecoder.symbolHeaderLength(), message.symbolLength()))
        {
            return result;
        }
        return BEST_BID_ASK;
    }

    private int decodeDepthSnapshot()
    {
        final DepthSnapshotStreamEventDecoder message = depthSnapshot;
        if (!rootBlockFits(DepthSnapshotStreamEventDecoder.BLOCK_LENGTH))
        {
            return result;
        }
        message.wrap(buffer, frameOffset + HEADER_LENGTH, blockLength, version);
        groupName = "bids";
        if (!groupHeaderFits(message.limit(), DepthSnapshotStreamEventDecoder.BidsDecoder.sbeHeaderSize()))
        {
            return result;
        }
        final DepthSnapshotStreamEventDecoder.BidsDecoder bids = message.bids();
        if (!entriesFit(message.limit(), bids.count(), bids.actingBlockLength(),
            DepthSnapshotStreamEventDecoder.BidsDecoder.sbeBlockLength()))
        {
            return result;
        }
        while (bids.hasNext())
        {
            bids.next();
        }
        groupName = "asks";
        if (!groupHeaderFits(message.limit(), DepthSnapshotStreamEventDecoder.AsksDecoder.sbeHeaderSize()))
        {
            return result;
        }
        final DepthSnapshotStreamEventDecoder.AsksDecoder asks = message.asks();
        if (!entriesFit(message.limit(), asks.count(), asks.actingBlockLength(),
            DepthSnapshotStreamEventDecoder.AsksDecoder.sbeBlockLength()))
        {
            return result;
        }
        while (asks.hasNext())
        {
            asks.next();
        }
        groupName = null;
        if (!varDataHeaderFits(message.limit(), DepthSnapshotStreamEventDecoder.symbolHeaderLength()) ||
            !symbolFits(message.limit(), DepthSnapshotStreamEventDecoder.symbolHeaderLength(), message.symbolLength()))
        {
            return result;
        }
        message.sbeRewind();
        return DEPTH_SNAPSHOT;
    }

    private int decodeDepthDiff()
    {
        final DepthDiffStreamEventDecoder message = depthDiff;
        if (!rootBlockFits(DepthDiffStreamEventDecoder.BLOCK_LENGTH))
        {
            return result;
        }
        message.wrap(buffer, frameOffset + HEADER_LENGTH, blockLength, version);
        groupName = "bids";
        if (!groupHeaderFits(message.limit(), DepthDiffStreamEventDecoder.BidsDecoder.sbeHeaderSize()))
        {
            return result;
        }
        final DepthDiffStreamEventDecoder.BidsDecoder bids = message.bids();
        if (!entriesFit(message.limit(), bids.count(), bids.actingBlockLength(),
            DepthDiffStreamEventDecoder.BidsDecoder.sbeBlockLength()))
        {
            return result;
        }
        while (bids.hasNext())
        {
            bids.next();
        }
        groupName = "asks";
        if (!groupHeaderFits(message.limit(), DepthDiffStreamEventDecoder.AsksDecoder.sbeHeaderSize()))
        {
            return result;
        }
        final DepthDiffStreamEventDecoder.AsksDecoder asks = message.asks();
        if (!entriesFit(message.limit(), asks.count(), asks.actingBlockLength(),
            DepthDiffStreamEventDecoder.AsksDecoder.sbeBlockLength()))
        {
            return result;
        }
        while (asks.hasNext())
        {
            asks.next();
        }
        groupName = null;
        if (!varDataHeaderFits(message.limit(), DepthDiffStreamEventDecoder.symbolHeaderLength()) ||
            !symbolFits(message.limit(), DepthDiffStreamEventDecoder.symbolHeaderLength(), message.symbolLength()))
        {
            return result;
        }
        message.sbeRewind();
        return DEPTH_DIFF;
    }

    /** The header's root block must hold at least the fields we know and must lie inside the frame. */
    private boolean rootBlockFits(final int knownBlockLength)
    {
        if (blockLength < knownBlockLength)
        {
            fail(MALFORMED, SECTION_ROOT_BLOCK, HEADER_LENGTH + knownBlockLength);
            return false;
        }
        if (blockLength > frameEnd - frameOffset - HEADER_LENGTH)
        {
            fail(TRUNCATED, SECTION_ROOT_BLOCK, HEADER_LENGTH + blockLength);
            return false;
        }
        return true;
    }

    private boolean groupHeaderFits(final int limit, final int headerSize)
    {
        if (headerSize > frameEnd - limit)
        {
            fail(TRUNCATED, SECTION_GROUP_HEADER, limit - frameOffset + headerSize);
            return false;
        }
        return true;
    }

    /** {@code count} entries of the group header's {@code entryLength} must lie inside the frame. */
    private boolean entriesFit(final int limit, final int count, final int entryLength, final int knownEntryLength)
    {
        if (count > 0 && entryLength < knownEntryLength)
        {
            fail(MALFORMED, SECTION_GROUP_HEADER, limit - frameOffset);
            return false;
        }
        final long needed = (long)count * entryLength;
        if (needed > frameEnd - limit)
        {
            fail(TRUNCATED, SECTION_GROUP_ENTRIES, (int)Math.min(Integer.MAX_VALUE, limit - frameOffset + needed));
            return false;
        }
        return true;
    }

    /** The var-data symbol's length field must be inside the frame before it is read. */
    private boolean varDataHeaderFits(final int limit, final int headerLength)
    {
        if (headerLength > frameEnd - limit)
        {
            fail(TRUNCATED, SECTION_VAR_DATA_HEADER, limit - frameOffset + headerLength);
            return false;
        }
        return true;
    }

    /** Then its {@code length} bytes. */
    private boolean symbolFits(final int limit, final int headerLength, final int length)
    {
        if (length > frameEnd - limit - headerLength)
        {
            fail(TRUNCATED, SECTION_VAR_DATA, limit - frameOffset + headerLength + length);
            return false;
        }
        symbolOffset = limit + headerLength;
        symbolLength = length;
        messageLength = limit + headerLength + length - frameOffset;
        return true;
    }

    private int fail(final int code, final int section, final int requiredLength)
    {
        this.result = code;
        this.section = section;
        this.requiredLength = requiredLength;
        return code;
    }

    /** Result of the last {@link #decode}. */
    public int result()
    {
        return result;
    }

    /** Header fields of the last frame (0 when the header itself was truncated). */
    public int blockLength()
    {
        return blockLength;
    }

    public int templateId()
    {
        return templateId;
    }

    public int schemaId()
    {
        return schemaId;
    }

    public int version()
    {
        return version;
    }

    /** Where the last frame broke: one of the {@code SECTION_*} constants, {@link #SECTION_NONE} if it did not. */
    public int section()
    {
        return section;
    }

    /** The group being read when the frame broke, or null (not a group, or no problem). */
    public String groupName()
    {
        return groupName;
    }

    /** Bytes from the frame's start that the failing part needed (more than the frame has when truncated). */
    public int requiredLength()
    {
        return requiredLength;
    }

    /** Bytes of the message, header to the end of the symbol; the frame may hold more (ignored). */
    public int messageLength()
    {
        return messageLength;
    }

    /** Absolute offset of the symbol's bytes in the frame's buffer. */
    public int symbolOffset()
    {
        return symbolOffset;
    }

    public int symbolLength()
    {
        return symbolLength;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public MessageHeaderDecoder header()
    {
        return header;
    }

    /** The trades event, rewound to its root block; valid after {@link #decode} returned {@link #TRADES}. */
    public TradesStreamEventDecoder trades()
    {
        return trades;
    }

    /** Valid after {@link #decode} returned {@link #BEST_BID_ASK}. */
    public BestBidAskStreamEventDecoder bestBidAsk()
    {
        return bestBidAsk;
    }

    /** Rewound to its root block; valid after {@link #decode} returned {@link #DEPTH_SNAPSHOT}. */
    public DepthSnapshotStreamEventDecoder depthSnapshot()
    {
        return depthSnapshot;
    }

    /** Rewound to its root block; valid after {@link #decode} returned {@link #DEPTH_DIFF}. */
    public DepthDiffStreamEventDecoder depthDiff()
    {
        return depthDiff;
    }

    /** Name of a result code, for reports. */
    public static String resultName(final int result)
    {
        return switch (result)
        {
            case TRADES -> "TradesStreamEvent";
            case BEST_BID_ASK -> "BestBidAskStreamEvent";
            case DEPTH_SNAPSHOT -> "DepthSnapshotStreamEvent";
            case DEPTH_DIFF -> "DepthDiffStreamEvent";
            case TRUNCATED -> "TRUNCATED";
            case WRONG_SCHEMA -> "WRONG_SCHEMA";
            case UNKNOWN_TEMPLATE -> "UNKNOWN_TEMPLATE";
            case MALFORMED -> "MALFORMED";
            default -> "UNKNOWN_RESULT_" + result;
        };
    }

    /** Name of a section constant, for reports. */
    public static String sectionName(final int section)
    {
        return switch (section)
        {
            case SECTION_HEADER -> "header";
            case SECTION_ROOT_BLOCK -> "root block";
            case SECTION_GROUP_HEADER -> "group header";
            case SECTION_GROUP_ENTRIES -> "group entries";
            case SECTION_VAR_DATA_HEADER -> "var data length";
            case SECTION_VAR_DATA -> "var data";
            default -> "none";
        };
    }
}
