package mm.journal;

import mm.common.sbe.Messages;
import mm.sbe.BookTopNEncoder;
import mm.sbe.EndOfDataEncoder;
import mm.sbe.InboxRecordEncoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.StepEndEncoder;
import mm.sbe.TradeEncoder;
import mm.sbe.Side;
import org.agrona.concurrent.UnsafeBuffer;

/** Encodes engine messages for tests, as byte arrays so expectations can be compared byte for byte. */
final class TestMessages
{
    private static final UnsafeBuffer BUFFER = new UnsafeBuffer(new byte[64 * 1024]);
    private static final MessageHeaderEncoder HEADER = new MessageHeaderEncoder();

    private TestMessages()
    {
    }

    static byte[] bookTopN(final long eventSeq, final int instrumentId, final int levels)
    {
        final BookTopNEncoder encoder = new BookTopNEncoder().wrapAndApplyHeader(BUFFER, 0, HEADER)
            .eventSeq(eventSeq)
            .instrumentId(instrumentId)
            .exchangeTimeNs(1_700_000_000_000_000_000L + eventSeq * 1000)
            .receiveTimeNs(1_700_000_000_000_500_000L + eventSeq * 1000)
            .firstUpdateId(eventSeq * 10)
            .lastUpdateId(eventSeq * 10 + 3)
            .priceExponent((byte)-2)
            .qtyExponent((byte)-5);
        final BookTopNEncoder.BidsEncoder bids = encoder.bidsCount(levels);
        for (int i = 0; i < levels; i++)
        {
            bids.next().price(6_500_000 - i - eventSeq % 7).qty(100_000 + i * 17 + eventSeq);
        }
        final BookTopNEncoder.AsksEncoder asks = encoder.asksCount(levels);
        for (int i = 0; i < levels; i++)
        {
            asks.next().price(6_500_001 + i + eventSeq % 5).qty(90_000 + i * 13 + eventSeq);
        }
        return copy(Messages.HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] trade(final long eventSeq, final int instrumentId)
    {
        final TradeEncoder encoder = new TradeEncoder().wrapAndApplyHeader(BUFFER, 0, HEADER)
            .eventSeq(eventSeq)
            .instrumentId(instrumentId)
            .exchangeTimeNs(eventSeq * 7)
            .receiveTimeNs(eventSeq * 11)
            .tradeId(eventSeq + 1_000)
            .price(6_500_000 + eventSeq)
            .qty(12_345)
            .aggressorSide(eventSeq % 2 == 0 ? Side.BUY : Side.SELL)
            .priceExponent((byte)-2)
            .qtyExponent((byte)-5);
        return copy(Messages.HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] stepEnd(final long eventSeq)
    {
        final StepEndEncoder encoder = new StepEndEncoder().wrapAndApplyHeader(BUFFER, 0, HEADER)
            .eventSeq(eventSeq)
            .timeNs(eventSeq * 1_000_000);
        return copy(Messages.HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] endOfData(final long eventSeq, final long eventCount)
    {
        final EndOfDataEncoder encoder = new EndOfDataEncoder().wrapAndApplyHeader(BUFFER, 0, HEADER)
            .eventSeq(eventSeq)
            .receiveTimeNs(eventSeq * 1_000_000)
            .eventCount(eventCount);
        return copy(Messages.HEADER_LENGTH + encoder.encodedLength());
    }

    /** An InboxRecord wrapping {@code payloadLength} bytes of a deterministic pattern: large messages on demand. */
    static byte[] inboxRecord(final long inboxSeq, final int payloadLength)
    {
        final byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payloadLength; i++)
        {
            payload[i] = (byte)(i * 31 + inboxSeq);
        }
        final InboxRecordEncoder encoder = new InboxRecordEncoder().wrapAndApplyHeader(BUFFER, 0, HEADER)
            .agentId(1)
            .inboxSeq(inboxSeq)
            .streamId(1001)
            .consumeTimeNs(inboxSeq * 3)
            .putPayload(payload, 0, payloadLength);
        return copy(Messages.HEADER_LENGTH + encoder.encodedLength());
    }

    private static byte[] copy(final int length)
    {
        final byte[] bytes = new byte[length];
        BUFFER.getBytes(0, bytes);
        return bytes;
    }
}
