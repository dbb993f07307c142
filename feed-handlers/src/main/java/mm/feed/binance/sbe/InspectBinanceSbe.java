package mm.feed.binance.sbe;

import mm.feed.binance.RecordingReader;
import mm.sbe.binance.stream.BestBidAskStreamEventDecoder;
import mm.sbe.binance.stream.DepthDiffStreamEventDecoder;
import mm.sbe.binance.stream.DepthSnapshotStreamEventDecoder;
import mm.sbe.binance.stream.MessageHeaderDecoder;
import mm.sbe.binance.stream.TradesStreamEventDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Engine of {@code ./mm inspect binance-sbe FILE...}: prints each Binance SBE market-data frame as one JSON
 * line with every wire field (header, template name, timestamps in µs and ISO-8601, exponents, mantissas with
 * their exact decimal text, group headers and entries, symbol), then a summary line.
 * <p>
 * A file is either text, one frame per line as hex, optionally prefixed by {@code <receive time> <space>}
 * (the {@link SbeRecording} format, gzip or plain; JSON lines in it, such as the REST snapshot, are noted and
 * not decoded), or binary: the raw bytes of one frame (a file holding a control byte other than tab, CR or LF
 * is binary: every SBE header holds zero bytes). A bad frame (truncated, other schema, unknown template,
 * malformed, invalid hex) is printed as far as its bytes allow, with {@code error} and {@code detail}, and
 * counted; {@link BinanceSbeDecoder} decides what is bad. Not a hot path: it allocates freely.
 * <p>
 * Exit codes: 0 when every frame decoded, 1 when any frame was bad, 2 on bad arguments or unreadable files.
 */
public final class InspectBinanceSbe
{
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final long NULL_TIME = TradesStreamEventDecoder.eventTimeNullValue();

    private final PrintStream out;
    private final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
    private final StringBuilder sb = new StringBuilder(1024);
    private long frames;
    private long badFrames;
    private long jsonLines;
    private long truncated;
    private long wrongSchema;
    private long unknownTemplate;
    private long malformed;
    private long invalidHex;

    private InspectBinanceSbe(final PrintStream out)
    {
        this.out = out;
    }

    /** Decodes every file given; see the class comment for formats and exit codes. */
    public static int run(final List<String> args, final PrintStream out)
    {
        if (args.isEmpty())
        {
            out.println("usage: mm inspect binance-sbe FILE... (hex frames one per line, optionally " +
                "'<recv ns> ' prefixed, gzip or plain; or one raw binary frame)");
            return 2;
        }
        final InspectBinanceSbe inspector = new InspectBinanceSbe(out);
        for (final String arg : args)
        {
            final Path file = Path.of(arg);
            final byte[] content;
            try
            {
                content = readMaybeGzip(file);
            }
            catch (final IOException ex)
            {
                out.println("{\"file\":" + quote(arg) + ",\"error\":\"cannot read\",\"detail\":" +
                    quote(String.valueOf(ex.getMessage())) + "}");
                return 2;
            }
            if (isBinary(content))
            {
                inspector.frame(new UnsafeBuffer(content), 0, content.length, -1, Long.MIN_VALUE);
            }
            else
            {
                inspector.textLines(content);
            }
        }
        inspector.summary();
        return inspector.badFrames == 0 ? 0 : 1;
    }

    private static byte[] readMaybeGzip(final Path file) throws IOException
    {
        final byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b)
        {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw)))
            {
                return in.readAllBytes();
            }
        }
        return raw;
    }

    private static boolean isBinary(final byte[] content)
    {
        for (final byte b : content)
        {
            if (b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t')
            {
                return true;
            }
        }
        return false;
    }

    private void textLines(final byte[] content)
    {
        final UnsafeBuffer text = new UnsafeBuffer(content);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[Math.max(1, content.length / 2)]);
        int lineNumber = 0;
        int start = 0;
        while (start < content.length)
        {
            int end = start;
            while (end < content.length && content[end] != '\n')
            {
                end++;
            }
            lineNumber++;
            int stop = end;
            while (stop > start && (content[stop - 1] == '\r' || content[stop - 1] == ' ' || content[stop - 1] == '\t'))
            {
                stop--;
            }
            line(text, start, stop, lineNumber, frame);
            start = end + 1;
        }
    }

    /** One text line: optional {@code <digits> <spaces>} prefix, then hex or JSON. */
    private void line(
        final DirectBuffer text, final int start, final int end, final int lineNumber, final UnsafeBuffer frame)
    {
        int i = start;
        while (i < end && text.getByte(i) == ' ')
        {
            i++;
        }
        if (i == end)
        {
            return; // blank line
        }
        long receiveTimeNs = Long.MIN_VALUE;
        int digitsEnd = i;
        long timestamp = 0;
        boolean overflow = false;
        while (digitsEnd < end && text.getByte(digitsEnd) >= '0' && text.getByte(digitsEnd) <= '9')
        {
            final int digit = text.getByte(digitsEnd) - '0';
            overflow |= timestamp > (Long.MAX_VALUE - digit) / 10;
            timestamp = timestamp * 10 + digit;
            digitsEnd++;
        }
        if (digitsEnd > i && digitsEnd < end && text.getByte(digitsEnd) == ' ' && !overflow)
        {
            receiveTimeNs = RecordingReader.toEpochNs(timestamp);
            i = digitsEnd;
            while (i < end && text.getByte(i) == ' ')
            {
                i++;
            }
        }
        if (i < end && (text.getByte(i) == '{' || text.getByte(i) == '['))
        {
            jsonLines++;
            sb.setLength(0);
            sb.append("{\"line\":").append(lineNumber);
            appendReceiveTime(receiveTimeNs);
            sb.append(",\"json\":true,\"length\":").append(end - i).append('}');
            out.println(sb);
            return;
        }
        final int length = SbeRecording.decodeHex(text, i, end - i, frame, 0);
        if (length < 0)
        {
            frames++;
            badFrames++;
            invalidHex++;
            sb.setLength(0);
            sb.append("{\"frame\":").append(frames).append(",\"line\":").append(lineNumber);
            appendReceiveTime(receiveTimeNs);
            sb.append(",\"error\":\"INVALID_HEX\",\"detail\":")
                .append(quote("payload is not an even number of hex digits (" + (end - i) + " characters)"))
                .append('}');
            out.println(sb);
            return;
        }
        frame(frame, 0, length, lineNumber, receiveTimeNs);
    }

    private void appendReceiveTime(final long receiveTimeNs)
    {
        if (receiveTimeNs != Long.MIN_VALUE)
        {
            sb.append(",\"recvNs\":").append(receiveTimeNs);
        }
    }

    /** Decodes, prints and counts one frame. */
    private void frame(
        final DirectBuffer buffer, final int offset, final int length, final int lineNumber, final long receiveTimeNs)
    {
        frames++;
        final int result = decoder.decode(buffer, offset, length);
        final StringBuilder sb = this.sb;
        sb.setLength(0);
        sb.append("{\"frame\":").append(frames);
        if (lineNumber >= 0)
        {
            sb.append(",\"line\":").append(lineNumber);
        }
        appendReceiveTime(receiveTimeNs);
        sb.append(",\"length\":").append(length);
        final Walk walk = new Walk(buffer, offset, length);
        if (length >= HEADER_LENGTH)
        {
            final MessageHeaderDecoder header = decoder.header();
            sb.append(",\"blockLength\":").append(header.blockLength())
                .append(",\"templateId\":").append(header.templateId())
                .append(",\"schemaId\":").append(header.schemaId())
                .append(",\"version\":").append(header.version());
            if (header.schemaId() == BinanceSbeDecoder.SCHEMA_ID)
            {
                switch (header.templateId())
                {
                    case TradesStreamEventDecoder.TEMPLATE_ID -> walk.trades(header);
                    case BestBidAskStreamEventDecoder.TEMPLATE_ID -> walk.bestBidAsk(header);
                    case DepthSnapshotStreamEventDecoder.TEMPLATE_ID -> walk.depthSnapshot(header);
                    case DepthDiffStreamEventDecoder.TEMPLATE_ID -> walk.depthDiff(header);
                    default ->
                    {
                    }
                }
            }
        }
        if (result < 0)
        {
            badFrames++;
            switch (result)
            {
                case BinanceSbeDecoder.TRUNCATED -> truncated++;
                case BinanceSbeDecoder.WRONG_SCHEMA -> wrongSchema++;
                case BinanceSbeDecoder.UNKNOWN_TEMPLATE -> unknownTemplate++;
                default -> malformed++;
            }
            sb.append(",\"error\":\"").append(BinanceSbeDecoder.resultName(result)).append("\",\"detail\":")
                .append(quote(detail(result, length)));
        }
        sb.append('}');
        out.println(sb);
    }

    private String detail(final int result, final int length)
    {
        final String where = BinanceSbeDecoder.sectionName(decoder.section()) +
            (decoder.groupName() == null ? "" : " of group " + decoder.groupName());
        return switch (result)
        {
            case BinanceSbeDecoder.TRUNCATED ->
                where + " needs " + decoder.requiredLength() + " bytes, the frame has " + length;
            case BinanceSbeDecoder.WRONG_SCHEMA ->
                "schema id " + decoder.schemaId() + ", expected " + BinanceSbeDecoder.SCHEMA_ID;
            case BinanceSbeDecoder.UNKNOWN_TEMPLATE ->
                "template id " + decoder.templateId() + " is not in schema " + BinanceSbeDecoder.SCHEMA_ID;
            default -> where + " contradicts the schema (at byte " + decoder.requiredLength() + ")";
        };
    }

    private void summary()
    {
        out.println("{\"summary\":true,\"frames\":" + frames + ",\"badFrames\":" + badFrames +
            ",\"truncated\":" + truncated + ",\"wrongSchema\":" + wrongSchema +
            ",\"unknownTemplate\":" + unknownTemplate + ",\"malformed\":" + malformed +
            ",\"invalidHex\":" + invalidHex + ",\"jsonLines\":" + jsonLines + "}");
    }

    /**
     * Prints the fields of one frame as far as its bytes allow: a field is printed only if it lies wholly
     * inside both the frame and the root block the header declares; groups and the symbol only if the root
     * block is complete and each preceding part fits.
     */
    private final class Walk
    {
        private final DirectBuffer buffer;
        private final int offset;
        private final int end;
        private int rootAvailable;

        Walk(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.offset = offset;
            this.end = offset + length;
        }

        /** Bytes of the root block present; false if the root block is not complete (or shorter than known). */
        private boolean root(final MessageHeaderDecoder header, final int knownBlockLength)
        {
            rootAvailable = Math.min(header.blockLength(), end - offset - HEADER_LENGTH);
            return header.blockLength() >= knownBlockLength && header.blockLength() <= end - offset - HEADER_LENGTH;
        }

        private boolean has(final int fieldOffset, final int fieldLength)
        {
            return fieldOffset + fieldLength <= rootAvailable;
        }

        private boolean fits(final int limit, final long length)
        {
            return length <= end - limit;
        }

        void trades(final MessageHeaderDecoder header)
        {
            final TradesStreamEventDecoder m = new TradesStreamEventDecoder();
            m.wrap(buffer, offset + HEADER_LENGTH, header.blockLength(), header.version());
            sb.append(",\"message\":\"TradesStreamEvent\"");
            final boolean complete = root(header, TradesStreamEventDecoder.BLOCK_LENGTH);
            if (has(TradesStreamEventDecoder.eventTimeEncodingOffset(),
                TradesStreamEventDecoder.eventTimeEncodingLength()))
            {
                time("eventTime", m.eventTime());
            }
            if (has(TradesStreamEventDecoder.transactTimeEncodingOffset(),
                TradesStreamEventDecoder.transactTimeEncodingLength()))
            {
                time("transactTime", m.transactTime());
            }
            if (has(TradesStreamEventDecoder.priceExponentEncodingOffset(),
                TradesStreamEventDecoder.priceExponentEncodingLength()))
            {
                sb.append(",\"priceExponent\":").append(m.priceExponent());
            }
            if (has(TradesStreamEventDecoder.qtyExponentEncodingOffset(),
                TradesStreamEventDecoder.qtyExponentEncodingLength()))
            {
                sb.append(",\"qtyExponent\":").append(m.qtyExponent());
            }
            if (!complete || !fits(m.limit(), TradesStreamEventDecoder.TradesDecoder.sbeHeaderSize()))
            {
                return;
            }
            final TradesStreamEventDecoder.TradesDecoder trades = m.trades();
            final long count = trades.count() & 0xFFFF_FFFFL;
            sb.append(",\"tradesBlockLength\":").append(trades.actingBlockLength())
                .append(",\"tradesCount\":").append(count);
            if (trades.count() < 0 ||
                (count > 0 && trades.actingBlockLength() < TradesStreamEventDecoder.TradesDecoder.sbeBlockLength()))
            {
                return;
            }
            sb.append(",\"trades\":[");
            final int pe = m.priceExponent();
            final int qe = m.qtyExponent();
            for (int i = 0; i < count; i++)
            {
                if (!fits(m.limit(), trades.actingBlockLength()))
                {
                    sb.append(']');
                    return;
                }
                trades.next();
                sb.append(i == 0 ? "{" : ",{");
                sb.append("\"id\":").append(trades.id());
                mantissa("price", trades.price(), pe);
                mantissa("qty", trades.qty(), qe);
                final short maker = trades.isBuyerMakerRaw();
                sb.append(",\"isBuyerMaker\":");
                if (maker == 0 || maker == 1)
                {
                    sb.append('"').append(maker == 1 ? "True" : "False").append('"');
                }
                else
                {
                    sb.append(maker);
                }
                sb.append(",\"isBestMatch\":\"").append(trades.isBestMatch().name()).append("\"}");
            }
            sb.append(']');
            symbol(m.limit(), TradesStreamEventDecoder.symbolHeaderLength(), m::symbolLength);
        }

        void bestBidAsk(final MessageHeaderDecoder header)
        {
            final BestBidAskStreamEventDecoder m = new BestBidAskStreamEventDecoder();
            m.wrap(buffer, offset + HEADER_LENGTH, header.blockLength(), header.version());
            sb.append(",\"message\":\"BestBidAskStreamEvent\"");
            final boolean complete = root(header, BestBidAskStreamEventDecoder.BLOCK_LENGTH);
            if (has(BestBidAskStreamEventDecoder.eventTimeEncodingOffset(),
                BestBidAskStreamEventDecoder.eventTimeEncodingLength()))
            {
                time("eventTime", m.eventTime());
            }
            if (has(BestBidAskStreamEventDecoder.bookUpdateIdEncodingOffset(),
                BestBidAskStreamEventDecoder.bookUpdateIdEncodingLength()))
            {
                sb.append(",\"bookUpdateId\":").append(m.bookUpdateId());
            }
            final boolean hasPe = has(BestBidAskStreamEventDecoder.priceExponentEncodingOffset(),
                BestBidAskStreamEventDecoder.priceExponentEncodingLength());
            final boolean hasQe = has(BestBidAskStreamEventDecoder.qtyExponentEncodingOffset(),
                BestBidAskStreamEventDecoder.qtyExponentEncodingLength());
            if (hasPe)
            {
                sb.append(",\"priceExponent\":").append(m.priceExponent());
            }
            if (hasQe)
            {
                sb.append(",\"qtyExponent\":").append(m.qtyExponent());
            }
            if (hasPe && hasQe)
            {
                final int pe = m.priceExponent();
                final int qe = m.qtyExponent();
                if (has(BestBidAskStreamEventDecoder.bidPriceEncodingOffset(),
                    BestBidAskStreamEventDecoder.bidPriceEncodingLength()))
                {
                    mantissa("bidPrice", m.bidPrice(), pe);
                }
                if (has(BestBidAskStreamEventDecoder.bidQtyEncodingOffset(),
                    BestBidAskStreamEventDecoder.bidQtyEncodingLength()))
                {
                    mantissa("bidQty", m.bidQty(), qe);
                }
                if (has(BestBidAskStreamEventDecoder.askPriceEncodingOffset(),
                    BestBidAskStreamEventDecoder.askPriceEncodingLength()))
                {
                    mantissa("askPrice", m.askPrice(), pe);
                }
                if (has(BestBidAskStreamEventDecoder.askQtyEncodingOffset(),
                    BestBidAskStreamEventDecoder.askQtyEncodingLength()))
                {
                    mantissa("askQty", m.askQty(), qe);
                }
            }
            if (complete)
            {
                symbol(m.limit(), BestBidAskStreamEventDecoder.symbolHeaderLength(), m::symbolLength);
            }
        }

        void depthSnapshot(final MessageHeaderDecoder header)
        {
            final DepthSnapshotStreamEventDecoder m = new DepthSnapshotStreamEventDecoder();
            m.wrap(buffer, offset + HEADER_LENGTH, header.blockLength(), header.version());
            sb.append(",\"message\":\"DepthSnapshotStreamEvent\"");
            final boolean complete = root(header, DepthSnapshotStreamEventDecoder.BLOCK_LENGTH);
            if (has(DepthSnapshotStreamEventDecoder.eventTimeEncodingOffset(),
                DepthSnapshotStreamEventDecoder.eventTimeEncodingLength()))
            {
                time("eventTime", m.eventTime());
            }
            if (has(DepthSnapshotStreamEventDecoder.bookUpdateIdEncodingOffset(),
                DepthSnapshotStreamEventDecoder.bookUpdateIdEncodingLength()))
            {
                sb.append(",\"bookUpdateId\":").append(m.bookUpdateId());
            }
            if (has(DepthSnapshotStreamEventDecoder.priceExponentEncodingOffset(),
                DepthSnapshotStreamEventDecoder.priceExponentEncodingLength()))
            {
                sb.append(",\"priceExponent\":").append(m.priceExponent());
            }
            if (has(DepthSnapshotStreamEventDecoder.qtyExponentEncodingOffset(),
                DepthSnapshotStreamEventDecoder.qtyExponentEncodingLength()))
            {
                sb.append(",\"qtyExponent\":").append(m.qtyExponent());
            }
            if (!complete)
            {
                return;
            }
            final int pe = m.priceExponent();
            final int qe = m.qtyExponent();
            if (!fits(m.limit(), DepthSnapshotStreamEventDecoder.BidsDecoder.sbeHeaderSize()))
            {
                return;
            }
            final DepthSnapshotStreamEventDecoder.BidsDecoder bids = m.bids();
            if (!levels("bids", bids.actingBlockLength(), bids.count(),
                DepthSnapshotStreamEventDecoder.BidsDecoder.sbeBlockLength(), m::limit, () ->
                {
                    bids.next();
                    return new long[] {bids.price(), bids.qty()};
                }, pe, qe))
            {
                return;
            }
            if (!fits(m.limit(), DepthSnapshotStreamEventDecoder.AsksDecoder.sbeHeaderSize()))
            {
                return;
            }
            final DepthSnapshotStreamEventDecoder.AsksDecoder asks = m.asks();
            if (!levels("asks", asks.actingBlockLength(), asks.count(),
                DepthSnapshotStreamEventDecoder.AsksDecoder.sbeBlockLength(), m::limit, () ->
                {
                    asks.next();
                    return new long[] {asks.price(), asks.qty()};
                }, pe, qe))
            {
                return;
            }
            symbol(m.limit(), DepthSnapshotStreamEventDecoder.symbolHeaderLength(), m::symbolLength);
        }

        void depthDiff(final MessageHeaderDecoder header)
        {
            final DepthDiffStreamEventDecoder m = new DepthDiffStreamEventDecoder();
            m.wrap(buffer, offset + HEADER_LENGTH, header.blockLength(), header.version());
            sb.append(",\"message\":\"DepthDiffStreamEvent\"");
            final boolean complete = root(header, DepthDiffStreamEventDecoder.BLOCK_LENGTH);
            if (has(DepthDiffStreamEventDecoder.eventTimeEncodingOffset(),
                DepthDiffStreamEventDecoder.eventTimeEncodingLength()))
            {
                time("eventTime", m.eventTime());
            }
            if (has(DepthDiffStreamEventDecoder.firstBookUpdateIdEncodingOffset(),
                DepthDiffStreamEventDecoder.firstBookUpdateIdEncodingLength()))
            {
                sb.append(",\"firstBookUpdateId\":").append(m.firstBookUpdateId());
            }
            if (has(DepthDiffStreamEventDecoder.lastBookUpdateIdEncodingOffset(),
                DepthDiffStreamEventDecoder.lastBookUpdateIdEncodingLength()))
            {
                sb.append(",\"lastBookUpdateId\":").append(m.lastBookUpdateId());
            }
            if (has(DepthDiffStreamEventDecoder.priceExponentEncodingOffset(),
                DepthDiffStreamEventDecoder.priceExponentEncodingLength()))
            {
                sb.append(",\"priceExponent\":").append(m.priceExponent());
            }
            if (has(DepthDiffStreamEventDecoder.qtyExponentEncodingOffset(),
                DepthDiffStreamEventDecoder.qtyExponentEncodingLength()))
            {
                sb.append(",\"qtyExponent\":").append(m.qtyExponent());
            }
            if (!complete)
            {
                return;
            }
            final int pe = m.priceExponent();
            final int qe = m.qtyExponent();
            if (!fits(m.limit(), DepthDiffStreamEventDecoder.BidsDecoder.sbeHeaderSize()))
            {
                return;
            }
            final DepthDiffStreamEventDecoder.BidsDecoder bids = m.bids();
            if (!levels("bids", bids.actingBlockLength(), bids.count(),
                DepthDiffStreamEventDecoder.BidsDecoder.sbeBlockLength(), m::limit, () ->
                {
                    bids.next();
                    return new long[] {bids.price(), bids.qty()};
                }, pe, qe))
            {
                return;
            }
            if (!fits(m.limit(), DepthDiffStreamEventDecoder.AsksDecoder.sbeHeaderSize()))
            {
                return;
            }
            final DepthDiffStreamEventDecoder.AsksDecoder asks = m.asks();
            if (!levels("asks", asks.actingBlockLength(), asks.count(),
                DepthDiffStreamEventDecoder.AsksDecoder.sbeBlockLength(), m::limit, () ->
                {
                    asks.next();
                    return new long[] {asks.price(), asks.qty()};
                }, pe, qe))
            {
                return;
            }
            symbol(m.limit(), DepthDiffStreamEventDecoder.symbolHeaderLength(), m::symbolLength);
        }

        /** A price-level group: header fields, then each entry that fits; false if not complete. */
        private boolean levels(
            final String name, final int entryLength, final int count, final int knownEntryLength,
            final IntSupplier limit, final Supplier<long[]> next,
            final int pe, final int qe)
        {
            sb.append(",\"").append(name).append("BlockLength\":").append(entryLength)
                .append(",\"").append(name).append("Count\":").append(count);
            if (count > 0 && entryLength < knownEntryLength)
            {
                return false;
            }
            sb.append(",\"").append(name).append("\":[");
            for (int i = 0; i < count; i++)
            {
                if (!fits(limit.getAsInt(), entryLength))
                {
                    sb.append(']');
                    return false;
                }
                final long[] level = next.get();
                sb.append(i == 0 ? "{" : ",{");
                sb.append("\"price\":").append(level[0]);
                sb.append(",\"priceDecimal\":\"").append(decimal(level[0], pe)).append('"');
                sb.append(",\"qty\":").append(level[1]);
                sb.append(",\"qtyDecimal\":\"").append(decimal(level[1], qe)).append("\"}");
            }
            sb.append(']');
            return true;
        }

        /** The var-data symbol, if its length byte and bytes are in the frame. */
        private void symbol(final int limit, final int headerLength, final IntSupplier symbolLength)
        {
            if (!fits(limit, headerLength))
            {
                return;
            }
            final int length = symbolLength.getAsInt();
            if (!fits(limit + headerLength, length))
            {
                return;
            }
            final byte[] bytes = new byte[length];
            buffer.getBytes(limit + headerLength, bytes);
            sb.append(",\"symbol\":").append(quote(new String(bytes, StandardCharsets.UTF_8)));
        }

        private void mantissa(final String name, final long mantissa, final int exponent)
        {
            sb.append(",\"").append(name).append("\":").append(mantissa)
                .append(",\"").append(name).append("Decimal\":\"").append(decimal(mantissa, exponent)).append('"');
        }

        private void time(final String name, final long timeUs)
        {
            sb.append(",\"").append(name).append("Us\":");
            if (timeUs == NULL_TIME)
            {
                sb.append("null,\"").append(name).append("\":null");
                return;
            }
            sb.append(timeUs).append(",\"").append(name).append("\":\"").append(iso(timeUs)).append('"');
        }
    }

    /** Exact decimal text of {@code mantissa * 10^exponent}, any int8 exponent. */
    static String decimal(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent).toPlainString();
    }

    /** ISO-8601 UTC of an epoch time in microseconds, e.g. {@code 2025-10-06T08:02:47.354941Z}. */
    static String iso(final long timeUs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(timeUs, 1_000_000L), Math.floorMod(timeUs, 1_000_000L) * 1_000L)
            .toString();
    }

    private static String quote(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
