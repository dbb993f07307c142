package mm.perf;

import mm.common.Instrument;
import mm.common.Venue;
import mm.common.config.Config;
import mm.quoting.QuoteEngine;
import mm.quoting.QuotingParameters;
import mm.sbe.BookTopNDecoder;
import mm.sbe.BookTopNEncoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The quoting decision for one book update: signals (microprice, imbalance over 5 levels, trade flow, EWMA
 * volatility), the model, the guards and the refresh policy, over a walk of 64 recorded-shape books with a
 * trade per update and a fill every 32 updates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class QuotingBenchmark
{
    @Param({"avellaneda-stoikov", "symmetric"})
    public String model;

    @Param({"1", "5"})
    public int levels;

    private final Instrument instrument = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -8, 1, 1000, 0);
    private final BookTopNDecoder[] books = new BookTopNDecoder[64];
    private QuoteEngine engine;
    private long step;
    private long timeNs;

    @Setup
    public void setUp()
    {
        final Map<String, String> values = new HashMap<>();
        values.put("quoting.model", model);
        values.put("quoting.levels", String.valueOf(levels));
        values.put("quoting.quoteQty", "0.001");
        values.put("quoting.imbalanceWeightTicks", "1");
        values.put("quoting.tradeFlowWeightTicks", "0.5");
        values.put("quoting.refreshToleranceTicks", "1");
        values.put("quoting.levelHysteresisTicks", "1");
        values.put("quoting.maxPosition", "0.05");
        engine = new QuoteEngine(QuotingParameters.read(new Config(values, "benchmark"), instrument));
        engine.onFeedState(true);
        for (int i = 0; i < books.length; i++)
        {
            books[i] = book(6_183_763 + (i * 7 % 23) - 11, i);
        }
    }

    private static BookTopNDecoder book(final long bid, final int i)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final BookTopNEncoder encoder = new BookTopNEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventSeq(i).instrumentId(1).exchangeTimeNs(i).receiveTimeNs(i).firstUpdateId(i).lastUpdateId(i)
            .priceExponent((byte)-2).qtyExponent((byte)-8);
        final BookTopNEncoder.BidsEncoder bids = encoder.bidsCount(5);
        final BookTopNEncoder.AsksEncoder asks;
        for (int level = 0; level < 5; level++)
        {
            bids.next().price(bid - level * 2).qty(30_000_000L + i * 100_000L + level);
        }
        asks = encoder.asksCount(5);
        for (int level = 0; level < 5; level++)
        {
            asks.next().price(bid + 1 + level * 3).qty(90_000_000L - i * 100_000L + level);
        }
        return new BookTopNDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
    }

    @Benchmark
    public boolean quoteOneBookUpdate()
    {
        final long s = step++;
        final long t = timeNs += 50_000_000L;
        final BookTopNDecoder book = books[(int)(s & 63)];
        book.sbeRewind();
        engine.onBook(book, t);
        engine.onTrade(100_000 + (s & 7), (s & 1) == 0 ? Side.BUY : Side.SELL);
        if ((s & 31) == 5)
        {
            engine.onFill((s & 64) == 0 ? Side.BUY : Side.SELL, 6_183_763, 100_000);
        }
        return engine.update(t);
    }
}
