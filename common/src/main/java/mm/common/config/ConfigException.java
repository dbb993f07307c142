package mm.common.config;

/**
 * A configuration value broke a rule. The message always names the key, the value and the rule, so an
 * operator can fix the file without reading code.
 */
public final class ConfigException extends RuntimeException
{
    private final String key;

    public ConfigException(final String key, final String value, final String rule)
    {
        super("config key '" + key + "' has value " + (value == null ? "(missing)" : "'" + value + "'") + ": " + rule);
        this.key = key;
    }

    public String key()
    {
        return key;
    }
}
