package mm.ops;

import io.aeron.Aeron;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.agent.EngineCounters;
import mm.sbe.HeartbeatEncoder;
import mm.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The engine's timer: publishes a {@code Heartbeat} on CONTROL every {@code engine.heartbeatIntervalMs} with the
 * wall-clock time, so that deciding agents, which read time only from their inputs, see time pass without
 * market data (the risk guard's stale-data and resync triggers, its cool-off and re-entry). Live runs only:
 * in lockstep, market-data time is the clock and a wall-clock tick would make the run depend on timing.
 * It holds no run open (always done) and runs in the process of the risk role.
 */
public final class HeartbeatAgent implements BoundedAgent
{
    private final Outbox control;
    private final EpochNanoClock clock;
    private final long intervalNs;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HeartbeatEncoder encoder = new HeartbeatEncoder();
    private final AtomicCounter sent;
    private long nextNs;

    public HeartbeatAgent(final Aeron aeron, final Streams streams, final long intervalMs, final EpochNanoClock clock)
    {
        if (intervalMs <= 0)
        {
            throw new IllegalArgumentException("intervalMs must be positive: " + intervalMs);
        }
        // queued while not yet connected (the risk agent in this process always subscribes to CONTROL)
        this.control = new Outbox(aeron.addExclusivePublication(streams.publicationChannel(streams.control()), streams.control()));
        this.clock = clock;
        this.intervalNs = intervalMs * 1_000_000L;
        this.sent = EngineCounters.add(aeron, roleName(), "heartbeats sent");
    }

    /** The CONTROL outbox (an in-process run redirects it). */
    Outbox outbox()
    {
        return control;
    }

    public int doWork()
    {
        int work = control.flush();
        final long nowNs = clock.nanoTime();
        if (nowNs >= nextNs && control.isEmpty())
        {
            // the next tick is a whole interval after this one: a late tick does not cause a burst
            nextNs = nowNs + intervalNs;
            encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).eventSeq(0).timeNs(nowNs);
            control.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH);
            sent.incrementRelease();
            work++;
        }
        return work;
    }

    public String roleName()
    {
        return "heartbeat";
    }

    /** A timer never holds a bounded run open. */
    public boolean isDone()
    {
        return true;
    }
}
