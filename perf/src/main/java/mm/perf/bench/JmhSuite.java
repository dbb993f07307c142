package mm.perf.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JMH part of {@code ./mm bench quick|full}: which benchmarks (every hot path, and the peers measured on
 * the same bytes), with which parameters and iterations, run through JMH's API with the GC profiler, each
 * benchmark in its own forked JVM. Benchmarks other branches add (the risk guard's {@code RiskBenchmark},
 * the gateway's {@code GatewayBenchmark}) are picked up by name when present and listed as missing otherwise.
 */
public final class JmhSuite
{
    /** quick: short iterations on a subset; full: every parameter with the benchmarks' own iterations. */
    public enum Level
    {
        SMOKE,
        QUICK,
        FULL
    }

    /**
     * One JMH selection.
     *
     * @param className simple class name in {@code mm.perf} (or any package, for benchmarks of other branches).
     * @param method    one benchmark method, or null for all of the class.
     * @param params    parameter values to run, or empty for the class's own.
     * @param role      {@code ours} (a hot path: must be 0 B/op), {@code peer} (another implementation on the
     *                  same bytes) or {@code diagnostic} (ours, not per message: e.g. the REST snapshot).
     * @param origin    where a benchmark that may be absent comes from, or null.
     */
    public record Spec(String className, String method, Map<String, String[]> params, String role, String origin)
    {
        String regex()
        {
            return "\\." + className + "\\." + (method == null ? "" : method + "$");
        }

        String name()
        {
            return className + (method == null ? "" : "." + method);
        }
    }

    /** One JMH result row. */
    public record Row(
        String benchmark,
        String method,
        Map<String, String> params,
        String role,
        double score,
        double error,
        String unit,
        double bytesPerOp,
        double bytesPerOpError,
        long samples,
        double threadBytesPerOp)
    {
        /** The allocation that counts for a hot path: the benchmark thread's own when measured, else JMH's. */
        public double hotPathBytesPerOp()
        {
            return Double.isNaN(threadBytesPerOp) ? bytesPerOp : threadBytesPerOp;
        }

        Row withThreadBytesPerOp(final double value)
        {
            return new Row(benchmark, method, params, role, score, error, unit, bytesPerOp, bytesPerOpError, samples,
                value);
        }

        public String className()
        {
            final String[] parts = benchmark.split("\\.");
            return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
        }

        public String paramText()
        {
            final StringBuilder text = new StringBuilder();
            for (final Map.Entry<String, String> param : params.entrySet())
            {
                text.append(text.isEmpty() ? "" : ", ").append(param.getKey()).append('=').append(param.getValue());
            }
            return text.toString();
        }

        /** True for the row of {@code className.method} with every given parameter value. */
        public boolean is(final String className, final String method, final String... keyValues)
        {
            if (!className().equals(className) || !this.method.equals(method))
            {
                return false;
            }
            for (int i = 0; i + 1 < keyValues.length; i += 2)
            {
                if (!keyValues[i + 1].equals(params.get(keyValues[i])))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /** What a suite run produced: rows, specs that failed, and specs whose benchmark is not in this build. */
    public record Outcome(List<Row> rows, List<String> failures, List<String> missing)
    {
    }

    /**
     * Role of a benchmark whose op is a whole run (a replay, a backtest): measured in events a second from its JMH
     * aux counters, allowed to allocate per op (building the engine), so not a hot path of the 0 B/op target.
     */
    public static final String THROUGHPUT = "throughput";
    /** JMH aux counters ({@code @AuxCounters}) reported as rows of their own, in their unit a second. */
    private static final List<String> COUNTERS = List.of("events", "lines", "records");

    private JmhSuite()
    {
    }

    public static List<Spec> specs(final Level level)
    {
        final List<Spec> specs = new ArrayList<>();
        if (level == Level.SMOKE)
        {
            specs.add(new Spec("KiteDecodeBenchmark", null, Map.of("message", new String[]{"full"}), "ours", null));
            return specs;
        }
        final boolean full = level == Level.FULL;
        specs.add(new Spec("FeedBenchmark", "decodeMessage", Map.of("kind", full ?
            new String[]{"all", "diff", "trade", "bookTicker"} : new String[]{"all", "diff"}), "ours", null));
        if (full)
        {
            specs.add(new Spec("FeedBenchmark", "decodeMessage", Map.of("kind", new String[]{"snapshot"}),
                "diagnostic", null));
        }
        specs.add(new Spec("FeedBenchmark", "applyLevelUpdate", Map.of(), "ours", null));
        specs.add(new Spec("BookSyncBenchmark", "onMessage", Map.of("kind", new String[]{"all", "diff"}), "ours", null));
        if (full)
        {
            specs.add(new Spec("BookSyncBenchmark", "onMessage", Map.of("kind", new String[]{"snapshot"}),
                "diagnostic", null));
        }
        specs.add(new Spec("BookBaselineBenchmark", "ours", Map.of(), "ours", null));
        specs.add(new Spec("BookBaselineBenchmark", "jacksonTreeMap", Map.of(), "peer", null));
        specs.add(new Spec("SbeFeedBenchmark", null, Map.of(), "ours", null));
        final String[] kiteMessages = full ? new String[]{"full", "fourPackets"} : new String[]{"full"};
        specs.add(new Spec("KiteDecodeBenchmark", "ours", Map.of("message", kiteMessages), "ours", null));
        specs.add(new Spec("KiteDecodeBenchmark", "official", Map.of("message", kiteMessages), "peer", null));
        specs.add(new Spec("QuotingBenchmark", null, full ? Map.of() :
            Map.of("model", new String[]{"avellaneda-stoikov"}, "levels", new String[]{"1"}), "ours", null));
        specs.add(new Spec("JournalTeeBenchmark", null, full ? Map.of() :
            Map.of("mode", new String[]{"none", "tee", "teeAndJournal"}), "ours", null));
        specs.add(new Spec("PipelineBenchmark", null, Map.of(), "ours", null));
        specs.add(new Spec("BinanceOrderEncodeBenchmark", full ? null : "placeInLoggedOnSession", Map.of(), "ours", null));
        specs.add(new Spec("RiskBenchmark", null, Map.of(), "ours", "the risk-guard branch (pure risk core)"));
        specs.add(new Spec("GatewayBenchmark", null, Map.of(), "ours", "the order-gateway branch (diff + encode)"));
        if (full)
        {
            // whole runs (issue: replay >= 1M events/s, backtest >= 250k events/s): one op is a whole replay or
            // backtest; their scores in events a second are the rows "replay:events" and "backtest:events"
            specs.add(new Spec("ReplayBenchmark", null, Map.of(), THROUGHPUT, null));
            specs.add(new Spec("BacktestBenchmark", null, Map.of("transport", new String[]{"local"}), THROUGHPUT, null));
            // the same engine over the driver, as ./mm backtest ran before the in-process transport
            specs.add(new Spec("BacktestBenchmark", null,
                Map.of("transport", new String[]{"aeron"}, "journal", new String[]{"on"}), "baseline", null));
            // simdjson-java on the same depth diffs (the design decision it informed is in docs/measurements.md;
            // every kind: ./mm bench JsonParserBenchmark -prof gc)
            specs.add(new Spec("JsonParserBenchmark", "ours", Map.of("kind", new String[]{"diff"}), "ours", null));
            specs.add(new Spec("JsonParserBenchmark", "simdjson.*", Map.of("kind", new String[]{"diff"}), "peer", null));
        }
        return specs;
    }

    /** Runs every spec (each in its own JMH run, output in {@code dir/jmh}); a failing spec does not stop the rest. */
    public static Outcome run(final Level level, final List<Spec> specs, final Path dir, final PrintStream out)
    {
        return run(level, specs, dir, out, null);
    }

    /**
     * As {@link #run(Level, List, Path, PrintStream)}, with JMH's async-profiler integration on every benchmark
     * when {@code asyncProfilerLib} is given: flame graphs and collapsed stacks under {@code dir/jmh-profiles}.
     */
    public static Outcome run(
        final Level level, final List<Spec> specs, final Path dir, final PrintStream out, final Path asyncProfilerLib)
    {
        final List<Row> rows = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        final Path jmhDir = dir.resolve("jmh");
        try
        {
            Files.createDirectories(jmhDir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final BenchmarkList list = BenchmarkList.defaultList();
        int index = 0;
        for (final Spec spec : specs)
        {
            index++;
            final var found = list.find(OutputFormatFactory.createFormatInstance(out, VerboseMode.SILENT),
                List.of(spec.regex()), List.of());
            if (found.isEmpty())
            {
                missing.add(spec.name() + (spec.origin() != null ? ": comes with " + spec.origin() +
                    ", not in this build" : ": not in this build"));
                out.printf("bench: [%d/%d] %s: not in this build%n", index, specs.size(), spec.name());
                continue;
            }
            out.printf("bench: [%d/%d] JMH %s %s (%d benchmark%s)%n", index, specs.size(), spec.name(),
                paramsText(spec.params()), found.size() * combinations(spec.params()), found.size() > 1 ? "s" : "");
            final String fileName =
                String.format(Locale.ROOT, "%02d-%s", index, spec.name().replaceAll("[^A-Za-z0-9._-]", "_"));
            final Path threadAllocationFile = jmhDir.resolve(fileName + ".thread-allocation.tsv");
            try
            {
                Files.deleteIfExists(threadAllocationFile);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            System.setProperty(mm.perf.ThreadAllocation.FILE_PROPERTY, threadAllocationFile.toString());
            final ChainedOptionsBuilder options = new OptionsBuilder()
                .include(spec.regex())
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .output(jmhDir.resolve(fileName + ".log").toString())
                .result(jmhDir.resolve(fileName + ".json").toString())
                .resultFormat(ResultFormatType.JSON)
                .jvmArgsAppend("-D" + mm.perf.ThreadAllocation.FILE_PROPERTY + "=" + threadAllocationFile);
            if (asyncProfilerLib != null)
            {
                options.addProfiler(org.openjdk.jmh.profile.AsyncProfiler.class, "libPath=" + asyncProfilerLib +
                    ";event=" + profileEvent(asyncProfilerLib) + ";interval=1000000;output=flamegraph,collapsed;dir=" +
                    dir.resolve("jmh-profiles").resolve(fileName));
            }
            for (final Map.Entry<String, String[]> param : spec.params().entrySet())
            {
                options.param(param.getKey(), param.getValue());
            }
            switch (level)
            {
                case SMOKE -> options.forks(0).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
                case QUICK -> options.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
                default ->
                {
                    // the benchmark's own @Warmup/@Measurement/@Fork
                }
            }
            try
            {
                for (final RunResult result : runWhenLockFree(options, out))
                {
                    for (final Row counter : counterRows(result, spec.role()))
                    {
                        rows.add(counter);
                        out.printf(Locale.ROOT, "bench:     %s%s: %,.0f ± %,.0f %s%n", counter.method(),
                            counter.params().isEmpty() ? "" : " (" + counter.paramText() + ")", counter.score(),
                            counter.error(), counter.unit());
                    }
                    Row row = row(result, spec.role());
                    final double[] measured = threadAllocation(threadAllocationFile)
                        .get(row.className() + "." + row.method() + "\t" + row.paramText());
                    if (measured != null && measured[1] > 0)
                    {
                        row = row.withThreadBytesPerOp(measured[0] / measured[1]);
                    }
                    rows.add(row);
                    out.printf(Locale.ROOT, "bench:     %s%s: %.1f ± %.1f %s, %s B/op%s%n", row.method(),
                        row.params().isEmpty() ? "" : " (" + row.paramText() + ")", row.score(), row.error(),
                        row.unit(), Double.isNaN(row.bytesPerOp()) ? "?" : String.format(Locale.ROOT, "%.3f", row.bytesPerOp()),
                        Double.isNaN(row.threadBytesPerOp()) ? "" :
                            String.format(Locale.ROOT, " (benchmark thread: %.4f B/op)", row.threadBytesPerOp()));
                }
            }
            catch (final RunnerException | RuntimeException ex)
            {
                failures.add(spec.name() + ": " + ex.getMessage() + " (see jmh/" + fileName + ".log)");
                out.printf("bench:     %s failed: %s (see %s)%n", spec.name(), ex.getMessage(),
                    jmhDir.resolve(fileName + ".log"));
            }
        }
        return new Outcome(rows, failures, missing);
    }

    /**
     * JMH lets one run at a time hold {@code /tmp/jmh.lock} per machine, so benchmarks of others sharing it do
     * not disturb each other. Waits for the lock (up to {@value #LOCK_WAIT_MS} ms over the whole suite), then
     * runs regardless, saying so.
     */
    private static java.util.Collection<RunResult> runWhenLockFree(final ChainedOptionsBuilder options,
        final PrintStream out) throws RunnerException
    {
        while (true)
        {
            try
            {
                return new Runner(options.build()).run();
            }
            catch (final RunnerException ex)
            {
                if (String.valueOf(ex.getMessage()).contains("JMH lock") && lockWaitedMs < LOCK_WAIT_MS)
                {
                    out.println("bench:     another JMH run holds the machine's JMH lock: waiting");
                    try
                    {
                        Thread.sleep(LOCK_POLL_MS);
                    }
                    catch (final InterruptedException interrupted)
                    {
                        Thread.currentThread().interrupt();
                        throw ex;
                    }
                    lockWaitedMs += LOCK_POLL_MS;
                    if (lockWaitedMs >= LOCK_WAIT_MS)
                    {
                        out.println("bench:     still locked after " + LOCK_WAIT_MS / 1000 + " s: running anyway " +
                            "(-Djmh.ignoreLock=true); another benchmark shares the machine");
                        System.setProperty("jmh.ignoreLock", "true");
                        ignoredLock = true;
                    }
                    continue;
                }
                throw ex;
            }
        }
    }

    /**
     * cpu where perf events are open to this user (root, or perf_event_paranoid at most 1), else itimer. Not
     * probed by loading the library here: JMH's profiler loads it in the host JVM too, and a native library
     * loads once per JVM.
     */
    private static String profileEvent(final Path asyncProfilerLib)
    {
        if (profileEvent == null)
        {
            int paranoid = 2;
            try
            {
                paranoid = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).trim());
            }
            catch (final IOException | NumberFormatException ex)
            {
                // not Linux, or not readable: assume the default
            }
            profileEvent = "root".equals(System.getProperty("user.name")) || paranoid <= 1 ? "cpu" : "itimer";
        }
        return profileEvent;
    }

    private static String profileEvent;
    private static final long LOCK_WAIT_MS = 15 * 60_000;
    private static final long LOCK_POLL_MS = 5_000;
    private static long lockWaitedMs;
    private static boolean ignoredLock;

    /** True when the suite ran while another JMH run held the machine's lock. */
    public static boolean ignoredLock()
    {
        return ignoredLock;
    }

    private static Row row(final RunResult result, final String role)
    {
        final var params = result.getParams();
        final String benchmark = params.getBenchmark();
        final Map<String, String> values = new TreeMap<>();
        for (final Object key : params.getParamsKeys())
        {
            values.put((String)key, params.getParam((String)key));
        }
        double bytes = Double.NaN;
        double bytesError = Double.NaN;
        for (final Map.Entry<String, Result<?>> secondary : secondaries(result).entrySet())
        {
            if (secondary.getKey().endsWith("gc.alloc.rate.norm"))
            {
                bytes = secondary.getValue().getScore();
                bytesError = secondary.getValue().getScoreError();
            }
        }
        final Result<?> primary = result.getPrimaryResult();
        return new Row(benchmark, benchmark.substring(benchmark.lastIndexOf('.') + 1), values, role,
            primary.getScore(), primary.getScoreError(), primary.getScoreUnit(), bytes, bytesError,
            primary.getSampleCount(), Double.NaN);
    }

    /** A row per aux counter of {@link #COUNTERS} (method {@code name:counter}, unit e.g. {@code events/s}). */
    private static List<Row> counterRows(final RunResult result, final String role)
    {
        final List<Row> counters = new ArrayList<>();
        final Row primary = row(result, role);
        for (final String counter : COUNTERS)
        {
            final Result<?> secondary = secondaries(result).get(counter);
            if (secondary != null)
            {
                counters.add(new Row(primary.benchmark() + ":" + counter, primary.method() + ":" + counter,
                    primary.params(), role, secondary.getScore(), secondary.getScoreError(),
                    counter + secondary.getScoreUnit().replace("ops", ""), Double.NaN, Double.NaN,
                    secondary.getSampleCount(), Double.NaN));
            }
        }
        return counters;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Result<?>> secondaries(final RunResult result)
    {
        return (Map)result.getSecondaryResults();
    }

    /** {@link mm.perf.ThreadAllocation}'s lines: benchmark + params to {bytes, ops} summed over measured iterations. */
    private static Map<String, double[]> threadAllocation(final Path file)
    {
        final Map<String, double[]> sums = new TreeMap<>();
        if (!Files.exists(file))
        {
            return sums;
        }
        try
        {
            for (final String line : Files.readAllLines(file))
            {
                final String[] fields = line.split("\t");
                if (fields.length == 4)
                {
                    final double[] sum = sums.computeIfAbsent(fields[0] + "\t" + fields[1], key -> new double[2]);
                    sum[0] += Double.parseDouble(fields[2]);
                    sum[1] += Double.parseDouble(fields[3]);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return sums;
    }

    private static int combinations(final Map<String, String[]> params)
    {
        int n = 1;
        for (final String[] values : params.values())
        {
            n *= values.length;
        }
        return n;
    }

    private static String paramsText(final Map<String, String[]> params)
    {
        final Map<String, String> text = new LinkedHashMap<>();
        for (final Map.Entry<String, String[]> param : new TreeMap<>(params).entrySet())
        {
            text.put(param.getKey(), String.join("|", param.getValue()));
        }
        return text.isEmpty() ? "" : text.toString();
    }
}
