package mm.risk;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.testing.Drive;
import mm.common.testing.StreamProbe;
import mm.common.testing.TestInstruments;
import mm.common.testing.TestMessages;
import mm.driver.EmbeddedDriver;
import mm.sbe.ApprovedQuoteDecoder;
import mm.sbe.CancelAllDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.QuoteIntentEncoder;
import mm.sbe.RiskReason;
import mm.sbe.RiskRejectDecoder;
import mm.sbe.Side;
import mm.sbe.TradingState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RiskAgentTest
{
    private static final int BTC = TestInstruments.BTCUSDT.id();

    private final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private EmbeddedDriver driver;
    private Aeron aeron;
    private StreamProbe intents;
    private StreamProbe executions;
    private StreamProbe control;
    private StreamProbe commands;
    private RiskAgent agent;
    private final java.util.List<String> postMortems = new java.util.ArrayList<>();

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        intents = new StreamProbe(aeron, streams.channel(), streams.quoteIntents());
        executions = new StreamProbe(aeron, streams.channel(), streams.executions());
        control = new StreamProbe(aeron, streams.channel(), streams.control());
        commands = new StreamProbe(aeron, streams.channel(), streams.orderCommands()).subscribe();
        // max position 0.002 BTC, max order notional 100 USDT; fees as the venue reports them
        agent = new RiskAgent(new RiskContext().registry(TestInstruments.registry())
            .maxPosition("0.002").maxOrderNotional("100").set("risk.fees.model", "reported").lockstep(false).conclude(),
            aeron, streams, false, (dir, fileName, json) -> postMortems.add(fileName));
    }

    @AfterEach
    void tearDown()
    {
        aeron.close();
        driver.close();
    }

    @Test
    void rejectsLevelsBeyondWorstCasePositionAndOrderNotionalWithReasons()
    {
        // bids: 0.001 @ 60000 (60 USDT ok), 0.001 @ 59999 (worst case 0.002 ok), 0.001 @ 59998 (0.003 > max)
        // asks: 0.002 @ 60010 (120.02 USDT > 100 notional)
        intents.offer(intent(1, new long[][]{{6_000_000, 100}, {5_999_900, 100}, {5_999_800, 100}},
            new long[][]{{6_001_000, 200}}));
        Drive.until(() -> commands.ofTemplate(ApprovedQuoteDecoder.TEMPLATE_ID).size() == 1, agent);

        final ApprovedQuoteDecoder approved = new ApprovedQuoteDecoder().wrapAndApplyHeader(
            new UnsafeBuffer(commands.ofTemplate(ApprovedQuoteDecoder.TEMPLATE_ID).get(0)), 0, new MessageHeaderDecoder());
        final ApprovedQuoteDecoder.BidsDecoder bids = approved.bids();
        assertEquals(2, bids.count());
        bids.forEach(level -> { });
        assertEquals(0, approved.asks().count());

        final var rejects = commands.ofTemplate(RiskRejectDecoder.TEMPLATE_ID);
        assertEquals(2, rejects.size());
        final RiskRejectDecoder position = decodeReject(rejects.get(0));
        assertEquals(RiskReason.MAX_POSITION, position.reason());
        assertEquals(Side.BUY, position.side());
        assertEquals(300, position.checkedValue());
        assertEquals(200, position.limitValue());
        final RiskRejectDecoder notional = decodeReject(rejects.get(1));
        assertEquals(RiskReason.MAX_ORDER_NOTIONAL, notional.reason());
        assertEquals(6_001_000L * 200, notional.checkedValue());
        assertEquals(100_0000000L, notional.limitValue());
    }

    @Test
    void fillsMoveTheWorstCaseAndTheKillSwitchCancelsEverything()
    {
        executions.offer(TestMessages.fill(1, BTC, 1000, 7, Side.BUY, 6_000_000, 200, 12));
        Drive.until(() -> agent.position(BTC).position() == 200, agent);
        assertEquals(12, agent.position(BTC).fees());

        // at max long: any bid is rejected, an ask reducing the position passes
        intents.offer(intent(2, new long[][]{{6_000_000, 100}}, new long[][]{{6_001_000, 100}}));
        Drive.until(() -> commands.ofTemplate(ApprovedQuoteDecoder.TEMPLATE_ID).size() == 1, agent);
        final ApprovedQuoteDecoder approved = new ApprovedQuoteDecoder().wrapAndApplyHeader(
            new UnsafeBuffer(commands.ofTemplate(ApprovedQuoteDecoder.TEMPLATE_ID).get(0)), 0, new MessageHeaderDecoder());
        final ApprovedQuoteDecoder.BidsDecoder bids = approved.bids();
        assertEquals(0, bids.count());
        bids.forEach(level -> { });
        assertEquals(1, approved.asks().count());

        control.offer(TestMessages.kill(2, 2000, 0, "operator"));
        Drive.until(() -> commands.ofTemplate(CancelAllDecoder.TEMPLATE_ID).size() == 1, agent);
        assertEquals(TradingState.MANUAL, agent.tradingState(), "after an operator's kill only an operator resumes");
        assertEquals(1, postMortems.size());

        intents.offer(intent(3, new long[][]{}, new long[][]{{6_001_000, 100}}));
        Drive.until(() -> commands.ofTemplate(ApprovedQuoteDecoder.TEMPLATE_ID).size() == 2, agent);
        final var rejects = commands.ofTemplate(RiskRejectDecoder.TEMPLATE_ID);
        assertEquals(RiskReason.TRADING_HALTED, decodeReject(rejects.get(rejects.size() - 1)).reason());
    }

    @Test
    void aPerpetualsMarkPriceBecomesItsMarkAndBookMidsNoLongerMoveIt()
    {
        final StreamProbe marketData = new StreamProbe(aeron, streams.channel(), streams.marketData());
        marketData.offer(TestMessages.book(1, BTC, 1000, 6_000_000, 100, 6_000_200, 100));
        Drive.until(() -> agent.position(BTC).markPrice() == 6_000_100, agent);

        // 60123.45678 at -5 floors to 60123.45 at the instrument's -2, as the book mid floors.
        marketData.offer(markPrice(2, BTC, 2000, 6_012_345_678L, -5));
        Drive.until(() -> agent.position(BTC).markPrice() == 6_012_345, agent);
        assertEquals(2000, agent.inputTimeNs());

        marketData.offer(TestMessages.book(3, BTC, 3000, 6_000_000, 100, 6_000_200, 100));
        Drive.until(() -> agent.inputTimeNs() == 3000, agent);
        assertEquals(6_012_345, agent.position(BTC).markPrice(), "a book mid no longer moves the mark");
        marketData.offer(markPrice(4, BTC, 4000, 60_124L, 0));
        Drive.until(() -> agent.position(BTC).markPrice() == 6_012_400, agent);
        assertEquals(0, unknownMessages());
    }

    @Test
    void markPriceRescaling()
    {
        assertEquals(6_012_345, RiskGuard.markAtPriceExponent(6_012_345_678L, -5, -2));
        assertEquals(6_012_400, RiskGuard.markAtPriceExponent(60_124L, 0, -2));
        assertEquals(0, RiskGuard.markAtPriceExponent(-5, -2, -2));
        assertEquals(0, RiskGuard.markAtPriceExponent(Long.MAX_VALUE, 0, -2), "overflow is no mark, not a wrong one");
    }

    private long unknownMessages()
    {
        final long[] value = {-1};
        final org.agrona.concurrent.status.CountersReader counters = aeron.countersReader();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (label.equals("risk: unknown messages skipped"))
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    private static byte[] markPrice(
        final long eventSeq, final int instrumentId, final long timeNs, final long markPrice, final int exponent)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final mm.sbe.MarkPriceEncoder encoder = new mm.sbe.MarkPriceEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventSeq(eventSeq).instrumentId(instrumentId).exchangeTimeNs(timeNs).receiveTimeNs(timeNs)
            .markPrice(markPrice).indexPrice(mm.sbe.MarkPriceEncoder.indexPriceNullValue())
            .markPriceExponent((byte)exponent).fundingRate(mm.sbe.MarkPriceEncoder.fundingRateNullValue())
            .fundingRateExponent((byte)0).nextFundingTimeNs(mm.sbe.MarkPriceEncoder.nextFundingTimeNsNullValue());
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static RiskRejectDecoder decodeReject(final byte[] message)
    {
        return new RiskRejectDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
    }

    private static byte[] intent(final long eventSeq, final long[][] bids, final long[][] asks)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final QuoteIntentEncoder encoder = new QuoteIntentEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventSeq(eventSeq).instrumentId(BTC).timeNs(eventSeq * 1000).intentSeq(eventSeq).fairPrice(6_000_000);
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
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
