package mm.perf.latency;

import io.aeron.Aeron;
import mm.common.agent.IdleStrategies;
import mm.common.agent.Readiness;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One role of the process shape, started by {@link LatencyHarness}: connects to the harness's media driver,
 * builds the role's agent from the same {@link PipelineConfig} (gateway: with the {@link ActionProbe} on its
 * thread; {@code floor-probe}: the transport floor's subscriber), raises its ready counter, runs until the
 * harness raises the stop counter (or its standard input closes), then writes its figures to {@code --result}.
 * <pre>
 * RoleProcess --role quoting|risk|gateway|floor-probe --aeron-dir DIR --idle NAME --result FILE [--hlog FILE] [--set k=v]...
 * </pre>
 */
public final class RoleProcess
{
    private RoleProcess()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final Map<String, String> options = new LinkedHashMap<>();
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            if (args[i].equals("--set"))
            {
                final int eq = args[i + 1].indexOf('=');
                overrides.put(args[i + 1].substring(0, eq), args[i + 1].substring(eq + 1));
            }
            else
            {
                options.put(args[i], args[i + 1]);
            }
        }
        final String role = options.get("--role");
        final Path resultFile = Path.of(options.get("--result"));
        final Properties result = new Properties();
        result.setProperty("role", role);
        watchParent();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final PipelineConfig config = new PipelineConfig(overrides);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(options.get("--aeron-dir"))))
        {
            final RunWindow window = RunWindow.find(aeron.countersReader());
            IntervalLog log = null;
            final Agent agent;
            ActionProbe probe = null;
            TransportFloor.Probe floorProbe = null;
            switch (role)
            {
                case "quoting" -> agent = config.quoting(aeron);
                case "risk" -> agent = config.risk(aeron);
                case "gateway" ->
                {
                    log = new IntervalLog(Path.of(options.get("--hlog")), "mm tick-to-order latency, process");
                    probe = new ActionProbe(aeron.addSubscription(config.streams().channel(),
                        config.streams().orderActions()), window, log.recorder(), IntervalLog.HIGHEST_TRACKABLE_NS);
                    agent = new CompositeAgent(config.gateway(aeron), probe);
                }
                case LatencyHarness.Child.FLOOR_ROLE ->
                {
                    log = new IntervalLog(Path.of(options.get("--hlog")), "mm transport floor, process");
                    floorProbe = new TransportFloor.Probe(aeron.addSubscription(config.streams().channel(), 2001),
                        window, log.recorder(), IntervalLog.HIGHEST_TRACKABLE_NS);
                    agent = floorProbe;
                }
                default -> throw new IllegalArgumentException("unknown role: " + role);
            }
            Readiness.markReady(aeron, role);
            final AgentRunner runner = new AgentRunner(IdleStrategies.byName("idle", options.get("--idle")),
                t -> error.compareAndSet(null, t), null, agent);
            AgentRunner.startOnThread(runner);
            while (runner.thread() == null)
            {
                Thread.onSpinWait();
            }
            final long threadId = runner.thread().threadId();
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            long allocatedAtFrom = -1;
            long allocatedAtTo = -1;
            long nextTickNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (!window.isStopped() && error.get() == null)
            {
                final long nowNs = System.nanoTime();
                final long fromNs = window.measureFromNs();
                if (allocatedAtFrom < 0 && fromNs != 0 && nowNs >= fromNs)
                {
                    allocatedAtFrom = threads.getThreadAllocatedBytes(threadId);
                }
                if (allocatedAtTo < 0 && fromNs != 0 && nowNs >= window.measureToNs())
                {
                    allocatedAtTo = threads.getThreadAllocatedBytes(threadId);
                }
                if (log != null && nowNs >= nextTickNs)
                {
                    log.tick();
                    nextTickNs += TimeUnit.SECONDS.toNanos(1);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            CloseHelper.quietClose(runner);
            if (allocatedAtFrom >= 0 && allocatedAtTo >= 0)
            {
                result.setProperty("allocatedBytes", Long.toString(allocatedAtTo - allocatedAtFrom));
            }
            if (probe != null)
            {
                result.setProperty("actions", Long.toString(probe.actionCount()));
                result.setProperty("followUps", Long.toString(probe.followUps()));
                result.setProperty("outOfRange", Long.toString(probe.outOfRange()));
            }
            if (floorProbe != null)
            {
                result.setProperty("measured", Long.toString(floorProbe.measured()));
            }
            if (log != null)
            {
                log.close();
                result.setProperty("hlog", options.get("--hlog"));
            }
        }
        catch (final RuntimeException ex)
        {
            error.compareAndSet(null, ex);
        }
        if (error.get() != null)
        {
            result.setProperty("error", String.valueOf(error.get()));
            error.get().printStackTrace();
        }
        try (Writer writer = Files.newBufferedWriter(resultFile, StandardCharsets.UTF_8))
        {
            result.store(writer, "mm latency harness role " + role);
        }
        System.exit(error.get() == null ? 0 : 1);
    }

    /** Exits when the harness goes away (its end of our standard input closes). */
    private static void watchParent()
    {
        final Thread watcher = new Thread(() ->
        {
            try
            {
                while (System.in.read() >= 0)
                {
                    Thread.onSpinWait();
                }
            }
            catch (final IOException ignored)
            {
                // the pipe is gone: so is the parent
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
