package mm.risk;

import mm.common.InstrumentRegistry;
import mm.common.config.Config;

/**
 * Risk limits ({@code risk.*} keys): the thin slice checks maximum absolute position (worst case: every
 * same-side quote filled) and maximum order notional. Limits are per instrument, in its own units.
 */
public final class RiskContext
{
    private InstrumentRegistry registry;
    private String maxPositionText = "1";
    private String maxOrderNotionalText = "100000";
    private boolean lockstep = true;

    public static RiskContext fromConfig(final Config config, final InstrumentRegistry registry)
    {
        final RiskContext context = new RiskContext();
        context.registry = registry;
        context.maxPositionText = config.string("risk.maxPosition", context.maxPositionText);
        context.maxOrderNotionalText = config.string("risk.maxOrderNotional", context.maxOrderNotionalText);
        // validate against every instrument's scale now, so a bad value stops startup
        for (final var instrument : registry.all())
        {
            config.decimal("risk.maxPosition", context.maxPositionText, instrument.qtyExponent(), 0);
            config.decimal("risk.maxOrderNotional", context.maxOrderNotionalText, instrument.moneyExponent(), 0);
        }
        return context;
    }

    public RiskContext registry(final InstrumentRegistry registry)
    {
        this.registry = registry;
        return this;
    }

    public RiskContext maxPosition(final String decimal)
    {
        this.maxPositionText = decimal;
        return this;
    }

    public RiskContext maxOrderNotional(final String decimal)
    {
        this.maxOrderNotionalText = decimal;
        return this;
    }

    public RiskContext lockstep(final boolean lockstep)
    {
        this.lockstep = lockstep;
        return this;
    }

    public InstrumentRegistry registry()
    {
        return registry;
    }

    public String maxPositionText()
    {
        return maxPositionText;
    }

    public String maxOrderNotionalText()
    {
        return maxOrderNotionalText;
    }

    public boolean lockstep()
    {
        return lockstep;
    }
}
