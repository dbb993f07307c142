package mm.quoting;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.testing.Drive;
import mm.common.testing.StreamProbe;
import mm.common.testing.TestInstruments;
import mm.common.testing.TestMessages;
import mm.driver.EmbeddedDriver;
import mm.sbe.BooleanType;
import mm.sbe.FeedState;
import mm.sbe.ParameterChangeResultDecoder;
import mm.sbe.TradingState;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.QuoteIntentDecoder;
import mm.sbe.Side;
import mm.sbe.StepEndDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotingAgentTest
{
    private static final int BTC = TestInstruments.BTCUSDT.id();
    private static final long BID = 6183763;
    private static final long ASK = 6183764;

    private final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private EmbeddedDriver driver;
    private Aeron aeron;
    private StreamProbe marketData;
    private StreamProbe executions;
    private StreamProbe intents;
    private StreamProbe commands;
    private StreamProbe control;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        marketData = new StreamProbe(aeron, streams.channel(), streams.marketData());
        executions = new StreamProbe(aeron, streams.channel(), streams.executions());
        intents = new StreamProbe(aeron, streams.channel(), streams.quoteIntents()).subscribe();
        commands = new StreamProbe(aeron, streams.channel(), streams.orderCommands());
        control = new StreamProbe(aeron, streams.channel(), streams.control());
    }

    @AfterEach
    void tearDown()
    {
        aeron.close();
        driver.close();
    }

    private QuotingAgent agent(final boolean lockstep)
    {
        return new QuotingAgent(new QuotingContext()
            .instrument(TestInstruments.BTCUSDT)
            .set("quoting.model", "symmetric")
            .set("quoting.fairValue", "mid")
            .set("quoting.halfSpreadTicks", "2")
            .set("quoting.skewTicksPerQuoteQty", "1")
            .quoteQty(100)
            .lockstep(lockstep)
            .conclude(), aeron, streams, false);
    }

    @Test
    void quotesSymmetricallyAroundMidOnChangeOnlyAndSkewsAgainstInventory()
    {
        final QuotingAgent agent = agent(false);
        marketData.offer(TestMessages.feedStatus(1, BTC, 1000, FeedState.SYNCED));
        marketData.offer(TestMessages.book(2, BTC, 2000, BID, 50, ASK, 70));
        Drive.until(() -> intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size() == 1, agent);

        QuoteIntentDecoder intent = decode(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).get(0));
        assertLadder(intent, BID - 2, 100, ASK + 2, 100);
        assertEquals(2, intent.eventSeq());
        assertEquals(2000, intent.timeNs(), "time comes from the input message");

        // the same book again: the desired state did not change, nothing is sent
        marketData.offer(TestMessages.book(3, BTC, 3000, BID, 10, ASK, 10));
        Drive.rounds(50, agent);
        assertEquals(1, intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size());

        // long one quote size: both quotes move one tick down, so the ask is more likely to be hit
        executions.offer(TestMessages.fill(3, BTC, 3500, 1, Side.BUY, BID - 2, 100, 0));
        Drive.until(() -> agent.position() == 100, agent);
        marketData.offer(TestMessages.book(4, BTC, 4000, BID, 10, ASK, 10));
        Drive.until(() -> intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size() == 2, agent);
        intent = decode(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).get(1));
        assertLadder(intent, BID - 3, 100, ASK + 1, 100);

        // short two quote sizes: quotes move up
        executions.offer(TestMessages.fill(4, BTC, 4500, 2, Side.SELL, ASK + 1, 300, 0));
        Drive.until(() -> agent.position() == -200, agent);
        marketData.offer(TestMessages.book(5, BTC, 5000, BID, 10, ASK, 10));
        Drive.until(() -> intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size() == 3, agent);
        assertLadder(decode(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).get(2)), BID, 100, ASK + 4, 100);
    }

    @Test
    void neverCrossesTheBookAndPullsQuotesWhenTheFeedResyncs()
    {
        final QuotingAgent agent = agent(false);
        marketData.offer(TestMessages.feedStatus(1, BTC, 1000, FeedState.SYNCED));
        // short 10 quote sizes would push the bid above the best ask: it is held one tick below it
        executions.offer(TestMessages.fill(1, BTC, 1500, 1, Side.SELL, ASK, 1000, 0));
        Drive.until(() -> agent.position() == -1000, agent);
        marketData.offer(TestMessages.book(2, BTC, 2000, BID, 50, ASK, 70));
        Drive.until(() -> intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size() == 1, agent);
        final QuoteIntentDecoder intent = decode(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).get(0));
        assertLadder(intent, ASK - 1, 100, ASK + 12, 100);

        marketData.offer(TestMessages.feedStatus(3, BTC, 3000, FeedState.RESYNCING));
        Drive.until(() -> intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size() == 2, agent);
        final QuoteIntentDecoder pulled = decode(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).get(1));
        assertEquals(0, pulled.bids().count());
        assertEquals(0, pulled.asks().count());
    }

    @Test
    void lockstepWaitsForTheRiskGuardsAndTheGatewaysStepEndBeforeTheNextEvent()
    {
        final QuotingAgent agent = agent(true);
        marketData.offer(TestMessages.feedStatus(1, BTC, 1000, FeedState.SYNCED));
        marketData.offer(TestMessages.book(2, BTC, 2000, BID, 50, ASK, 70));
        Drive.until(() -> intents.ofTemplate(StepEndDecoder.TEMPLATE_ID).size() == 1, agent);
        Drive.rounds(100, agent);
        assertEquals(1, intents.ofTemplate(StepEndDecoder.TEMPLATE_ID).size(), "event 2 waits for step 1 to end");
        assertTrue(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).isEmpty());

        executions.offer(TestMessages.stepEnd(1, 1000));
        Drive.rounds(100, agent);
        assertEquals(1, intents.ofTemplate(StepEndDecoder.TEMPLATE_ID).size(), "the risk guard's step 1 is not over");
        commands.offer(TestMessages.stepEnd(1, 1000));
        Drive.until(() -> intents.ofTemplate(StepEndDecoder.TEMPLATE_ID).size() == 2, agent);
        final List<byte[]> all = intents.poll();
        assertEquals(3, all.size());
        assertEquals(QuoteIntentDecoder.TEMPLATE_ID, templateId(all.get(1)));
        assertEquals(2, decode(all.get(1)).eventSeq());
        assertEquals(StepEndDecoder.TEMPLATE_ID, templateId(all.get(2)));
    }

    @Test
    void aMarkPriceIsAKnownStepThatChangesNoQuote()
    {
        final QuotingAgent agent = agent(true);
        marketData.offer(TestMessages.feedStatus(1, BTC, 1000, FeedState.SYNCED));
        Drive.until(() -> intents.ofTemplate(StepEndDecoder.TEMPLATE_ID).size() == 1, agent);
        executions.offer(TestMessages.stepEnd(1, 1000));
        commands.offer(TestMessages.stepEnd(1, 1000));
        marketData.offer(markPrice(2, BTC, 2000, 6_183_763_50000000L, -10));
        Drive.until(() -> intents.ofTemplate(StepEndDecoder.TEMPLATE_ID).size() == 2, agent);
        assertEquals(2, new StepEndDecoder().wrapAndApplyHeader(new UnsafeBuffer(
            intents.ofTemplate(StepEndDecoder.TEMPLATE_ID).get(1)), 0, new MessageHeaderDecoder()).eventSeq());
        assertEquals(2000, agent.inputTimeNs());
        assertTrue(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).isEmpty());
        assertEquals(0, counter(aeron, "quoting: unknown messages skipped"));
    }

    @Test
    void theRiskGuardsReducingStateOnOrderCommandsMakesQuotesOneSided()
    {
        final QuotingAgent agent = agent(false);
        marketData.offer(TestMessages.feedStatus(1, BTC, 1000, FeedState.SYNCED));
        executions.offer(TestMessages.fill(1, BTC, 1500, 1, Side.BUY, BID, 100, 0));
        Drive.until(() -> agent.position() == 100, agent);
        commands.offer(TestMessages.tradingStateChange(1, 1600, TradingState.REDUCING, "daily loss 80%"));
        Drive.until(() -> agent.engine().tradingState() == TradingState.REDUCING, agent);
        marketData.offer(TestMessages.book(2, BTC, 2000, BID, 50, ASK, 70));
        Drive.until(() -> intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size() == 1, agent);
        final QuoteIntentDecoder intent = decode(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).get(0));
        assertEquals(0, intent.bids().count(), "long: no bids while REDUCING");
        final QuoteIntentDecoder.AsksDecoder asks = intent.asks();
        assertEquals(1, asks.count());
        assertEquals(100, asks.next().qty());
        assertEquals(BooleanType.TRUE, intent.postOnly());
    }

    @Test
    void parameterChangesOnControlAreAnsweredOnQuoteIntentsAndApplyOnTheNextEvent()
    {
        final QuotingAgent agent = agent(false);
        marketData.offer(TestMessages.feedStatus(1, BTC, 1000, FeedState.SYNCED));
        marketData.offer(TestMessages.book(2, BTC, 2000, BID, 50, ASK, 70));
        Drive.until(() -> intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size() == 1, agent);

        control.offer(TestMessages.parameterChange(0, 2100, "quoting.halfSpreadTicks", "0"));
        control.offer(TestMessages.parameterChange(0, 2200, "risk.maxPosition", "1"));
        control.offer(TestMessages.parameterChange(0, 2300, "quoting.halfSpreadTicks", "5"));
        Drive.until(() -> intents.ofTemplate(ParameterChangeResultDecoder.TEMPLATE_ID).size() == 2, agent);
        Drive.rounds(20, agent);
        final List<byte[]> results = intents.ofTemplate(ParameterChangeResultDecoder.TEMPLATE_ID);
        assertEquals(2, results.size(), "keys of other agents are not answered");
        final ParameterChangeResultDecoder rejected = decodeResult(results.get(0));
        assertEquals(BooleanType.FALSE, rejected.accepted());
        assertEquals(QuotingAgent.AGENT_ID, rejected.agentId());
        assertEquals("quoting.halfSpreadTicks", rejected.key());
        assertEquals("0", rejected.value());
        assertEquals("config key 'quoting.halfSpreadTicks' has value '0': must be an integer in [1, 100000]",
            rejected.reason());
        final ParameterChangeResultDecoder accepted = decodeResult(results.get(1));
        assertEquals(BooleanType.TRUE, accepted.accepted());
        assertEquals("quoting.halfSpreadTicks", accepted.key(), "var data reads in order: key, value, reason");
        assertEquals("5", accepted.value());
        assertEquals(1, counter(aeron, "quoting: parameter changes rejected"));
        assertEquals(1, counter(aeron, "quoting: parameter changes accepted"));

        marketData.offer(TestMessages.book(3, BTC, 3000, BID, 50, ASK, 70));
        Drive.until(() -> intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).size() == 2, agent);
        assertLadder(decode(intents.ofTemplate(QuoteIntentDecoder.TEMPLATE_ID).get(1)), BID - 5, 100, ASK + 5, 100);
    }

    @Test
    void theSameInputsGiveTheSameOutputBytes()
    {
        final List<byte[]> first = runAvellanedaStoikovScenario(new Streams("aeron:ipc?term-length=64k",
            11, 12, 13, 14, 15, 16, 17, 18, 19));
        final List<byte[]> second = runAvellanedaStoikovScenario(new Streams("aeron:ipc?term-length=64k",
            21, 22, 23, 24, 25, 26, 27, 28, 29));
        assertTrue(first.size() > 10, "the scenario quotes: " + first.size());
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++)
        {
            assertTrue(java.util.Arrays.equals(first.get(i), second.get(i)), "output " + i + " differs");
        }
    }

    /** Books that move, trades both ways and fills, through the default model with every signal on. */
    private List<byte[]> runAvellanedaStoikovScenario(final Streams runStreams)
    {
        final StreamProbe md = new StreamProbe(aeron, runStreams.channel(), runStreams.marketData());
        final StreamProbe ex = new StreamProbe(aeron, runStreams.channel(), runStreams.executions());
        final StreamProbe out = new StreamProbe(aeron, runStreams.channel(), runStreams.quoteIntents()).subscribe();
        final QuotingAgent agent = new QuotingAgent(new QuotingContext()
            .instrument(TestInstruments.BTCUSDT)
            .set("quoting.levels", "3")
            .set("quoting.imbalanceWeightTicks", "1.5")
            .set("quoting.tradeFlowWeightTicks", "0.75")
            .set("quoting.as.horizonMs", "60000")
            .quoteQty(100)
            .lockstep(false)
            .conclude(), aeron, runStreams, false);
        md.offer(TestMessages.feedStatus(1, BTC, 1000, FeedState.SYNCED));
        long seq = 2;
        for (int i = 0; i < 40; i++)
        {
            final long t = 1_000_000_000L + i * 137_000_000L;
            final long bid = BID + (i * 7 % 11) - 5;
            md.offer(TestMessages.bookLevels(seq++, BTC, t,
                new long[] {bid, 30 + i, bid - 1, 80, bid - 3, 10}, new long[] {bid + 1, 90 - i, bid + 2, 40}));
            md.offer(TestMessages.trade(seq++, BTC, t + 1, i, bid, 5 + i));
            if (i % 9 == 4)
            {
                ex.offer(TestMessages.fill(seq, BTC, t + 2, i, i % 2 == 0 ? Side.BUY : Side.SELL, bid, 100, 0));
            }
        }
        Drive.until(() -> agent.inputTimeNs() >= 1_000_000_000L + 39 * 137_000_000L + 1, agent);
        Drive.rounds(50, agent);
        return out.poll();
    }

    private static ParameterChangeResultDecoder decodeResult(final byte[] message)
    {
        return new ParameterChangeResultDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0,
            new MessageHeaderDecoder());
    }

    /** A MarkPrice as the feed publishes it (schema version 2). */
    static byte[] markPrice(
        final long eventSeq, final int instrumentId, final long timeNs, final long markPrice, final int exponent)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final mm.sbe.MarkPriceEncoder encoder = new mm.sbe.MarkPriceEncoder()
            .wrapAndApplyHeader(buffer, 0, new mm.sbe.MessageHeaderEncoder())
            .eventSeq(eventSeq).instrumentId(instrumentId).exchangeTimeNs(timeNs).receiveTimeNs(timeNs)
            .markPrice(markPrice).indexPrice(markPrice).markPriceExponent((byte)exponent)
            .fundingRate(2754).fundingRateExponent((byte)-8).nextFundingTimeNs(timeNs + 1);
        final byte[] bytes = new byte[mm.sbe.MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /** An engine counter's value, found by its label in the driver's counters. */
    static long counter(final Aeron aeron, final String label)
    {
        final long[] value = {-1};
        final org.agrona.concurrent.status.CountersReader counters = aeron.countersReader();
        counters.forEach((counterId, typeId, keyBuffer, counterLabel) ->
        {
            if (counterLabel.equals(label))
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    private static int templateId(final byte[] message)
    {
        return new MessageHeaderDecoder().wrap(new UnsafeBuffer(message), 0).templateId();
    }

    private static QuoteIntentDecoder decode(final byte[] message)
    {
        return new QuoteIntentDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
    }

    private static void assertLadder(
        final QuoteIntentDecoder intent, final long bid, final long bidQty, final long ask, final long askQty)
    {
        final QuoteIntentDecoder.BidsDecoder bids = intent.bids();
        assertEquals(1, bids.count());
        bids.next();
        assertEquals(bid, bids.price(), "bid price");
        assertEquals(bidQty, bids.qty(), "bid qty");
        final QuoteIntentDecoder.AsksDecoder asks = intent.asks();
        assertEquals(1, asks.count());
        asks.next();
        assertEquals(ask, asks.price(), "ask price");
        assertEquals(askQty, asks.qty(), "ask qty");
    }
}
