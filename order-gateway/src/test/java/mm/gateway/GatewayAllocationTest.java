package mm.gateway;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import mm.common.aeron.Streams;
import mm.common.testing.Allocations;
import mm.common.testing.TestInstruments;
import mm.common.testing.TestMessages;
import mm.driver.EmbeddedDriver;
import mm.sbe.ApprovedQuoteEncoder;
import mm.sbe.BooleanType;
import mm.sbe.BookTopNEncoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.OrderActionDecoder;
import mm.sbe.OrderActionType;
import mm.sbe.TradeEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's steady state allocates nothing: approved quotes diffed into new orders, cancel-replaces, amends
 * and cancels, the simulated venue's acks, partial and full fills from trades, and every OrderAction and
 * ExecutionReport encoded and published, on the agent's thread after warm-up (least of several runs: a
 * per-message allocation shows in every run, a one-off of the JVM does not).
 */
class GatewayAllocationTest
{
    private static final int BTC = TestInstruments.BTCUSDT.id();
    private static final int TRIALS = 5;
    private static final int ROUNDS = 5_000;
    private static final long MS = 1_000_000L;
    private static final long BID = 5_999_900;
    private static final long ASK = 6_001_000;

    private final Streams streams = new Streams("aeron:ipc?term-length=1m", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ApprovedQuoteEncoder quoteEncoder = new ApprovedQuoteEncoder();
    private final UnsafeBuffer[] quotes = new UnsafeBuffer[4];
    private final UnsafeBuffer book = new UnsafeBuffer(TestMessages.book(1, BTC, 0, BID, 100_000, ASK, 100_000));
    // trades through our best levels (30 of an order's 100 or 60): partial fills, and full ones on the smaller ladder
    private final UnsafeBuffer tradeUp = new UnsafeBuffer(TestMessages.trade(1, BTC, 0, 1, ASK + 300, 30));
    private final UnsafeBuffer tradeDown = new UnsafeBuffer(TestMessages.trade(1, BTC, 0, 1, BID - 300, 30));
    private final OrderActionDecoder actionDecoder = new OrderActionDecoder();
    private final ExecutionReportDecoder executionDecoder = new ExecutionReportDecoder();
    private final long[] actionsByType = new long[OrderActionType.values().length];
    private final long[] executionsByType = new long[ExecType.values().length];
    private final FragmentHandler countActions = this::countAction;
    private final FragmentHandler countExecutions = this::countExecution;
    private EmbeddedDriver driver;
    private Aeron aeron;
    private Subscription actions;
    private Subscription executions;
    private GatewayAgent gateway;
    private int commandsInput;
    private int marketDataInput;
    private long seq;
    private long timeNs = 1_700_000_000_000L * MS;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        actions = aeron.addSubscription(streams.channel(), streams.orderActions());
        executions = aeron.addSubscription(streams.channel(), streams.executions());
        gateway = new GatewayAgent(new GatewayContext().registry(TestInstruments.registry())
            .venue(GatewayContext.VenueKind.SIM).lockstep(false).entryLatencyUs(1).ackLatencyUs(0)
            .simLimits(1_000_000_000L, 1_000_000_000L, 0).actionsRecorded(true), aeron, streams, false);
        commandsInput = gateway.inbox().inputIndexOf(streams.orderCommands());
        marketDataInput = gateway.inbox().inputIndexOf(streams.marketData());
        // four desired states in turn: two ladders a tick apart (cancel-replace), the second with smaller
        // quantities (amend in place), and an empty one (cancel everything, then new orders again)
        quotes[0] = ladder(0, 100, 2);
        quotes[1] = ladder(1, 100, 2);
        quotes[2] = ladder(1, 60, 2);
        quotes[3] = ladder(0, 0, 0);
    }

    @AfterEach
    void tearDown()
    {
        aeron.close();
        driver.close();
    }

    @Test
    void ordersAnswersAndFillsAllocateNothingAfterWarmUp()
    {
        for (int i = 0; i < 4 * ROUNDS; i++)
        {
            round(i);
        }
        final long allocated = Allocations.leastBytesAllocated(TRIALS, () ->
        {
            for (int i = 0; i < ROUNDS; i++)
            {
                round(i);
            }
        });
        System.out.println("gateway: " + ROUNDS + " rounds (book, desired state, trade) per run, least of " + TRIALS +
            " runs: " + allocated + " bytes allocated");
        System.out.println("gateway: actions by type " + java.util.Arrays.toString(actionsByType) +
            ", executions by type " + java.util.Arrays.toString(executionsByType));
        for (final OrderActionType type : new OrderActionType[]{
            OrderActionType.NEW, OrderActionType.REPLACE, OrderActionType.AMEND, OrderActionType.CANCEL})
        {
            assertTrue(actionsByType[type.ordinal()] > 0, type + " actions were part of it");
        }
        for (final ExecType type : new ExecType[]{ExecType.NEW, ExecType.CANCELED, ExecType.REPLACED, ExecType.TRADE})
        {
            assertTrue(executionsByType[type.ordinal()] > 0, type + " reports were part of it");
        }
        assertEquals(0, allocated, "the steady state allocated " + allocated + " bytes");
    }

    private void round(final int i)
    {
        timeNs += MS;
        offer(marketDataInput, book, BookTopNEncoder.receiveTimeNsEncodingOffset());
        final UnsafeBuffer quote = quotes[i & 3];
        quoteEncoder.wrap(quote, MessageHeaderEncoder.ENCODED_LENGTH).eventSeq(seq + 1).timeNs(timeNs).intentSeq(seq + 1);
        offer(commandsInput, quote, -1);
        timeNs += MS;
        offer(marketDataInput, (i & 1) == 0 ? tradeUp : tradeDown, TradeEncoder.receiveTimeNsEncodingOffset());
        gateway.doWork();
        while (actions.poll(countActions, 64) > 0 || executions.poll(countExecutions, 64) > 0)
        {
            gateway.doWork();
        }
    }

    private void offer(final int input, final UnsafeBuffer message, final int timeOffset)
    {
        seq++;
        if (timeOffset >= 0)
        {
            message.putLong(MessageHeaderEncoder.ENCODED_LENGTH + timeOffset, timeNs);
        }
        header.wrap(message, 0);
        gateway.onMessage(input, header.templateId(), seq, message, MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
    }

    private UnsafeBuffer ladder(final int shift, final long qty, final int levels)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final ApprovedQuoteEncoder encoder = quoteEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .instrumentId(BTC).postOnly(BooleanType.TRUE);
        final ApprovedQuoteEncoder.BidsEncoder bids = encoder.bidsCount(levels);
        for (int level = 0; level < levels; level++)
        {
            bids.next().price(BID - 100 - shift - 50L * level).qty(qty);
        }
        final ApprovedQuoteEncoder.AsksEncoder asks = encoder.asksCount(levels);
        for (int level = 0; level < levels; level++)
        {
            asks.next().price(ASK + 100 + shift + 50L * level).qty(qty);
        }
        return buffer;
    }

    private void countAction(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header h)
    {
        header.wrap(buffer, offset);
        if (header.templateId() == OrderActionDecoder.TEMPLATE_ID)
        {
            actionDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            actionsByType[actionDecoder.action().ordinal()]++;
        }
    }

    private void countExecution(
        final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header h)
    {
        header.wrap(buffer, offset);
        if (header.templateId() == ExecutionReportDecoder.TEMPLATE_ID)
        {
            executionDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            executionsByType[executionDecoder.execType().ordinal()]++;
        }
    }
}
