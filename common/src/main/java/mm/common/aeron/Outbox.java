package mm.common.aeron;

import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A publication that never drops for back-pressure: a message the publication cannot take now (back-pressure,
 * admin action) is queued in order and retried by {@link #flush()}. Agents stop consuming input while their
 * outbox is not empty, so back-pressure propagates upstream instead of growing this queue without bound.
 * <p>
 * "Not connected" is queued and retried too: right after a publication is added the driver may not yet have
 * marked it connected although a subscriber exists (under load this lasts long enough to lose a message).
 * Only an outbox made with {@link #droppingWhenUnsubscribed} drops (and counts) such messages: for a stream
 * that by configuration nobody reads, e.g. ORDER_ACTIONS with the journal off, where queueing would stall the
 * agent forever.
 * <p>
 * An in-process run (backtest, replay: see {@link LocalBus}) {@link #redirect redirects} the outbox to a
 * {@link Sink}: the agent's code and the bytes it sends are the same, only the transport differs.
 */
public final class Outbox
{
    /**
     * Where an outbox sends instead of its publication: an in-process stream or a replay's comparison.
     * Called on the agent's thread with a message that is only valid during the call.
     */
    @FunctionalInterface
    public interface Sink
    {
        /** @return false to refuse the message for now (back-pressure): the outbox queues it and retries. */
        boolean offer(DirectBuffer buffer, int offset, int length);
    }

    private final Publication publication;
    private Sink sink;
    private AtomicCounter droppedForBackPressure;
    private boolean connectedOnce;
    private long backPressureDropCount;
    private final ExpandableDirectByteBuffer queue = new ExpandableDirectByteBuffer(16 * 1024);
    private int head;
    private int tail;
    private long sentCount;
    private long deferredCount;
    private long noSubscriberDropCount;

    private final boolean dropWhenNotConnected;

    public Outbox(final Publication publication)
    {
        this(publication, false);
    }

    private Outbox(final Publication publication, final boolean dropWhenNotConnected)
    {
        this.publication = publication;
        this.dropWhenNotConnected = dropWhenNotConnected;
    }

    /** An outbox for a stream nobody may read: messages offered while it has no subscriber are dropped. */
    public static Outbox droppingWhenUnsubscribed(final Publication publication)
    {
        return new Outbox(publication, true);
    }

    public Publication publication()
    {
        return publication;
    }

    /** The stream this outbox publishes on (its publication's, also when redirected). */
    public int streamId()
    {
        return publication.streamId();
    }

    /**
     * From now on sends go to {@code sink} instead of the publication, which stays open and unused: how an
     * in-process run takes an agent's output without a media driver. Call before the agent sends anything.
     */
    public void redirect(final Sink sink)
    {
        if (head != tail)
        {
            throw new IllegalStateException("outbox of stream " + streamId() + " has queued messages");
        }
        this.sink = sink;
    }

    /** True once {@link #redirect redirected} to a sink. */
    public boolean isRedirected()
    {
        return sink != null;
    }

    /** Sends now if nothing is queued and the publication accepts it; otherwise queues a copy. */
    public void send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (head == tail && offer(buffer, offset, length))
        {
            return;
        }
        deferredCount++;
        queue.putInt(tail, length);
        queue.putBytes(tail + Integer.BYTES, buffer, offset, length);
        tail += Integer.BYTES + length;
    }

    /** Retries queued messages in order; returns how many went out. */
    public int flush()
    {
        int sent = 0;
        while (head < tail)
        {
            final int length = queue.getInt(head);
            if (!offer(queue, head + Integer.BYTES, length))
            {
                break;
            }
            head += Integer.BYTES + length;
            sent++;
        }
        if (head == tail)
        {
            head = 0;
            tail = 0;
        }
        return sent;
    }

    public boolean isEmpty()
    {
        return head == tail;
    }

    public long sentCount()
    {
        return sentCount;
    }

    /** Messages that could not go out at the first attempt (back-pressure or an admin action). */
    public long deferredCount()
    {
        return deferredCount;
    }

    /**
     * From now on a message the publication refuses for back-pressure, or because its reader went away after having
     * been connected, is dropped and counted on {@code dropped} instead of queued: for a stream only the journal
     * reads (an inbox tee, the order actions) in a run whose journal must never hold the agent back
     * ({@code journal.tether=false}). Start-up (not yet connected) and admin actions still queue.
     */
    public Outbox dropWhenBackPressured(final AtomicCounter dropped)
    {
        this.droppedForBackPressure = dropped;
        return this;
    }

    /** Messages dropped by {@link #dropWhenBackPressured}. */
    public long backPressureDropCount()
    {
        return backPressureDropCount;
    }

    /** Messages dropped because no subscriber was connected (only for {@link #droppingWhenUnsubscribed}). */
    public long noSubscriberDropCount()
    {
        return noSubscriberDropCount;
    }

    private boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final Sink sink = this.sink;
        if (sink != null)
        {
            if (!sink.offer(buffer, offset, length))
            {
                return false;
            }
            sentCount++;
            return true;
        }
        final long result = publication.offer(buffer, offset, length);
        if (result > 0)
        {
            sentCount++;
            connectedOnce = true;
            return true;
        }
        if (droppedForBackPressure != null &&
            (result == Publication.BACK_PRESSURED || (result == Publication.NOT_CONNECTED && connectedOnce)))
        {
            backPressureDropCount++;
            droppedForBackPressure.increment();
            return true;
        }
        if (result == Publication.NOT_CONNECTED && dropWhenNotConnected)
        {
            noSubscriberDropCount++;
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            throw new IllegalStateException("publication " + publication.channel() + " stream " +
                publication.streamId() + " can take no more messages: " + Publication.errorString(result));
        }
        return false;
    }
}
