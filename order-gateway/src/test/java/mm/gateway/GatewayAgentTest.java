package mm.gateway;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.testing.Counters;
import mm.common.testing.Drive;
import mm.common.testing.StreamProbe;
import mm.common.testing.TestInstruments;
import mm.common.testing.TestMessages;
import mm.driver.EmbeddedDriver;
import mm.sbe.ApprovedQuoteEncoder;
import mm.sbe.BooleanType;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.OrderActionDecoder;
import mm.sbe.OrderActionType;
import mm.sbe.Side;
import mm.sbe.TradingState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayAgentTest
{
    private static final int BTC = TestInstruments.BTCUSDT.id();

    private final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private EmbeddedDriver driver;
    private Aeron aeron;
    private StreamProbe marketData;
    private StreamProbe commands;
    private StreamProbe actions;
    private StreamProbe executions;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        marketData = new StreamProbe(aeron, streams.channel(), streams.marketData());
        commands = new StreamProbe(aeron, streams.channel(), streams.orderCommands());
        actions = new StreamProbe(aeron, streams.channel(), streams.orderActions()).subscribe();
        executions = new StreamProbe(aeron, streams.channel(), streams.executions()).subscribe();
    }

    @AfterEach
    void tearDown()
    {
        aeron.close();
        driver.close();
    }

    private GatewayAgent agent(final GatewayContext.VenueKind venue)
    {
        return new GatewayAgent(new GatewayContext().registry(TestInstruments.registry()).venue(venue).lockstep(false),
            aeron, streams, false);
    }

    @Test
    void sendsTheFewestActionsAndFillsWhenATradeTradesThrough()
    {
        final GatewayAgent agent = agent(GatewayContext.VenueKind.SIM);
        commands.offer(approved(1, 6_000_000, 100, 6_001_000, 100));
        Drive.until(() -> actions.poll().size() == 2 && executions.poll().size() == 2, agent);
        assertAction(actions.poll().get(0), OrderActionType.NEW, 1, Side.BUY, 6_000_000, 100);
        assertAction(actions.poll().get(1), OrderActionType.NEW, 2, Side.SELL, 6_001_000, 100);
        assertEquals(ExecType.NEW, execution(executions.poll().get(0)).execType());

        // unchanged desired state: nothing to do
        commands.offer(approved(2, 6_000_000, 100, 6_001_000, 100));
        Drive.rounds(50, agent);
        assertEquals(2, actions.poll().size());

        // the bid moves: cancel it, then place the new price; the ask keeps its place in the queue
        commands.offer(approved(3, 5_999_900, 100, 6_001_000, 100));
        Drive.until(() -> actions.poll().size() == 4, agent);
        assertAction(actions.poll().get(2), OrderActionType.CANCEL, 1, Side.BUY, 6_000_000, 100);
        assertAction(actions.poll().get(3), OrderActionType.NEW, 3, Side.BUY, 5_999_900, 100);

        // a trade at our bid price does not fill (no queue model); one through it fills up to its size
        marketData.offer(TestMessages.trade(4, BTC, 4000, 11, 5_999_900, 500));
        marketData.offer(TestMessages.trade(5, BTC, 5000, 12, 5_999_800, 60));
        Drive.until(() -> fills().size() == 1, agent);
        final ExecutionReportDecoder fill = execution(fills().get(0));
        assertEquals(3, fill.clOrdId());
        assertEquals(60, fill.lastQty());
        assertEquals(5_999_900, fill.lastPrice());
        assertEquals(40, fill.leavesQty());
        assertEquals(5000, fill.timeNs(), "time of the trade that filled it");
        // 0.0006 BTC * 59999.00 = 35.9994 USDT, 0.1% maker fee = 0.0359994 USDT, at 10^-7
        assertEquals(359_994, fill.fee());

        // the rest fills: the order leaves the book and the next desired state places a fresh one
        marketData.offer(TestMessages.trade(6, BTC, 6000, 13, 5_999_000, 1000));
        Drive.until(() -> fills().size() == 2, agent);
        assertEquals(0, execution(fills().get(1)).leavesQty());
        commands.offer(approved(7, 5_999_900, 100, 6_001_000, 100));
        Drive.until(() -> actions.poll().size() == 5, agent);
        assertAction(actions.poll().get(4), OrderActionType.NEW, 4, Side.BUY, 5_999_900, 100);
    }

    @Test
    void observeOnlyComputesAndJournalsActionsButSendsNothing()
    {
        final GatewayAgent agent = agent(GatewayContext.VenueKind.OBSERVE_ONLY);
        commands.offer(approved(1, 6_000_000, 100, 6_001_000, 100));
        commands.offer(approved(2, 5_999_900, 100, 6_001_000, 100));
        Drive.until(() -> actions.poll().size() == 4, agent);
        for (final byte[] action : actions.poll())
        {
            assertEquals(BooleanType.FALSE, decodeAction(action).sent());
        }
        assertEquals(OrderActionType.CANCEL, decodeAction(actions.poll().get(2)).action());
        Drive.rounds(20, agent);
        assertTrue(executions.poll().isEmpty(), "no venue, so no execution reports");
    }

    @Test
    void skipsTheRiskGuardsStateChangesAndParameterAnswersWithoutCountingThemUnknown()
    {
        final GatewayAgent agent = agent(GatewayContext.VenueKind.SIM);
        commands.offer(TestMessages.tradingStateChange(1, 1000, TradingState.REDUCING, "CONSECUTIVE_LOSSES"));
        commands.offer(TestMessages.parameterChangeResult(1, 1000, 2, true, "risk.maxPosition", "0.5", ""));
        commands.offer(approved(1, 6_000_000, 100, 6_001_000, 100));
        Drive.until(() -> actions.poll().size() == 2, agent);
        assertEquals(0, Counters.value(aeron, "gateway: unknown messages skipped"));
    }

    private List<byte[]> fills()
    {
        return executions.poll().stream().filter(m -> execution(m).execType() == ExecType.TRADE).toList();
    }

    private static void assertAction(
        final byte[] message, final OrderActionType type, final long clOrdId, final Side side, final long price, final long qty)
    {
        final OrderActionDecoder action = decodeAction(message);
        assertEquals(type, action.action());
        assertEquals(clOrdId, action.clOrdId());
        assertEquals(side, action.side());
        assertEquals(price, action.price());
        assertEquals(qty, action.qty());
        assertEquals(BooleanType.TRUE, action.sent());
    }

    private static OrderActionDecoder decodeAction(final byte[] message)
    {
        return new OrderActionDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
    }

    private static ExecutionReportDecoder execution(final byte[] message)
    {
        return new ExecutionReportDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
    }

    private static byte[] approved(final long eventSeq, final long bid, final long bidQty, final long ask, final long askQty)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final ApprovedQuoteEncoder encoder = new ApprovedQuoteEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventSeq(eventSeq).instrumentId(BTC).timeNs(eventSeq * 1000).intentSeq(eventSeq);
        encoder.bidsCount(1).next().price(bid).qty(bidQty);
        encoder.asksCount(1).next().price(ask).qty(askQty);
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
