package mm.gateway.binance;

import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.common.net.ApiKey;
import mm.gateway.venue.ClientOrderIds;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Settings of the Binance order session ({@code binance.order.*} keys), validated in {@link #conclude()}.
 * The API key and the signing key come from environment variables or files only; a config value never holds a
 * secret, and no message here quotes one.
 */
public final class BinanceOrderEntryContext
{
    public static final String DEFAULT_WS_URL = "wss://ws-api.binance.com:443/ws-api/v3";

    private URI wsUrl = URI.create(DEFAULT_WS_URL);
    private String apiKeyEnv;
    private Path apiKeyFile;
    private String secretEnv;
    private Path secretFile;
    private long recvWindowMs = 5000;
    private int headroomPercent = 20;
    private String clientOrderIdPrefix = "mm";
    private boolean loadExchangeInfoLimits = true;
    private long backoffInitialMs = 500;
    private long backoffMaxMs = 30_000;
    private int circuitFailures = 8;
    private long circuitCoolDownMs = 60_000;
    private int inboundRingBytes = 1 << 22;
    private long feeEstimatePpm = 1000;
    private Function<String, String> env = System::getenv;
    private ApiKey apiKey;
    private BinanceSigner signer;
    private boolean concluded;

    /** Reads the {@code binance.order.*} keys; call {@link #conclude()} to validate and load the keys. */
    public static BinanceOrderEntryContext fromConfig(final Config config)
    {
        final BinanceOrderEntryContext context = new BinanceOrderEntryContext();
        final String url = config.string("binance.order.wsUrl", DEFAULT_WS_URL);
        try
        {
            context.wsUrl = URI.create(url);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException("binance.order.wsUrl", url, "must be a ws:// or wss:// URL");
        }
        context.apiKeyEnv = config.string("binance.order.apiKeyEnv", null);
        final String keyFile = config.string("binance.order.apiKeyFile", null);
        context.apiKeyFile = keyFile == null ? null : Path.of(keyFile);
        context.secretEnv = config.string("binance.order.secretEnv", null);
        final String secretFile = config.string("binance.order.secretFile", null);
        context.secretFile = secretFile == null ? null : Path.of(secretFile);
        context.recvWindowMs = config.longValue("binance.order.recvWindowMs", 5000, 1, 60_000);
        context.headroomPercent = config.intValue("binance.order.headroomPercent", 20, 0, 90);
        context.clientOrderIdPrefix = config.string("binance.order.clientOrderIdPrefix", "mm");
        context.loadExchangeInfoLimits = config.bool("binance.order.loadExchangeInfoLimits", true);
        context.backoffInitialMs = config.longValue("binance.order.backoffInitialMs", 500, 1, 600_000);
        context.backoffMaxMs = config.longValue("binance.order.backoffMaxMs", 30_000, 1, 3_600_000);
        context.circuitFailures = config.intValue("binance.order.circuitFailures", 8, 1, 1000);
        context.circuitCoolDownMs = config.longValue("binance.order.circuitCoolDownMs", 60_000, 0, 3_600_000);
        context.feeEstimatePpm = config.longValue("binance.order.feeEstimatePpm", 1000, 0, 100_000);
        return context;
    }

    /** Validates and loads the API key and the signing key. */
    public BinanceOrderEntryContext conclude()
    {
        final String scheme = wsUrl.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme) || wsUrl.getHost() == null)
        {
            throw new ConfigException("binance.order.wsUrl", wsUrl.toString(), "must be a ws:// or wss:// URL with a host");
        }
        if (!ClientOrderIds.isValidPrefix(clientOrderIdPrefix))
        {
            throw new ConfigException("binance.order.clientOrderIdPrefix", clientOrderIdPrefix,
                "must be 1-16 of [A-Za-z0-9_-], not ending in a digit");
        }
        if (backoffMaxMs < backoffInitialMs)
        {
            throw new ConfigException("binance.order.backoffMaxMs", String.valueOf(backoffMaxMs),
                "must be at least binance.order.backoffInitialMs (" + backoffInitialMs + ")");
        }
        if (apiKey == null)
        {
            apiKey = ApiKey.fromConfig("binance.order.apiKeyEnv", apiKeyEnv, "binance.order.apiKeyFile", apiKeyFile, env);
            if (apiKey == null)
            {
                throw new ConfigException("binance.order.apiKeyEnv", null,
                    "an order session needs an API key: set binance.order.apiKeyEnv or binance.order.apiKeyFile");
            }
        }
        if (signer == null)
        {
            if (secretEnv != null && secretFile != null)
            {
                throw new ConfigException("binance.order.secretFile", secretFile.toString(),
                    "give either binance.order.secretEnv or binance.order.secretFile, not both");
            }
            if (secretEnv != null)
            {
                signer = BinanceSigner.fromEnv("binance.order.secretEnv", secretEnv, env);
            }
            else if (secretFile != null)
            {
                signer = BinanceSigner.fromFile("binance.order.secretFile", secretFile);
            }
            else
            {
                throw new ConfigException("binance.order.secretFile", null,
                    "an order session needs a signing key: set binance.order.secretFile (HMAC secret or Ed25519 PEM) or binance.order.secretEnv (HMAC)");
            }
        }
        concluded = true;
        return this;
    }

    public BinanceOrderEntryContext wsUrl(final URI wsUrl)
    {
        this.wsUrl = wsUrl;
        return this;
    }

    /** Keys given directly (tests, embedding); skips the env/file lookup. */
    public BinanceOrderEntryContext keys(final ApiKey apiKey, final BinanceSigner signer)
    {
        this.apiKey = apiKey;
        this.signer = signer;
        return this;
    }

    public BinanceOrderEntryContext env(final Function<String, String> env)
    {
        this.env = env;
        return this;
    }

    public BinanceOrderEntryContext headroomPercent(final int headroomPercent)
    {
        this.headroomPercent = headroomPercent;
        return this;
    }

    public BinanceOrderEntryContext loadExchangeInfoLimits(final boolean load)
    {
        this.loadExchangeInfoLimits = load;
        return this;
    }

    public BinanceOrderEntryContext recvWindowMs(final long recvWindowMs)
    {
        this.recvWindowMs = recvWindowMs;
        return this;
    }

    public BinanceOrderEntryContext backoff(final long initialMs, final long maxMs)
    {
        this.backoffInitialMs = initialMs;
        this.backoffMaxMs = maxMs;
        return this;
    }

    /**
     * Commission rate (parts per million of notional, in the quote asset) assumed for fills whose commission
     * the venue's answer does not carry: fills found by a reconcile's open-order snapshot, and by a status query
     * whose {@code myTrades} follow-up cannot be sent or fails.
     */
    public BinanceOrderEntryContext feeEstimatePpm(final long feeEstimatePpm)
    {
        this.feeEstimatePpm = feeEstimatePpm;
        return this;
    }

    public long feeEstimatePpm()
    {
        return feeEstimatePpm;
    }

    public URI wsUrl()
    {
        return wsUrl;
    }

    public ApiKey apiKey()
    {
        return apiKey;
    }

    public BinanceSigner signer()
    {
        return signer;
    }

    public long recvWindowMs()
    {
        return recvWindowMs;
    }

    public int headroomPercent()
    {
        return headroomPercent;
    }

    public String clientOrderIdPrefix()
    {
        return clientOrderIdPrefix;
    }

    public boolean loadExchangeInfoLimits()
    {
        return loadExchangeInfoLimits;
    }

    public long backoffInitialMs()
    {
        return backoffInitialMs;
    }

    public long backoffMaxMs()
    {
        return backoffMaxMs;
    }

    public int circuitFailures()
    {
        return circuitFailures;
    }

    public long circuitCoolDownMs()
    {
        return circuitCoolDownMs;
    }

    public int inboundRingBytes()
    {
        return inboundRingBytes;
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    @Override
    public String toString()
    {
        return "BinanceOrderEntryContext[wsUrl=" + wsUrl + ", apiKey=" + apiKey + ", signer=" + signer +
            ", recvWindowMs=" + recvWindowMs + ", headroomPercent=" + headroomPercent + "]";
    }
}
