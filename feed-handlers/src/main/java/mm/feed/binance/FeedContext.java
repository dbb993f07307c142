package mm.feed.binance;

import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.common.net.ApiKey;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Settings of the Binance feed ({@code feed.*} keys): where market data comes from (a recording replayed in
 * order, or the venue's WebSocket streams plus REST snapshots), for which instrument, how many book levels to
 * publish, and for the live source the endpoints, streams, API key location, timeouts, backoff and budgets.
 * Defaults live here, in one place; {@link #fromConfig} validates every key it reads.
 */
public final class FeedContext
{
    public static final int MAX_BOOK_DEPTH = 20;

    /** Where the feed's market data comes from. */
    /** What the venue sends on the WebSocket: JSON text frames, or SBE binary frames (official schema). */
    public enum Format
    {
        JSON,
        SBE
    }

    public enum Source
    {
        /** Recorded hftbacktest files ({@code feed.recording}), replayed at {@code feed.speed}. */
        RECORDING,
        /** Binance WebSocket streams ({@code feed.wsUrl}) with REST snapshots ({@code feed.restUrl}). */
        WEBSOCKET
    }

    /** Binance allows 1024 streams per connection. */
    public static final int MAX_STREAMS = 1024;
    /** Binance caps REST depth snapshots at 5000 levels a side. */
    public static final int MAX_SNAPSHOT_LIMIT = 5000;
    /** Binance disconnects a client that sends more than 5 messages a second. */
    public static final int MAX_OUTBOUND_PER_SECOND = 5;
    /** Binance's connection lifetime: 24 h. */
    public static final long MAX_CONNECTION_LIFETIME_MS = 24L * 60 * 60 * 1000;

    private static final Pattern STREAM_NAME = Pattern.compile("[a-z0-9_\\-.]+@[A-Za-z0-9_@]+");

    private final List<Path> files = new ArrayList<>();
    private Instrument instrument;
    private double speed = 1.0;
    private boolean recordingReadAhead = true;
    private int bookDepth = 10;

    private Source source = Source.RECORDING;
    private Format format = Format.JSON;
    private URI wsUrl;
    private URI restUrl;
    private final List<String> streams = new ArrayList<>();
    private int snapshotLimit = 1000;
    private ApiKey apiKey;
    private long connectTimeoutMs = 5_000;
    private long livenessTimeoutMs = 30_000;
    private long connectionLifetimeMs = 23L * 60 * 60 * 1000 + 30L * 60 * 1000;
    private long backoffInitialMs = 100;
    private long backoffMaxMs = 30_000;
    private int circuitFailures = 5;
    private long circuitCoolDownMs = 60_000;
    private int outboundPerSecond = 4;
    private long restConnectTimeoutMs = 3_000;
    private long restReadTimeoutMs = 10_000;
    private int restWeightPerMinute = 1_000;
    private long snapshotRetryMs = 1_000;
    private int ringBytes = 8 * 1024 * 1024;

    public static FeedContext fromConfig(final Config config, final InstrumentRegistry registry, final Path home)
    {
        return fromConfig(config, registry, home, System::getenv);
    }

    /**
     * @param env environment lookup for {@code feed.apiKeyEnv} (System::getenv in production).
     */
    public static FeedContext fromConfig(
        final Config config, final InstrumentRegistry registry, final Path home, final Function<String, String> env)
    {
        final FeedContext context = new FeedContext();
        context.source = config.enumValue("feed.source", Source.class, Source.RECORDING);
        context.format = config.enumValue("feed.format", Format.class, Format.JSON);
        final boolean live = context.source == Source.WEBSOCKET;
        // read even when live, so that switching feed.source does not make the file invalid
        final String recording = live ? config.string("feed.recording", null) : config.requiredString("feed.recording");
        if (!live)
        {
            for (final String part : recording.split(","))
            {
                final Path path = Path.of(part.trim());
                final Path file = path.isAbsolute() ? path : home.resolve(path).normalize();
                if (!Files.isReadable(file))
                {
                    throw new ConfigException("feed.recording", part.trim(), "must name readable recording files (looked at " + file + ")");
                }
                context.files.add(file);
            }
        }
        // gunzip on a thread of its own, off the feed's; false on a single-core host, where it would only compete
        context.recordingReadAhead = config.bool("feed.recording.readAhead", true);
        final int instrumentId = config.intValue("feed.instrument", 1, 1, Integer.MAX_VALUE);
        final Instrument instrument = registry.get(instrumentId);
        if (instrument == null)
        {
            throw new ConfigException("feed.instrument", String.valueOf(instrumentId), "must be an id from instrument.<id>.*");
        }
        if (!instrument.venue().name().startsWith("BINANCE"))
        {
            throw new ConfigException("feed.instrument", String.valueOf(instrumentId), "must be a Binance instrument for the Binance feed");
        }
        context.instrument = instrument;
        final String speedText = config.string("feed.speed", "1");
        try
        {
            context.speed = Double.parseDouble(speedText);
        }
        catch (final NumberFormatException ex)
        {
            context.speed = -1;
        }
        if (!(context.speed >= 0) || Double.isInfinite(context.speed))
        {
            throw new ConfigException("feed.speed", speedText, "must be a number >= 0 (0: as fast as possible, 1: real time)");
        }
        context.bookDepth = config.intValue("feed.bookDepth", 10, 1, MAX_BOOK_DEPTH);

        context.wsUrl = url(config, "feed.wsUrl", defaultWsUrl(instrument.venue()), "ws", "wss");
        context.restUrl = url(config, "feed.restUrl", defaultRestUrl(instrument.venue()), "http", "https");
        context.streams.addAll(streams(config.string("feed.streams", defaultStreams(instrument))));
        context.snapshotLimit = config.intValue("feed.snapshotLimit", 1000, 1, MAX_SNAPSHOT_LIMIT);
        context.connectTimeoutMs = config.longValue("feed.connectTimeoutMs", context.connectTimeoutMs, 100, 120_000);
        context.livenessTimeoutMs = config.longValue("feed.livenessTimeoutMs", context.livenessTimeoutMs, 100, 600_000);
        context.connectionLifetimeMs = config.longValue(
            "feed.connectionLifetimeMs", context.connectionLifetimeMs, 1_000, MAX_CONNECTION_LIFETIME_MS);
        context.backoffInitialMs = config.longValue("feed.backoffInitialMs", context.backoffInitialMs, 1, 60_000);
        context.backoffMaxMs = config.longValue("feed.backoffMaxMs", context.backoffMaxMs, 1, 3_600_000);
        if (context.backoffMaxMs < context.backoffInitialMs)
        {
            throw new ConfigException("feed.backoffMaxMs", String.valueOf(context.backoffMaxMs),
                "must be at least feed.backoffInitialMs (" + context.backoffInitialMs + ")");
        }
        context.circuitFailures = config.intValue("feed.circuitFailures", context.circuitFailures, 1, 1000);
        context.circuitCoolDownMs = config.longValue("feed.circuitCoolDownMs", context.circuitCoolDownMs, 0, 3_600_000);
        context.outboundPerSecond = config.intValue(
            "feed.outboundPerSecond", context.outboundPerSecond, 1, MAX_OUTBOUND_PER_SECOND);
        context.restConnectTimeoutMs = config.longValue(
            "feed.restConnectTimeoutMs", context.restConnectTimeoutMs, 100, 120_000);
        context.restReadTimeoutMs = config.longValue("feed.restReadTimeoutMs", context.restReadTimeoutMs, 100, 300_000);
        context.restWeightPerMinute = config.intValue("feed.restWeightPerMinute", context.restWeightPerMinute, 1, 6_000);
        final int snapshotWeight = mm.feed.binance.transport.RestWeightBudget.depthWeight(context.snapshotLimit);
        if (snapshotWeight > context.restWeightPerMinute)
        {
            throw new ConfigException("feed.restWeightPerMinute", String.valueOf(context.restWeightPerMinute),
                "must allow at least one snapshot of feed.snapshotLimit=" + context.snapshotLimit +
                " (weight " + snapshotWeight + ")");
        }
        context.snapshotRetryMs = config.longValue("feed.snapshotRetryMs", context.snapshotRetryMs, 0, 600_000);
        final String ringText = config.string("feed.ringBytes", "8m");
        context.ringBytes = ringBytes(ringText);
        if (context.ringBytes < minRingBytes(context.snapshotLimit))
        {
            throw new ConfigException("feed.ringBytes", ringText, "must be at least " + minRingBytes(context.snapshotLimit) / 1024 +
                "k to hold a snapshot of feed.snapshotLimit=" + context.snapshotLimit + " levels (a record is at most 1/8 of the ring)");
        }

        final String envName = config.string("feed.apiKeyEnv", null);
        final String fileName = config.string("feed.apiKeyFile", null);
        if (live)
        {
            final Path keyFile = fileName == null ? null : resolve(home, fileName);
            context.apiKey = ApiKey.fromConfig("feed.apiKeyEnv", envName, "feed.apiKeyFile", keyFile, env);
        }
        return context;
    }

    private static URI url(final Config config, final String key, final String defaultValue, final String... schemes)
    {
        final String text = config.string(key, defaultValue);
        final URI uri;
        try
        {
            uri = new URI(text);
        }
        catch (final URISyntaxException ex)
        {
            throw new ConfigException(key, text, "must be a URL such as " + defaultValue);
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of(schemes).contains(scheme) || uri.getHost() == null)
        {
            throw new ConfigException(key, text, "must be a " + String.join(" or ", schemes) + " URL with a host, e.g. " + defaultValue);
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null)
        {
            throw new ConfigException(key, text, "must be a base URL without credentials, query or fragment");
        }
        return uri;
    }

    private static List<String> streams(final String text)
    {
        final List<String> names = new ArrayList<>();
        for (final String part : text.split(","))
        {
            final String name = part.trim();
            if (!STREAM_NAME.matcher(name).matches())
            {
                throw new ConfigException("feed.streams", text,
                    "must be comma-separated stream names like btcusdt@depth@100ms (lower-case symbol, '@', stream type)");
            }
            if (names.contains(name))
            {
                throw new ConfigException("feed.streams", text, "must not repeat a stream (" + name + ")");
            }
            names.add(name);
        }
        if (names.size() > MAX_STREAMS)
        {
            throw new ConfigException("feed.streams", names.size() + " streams", "at most " + MAX_STREAMS + " streams per connection");
        }
        return names;
    }

    static int ringBytes(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        long bytes;
        try
        {
            if (value.endsWith("k"))
            {
                bytes = Long.parseLong(value.substring(0, value.length() - 1)) * 1024;
            }
            else if (value.endsWith("m"))
            {
                bytes = Long.parseLong(value.substring(0, value.length() - 1)) * 1024 * 1024;
            }
            else
            {
                bytes = Long.parseLong(value);
            }
        }
        catch (final NumberFormatException ex)
        {
            bytes = -1;
        }
        if (bytes < 64 * 1024 || bytes > 1024 * 1024 * 1024 || Long.bitCount(bytes) != 1)
        {
            throw new ConfigException("feed.ringBytes", text, "must be a power of two from 64k to 1024m, e.g. 8m");
        }
        return (int)bytes;
    }

    /**
     * Smallest ring whose largest record (an eighth of it) holds a REST snapshot of {@code snapshotLimit} levels a
     * side, at a generous 48 bytes a level ({@code ["61837.63000000","3.78826000"],} is 31), rounded up to a power of two.
     */
    public static int minRingBytes(final int snapshotLimit)
    {
        final long snapshotBytes = 2L * snapshotLimit * 48 + 4096;
        final long bytes = Math.max(64 * 1024, snapshotBytes * 8);
        return (int)Long.highestOneBit(bytes - 1) << 1;
    }

    private static Path resolve(final Path home, final String name)
    {
        final Path path = Path.of(name);
        return path.isAbsolute() ? path : home.resolve(path).normalize();
    }

    /** Binance's public market-data WebSocket base for the venue. */
    public static String defaultWsUrl(final Venue venue)
    {
        return switch (venue)
        {
            case BINANCE_USDM -> "wss://fstream.binance.com";
            case BINANCE_COINM -> "wss://dstream.binance.com";
            default -> "wss://stream.binance.com:9443";
        };
    }

    /** Binance's REST base for the venue. */
    public static String defaultRestUrl(final Venue venue)
    {
        return switch (venue)
        {
            case BINANCE_USDM -> "https://fapi.binance.com";
            case BINANCE_COINM -> "https://dapi.binance.com";
            default -> "https://api.binance.com";
        };
    }

    /** Path of the REST depth snapshot for the venue. */
    public static String depthPath(final Venue venue)
    {
        return switch (venue)
        {
            case BINANCE_USDM -> "/fapi/v1/depth";
            case BINANCE_COINM -> "/dapi/v1/depth";
            default -> "/api/v3/depth";
        };
    }

    /** Diff depth, trades and book ticker of the instrument's symbol. */
    public static String defaultStreams(final Instrument instrument)
    {
        final String symbol = instrument.symbol().toLowerCase(Locale.ROOT);
        final String depth = instrument.venue() == Venue.BINANCE_SPOT ? "@depth@100ms" : "@depth@0ms";
        return symbol + depth + "," + symbol + "@trade," + symbol + "@bookTicker";
    }

    public FeedContext files(final List<Path> files)
    {
        this.files.clear();
        this.files.addAll(files);
        return this;
    }

    public FeedContext recordingReadAhead(final boolean recordingReadAhead)
    {
        this.recordingReadAhead = recordingReadAhead;
        return this;
    }

    public FeedContext instrument(final Instrument instrument)
    {
        this.instrument = instrument;
        return this;
    }

    public FeedContext speed(final double speed)
    {
        this.speed = speed;
        return this;
    }

    public FeedContext bookDepth(final int bookDepth)
    {
        this.bookDepth = bookDepth;
        return this;
    }

    public FeedContext source(final Source source)
    {
        this.source = source;
        return this;
    }

    public FeedContext wsUrl(final URI wsUrl)
    {
        this.wsUrl = wsUrl;
        return this;
    }

    public FeedContext restUrl(final URI restUrl)
    {
        this.restUrl = restUrl;
        return this;
    }

    public FeedContext streams(final List<String> streams)
    {
        this.streams.clear();
        this.streams.addAll(streams);
        return this;
    }

    public FeedContext snapshotLimit(final int snapshotLimit)
    {
        this.snapshotLimit = snapshotLimit;
        return this;
    }

    public FeedContext apiKey(final ApiKey apiKey)
    {
        this.apiKey = apiKey;
        return this;
    }

    public FeedContext connectTimeoutMs(final long connectTimeoutMs)
    {
        this.connectTimeoutMs = connectTimeoutMs;
        return this;
    }

    public FeedContext livenessTimeoutMs(final long livenessTimeoutMs)
    {
        this.livenessTimeoutMs = livenessTimeoutMs;
        return this;
    }

    public FeedContext connectionLifetimeMs(final long connectionLifetimeMs)
    {
        this.connectionLifetimeMs = connectionLifetimeMs;
        return this;
    }

    public FeedContext backoffInitialMs(final long backoffInitialMs)
    {
        this.backoffInitialMs = backoffInitialMs;
        return this;
    }

    public FeedContext backoffMaxMs(final long backoffMaxMs)
    {
        this.backoffMaxMs = backoffMaxMs;
        return this;
    }

    public FeedContext circuitFailures(final int circuitFailures)
    {
        this.circuitFailures = circuitFailures;
        return this;
    }

    public FeedContext circuitCoolDownMs(final long circuitCoolDownMs)
    {
        this.circuitCoolDownMs = circuitCoolDownMs;
        return this;
    }

    public FeedContext outboundPerSecond(final int outboundPerSecond)
    {
        this.outboundPerSecond = outboundPerSecond;
        return this;
    }

    public FeedContext restConnectTimeoutMs(final long restConnectTimeoutMs)
    {
        this.restConnectTimeoutMs = restConnectTimeoutMs;
        return this;
    }

    public FeedContext restReadTimeoutMs(final long restReadTimeoutMs)
    {
        this.restReadTimeoutMs = restReadTimeoutMs;
        return this;
    }

    public FeedContext restWeightPerMinute(final int restWeightPerMinute)
    {
        this.restWeightPerMinute = restWeightPerMinute;
        return this;
    }

    public FeedContext snapshotRetryMs(final long snapshotRetryMs)
    {
        this.snapshotRetryMs = snapshotRetryMs;
        return this;
    }

    public FeedContext ringBytes(final int ringBytes)
    {
        this.ringBytes = ringBytes;
        return this;
    }

    public List<Path> files()
    {
        return files;
    }

    /** Whether the recording is opened and gunzipped on a background thread ({@link RecordingReader#readAhead}). */
    public boolean recordingReadAhead()
    {
        return recordingReadAhead;
    }

    public Instrument instrument()
    {
        return instrument;
    }

    /** Replay speed as a multiple of recorded time; 0 replays as fast as consumers take it. */
    public double speed()
    {
        return speed;
    }

    public int bookDepth()
    {
        return bookDepth;
    }

    public Source source()
    {
        return source;
    }

    /** What the WebSocket carries: JSON text or SBE binary market data. */
    public Format format()
    {
        return format;
    }

    public FeedContext format(final Format format)
    {
        this.format = format;
        return this;
    }

    /** WebSocket base URL (ws:// or wss://); the client adds {@code /stream?streams=...}. */
    public URI wsUrl()
    {
        return wsUrl != null ? wsUrl : URI.create(defaultWsUrl(instrument.venue()));
    }

    /** REST base URL (http:// or https://); the client adds the venue's depth path. */
    public URI restUrl()
    {
        return restUrl != null ? restUrl : URI.create(defaultRestUrl(instrument.venue()));
    }

    /** Stream names to subscribe to, e.g. {@code btcusdt@depth@100ms}. */
    public List<String> streams()
    {
        if (streams.isEmpty() && instrument != null)
        {
            return streams(defaultStreams(instrument));
        }
        return streams;
    }

    /** Levels a side asked for in REST snapshots (1-5000; the weight grows with it). */
    public int snapshotLimit()
    {
        return snapshotLimit;
    }

    /** The key for {@code X-MBX-APIKEY}, or null (JSON streams need none). */
    public ApiKey apiKey()
    {
        return apiKey;
    }

    public long connectTimeoutMs()
    {
        return connectTimeoutMs;
    }

    /** No frame (data, ping or pong) for this long: the connection is taken as dead and replaced. */
    public long livenessTimeoutMs()
    {
        return livenessTimeoutMs;
    }

    /** A connection is replaced after this long, before the venue's 24 h limit cuts it. */
    public long connectionLifetimeMs()
    {
        return connectionLifetimeMs;
    }

    public long backoffInitialMs()
    {
        return backoffInitialMs;
    }

    public long backoffMaxMs()
    {
        return backoffMaxMs;
    }

    /** Consecutive failures that open the circuit breaker. */
    public int circuitFailures()
    {
        return circuitFailures;
    }

    public long circuitCoolDownMs()
    {
        return circuitCoolDownMs;
    }

    /** Most messages (pongs, pings, commands) the client sends in any second; Binance's limit is 5. */
    public int outboundPerSecond()
    {
        return outboundPerSecond;
    }

    public long restConnectTimeoutMs()
    {
        return restConnectTimeoutMs;
    }

    public long restReadTimeoutMs()
    {
        return restReadTimeoutMs;
    }

    /** Our share of Binance's per-minute REQUEST_WEIGHT limit. */
    public int restWeightPerMinute()
    {
        return restWeightPerMinute;
    }

    /** Least time between two snapshot requests (after a failure, a refusal or an unusable snapshot). */
    public long snapshotRetryMs()
    {
        return snapshotRetryMs;
    }

    /** Capacity of the ring between the network threads and the feed agent. */
    public int ringBytes()
    {
        return ringBytes;
    }

    @Override
    public String toString()
    {
        // the key itself never: ApiKey.toString is redacted
        return "FeedContext{source=" + source + ", instrument=" + (instrument == null ? null : instrument.symbol()) +
            ", wsUrl=" + wsUrl + ", restUrl=" + restUrl + ", streams=" + streams + ", snapshotLimit=" + snapshotLimit +
            ", apiKey=" + apiKey + "}";
    }
}
