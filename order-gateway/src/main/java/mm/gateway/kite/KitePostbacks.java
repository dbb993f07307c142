package mm.gateway.kite;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import mm.common.json.JsonCursor;
import mm.gateway.venue.InboundRing;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Receives Kite postbacks (an HTTP POST of the order's JSON to the app's postback URL) and hands verified
 * bodies to the order adapter through its {@link InboundRing}. Kite signs each postback with
 * {@code checksum = hex(SHA-256(order_id + order_timestamp + api_secret))}; a body whose checksum does not
 * match is answered 403 and counted, never applied. Runs on the JDK HTTP server's thread (postbacks are slow
 * and rare next to the ticker, so this path allocates).
 */
public final class KitePostbacks implements AutoCloseable
{
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final byte[] ORDER_ID = "order_id".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORDER_TIMESTAMP = "order_timestamp".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECKSUM = "checksum".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final InboundRing ring;
    private final byte[] apiSecret;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private volatile long accepted;
    private volatile long refused;

    /**
     * @param port 0 for any free port.
     * @param apiSecret the app's API secret (ASCII), used only to verify checksums.
     */
    public KitePostbacks(final String bind, final int port, final InboundRing ring, final String apiSecret) throws IOException
    {
        this.ring = ring;
        this.apiSecret = apiSecret.getBytes(StandardCharsets.US_ASCII);
        server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port()
    {
        return server.getAddress().getPort();
    }

    /** Postbacks applied. */
    public long accepted()
    {
        return accepted;
    }

    /** Postbacks refused (bad checksum, malformed, too large, not POST). */
    public long refused()
    {
        return refused;
    }

    /** The checksum Kite sends for an order id and timestamp (tools, fakes). */
    public static String checksum(final String orderId, final String orderTimestamp, final String apiSecret)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((orderId + orderTimestamp + apiSecret).getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final byte[] body;
            try (InputStream in = exchange.getRequestBody())
            {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            final long timeNs = clock.nanoTime();
            if (!"POST".equals(exchange.getRequestMethod()) || body.length > MAX_BODY_BYTES || !verified(body))
            {
                refused++;
                exchange.sendResponseHeaders(403, -1);
                return;
            }
            if (!ring.offer(InboundRing.PUSHED_UPDATE, timeNs, 1, 0, body, 0, body.length))
            {
                refused++;
                exchange.sendResponseHeaders(503, -1); // Kite retries a failed postback
                return;
            }
            accepted++;
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private boolean verified(final byte[] body)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(body);
        final JsonCursor cursor = new JsonCursor().reset(buffer, 0, body.length);
        if (cursor.next() != JsonCursor.BEGIN_OBJECT)
        {
            return false;
        }
        String orderId = null;
        String timestamp = null;
        String checksum = null;
        int token;
        while ((token = cursor.next()) == JsonCursor.KEY)
        {
            final boolean id = cursor.tokenEquals(ORDER_ID);
            final boolean time = cursor.tokenEquals(ORDER_TIMESTAMP);
            final boolean sum = cursor.tokenEquals(CHECKSUM);
            if (id || time || sum)
            {
                if (cursor.next() != JsonCursor.STRING)
                {
                    return false;
                }
                final String text = buffer.getStringWithoutLengthUtf8(cursor.tokenOffset(), cursor.tokenLength());
                if (id)
                {
                    orderId = text;
                }
                else if (time)
                {
                    timestamp = text;
                }
                else
                {
                    checksum = text;
                }
            }
            else if (!cursor.skipValue())
            {
                return false;
            }
        }
        if (token != JsonCursor.END_OBJECT || orderId == null || timestamp == null || checksum == null)
        {
            return false;
        }
        final String expected = checksum(orderId, timestamp, new String(apiSecret, StandardCharsets.US_ASCII));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
            checksum.toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }
}
