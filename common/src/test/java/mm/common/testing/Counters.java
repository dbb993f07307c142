package mm.common.testing;

import io.aeron.Aeron;
import org.agrona.concurrent.status.CountersReader;

/** Reads an engine counter by its full label, for tests. */
public final class Counters
{
    private Counters()
    {
    }

    /** The value of the allocated counter labelled exactly {@code label}, or -1 when there is none. */
    public static long value(final Aeron aeron, final String label)
    {
        final long[] value = {-1};
        final CountersReader counters = aeron.countersReader();
        counters.forEach((counterId, typeId, keyBuffer, counterLabel) ->
        {
            if (counterLabel.equals(label) && counters.getCounterState(counterId) == CountersReader.RECORD_ALLOCATED)
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }
}
