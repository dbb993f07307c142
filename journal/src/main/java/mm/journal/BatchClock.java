package mm.journal;

import net.openhft.chronicle.core.time.TimeProvider;
import org.agrona.concurrent.EpochClock;

/**
 * The wall clock Chronicle reads to pick each append's roll cycle, read once per batch of appends instead of
 * once per append (the read was a tenth of the journal thread's appending time in a backtest). The recorder expires it at
 * the start of every drain or poll round, and it reads the clock again after {@link #READS_PER_CLOCK_READ} uses
 * anyway, so the time it gives is never older than one round, or that many uses: an append just after midnight
 * may go into the previous day's cycle file by at most that much, which changes no message.
 */
final class BatchClock implements TimeProvider
{
    static final int READS_PER_CLOCK_READ = 64;

    private final EpochClock clock;
    private long timeMs;
    private int readsLeft;

    BatchClock(final EpochClock clock)
    {
        this.clock = clock;
    }

    /** The next read reads the clock. */
    void expire()
    {
        readsLeft = 0;
    }

    @Override
    public long currentTimeMillis()
    {
        if (--readsLeft < 0)
        {
            timeMs = clock.time();
            readsLeft = READS_PER_CLOCK_READ - 1;
        }
        return timeMs;
    }
}
