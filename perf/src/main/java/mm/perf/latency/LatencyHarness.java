package mm.perf.latency;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import mm.common.agent.IdleStrategies;
import mm.common.agent.Readiness;
import mm.driver.DriverProfile;
import mm.driver.EmbeddedDriver;
import mm.gateway.GatewayAgent;
import mm.quoting.QuotingAgent;
import mm.risk.RiskAgent;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The end-to-end latency harness. For each deployment shape it measures, in one JVM run:
 * <ul>
 * <li>the transport floor: one bare Aeron IPC hop at the same rate, stamping and thread layout
 * ({@link TransportFloor});</li>
 * <li>for each feed format, tick-to-order latency: venue frames of a real recording sent at a fixed rate by
 * {@link PacedFeedAgent} through feed decode, book sync and publish, the quoting agent, the risk agent and the
 * gateway (diff against working orders, simulated venue, ORDER_ACTIONS encode), read by {@link ActionProbe}
 * on the gateway's thread. Coordinated-omission-correct: latency runs from each frame's intended send time.</li>
 * </ul>
 * Every run uses a fresh embedded media driver ({@code small-host} profile: one shared driver thread that backs
 * off) and writes its histogram as an HdrHistogram log. Allocation is the bytes the pipeline's own threads
 * allocated during the measured window.
 */
public final class LatencyHarness
{
    private static final int FLOOR_STREAM_ID = 2001;
    private static final long START_LEAD_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long DRAIN_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1);

    private final LatencySettings settings;
    private final PrintStream out;
    private final PipelineConfig config;
    private final com.sun.management.ThreadMXBean threadBean =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private FlameProfiler.Profile profile;
    private FlameProfiler.Result profileResult;

    public LatencyHarness(final LatencySettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
        this.config = new PipelineConfig(settings.engineOverrides());
    }

    public PipelineConfig config()
    {
        return config;
    }

    /** The flame graph of the profiled run, or null when none was asked for or it failed. */
    public FlameProfiler.Result profileResult()
    {
        return profileResult;
    }

    /** Runs the floor and every format in every shape; one result per run, floors first within a shape. */
    public List<RunResult> runAll()
    {
        final List<EndlessRecording> recordings = new ArrayList<>();
        for (final EndlessRecording.Format format : settings.formats())
        {
            recordings.add(EndlessRecording.of(settings.recording(), config.instrument(), format));
        }
        final List<RunResult> results = new ArrayList<>();
        for (final Shape shape : settings.shapes())
        {
            results.add(runFloor(shape));
            for (final EndlessRecording recording : recordings)
            {
                results.add(runPipeline(shape, recording, false));
            }
        }
        if (settings.profileShape() != null)
        {
            // an extra run: the profiler's signals and stack walks perturb the latency it would otherwise measure
            results.add(runPipeline(settings.profileShape(), recordings.get(0), true));
        }
        return results;
    }

    /** Tick-to-order latency of one shape and feed format. */
    public RunResult runPipeline(final Shape shape, final EndlessRecording recording, final boolean profiled)
    {
        final RunResult result = new RunResult(RunResult.PIPELINE, shape, recording.format());
        result.profiled = profiled;
        final String name = shape.cliName() + "-" + recording.format().name().toLowerCase(Locale.ROOT) +
            (profiled ? "-profiled" : "");
        result.hlog = settings.outputDir().resolve("latency").resolve(name + ".hlog");
        out.printf("bench: latency %s: %,d frames/s, %d ms warm-up, %d ms measured, idle %s%n",
            result.label(), settings.framesPerSecond(), settings.warmupMs(), settings.measureMs(), settings.idleStrategy());
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final List<AgentRunner> runners = new ArrayList<>();
        final List<Child> children = new ArrayList<>();
        try (EmbeddedDriver driver = EmbeddedDriver.launch(driverProfile());
            Aeron aeron = driver.connectClient();
            RunWindow.Owner window = RunWindow.create(aeron);
            IntervalLog log = new IntervalLog(result.hlog, "mm tick-to-order latency, " + result.label()))
        {
            ActionProbe probe = null;
            final List<Thread> measuredThreads = new ArrayList<>();
            if (shape == Shape.PROCESS)
            {
                for (final String role : new String[]{"gateway", "risk", "quoting"})
                {
                    children.add(Child.launch(role, driver.aeronDirectoryName(), settings, name));
                }
                awaitReady(aeron, children, "gateway", "risk", "quoting");
            }
            final PacedFeedAgent feed = new PacedFeedAgent(recording, config.instrument(), config.bookDepth(),
                settings.framesPerSecond(), aeron, config.streams(), window.window(), settings.burstFrames());
            if (shape != Shape.PROCESS)
            {
                final GatewayAgent gateway = config.gateway(aeron);
                final RiskAgent risk = config.risk(aeron);
                final QuotingAgent quoting = config.quoting(aeron);
                probe = new ActionProbe(aeron.addSubscription(config.streams().channel(), config.streams().orderActions()),
                    window.window(), log.recorder(), IntervalLog.HIGHEST_TRACKABLE_NS);
                if (shape == Shape.COMPOSITE)
                {
                    runners.add(runner(new CompositeAgent(feed, quoting, risk, gateway, probe), error));
                    result.threads = "1 agent thread: feed, quoting, risk, gateway + probe";
                }
                else
                {
                    runners.add(runner(feed, error));
                    runners.add(runner(quoting, error));
                    runners.add(runner(risk, error));
                    runners.add(runner(new CompositeAgent(gateway, probe), error));
                    result.threads = "4 agent threads: feed | quoting | risk | gateway + probe";
                }
            }
            else
            {
                runners.add(runner(feed, error));
                result.threads = "feed thread in the harness JVM; quoting, risk, gateway + probe each in its own JVM";
            }
            for (final AgentRunner runner : runners)
            {
                AgentRunner.startOnThread(runner);
                measuredThreads.add(awaitThread(runner));
            }
            final long burstDeadlineNs = System.nanoTime() + READY_TIMEOUT_NS;
            while (!feed.isBurstDone())
            {
                if (System.nanoTime() > burstDeadlineNs)
                {
                    throw new IllegalStateException("the warm-up burst of " + settings.burstFrames() +
                        " frames did not get through within 120 s");
                }
                sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50), log, error, children);
            }
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300), log, error, children);
            result.allocationThreads = shape == Shape.PROCESS ?
                "feed thread (harness) + each role process's agent thread" : measuredThreads.size() + " agent thread(s)";

            final long startNs = System.nanoTime() + START_LEAD_NS;
            final long fromNs = startNs + TimeUnit.MILLISECONDS.toNanos(settings.warmupMs());
            final long toNs = fromNs + TimeUnit.MILLISECONDS.toNanos(settings.measureMs());
            window.set(startNs, fromNs, toNs);

            sleepUntil(fromNs, log, error, children);
            final long[] perThreadBefore = allocatedEach(measuredThreads);
            final long allocatedBefore = allocated(measuredThreads);
            if (profiled)
            {
                profile = FlameProfiler.start(out, settings.profileEvent());
                result.notes.add("async-profiler attached: latency perturbed, not comparable with the other runs");
            }
            // -Dmm.bench.allocationTrace=true: each agent thread's allocated bytes every second, to tell one-offs
            // (a path reached late, JIT transitions) from a steady leak
            if (Boolean.getBoolean("mm.bench.allocationTrace"))
            {
                for (long t = fromNs + TICK_NS; t < toNs; t += TICK_NS)
                {
                    sleepUntil(t, log, error, children);
                    out.println("bench: allocation trace " + java.util.Arrays.toString(allocatedEach(measuredThreads)));
                }
            }
            sleepUntil(toNs, log, error, children);
            final long allocatedAfter = allocated(measuredThreads);
            final long[] perThreadAfter = allocatedEach(measuredThreads);
            if (measuredThreads.size() > 1)
            {
                final StringBuilder each = new StringBuilder("allocated per thread:");
                for (int i = 0; i < measuredThreads.size(); i++)
                {
                    each.append(' ').append(measuredThreads.get(i).getName()).append('=')
                        .append(perThreadAfter[i] - perThreadBefore[i]);
                }
                result.notes.add(each.toString());
            }
            if (profile != null)
            {
                profileResult = profile.stop(settings.outputDir(), "flame-" + name);
                profile = null;
            }
            endRun(feed::isFinished, toNs, error, window, log, probe != null, aeron, result, runners);

            result.framesMeasured = feed.framesMeasured();
            result.eventsMeasured = feed.eventsMeasured();
            result.feedLagNs = feed.lagNs();
            result.allocatedBytes = allocatedAfter - allocatedBefore;
            if (feed.sync().gaps() != 0 || !feed.sync().isSynced())
            {
                result.notes.add("feed: gaps=" + feed.sync().gaps() + " state=" + feed.sync().state());
            }
            if (!feed.isFinished())
            {
                result.notes.add("the load generator had not sent all frames 30 s after the window: it could not keep up");
            }
            if (probe != null)
            {
                result.actions = probe.actionCount();
                result.followUps = probe.followUps();
                result.outOfRange = probe.outOfRange();
                result.latencyNs = log.total().copy();
            }
            else
            {
                collectChildren(children, result);
            }
            if (error.get() != null)
            {
                result.error = String.valueOf(error.get());
            }
            out.printf("bench: latency %s: %s%n", result.label(), summary(result));
        }
        catch (final RuntimeException | IOException ex)
        {
            result.error = ex.toString();
            out.println("bench: latency " + result.label() + " failed: " + ex);
        }
        finally
        {
            if (profile != null)
            {
                profile.abort();
                profile = null;
            }
            for (final AgentRunner runner : runners)
            {
                CloseHelper.quietClose(runner);
            }
            for (final Child child : children)
            {
                child.destroy();
            }
        }
        return result;
    }

    /**
     * After the measured window: lets the source finish and the pipeline drain, closes the window and the
     * interval log, notes the engine's counters when a probed run measured nothing, and stops the agents.
     */
    private static void endRun(
        final java.util.function.BooleanSupplier sourceFinished,
        final long toNs,
        final AtomicReference<Throwable> error,
        final RunWindow.Owner window,
        final IntervalLog log,
        final boolean probed,
        final Aeron aeron,
        final RunResult result,
        final List<AgentRunner> runners)
    {
        final long drainUntilNs = System.nanoTime() + DRAIN_NS;
        while ((!sourceFinished.getAsBoolean() || System.nanoTime() < drainUntilNs) && error.get() == null &&
            System.nanoTime() < toNs + TimeUnit.SECONDS.toNanos(30))
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        window.stop();
        log.tick();
        if (probed && log.total().getTotalCount() == 0)
        {
            // nothing measured: the engine's own counters say which stage stopped answering
            result.notes.add("counters at the end of a run without samples: " + nonZeroCounters(aeron));
        }
        for (final AgentRunner runner : runners)
        {
            CloseHelper.quietClose(runner);
        }
        runners.clear();
    }

    private static String nonZeroCounters(final Aeron aeron)
    {
        final StringBuilder text = new StringBuilder();
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) ->
        {
            final long value = aeron.countersReader().getCounterValue(counterId);
            if (value != 0 && typeId == mm.common.agent.EngineCounters.ENGINE_COUNTER_TYPE_ID)
            {
                text.append(text.isEmpty() ? "" : "; ").append(label).append('=').append(value);
            }
        });
        return text.toString();
    }

    /** One bare IPC hop in the thread layout of {@code shape}. */
    public RunResult runFloor(final Shape shape)
    {
        final RunResult result = new RunResult(RunResult.FLOOR, shape, null);
        final String name = shape.cliName() + "-floor";
        result.hlog = settings.outputDir().resolve("latency").resolve(name + ".hlog");
        out.printf("bench: transport floor %s: one Aeron IPC hop of %d bytes at %,d messages/s%n",
            shape.cliName(), TransportFloor.MESSAGE_LENGTH, settings.framesPerSecond());
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final List<AgentRunner> runners = new ArrayList<>();
        final List<Child> children = new ArrayList<>();
        try (EmbeddedDriver driver = EmbeddedDriver.launch(driverProfile());
            Aeron aeron = driver.connectClient();
            RunWindow.Owner window = RunWindow.create(aeron);
            IntervalLog log = new IntervalLog(result.hlog, "mm transport floor, " + result.label()))
        {
            final String channel = config.streams().channel();
            TransportFloor.Probe probe = null;
            if (shape == Shape.PROCESS)
            {
                children.add(Child.launch(Child.FLOOR_ROLE, driver.aeronDirectoryName(), settings, name));
                awaitReady(aeron, children, Child.FLOOR_ROLE);
            }
            else
            {
                probe = new TransportFloor.Probe(aeron.addSubscription(channel, FLOOR_STREAM_ID), window.window(),
                    log.recorder(), IntervalLog.HIGHEST_TRACKABLE_NS);
            }
            final ExclusivePublication publication = aeron.addExclusivePublication(channel, FLOOR_STREAM_ID);
            final TransportFloor.Publisher publisher =
                new TransportFloor.Publisher(publication, window.window(), settings.framesPerSecond());
            final long connectDeadlineNs = System.nanoTime() + READY_TIMEOUT_NS;
            while (!publication.isConnected() && System.nanoTime() < connectDeadlineNs)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            switch (shape)
            {
                case COMPOSITE ->
                {
                    runners.add(runner(new CompositeAgent(publisher, probe), error));
                    result.threads = "1 thread: publisher + subscriber";
                }
                case THREADED ->
                {
                    runners.add(runner(publisher, error));
                    runners.add(runner(probe, error));
                    result.threads = "2 threads: publisher | subscriber";
                }
                default ->
                {
                    runners.add(runner(publisher, error));
                    result.threads = "publisher in the harness JVM, subscriber in its own JVM";
                }
            }
            for (final AgentRunner runner : runners)
            {
                AgentRunner.startOnThread(runner);
            }
            final long startNs = System.nanoTime() + START_LEAD_NS;
            final long fromNs = startNs + TimeUnit.MILLISECONDS.toNanos(settings.warmupMs());
            final long toNs = fromNs + TimeUnit.MILLISECONDS.toNanos(settings.measureMs());
            window.set(startNs, fromNs, toNs);
            sleepUntil(toNs, log, error, children);
            endRun(publisher::isFinished, toNs, error, window, log, probe != null, aeron, result, runners);
            if (probe != null)
            {
                result.latencyNs = log.total().copy();
                result.framesMeasured = probe.measured();
            }
            else
            {
                collectChildren(children, result);
                result.framesMeasured = result.latencyNs == null ? 0 : result.latencyNs.getTotalCount();
            }
            if (publisher.backPressured() > 0)
            {
                result.notes.add("publisher back-pressured " + publisher.backPressured() + " times");
            }
            if (error.get() != null)
            {
                result.error = String.valueOf(error.get());
            }
            out.printf("bench: transport floor %s: %s%n", shape.cliName(), summary(result));
        }
        catch (final RuntimeException | IOException ex)
        {
            result.error = ex.toString();
            out.println("bench: transport floor " + shape.cliName() + " failed: " + ex);
        }
        finally
        {
            for (final AgentRunner runner : runners)
            {
                CloseHelper.quietClose(runner);
            }
            for (final Child child : children)
            {
                child.destroy();
            }
        }
        return result;
    }

    /**
     * small-host (one shared driver thread that backs off), with term files written through when created: a
     * sparse term faults in a page the first time each 4 KiB of it is written, which on a VM costs tens of
     * microseconds on the publishing agent's thread.
     */
    public static DriverProfile driverProfile()
    {
        return DriverProfile.named(DriverProfile.SMALL_HOST).preTouchMappedMemory(!Boolean.getBoolean("mm.bench.sparseTerms"));
    }

    private static String summary(final RunResult result)
    {
        if (result.latencyNs == null || result.latencyNs.getTotalCount() == 0)
        {
            return "no samples" + (result.error != null ? " (" + result.error + ")" : "") +
                (result.notes.isEmpty() ? "" : "; " + String.join("; ", result.notes));
        }
        final var h = result.latencyNs;
        return String.format(Locale.ROOT, "%,d samples, p50 %.1f µs, p99 %.1f µs, p99.99 %.1f µs, max %.1f µs%s",
            h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
            h.getValueAtPercentile(99.99) / 1e3, h.getMaxValue() / 1e3,
            result.allocatedBytes >= 0 ? String.format(Locale.ROOT, ", %,d B allocated over %,d frames",
                result.allocatedBytes, result.framesMeasured) : "");
    }

    private AgentRunner runner(final Agent agent, final AtomicReference<Throwable> error)
    {
        return new AgentRunner(IdleStrategies.byName("idle", settings.idleStrategy()),
            t -> error.compareAndSet(null, t), null, agent);
    }

    private static Thread awaitThread(final AgentRunner runner)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runner.thread() == null && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
        return runner.thread();
    }

    private long[] allocatedEach(final List<Thread> threads)
    {
        final long[] bytes = new long[threads.size()];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = threads.get(i) == null ? 0 : threadBean.getThreadAllocatedBytes(threads.get(i).threadId());
        }
        return bytes;
    }

    private long allocated(final List<Thread> threads)
    {
        long total = 0;
        for (final Thread thread : threads)
        {
            if (thread != null)
            {
                total += threadBean.getThreadAllocatedBytes(thread.threadId());
            }
        }
        return total;
    }

    /** Waits until {@code deadlineNs}, taking an interval of the log every second; fails fast on an agent error. */
    private static void sleepUntil(
        final long deadlineNs, final IntervalLog log, final AtomicReference<Throwable> error, final List<Child> children)
    {
        long nextTickNs = System.nanoTime() + TICK_NS;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (nowNs >= deadlineNs)
            {
                return;
            }
            if (error.get() != null)
            {
                throw new IllegalStateException("agent error", error.get());
            }
            for (final Child child : children)
            {
                child.checkAlive();
            }
            if (nowNs >= nextTickNs)
            {
                log.tick();
                nextTickNs += TICK_NS;
            }
            LockSupport.parkNanos(Math.min(deadlineNs - nowNs, TimeUnit.MILLISECONDS.toNanos(20)));
        }
    }

    private static void awaitReady(final Aeron aeron, final List<Child> children, final String... roles)
    {
        final long deadlineNs = System.nanoTime() + READY_TIMEOUT_NS;
        while (!Readiness.allReady(aeron.countersReader(), roles))
        {
            for (final Child child : children)
            {
                child.checkAlive();
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("role processes not ready within 120 s: " + String.join(", ", roles));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void collectChildren(final List<Child> children, final RunResult result) throws IOException
    {
        long allocated = 0;
        boolean allocationKnown = result.allocatedBytes >= 0;
        final StringBuilder perRole = new StringBuilder("allocated per role process:");
        for (final Child child : children)
        {
            final Properties properties = child.awaitResult();
            if (properties.getProperty("error") != null)
            {
                result.error = child.role + ": " + properties.getProperty("error");
            }
            final long bytes = Long.parseLong(properties.getProperty("allocatedBytes", "-1"));
            if (bytes >= 0)
            {
                allocated += bytes;
                allocationKnown = true;
                perRole.append(' ').append(child.role).append('=').append(bytes);
            }
            if (properties.getProperty("hlog") != null)
            {
                result.latencyNs = IntervalLog.read(Path.of(properties.getProperty("hlog")));
                result.actions = Long.parseLong(properties.getProperty("actions", "0"));
                result.followUps = Long.parseLong(properties.getProperty("followUps", "0"));
                result.outOfRange = Long.parseLong(properties.getProperty("outOfRange", "0"));
            }
        }
        if (allocationKnown && result.kind.equals(RunResult.PIPELINE))
        {
            result.allocatedBytes = Math.max(0, result.allocatedBytes) + allocated;
            result.notes.add(perRole.toString());
        }
    }

    /** A role process of the process shape ({@link RoleProcess}), with its log and result files. */
    static final class Child
    {
        static final String FLOOR_ROLE = "floor-probe";

        final String role;
        final Process process;
        final Path log;
        final Path resultFile;

        private Child(final String role, final Process process, final Path log, final Path resultFile)
        {
            this.role = role;
            this.process = process;
            this.log = log;
            this.resultFile = resultFile;
        }

        static Child launch(final String role, final String aeronDir, final LatencySettings settings, final String run)
            throws IOException
        {
            final Path dir = settings.outputDir().resolve("latency");
            Files.createDirectories(dir);
            final Path log = dir.resolve(run + "-" + role + ".log");
            final Path resultFile = dir.resolve(run + "-" + role + ".properties");
            Files.deleteIfExists(resultFile);
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(childJvmOptions());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(RoleProcess.class.getName());
            command.add("--role");
            command.add(role);
            command.add("--aeron-dir");
            command.add(aeronDir);
            command.add("--idle");
            command.add(settings.idleStrategy());
            command.add("--result");
            command.add(resultFile.toString());
            if (role.equals("gateway") || role.equals(FLOOR_ROLE))
            {
                command.add("--hlog");
                command.add(dir.resolve(run + ".hlog").toString());
            }
            for (final Map.Entry<String, String> entry : settings.engineOverrides().entrySet())
            {
                command.add("--set");
                command.add(entry.getKey() + "=" + entry.getValue());
            }
            final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            return new Child(role, process, log, resultFile);
        }

        /** The parent's JVM flags (add-exports, add-opens, -D...), without debugging or agent options. */
        private static List<String> childJvmOptions()
        {
            final List<String> options = new ArrayList<>();
            for (final String option : ManagementFactory.getRuntimeMXBean().getInputArguments())
            {
                if (option.startsWith("-agentlib") || option.startsWith("-javaagent") || option.startsWith("-Xrunjdwp") ||
                    option.startsWith("-Xdebug") || option.startsWith("-XX:Flags") || option.startsWith("-Xmx"))
                {
                    continue;
                }
                options.add(option);
            }
            options.add("-Xmx256m");
            return options;
        }

        void checkAlive()
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("role process " + role + " exited with " + process.exitValue() +
                    ": " + tail());
            }
        }

        Properties awaitResult() throws IOException
        {
            try
            {
                if (!process.waitFor(60, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                    throw new IllegalStateException("role process " + role + " did not stop within 60 s");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            if (!Files.exists(resultFile))
            {
                throw new IllegalStateException("role process " + role + " wrote no result: " + tail());
            }
            final Properties properties = new Properties();
            try (var in = Files.newBufferedReader(resultFile, StandardCharsets.UTF_8))
            {
                properties.load(in);
            }
            return properties;
        }

        String tail()
        {
            try
            {
                final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        void destroy()
        {
            if (process.isAlive())
            {
                process.destroy();
                try
                {
                    if (!process.waitFor(10, TimeUnit.SECONDS))
                    {
                        process.destroyForcibly();
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }
    }
}
