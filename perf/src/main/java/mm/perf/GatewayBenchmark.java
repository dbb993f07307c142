package mm.perf;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.common.aeron.Streams;
import mm.driver.EmbeddedDriver;
import mm.gateway.GatewayAgent;
import mm.gateway.GatewayContext;
import mm.sbe.ApprovedQuoteEncoder;
import mm.sbe.BooleanType;
import mm.sbe.BookTopNEncoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The gateway's work for one desired-state change: decode the approved quote, diff it against the working
 * orders (both levels of each side move: four cancel-replaces), encode and publish the four OrderActions, then
 * the venue's answers (a cancel and an ack for each) encoded and published as eight ExecutionReports, all
 * through the agent's own handler. The output streams are drained by subscriptions in the same thread, as the
 * journal and the other agents would. {@code venue=sim} answers from the simulated venue (its queue and
 * matching model included); {@code venue=instant} from {@link InstantVenue}, with no model, leaving the
 * gateway's own work. Either venue answers at the next input (1 ms of input time later; the sim's entry latency
 * is 1 µs), as a real venue's answers come after the request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class GatewayBenchmark
{
    private static final long BID = 6_183_700;
    private static final long ASK = 6_183_800;

    @Param({"sim", "instant"})
    public String venue;

    private final Instrument instrument = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -8, 1, 1000, 0);
    private final UnsafeBuffer[] quotes = {new UnsafeBuffer(new byte[512]), new UnsafeBuffer(new byte[512])};
    private final BookTopNEncoder bookEncoder = new BookTopNEncoder();
    private boolean measuringDiffOnly;
    private long changes;
    private final UnsafeBuffer book = new UnsafeBuffer(new byte[512]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ApprovedQuoteEncoder quoteEncoder = new ApprovedQuoteEncoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final FragmentHandler drain = (buffer, offset, length, fragmentHeader) -> { };
    private EmbeddedDriver driver;
    private Aeron aeron;
    private GatewayAgent gateway;
    private Subscription actions;
    private Subscription executions;
    private int commandsInput;
    private int marketDataInput;
    private long eventSeq;
    private long timeNs = 1_723_161_254_000_000_000L;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        final Streams streams = new Streams("aeron:ipc?term-length=16m", 1, 2, 3, 4, 5, 6, 7, 8, 9);
        actions = aeron.addSubscription(streams.channel(), streams.orderActions());
        executions = aeron.addSubscription(streams.channel(), streams.executions());
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.add(instrument);
        final GatewayContext context = new GatewayContext().registry(registry).venue(GatewayContext.VenueKind.SIM)
            .lockstep(false).entryLatencyUs(1).ackLatencyUs(0).simLimits(1_000_000_000L, 1_000_000_000L, 0)
            .actionsRecorded(true);
        if ("instant".equals(venue))
        {
            context.orderEntryFactory(InstantVenue::new);
        }
        gateway = new GatewayAgent(context, aeron, streams, false);
        commandsInput = gateway.inbox().inputIndexOf(streams.orderCommands());
        marketDataInput = gateway.inbox().inputIndexOf(streams.marketData());
        for (int ladder = 0; ladder < 2; ladder++)
        {
            // each change moves every level a tick: the quotes alternate between two ladders
            final ApprovedQuoteEncoder encoder = quoteEncoder.wrapAndApplyHeader(quotes[ladder], 0, headerEncoder)
                .instrumentId(1).postOnly(BooleanType.TRUE);
            final ApprovedQuoteEncoder.BidsEncoder bids = encoder.bidsCount(2);
            bids.next().price(BID - ladder).qty(100_000);
            bids.next().price(BID - 50 - ladder).qty(100_000);
            final ApprovedQuoteEncoder.AsksEncoder asks = encoder.asksCount(2);
            asks.next().price(ASK + ladder).qty(100_000);
            asks.next().price(ASK + 50 + ladder).qty(100_000);
        }
        bookEncoder.wrapAndApplyHeader(book, 0, headerEncoder).instrumentId(1).firstUpdateId(1).lastUpdateId(1)
            .priceExponent((byte)-2).qtyExponent((byte)-8);
        // a book our ladders rest inside of: no bid crosses the best ask, no ask the best bid (post-only accepts all)
        bookEncoder.bidsCount(1).next().price(BID + 10).qty(100_000_000L);
        bookEncoder.asksCount(1).next().price(ASK - 50).qty(100_000_000L);
        advanceTime();
        for (int i = 0; i < 1000; i++)
        {
            changeDesiredState();
        }
        // a benchmark of a gateway that sends nothing would measure nothing: four replaces per change
        final long[] actionCount = new long[1];
        for (int i = 0; i < 10; i++)
        {
            change((buffer, offset, length, fragmentHeader) -> actionCount[0]++);
        }
        if (actionCount[0] != 40)
        {
            throw new IllegalStateException("the gateway sent " + actionCount[0] + " actions for 10 changes of a " +
                "two-level ladder, not 40 (venue=" + venue + ")");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        aeron.close();
        driver.close();
    }

    /**
     * The whole cycle of one change: the venue's answers to the previous change (eight ExecutionReports), then the
     * new desired state's diff and its four OrderActions.
     */
    @Benchmark
    public long changeDesiredState()
    {
        return change(drain);
    }

    /** Before each {@link #diffAndEncode}: a book update moves input time on, which delivers the venue's answers. */
    @Setup(Level.Invocation)
    public void answerPreviousChange()
    {
        if (measuringDiffOnly)
        {
            gateway.doWork(); // the rest of the previous duty cycle: an action the publication refused goes out
            advanceTime();
            gateway.doWork();
            actions.poll(drain, 64);
            executions.poll(drain, 64);
        }
    }

    /**
     * The diff and encode alone: decode the approved quote, diff it against the four live orders and encode and
     * publish the four cancel-replaces (the venue's answers come in {@link #answerPreviousChange}, unmeasured).
     * Timed per invocation, so JMH's timestamps (tens of ns) are included.
     */
    @Benchmark
    public long diffAndEncode()
    {
        measuringDiffOnly = true;
        return applyApprovedQuote();
    }

    private long change(final FragmentHandler actionHandler)
    {
        advanceTime();
        applyApprovedQuote();
        gateway.doWork(); // the rest of the duty cycle: flushing the outboxes
        actions.poll(actionHandler, 64);
        executions.poll(drain, 64);
        return eventSeq;
    }

    private long applyApprovedQuote()
    {
        final UnsafeBuffer quote = quotes[(int)(changes++ & 1)];
        quoteEncoder.wrap(quote, MessageHeaderDecoder.ENCODED_LENGTH).eventSeq(++eventSeq).timeNs(timeNs)
            .intentSeq(eventSeq);
        header.wrap(quote, 0);
        gateway.onMessage(commandsInput, header.templateId(), eventSeq, quote, MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
        return eventSeq;
    }

    private void advanceTime()
    {
        timeNs += 1_000_000;
        bookEncoder.wrap(book, MessageHeaderDecoder.ENCODED_LENGTH).eventSeq(++eventSeq).exchangeTimeNs(timeNs)
            .receiveTimeNs(timeNs);
        header.wrap(book, 0);
        gateway.onMessage(marketDataInput, header.templateId(), eventSeq, book, MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
    }
}
