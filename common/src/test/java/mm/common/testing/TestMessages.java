package mm.common.testing;

import mm.sbe.BookTopNEncoder;
import mm.sbe.EndOfDataEncoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportEncoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusEncoder;
import mm.sbe.HeartbeatEncoder;
import mm.sbe.KillEncoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.ParameterChangeEncoder;
import mm.sbe.ParameterChangeResultEncoder;
import mm.sbe.QuoteIntentEncoder;
import mm.sbe.Side;
import mm.sbe.StepEndEncoder;
import mm.sbe.TradeEncoder;
import mm.sbe.TradingState;
import mm.sbe.TradingStateChangeEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/** Encodes engine messages for tests in one line each; returns the bytes. */
public final class TestMessages
{
    private static final MessageHeaderEncoder HEADER = new MessageHeaderEncoder();

    private TestMessages()
    {
    }

    public static byte[] book(
        final long eventSeq, final int instrumentId, final long timeNs,
        final long bid, final long bidQty, final long ask, final long askQty)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final BookTopNEncoder encoder = new BookTopNEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).instrumentId(instrumentId).exchangeTimeNs(timeNs).receiveTimeNs(timeNs)
            .firstUpdateId(eventSeq).lastUpdateId(eventSeq).priceExponent((byte)-2).qtyExponent((byte)-5);
        encoder.bidsCount(1).next().price(bid).qty(bidQty);
        encoder.asksCount(1).next().price(ask).qty(askQty);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] feedStatus(final long eventSeq, final int instrumentId, final long timeNs, final FeedState state)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final FeedStatusEncoder encoder = new FeedStatusEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).instrumentId(instrumentId).receiveTimeNs(timeNs).state(state)
            .lastUpdateId(0).gapCount(0).resyncCount(0);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] trade(
        final long eventSeq, final int instrumentId, final long timeNs, final long tradeId, final long price, final long qty)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final TradeEncoder encoder = new TradeEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).instrumentId(instrumentId).exchangeTimeNs(timeNs).receiveTimeNs(timeNs)
            .tradeId(tradeId).price(price).qty(qty).aggressorSide(Side.SELL)
            .priceExponent((byte)-2).qtyExponent((byte)-5);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] fill(
        final long eventSeq, final int instrumentId, final long timeNs, final long clOrdId, final Side side,
        final long price, final long qty, final long fee)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ExecutionReportEncoder encoder = new ExecutionReportEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).instrumentId(instrumentId).timeNs(timeNs).clOrdId(clOrdId).execType(ExecType.TRADE)
            .side(side).price(price).orderQty(qty).lastPrice(price).lastQty(qty).leavesQty(0).cumQty(qty).fee(fee)
            .tradeId(1).rejectReason(mm.sbe.VenueRejectReason.NONE).isMaker(mm.sbe.BooleanType.TRUE);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] stepEnd(final long eventSeq, final long timeNs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final StepEndEncoder encoder = new StepEndEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).timeNs(timeNs);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] endOfData(final long eventSeq, final long timeNs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final EndOfDataEncoder encoder = new EndOfDataEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).receiveTimeNs(timeNs).eventCount(eventSeq);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] kill(final long eventSeq, final long timeNs, final int instrumentId, final String reason)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final KillEncoder encoder = new KillEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).timeNs(timeNs).instrumentId(instrumentId).reason(reason);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** A book with several levels a side: {@code bids} and {@code asks} are price, qty pairs, best first. */
    public static byte[] bookLevels(
        final long eventSeq, final int instrumentId, final long timeNs, final long[] bids, final long[] asks)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final BookTopNEncoder encoder = new BookTopNEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).instrumentId(instrumentId).exchangeTimeNs(timeNs).receiveTimeNs(timeNs)
            .firstUpdateId(eventSeq).lastUpdateId(eventSeq).priceExponent((byte)-2).qtyExponent((byte)-5);
        final BookTopNEncoder.BidsEncoder bidLevels = encoder.bidsCount(bids.length / 2);
        for (int i = 0; i < bids.length; i += 2)
        {
            bidLevels.next().price(bids[i]).qty(bids[i + 1]);
        }
        final BookTopNEncoder.AsksEncoder askLevels = encoder.asksCount(asks.length / 2);
        for (int i = 0; i < asks.length; i += 2)
        {
            askLevels.next().price(asks[i]).qty(asks[i + 1]);
        }
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** Any execution report; {@link #fill} is the common case. */
    public static byte[] execution(
        final long eventSeq, final int instrumentId, final long timeNs, final long clOrdId, final ExecType execType,
        final Side side, final long price, final long orderQty, final long lastPrice, final long lastQty,
        final long leavesQty, final long fee, final boolean maker)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ExecutionReportEncoder encoder = new ExecutionReportEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).instrumentId(instrumentId).timeNs(timeNs).clOrdId(clOrdId).execType(execType)
            .side(side).price(price).orderQty(orderQty).lastPrice(lastPrice).lastQty(lastQty).leavesQty(leavesQty)
            .cumQty(orderQty - leavesQty).fee(fee).tradeId(execType == ExecType.TRADE ? clOrdId : 0)
            .rejectReason(mm.sbe.VenueRejectReason.NONE)
            .isMaker(maker ? mm.sbe.BooleanType.TRUE : mm.sbe.BooleanType.FALSE);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** A quote intent; each level is {price, qty}. */
    public static byte[] intent(
        final long eventSeq, final int instrumentId, final long timeNs, final long intentSeq, final long fairPrice,
        final long[][] bids, final long[][] asks)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final QuoteIntentEncoder encoder = new QuoteIntentEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).instrumentId(instrumentId).timeNs(timeNs).intentSeq(intentSeq).fairPrice(fairPrice);
        final QuoteIntentEncoder.BidsEncoder bidsEncoder = encoder.bidsCount(bids.length);
        for (final long[] level : bids)
        {
            bidsEncoder.next().price(level[0]).qty(level[1]);
        }
        final QuoteIntentEncoder.AsksEncoder asksEncoder = encoder.asksCount(asks.length);
        for (final long[] level : asks)
        {
            asksEncoder.next().price(level[0]).qty(level[1]);
        }
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] heartbeat(final long eventSeq, final long timeNs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).timeNs(timeNs);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] tradingStateChange(
        final long eventSeq, final long timeNs, final TradingState state, final String reason)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final TradingStateChangeEncoder encoder = new TradingStateChangeEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).timeNs(timeNs).state(state).reason(reason);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] parameterChange(final long eventSeq, final long timeNs, final String key, final String value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final ParameterChangeEncoder encoder = new ParameterChangeEncoder().wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).timeNs(timeNs).key(key).value(value);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public static byte[] parameterChangeResult(
        final long eventSeq, final long timeNs, final int agentId, final boolean accepted, final String key,
        final String value, final String reason)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final ParameterChangeResultEncoder encoder = new ParameterChangeResultEncoder()
            .wrapAndApplyHeader(buffer, 0, HEADER)
            .eventSeq(eventSeq).timeNs(timeNs).agentId(agentId)
            .accepted(accepted ? mm.sbe.BooleanType.TRUE : mm.sbe.BooleanType.FALSE)
            .key(key).value(value).reason(reason);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
