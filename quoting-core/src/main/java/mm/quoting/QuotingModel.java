package mm.quoting;

import mm.common.Ladder;

/**
 * A quoting model turns the market and our inventory into a desired ladder. A desk adds its own by
 * implementing this and a {@link QuotingModelFactory}; the agent around it owns everything a model must not
 * get wrong (pulling on a bad feed or halted trading, never crossing the book, tick and lot rounding, the
 * position limit, REDUCING, refresh hysteresis), so a model only says where it would like to quote.
 * <p>
 * Models are deterministic functions of their inputs: they never read clocks, use no unseeded randomness
 * and must not allocate.
 */
public interface QuotingModel
{
    /**
     * @param market   the instrument's book signals; two-sided whenever this is called.
     * @param position signed inventory in quantity mantissas.
     * @param timeNs   input time of the event being quoted (from the message, not a clock).
     * @param out      cleared by the caller; receives the desired levels of each side, best first, prices and
     *                 sizes at the instrument's scale.
     */
    void quote(MarketSignals market, long position, long timeNs, Ladder out);
}
