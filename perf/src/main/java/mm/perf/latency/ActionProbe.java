package mm.perf.latency;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import mm.common.sbe.Messages;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.OrderActionDecoder;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;

/**
 * Where tick-to-order latency is read: a subscriber to ORDER_ACTIONS, run on the gateway's own thread right
 * after the gateway (so no extra thread hop is measured). Each action carries the time of the market-data
 * event it answers (the feed's intended send time, passed on by quoting and risk); the first action of each
 * event is recorded as {@code now - that time}: the time to the first order out. The event's further actions (a
 * requote cancels and replaces several levels) are counted, not measured again.
 */
public final class ActionProbe implements Agent, FragmentHandler
{
    private static final int FRAGMENT_LIMIT = 64;

    private final Subscription actions;
    private final RunWindow window;
    private final SingleWriterRecorder recorder;
    private final long highestTrackableNs;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderActionDecoder actionDecoder = new OrderActionDecoder();

    private long lastEventSeq;
    private long actionCount;
    private long followUps;
    private long measuredEvents;
    private long outOfRange;

    public ActionProbe(final Subscription actions, final RunWindow window, final SingleWriterRecorder recorder,
        final long highestTrackableNs)
    {
        this.actions = actions;
        this.window = window;
        this.recorder = recorder;
        this.highestTrackableNs = highestTrackableNs;
    }

    public String roleName()
    {
        return "action-probe";
    }

    public int doWork()
    {
        return actions.poll(this, FRAGMENT_LIMIT);
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!Messages.isEngineMessage(buffer, offset, length))
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() != OrderActionDecoder.TEMPLATE_ID)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        actionDecoder.wrap(buffer, offset + Messages.HEADER_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        actionCount++;
        final long eventSeq = actionDecoder.eventSeq();
        if (eventSeq <= lastEventSeq)
        {
            followUps++;
            return;
        }
        lastEventSeq = eventSeq;
        final long intendedNs = actionDecoder.timeNs();
        if (window.measures(intendedNs))
        {
            final long latencyNs = nowNs - intendedNs;
            if (latencyNs < 0 || latencyNs > highestTrackableNs)
            {
                outOfRange++;
                return;
            }
            recorder.recordValue(latencyNs);
            measuredEvents++;
        }
    }

    public long actionCount()
    {
        return actionCount;
    }

    public long followUps()
    {
        return followUps;
    }

    public long measuredEvents()
    {
        return measuredEvents;
    }

    /** Actions whose time was not a plausible intended send time (negative or beyond the histogram's range). */
    public long outOfRange()
    {
        return outOfRange;
    }
}
