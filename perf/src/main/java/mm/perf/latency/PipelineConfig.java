package mm.perf.latency;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.aeron.Streams;
import mm.common.config.Config;
import mm.gateway.GatewayAgent;
import mm.gateway.GatewayContext;
import mm.quoting.QuotingAgent;
import mm.quoting.QuotingContext;
import mm.risk.RiskAgent;
import mm.risk.RiskContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The harness's engine configuration ({@code mm/perf/latency.properties} plus overrides) and the agents built
 * from it through their public contexts and constructors, exactly as a deployment builds them, with lockstep
 * off and no journal tee. The same overrides rebuild the same agents in a role process.
 */
public final class PipelineConfig
{
    public static final String RESOURCE = "mm/perf/latency.properties";

    private final Map<String, String> overrides;
    private final Config config;
    private final InstrumentRegistry registry;
    private final Streams streams;
    private final Instrument instrument;
    private final int bookDepth;

    public PipelineConfig(final Map<String, String> overrides)
    {
        this.overrides = new TreeMap<>(overrides);
        config = new Config(values(), RESOURCE).withOverrides(this.overrides);
        registry = InstrumentRegistry.fromConfig(config);
        streams = Streams.fromConfig(config);
        instrument = registry.get(config.intValue("quoting.instrument", 1, 1, Integer.MAX_VALUE));
        bookDepth = config.intValue("feed.bookDepth", 10, 1, 20);
    }

    private static Map<String, String> values()
    {
        final Properties properties = new Properties();
        try (InputStream in = PipelineConfig.class.getClassLoader().getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing from the class path: " + RESOURCE);
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Map<String, String> values = new TreeMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    public Map<String, String> overrides()
    {
        return overrides;
    }

    public Config config()
    {
        return config;
    }

    public Streams streams()
    {
        return streams;
    }

    public Instrument instrument()
    {
        return instrument;
    }

    public int bookDepth()
    {
        return bookDepth;
    }

    /** The configuration as text, for the report. */
    public String canonicalText()
    {
        return config.canonicalText();
    }

    public QuotingAgent quoting(final Aeron aeron)
    {
        return new QuotingAgent(QuotingContext.fromConfig(config, registry).lockstep(false), aeron, streams, false);
    }

    public RiskAgent risk(final Aeron aeron)
    {
        return new RiskAgent(RiskContext.fromConfig(config, registry).lockstep(false), aeron, streams, false);
    }

    public GatewayAgent gateway(final Aeron aeron)
    {
        return new GatewayAgent(GatewayContext.fromConfig(config, registry).lockstep(false).actionsRecorded(true),
            aeron, streams, false);
    }
}
