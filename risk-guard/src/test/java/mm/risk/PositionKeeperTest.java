package mm.risk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PositionKeeperTest
{
    // BTCUSDT scales: price 10^-2, qty 10^-5, money 10^-7

    @Test
    void averageCostRealizesOnReductionAndMarksTheRest()
    {
        final PositionKeeper keeper = new PositionKeeper();
        keeper.onFill(100, 6_000_000, 10);     // buy 0.001 @ 60000.00
        keeper.onFill(100, 6_100_000, 10);     // buy 0.001 @ 61000.00: average 60500.00
        keeper.onFill(-100, 6_200_000, 10);    // sell 0.001 @ 62000.00: +1.5 USDT realized
        assertEquals(100, keeper.position());
        assertEquals(15_000_000L, keeper.realizedPnl());
        assertEquals(30, keeper.fees());
        keeper.mark(6_000_000);               // remaining 0.001 marked at 60000.00: -0.5 USDT
        assertEquals(-5_000_000L, keeper.unrealizedPnl());
        assertEquals(15_000_000L - 5_000_000L - 30, keeper.netPnl());
    }

    @Test
    void flipsThroughZeroAtTheFillPrice()
    {
        final PositionKeeper keeper = new PositionKeeper();
        keeper.onFill(-200, 6_000_000, 0);     // short 0.002 @ 60000
        keeper.onFill(300, 5_900_000, 0);      // buy 0.003 @ 59000: +2 USDT on the short, long 0.001 @ 59000
        assertEquals(100, keeper.position());
        assertEquals(20_000_000L, keeper.realizedPnl());
        keeper.mark(5_900_000);
        assertEquals(0, keeper.unrealizedPnl());
    }

    @Test
    void averagePriceOfLongAndShortPositions()
    {
        final PositionKeeper keeper = new PositionKeeper();
        keeper.onFill(100, 6_000_000, 0);
        keeper.onFill(200, 6_000_001, 0);
        assertEquals(6_000_000, keeper.averagePrice(), "60000.006666... floored");
        keeper.onFill(-500, 5_900_000, 0);
        assertEquals(-200, keeper.position());
        assertEquals(5_900_000, keeper.averagePrice(), "the rest opened short at the fill price");
        assertEquals(-200L * 5_900_000, keeper.costBasis());
        keeper.onFill(200, 5_800_000, 0);
        assertEquals(0, keeper.averagePrice());
        assertEquals(0, keeper.costBasis());
    }

    @Test
    void costSharesBeyond64BitsStayExact()
    {
        // cost basis 7e18 times the closed 3.5e11 needs 128 bits before the division by 7e11
        final PositionKeeper keeper = new PositionKeeper();
        keeper.onFill(400_000_000_000L, 10_000_000L, 0);
        keeper.onFill(300_000_000_000L, 10_000_001L, 0);
        keeper.onFill(-350_000_000_000L, 10_000_000L, 0);
        assertEquals(350_000_000_000L, keeper.position());
        assertEquals(-150_000_000_000L, keeper.realizedPnl(), "half the cost: half of 0.3e12 x 1 above the sale");
    }
}
