package mm.perf;

import com.zerodhatech.ticker.KiteTicker;
import mm.feed.kite.KiteMessageDecoder;
import mm.feed.kite.KitePacketMode;
import mm.feed.kite.KiteTick;
import mm.feed.kite.KiteTickListener;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Kite binary tick decoding, ours against the peer measured in the same run: Zerodha's official Java client
 * ({@code KiteTicker}'s private {@code parseBinary}, called through a method handle), on the same bytes.
 * {@code full}: the real INFY full packet (184 bytes) framed as a one-packet message; {@code fourPackets}:
 * the shared 4-packet message (real full + LTP CDS + LTP BCD + index quote). Our listener reads every field
 * the peer materialises (prices, quantities, times, 10 depth entries), so both do the same decoding work.
 * Run with {@code -prof gc} for B/op. Needs {@code ../shared/reference/kite/samples} next to {@code mm.home}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
public class KiteDecodeBenchmark
{
    private static final MethodHandle PARSE_BINARY = parseBinaryHandle();

    @Param({"full", "fourPackets"})
    public String message;

    private byte[] bytes;
    private UnsafeBuffer buffer;
    private final SummingListener listener = new SummingListener();
    private final KiteMessageDecoder decoder = new KiteMessageDecoder(listener);
    private KiteTicker ticker;

    @Setup
    public void setUp()
    {
        final Path samples = samples();
        bytes = switch (message)
        {
            case "full" -> frame(read(samples.resolve("ticker_full.packet.bin")));
            case "fourPackets" -> read(samples.resolve("kite_message_S1_full_plus_3_synthetic.bin"));
            default -> throw new IllegalArgumentException(message);
        };
        buffer = new UnsafeBuffer(bytes);
        ticker = new KiteTicker("benchmark", "no-connection");
        if (decoder.decode(buffer, 0, bytes.length, 0) != official().size() || decoder.errors() != 0)
        {
            throw new IllegalStateException("ours and the official parser disagree on " + message);
        }
    }

    /** Our decoder: one message, every field of every packet read. */
    @Benchmark
    public long ours()
    {
        decoder.decode(buffer, 0, bytes.length, 0);
        return listener.sum;
    }

    /** The official Java client's parser on the same bytes (returns its ticks to the blackhole). */
    @Benchmark
    public ArrayList<?> official()
    {
        try
        {
            return (ArrayList<?>)PARSE_BINARY.invokeExact(ticker, bytes);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle parseBinaryHandle()
    {
        try
        {
            final Method method = KiteTicker.class.getDeclaredMethod("parseBinary", byte[].class);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static Path samples()
    {
        final Path home = Path.of(System.getProperty("mm.home", "."));
        final Path beside = home.resolve("../shared/reference/kite/samples").normalize();
        return Files.isDirectory(beside) ? beside : Path.of("/work/shared/reference/kite/samples");
    }

    private static byte[] read(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("Kite samples not found: " + file, ex);
        }
    }

    private static byte[] frame(final byte[] packet)
    {
        final byte[] message = new byte[packet.length + 4];
        message[1] = 1;
        message[2] = (byte)(packet.length >>> 8);
        message[3] = (byte)packet.length;
        System.arraycopy(packet, 0, message, 4, packet.length);
        return message;
    }

    /** Reads what the official client materialises per tick, into a sum the JIT cannot drop. */
    private static final class SummingListener implements KiteTickListener
    {
        long sum;

        @Override
        public void onTick(final KiteTick t)
        {
            long s = t.instrumentToken() + t.lastPrice();
            final KitePacketMode mode = t.mode();
            if (mode != KitePacketMode.LTP)
            {
                s += t.open() + t.high() + t.low() + t.close() + t.netChange();
                if (mode == KitePacketMode.INDEX_FULL)
                {
                    s += t.exchangeTimeNs();
                }
            }
            if (mode == KitePacketMode.QUOTE || mode == KitePacketMode.FULL)
            {
                s += t.lastQuantity() + t.averagePrice() + t.volume() + t.totalBuyQuantity() + t.totalSellQuantity();
            }
            if (mode == KitePacketMode.FULL)
            {
                s += t.lastTradeTimeNs() + t.exchangeTimeNs() + t.openInterest() + t.openInterestDayHigh() +
                    t.openInterestDayLow();
                for (int level = 0; level < KiteTick.DEPTH_LEVELS; level++)
                {
                    s += t.bidQuantity(level) + t.bidPrice(level) + t.bidOrders(level) +
                        t.askQuantity(level) + t.askPrice(level) + t.askOrders(level);
                }
            }
            sum += s;
        }
    }
}
