package mm.quoting;

import mm.common.Instrument;
import mm.common.Ladder;
import mm.common.config.Config;

/** A model as a desk would plug one in: its own class, its own keys, registered through ServiceLoader. */
public final class FixedOffsetModel implements QuotingModel
{
    static final String NAME = "fixed-offset";

    private final Instrument instrument;
    private final LadderShape shape;
    private final long ticks;

    FixedOffsetModel(final Instrument instrument, final LadderShape shape, final long ticks)
    {
        this.instrument = instrument;
        this.shape = shape;
        this.ticks = ticks;
    }

    public void quote(final MarketSignals market, final long position, final long timeNs, final Ladder out)
    {
        shape.build(instrument, market.mid(), ticks, ticks, out);
    }

    public static final class Factory implements QuotingModelFactory
    {
        public String name()
        {
            return NAME;
        }

        public QuotingModel create(final Config config, final Instrument instrument, final LadderShape shape)
        {
            return new FixedOffsetModel(instrument, shape, config.longValue("quoting.fixed-offset.ticks", 3, 1, 1000));
        }
    }
}
