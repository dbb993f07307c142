package mm.feed.binance.venue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Decides which fault, if any, the venue applies to each streamed event and each REST snapshot request:
 * faults asked for once ({@link #once}), planned at a stream position ({@link #atFrame}), or drawn at random
 * per eligible event ({@link #rate}) from a seeded {@link Random}, so a run is reproducible: the same
 * recording, plan and seed give the same faults on the same frames. Thread-safe: tests call it while the
 * venue's event loop consults it.
 */
public final class FaultInjector
{
    private final Random random;
    private final ArrayDeque<Fault> once = new ArrayDeque<>();
    private final TreeMap<Long, List<Fault>> planned = new TreeMap<>();
    private final EnumMap<Fault, Double> rates = new EnumMap<>(Fault.class);
    private final long[] injected = new long[Fault.values().length];
    private long stallMs = 2_000;
    private long snapshotDelayMs = 2_000;

    public FaultInjector(final long seed)
    {
        this.random = new Random(seed);
    }

    /**
     * Parses {@code kind[:probability][,kind[:probability]]...}, e.g. {@code drop:0.001,disconnect:0.0001,stale-snapshot}.
     * A kind without a probability happens once, at the first eligible event.
     */
    public static FaultInjector parse(final String spec, final long seed)
    {
        final FaultInjector injector = new FaultInjector(seed);
        if (spec == null || spec.isBlank())
        {
            return injector;
        }
        for (final String part : spec.split(","))
        {
            final String item = part.trim();
            if (item.isEmpty())
            {
                continue;
            }
            final int colon = item.indexOf(':');
            final Fault fault = Fault.parse(colon < 0 ? item : item.substring(0, colon));
            if (colon < 0)
            {
                injector.once(fault);
                continue;
            }
            final double probability;
            try
            {
                probability = Double.parseDouble(item.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("fault '" + item + "': the probability must be a number in (0, 1]");
            }
            injector.rate(fault, probability);
        }
        return injector;
    }

    /** The fault happens at the next eligible event (or snapshot request). */
    public synchronized FaultInjector once(final Fault fault)
    {
        once.add(fault);
        return this;
    }

    /**
     * The fault happens at streamed event {@code index} (0-based), or the first eligible one after it; a snapshot
     * fault applies to the first snapshot request once the stream has reached {@code index}.
     */
    public synchronized FaultInjector atFrame(final long index, final Fault fault)
    {
        planned.computeIfAbsent(index, k -> new ArrayList<>()).add(fault);
        return this;
    }

    /** The fault happens at each eligible event with this probability. */
    public synchronized FaultInjector rate(final Fault fault, final double probability)
    {
        if (!(probability > 0 && probability <= 1))
        {
            throw new IllegalArgumentException("probability of " + fault.cliName() + " must be in (0, 1]: " + probability);
        }
        rates.put(fault, probability);
        return this;
    }

    /** How long a {@link Fault#STALL} lasts. */
    public synchronized FaultInjector stallMs(final long stallMs)
    {
        this.stallMs = stallMs;
        return this;
    }

    /** How late a {@link Fault#SLOW_SNAPSHOT} is answered. */
    public synchronized FaultInjector snapshotDelayMs(final long snapshotDelayMs)
    {
        this.snapshotDelayMs = snapshotDelayMs;
        return this;
    }

    public synchronized long stallMs()
    {
        return stallMs;
    }

    public synchronized long snapshotDelayMs()
    {
        return snapshotDelayMs;
    }

    /** Times the fault was applied. */
    public synchronized long injected(final Fault fault)
    {
        return injected[fault.ordinal()];
    }

    /** Faults asked for (once or planned) that have not happened yet. */
    public synchronized int pending()
    {
        int count = once.size();
        for (final List<Fault> faults : planned.values())
        {
            count += faults.size();
        }
        return count;
    }

    /** The fault for streamed event {@code index}, or null. */
    synchronized Fault onFrame(final long index, final boolean depthDiff)
    {
        // planned faults due at or before this index, first eligible one wins
        for (final Iterator<Map.Entry<Long, List<Fault>>> it = planned.headMap(index, true).entrySet().iterator(); it.hasNext(); )
        {
            final List<Fault> faults = it.next().getValue();
            for (int i = 0; i < faults.size(); i++)
            {
                final Fault fault = faults.get(i);
                if (fault.target() == Fault.Target.SNAPSHOT)
                {
                    // armed from this point of the stream: applies to the next snapshot request
                    once.add(fault);
                    faults.remove(i--);
                    if (faults.isEmpty())
                    {
                        it.remove();
                        break;
                    }
                    continue;
                }
                if (eligible(fault, depthDiff))
                {
                    faults.remove(i);
                    if (faults.isEmpty())
                    {
                        it.remove();
                    }
                    return applied(fault);
                }
            }
        }
        for (final Iterator<Fault> it = once.iterator(); it.hasNext(); )
        {
            final Fault fault = it.next();
            if (eligible(fault, depthDiff))
            {
                it.remove();
                return applied(fault);
            }
        }
        for (final Map.Entry<Fault, Double> entry : rates.entrySet())
        {
            final Fault fault = entry.getKey();
            if (fault.target() != Fault.Target.SNAPSHOT && eligible(fault, depthDiff) &&
                random.nextDouble() < entry.getValue())
            {
                return applied(fault);
            }
        }
        return null;
    }

    /** The fault for a REST snapshot request, or null. */
    synchronized Fault onSnapshot()
    {
        for (final Iterator<Fault> it = once.iterator(); it.hasNext(); )
        {
            final Fault fault = it.next();
            if (fault.target() == Fault.Target.SNAPSHOT)
            {
                it.remove();
                return applied(fault);
            }
        }
        for (final Map.Entry<Fault, Double> entry : rates.entrySet())
        {
            if (entry.getKey().target() == Fault.Target.SNAPSHOT && random.nextDouble() < entry.getValue())
            {
                return applied(entry.getKey());
            }
        }
        return null;
    }

    /** Overwrites 1-3 bytes of {@code frame[0, length)} with '#', at seeded positions. */
    synchronized void corrupt(final byte[] frame, final int length)
    {
        final int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && length > 0; i++)
        {
            frame[random.nextInt(length)] = '#';
        }
    }

    private static boolean eligible(final Fault fault, final boolean depthDiff)
    {
        return switch (fault.target())
        {
            case DEPTH_FRAME -> depthDiff;
            case ANY_FRAME -> true;
            case SNAPSHOT -> false;
        };
    }

    private Fault applied(final Fault fault)
    {
        injected[fault.ordinal()]++;
        return fault;
    }
}
