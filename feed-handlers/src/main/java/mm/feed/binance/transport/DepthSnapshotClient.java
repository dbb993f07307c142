package mm.feed.binance.transport;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fetches REST depth snapshots ({@code GET <restUrl><path>?symbol=S&limit=N}) with {@code java.net.http}
 * (not the hot path: a snapshot is needed at start and after each loss of sync) and delivers the body, or
 * the failure, through the {@link FrameRing}, so the book sees snapshots and diffs in one order. Connect and
 * read timeouts are enforced; the weight budget is the caller's ({@link RestWeightBudget}).
 * <p>
 * One request at a time; {@link #request} is called from the agent thread and completes on the client's own
 * daemon thread.
 */
public final class DepthSnapshotClient implements AutoCloseable
{
    /** Binance reports the IP's weight used in the current minute in this response header. */
    public static final String USED_WEIGHT_HEADER = "x-mbx-used-weight-1m";

    private final URI baseUrl;
    private final String path;
    private final Duration readTimeout;
    private final FrameRing ring;
    private final ExecutorService executor;
    private final HttpClient http;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();

    private volatile long requests;
    private volatile long successes;
    private volatile long failures;
    private volatile long timeouts;
    private volatile long undelivered;
    private volatile int lastStatus;
    private volatile String lastError = "";

    /**
     * @param baseUrl e.g. {@code https://api.binance.com}.
     * @param path e.g. {@code /api/v3/depth}.
     */
    public DepthSnapshotClient(
        final URI baseUrl, final String path, final long connectTimeoutMs, final long readTimeoutMs, final FrameRing ring)
    {
        final String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.path = path;
        this.readTimeout = Duration.ofMillis(readTimeoutMs);
        this.ring = ring;
        this.executor = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "mm-feed-rest");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(connectTimeoutMs))
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .build();
    }

    /** The request URI for a symbol and a limit. */
    public URI uri(final String symbol, final int limit)
    {
        return URI.create(baseUrl + path + "?symbol=" + symbol.toUpperCase(Locale.ROOT) + "&limit=" + limit);
    }

    /**
     * Starts fetching; the result arrives in the ring as {@link FrameRing#SNAPSHOT} (aux: the venue's used
     * weight, or -1) or {@link FrameRing#SNAPSHOT_FAILED} (aux: HTTP status or a negative code), tagged with
     * {@code generation}.
     */
    public void request(final String symbol, final int limit, final int generation)
    {
        requests++;
        final HttpRequest request = HttpRequest.newBuilder(uri(symbol, limit))
            .timeout(readTimeout)
            .header("Accept", "application/json")
            .GET()
            .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) ->
        {
            final long receiveTimeNs = clock.nanoTime();
            if (error != null)
            {
                final Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                final boolean timeout = cause instanceof HttpTimeoutException;
                if (timeout)
                {
                    timeouts++;
                }
                failures++;
                lastStatus = timeout ? FrameRing.SNAPSHOT_TIMEOUT : FrameRing.SNAPSHOT_IO_ERROR;
                lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                deliverEvent(receiveTimeNs, generation, lastStatus);
                return;
            }
            lastStatus = response.statusCode();
            if (response.statusCode() != 200)
            {
                failures++;
                deliverEvent(receiveTimeNs, generation, response.statusCode());
                return;
            }
            successes++;
            final int usedWeight = usedWeight(response);
            final byte[] body = response.body();
            if (body.length > ring.maxPayloadLength())
            {
                undelivered++;
                lastStatus = FrameRing.SNAPSHOT_TOO_LARGE;
                deliverEvent(receiveTimeNs, generation, FrameRing.SNAPSHOT_TOO_LARGE);
                return;
            }
            final long deadlineNs = System.nanoTime() + readTimeout.toNanos();
            while (!ring.offerBytes(FrameRing.SNAPSHOT, body, receiveTimeNs, generation, usedWeight))
            {
                // the agent is draining; a snapshot is worth a short wait on this thread (never the event loop)
                if (System.nanoTime() > deadlineNs)
                {
                    undelivered++;
                    deliverEvent(receiveTimeNs, generation, FrameRing.SNAPSHOT_IO_ERROR);
                    return;
                }
                LockSupport.parkNanos(100_000);
            }
        });
    }

    private void deliverEvent(final long receiveTimeNs, final int generation, final int aux)
    {
        final long deadlineNs = System.nanoTime() + readTimeout.toNanos();
        while (!ring.offerEvent(FrameRing.SNAPSHOT_FAILED, receiveTimeNs, generation, aux))
        {
            if (System.nanoTime() > deadlineNs)
            {
                undelivered++;
                return;
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private static int usedWeight(final HttpResponse<byte[]> response)
    {
        final String value = response.headers().firstValue(USED_WEIGHT_HEADER).orElse(null);
        if (value == null)
        {
            return -1;
        }
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    public long requests()
    {
        return requests;
    }

    public long successes()
    {
        return successes;
    }

    public long failures()
    {
        return failures;
    }

    public long timeouts()
    {
        return timeouts;
    }

    /** Results that could not be put in the ring (it stayed full); the agent re-requests after its retry delay. */
    public long undelivered()
    {
        return undelivered;
    }

    /** HTTP status of the last response, or a negative FrameRing.SNAPSHOT_* code. */
    public int lastStatus()
    {
        return lastStatus;
    }

    /** The last transport error (class and message), empty if none. */
    public String lastError()
    {
        return lastError;
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        http.shutdownNow();
    }

    @Override
    public String toString()
    {
        return "DepthSnapshotClient{" + baseUrl + path + ", requests=" + requests + ", failures=" + failures + '}';
    }
}
