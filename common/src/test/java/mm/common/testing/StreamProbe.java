package mm.common.testing;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import mm.common.sbe.Messages;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A test's hands on one Aeron stream: offers raw messages (retrying until accepted) and collects every
 * message published on it, in order, as byte arrays.
 */
public final class StreamProbe implements AutoCloseable
{
    private final Aeron aeron;
    private final String channel;
    private final int streamId;
    private ExclusivePublication publication;
    private Subscription subscription;
    private final List<byte[]> received = new ArrayList<>();
    private final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        received.add(bytes);
    });

    public StreamProbe(final Aeron aeron, final String channel, final int streamId)
    {
        this.aeron = aeron;
        this.channel = channel;
        this.streamId = streamId;
    }

    /** Subscribes now, so later messages are collected. */
    public StreamProbe subscribe()
    {
        subscription = aeron.addSubscription(channel, streamId);
        return this;
    }

    public void offer(final byte[] message)
    {
        if (publication == null)
        {
            publication = aeron.addExclusivePublication(channel, streamId);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (publication.offer(buffer, 0, message.length) < 0)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("could not offer to stream " + streamId + " (no subscriber?)");
            }
            Thread.onSpinWait();
        }
    }

    /** Polls everything available now and returns all messages collected so far. */
    public List<byte[]> poll()
    {
        while (subscription.poll(assembler, 100) > 0)
        {
            // drain
        }
        return received;
    }

    /** Collected messages of one template id. */
    public List<byte[]> ofTemplate(final int templateId)
    {
        final List<byte[]> result = new ArrayList<>();
        for (final byte[] message : poll())
        {
            if (Messages.templateId(new UnsafeBuffer(message), 0) == templateId)
            {
                result.add(message);
            }
        }
        return result;
    }

    public void close()
    {
        if (publication != null)
        {
            publication.close();
        }
        if (subscription != null)
        {
            subscription.close();
        }
    }
}
