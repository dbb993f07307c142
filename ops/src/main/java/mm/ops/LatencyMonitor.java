package mm.ops;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import mm.common.sbe.Messages;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.OrderActionDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Live tick-to-order latency for {@code ./mm top}, {@code ./mm stat} and Prometheus: every OrderAction carries
 * the receive time of the market-data event it answers (stamped by the feed from the wall clock when the bytes
 * arrived), so the time from the venue's bytes to our order out is {@code now - action.timeNs}, read right
 * after the gateway's duty cycle on the gateway's own thread (no extra hop, no polling delay). The first action
 * of each event is measured; the rest of its requote is not measured again.
 * <p>
 * Not deciding code: it reads the clock, publishes only counters and is never journaled. It needs the feed's
 * clock: the same host, or hosts whose clocks are disciplined (PTP) to well under the latencies shown. Actions
 * whose time is not a plausible recent receive time (a recording's historical times, a backtest) are counted
 * as such and not measured.
 */
final class LatencyMonitor implements Agent, FragmentHandler
{
    static final String NAME = "latency";
    /** Longer than this is not a latency but a time from elsewhere (a recording's). */
    static final long HIGHEST_NS = 10_000_000_000L;
    private static final long INTERVAL_NS = 1_000_000_000L;
    private static final int FRAGMENT_LIMIT = 64;
    static final int CLOCK_CHECK_CYCLES = 256;

    private final Subscription actions;
    private final EpochNanoClock clock;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderActionDecoder actionDecoder = new OrderActionDecoder();
    private final Histogram lastInterval = new Histogram(HIGHEST_NS, 3);
    private final Histogram sinceStart = new Histogram(HIGHEST_NS, 3);
    private final AtomicCounter p50Ns;
    private final AtomicCounter p99Ns;
    private final AtomicCounter p999Ns;
    private final AtomicCounter maxNs;
    private final AtomicCounter startP99Ns;
    private final AtomicCounter startMaxNs;
    private final AtomicCounter measured;
    private final AtomicCounter notLive;
    private long lastEventSeq;
    private long nextPublishNs;
    private long cycles;

    LatencyMonitor(final Aeron aeron, final Streams streams, final EpochNanoClock clock)
    {
        this.actions = aeron.addSubscription(streams.subscriptionChannel(streams.orderActions()), streams.orderActions());
        this.clock = clock;
        p50Ns = EngineCounters.add(aeron, NAME, "tick-to-order p50 ns (last second)");
        p99Ns = EngineCounters.add(aeron, NAME, "tick-to-order p99 ns (last second)");
        p999Ns = EngineCounters.add(aeron, NAME, "tick-to-order p99.9 ns (last second)");
        maxNs = EngineCounters.add(aeron, NAME, "tick-to-order max ns (last second)");
        startP99Ns = EngineCounters.add(aeron, NAME, "tick-to-order p99 ns (since start)");
        startMaxNs = EngineCounters.add(aeron, NAME, "tick-to-order max ns (since start)");
        measured = EngineCounters.add(aeron, NAME, "tick-to-order events measured");
        notLive = EngineCounters.add(aeron, NAME, "actions with a non-live time (recording, backtest)");
    }

    public String roleName()
    {
        return NAME;
    }

    public int doWork()
    {
        final int work = actions.poll(this, FRAGMENT_LIMIT);
        // the interval is a second: the clock is read once every CLOCK_CHECK_CYCLES duty cycles, not on each
        if ((++cycles & (CLOCK_CHECK_CYCLES - 1)) == 0)
        {
            final long nowNs = clock.nanoTime();
            if (nowNs >= nextPublishNs)
            {
                nextPublishNs = nowNs + INTERVAL_NS;
                publish();
            }
        }
        return work;
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
        actionDecoder.wrap(buffer, offset + Messages.HEADER_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        final long eventSeq = actionDecoder.eventSeq();
        if (eventSeq <= lastEventSeq)
        {
            return; // the same event's further actions
        }
        lastEventSeq = eventSeq;
        final long latencyNs = clock.nanoTime() - actionDecoder.timeNs();
        if (latencyNs < 0 || latencyNs > HIGHEST_NS)
        {
            notLive.incrementRelease();
            return;
        }
        lastInterval.recordValue(latencyNs);
        sinceStart.recordValue(latencyNs);
        measured.incrementRelease();
    }

    private void publish()
    {
        // an interval without a measured event shows zeros: "nothing measured", not the last second's figures
        p50Ns.setRelease(lastInterval.getValueAtPercentile(50));
        p99Ns.setRelease(lastInterval.getValueAtPercentile(99));
        p999Ns.setRelease(lastInterval.getValueAtPercentile(99.9));
        maxNs.setRelease(lastInterval.getMaxValue());
        startP99Ns.setRelease(sinceStart.getValueAtPercentile(99));
        startMaxNs.setRelease(sinceStart.getMaxValue());
        lastInterval.reset();
    }

    @Override
    public void onClose()
    {
        actions.close();
    }
}
