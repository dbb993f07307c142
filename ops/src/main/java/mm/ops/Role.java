package mm.ops;

import mm.common.config.ConfigException;

/** What one process runs: {@code ./mm run --role ROLE}. */
public enum Role
{
    DRIVER("driver"),
    FEED_BINANCE("feed-binance"),
    /** The live Kite Connect feed (chosen with engine.feed=kite). */
    FEED_KITE("feed-kite"),
    QUOTING("quoting"),
    RISK("risk"),
    GATEWAY("gateway"),
    JOURNAL("journal"),
    ALL("all");

    private final String cliName;

    Role(final String cliName)
    {
        this.cliName = cliName;
    }

    public String cliName()
    {
        return cliName;
    }

    /** The agent roles, in the order they are composed and started. */
    public static final Role[] AGENT_ROLES = {FEED_BINANCE, FEED_KITE, QUOTING, RISK, GATEWAY, JOURNAL};

    public static Role parse(final String text)
    {
        for (final Role role : values())
        {
            if (role.cliName.equals(text))
            {
                return role;
            }
        }
        throw new ConfigException("--role", text, "must be one of driver, feed-binance, feed-kite, quoting, risk, gateway, journal, all");
    }
}
