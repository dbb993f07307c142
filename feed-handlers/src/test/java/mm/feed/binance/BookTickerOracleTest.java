package mm.feed.binance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BookTickerOracleTest
{
    @Test
    void bookTickerBeforeItsDiffIsCheckedWhenTheDiffIsApplied()
    {
        final BookTickerOracle oracle = new BookTickerOracle(16);
        oracle.onBookTicker(100, 10, 1, 11, 2);
        assertEquals(0, oracle.checks());
        oracle.onDiffApplied(100, 10, 1, 11, 2);
        assertEquals(1, oracle.checks());
        assertEquals(0, oracle.mismatches());
    }

    @Test
    void bookTickerAfterItsDiffIsCheckedOnArrivalAndEveryOneWithThatIdIs()
    {
        final BookTickerOracle oracle = new BookTickerOracle(16);
        oracle.onDiffApplied(90, 9, 1, 12, 1);
        oracle.onDiffApplied(100, 10, 1, 11, 2);
        oracle.onBookTicker(90, 9, 1, 12, 1);
        oracle.onBookTicker(100, 10, 1, 11, 2);
        oracle.onBookTicker(100, 10, 1, 11, 3);
        oracle.onBookTicker(95, 10, 1, 11, 3); // inside a diff's range: no book state to compare with
        assertEquals(3, oracle.checks());
        assertEquals(1, oracle.mismatches());
        assertEquals("u=100 bookTicker bid 1.0 x 1 ask 1.1 x 3 but book bid 1.0 x 1 ask 1.1 x 2",
            oracle.mismatchDescription(0, -1, 0));
    }

    @Test
    void ofSeveralBookTickersWithTheDiffsIdTheLastIsCompared()
    {
        final BookTickerOracle oracle = new BookTickerOracle(16);
        oracle.onBookTicker(99, 10, 9, 11, 9);
        oracle.onBookTicker(100, 10, 9, 11, 9);
        oracle.onBookTicker(100, 10, 1, 11, 2);
        oracle.onBookTicker(101, 10, 1, 11, 2);
        oracle.onDiffApplied(100, 10, 1, 11, 2);
        assertEquals(1, oracle.checks());
        assertEquals(0, oracle.mismatches());
        oracle.onDiffApplied(101, 10, 1, 11, 2); // 101 was remembered past the diff at 100
        assertEquals(2, oracle.checks());
    }

    @Test
    void theRingsRememberOnlyTheirSize()
    {
        final BookTickerOracle oracle = new BookTickerOracle(2);
        oracle.onBookTicker(1, 10, 1, 11, 1);
        oracle.onBookTicker(2, 10, 1, 11, 1);
        oracle.onBookTicker(3, 10, 1, 11, 1);
        oracle.onDiffApplied(1, 10, 1, 11, 1); // 1 was pushed out by 3
        assertEquals(0, oracle.checks());
        oracle.onDiffApplied(3, 10, 1, 11, 1);
        assertEquals(1, oracle.checks());

        oracle.onDiffApplied(4, 10, 1, 11, 1);
        oracle.onDiffApplied(5, 10, 1, 11, 1);
        oracle.onBookTicker(3, 10, 1, 11, 1); // diff 3 was pushed out by 5
        assertEquals(1, oracle.checks());
        oracle.onBookTicker(4, 10, 1, 11, 1);
        oracle.onBookTicker(5, 10, 1, 11, 1);
        assertEquals(3, oracle.checks());
    }

    @Test
    void idsThatGoBackStartThatRingAfresh()
    {
        final BookTickerOracle oracle = new BookTickerOracle(16);
        oracle.onBookTicker(50, 10, 1, 11, 1);
        oracle.onBookTicker(40, 10, 1, 11, 1); // a spliced recording: 50 is forgotten
        oracle.onDiffApplied(50, 10, 1, 11, 1);
        assertEquals(0, oracle.checks());

        oracle.onDiffApplied(60, 10, 1, 11, 1);
        oracle.onDiffApplied(30, 10, 1, 11, 1); // back: only 30 is remembered now
        oracle.onBookTicker(60, 10, 1, 11, 1);
        assertEquals(0, oracle.checks());
        oracle.onBookTicker(30, 10, 1, 11, 1);
        assertEquals(1, oracle.checks());
        oracle.onDiffApplied(60, 10, 1, 11, 1); // the bookTicker at 60 came after the diff at 30: kept for this
        assertEquals(2, oracle.checks());
    }

    @Test
    void resetForgetsEverythingButTheCounters()
    {
        final BookTickerOracle oracle = new BookTickerOracle(16);
        oracle.onDiffApplied(10, 10, 1, 11, 1);
        oracle.onBookTicker(10, 10, 1, 11, 2);
        oracle.onBookTicker(20, 10, 1, 11, 1);
        oracle.reset();
        oracle.onDiffApplied(20, 10, 1, 11, 1);
        oracle.onBookTicker(10, 10, 1, 11, 1);
        assertEquals(1, oracle.checks());
        assertEquals(1, oracle.mismatches());
        assertThrows(IndexOutOfBoundsException.class, () -> oracle.mismatchDescription(1, 0, 0));
    }

    /**
     * Interleaved streams with increasing ids against the rule stated plainly: a diff is compared with the last
     * bookTicker of its id that came before it, and every bookTicker of a diff's id that comes after the diff
     * is compared with it.
     */
    @Test
    void randomInterleavingsAgreeWithTheRule()
    {
        final Random random = new Random(42);
        for (int round = 0; round < 500; round++)
        {
            final int events = 1 + random.nextInt(300);
            final BookTickerOracle oracle = new BookTickerOracle(events);
            final List<long[]> tickersSeen = new ArrayList<>();
            final List<long[]> diffsSeen = new ArrayList<>();
            long tickerId = random.nextInt(5);
            long diffId = random.nextInt(5);
            long expectedChecks = 0;
            long expectedMismatches = 0;
            for (int i = 0; i < events; i++)
            {
                final long bid = 100 + random.nextInt(2);
                if (random.nextInt(4) == 0)
                {
                    diffId += 1 + random.nextInt(4);
                    final long[] diff = {diffId, bid};
                    long[] last = null;
                    for (final long[] ticker : tickersSeen)
                    {
                        if (ticker[0] == diffId)
                        {
                            last = ticker;
                        }
                    }
                    if (last != null)
                    {
                        expectedChecks++;
                        expectedMismatches += last[1] == bid ? 0 : 1;
                    }
                    diffsSeen.add(diff);
                    oracle.onDiffApplied(diffId, bid, 1, 200, 1);
                }
                else
                {
                    tickerId += random.nextInt(3);
                    final long[] ticker = {tickerId, bid};
                    final long[] diff = diffsSeen.stream().filter(d -> d[0] == ticker[0]).findFirst().orElse(null);
                    if (diff != null)
                    {
                        expectedChecks++;
                        expectedMismatches += diff[1] == bid ? 0 : 1;
                    }
                    else
                    {
                        tickersSeen.add(ticker);
                    }
                    oracle.onBookTicker(tickerId, bid, 1, 200, 1);
                }
            }
            assertEquals(expectedChecks, oracle.checks(), "round " + round);
            assertEquals(expectedMismatches, oracle.mismatches(), "round " + round);
        }
    }
}
