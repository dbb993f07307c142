package mm.risk;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.aeron.Streams;
import mm.common.testing.Counters;
import mm.common.testing.Drive;
import mm.common.testing.StreamProbe;
import mm.common.testing.TestMessages;
import mm.driver.EmbeddedDriver;
import mm.sbe.ApprovedQuoteDecoder;
import mm.sbe.CancelAllDecoder;
import mm.sbe.ExecType;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.ParameterChangeResultDecoder;
import mm.sbe.RiskRejectDecoder;
import mm.sbe.Side;
import mm.sbe.TradingState;
import mm.sbe.TradingStateChangeDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A risk agent on a real embedded media driver, driven by hand: each input is offered on its stream and the
 * agent's doWork is called until it has consumed the input and offered every decision; the decisions it
 * published on ORDER_COMMANDS in reaction are returned, in order.
 */
final class RiskHarness implements AutoCloseable
{
    static final long SECOND_NS = 1_000_000_000L;

    final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    final EmbeddedDriver driver;
    final Aeron aeron;
    final StreamProbe marketData;
    final StreamProbe intents;
    final StreamProbe executions;
    final StreamProbe control;
    final StreamProbe commands;
    final RiskAgent agent;
    private int read;
    private long clOrdIds = 1000;

    /** Post-mortems of this run, file name then text, when made with the collecting sink. */
    final List<String[]> postMortems = new ArrayList<>();

    /** With a sink that collects post-mortems in {@link #postMortems} instead of writing files. */
    RiskHarness(final RiskContext context)
    {
        this(context, null);
    }

    RiskHarness(final RiskContext context, final PostMortem.Sink sink)
    {
        this(context, sink, false);
    }

    /** @param agentsOwnSink the agent writes post-mortems its default way (files, on a background thread). */
    RiskHarness(final RiskContext context, final PostMortem.Sink sink, final boolean agentsOwnSink)
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        marketData = new StreamProbe(aeron, streams.channel(), streams.marketData());
        intents = new StreamProbe(aeron, streams.channel(), streams.quoteIntents());
        executions = new StreamProbe(aeron, streams.channel(), streams.executions());
        control = new StreamProbe(aeron, streams.channel(), streams.control());
        commands = new StreamProbe(aeron, streams.channel(), streams.orderCommands()).subscribe();
        agent = agentsOwnSink ? new RiskAgent(context, aeron, streams, false) : new RiskAgent(context, aeron, streams, false,
            sink != null ? sink : (dir, fileName, json) -> postMortems.add(new String[]{fileName, json}));
    }

    /** A context over {@code instruments}, lockstep off, fees off unless set; further keys as "key", "value" pairs. */
    static RiskContext context(final List<Instrument> instruments, final String... keyValues)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        for (final Instrument instrument : instruments)
        {
            registry.add(instrument);
        }
        final RiskContext context = new RiskContext().registry(registry).lockstep(false).set("risk.fees.model", "none");
        for (int i = 0; i < keyValues.length; i += 2)
        {
            context.set(keyValues[i], keyValues[i + 1]);
        }
        return context.conclude();
    }

    RiskGuard guard()
    {
        return agent.guard();
    }

    /** Offers one input and returns what the agent published on ORDER_COMMANDS in reaction. */
    List<byte[]> send(final StreamProbe input, final byte[] message)
    {
        final long target = agent.consumedCount() + 1;
        input.offer(message);
        Drive.until(() -> agent.consumedCount() == target && agent.isFlushed(), agent);
        final List<byte[]> all = commands.poll();
        final List<byte[]> fresh = new ArrayList<>(all.subList(read, all.size()));
        read = all.size();
        return fresh;
    }

    List<byte[]> book(final long eventSeq, final int instrumentId, final long timeNs, final long bid, final long ask)
    {
        return send(marketData, TestMessages.book(eventSeq, instrumentId, timeNs, bid, 100, ask, 100));
    }

    List<byte[]> intent(
        final long eventSeq, final int instrumentId, final long timeNs, final long fairPrice, final long[][] bids,
        final long[][] asks)
    {
        return send(intents, TestMessages.intent(eventSeq, instrumentId, timeNs, eventSeq, fairPrice, bids, asks));
    }

    /** A maker fill of a whole order with a fee of 0 on the report. */
    List<byte[]> fill(final long eventSeq, final int instrumentId, final long timeNs, final Side side, final long price,
        final long qty)
    {
        return fill(eventSeq, instrumentId, timeNs, side, price, qty, 0, true);
    }

    List<byte[]> fill(final long eventSeq, final int instrumentId, final long timeNs, final Side side, final long price,
        final long qty, final long reportedFee, final boolean maker)
    {
        final long clOrdId = ++clOrdIds;
        return send(executions, TestMessages.execution(eventSeq, instrumentId, timeNs, clOrdId, ExecType.TRADE, side,
            price, qty, price, qty, 0, reportedFee, maker));
    }

    List<byte[]> reject(final long eventSeq, final int instrumentId, final long timeNs)
    {
        final long clOrdId = ++clOrdIds;
        return send(executions, TestMessages.execution(eventSeq, instrumentId, timeNs, clOrdId, ExecType.REJECTED,
            Side.BUY, 100, 1, 0, 0, 0, 0, false));
    }

    List<byte[]> heartbeat(final long timeNs)
    {
        return send(control, TestMessages.heartbeat(0, timeNs));
    }

    List<byte[]> operator(final long timeNs, final TradingState state, final String reason)
    {
        return send(control, TestMessages.tradingStateChange(0, timeNs, state, reason));
    }

    List<byte[]> parameter(final long timeNs, final String key, final String value)
    {
        return send(control, TestMessages.parameterChange(0, timeNs, key, value));
    }

    List<byte[]> kill(final long timeNs, final int instrumentId, final String reason)
    {
        return send(control, TestMessages.kill(0, timeNs, instrumentId, reason));
    }

    long counter(final String name)
    {
        return Counters.value(aeron, "risk: " + name);
    }

    long counterValue(final String label)
    {
        return Counters.value(aeron, label);
    }

    public void close()
    {
        agent.onClose();
        aeron.close();
        driver.close();
    }

    // decoding

    static int templateId(final byte[] message)
    {
        return new MessageHeaderDecoder().wrap(new UnsafeBuffer(message), 0).templateId();
    }

    static List<byte[]> ofTemplate(final List<byte[]> messages, final int templateId)
    {
        final List<byte[]> result = new ArrayList<>();
        for (final byte[] message : messages)
        {
            if (templateId(message) == templateId)
            {
                result.add(message);
            }
        }
        return result;
    }

    static List<RiskRejectDecoder> rejects(final List<byte[]> messages)
    {
        final List<RiskRejectDecoder> result = new ArrayList<>();
        for (final byte[] message : ofTemplate(messages, RiskRejectDecoder.TEMPLATE_ID))
        {
            result.add(new RiskRejectDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder()));
        }
        return result;
    }

    static List<TradingStateChangeDecoder> stateChanges(final List<byte[]> messages)
    {
        final List<TradingStateChangeDecoder> result = new ArrayList<>();
        for (final byte[] message : ofTemplate(messages, TradingStateChangeDecoder.TEMPLATE_ID))
        {
            result.add(new TradingStateChangeDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0,
                new MessageHeaderDecoder()));
        }
        return result;
    }

    static List<CancelAllDecoder> cancelAlls(final List<byte[]> messages)
    {
        final List<CancelAllDecoder> result = new ArrayList<>();
        for (final byte[] message : ofTemplate(messages, CancelAllDecoder.TEMPLATE_ID))
        {
            result.add(new CancelAllDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder()));
        }
        return result;
    }

    static ParameterChangeResultDecoder parameterResult(final List<byte[]> messages)
    {
        final List<byte[]> results = ofTemplate(messages, ParameterChangeResultDecoder.TEMPLATE_ID);
        if (results.size() != 1)
        {
            throw new AssertionError("expected one ParameterChangeResult, got " + results.size());
        }
        return new ParameterChangeResultDecoder().wrapAndApplyHeader(new UnsafeBuffer(results.get(0)), 0,
            new MessageHeaderDecoder());
    }

    /** The approved ladder of the one ApprovedQuote in {@code messages}: {bids, asks}, each level {price, qty}. */
    static long[][][] approved(final List<byte[]> messages)
    {
        final List<byte[]> quotes = ofTemplate(messages, ApprovedQuoteDecoder.TEMPLATE_ID);
        if (quotes.size() != 1)
        {
            throw new AssertionError("expected one ApprovedQuote, got " + quotes.size());
        }
        final ApprovedQuoteDecoder quote = new ApprovedQuoteDecoder().wrapAndApplyHeader(
            new UnsafeBuffer(quotes.get(0)), 0, new MessageHeaderDecoder());
        final ApprovedQuoteDecoder.BidsDecoder bids = quote.bids();
        final long[][] bidLevels = new long[bids.count()][];
        for (int i = 0; bids.hasNext(); i++)
        {
            bids.next();
            bidLevels[i] = new long[]{bids.price(), bids.qty()};
        }
        final ApprovedQuoteDecoder.AsksDecoder asks = quote.asks();
        final long[][] askLevels = new long[asks.count()][];
        for (int i = 0; asks.hasNext(); i++)
        {
            asks.next();
            askLevels[i] = new long[]{asks.price(), asks.qty()};
        }
        return new long[][][]{bidLevels, askLevels};
    }

    static String reasonText(final TradingStateChangeDecoder change)
    {
        return change.reason();
    }
}
