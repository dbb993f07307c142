package mm.quoting;

import mm.common.testing.Allocations;
import mm.sbe.BookTopNDecoder;
import mm.sbe.Side;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quoting decision per book update allocates nothing in steady state, with every feature switched on. */
class QuoteEngineAllocationTest
{
    private static final int UPDATES_PER_RUN = 20_000;

    @Test
    void quotingABookUpdateAllocatesNothing()
    {
        final QuoteEngine engine = new QuoteEngine(QuotingModelTest.parameters(
            "quoting.fairValue", "microprice",
            "quoting.levels", "5",
            "quoting.sizeShape", "geometric",
            "quoting.sizeGrowth", "1.5",
            "quoting.imbalanceWeightTicks", "1",
            "quoting.tradeFlowWeightTicks", "0.5",
            "quoting.as.horizonMs", "60000",
            "quoting.refreshToleranceTicks", "1",
            "quoting.maxQuoteAgeMs", "500",
            "quoting.levelHysteresisTicks", "1",
            "quoting.hangingOrders", "true",
            "quoting.maxPosition", "0.01000"));
        engine.onFeedState(true);
        final BookTopNDecoder[] books = new BookTopNDecoder[64];
        for (int i = 0; i < books.length; i++)
        {
            final long bid = 6_183_763 + (i * 7 % 23) - 11;
            books[i] = Books.levels(0, new long[] {bid, 30 + i, bid - 1, 80, bid - 3, 10, bid - 4, 5},
                new long[] {bid + 1, 90 - i, bid + 2, 40, bid + 5, 7});
        }
        final long[] sent = new long[1];
        final long[] time = new long[1];
        final Runnable run = () ->
        {
            for (int i = 0; i < UPDATES_PER_RUN; i++)
            {
                final long t = time[0] += 50_000_000L;
                final BookTopNDecoder book = books[i & 63];
                book.sbeRewind();
                engine.onBook(book, t);
                engine.onTrade(1 + (i & 7), (i & 1) == 0 ? Side.BUY : Side.SELL);
                if ((i & 31) == 5)
                {
                    engine.onFill((i & 64) == 0 ? Side.BUY : Side.SELL, 6_183_763, 100);
                }
                if (engine.update(t))
                {
                    sent[0]++;
                }
            }
        };
        for (int warmup = 0; warmup < 10; warmup++)
        {
            run.run();
        }
        final long allocated = Allocations.leastBytesAllocated(3, run);
        System.out.println("quote engine: " + UPDATES_PER_RUN + " book updates per run, " + sent[0] +
            " quotes sent in all, least of 3 runs: " + allocated + " bytes allocated");
        assertTrue(sent[0] > 1000, "the scenario requotes: " + sent[0]);
        assertEquals(0, allocated, "quoting allocated " + allocated + " bytes");
    }
}
