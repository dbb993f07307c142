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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The gateway's work for one desired-state change: decode the approved quote, diff it against the working
 * orders (both levels of each side move: four cancel-replaces), encode the four OrderActions, and the
 * simulated venue's answers encoded as ExecutionReports, all through the agent's own handler. The output
 * streams are drained by subscriptions in the same thread, as the journal and the other agents would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class GatewayBenchmark
{
    private static final long BID = 6_183_700;
    private static final long ASK = 6_183_800;

    private final Instrument instrument = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -8, 1, 1000, 0);
    private final UnsafeBuffer quote = new UnsafeBuffer(new byte[512]);
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
        gateway = new GatewayAgent(new GatewayContext().registry(registry).venue(GatewayContext.VenueKind.SIM)
            .lockstep(false).entryLatencyUs(0).ackLatencyUs(0).simLimits(1_000_000_000L, 1_000_000_000L, 0)
            .actionsRecorded(true), aeron, streams, false);
        commandsInput = gateway.inbox().inputIndexOf(streams.orderCommands());
        marketDataInput = gateway.inbox().inputIndexOf(streams.marketData());
        final BookTopNEncoder bookEncoder = new BookTopNEncoder().wrapAndApplyHeader(book, 0, new MessageHeaderEncoder())
            .eventSeq(++eventSeq).instrumentId(1).exchangeTimeNs(timeNs).receiveTimeNs(timeNs).firstUpdateId(1)
            .lastUpdateId(1).priceExponent((byte)-2).qtyExponent((byte)-8);
        bookEncoder.bidsCount(1).next().price(BID + 500).qty(100_000_000L);
        bookEncoder.asksCount(1).next().price(ASK - 50).qty(100_000_000L);
        header.wrap(book, 0);
        gateway.onMessage(marketDataInput, header.templateId(), eventSeq, book, MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
        for (int i = 0; i < 1000; i++)
        {
            changeDesiredState();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        aeron.close();
        driver.close();
    }

    @Benchmark
    public long changeDesiredState() throws Exception
    {
        // each change moves every level a tick: the quotes alternate between two ladders
        final long shift = (eventSeq & 1) == 0 ? 0 : 1;
        timeNs += 1_000_000;
        final ApprovedQuoteEncoder encoder = quoteEncoder.wrapAndApplyHeader(quote, 0, headerEncoder)
            .eventSeq(++eventSeq).instrumentId(1).timeNs(timeNs).intentSeq(eventSeq).postOnly(BooleanType.TRUE);
        final ApprovedQuoteEncoder.BidsEncoder bids = encoder.bidsCount(2);
        bids.next().price(BID - shift).qty(100_000);
        bids.next().price(BID - 50 - shift).qty(100_000);
        final ApprovedQuoteEncoder.AsksEncoder asks = encoder.asksCount(2);
        asks.next().price(ASK + shift).qty(100_000);
        asks.next().price(ASK + 50 + shift).qty(100_000);
        header.wrap(quote, 0);
        gateway.onMessage(commandsInput, header.templateId(), eventSeq, quote, MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
        gateway.doWork(); // the rest of the duty cycle: the venue's answers, flushing the outboxes
        actions.poll(drain, 64);
        executions.poll(drain, 64);
        return eventSeq;
    }
}
