package mm.journal;

import io.aeron.AeronCounters;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Image;
import io.aeron.Subscription;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.util.Arrays;
import java.util.List;

/**
 * What the journal's subscription to one stream sees of its publisher: how far behind it is (bytes published and
 * not yet recorded), and, when the subscription is {@link #untethered}, what it lost when the
 * driver dropped it for lagging and it rejoined at the live position. Sampled on the journal's thread between
 * polls; nothing here is on a publisher's path.
 * <p>
 * A tethered journal is a subscriber like any other: once it is a whole publication window behind, Aeron holds the
 * publishers back (their outboxes queue, the agents stop consuming, the feed stops), so nothing is ever lost. An
 * untethered one is dropped by the driver once it has been behind by more than three quarters of the window for
 * the window-limit timeout (and the linger timeout after it), after which the publishers go on without it; it
 * rejoins after the resting timeout, at the position of the slowest other subscriber, and the bytes in between are
 * lost to the journal (counted, and written to the manifest as {@code lostBytes}).
 */
final class JournalLag
{
    private static final long[] NO_IDS = new long[0];
    private static final int[] NO_INTS = new int[0];

    private final Subscription subscription;
    private final CountersReader counters;
    private long[] correlationIds = NO_IDS;
    private int[] sessionIds = NO_INTS;
    private long[] positions = NO_IDS;
    private int[] producerCounterIds = NO_INTS;
    /** Sessions seen before, with the last position recorded of each, to price a rejoin. */
    private int[] pastSessionIds = NO_INTS;
    private long[] pastPositions = NO_IDS;
    private long lostBytes;
    private long rejoins;
    private final java.util.function.Consumer<Image> sampler = this::sampleImage;
    private int seen;
    private boolean changed;
    private long lagBytes;

    /**
     * @param counters the driver's counters, to find each publisher's position; null: lag is not measured.
     */
    JournalLag(final Subscription subscription, final CountersReader counters)
    {
        this.subscription = subscription;
        this.counters = counters;
    }

    /**
     * {@code channel} with the driver's untethered timeouts, for every publisher of the run (Aeron takes them from
     * the publication): a journal more than three quarters of a window behind the fastest subscriber for
     * {@code maxStallMs} is dropped, stops holding the publisher back {@code maxStallMs} later (the linger), and
     * rejoins {@code rejoinMs} after that. Subscribers that are not {@link #untethered} are unaffected.
     */
    static String withUntetheredTimeouts(final String channel, final long maxStallMs, final long rejoinMs)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        uri.put(CommonContext.UNTETHERED_WINDOW_LIMIT_TIMEOUT_PARAM_NAME, maxStallMs + "ms");
        uri.put(CommonContext.UNTETHERED_LINGER_TIMEOUT_PARAM_NAME, maxStallMs + "ms");
        uri.put(CommonContext.UNTETHERED_RESTING_TIMEOUT_PARAM_NAME, rejoinMs + "ms");
        return uri.toString();
    }

    /** {@code channel} for a subscription that does not hold publishers back beyond the untethered timeouts. */
    static String untethered(final String channel)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        uri.put(CommonContext.TETHER_PARAM_NAME, "false");
        return uri.toString();
    }

    /**
     * Notes each image's recorded position, and any image gone or new since the last call; a new image of a session
     * seen before is a rejoin, and the bytes between where the journal was and where it rejoined are lost.
     *
     * @return the largest lag in bytes over the images, or 0 when unknown.
     */
    long sample(final AtomicCounter lostCounter, final AtomicCounter rejoinCounter)
    {
        // the client conductor replaces the subscription's image array at any time: walk one snapshot of it
        seen = 0;
        changed = false;
        lagBytes = 0;
        subscription.forEachImage(sampler);
        if (changed || seen != correlationIds.length)
        {
            onImagesChanged(subscription.images(), lostCounter, rejoinCounter);
        }
        return lagBytes;
    }

    /** One image of the snapshot: its recorded position and its lag, unless the images changed. */
    private void sampleImage(final Image image)
    {
        final int i = seen++;
        if (changed || i >= correlationIds.length || image.correlationId() != correlationIds[i])
        {
            changed = true;
            return;
        }
        final long position = image.position();
        positions[i] = position;
        final int counterId = producerCounterIds[i];
        if (counterId >= 0)
        {
            lagBytes = Math.max(lagBytes, counters.getCounterValue(counterId) - position);
        }
    }

    long lostBytes()
    {
        return lostBytes;
    }

    long rejoins()
    {
        return rejoins;
    }

    /** Rare (a publisher joins, leaves, or the journal is dropped and rejoins): may allocate. */
    private void onImagesChanged(
        final List<Image> images, final AtomicCounter lostCounter, final AtomicCounter rejoinCounter)
    {
        for (int i = 0; i < correlationIds.length; i++)
        {
            remember(sessionIds[i], positions[i]);
        }
        final int count = images.size();
        final long[] newIds = new long[count];
        final int[] newSessions = new int[count];
        final long[] newPositions = new long[count];
        final int[] newCounters = new int[count];
        for (int i = 0; i < count; i++)
        {
            final Image image = images.get(i);
            newIds[i] = image.correlationId();
            newSessions[i] = image.sessionId();
            newPositions[i] = image.position();
            newCounters[i] = producerCounterId(image.sessionId());
            if (indexOf(correlationIds, newIds[i]) < 0)
            {
                final int past = indexOf(pastSessionIds, image.sessionId());
                if (past >= 0 && image.joinPosition() > pastPositions[past])
                {
                    final long lost = image.joinPosition() - pastPositions[past];
                    lostBytes += lost;
                    rejoins++;
                    if (lostCounter != null)
                    {
                        lostCounter.getAndAddRelease(lost);
                        rejoinCounter.incrementRelease();
                    }
                }
            }
        }
        correlationIds = newIds;
        sessionIds = newSessions;
        positions = newPositions;
        producerCounterIds = newCounters;
    }

    private void remember(final int sessionId, final long position)
    {
        final int index = indexOf(pastSessionIds, sessionId);
        if (index >= 0)
        {
            pastPositions[index] = Math.max(pastPositions[index], position);
            return;
        }
        pastSessionIds = Arrays.copyOf(pastSessionIds, pastSessionIds.length + 1);
        pastPositions = Arrays.copyOf(pastPositions, pastPositions.length + 1);
        pastSessionIds[pastSessionIds.length - 1] = sessionId;
        pastPositions[pastPositions.length - 1] = position;
    }

    /** The publisher's position counter of the session (same host), else the receiver's high-water mark, else -1. */
    private int producerCounterId(final int sessionId)
    {
        if (counters == null)
        {
            return -1;
        }
        final int streamId = subscription.streamId();
        final int[] found = {-1, -1};
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (matches(keyBuffer, sessionId, streamId))
            {
                if (typeId == AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID)
                {
                    found[0] = counterId;
                }
                else if (typeId == AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID)
                {
                    found[1] = counterId;
                }
            }
        });
        return found[0] >= 0 ? found[0] : found[1];
    }

    /** The key of Aeron's stream counters: registration id (8 bytes), session id, stream id. */
    private static boolean matches(final DirectBuffer key, final int sessionId, final int streamId)
    {
        return key.getInt(Long.BYTES) == sessionId && key.getInt(Long.BYTES + Integer.BYTES) == streamId;
    }

    private static int indexOf(final long[] values, final long value)
    {
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(final int[] values, final int value)
    {
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        return -1;
    }
}
