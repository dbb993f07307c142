package mm.journal;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchClockTest
{
    @Test
    void readsTheClockOncePerBatchAndAfterSoManyUses()
    {
        final CachedEpochClock wall = new CachedEpochClock();
        wall.update(1_000);
        final BatchClock clock = new BatchClock(wall);
        assertEquals(1_000, clock.currentTimeMillis(), "the first use reads the clock");

        wall.update(2_000);
        for (int i = 1; i < BatchClock.READS_PER_CLOCK_READ; i++)
        {
            assertEquals(1_000, clock.currentTimeMillis(), "use " + i + " of the batch");
        }
        assertEquals(2_000, clock.currentTimeMillis(), "read again after " + BatchClock.READS_PER_CLOCK_READ + " uses");

        wall.update(3_000);
        assertEquals(2_000, clock.currentTimeMillis());
        clock.expire();
        assertEquals(3_000, clock.currentTimeMillis(), "a new batch reads the clock");
        assertEquals(3_000L * 1_000, clock.currentTimeMicros());
    }
}
