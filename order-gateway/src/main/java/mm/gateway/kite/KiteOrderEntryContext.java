package mm.gateway.kite;

import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.common.net.ApiKey;
import mm.gateway.venue.ClientOrderIds;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;

/**
 * Settings of the Kite order session ({@code kite.order.*} keys), validated in {@link #conclude()}. The API
 * key, the access token and the API secret (for postback checksums) come from environment variables or files;
 * no config value holds one and no message quotes one.
 */
public final class KiteOrderEntryContext
{
    public static final String DEFAULT_REST_URL = "https://api.kite.trade";
    public static final String DEFAULT_TICKER_URL = "wss://ws.kite.trade";
    private static final Set<String> PRODUCTS = Set.of("CNC", "NRML", "MIS", "MTF");

    private URI restUrl = URI.create(DEFAULT_REST_URL);
    private URI tickerUrl = URI.create(DEFAULT_TICKER_URL);
    private String apiKeyEnv = "KITE_API_KEY";
    private Path apiKeyFile;
    private String accessTokenEnv = "KITE_ACCESS_TOKEN";
    private Path accessTokenFile;
    private String apiSecretEnv;
    private Path apiSecretFile;
    private int postbackPort;
    private String postbackBind = "127.0.0.1";
    private String product = "MIS";
    private int headroomPercent = 20;
    private String tagPrefix = "mm";
    private long requestTimeoutMs = 5000;
    private boolean postOnlyAsLimit;
    private Function<String, String> env = System::getenv;
    private ApiKey apiKey;
    private ApiKey accessToken;
    private ApiKey apiSecret;
    private boolean concluded;

    /** Reads the {@code kite.order.*} keys; {@link #conclude()} validates them and loads the credentials. */
    public static KiteOrderEntryContext fromConfig(final Config config)
    {
        final KiteOrderEntryContext context = new KiteOrderEntryContext();
        context.restUrl = uri(config, "kite.order.restUrl", DEFAULT_REST_URL);
        final String ticker = config.string("kite.order.tickerUrl", DEFAULT_TICKER_URL);
        context.tickerUrl = "none".equalsIgnoreCase(ticker) ? null : uri(config, "kite.order.tickerUrl", DEFAULT_TICKER_URL);
        final boolean keyFileSet = config.has("kite.order.apiKeyFile");
        context.apiKeyEnv = keyFileSet ? config.string("kite.order.apiKeyEnv", null) : config.string("kite.order.apiKeyEnv", "KITE_API_KEY");
        context.apiKeyFile = path(config, "kite.order.apiKeyFile");
        final boolean tokenFileSet = config.has("kite.order.accessTokenFile");
        context.accessTokenEnv = tokenFileSet ? config.string("kite.order.accessTokenEnv", null) :
            config.string("kite.order.accessTokenEnv", "KITE_ACCESS_TOKEN");
        context.accessTokenFile = path(config, "kite.order.accessTokenFile");
        context.apiSecretEnv = config.string("kite.order.apiSecretEnv", null);
        context.apiSecretFile = path(config, "kite.order.apiSecretFile");
        context.postbackPort = config.intValue("kite.order.postbackPort", 0, 0, 65535);
        context.postbackBind = config.string("kite.order.postbackBind", "127.0.0.1");
        context.product = config.string("kite.order.product", "MIS");
        context.headroomPercent = config.intValue("kite.order.headroomPercent", 20, 0, 90);
        context.tagPrefix = config.string("kite.order.tagPrefix", "mm");
        context.requestTimeoutMs = config.longValue("kite.order.requestTimeoutMs", 5000, 100, 60_000);
        context.postOnlyAsLimit = config.bool("kite.order.postOnlyAsLimit", false);
        return context;
    }

    public KiteOrderEntryContext conclude()
    {
        checkHttp("kite.order.restUrl", restUrl);
        if (tickerUrl != null && !"ws".equalsIgnoreCase(tickerUrl.getScheme()) && !"wss".equalsIgnoreCase(tickerUrl.getScheme()))
        {
            throw new ConfigException("kite.order.tickerUrl", tickerUrl.toString(), "must be a ws:// or wss:// URL, or none");
        }
        if (!PRODUCTS.contains(product))
        {
            throw new ConfigException("kite.order.product", product, "must be one of " + PRODUCTS);
        }
        if (!ClientOrderIds.isValidPrefix(tagPrefix) || tagPrefix.length() > 8)
        {
            throw new ConfigException("kite.order.tagPrefix", tagPrefix,
                "must be 1-8 of [A-Za-z0-9_-], not ending in a digit (Kite tags hold 20 characters)");
        }
        if (apiKey == null)
        {
            apiKey = require(ApiKey.fromConfig("kite.order.apiKeyEnv", apiKeyEnv, "kite.order.apiKeyFile", apiKeyFile, env),
                "kite.order.apiKeyEnv", "an API key");
            accessToken = require(ApiKey.fromConfig("kite.order.accessTokenEnv", accessTokenEnv, "kite.order.accessTokenFile",
                accessTokenFile, env), "kite.order.accessTokenEnv", "an access token");
        }
        if (apiSecret == null && (apiSecretEnv != null || apiSecretFile != null))
        {
            apiSecret = ApiKey.fromConfig("kite.order.apiSecretEnv", apiSecretEnv, "kite.order.apiSecretFile", apiSecretFile, env);
        }
        if (postbackPort > 0 && apiSecret == null)
        {
            throw new ConfigException("kite.order.postbackPort", String.valueOf(postbackPort),
                "postbacks are verified with the API secret: set kite.order.apiSecretEnv or kite.order.apiSecretFile");
        }
        concluded = true;
        return this;
    }

    private static ApiKey require(final ApiKey key, final String configKey, final String what)
    {
        if (key == null)
        {
            throw new ConfigException(configKey, null, "a Kite order session needs " + what);
        }
        return key;
    }

    private static void checkHttp(final String key, final URI uri)
    {
        if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())))
        {
            throw new ConfigException(key, uri.toString(), "must be an http:// or https:// URL with a host");
        }
    }

    private static URI uri(final Config config, final String key, final String defaultValue)
    {
        final String value = config.string(key, defaultValue);
        try
        {
            return URI.create(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(key, value, "must be a URL");
        }
    }

    private static Path path(final Config config, final String key)
    {
        final String value = config.string(key, null);
        return value == null ? null : Path.of(value);
    }

    /** Credentials given directly (tests, embedding). */
    public KiteOrderEntryContext credentials(final ApiKey apiKey, final ApiKey accessToken, final ApiKey apiSecret)
    {
        this.apiKey = apiKey;
        this.accessToken = accessToken;
        this.apiSecret = apiSecret;
        return this;
    }

    public KiteOrderEntryContext restUrl(final URI restUrl)
    {
        this.restUrl = restUrl;
        return this;
    }

    /** null: no ticker connection for order updates. */
    public KiteOrderEntryContext tickerUrl(final URI tickerUrl)
    {
        this.tickerUrl = tickerUrl;
        return this;
    }

    /** 0: no postback receiver; -1 in tests: any free port. */
    public KiteOrderEntryContext postbackPort(final int postbackPort)
    {
        this.postbackPort = postbackPort;
        return this;
    }

    public KiteOrderEntryContext postOnlyAsLimit(final boolean postOnlyAsLimit)
    {
        this.postOnlyAsLimit = postOnlyAsLimit;
        return this;
    }

    public KiteOrderEntryContext env(final Function<String, String> env)
    {
        this.env = env;
        return this;
    }

    public URI restUrl()
    {
        return restUrl;
    }

    public URI tickerUrl()
    {
        return tickerUrl;
    }

    public ApiKey apiKey()
    {
        return apiKey;
    }

    public ApiKey accessToken()
    {
        return accessToken;
    }

    /** null when postbacks are not received. */
    public ApiKey apiSecret()
    {
        return apiSecret;
    }

    public int postbackPort()
    {
        return postbackPort;
    }

    public String postbackBind()
    {
        return postbackBind;
    }

    public String product()
    {
        return product;
    }

    public int headroomPercent()
    {
        return headroomPercent;
    }

    public String tagPrefix()
    {
        return tagPrefix;
    }

    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    public boolean postOnlyAsLimit()
    {
        return postOnlyAsLimit;
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    @Override
    public String toString()
    {
        return "KiteOrderEntryContext[restUrl=" + restUrl + ", tickerUrl=" + tickerUrl + ", apiKey=" + apiKey +
            ", accessToken=" + accessToken + ", product=" + product + "]";
    }
}
