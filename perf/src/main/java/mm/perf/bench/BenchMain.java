package mm.perf.bench;

import mm.perf.latency.EndlessRecording;
import mm.perf.latency.HandDrivenPipeline;
import mm.perf.latency.LatencyHarness;
import mm.perf.latency.LatencySettings;
import mm.perf.latency.RunResult;
import mm.perf.latency.Shape;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ./mm bench quick|full}: the JMH hot-path benchmarks with their peers, the end-to-end latency harness
 * in every deployment shape with the transport floor, the allocation check, optionally a flame graph, then
 * {@code report.html} and {@code report.json}. Exit status 0 when everything ran (targets met or not), 1 when
 * a benchmark or run failed, 2 on bad arguments.
 */
public final class BenchMain
{
    static final String USAGE = """
        usage: ./mm bench quick|full [options]     (./mm bench [JMH options] runs JMH directly)
          quick          a subset of the JMH benchmarks with short iterations, 3 s warm-up + 5 s per latency run (a few minutes)
          full           every benchmark and parameter with their own iterations, 10 s + 30 s per run, JSON and SBE feeds
        options:
          --out DIR               where report.html, report.json, jmh/ and latency/ go (default perf/target/bench-report)
          --profile [SHAPE]       attach async-profiler to that shape's pipeline run (default composite): flame graph
          --profile-event EVENT   async-profiler event instead of cpu/itimer/wall, e.g. alloc (what allocates)
          --profile-jmh           async-profiler on every JMH benchmark too: flame graphs in jmh-profiles/
          --rate N                venue frames per second sent by the load generator (default 10000)
          --burst N               frames sent unpaced before each latency run, for the JIT (quick 300000, full 1000000)
          --warmup-ms N           paced warm-up of each latency run
          --measure-ms N          measured window of each latency run
          --shapes LIST           composite,threaded,process (default all three)
          --formats LIST          json,sbe (quick: json; full: json,sbe)
          --idle NAME             agents' idle strategy: yielding (default), backoff, busy-spin, no-op, sleeping
          --recording FILE        hftbacktest-format Binance spot recording (default the bundled one)
          --set KEY=VALUE         engine setting for the latency runs (e.g. gateway.venue=observe-only)
          --only REGEX            run only the JMH benchmarks whose class[.method] matches
          --allocation-frames N   frames measured by the allocation check (quick 1000000, full 5000000)
          --allocation-warmup N   frames before it, to reach steady state (quick 1000000, full 2000000)
          --no-jmh | --no-latency | --no-allocation   leave that part out
        """;

    private BenchMain()
    {
    }

    public static void main(final String[] args)
    {
        final int status;
        try
        {
            status = run(args, System.out);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("mm bench: " + ex.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.exit(status);
    }

    /** Runs the bench; returns the exit status. */
    public static int run(final String[] args, final PrintStream out)
    {
        if (args.length == 0)
        {
            throw new IllegalArgumentException("quick, full (or smoke) expected");
        }
        for (final String arg : args)
        {
            if (arg.equals("--help") || arg.equals("-h"))
            {
                out.print(USAGE);
                return 0;
            }
        }
        final String mode = args[0];
        final JmhSuite.Level level = switch (mode)
        {
            case "quick" -> JmhSuite.Level.QUICK;
            case "full" -> JmhSuite.Level.FULL;
            case "smoke" -> JmhSuite.Level.SMOKE;
            default -> throw new IllegalArgumentException("unknown mode '" + mode + "'");
        };
        final Path home = Path.of(System.getProperty("mm.home", ".")).toAbsolutePath().normalize();
        Path outDir = home.resolve("perf/target/bench-report");
        Shape profileShape = null;
        String profileEvent = null;
        long rate = 10_000;
        long burstFrames = level == JmhSuite.Level.FULL ? 1_000_000 : level == JmhSuite.Level.QUICK ? 300_000 : 20_000;
        long warmupMs = level == JmhSuite.Level.FULL ? 10_000 : level == JmhSuite.Level.QUICK ? 3_000 : 300;
        long measureMs = level == JmhSuite.Level.FULL ? 30_000 : level == JmhSuite.Level.QUICK ? 5_000 : 700;
        List<Shape> shapes = List.of(Shape.COMPOSITE, Shape.THREADED, Shape.PROCESS);
        List<EndlessRecording.Format> formats = level == JmhSuite.Level.FULL ?
            List.of(EndlessRecording.Format.JSON, EndlessRecording.Format.SBE) : List.of(EndlessRecording.Format.JSON);
        String idle = "yielding";
        Path recording = home.resolve("data/binance-spot-btcusdt-20240808-excerpt.jsonl.gz");
        final Map<String, String> overrides = new LinkedHashMap<>();
        Pattern only = null;
        boolean jmh = true;
        boolean profileJmh = false;
        boolean latency = true;
        boolean allocation = true;
        long allocationWarmup = level == JmhSuite.Level.FULL ? 2_000_000 : level == JmhSuite.Level.QUICK ? 1_000_000 : 20_000;
        long allocationFrames = level == JmhSuite.Level.FULL ? 5_000_000 : level == JmhSuite.Level.QUICK ? 1_000_000 : 20_000;
        for (int i = 1; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--out" -> outDir = home.resolve(value(args, ++i, arg));
                case "--profile" ->
                {
                    profileShape = Shape.COMPOSITE;
                    if (i + 1 < args.length && !args[i + 1].startsWith("--"))
                    {
                        profileShape = Shape.byName(args[++i]);
                    }
                }
                case "--profile-event" -> profileEvent = value(args, ++i, arg);
                case "--profile-jmh" -> profileJmh = true;
                case "--rate" -> rate = positive(value(args, ++i, arg), arg);
                case "--burst" -> burstFrames = Long.parseLong(value(args, ++i, arg));
                case "--warmup-ms" -> warmupMs = Long.parseLong(value(args, ++i, arg));
                case "--measure-ms" -> measureMs = positive(value(args, ++i, arg), arg);
                case "--shapes" ->
                {
                    final List<Shape> list = new ArrayList<>();
                    for (final String name : value(args, ++i, arg).split(","))
                    {
                        list.add(Shape.byName(name.trim()));
                    }
                    shapes = list;
                }
                case "--formats" ->
                {
                    final List<EndlessRecording.Format> list = new ArrayList<>();
                    for (final String name : value(args, ++i, arg).split(","))
                    {
                        list.add(EndlessRecording.Format.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                    }
                    formats = list;
                }
                case "--idle" -> idle = value(args, ++i, arg);
                case "--recording" -> recording = home.resolve(value(args, ++i, arg));
                case "--set" ->
                {
                    final String pair = value(args, ++i, arg);
                    final int eq = pair.indexOf('=');
                    if (eq <= 0)
                    {
                        throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + pair + "'");
                    }
                    overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                case "--only" -> only = Pattern.compile(value(args, ++i, arg));
                case "--no-jmh" -> jmh = false;
                case "--no-latency" -> latency = false;
                case "--no-allocation" -> allocation = false;
                case "--allocation-frames" -> allocationFrames = positive(value(args, ++i, arg), arg);
                case "--allocation-warmup" -> allocationWarmup = Long.parseLong(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        mm.common.agent.IdleStrategies.byName("--idle", idle);

        final BenchReport report = new BenchReport();
        report.mode = mode;
        report.command = "./mm bench " + String.join(" ", args);
        report.startedAtMs = System.currentTimeMillis();
        report.loadAverageStart = MachineInfo.loadAverage();
        report.machine = MachineInfo.describe();
        out.println("bench: " + report.command + " -> " + outDir);
        out.println("bench: machine " + report.machine.get("cpuModel") + ", " + report.machine.get("logicalCpus") +
            " CPUs, load average " + report.loadAverageStart);
        int status = 0;

        if (jmh)
        {
            final List<JmhSuite.Spec> specs = new ArrayList<>();
            for (final JmhSuite.Spec spec : JmhSuite.specs(level))
            {
                if (only == null || only.matcher(spec.name()).find())
                {
                    specs.add(spec);
                }
            }
            Path asyncProfilerLib = null;
            if (profileJmh)
            {
                asyncProfilerLib = mm.perf.latency.FlameProfiler.extractLibrary(outDir.resolve("async-profiler"));
                if (asyncProfilerLib == null)
                {
                    report.notes.add("--profile-jmh: no async-profiler library for this platform in the jar");
                }
            }
            report.jmh = JmhSuite.run(level, specs, outDir, out, asyncProfilerLib);
            if (JmhSuite.ignoredLock())
            {
                report.notes.add("another JMH run held the machine's JMH lock for 15 minutes; ours ran alongside it");
            }
            if (!report.jmh.failures().isEmpty())
            {
                status = 1;
            }
        }
        if (latency)
        {
            final LatencySettings settings = new LatencySettings(shapes, formats, rate, burstFrames, warmupMs, measureMs, idle,
                overrides, recording, outDir, profileShape, profileEvent);
            final LatencyHarness harness = new LatencyHarness(settings, out);
            report.latencySettings = settings;
            report.engineConfig = harness.config().canonicalText();
            report.runs = harness.runAll();
            report.profile = harness.profileResult();
            if (profileShape != null && report.profile == null)
            {
                report.profileNote = "async-profiler was asked for but did not produce a profile (see the console)";
            }
            for (final RunResult run : report.runs)
            {
                if (run.error != null)
                {
                    status = 1;
                }
            }
        }
        if (allocation)
        {
            report.allocationWarmupFrames = allocationWarmup;
            for (final EndlessRecording.Format format : formats)
            {
                out.printf("bench: allocation check %s: %,d frames of warm-up, then %,d frames on one thread%n",
                    format.name().toLowerCase(Locale.ROOT), allocationWarmup, allocationFrames);
                try
                {
                    final HandDrivenPipeline.Allocation result =
                        HandDrivenPipeline.check(recording, format, overrides, allocationWarmup, allocationFrames);
                    report.allocations.add(result);
                    out.printf(Locale.ROOT, "bench: allocation check %s: %,d B over %,d frames (%,.1f B per million), " +
                            "%,.0f ns per frame%n", format.name().toLowerCase(Locale.ROOT), result.bytes(), result.frames(),
                        result.bytesPerMillionFrames(), result.nsPerFrame());
                }
                catch (final RuntimeException ex)
                {
                    report.notes.add("allocation check " + format + " failed: " + ex);
                    out.println("bench: allocation check failed: " + ex);
                    status = 1;
                }
            }
        }
        report.targets = Targets.evaluate(report.jmh.rows(), report.runs, report.allocations);
        report.finishedAtMs = System.currentTimeMillis();
        report.loadAverageEnd = MachineInfo.loadAverage();
        final Path html = report.write(outDir);
        out.println("bench: targets");
        for (final Targets.Target target : report.targets)
        {
            out.printf("bench:   %-7s %s: %s%s%n", target.status(), target.name(), target.measured(),
                target.shortfall().isEmpty() ? "" : " (" + target.shortfall() + ")");
        }
        out.println("bench: report " + html + " and " + outDir.resolve("report.json"));
        return status;
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long positive(final String text, final String option)
    {
        final long value = Long.parseLong(text);
        if (value < 1)
        {
            throw new IllegalArgumentException(option + " must be positive: " + text);
        }
        return value;
    }
}
