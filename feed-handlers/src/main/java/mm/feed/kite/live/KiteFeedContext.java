package mm.feed.kite.live;

import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.feed.kite.KiteInstruments;
import mm.feed.kite.transport.KiteCredentials;
import mm.feed.kite.transport.KiteWebSocketClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code feed-kite.*} settings, validated: every bad value stops startup with a {@link ConfigException}
 * naming the key. Loading it adds the selected rows of the Kite instruments dump to the registry (ids from
 * {@code feed-kite.firstInstrumentId}, in dump order), so quoting, risk and the gateway can use them.
 * Credentials are resolved here (environment or file) and never printed.
 */
public final class KiteFeedContext
{
    private KiteLiveFeedAgent.Settings settings;
    private KiteInstruments instruments;
    private List<Instrument> published;

    private KiteFeedContext()
    {
    }

    public static KiteFeedContext fromConfig(final Config config, final InstrumentRegistry registry, final Path home)
    {
        return fromConfig(config, registry, home, System.getenv());
    }

    static KiteFeedContext fromConfig(
        final Config config, final InstrumentRegistry registry, final Path home, final Map<String, String> env)
    {
        final KiteFeedContext context = new KiteFeedContext();
        final String url = config.string("feed-kite.url", "wss://ws.kite.trade");
        if (!url.startsWith("ws://") && !url.startsWith("wss://"))
        {
            throw new ConfigException("feed-kite.url", url, "must be a ws:// or wss:// URL");
        }
        final String csvText = config.requiredString("feed-kite.instrumentsCsv");
        final Path csv = home == null || Path.of(csvText).isAbsolute() ? Path.of(csvText) : home.resolve(csvText).normalize();
        final Set<String> symbols = new LinkedHashSet<>();
        for (final String symbol : config.requiredString("feed-kite.instruments").split(","))
        {
            if (!symbol.isBlank())
            {
                symbols.add(symbol.trim());
            }
        }
        if (symbols.isEmpty() || symbols.size() > KiteWebSocketClient.MAX_INSTRUMENTS_PER_CONNECTION)
        {
            throw new ConfigException("feed-kite.instruments", config.raw("feed-kite.instruments"),
                "must list 1 to " + KiteWebSocketClient.MAX_INSTRUMENTS_PER_CONNECTION +
                " EXCHANGE:TRADINGSYMBOL names (Kite's limit per connection)");
        }
        final int firstId = config.intValue("feed-kite.firstInstrumentId", 1000, 1, Integer.MAX_VALUE - 100_000);
        for (final Instrument existing : registry.all())
        {
            if (existing.id() >= firstId)
            {
                throw new ConfigException("feed-kite.firstInstrumentId", String.valueOf(firstId),
                    "must be above every instrument.<id> (" + existing.id() + " is taken)");
            }
        }
        try
        {
            context.instruments = KiteInstruments.load(csv, registry, firstId,
                (exchange, symbol) -> symbols.contains(exchange + ":" + symbol));
        }
        catch (final RuntimeException ex)
        {
            throw new ConfigException("feed-kite.instrumentsCsv", csvText, "cannot be loaded: " + ex.getMessage());
        }
        if (!context.instruments.rejections().isEmpty())
        {
            throw new ConfigException("feed-kite.instruments", config.raw("feed-kite.instruments"),
                "rows rejected in " + csvText + ": " + context.instruments.rejections());
        }
        context.published = new ArrayList<>();
        final int[] tokens = new int[symbols.size()];
        int i = 0;
        for (final String symbol : symbols)
        {
            final Instrument instrument = registry.bySymbol(Venue.KITE, symbol);
            if (instrument == null)
            {
                throw new ConfigException("feed-kite.instruments", symbol, "is not in " + csvText);
            }
            context.published.add(instrument);
            tokens[i++] = context.instruments.info(instrument.id()).instrumentToken();
        }
        final String mode = config.string("feed-kite.mode", "full");
        if (!mode.equals("ltp") && !mode.equals("quote") && !mode.equals("full"))
        {
            throw new ConfigException("feed-kite.mode", mode, "must be ltp, quote or full (books need full)");
        }
        final KiteMarketHours hours;
        try
        {
            hours = KiteMarketHours.parse(config.string("feed-kite.marketHours", "09:15-15:30"),
                config.string("feed-kite.marketDays", "MON-FRI"));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException("feed-kite.marketHours", config.string("feed-kite.marketHours", "09:15-15:30"), ex.getMessage());
        }
        final String apiKey = credential(config, env, "feed-kite.apiKeyEnv", "KITE_API_KEY", "feed-kite.apiKeyFile", home);
        final String token = credential(config, env, "feed-kite.accessTokenEnv", "KITE_ACCESS_TOKEN",
            "feed-kite.accessTokenFile", home);
        final long staleMs = config.longValue("feed-kite.staleTimeoutMs", 5_000, 100, 3_600_000);
        final long livenessMs = config.longValue("feed-kite.livenessTimeoutMs", 5_000, 100, 600_000);
        final long backoffInitialMs = config.longValue("feed-kite.backoffInitialMs", 500, 1, 60_000);
        final long backoffMaxMs = config.longValue("feed-kite.backoffMaxMs", 30_000, 1, 3_600_000);
        if (backoffMaxMs < backoffInitialMs)
        {
            throw new ConfigException("feed-kite.backoffMaxMs", String.valueOf(backoffMaxMs), "must be >= feed-kite.backoffInitialMs");
        }
        final int circuitFailures = config.intValue("feed-kite.circuitFailures", 10, 1, 1000);
        final long coolDownMs = config.longValue("feed-kite.circuitCoolDownMs", 60_000, 0, 3_600_000);
        final int ringBytes = config.intValue("feed-kite.ringBytes", 4 << 20, 4096, 1 << 30);
        if (Integer.bitCount(ringBytes) != 1)
        {
            throw new ConfigException("feed-kite.ringBytes", String.valueOf(ringBytes), "must be a power of two");
        }
        context.settings = new KiteLiveFeedAgent.Settings(url, new KiteCredentials(apiKey, token), tokens, mode, hours,
            staleMs, livenessMs, backoffInitialMs, backoffMaxMs, circuitFailures, coolDownMs, ringBytes);
        return context;
    }

    private static String credential(
        final Config config, final Map<String, String> env, final String envKey, final String defaultEnv,
        final String fileKey, final Path home)
    {
        final String envName = config.string(envKey, defaultEnv);
        final String file = config.string(fileKey, null);
        final String path = file == null || home == null || Path.of(file).isAbsolute() ? file : home.resolve(file).toString();
        try
        {
            return KiteCredentials.resolve(env, envName, path);
        }
        catch (final RuntimeException ex)
        {
            // The message names the variable or file, never a value.
            throw new ConfigException(file != null ? fileKey : envKey, file != null ? file : envName, ex.getMessage());
        }
    }

    public KiteLiveFeedAgent.Settings settings()
    {
        return settings;
    }

    public KiteInstruments instruments()
    {
        return instruments;
    }

    /** The instruments the feed publishes, in configuration order. */
    public List<Instrument> published()
    {
        return published;
    }
}
