package mm.perf.latency;

import io.aeron.Aeron;
import mm.common.agent.EngineCounters;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

/**
 * The timeline of one latency run, shared through counters in the media driver so that agents in other
 * processes follow it too: when the load starts, the measured window of intended send times, and when to stop.
 * Times are {@link System#nanoTime()} values (CLOCK_MONOTONIC, the same in every JVM of a host); 0 means
 * "not yet". The harness owns the counters; agents read them by id.
 */
public final class RunWindow
{
    static final String OWNER = "bench";
    static final String START = "load start ns";
    static final String MEASURE_FROM = "measure from ns";
    static final String MEASURE_TO = "measure to ns";
    static final String STOP = "stop";

    private final CountersReader counters;
    private final int startId;
    private final int fromId;
    private final int toId;
    private final int stopId;

    private RunWindow(final CountersReader counters, final int startId, final int fromId, final int toId, final int stopId)
    {
        this.counters = counters;
        this.startId = startId;
        this.fromId = fromId;
        this.toId = toId;
        this.stopId = stopId;
    }

    /** The harness's side: allocates the counters (all 0) and keeps them for {@link Owner#set}. */
    public static Owner create(final Aeron aeron)
    {
        return new Owner(aeron);
    }

    /** An agent's side, in any process connected to the same driver: finds the counters by label. */
    public static RunWindow find(final CountersReader counters)
    {
        final int[] ids = {-1, -1, -1, -1};
        final String[] labels = {label(START), label(MEASURE_FROM), label(MEASURE_TO), label(STOP)};
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            for (int i = 0; i < labels.length; i++)
            {
                if (typeId == EngineCounters.ENGINE_COUNTER_TYPE_ID && labels[i].equals(label))
                {
                    ids[i] = counterId;
                }
            }
        });
        for (int i = 0; i < ids.length; i++)
        {
            if (ids[i] < 0)
            {
                throw new IllegalStateException("no counter '" + labels[i] + "' in this driver: start the harness first");
            }
        }
        return new RunWindow(counters, ids[0], ids[1], ids[2], ids[3]);
    }

    private static String label(final String name)
    {
        return OWNER + ": " + name;
    }

    /** When the load generator sends its first frame; 0 until the harness says so. */
    public long startNs()
    {
        return counters.getCounterValue(startId);
    }

    /** First intended send time that is measured (earlier ones are warm-up). */
    public long measureFromNs()
    {
        return counters.getCounterValue(fromId);
    }

    /** End of the measured window and of the load: nothing is sent with an intended time at or after it. */
    public long measureToNs()
    {
        return counters.getCounterValue(toId);
    }

    public boolean isStopped()
    {
        return counters.getCounterValue(stopId) != 0;
    }

    /** True when {@code intendedNs} lies in the measured window. */
    public boolean measures(final long intendedNs)
    {
        final long from = measureFromNs();
        return from != 0 && intendedNs >= from && intendedNs < measureToNs();
    }

    /** The harness's handle: the counters themselves. */
    public static final class Owner implements AutoCloseable
    {
        private final AtomicCounter start;
        private final AtomicCounter from;
        private final AtomicCounter to;
        private final AtomicCounter stop;
        private final RunWindow window;

        private Owner(final Aeron aeron)
        {
            start = EngineCounters.add(aeron, OWNER, START);
            from = EngineCounters.add(aeron, OWNER, MEASURE_FROM);
            to = EngineCounters.add(aeron, OWNER, MEASURE_TO);
            stop = EngineCounters.add(aeron, OWNER, STOP);
            window = new RunWindow(aeron.countersReader(), start.id(), from.id(), to.id(), stop.id());
        }

        /** Sets the whole timeline at once: the window first, so no agent sees a start without a window. */
        public void set(final long startNs, final long measureFromNs, final long measureToNs)
        {
            to.setRelease(measureToNs);
            from.setRelease(measureFromNs);
            start.setRelease(startNs);
        }

        public void stop()
        {
            stop.setRelease(1);
        }

        public RunWindow window()
        {
            return window;
        }

        public void close()
        {
            start.close();
            from.close();
            to.close();
            stop.close();
        }
    }
}
