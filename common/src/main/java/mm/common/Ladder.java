package mm.common;

/**
 * A desired quote ladder for one instrument: up to {@link #MAX_LEVELS} price/quantity levels a side, best
 * first. Reused in place; never allocates after construction.
 */
public final class Ladder
{
    public static final int MAX_LEVELS = 20;

    private final long[] bidPrices = new long[MAX_LEVELS];
    private final long[] bidQtys = new long[MAX_LEVELS];
    private final long[] askPrices = new long[MAX_LEVELS];
    private final long[] askQtys = new long[MAX_LEVELS];
    private int bidCount;
    private int askCount;

    public void clear()
    {
        bidCount = 0;
        askCount = 0;
    }

    public void addBid(final long price, final long qty)
    {
        bidPrices[bidCount] = price;
        bidQtys[bidCount] = qty;
        bidCount++;
    }

    public void addAsk(final long price, final long qty)
    {
        askPrices[askCount] = price;
        askQtys[askCount] = qty;
        askCount++;
    }

    /** Adds a level on the given side: 0 is bid, 1 is ask (the SBE Side ordinal). */
    public void add(final int side, final long price, final long qty)
    {
        if (side == 0)
        {
            addBid(price, qty);
        }
        else
        {
            addAsk(price, qty);
        }
    }

    public int count(final int side)
    {
        return side == 0 ? bidCount : askCount;
    }

    public long price(final int side, final int level)
    {
        return side == 0 ? bidPrices[level] : askPrices[level];
    }

    public long qty(final int side, final int level)
    {
        return side == 0 ? bidQtys[level] : askQtys[level];
    }

    public int bidCount()
    {
        return bidCount;
    }

    public int askCount()
    {
        return askCount;
    }

    public boolean isEmpty()
    {
        return bidCount == 0 && askCount == 0;
    }

    public void copyFrom(final Ladder other)
    {
        bidCount = other.bidCount;
        askCount = other.askCount;
        System.arraycopy(other.bidPrices, 0, bidPrices, 0, bidCount);
        System.arraycopy(other.bidQtys, 0, bidQtys, 0, bidCount);
        System.arraycopy(other.askPrices, 0, askPrices, 0, askCount);
        System.arraycopy(other.askQtys, 0, askQtys, 0, askCount);
    }

    public boolean sameAs(final Ladder other)
    {
        if (bidCount != other.bidCount || askCount != other.askCount)
        {
            return false;
        }
        for (int i = 0; i < bidCount; i++)
        {
            if (bidPrices[i] != other.bidPrices[i] || bidQtys[i] != other.bidQtys[i])
            {
                return false;
            }
        }
        for (int i = 0; i < askCount; i++)
        {
            if (askPrices[i] != other.askPrices[i] || askQtys[i] != other.askQtys[i])
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("Ladder{bids=");
        for (int i = 0; i < bidCount; i++)
        {
            sb.append(i == 0 ? "" : ",").append(bidQtys[i]).append('@').append(bidPrices[i]);
        }
        sb.append(" asks=");
        for (int i = 0; i < askCount; i++)
        {
            sb.append(i == 0 ? "" : ",").append(askQtys[i]).append('@').append(askPrices[i]);
        }
        return sb.append('}').toString();
    }
}
