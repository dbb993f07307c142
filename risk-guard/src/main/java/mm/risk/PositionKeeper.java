package mm.risk;

import mm.common.Decimals;

/**
 * Position and PnL of one instrument in fixed point, average-cost method. Money is at the instrument's
 * money exponent (price exponent + quantity exponent), so price times quantity needs no rescaling.
 * {@code costBasis} is the signed cost of the open position (sum of signed qty × price); closing part of a
 * position releases its share of the cost, floored. Fees are kept apart and subtracted in {@link #netPnl()}.
 */
public final class PositionKeeper
{
    private long position;
    private long costBasis;
    private long realizedPnl;
    private long fees;
    private long markPrice;
    private long fillCount;

    /**
     * Applies one fill.
     *
     * @param signedQty quantity mantissa, positive for a buy, negative for a sell.
     */
    public void onFill(final long signedQty, final long price, final long fee)
    {
        fillCount++;
        fees += fee;
        long remaining = signedQty;
        if (position != 0 && Long.signum(position) != Long.signum(signedQty))
        {
            final long closeQty = Math.min(Math.abs(signedQty), Math.abs(position));
            final long closingSigned = Long.signum(signedQty) * closeQty;
            final long costClosed = proportion(costBasis, closeQty, Math.abs(position));
            realizedPnl += -multiply(closingSigned, price) - costClosed;
            costBasis -= costClosed;
            position += closingSigned;
            remaining -= closingSigned;
        }
        if (remaining != 0)
        {
            costBasis += multiply(remaining, price);
            position += remaining;
        }
        if (position == 0)
        {
            costBasis = 0;
        }
    }

    public void mark(final long price)
    {
        markPrice = price;
    }

    public long position()
    {
        return position;
    }

    public long realizedPnl()
    {
        return realizedPnl;
    }

    public long fees()
    {
        return fees;
    }

    public long fillCount()
    {
        return fillCount;
    }

    public long markPrice()
    {
        return markPrice;
    }

    /** Signed cost of the open position at the money exponent; 0 when flat. */
    public long costBasis()
    {
        return costBasis;
    }

    /** Average entry price of the open position at the price exponent, floored; 0 when flat. */
    public long averagePrice()
    {
        return position == 0 ? 0 :
            FixedPoint.multiplyDivide(Math.abs(costBasis), 1, Math.abs(position), FixedPoint.Rounding.FLOOR);
    }

    /** Open position valued at the last mark, less its cost; 0 before the first mark. */
    public long unrealizedPnl()
    {
        return markPrice == 0 ? 0 : multiply(position, markPrice) - costBasis;
    }

    /** Realized plus unrealized, net of fees. */
    public long netPnl()
    {
        return realizedPnl + unrealizedPnl() - fees;
    }

    private static long multiply(final long a, final long b)
    {
        final long product = Decimals.multiplyExact(a, b);
        if (product == Decimals.INVALID)
        {
            throw new ArithmeticException("position value overflows 63 bits: " + a + " x " + b);
        }
        return product;
    }

    /** {@code value * part / whole}, floored, exact even where the product needs more than 64 bits. */
    private static long proportion(final long value, final long part, final long whole)
    {
        // part <= whole, so the quotient is no larger than value: it always fits
        return FixedPoint.multiplyDivide(value, part, whole, FixedPoint.Rounding.FLOOR);
    }
}
