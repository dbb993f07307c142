package mm.journal;

import io.aeron.Subscription;

/**
 * One stream to record: the subscription to poll and the folder name of its queue under the run folder
 * (e.g. {@code market-data}, from {@link mm.common.aeron.Streams#nameOf(int)}).
 */
public record RecordedStream(String name, Subscription subscription)
{
    public RecordedStream
    {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith("."))
        {
            throw new IllegalArgumentException("stream name must be a plain folder name: " + name);
        }
    }
}
