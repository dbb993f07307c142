package mm.ops;

import org.agrona.concurrent.status.CountersReader;

/**
 * Reads engine counters by label from the media driver's shared memory: the same view in the process that
 * runs the agents and in any other process on the host.
 */
final class CounterView
{
    private final CountersReader reader;

    CounterView(final CountersReader reader)
    {
        this.reader = reader;
    }

    /** Value of the first allocated counter whose label starts with {@code labelPrefix}, or {@code missing}. */
    long value(final String labelPrefix, final long missing)
    {
        final int id = find(labelPrefix);
        return id < 0 ? missing : reader.getCounterValue(id);
    }

    /** Every allocated counter whose label starts with {@code labelPrefix}, with its value. */
    void forEach(final String labelPrefix, final java.util.function.BiConsumer<String, Long> consumer)
    {
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (label.startsWith(labelPrefix) && reader.getCounterState(counterId) == CountersReader.RECORD_ALLOCATED)
            {
                consumer.accept(label, reader.getCounterValue(counterId));
            }
        });
    }

    int find(final String labelPrefix)
    {
        final int[] found = {-1};
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (found[0] < 0 && label.startsWith(labelPrefix) &&
                reader.getCounterState(counterId) == CountersReader.RECORD_ALLOCATED)
            {
                found[0] = counterId;
            }
        });
        return found[0];
    }
}
