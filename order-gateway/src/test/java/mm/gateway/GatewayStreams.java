package mm.gateway;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.testing.StreamProbe;
import mm.common.testing.TestMessages;
import mm.driver.EmbeddedDriver;
import mm.sbe.ApprovedQuoteEncoder;
import mm.sbe.BooleanType;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.OrderActionDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A gateway's streams in a test: an embedded media driver, market data and approved quotes offered on Aeron, the
 * venue actions and execution reports it publishes collected and decoded.
 */
final class GatewayStreams implements AutoCloseable
{
    final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    final EmbeddedDriver driver = EmbeddedDriver.launch();
    final Aeron aeron = driver.connectClient();
    private final StreamProbe marketData = new StreamProbe(aeron, streams.channel(), streams.marketData());
    private final StreamProbe commands = new StreamProbe(aeron, streams.channel(), streams.orderCommands());
    private final StreamProbe actions = new StreamProbe(aeron, streams.channel(), streams.orderActions()).subscribe();
    private final StreamProbe executions = new StreamProbe(aeron, streams.channel(), streams.executions()).subscribe();
    private final int instrumentId;
    private long seq;

    GatewayStreams(final int instrumentId)
    {
        this.instrumentId = instrumentId;
    }

    void book(final long timeNs, final long bid, final long ask)
    {
        marketData.offer(TestMessages.book(++seq, instrumentId, timeNs, bid, 100, ask, 100));
    }

    /** An approved desired state: one bid level and one ask level (price 0: none on that side). */
    void quote(final long timeNs, final long bid, final long bidQty, final long ask, final long askQty)
    {
        commands.offer(approvedQuote(++seq, instrumentId, timeNs, bid, bidQty, ask, askQty));
    }

    /** An encoded approved quote of one bid level and one ask level (price 0: none on that side), not post-only. */
    static byte[] approvedQuote(
        final long eventSeq, final int instrumentId, final long timeNs,
        final long bid, final long bidQty, final long ask, final long askQty)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final ApprovedQuoteEncoder encoder = new ApprovedQuoteEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventSeq(eventSeq).instrumentId(instrumentId).timeNs(timeNs).intentSeq(eventSeq)
            .postOnly(BooleanType.FALSE);
        final ApprovedQuoteEncoder.BidsEncoder bids = encoder.bidsCount(bid > 0 ? 1 : 0);
        if (bid > 0)
        {
            bids.next().price(bid).qty(bidQty);
        }
        final ApprovedQuoteEncoder.AsksEncoder asks = encoder.asksCount(ask > 0 ? 1 : 0);
        if (ask > 0)
        {
            asks.next().price(ask).qty(askQty);
        }
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    List<OrderActionDecoder> actions()
    {
        final List<OrderActionDecoder> decoded = new ArrayList<>();
        for (final byte[] message : actions.poll())
        {
            decoded.add(new OrderActionDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder()));
        }
        return decoded;
    }

    /** Execution reports of one kind, in order (null: all). */
    List<ExecutionReportDecoder> executions(final ExecType type)
    {
        final List<ExecutionReportDecoder> found = new ArrayList<>();
        for (final byte[] message : executions.poll())
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(message);
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
            if (header.templateId() != ExecutionReportDecoder.TEMPLATE_ID)
            {
                continue;
            }
            final ExecutionReportDecoder report = new ExecutionReportDecoder().wrapAndApplyHeader(buffer, 0, header);
            if (type == null || report.execType() == type)
            {
                found.add(report);
            }
        }
        return found;
    }

    int count(final ExecType type)
    {
        return executions(type).size();
    }

    /** Whether a report of this kind for this order has been published. */
    boolean has(final ExecType type, final long clOrdId)
    {
        for (final ExecutionReportDecoder report : executions(type))
        {
            if (report.clOrdId() == clOrdId)
            {
                return true;
            }
        }
        return false;
    }

    /** Every report for this order, as "TYPE lastQty@lastPrice leaves cum fee" lines (for messages). */
    String describe(final long clOrdId)
    {
        final StringBuilder text = new StringBuilder();
        for (final ExecutionReportDecoder report : executions(null))
        {
            if (report.clOrdId() == clOrdId)
            {
                text.append(report.execType()).append(' ').append(report.lastQty()).append('@').append(report.lastPrice())
                    .append(" leaves=").append(report.leavesQty()).append(" cum=").append(report.cumQty())
                    .append(" fee=").append(report.fee()).append(' ').append(report.rejectReason()).append("; ");
            }
        }
        return text.toString();
    }

    @Override
    public void close()
    {
        aeron.close();
        driver.close();
    }
}
