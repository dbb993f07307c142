package mm.journal;

import mm.sbe.ApprovedQuoteDecoder;
import mm.sbe.BookTopNDecoder;
import mm.sbe.CancelAllDecoder;
import mm.sbe.EndOfDataDecoder;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.FeedStatusDecoder;
import mm.sbe.HeartbeatDecoder;
import mm.sbe.InboxRecordDecoder;
import mm.sbe.KillDecoder;
import mm.sbe.MarkPriceDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.OrderActionDecoder;
import mm.sbe.ParameterChangeDecoder;
import mm.sbe.ParameterChangeResultDecoder;
import mm.sbe.QuoteIntentDecoder;
import mm.sbe.RiskRejectDecoder;
import mm.sbe.StepEndDecoder;
import mm.sbe.TradeDecoder;
import mm.sbe.TradingStateChangeDecoder;
import org.agrona.DirectBuffer;

/**
 * Journaled messages as text (the SBE decoders' own rendering) and their timestamps, for the journal checks
 * and for reporting where a replay diverged. Off the hot path: allocates freely.
 */
public final class MessageText
{
    private MessageText()
    {
    }

    /** One message decoded, e.g. {@code [QuoteIntent](sbeTemplateId=10|...)}; unknown ones in hex. */
    public static String describe(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "(" + length + " bytes, too short for a message header)";
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return "(schema " + header.schemaId() + ", " + length + " bytes)";
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        return switch (header.templateId())
        {
            case BookTopNDecoder.TEMPLATE_ID -> new BookTopNDecoder().wrap(buffer, body, blockLength, version).toString();
            case TradeDecoder.TEMPLATE_ID -> new TradeDecoder().wrap(buffer, body, blockLength, version).toString();
            case FeedStatusDecoder.TEMPLATE_ID -> new FeedStatusDecoder().wrap(buffer, body, blockLength, version).toString();
            case EndOfDataDecoder.TEMPLATE_ID -> new EndOfDataDecoder().wrap(buffer, body, blockLength, version).toString();
            case MarkPriceDecoder.TEMPLATE_ID -> new MarkPriceDecoder().wrap(buffer, body, blockLength, version).toString();
            case StepEndDecoder.TEMPLATE_ID -> new StepEndDecoder().wrap(buffer, body, blockLength, version).toString();
            case QuoteIntentDecoder.TEMPLATE_ID ->
                new QuoteIntentDecoder().wrap(buffer, body, blockLength, version).toString();
            case ApprovedQuoteDecoder.TEMPLATE_ID ->
                new ApprovedQuoteDecoder().wrap(buffer, body, blockLength, version).toString();
            case CancelAllDecoder.TEMPLATE_ID -> new CancelAllDecoder().wrap(buffer, body, blockLength, version).toString();
            case RiskRejectDecoder.TEMPLATE_ID -> new RiskRejectDecoder().wrap(buffer, body, blockLength, version).toString();
            case OrderActionDecoder.TEMPLATE_ID ->
                new OrderActionDecoder().wrap(buffer, body, blockLength, version).toString();
            case ExecutionReportDecoder.TEMPLATE_ID ->
                new ExecutionReportDecoder().wrap(buffer, body, blockLength, version).toString();
            case HeartbeatDecoder.TEMPLATE_ID -> new HeartbeatDecoder().wrap(buffer, body, blockLength, version).toString();
            case TradingStateChangeDecoder.TEMPLATE_ID ->
                new TradingStateChangeDecoder().wrap(buffer, body, blockLength, version).toString();
            case ParameterChangeDecoder.TEMPLATE_ID ->
                new ParameterChangeDecoder().wrap(buffer, body, blockLength, version).toString();
            case ParameterChangeResultDecoder.TEMPLATE_ID ->
                new ParameterChangeResultDecoder().wrap(buffer, body, blockLength, version).toString();
            case KillDecoder.TEMPLATE_ID -> new KillDecoder().wrap(buffer, body, blockLength, version).toString();
            case InboxRecordDecoder.TEMPLATE_ID -> describeInboxRecord(buffer, body, blockLength, version);
            default -> "(template " + header.templateId() + ", " + length + " bytes)";
        };
    }

    private static String describeInboxRecord(
        final DirectBuffer buffer, final int body, final int blockLength, final int version)
    {
        final InboxRecordDecoder record = new InboxRecordDecoder().wrap(buffer, body, blockLength, version);
        final String head = "[InboxRecord](agentId=" + record.agentId() + "|inboxSeq=" + record.inboxSeq() +
            "|streamId=" + record.streamId() + "|consumeTimeNs=" + record.consumeTimeNs() + ") ";
        final int payloadLength = record.payloadLength();
        final int payloadOffset = record.limit() + InboxRecordDecoder.payloadHeaderLength();
        return head + describe(buffer, payloadOffset, payloadLength);
    }

    /**
     * The time a message carries (receive time for market data, decision time for the rest), or
     * {@link Long#MIN_VALUE} for one that carries none (an inbox record's own time is its consume time).
     */
    public static long timeNs(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return Long.MIN_VALUE;
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return Long.MIN_VALUE;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        return switch (header.templateId())
        {
            case BookTopNDecoder.TEMPLATE_ID -> new BookTopNDecoder().wrap(buffer, body, blockLength, version).receiveTimeNs();
            case TradeDecoder.TEMPLATE_ID -> new TradeDecoder().wrap(buffer, body, blockLength, version).receiveTimeNs();
            case FeedStatusDecoder.TEMPLATE_ID ->
                new FeedStatusDecoder().wrap(buffer, body, blockLength, version).receiveTimeNs();
            case MarkPriceDecoder.TEMPLATE_ID -> new MarkPriceDecoder().wrap(buffer, body, blockLength, version).receiveTimeNs();
            case EndOfDataDecoder.TEMPLATE_ID -> new EndOfDataDecoder().wrap(buffer, body, blockLength, version).receiveTimeNs();
            case InboxRecordDecoder.TEMPLATE_ID ->
                new InboxRecordDecoder().wrap(buffer, body, blockLength, version).consumeTimeNs();
            default -> Long.MIN_VALUE;
        };
    }
}
