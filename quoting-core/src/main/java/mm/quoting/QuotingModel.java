package mm.quoting;

import mm.common.Instrument;
import mm.common.Ladder;

/**
 * A quoting model turns the market and our inventory into a desired ladder. Models are deterministic
 * functions of their inputs; they never read clocks and must not allocate.
 */
public interface QuotingModel
{
    /**
     * @param bestBid   best bid price mantissa of the synced book.
     * @param bestAsk   best ask price mantissa.
     * @param position  signed inventory in quantity mantissas.
     * @param out       cleared by the caller; receives the desired levels, best first.
     */
    void quote(Instrument instrument, long bestBid, long bestAsk, long position, Ladder out);
}
