package mm.common.config;

/**
 * A configuration value broke a rule. The message always names the key, the value and the rule, so an
 * operator can fix the file without reading code.
 */
public final class ConfigException extends RuntimeException
{
    private final String key;
    private final String rule;

    public ConfigException(final String key, final String value, final String rule)
    {
        super("config key '" + key + "' has value " + (value == null ? "(missing)" : "'" + value + "'") + ": " + rule);
        this.key = key;
        this.rule = rule;
    }

    public String key()
    {
        return key;
    }

    /** The rule the value broke, without the key and value (e.g. for a runtime parameter change's answer). */
    public String rule()
    {
        return rule;
    }
}
