package mm.feed.binance.live;

import mm.common.Instrument;
import mm.common.Venue;
import mm.feed.binance.FeedContext;
import mm.feed.binance.venue.FakeBinanceVenue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Shared set-up of the transport and live-feed tests: the real recordings, the instrument, a fast-reacting context. */
public final class LiveTestSupport
{
    /** Binance spot BTCUSDT at the recording's precision: price 0.01, quantity 1e-8. */
    public static final Instrument BTCUSDT = new Instrument(1, Venue.BINANCE_SPOT, "BTCUSDT", -2, -8, 1, 1000, 50_000_000_000L);

    public static final List<String> STREAMS = List.of("btcusdt@depth@100ms", "btcusdt@trade", "btcusdt@bookTicker");

    private LiveTestSupport()
    {
    }

    /** {@code <repo root>/../shared} from the surefire property, else /work/shared. */
    public static Path shared()
    {
        final String root = System.getProperty("mm.repo.root");
        if (root != null)
        {
            final Path candidate = Path.of(root).resolve("../shared").normalize();
            if (Files.isDirectory(candidate))
            {
                return candidate;
            }
        }
        return Path.of("/work/shared");
    }

    /** The real spot BTCUSDT recording of 2024-08-08 (hftbacktest, recorded by others). */
    public static Path spot0808()
    {
        return shared().resolve("data/binance/hftbacktest/spot/btcusdt_20240808.gz");
    }

    /** A venue streaming the spot recording as fast as the client reads. */
    public static FakeBinanceVenue.Options venueOptions()
    {
        return new FakeBinanceVenue.Options().recordings(List.of(spot0808())).speed(0);
    }

    /** A live context pointed at the venue, with short timeouts and backoff so that tests run quickly. */
    public static FeedContext context(final FakeBinanceVenue venue)
    {
        return new FeedContext()
            .instrument(BTCUSDT)
            .source(FeedContext.Source.WEBSOCKET)
            .wsUrl(URI.create(venue.wsBaseUrl()))
            .restUrl(URI.create(venue.restBaseUrl()))
            .streams(STREAMS)
            .bookDepth(10)
            .snapshotLimit(1000)
            .connectTimeoutMs(2_000)
            .livenessTimeoutMs(2_000)
            .backoffInitialMs(50)
            .backoffMaxMs(400)
            .circuitFailures(5)
            .circuitCoolDownMs(1_000)
            .restConnectTimeoutMs(1_000)
            .restReadTimeoutMs(2_000)
            .restWeightPerMinute(6_000)
            .snapshotRetryMs(20)
            .ringBytes(8 * 1024 * 1024);
    }

    /** Polls until the condition holds; fails after {@code timeoutMs}. */
    public static void await(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        await(what, timeoutMs, condition, () -> "");
    }

    /** Polls until the condition holds; fails after {@code timeoutMs} with what {@code state} says. */
    public static void await(
        final String what, final long timeoutMs, final BooleanSupplier condition, final java.util.function.Supplier<String> state)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + " " + state.get());
            }
            try
            {
                Thread.sleep(2);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }
}
