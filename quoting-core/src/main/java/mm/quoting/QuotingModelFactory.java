package mm.quoting;

import mm.common.Instrument;
import mm.common.config.Config;

/**
 * Creates a named quoting model from config. Built-in factories are registered in {@link QuotingModels};
 * a desk's own are found with {@link java.util.ServiceLoader} (a {@code META-INF/services/mm.quoting.QuotingModelFactory}
 * entry on the class path), and chosen by {@code quoting.model=<name>}.
 */
public interface QuotingModelFactory
{
    /** The name {@code quoting.model} selects, e.g. {@code avellaneda-stoikov}. */
    String name();

    /**
     * Reads the model's own keys (conventionally {@code quoting.<name>.*}) and validates them, throwing
     * {@link mm.common.config.ConfigException} naming the key, value and rule. Called at startup and again on
     * every runtime parameter change, with the changed value applied.
     */
    QuotingModel create(Config config, Instrument instrument, LadderShape shape);
}
