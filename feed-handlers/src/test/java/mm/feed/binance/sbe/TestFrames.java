package mm.feed.binance.sbe;

import mm.sbe.binance.stream.BestBidAskStreamEventEncoder;
import mm.sbe.binance.stream.BoolEnum;
import mm.sbe.binance.stream.DepthDiffStreamEventEncoder;
import mm.sbe.binance.stream.MessageHeaderEncoder;
import mm.sbe.binance.stream.TradesStreamEventEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds test frames with the generated encoders, and exactly-sized buffers (bounds checks catch overreads). */
final class TestFrames
{
    private TestFrames()
    {
    }

    /** A buffer of exactly the frame's bytes: with Agrona bounds checks on, reading past the frame throws. */
    static UnsafeBuffer exact(final byte[] frame, final int length)
    {
        return new UnsafeBuffer(Arrays.copyOf(frame, length));
    }

    /**
     * A depth diff; {@code levels} are {price, qty} pairs, bids then asks as given by {@code bidCount}.
     */
    static byte[] depthDiff(
        final long firstId, final long lastId, final int priceExponent, final int qtyExponent,
        final long eventTimeUs, final String symbol, final int bidCount, final long... levels)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final DepthDiffStreamEventEncoder encoder = new DepthDiffStreamEventEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventTime(eventTimeUs)
            .firstBookUpdateId(firstId)
            .lastBookUpdateId(lastId)
            .priceExponent((byte)priceExponent)
            .qtyExponent((byte)qtyExponent);
        final int askCount = levels.length / 2 - bidCount;
        final DepthDiffStreamEventEncoder.BidsEncoder bids = encoder.bidsCount(bidCount);
        for (int i = 0; i < bidCount; i++)
        {
            bids.next().price(levels[2 * i]).qty(levels[2 * i + 1]);
        }
        final DepthDiffStreamEventEncoder.AsksEncoder asks = encoder.asksCount(askCount);
        for (int i = bidCount; i < bidCount + askCount; i++)
        {
            asks.next().price(levels[2 * i]).qty(levels[2 * i + 1]);
        }
        encoder.symbol(symbol);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] trade(
        final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
        final int priceExponent, final int qtyExponent, final long eventTimeUs, final long transactTimeUs,
        final String symbol)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final TradesStreamEventEncoder encoder = new TradesStreamEventEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventTime(eventTimeUs)
            .transactTime(transactTimeUs)
            .priceExponent((byte)priceExponent)
            .qtyExponent((byte)qtyExponent);
        encoder.tradesCount(1).next()
            .id(tradeId).price(price).qty(qty).isBuyerMaker(buyerIsMaker ? BoolEnum.True : BoolEnum.False);
        encoder.putSymbol(symbol.getBytes(StandardCharsets.UTF_8), 0, symbol.length());
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] bestBidAsk(
        final long updateId, final long bid, final long bidQty, final long ask, final long askQty,
        final int priceExponent, final int qtyExponent, final long eventTimeUs, final String symbol)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final BestBidAskStreamEventEncoder encoder = new BestBidAskStreamEventEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventTime(eventTimeUs)
            .bookUpdateId(updateId)
            .priceExponent((byte)priceExponent)
            .qtyExponent((byte)qtyExponent)
            .bidPrice(bid).bidQty(bidQty).askPrice(ask).askQty(askQty);
        encoder.symbol(symbol);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * The frame as a newer schema version would send it: header version {@code version}, root block longer by
     * {@code extraRootBytes} (filled with 0x5A, unknown fields), everything after the root block unchanged.
     */
    static byte[] withLongerRootBlock(final byte[] frame, final int version, final int extraRootBytes)
    {
        final UnsafeBuffer in = new UnsafeBuffer(frame);
        final mm.sbe.binance.stream.MessageHeaderDecoder header = new mm.sbe.binance.stream.MessageHeaderDecoder();
        header.wrap(in, 0);
        final int rootEnd = MessageHeaderEncoder.ENCODED_LENGTH + header.blockLength();
        final byte[] out = new byte[frame.length + extraRootBytes];
        System.arraycopy(frame, 0, out, 0, rootEnd);
        Arrays.fill(out, rootEnd, rootEnd + extraRootBytes, (byte)0x5A);
        System.arraycopy(frame, rootEnd, out, rootEnd + extraRootBytes, frame.length - rootEnd);
        new MessageHeaderEncoder().wrap(new UnsafeBuffer(out), 0)
            .blockLength(header.blockLength() + extraRootBytes)
            .version(version);
        return out;
    }

    /** A copy with the header's fields changed (null keeps a field). */
    static byte[] withHeader(
        final byte[] frame, final Integer blockLength, final Integer templateId, final Integer schemaId,
        final Integer version)
    {
        final byte[] out = frame.clone();
        final MessageHeaderEncoder header = new MessageHeaderEncoder().wrap(new UnsafeBuffer(out), 0);
        if (blockLength != null)
        {
            header.blockLength(blockLength);
        }
        if (templateId != null)
        {
            header.templateId(templateId);
        }
        if (schemaId != null)
        {
            header.schemaId(schemaId);
        }
        if (version != null)
        {
            header.version(version);
        }
        return out;
    }
}
