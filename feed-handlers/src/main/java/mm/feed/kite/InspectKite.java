package mm.feed.kite;

import mm.common.Decimals;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Engine of {@code ./mm inspect kite [--message|--packet] FILE}: decodes one Kite binary WebSocket message
 * and prints one JSON line per packet with every field (prices as exact decimal strings and as raw wire
 * integers), one line per decode error or heartbeat, and a summary line. Not a hot path: it allocates freely.
 * <p>
 * Input format is auto-detected from the file's bytes: if, ignoring whitespace, they are only hex digits and
 * an even number of them, hex text; otherwise if they are only base64 characters and decode as base64, base64
 * text; otherwise raw bytes. Framing: {@code --message} / {@code --packet} force it; by default the bytes are a
 * framed message, unless their length is a known packet length (8, 28, 32, 44, 184) and reading them as a
 * message is not clean (no error and at least one packet), in which case they are one bare packet (as the
 * shared samples {@code ticker_full.packet.*} are). A real full packet read as a message has a "count" of
 * {@code token >> 16} and a first "length" far beyond the file, so the rule does not confuse the two in practice.
 * <p>
 * Exit codes: 0 when everything decoded cleanly, 1 when any decode error was found, 2 on bad arguments or an
 * unreadable file.
 */
public final class InspectKite
{
    private static final ZoneOffset IST = ZoneOffset.ofHoursMinutes(5, 30);
    private static final DateTimeFormatter ISO_OFFSET = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private InspectKite()
    {
    }

    /** Runs with usage errors reported on {@code System.err}. */
    public static int run(final List<String> args, final PrintStream out)
    {
        return run(args, out, System.err);
    }

    public static int run(final List<String> args, final PrintStream out, final PrintStream err)
    {
        String framing = "auto";
        Path file = null;
        for (final String arg : args)
        {
            if (arg.equals("--message") || arg.equals("--packet"))
            {
                framing = arg.substring(2);
            }
            else if (arg.startsWith("--") || file != null)
            {
                return usage(err, "unexpected argument " + arg);
            }
            else
            {
                file = Path.of(arg);
            }
        }
        if (file == null)
        {
            return usage(err, "no FILE given");
        }
        final byte[] fileBytes;
        try
        {
            fileBytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            err.println("cannot read " + file + ": " + ex.getMessage());
            return 2;
        }

        final String format = detectFormat(fileBytes);
        final byte[] bytes = switch (format)
        {
            case "hex" -> decodeHex(fileBytes);
            case "base64" -> decodeBase64(fileBytes);
            default -> fileBytes;
        };
        if ("auto".equals(framing))
        {
            framing = isBarePacket(bytes) ? "packet" : "message";
        }
        final byte[] message = "packet".equals(framing) ? frame(bytes) : bytes;
        if (message == null)
        {
            err.println("a bare packet must be 1 to 65535 bytes, got " + bytes.length);
            return 2;
        }

        final Printer printer = new Printer("packet".equals(framing) ? 4 : 0);
        final KiteMessageDecoder decoder = new KiteMessageDecoder(printer);
        final int packets = decoder.decode(new UnsafeBuffer(message), 0, message.length, 0);
        for (final String line : printer.lines)
        {
            out.println(line);
        }
        final StringBuilder sb = new StringBuilder(256);
        sb.append("{\"kind\":\"summary\",\"file\":");
        quote(sb, file.toString());
        sb.append(",\"format\":\"").append(format).append("\",\"framing\":\"").append(framing)
            .append("\",\"bytes\":").append(bytes.length)
            .append(",\"heartbeat\":").append(decoder.heartbeats() > 0)
            .append(",\"packets\":").append(packets)
            .append(",\"errors\":").append(decoder.errors()).append('}');
        out.println(sb);
        out.flush();
        return decoder.errors() == 0 ? 0 : 1;
    }

    private static int usage(final PrintStream err, final String problem)
    {
        err.println(problem);
        err.println("usage: mm inspect kite [--message|--packet] FILE   (raw bytes, hex text or base64 text)");
        return 2;
    }

    /** "hex", "base64" or "raw"; see the class comment for the rule. */
    static String detectFormat(final byte[] bytes)
    {
        int hexDigits = 0;
        int significant = 0;
        boolean allHex = true;
        boolean allBase64 = true;
        for (final byte b : bytes)
        {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t')
            {
                continue;
            }
            significant++;
            final boolean hex = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
            final boolean base64 = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                b == '+' || b == '/' || b == '=' || b == '-' || b == '_';
            if (hex)
            {
                hexDigits++;
            }
            allHex &= hex;
            allBase64 &= base64;
        }
        if (significant == 0)
        {
            return "raw";
        }
        if (allHex && hexDigits % 2 == 0)
        {
            return "hex";
        }
        if (allBase64 && decodeBase64(bytes) != null)
        {
            return "base64";
        }
        return "raw";
    }

    /** True when {@code bytes} should be read as one bare packet rather than a framed message. */
    static boolean isBarePacket(final byte[] bytes)
    {
        if (KitePacketMode.ofLength(bytes.length) == null)
        {
            return false;
        }
        final KiteMessageDecoder probe = new KiteMessageDecoder(tick -> { });
        final int packets = probe.decode(new UnsafeBuffer(bytes), 0, bytes.length, 0);
        return packets == 0 || probe.errors() > 0;
    }

    private static byte[] frame(final byte[] packet)
    {
        if (packet.length == 0 || packet.length > 0xFFFF)
        {
            return null;
        }
        final byte[] message = new byte[packet.length + 4];
        message[0] = 0;
        message[1] = 1;
        message[2] = (byte)(packet.length >>> 8);
        message[3] = (byte)packet.length;
        System.arraycopy(packet, 0, message, 4, packet.length);
        return message;
    }

    private static byte[] decodeHex(final byte[] text)
    {
        final StringBuilder digits = new StringBuilder(text.length);
        for (final byte b : text)
        {
            if (!Character.isWhitespace(b))
            {
                digits.append((char)b);
            }
        }
        return java.util.HexFormat.of().parseHex(digits);
    }

    private static byte[] decodeBase64(final byte[] text)
    {
        final StringBuilder sb = new StringBuilder(text.length);
        for (final byte b : text)
        {
            if (!Character.isWhitespace(b))
            {
                sb.append((char)b);
            }
        }
        final String s = sb.toString();
        try
        {
            return s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static void quote(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** Formats every callback as a JSON line. */
    private static final class Printer implements KiteTickListener
    {
        private final List<String> lines = new ArrayList<>();
        /** Subtracted from message offsets when the input was a bare packet we framed ourselves. */
        private final int framingBytesAdded;

        Printer(final int framingBytesAdded)
        {
            this.framingBytesAdded = framingBytesAdded;
        }

        @Override
        public void onTick(final KiteTick tick)
        {
            final int e = tick.priceExponent();
            final StringBuilder sb = new StringBuilder(1024);
            sb.append("{\"kind\":\"packet\",\"index\":").append(tick.packetIndex())
                .append(",\"offset\":").append(tick.offset() - framingBytesAdded)
                .append(",\"length\":").append(tick.length())
                .append(",\"mode\":\"").append(tick.mode().wireName())
                .append("\",\"layout\":\"").append(tick.mode().name())
                .append("\",\"instrument_token\":").append(tick.instrumentToken())
                .append(",\"exchange_token\":").append(tick.exchangeToken())
                .append(",\"segment\":").append(tick.segmentId())
                .append(",\"segment_name\":");
            final KiteSegment segment = tick.segment();
            if (segment == null)
            {
                sb.append("null");
            }
            else
            {
                sb.append('"').append(segment.name()).append('"');
            }
            sb.append(",\"tradable\":").append(tick.tradable())
                .append(",\"price_exponent\":").append(e);
            price(sb, "last_price", tick.lastPrice(), e);
            if (tick.mode() != KitePacketMode.LTP)
            {
                if (tick.mode().indexLayout())
                {
                    price(sb, "high", tick.high(), e);
                    price(sb, "low", tick.low(), e);
                    price(sb, "open", tick.open(), e);
                    price(sb, "close", tick.close(), e);
                    price(sb, "change_field", tick.indexChangeField(), e);
                }
                else
                {
                    sb.append(",\"last_traded_quantity\":").append(tick.lastQuantity());
                    price(sb, "average_traded_price", tick.averagePrice(), e);
                    sb.append(",\"volume_traded\":").append(tick.volume())
                        .append(",\"total_buy_quantity\":").append(tick.totalBuyQuantity())
                        .append(",\"total_sell_quantity\":").append(tick.totalSellQuantity());
                    price(sb, "open", tick.open(), e);
                    price(sb, "high", tick.high(), e);
                    price(sb, "low", tick.low(), e);
                    price(sb, "close", tick.close(), e);
                }
                price(sb, "net_change", tick.netChange(), e);
            }
            if (tick.mode() == KitePacketMode.FULL)
            {
                time(sb, "last_trade_time", tick.lastTradeTimeS());
                sb.append(",\"oi\":").append(tick.openInterest())
                    .append(",\"oi_day_high\":").append(tick.openInterestDayHigh())
                    .append(",\"oi_day_low\":").append(tick.openInterestDayLow());
            }
            if (tick.mode() == KitePacketMode.FULL || tick.mode() == KitePacketMode.INDEX_FULL)
            {
                time(sb, "exchange_timestamp", tick.exchangeTimeS());
            }
            if (tick.mode() == KitePacketMode.FULL)
            {
                sb.append(",\"depth\":{\"buy\":[");
                for (int level = 0; level < KiteTick.DEPTH_LEVELS; level++)
                {
                    depth(sb, level, tick.bidQuantity(level), tick.bidPrice(level), tick.bidOrders(level), e);
                }
                sb.append("],\"sell\":[");
                for (int level = 0; level < KiteTick.DEPTH_LEVELS; level++)
                {
                    depth(sb, level, tick.askQuantity(level), tick.askPrice(level), tick.askOrders(level), e);
                }
                sb.append("]}");
            }
            lines.add(sb.append('}').toString());
        }

        @Override
        public void onHeartbeat(final long receiveTimeNs)
        {
            lines.add("{\"kind\":\"heartbeat\"}");
        }

        @Override
        public void onDecodeError(
            final KiteDecodeError error, final int packetIndex, final int messageOffset, final int detail,
            final long receiveTimeNs)
        {
            lines.add("{\"kind\":\"error\",\"error\":\"" + error.name() + "\",\"packet_index\":" + packetIndex +
                ",\"offset\":" + (messageOffset - framingBytesAdded) + ",\"detail\":" + detail +
                ",\"loses_data\":" + error.losesData() + "}");
        }

        private static void price(final StringBuilder sb, final String name, final long mantissa, final int exponent)
        {
            sb.append(",\"").append(name).append("\":\"");
            Decimals.append(sb, mantissa, exponent).append("\",\"").append(name).append("_raw\":").append(mantissa);
        }

        private static void time(final StringBuilder sb, final String name, final long epochS)
        {
            sb.append(",\"").append(name).append("_epoch_s\":").append(epochS).append(",\"").append(name).append("\":");
            if (epochS == 0)
            {
                sb.append("null");
            }
            else
            {
                sb.append('"').append(ISO_OFFSET.format(Instant.ofEpochSecond(epochS).atOffset(IST))).append('"');
            }
        }

        private static void depth(
            final StringBuilder sb, final int level, final long quantity, final long price, final long orders,
            final int exponent)
        {
            if (level > 0)
            {
                sb.append(',');
            }
            sb.append("{\"quantity\":").append(quantity).append(",\"price\":\"");
            Decimals.append(sb, price, exponent).append("\",\"price_raw\":").append(price)
                .append(",\"orders\":").append(orders).append('}');
        }
    }
}
