package mm.perf.bench;

import mm.perf.latency.HandDrivenPipeline;
import mm.perf.latency.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets, evaluated on figures of one run: decode speed against the peers measured on the same
 * bytes, SBE against JSON, pipeline p99 against the transport floor of the same shape, and allocation. A
 * target whose figures are missing is "not measured", never "met".
 */
public final class Targets
{
    /** B/op below this is JMH's own bookkeeping spread over the ops: nothing is allocated per op. */
    public static final double ZERO_BYTES_PER_OP = 1.0;
    public static final double END_TO_END_BYTES_PER_MILLION = 1024;
    public static final double REPLAY_EVENTS_PER_SECOND = 1_000_000;
    public static final double BACKTEST_EVENTS_PER_SECOND = 250_000;
    /** Records the deciding agents consume between a book and the order it causes (non-lockstep pipeline). */
    public static final int TEED_RECORDS_PER_ORDER = 5;

    private Targets()
    {
    }

    /**
     * One target.
     *
     * @param met      true, false, or null when a figure is missing.
     * @param value    the measured ratio or amount (NaN when missing).
     * @param shortfall how far from the target, in words, when missed.
     */
    public record Target(
        String name, String rule, String measured, double value, Boolean met, String shortfall, boolean conclusive)
    {
        public Target(final String name, final String rule, final String measured, final double value, final Boolean met,
            final String shortfall)
        {
            this(name, rule, measured, value, met, shortfall, true);
        }

        /**
         * met / missed by the measured figures; "not conclusive" when the scores' 99.9% confidence intervals
         * (JMH's ±) allow the other answer too.
         */
        public String status()
        {
            return met == null ? "not measured" : (met ? "met" : "missed") + (conclusive ? "" : ", not conclusive");
        }
    }

    public static List<Target> evaluate(
        final List<JmhSuite.Row> rows, final List<RunResult> runs, final List<HandDrivenPipeline.Allocation> allocations)
    {
        final List<Target> targets = new ArrayList<>();
        targets.add(speedup("Kite full-packet decode vs the official Java client",
            find(rows, "KiteDecodeBenchmark", "official", "message", "full"),
            find(rows, "KiteDecodeBenchmark", "ours", "message", "full"), 20,
            "KiteDecodeBenchmark.official / .ours (message=full)"));
        targets.add(speedup("JSON depth diff + book vs Jackson + TreeMap<BigDecimal, BigDecimal>",
            find(rows, "BookBaselineBenchmark", "jacksonTreeMap"), find(rows, "BookBaselineBenchmark", "ours"), 10,
            "BookBaselineBenchmark.jacksonTreeMap / .ours"));
        targets.add(speedup("SBE path vs our JSON path (decode + book apply per recorded frame)",
            find(rows, "BookSyncBenchmark", "onMessage", "kind", "all"), find(rows, "SbeFeedBenchmark", "decodeAndApply"), 3,
            "BookSyncBenchmark.onMessage(kind=all) / SbeFeedBenchmark.decodeAndApply"));
        for (final RunResult run : runs)
        {
            if (!run.kind.equals(RunResult.PIPELINE) || run.profiled)
            {
                continue;
            }
            final RunResult floor = floorOf(runs, run);
            final String name = "pipeline p99 vs transport floor p99, " + run.label();
            if (floor == null || run.samples() == 0 || floor.samples() == 0)
            {
                targets.add(new Target(name, "≤ 2×", "no samples", Double.NaN, null, ""));
                continue;
            }
            final double pipeline = run.latencyNs.getValueAtPercentile(99);
            final double hop = floor.latencyNs.getValueAtPercentile(99);
            final double ratio = pipeline / hop;
            targets.add(new Target(name, "≤ 2×", String.format(Locale.ROOT, "%.1f µs / %.1f µs = %.2f×",
                pipeline / 1e3, hop / 1e3, ratio), ratio, ratio <= 2.0,
                ratio <= 2.0 ? "" : String.format(Locale.ROOT, "p99 is %.2f× the floor: %.1f µs over the 2× bound",
                    ratio, (pipeline - 2 * hop) / 1e3)));
        }
        targets.add(eventsPerSecond("replay of a journal through quoting, risk and the simulated venue",
            find(rows, "ReplayBenchmark", "replay:events", "threads", "agents", "compare", "digest"),
            REPLAY_EVENTS_PER_SECOND, "ReplayBenchmark.replay:events (threads=agents, compare=digest, as ./mm replay " +
            "does), market-data events of the run a second, every output compared"));
        final JmhSuite.Row backtestLines =
            find(rows, "BacktestBenchmark", "backtest:lines", "journal", "on", "transport", "local", "journalThread", "true");
        targets.add(eventsPerSecond("backtest from the raw gzip JSON recording, decode and journal included",
            find(rows, "BacktestBenchmark", "backtest:events", "journal", "on", "transport", "local", "journalThread", "true"),
            BACKTEST_EVENTS_PER_SECOND, "BacktestBenchmark.backtest:events (journal=on, transport=local, " +
            "journalThread=true, as ./mm backtest does), market-data events published a second" +
            (backtestLines == null ? "" : String.format(Locale.ROOT, "; the recording's lines (venue messages read " +
            "and decoded): %,.0f ± %,.0f a second", backtestLines.score(), err(backtestLines)))));
        targets.add(journalOnHotPath(find(rows, "JournalTeeBenchmark", "consumeOne", "mode", "none"),
            find(rows, "JournalTeeBenchmark", "consumeOne", "mode", "tee"), runs));
        final List<String> allocating = new ArrayList<>();
        int hotPaths = 0;
        for (final JmhSuite.Row row : rows)
        {
            if (!row.role().equals("ours"))
            {
                continue;
            }
            hotPaths++;
            final double bytes = row.hotPathBytesPerOp();
            if (Double.isNaN(bytes) || bytes >= ZERO_BYTES_PER_OP)
            {
                allocating.add(row.className() + "." + row.method() + (row.params().isEmpty() ? "" :
                    "(" + row.paramText() + ")") + " " + (Double.isNaN(bytes) ? "not measured" :
                    String.format(Locale.ROOT, "%.2f B/op", bytes)));
            }
        }
        targets.add(new Target("0 B/op on every hot path (JMH -prof gc; the benchmark thread's own where measured)",
            "< 1 B/op each",
            hotPaths == 0 ? "no hot-path benchmark ran" : (hotPaths - allocating.size()) + " of " + hotPaths + " at 0",
            allocating.size(), hotPaths == 0 ? null : allocating.isEmpty(), String.join("; ", allocating)));
        for (final HandDrivenPipeline.Allocation allocation : allocations)
        {
            final double perMillion = allocation.bytesPerMillionFrames();
            targets.add(new Target("end-to-end allocation, whole pipeline, " +
                allocation.format().name().toLowerCase(Locale.ROOT) + " feed", "< 1 KB per million events",
                String.format(Locale.ROOT, "%,d B over %,d events = %,.1f B per million", allocation.bytes(),
                    allocation.frames(), perMillion), perMillion, perMillion < END_TO_END_BYTES_PER_MILLION,
                perMillion < END_TO_END_BYTES_PER_MILLION ? "" : String.format(Locale.ROOT, "%.1f× the bound",
                    perMillion / END_TO_END_BYTES_PER_MILLION)));
        }
        if (allocations.isEmpty())
        {
            targets.add(new Target("end-to-end allocation, whole pipeline", "< 1 KB per million events",
                "not measured", Double.NaN, null, ""));
        }
        return targets;
    }

    private static Target eventsPerSecond(
        final String name, final JmhSuite.Row row, final double required, final String source)
    {
        final String rule = String.format(Locale.ROOT, "≥ %,.0f events/s", required);
        if (row == null)
        {
            return new Target(name, rule, "not measured (" + source + ")", Double.NaN, null, "");
        }
        final double score = row.score();
        final boolean met = score >= required;
        final boolean conclusive = met ? score - err(row) >= required : score + err(row) < required;
        return new Target(name, rule, String.format(Locale.ROOT, "%,.0f ± %,.0f events/s (%s)", score, err(row), source),
            score, met, met ? "" : String.format(Locale.ROOT, "%.2f× short: %,.0f events/s missing",
                required / score, required - score), conclusive);
    }

    /**
     * The journal's cost on the tick-to-order path: the inbox tee of each record the deciding agents consume on it
     * ({@value #TEED_RECORDS_PER_ORDER}: quoting the book, risk the book and the intent, the gateway the book and the
     * approval), each costing {@code tee - none} of {@code JournalTeeBenchmark}, against the median tick-to-order
     * latency of the composite JSON run. The recorder's appends run on the journal's own thread in the threaded and
     * process shapes and are not counted.
     */
    private static Target journalOnHotPath(final JmhSuite.Row none, final JmhSuite.Row tee, final List<RunResult> runs)
    {
        final String name = "journal (inbox tee) on the hot path vs median tick-to-order latency, composite json";
        final String rule = "≤ 10%";
        RunResult median = null;
        for (final RunResult run : runs)
        {
            if (run.kind.equals(RunResult.PIPELINE) && !run.profiled && run.label().equals("composite json") &&
                run.samples() > 0)
            {
                median = run;
            }
        }
        if (none == null || tee == null || median == null)
        {
            return new Target(name, rule, "not measured (JournalTeeBenchmark none/tee, composite json latency run)",
                Double.NaN, null, "");
        }
        final double perRecordNs = Math.max(0, tee.score() - none.score());
        final double costNs = TEED_RECORDS_PER_ORDER * perRecordNs;
        final double p50Ns = median.latencyNs.getValueAtPercentile(50);
        final double share = costNs / p50Ns;
        return new Target(name, rule, String.format(Locale.ROOT,
            "%d records × (%.0f − %.0f ns) = %.2f µs of a %.1f µs median = %.1f%%", TEED_RECORDS_PER_ORDER, tee.score(),
            none.score(), costNs / 1e3, p50Ns / 1e3, 100 * share), share, share <= 0.10,
            share <= 0.10 ? "" : String.format(Locale.ROOT, "%.1f%% over", 100 * (share - 0.10)));
    }

    private static Target speedup(
        final String name, final JmhSuite.Row slow, final JmhSuite.Row fast, final double required, final String source)
    {
        final String rule = "≥ " + (long)required + "×";
        if (slow == null || fast == null)
        {
            return new Target(name, rule, "not measured (" + source + ")", Double.NaN, null, "");
        }
        final double ratio = slow.score() / fast.score();
        // the ratio's range when each score may be anywhere in its 99.9% confidence interval
        final double low = Math.max(0, slow.score() - err(slow)) / (fast.score() + err(fast));
        final double high = fast.score() - err(fast) <= 0 ? Double.POSITIVE_INFINITY :
            (slow.score() + err(slow)) / (fast.score() - err(fast));
        final boolean met = ratio >= required;
        final boolean conclusive = met ? low >= required : high < required;
        return new Target(name, rule, String.format(Locale.ROOT, "%,.0f ns / %,.0f ns = %.1f× (CI %.1f–%s×; %s)",
            slow.score(), fast.score(), ratio, low, Double.isInfinite(high) ? "∞" : String.format(Locale.ROOT, "%.1f", high),
            source), ratio, met,
            met ? "" : String.format(Locale.ROOT, "%.1f× short: ours would need to be %.0f ns (%.0f%% faster)",
                required / ratio, slow.score() / required, 100 * (1 - slow.score() / required / fast.score())),
            conclusive);
    }

    private static double err(final JmhSuite.Row row)
    {
        return Double.isNaN(row.error()) ? 0 : row.error();
    }

    static JmhSuite.Row find(final List<JmhSuite.Row> rows, final String className, final String method,
        final String... keyValues)
    {
        for (final JmhSuite.Row row : rows)
        {
            if (row.is(className, method, keyValues))
            {
                return row;
            }
        }
        return null;
    }

    static RunResult floorOf(final List<RunResult> runs, final RunResult pipeline)
    {
        for (final RunResult run : runs)
        {
            if (run.kind.equals(RunResult.FLOOR) && run.shape == pipeline.shape)
            {
                return run;
            }
        }
        return null;
    }
}
