package mm.quoting;

import mm.common.config.ConfigException;

import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of quoting models by name: the built-in ones plus any found by {@link ServiceLoader}.
 */
public final class QuotingModels
{
    private QuotingModels()
    {
    }

    /** Every available factory by name, built-ins first so a plugin cannot silently replace one. */
    public static TreeMap<String, QuotingModelFactory> available()
    {
        final TreeMap<String, QuotingModelFactory> byName = new TreeMap<>();
        register(byName, new AvellanedaStoikovModel.Factory());
        register(byName, new SymmetricQuoter.Factory());
        for (final QuotingModelFactory factory : ServiceLoader.load(QuotingModelFactory.class))
        {
            register(byName, factory);
        }
        return byName;
    }

    /** The factory {@code quoting.model} names, or a config error listing the names that exist. */
    public static QuotingModelFactory byName(final String key, final String name)
    {
        final TreeMap<String, QuotingModelFactory> byName = available();
        final QuotingModelFactory factory = byName.get(name);
        if (factory == null)
        {
            throw new ConfigException(key, name, "must be one of " + byName.keySet());
        }
        return factory;
    }

    private static void register(final TreeMap<String, QuotingModelFactory> byName, final QuotingModelFactory factory)
    {
        final QuotingModelFactory existing = byName.putIfAbsent(factory.name(), factory);
        if (existing != null && existing.getClass() != factory.getClass())
        {
            throw new ConfigException("quoting.model", factory.name(),
                "is registered twice (" + existing.getClass().getName() + " and " + factory.getClass().getName() + ")");
        }
    }
}
