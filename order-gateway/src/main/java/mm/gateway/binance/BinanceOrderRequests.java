package mm.gateway.binance;

import mm.common.Instrument;
import mm.gateway.venue.ClientOrderIds;
import mm.sbe.Side;

import static mm.gateway.binance.BinanceRateLimits.ascii;

/**
 * Encodes the adapter's {@code order.place} request (its parameters in name order, signed with an HMAC key or
 * left unsigned in an Ed25519-logged-on session) into a {@link BinanceRequestEncoder}. One place for the
 * parameter list, shared by the adapter and the benchmark. Allocation-free.
 */
public final class BinanceOrderRequests
{
    static final byte[] P_API_KEY = ascii("apiKey");
    static final byte[] P_NEW_CLIENT_ORDER_ID = ascii("newClientOrderId");
    static final byte[] P_NEW_ORDER_RESP_TYPE = ascii("newOrderRespType");
    static final byte[] P_PRICE = ascii("price");
    static final byte[] P_QUANTITY = ascii("quantity");
    static final byte[] P_RECV_WINDOW = ascii("recvWindow");
    static final byte[] P_SIDE = ascii("side");
    static final byte[] P_SYMBOL = ascii("symbol");
    static final byte[] P_TIME_IN_FORCE = ascii("timeInForce");
    static final byte[] P_TIMESTAMP = ascii("timestamp");
    static final byte[] P_TYPE = ascii("type");
    static final byte[] V_ACK = ascii("ACK");
    static final byte[] V_BUY = ascii("BUY");
    static final byte[] V_SELL = ascii("SELL");
    static final byte[] V_GTC = ascii("GTC");
    static final byte[] V_LIMIT = ascii("LIMIT");
    static final byte[] V_LIMIT_MAKER = ascii("LIMIT_MAKER");

    private final BinanceRequestEncoder encoder;
    private final BinanceSigner signer;
    private final byte[] apiKey;
    private final ClientOrderIds ids;
    private final long recvWindowMs;
    private final boolean signEveryRequest;

    /** @param apiKey the API key's bytes (sent and signed with HMAC keys only). */
    public BinanceOrderRequests(
        final BinanceRequestEncoder encoder, final BinanceSigner signer, final byte[] apiKey, final ClientOrderIds ids,
        final long recvWindowMs)
    {
        this.encoder = encoder;
        this.signer = signer;
        this.apiKey = apiKey;
        this.ids = ids;
        this.recvWindowMs = recvWindowMs;
        this.signEveryRequest = signer.type() == BinanceSigner.KeyType.HMAC;
    }

    /** Starts a request; with an HMAC key it is signed and carries the apiKey (its name sorts first). */
    public BinanceRequestEncoder begin(final long requestId, final byte[] method)
    {
        encoder.begin(requestId, method, signEveryRequest);
        if (signEveryRequest)
        {
            encoder.string(P_API_KEY, apiKey);
        }
        return encoder;
    }

    /**
     * Encodes {@code order.place} for a limit order (LIMIT_MAKER when post-only, else LIMIT GTC),
     * {@code newOrderRespType=ACK}.
     *
     * @return the request's length in {@link BinanceRequestEncoder#buffer()}.
     */
    public int place(
        final long requestId, final byte[] symbol, final Instrument instrument, final long clOrdId, final Side side,
        final long price, final long qty, final boolean postOnly, final long timestampMs)
    {
        begin(requestId, BinanceOrderEntry.ORDER_PLACE)
            .clientOrderId(P_NEW_CLIENT_ORDER_ID, ids, clOrdId)
            .string(P_NEW_ORDER_RESP_TYPE, V_ACK)
            .decimal(P_PRICE, price, instrument.priceExponent())
            .decimal(P_QUANTITY, qty, instrument.qtyExponent())
            .number(P_RECV_WINDOW, recvWindowMs)
            .string(P_SIDE, side == Side.BUY ? V_BUY : V_SELL)
            .string(P_SYMBOL, symbol);
        if (!postOnly)
        {
            encoder.string(P_TIME_IN_FORCE, V_GTC);
        }
        encoder.number(P_TIMESTAMP, timestampMs).string(P_TYPE, postOnly ? V_LIMIT_MAKER : V_LIMIT);
        return encoder.end(signer);
    }

    public BinanceRequestEncoder encoder()
    {
        return encoder;
    }
}
