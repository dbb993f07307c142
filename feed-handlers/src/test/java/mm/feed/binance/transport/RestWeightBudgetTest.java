package mm.feed.binance.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request-weight accounting for REST depth snapshots (weights from Binance's docs). */
class RestWeightBudgetTest
{
    @Test
    void depthWeightFollowsTheDocumentedTable()
    {
        assertEquals(5, RestWeightBudget.depthWeight(1));
        assertEquals(5, RestWeightBudget.depthWeight(100));
        assertEquals(25, RestWeightBudget.depthWeight(101));
        assertEquals(25, RestWeightBudget.depthWeight(500));
        assertEquals(50, RestWeightBudget.depthWeight(501));
        assertEquals(50, RestWeightBudget.depthWeight(1000));
        assertEquals(250, RestWeightBudget.depthWeight(1001));
        assertEquals(250, RestWeightBudget.depthWeight(5000));
    }

    @Test
    void refusesAndCountsOverBudgetUntilTheNextMinute()
    {
        final RestWeightBudget budget = new RestWeightBudget(120);
        final long minute = 1_723_161_240_000L; // on a minute boundary
        assertTrue(budget.tryAcquire(50, minute));
        assertTrue(budget.tryAcquire(50, minute + 10_000));
        assertFalse(budget.tryAcquire(50, minute + 20_000));
        assertEquals(1, budget.refused());
        assertEquals(100, budget.used());
        assertEquals(40_000, budget.msUntilReset(minute + 20_000));
        assertTrue(budget.tryAcquire(50, minute + 60_000), "a new minute, a new budget");
        assertEquals(50, budget.used());
        assertEquals(3, budget.acquired());
    }

    @Test
    void theVenuesReportOfUsedWeightIsBelieved()
    {
        final RestWeightBudget budget = new RestWeightBudget(100);
        assertTrue(budget.tryAcquire(25, 0));
        budget.onVenueReport(90, 1_000); // other processes on this IP used weight too
        assertEquals(90, budget.used());
        assertFalse(budget.tryAcquire(25, 2_000));
        budget.onVenueReport(10, 3_000); // never believe less than we counted
        assertEquals(90, budget.used());
    }
}
