package mm.perf;

import mm.common.Instrument;
import mm.common.Venue;
import mm.gateway.binance.BinanceOrderRequests;
import mm.gateway.binance.BinanceRequestEncoder;
import mm.gateway.binance.BinanceSigner;
import mm.gateway.venue.ClientOrderIds;
import mm.sbe.Side;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;

/**
 * Encoding one Binance {@code order.place} request as the adapter sends it: with an HMAC key (canonical payload
 * built alongside, HMAC-SHA256, hex into the JSON) and in an Ed25519-logged-on session (no per-request
 * signature). The demo HMAC secret of Binance's docs; a fresh Ed25519 key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class BinanceOrderEncodeBenchmark
{
    private final Instrument instrument = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -5, 1, 1, 500);
    private final byte[] symbol = "BTCUSDT".getBytes(StandardCharsets.US_ASCII);
    private final byte[] apiKey =
        "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A".getBytes(StandardCharsets.US_ASCII);
    private BinanceOrderRequests hmac;
    private BinanceOrderRequests session;
    private long step;

    @Setup
    public void setUp() throws NoSuchAlgorithmException
    {
        final ClientOrderIds ids = new ClientOrderIds("mm");
        hmac = new BinanceOrderRequests(new BinanceRequestEncoder(),
            BinanceSigner.hmac("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", "docs demo"), apiKey, ids, 5000);
        session = new BinanceOrderRequests(new BinanceRequestEncoder(),
            BinanceSigner.ed25519(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate(), "fresh"),
            apiKey, ids, 5000);
    }

    @Benchmark
    public int placeSignedWithHmac()
    {
        final long s = step++;
        return hmac.place(s, symbol, instrument, 1_000_000 + s, (s & 1) == 0 ? Side.BUY : Side.SELL,
            6_183_700 + (s & 63), 150_000 + (s & 7), true, 1_723_100_000_000L + s);
    }

    @Benchmark
    public int placeInLoggedOnSession()
    {
        final long s = step++;
        return session.place(s, symbol, instrument, 1_000_000 + s, (s & 1) == 0 ? Side.BUY : Side.SELL,
            6_183_700 + (s & 63), 150_000 + (s & 7), true, 1_723_100_000_000L + s);
    }
}
