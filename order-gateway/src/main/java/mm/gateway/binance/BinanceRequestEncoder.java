package mm.gateway.binance;

import mm.common.Decimals;
import mm.gateway.venue.ClientOrderIds;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes one WebSocket API request ({@code {"id":N,"method":"...","params":{...}}}) into a reusable direct
 * buffer and, when the request is signed, the canonical signature payload alongside: every parameter except
 * {@code signature}, sorted by name, {@code name=value} joined with {@code &}, raw UTF-8 without
 * percent-encoding. Parameters must be added in name order (checked: a mistake would be a rejected signature),
 * so the JSON and the payload are written in one pass; the value text is written once and copied. Nothing is
 * allocated per request.
 */
public final class BinanceRequestEncoder
{
    private static final int CAPACITY = 4096;
    private static final byte[] ID = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METHOD = ",\"method\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARAMS = "\",\"params\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNATURE = "signature".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] API_KEY = "apiKey".getBytes(StandardCharsets.US_ASCII);

    private final UnsafeBuffer json = new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY));
    private final byte[] payloadBytes = new byte[CAPACITY];
    private final UnsafeBuffer payload = new UnsafeBuffer(payloadBytes);
    private final byte[] lastName = new byte[64];
    private int lastNameLength;
    private int jsonLength;
    private int payloadLength;
    private int paramCount;
    private boolean signed;

    /**
     * Starts a request.
     *
     * @param signed whether a signature payload is built (HMAC keys, session.logon).
     */
    public BinanceRequestEncoder begin(final long requestId, final byte[] method, final boolean signed)
    {
        this.signed = signed;
        jsonLength = 0;
        payloadLength = 0;
        paramCount = 0;
        lastNameLength = 0;
        json.putBytes(0, ID);
        jsonLength = ID.length;
        jsonLength += json.putLongAscii(jsonLength, requestId);
        json.putBytes(jsonLength, METHOD);
        jsonLength += METHOD.length;
        json.putBytes(jsonLength, method);
        jsonLength += method.length;
        json.putBytes(jsonLength, PARAMS);
        jsonLength += PARAMS.length;
        return this;
    }

    /** A string parameter from ASCII bytes. */
    public BinanceRequestEncoder string(final byte[] name, final byte[] value)
    {
        final int start = openValue(name, true);
        json.putBytes(jsonLength, value);
        jsonLength += value.length;
        return closeValue(start, true);
    }

    /** A string parameter from a buffer range (UTF-8 text without quotes or backslashes). */
    public BinanceRequestEncoder string(final byte[] name, final DirectBuffer value, final int offset, final int length)
    {
        final int start = openValue(name, true);
        json.putBytes(jsonLength, value, offset, length);
        jsonLength += length;
        return closeValue(start, true);
    }

    /** A JSON number parameter. */
    public BinanceRequestEncoder number(final byte[] name, final long value)
    {
        final int start = openValue(name, false);
        jsonLength += json.putLongAscii(jsonLength, value);
        return closeValue(start, false);
    }

    /** A decimal sent as a string, exactly {@code -exponent} decimals ("52000.00"). */
    public BinanceRequestEncoder decimal(final byte[] name, final long mantissa, final int exponent)
    {
        final int start = openValue(name, true);
        jsonLength += Decimals.putAscii(json, jsonLength, mantissa, exponent);
        return closeValue(start, true);
    }

    /** A client order id in our text form. */
    public BinanceRequestEncoder clientOrderId(final byte[] name, final ClientOrderIds ids, final long clOrdId)
    {
        final int start = openValue(name, true);
        jsonLength += ids.put(json, jsonLength, clOrdId);
        return closeValue(start, true);
    }

    /**
     * Closes the request, signing it first when it was begun as signed.
     *
     * @return the JSON length; the bytes are in {@link #buffer()} from 0.
     */
    public int end(final BinanceSigner signer)
    {
        if (signed)
        {
            final int start = openValue(SIGNATURE, true);
            jsonLength += signer.sign(payloadBytes, payloadLength, json, jsonLength);
            closeValueNoPayload(start);
        }
        json.putByte(jsonLength++, (byte)'}');
        json.putByte(jsonLength++, (byte)'}');
        return jsonLength;
    }

    public DirectBuffer buffer()
    {
        return json;
    }

    public int length()
    {
        return jsonLength;
    }

    /** The canonical signature payload of the last signed request (for tools and tests). */
    public String payloadText()
    {
        return payload.getStringWithoutLengthUtf8(0, payloadLength);
    }

    /** The request text (tools and tests; allocates). */
    public String jsonText()
    {
        return json.getStringWithoutLengthUtf8(0, jsonLength);
    }

    private int openValue(final byte[] name, final boolean quoted)
    {
        if (name != SIGNATURE)
        {
            checkOrder(name);
        }
        if (paramCount++ > 0)
        {
            json.putByte(jsonLength++, (byte)',');
        }
        json.putByte(jsonLength++, (byte)'"');
        json.putBytes(jsonLength, name);
        jsonLength += name.length;
        json.putByte(jsonLength++, (byte)'"');
        json.putByte(jsonLength++, (byte)':');
        if (quoted)
        {
            json.putByte(jsonLength++, (byte)'"');
        }
        if (signed && name != SIGNATURE)
        {
            if (payloadLength > 0)
            {
                payload.putByte(payloadLength++, (byte)'&');
            }
            payload.putBytes(payloadLength, name);
            payloadLength += name.length;
            payload.putByte(payloadLength++, (byte)'=');
        }
        return jsonLength;
    }

    private BinanceRequestEncoder closeValue(final int valueStart, final boolean quoted)
    {
        if (signed)
        {
            final int length = jsonLength - valueStart;
            json.getBytes(valueStart, payloadBytes, payloadLength, length);
            payloadLength += length;
        }
        if (quoted)
        {
            json.putByte(jsonLength++, (byte)'"');
        }
        return this;
    }

    private void closeValueNoPayload(final int valueStart)
    {
        json.putByte(jsonLength++, (byte)'"');
    }

    private void checkOrder(final byte[] name)
    {
        final int n = Math.min(lastNameLength, name.length);
        int cmp = 0;
        for (int i = 0; i < n && cmp == 0; i++)
        {
            cmp = (lastName[i] & 0xFF) - (name[i] & 0xFF);
        }
        if (cmp == 0)
        {
            cmp = lastNameLength - name.length;
        }
        if (paramCount > 0 && cmp >= 0)
        {
            throw new IllegalStateException("Binance parameters must be added in name order: " +
                new String(name, StandardCharsets.US_ASCII) + " after " +
                new String(lastName, 0, lastNameLength, StandardCharsets.US_ASCII));
        }
        System.arraycopy(name, 0, lastName, 0, name.length);
        lastNameLength = name.length;
    }

    /** Shared parameter name: {@code apiKey}. */
    static byte[] apiKeyName()
    {
        return API_KEY;
    }
}
