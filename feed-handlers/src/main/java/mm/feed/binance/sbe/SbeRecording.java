package mm.feed.binance.sbe;

import mm.common.Decimals;
import mm.feed.binance.BinanceJsonDecoder;
import mm.feed.binance.RecordingReader;
import mm.sbe.binance.stream.BestBidAskStreamEventEncoder;
import mm.sbe.binance.stream.BoolEnum;
import mm.sbe.binance.stream.DepthDiffStreamEventEncoder;
import mm.sbe.binance.stream.MessageHeaderEncoder;
import mm.sbe.binance.stream.TradesStreamEventEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The SBE recording format, and the converter that makes one from an hftbacktest JSON recording, so that tests,
 * {@code inspect} and the fake venue can replay real Binance data as the SBE stream would have sent it.
 * <p>
 * Format: text lines {@code <receive time ns> <space> <payload>}, gzip-compressed when the file name ends in
 * {@code .gz} (readers detect gzip by its magic bytes), so that files stay diffable with {@code zcat}. The
 * payload is either the lower-case hex of one complete SBE frame (a WebSocket binary message: 8-byte message
 * header first, schema {@code spot_stream} id 1 version 0, encoded with the generated encoders of Binance's
 * {@code stream_1_0.xml}), or a JSON message kept verbatim: the REST depth snapshot (it is JSON on the real
 * venue too) and anything the SBE stream has no message for (futures diffs with {@code pu}, aggTrade,
 * markPrice, unknown or malformed lines). {@link RecordingReader} reads the format; a payload made only of
 * hex digits is a frame.
 * <p>
 * Mapping: {@code trade} → {@code TradesStreamEvent} with one trade (event time {@code E}, transact time
 * {@code T}, both ms → µs); {@code bookTicker} → {@code BestBidAskStreamEvent} (spot bookTicker JSON has no
 * event time: the frame carries the SBE null value, read back as "unknown"; with {@code E} present it is used);
 * {@code depthUpdate} → {@code DepthDiffStreamEvent} ({@code U}, {@code u}, {@code E}, levels in message order).
 * <p>
 * Exponents: one price and one quantity exponent per message, like Binance. The default is
 * {@link #DEFAULT_PRICE_EXPONENT}/{@link #DEFAULT_QTY_EXPONENT} = -8/-8, what Binance's SBE stream sends for
 * spot BTCUSDT (see the real captured prefixes in {@code sbe_stream_vectors.json}) and the 8 decimals its spot
 * JSON shows. Conversion never rounds: a JSON value with more decimals than the exponent allows (or too large
 * for an int64 mantissa) stops the conversion with an {@link IllegalArgumentException} naming the line.
 * Not a hot path: it allocates freely.
 */
public final class SbeRecording
{
    public static final int DEFAULT_PRICE_EXPONENT = -8;
    public static final int DEFAULT_QTY_EXPONENT = -8;

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private SbeRecording()
    {
    }

    /**
     * One line of an SBE recording.
     *
     * @param receiveTimeNs local receive time, epoch ns.
     * @param sbe true if {@code bytes} is an SBE frame, false if it is a JSON message kept as text.
     * @param bytes the frame, or the JSON's UTF-8 bytes.
     */
    public record Entry(long receiveTimeNs, boolean sbe, byte[] bytes)
    {
        /** The payload as it appears in the file: hex for a frame, the JSON text otherwise. */
        public String payloadText()
        {
            return sbe ? toHex(bytes, 0, bytes.length) : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Counts of one conversion. */
    public record Summary(long lines, long trades, long bestBidAsks, long depthDiffs, long keptJson, long snapshots)
    {
        public long frames()
        {
            return trades + bestBidAsks + depthDiffs;
        }
    }

    /** Converts JSON recordings (in order) into entries in memory at the default exponents. */
    public static List<Entry> encode(final List<Path> jsonRecordings)
    {
        return encode(jsonRecordings, DEFAULT_PRICE_EXPONENT, DEFAULT_QTY_EXPONENT);
    }

    /** Converts JSON recordings (in order) into entries in memory: frames and JSON lines, in recorded order. */
    public static List<Entry> encode(final List<Path> jsonRecordings, final int priceExponent, final int qtyExponent)
    {
        final List<Entry> entries = new ArrayList<>();
        convert(jsonRecordings, priceExponent, qtyExponent, (receiveTimeNs, sbe, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            entries.add(new Entry(receiveTimeNs, sbe, bytes));
        });
        return entries;
    }

    /** Converts JSON recordings into an SBE recording file (gzip if its name ends in {@code .gz}). */
    public static Summary convert(
        final List<Path> jsonRecordings, final Path output, final int priceExponent, final int qtyExponent)
    {
        try (LineWriter writer = new LineWriter(output))
        {
            return convert(jsonRecordings, priceExponent, qtyExponent, writer::write);
        }
    }

    /** Writes entries as an SBE recording file (gzip if its name ends in {@code .gz}). */
    public static void write(final List<Entry> entries, final Path output)
    {
        try (LineWriter writer = new LineWriter(output))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            for (final Entry entry : entries)
            {
                buffer.wrap(entry.bytes());
                writer.write(entry.receiveTimeNs(), entry.sbe(), buffer, 0, entry.bytes().length);
            }
        }
    }

    /**
     * Reads SBE recordings (in order) into memory. Lines whose payload is not valid hex are JSON entries; lines
     * without a timestamp are skipped, as {@link RecordingReader} does.
     */
    public static List<Entry> read(final List<Path> recordings)
    {
        final List<Entry> entries = new ArrayList<>();
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(1024);
        try (RecordingReader reader = new RecordingReader(recordings))
        {
            while (reader.next())
            {
                final DirectBuffer line = reader.buffer();
                final int length = decodeHex(line, reader.jsonOffset(), reader.jsonLength(), frame, 0);
                final byte[] bytes;
                if (length >= 0)
                {
                    bytes = Arrays.copyOf(frame.byteArray(), length);
                }
                else
                {
                    bytes = new byte[reader.jsonLength()];
                    line.getBytes(reader.jsonOffset(), bytes);
                }
                entries.add(new Entry(reader.receiveTimeNs(), length >= 0, bytes));
            }
        }
        return entries;
    }

    /** Receives each converted line. */
    @FunctionalInterface
    public interface LineSink
    {
        void write(long receiveTimeNs, boolean sbe, DirectBuffer buffer, int offset, int length);
    }

    /** Streams the conversion of JSON recordings to a sink, line by line. */
    public static Summary convert(
        final List<Path> jsonRecordings, final int priceExponent, final int qtyExponent, final LineSink sink)
    {
        final Encoder encoder = new Encoder(priceExponent, qtyExponent);
        final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(4096);
        long lines = 0;
        long trades = 0;
        long bestBidAsks = 0;
        long depthDiffs = 0;
        long keptJson = 0;
        long snapshots = 0;
        try (RecordingReader reader = new RecordingReader(jsonRecordings))
        {
            while (reader.next())
            {
                lines++;
                final DirectBuffer line = reader.buffer();
                final int type = decoder.decode(line, reader.jsonOffset(), reader.jsonLength());
                final int length;
                try
                {
                    length = encoder.encode(decoder, frame, 0);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(reader.currentFile() + " line " + reader.lineNumber() +
                        ": " + ex.getMessage(), ex);
                }
                if (length > 0)
                {
                    switch (type)
                    {
                        case BinanceJsonDecoder.TRADE -> trades++;
                        case BinanceJsonDecoder.BOOK_TICKER -> bestBidAsks++;
                        default -> depthDiffs++;
                    }
                    sink.write(reader.receiveTimeNs(), true, frame, 0, length);
                }
                else
                {
                    if (type == BinanceJsonDecoder.SNAPSHOT)
                    {
                        snapshots++;
                    }
                    keptJson++;
                    sink.write(reader.receiveTimeNs(), false, line, reader.jsonOffset(), reader.jsonLength());
                }
            }
        }
        return new Summary(lines, trades, bestBidAsks, depthDiffs, keptJson, snapshots);
    }

    /**
     * Turns one decoded Binance JSON message into the SBE frame Binance's SBE stream would send for it, with the
     * generated encoders; reusable, allocation-free per message.
     */
    public static final class Encoder
    {
        /** JSON millisecond times become SBE microseconds. */
        private static final long US_PER_MS = 1_000L;
        /** varString8: a uint8 length whose 255 is the null value. */
        private static final int MAX_SYMBOL_LENGTH = 254;

        private final int priceExponent;
        private final int qtyExponent;
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final TradesStreamEventEncoder trade = new TradesStreamEventEncoder();
        private final BestBidAskStreamEventEncoder bestBidAsk = new BestBidAskStreamEventEncoder();
        private final DepthDiffStreamEventEncoder depthDiff = new DepthDiffStreamEventEncoder();

        /** @param priceExponent exponent of every price mantissa written, e.g. -8; likewise {@code qtyExponent}. */
        public Encoder(final int priceExponent, final int qtyExponent)
        {
            if (priceExponent > 0 || priceExponent < -Decimals.MAX_SCALE ||
                qtyExponent > 0 || qtyExponent < -Decimals.MAX_SCALE)
            {
                throw new IllegalArgumentException(
                    "exponents must be in [-" + Decimals.MAX_SCALE + ", 0]: " + priceExponent + ", " + qtyExponent);
            }
            this.priceExponent = priceExponent;
            this.qtyExponent = qtyExponent;
        }

        /**
         * Encodes the message last decoded by {@code message} into {@code out} at {@code offset}.
         *
         * @return the frame length, or 0 if this message has no SBE stream equivalent (snapshot, futures diff,
         * other types, malformed JSON) and stays JSON.
         * @throws IllegalArgumentException if a value is not exact at the exponents (it is never rounded).
         */
        public int encode(final BinanceJsonDecoder message, final MutableDirectBuffer out, final int offset)
        {
            return switch (message.type())
            {
                case BinanceJsonDecoder.TRADE -> encodeTrade(message, out, offset);
                case BinanceJsonDecoder.BOOK_TICKER -> encodeBestBidAsk(message, out, offset);
                case BinanceJsonDecoder.DEPTH_UPDATE ->
                    message.hasPreviousUpdateId() ? 0 : encodeDepthDiff(message, out, offset);
                default -> 0;
            };
        }

        private int encodeTrade(final BinanceJsonDecoder message, final MutableDirectBuffer out, final int offset)
        {
            final DirectBuffer json = message.buffer();
            final long price = mantissa(json, message.priceOffset(), message.priceLength(), priceExponent);
            final long qty = mantissa(json, message.qtyOffset(), message.qtyLength(), qtyExponent);
            final TradesStreamEventEncoder trade = this.trade;
            trade.wrapAndApplyHeader(out, offset, header)
                .eventTime(timeUs(message.eventTimeMs()))
                .transactTime(timeUs(message.exchangeTimeMs()))
                .priceExponent((byte)priceExponent)
                .qtyExponent((byte)qtyExponent);
            trade.tradesCount(1).next()
                .id(message.tradeId())
                .price(price)
                .qty(qty)
                .isBuyerMaker(message.buyerIsMaker() ? BoolEnum.True : BoolEnum.False);
            trade.putSymbol(message.buffer(), message.symbolOffset(), symbolLength(message));
            return MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
        }

        private int encodeBestBidAsk(final BinanceJsonDecoder message, final MutableDirectBuffer out, final int offset)
        {
            final DirectBuffer json = message.buffer();
            final BestBidAskStreamEventEncoder bestBidAsk = this.bestBidAsk;
            bestBidAsk.wrapAndApplyHeader(out, offset, header)
                .eventTime(timeUs(message.eventTimeMs()))
                .bookUpdateId(message.lastUpdateId())
                .priceExponent((byte)priceExponent)
                .qtyExponent((byte)qtyExponent)
                .bidPrice(mantissa(json, message.bidPriceOffset(), message.bidPriceLength(), priceExponent))
                .bidQty(mantissa(json, message.bidQtyOffset(), message.bidQtyLength(), qtyExponent))
                .askPrice(mantissa(json, message.askPriceOffset(), message.askPriceLength(), priceExponent))
                .askQty(mantissa(json, message.askQtyOffset(), message.askQtyLength(), qtyExponent));
            bestBidAsk.putSymbol(message.buffer(), message.symbolOffset(), symbolLength(message));
            return MessageHeaderEncoder.ENCODED_LENGTH + bestBidAsk.encodedLength();
        }

        private int encodeDepthDiff(final BinanceJsonDecoder message, final MutableDirectBuffer out, final int offset)
        {
            final DirectBuffer json = message.buffer();
            final BinanceJsonDecoder.Levels bidLevels = message.bids();
            final BinanceJsonDecoder.Levels askLevels = message.asks();
            final int maxLevels = DepthDiffStreamEventEncoder.BidsEncoder.countMaxValue();
            if (bidLevels.count() > maxLevels || askLevels.count() > maxLevels)
            {
                throw new IllegalArgumentException("more levels than a uint16 group holds: " +
                    bidLevels.count() + " bids, " + askLevels.count() + " asks");
            }
            final DepthDiffStreamEventEncoder depthDiff = this.depthDiff;
            depthDiff.wrapAndApplyHeader(out, offset, header)
                .eventTime(timeUs(message.eventTimeMs()))
                .firstBookUpdateId(message.firstUpdateId())
                .lastBookUpdateId(message.lastUpdateId())
                .priceExponent((byte)priceExponent)
                .qtyExponent((byte)qtyExponent);
            final DepthDiffStreamEventEncoder.BidsEncoder bids = depthDiff.bidsCount(bidLevels.count());
            for (int i = 0; i < bidLevels.count(); i++)
            {
                bids.next()
                    .price(mantissa(json, bidLevels.priceOffset(i), bidLevels.priceLength(i), priceExponent))
                    .qty(mantissa(json, bidLevels.qtyOffset(i), bidLevels.qtyLength(i), qtyExponent));
            }
            final DepthDiffStreamEventEncoder.AsksEncoder asks = depthDiff.asksCount(askLevels.count());
            for (int i = 0; i < askLevels.count(); i++)
            {
                asks.next()
                    .price(mantissa(json, askLevels.priceOffset(i), askLevels.priceLength(i), priceExponent))
                    .qty(mantissa(json, askLevels.qtyOffset(i), askLevels.qtyLength(i), qtyExponent));
            }
            depthDiff.putSymbol(message.buffer(), message.symbolOffset(), symbolLength(message));
            return MessageHeaderEncoder.ENCODED_LENGTH + depthDiff.encodedLength();
        }

        /** Length of the JSON's symbol for the frame's var-data symbol (empty if the JSON had none). */
        private static int symbolLength(final BinanceJsonDecoder message)
        {
            final int length = message.hasSymbol() ? message.symbolLength() : 0;
            if (length > MAX_SYMBOL_LENGTH)
            {
                throw new IllegalArgumentException("symbol longer than a varString8 holds: " + length + " bytes");
            }
            return length;
        }

        private static long mantissa(final DirectBuffer json, final int offset, final int length, final int exponent)
        {
            final long mantissa = Decimals.parse(json, offset, length, exponent);
            if (mantissa == Decimals.INVALID)
            {
                throw new IllegalArgumentException("value " + json.getStringWithoutLengthAscii(offset, length) +
                    " is not exact at exponent " + exponent + " (conversion never rounds)");
            }
            return mantissa;
        }

        /** JSON ms to SBE µs; absent becomes the SBE null value. */
        private static long timeUs(final long timeMs)
        {
            if (timeMs == BinanceJsonDecoder.NO_VALUE)
            {
                return TradesStreamEventEncoder.eventTimeNullValue();
            }
            if (timeMs < 0 || timeMs > Long.MAX_VALUE / US_PER_MS)
            {
                throw new IllegalArgumentException("time out of range: " + timeMs + " ms");
            }
            return timeMs * US_PER_MS;
        }
    }

    /** True if the range is non-empty, of even length and only hex digits: an SBE recording's frame payload. */
    public static boolean isHex(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || (length & 1) != 0)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (hexValue(buffer.getByte(offset + i)) < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes hex text into bytes without allocating (an expandable destination may grow).
     *
     * @return the number of bytes written, or -1 (nothing meaningful written) if the text is not valid hex.
     */
    public static int decodeHex(
        final DirectBuffer text, final int offset, final int length, final MutableDirectBuffer out, final int outOffset)
    {
        if (!isHex(text, offset, length))
        {
            return -1;
        }
        final int bytes = length >> 1;
        for (int i = 0; i < bytes; i++)
        {
            final int high = hexValue(text.getByte(offset + 2 * i));
            final int low = hexValue(text.getByte(offset + 2 * i + 1));
            out.putByte(outOffset + i, (byte)((high << 4) | low));
        }
        return bytes;
    }

    /** Lower-case hex of {@code bytes[offset, offset + length)}. */
    public static String toHex(final byte[] bytes, final int offset, final int length)
    {
        final byte[] text = new byte[2 * length];
        for (int i = 0; i < length; i++)
        {
            final int b = bytes[offset + i] & 0xFF;
            text[2 * i] = HEX_DIGITS[b >>> 4];
            text[2 * i + 1] = HEX_DIGITS[b & 0xF];
        }
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** Parses hex text (whitespace not allowed); for tests and tools. */
    public static byte[] fromHex(final String hex)
    {
        final byte[] text = hex.getBytes(StandardCharsets.US_ASCII);
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(Math.max(1, text.length / 2));
        final int length = decodeHex(new UnsafeBuffer(text), 0, text.length, out, 0);
        if (length < 0)
        {
            throw new IllegalArgumentException("not hex: " + hex);
        }
        return Arrays.copyOf(out.byteArray(), length);
    }

    private static int hexValue(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * Engine of a converter command: {@code [--price-exponent N] [--qty-exponent N] OUTPUT INPUT...} converts
     * hftbacktest JSON recordings (in order) into one SBE recording and prints a JSON summary line.
     *
     * @return 0 on success, 1 if a value could not be converted exactly, 2 on bad arguments or I/O errors.
     */
    public static int run(final List<String> args, final PrintStream out)
    {
        int priceExponent = DEFAULT_PRICE_EXPONENT;
        int qtyExponent = DEFAULT_QTY_EXPONENT;
        final List<String> files = new ArrayList<>();
        try
        {
            for (int i = 0; i < args.size(); i++)
            {
                final String arg = args.get(i);
                switch (arg)
                {
                    case "--price-exponent" -> priceExponent = Integer.parseInt(args.get(++i));
                    case "--qty-exponent" -> qtyExponent = Integer.parseInt(args.get(++i));
                    default -> files.add(arg);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            files.clear();
        }
        if (files.size() < 2)
        {
            out.println("usage: [--price-exponent N] [--qty-exponent N] OUTPUT(.gz) INPUT...");
            return 2;
        }
        final Path output = Path.of(files.getFirst());
        final List<Path> inputs = files.subList(1, files.size()).stream().map(Path::of).toList();
        for (final Path input : inputs)
        {
            if (!Files.isReadable(input))
            {
                out.println("cannot read " + input);
                return 2;
            }
        }
        try
        {
            final Summary summary = convert(inputs, output, priceExponent, qtyExponent);
            out.println("{\"output\":\"" + output + "\",\"priceExponent\":" + priceExponent +
                ",\"qtyExponent\":" + qtyExponent + ",\"lines\":" + summary.lines() +
                ",\"frames\":" + summary.frames() + ",\"trades\":" + summary.trades() +
                ",\"bestBidAsks\":" + summary.bestBidAsks() + ",\"depthDiffs\":" + summary.depthDiffs() +
                ",\"keptJson\":" + summary.keptJson() + ",\"snapshots\":" + summary.snapshots() + "}");
            return 0;
        }
        catch (final IllegalArgumentException ex)
        {
            out.println("conversion failed: " + ex.getMessage());
            return 1;
        }
        catch (final UncheckedIOException | IllegalStateException ex)
        {
            out.println("conversion failed: " + ex.getMessage());
            return 2;
        }
    }

    /** Writes {@code <ns> <payload>} lines, hex for frames. */
    private static final class LineWriter implements LineSink, AutoCloseable
    {
        private final OutputStream out;
        private byte[] scratch = new byte[8192];

        LineWriter(final Path path)
        {
            try
            {
                final OutputStream file = Files.newOutputStream(path);
                out = path.getFileName().toString().endsWith(".gz") ?
                    new BufferedOutputStream(new GZIPOutputStream(file, 1 << 16), 1 << 16) :
                    new BufferedOutputStream(file, 1 << 16);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write " + path, ex);
            }
        }

        @Override
        public void write(
            final long receiveTimeNs, final boolean sbe, final DirectBuffer buffer, final int offset, final int length)
        {
            try
            {
                out.write(Long.toString(receiveTimeNs).getBytes(StandardCharsets.US_ASCII));
                out.write(' ');
                final int textLength = sbe ? 2 * length : length;
                if (scratch.length < textLength)
                {
                    scratch = new byte[Math.max(textLength, 2 * scratch.length)];
                }
                if (sbe)
                {
                    for (int i = 0; i < length; i++)
                    {
                        final int b = buffer.getByte(offset + i) & 0xFF;
                        scratch[2 * i] = HEX_DIGITS[b >>> 4];
                        scratch[2 * i + 1] = HEX_DIGITS[b & 0xF];
                    }
                }
                else
                {
                    buffer.getBytes(offset, scratch, 0, length);
                }
                out.write(scratch, 0, textLength);
                out.write('\n');
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void close()
        {
            try
            {
                out.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
