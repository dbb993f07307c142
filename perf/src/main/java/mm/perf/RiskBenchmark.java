package mm.perf;

import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.risk.RiskContext;
import mm.risk.RiskGuard;
import mm.sbe.BookTopNDecoder;
import mm.sbe.BookTopNEncoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.ExecutionReportEncoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.QuoteIntentDecoder;
import mm.sbe.QuoteIntentEncoder;
import mm.sbe.Side;
import mm.sbe.TradingState;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The risk guard's pre-trade check of one quote intent, as the agent runs it: wrap the SBE intent, run every
 * check on every level (state, validity, order notional and size, price band, worst-case position, symbol and
 * gross notional, open orders, order-rate budget), encode the ApprovedQuote and hand it to the output, update
 * the instrument's approved ladder and the account's worst-case totals. Intents alternate between two ladders,
 * so every level is new each time and pays the rate budget, as when quotes move; all levels pass (a
 * RiskReject would be one more message per level, checked in {@link #check}). The output is a method that
 * adds up lengths: the agent's publication (an Aeron offer) is not part of the check. Run with
 * {@code -prof gc}: it must be 0 B/op; each iteration also prints the benchmark thread's own allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class RiskBenchmark
{
    /** BTCUSDT spot as the demo trades it. */
    private static final Instrument BTC = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -8, 1, 1000, 0);
    private static final int INTENT_CAPACITY = 1024;
    private static final long MID = 6_180_000;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();

    /** Levels a side in each intent. */
    @Param({"1", "5"})
    public int levels;

    private final UnsafeBuffer intents = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * INTENT_CAPACITY));
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final QuoteIntentDecoder intent = new QuoteIntentDecoder();
    private RiskGuard guard;
    private long timeNs = 1_000_000_000L;
    private int next;
    private long bytesSent;
    private int approvedCounter;
    private int rejectedCounter;
    private int clippedCounter;
    private CountersManager counters;
    private long ops;
    private long iterationStartOps;
    private long iterationStartBytes;

    @Setup
    public void setUp()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.add(BTC);
        final RiskContext context = new RiskContext().registry(registry).lockstep(false)
            .set("risk.orderRatePerSecond", "1000000").set("risk.orderRateBurst", "10000000").conclude();
        counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(256 * 1024)));
        guard = new RiskGuard(context, (buffer, offset, length) -> bytesSent += length,
            (agent, name) -> counters.newCounter(agent + ": " + name), null);
        approvedCounter = counter(counters, "risk: approved quotes");
        rejectedCounter = counter(counters, "risk: rejected levels");
        clippedCounter = counter(counters, "risk: clipped levels");

        // a book (the mark and the band's reference) and a position, as in steady state
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[512]);
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final BookTopNEncoder book = new BookTopNEncoder().wrapAndApplyHeader(scratch, 0, headerEncoder)
            .eventSeq(1).instrumentId(BTC.id()).exchangeTimeNs(timeNs).receiveTimeNs(timeNs).firstUpdateId(1)
            .lastUpdateId(1).priceExponent((byte)-2).qtyExponent((byte)-8);
        book.bidsCount(1).next().price(MID - 1).qty(100_000);
        book.asksCount(1).next().price(MID + 1).qty(100_000);
        final BookTopNDecoder bookDecoder = new BookTopNDecoder().wrapAndApplyHeader(scratch, 0, header);
        guard.onMarketDataTime(1, timeNs);
        guard.onBook(bookDecoder);
        guard.evaluate();
        new ExecutionReportEncoder().wrapAndApplyHeader(scratch, 0, headerEncoder)
            .eventSeq(1).instrumentId(BTC.id()).timeNs(timeNs).clOrdId(1).execType(ExecType.TRADE).side(Side.BUY)
            .price(MID - 1).orderQty(200_000).lastPrice(MID - 1).lastQty(200_000).leavesQty(0).cumQty(200_000).fee(0)
            .tradeId(1).rejectReason(mm.sbe.VenueRejectReason.NONE).isMaker(mm.sbe.BooleanType.TRUE);
        guard.onExecution(new ExecutionReportDecoder().wrapAndApplyHeader(scratch, 0, header));

        for (int variant = 0; variant < 2; variant++)
        {
            final QuoteIntentEncoder encoder = new QuoteIntentEncoder()
                .wrapAndApplyHeader(intents, variant * INTENT_CAPACITY, headerEncoder)
                .eventSeq(2).instrumentId(BTC.id()).timeNs(timeNs).intentSeq(2 + variant).fairPrice(MID);
            final QuoteIntentEncoder.BidsEncoder bids = encoder.bidsCount(levels);
            for (int i = 0; i < levels; i++)
            {
                bids.next().price(MID - 2 - variant - i).qty(100_000);
            }
            final QuoteIntentEncoder.AsksEncoder asks = encoder.asksCount(levels);
            for (int i = 0; i < levels; i++)
            {
                asks.next().price(MID + 2 + variant + i).qty(100_000);
            }
        }
    }

    @Setup(Level.Iteration)
    public void startIteration()
    {
        iterationStartOps = ops;
        iterationStartBytes = THREADS.getCurrentThreadAllocatedBytes();
    }

    @TearDown(Level.Iteration)
    public void endIteration()
    {
        final long bytes = THREADS.getCurrentThreadAllocatedBytes() - iterationStartBytes;
        System.out.printf("%nRiskBenchmark levels=%d thread allocation: %d bytes over %d ops%n",
            levels, bytes, ops - iterationStartOps);
    }

    /** One intent through every pre-trade check; 10 µs of input time pass between intents. */
    @Benchmark
    public long checkOneIntent()
    {
        final int offset = next * INTENT_CAPACITY;
        next ^= 1;
        ops++;
        timeNs += 10_000;
        intents.putLong(offset + MessageHeaderEncoder.ENCODED_LENGTH + QuoteIntentEncoder.timeNsEncodingOffset(), timeNs);
        intent.wrapAndApplyHeader(intents, offset, header);
        guard.onIntent(intent);
        return bytesSent;
    }

    /** Every intent was approved whole: no RiskReject, no state change. */
    @TearDown
    public void check()
    {
        final long approved = counters.getCounterValue(approvedCounter);
        final long rejected = counters.getCounterValue(rejectedCounter) + counters.getCounterValue(clippedCounter);
        System.out.println("\nRiskBenchmark levels=" + levels + ": approved=" + approved + " of " + ops +
            ", rejected or clipped levels=" + rejected + ", state=" + guard.tradingState() + ", bytes=" + bytesSent);
        if (rejected != 0 || guard.tradingState() != TradingState.ACTIVE || approved != ops)
        {
            throw new IllegalStateException("the workload was not steady: approved=" + approved + " of " + ops +
                ", rejected or clipped levels=" + rejected + ", state=" + guard.tradingState());
        }
    }

    private static int counter(final CountersManager counters, final String label)
    {
        final int[] id = {-1};
        counters.forEach((counterId, label2) ->
        {
            if (label2.equals(label))
            {
                id[0] = counterId;
            }
        });
        if (id[0] < 0)
        {
            throw new IllegalStateException("no counter " + label);
        }
        return id[0];
    }
}
