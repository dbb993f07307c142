package mm.perf.bench;

import mm.perf.latency.FlameProfiler;
import mm.perf.latency.HandDrivenPipeline;
import mm.perf.latency.LatencySettings;
import mm.perf.latency.RunResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one {@code ./mm bench} run measured, written as {@code report.json} (every figure) and a
 * self-contained {@code report.html} (inline SVG latency percentile plot, tables, flame graph, machine): no
 * script, style sheet or image is loaded from anywhere.
 */
public final class BenchReport
{
    public static final String FORMAT = "mm-bench-report/1";
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22"};

    /** Frames that start an agent's work in a stack: the flame graph of the engine's own work starts there. */
    static final String[] AGENT_WORK_FRAMES = {"CompositeAgent.doWork", "PacedFeedAgent.doWork", "QuotingAgent.doWork",
        "RiskAgent.doWork", "GatewayAgent.doWork", "ActionProbe.doWork"};

    public String mode;
    public String command;
    public long startedAtMs;
    public long finishedAtMs;
    public String loadAverageStart;
    public String loadAverageEnd;
    public Map<String, String> machine;
    public JmhSuite.Outcome jmh = new JmhSuite.Outcome(List.of(), List.of(), List.of());
    public LatencySettings latencySettings;
    public String engineConfig = "";
    public List<RunResult> runs = new ArrayList<>();
    public List<HandDrivenPipeline.Allocation> allocations = new ArrayList<>();
    public long allocationWarmupFrames;
    public FlameProfiler.Result profile;
    public String profileNote;
    public List<Targets.Target> targets = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();

    /** Writes {@code report.json} and {@code report.html} into {@code dir}; returns the HTML file. */
    public Path write(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.json"), json(dir).toString(), StandardCharsets.UTF_8);
            final Path html = dir.resolve("report.html");
            Files.writeString(html, html(dir), StandardCharsets.UTF_8);
            return html;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    // ---------------------------------------------------------------- JSON

    Json.Obj json(final Path dir)
    {
        final Json.Obj root = Json.obj()
            .put("format", FORMAT)
            .put("mode", mode)
            .put("command", command)
            .put("startedAt", java.time.Instant.ofEpochMilli(startedAtMs).toString())
            .put("finishedAt", java.time.Instant.ofEpochMilli(finishedAtMs).toString())
            .put("durationSeconds", (finishedAtMs - startedAtMs) / 1000.0)
            .put("loadAverageAtStart", loadAverageStart)
            .put("loadAverageAtEnd", loadAverageEnd);
        final Json.Obj machineJson = Json.obj();
        machine.forEach(machineJson::put);
        root.put("machine", machineJson);

        final Json.Arr targetsJson = Json.arr();
        for (final Targets.Target target : targets)
        {
            targetsJson.add(Json.obj().put("name", target.name()).put("rule", target.rule())
                .put("measured", target.measured()).put("value", target.value()).put("status", target.status())
                .put("conclusive", target.conclusive())
                .put("shortfall", target.shortfall()));
        }
        root.put("targets", targetsJson);

        final Json.Arr benchmarks = Json.arr();
        for (final JmhSuite.Row row : jmh.rows())
        {
            final Json.Obj params = Json.obj();
            row.params().forEach(params::put);
            benchmarks.add(Json.obj().put("benchmark", row.benchmark()).put("params", params).put("role", row.role())
                .put("score", row.score()).put("scoreError", row.error()).put("unit", row.unit())
                .put("bytesPerOp", row.bytesPerOp()).put("bytesPerOpError", row.bytesPerOpError())
                .put("threadBytesPerOp", row.threadBytesPerOp())
                .put("samples", row.samples()));
        }
        final Json.Arr failures = Json.arr();
        jmh.failures().forEach(failures::add);
        final Json.Arr missing = Json.arr();
        jmh.missing().forEach(missing::add);
        root.put("jmh", Json.obj().put("results", benchmarks).put("failures", failures).put("missing", missing));

        final Json.Obj latency = Json.obj();
        if (latencySettings != null)
        {
            final Json.Arr shapes = Json.arr();
            latencySettings.shapes().forEach(shape -> shapes.add(shape.cliName()));
            final Json.Arr formats = Json.arr();
            latencySettings.formats().forEach(format -> formats.add(format.name().toLowerCase(Locale.ROOT)));
            latency.put("settings", Json.obj()
                .put("framesPerSecond", latencySettings.framesPerSecond())
                .put("warmupMs", latencySettings.warmupMs())
                .put("measureMs", latencySettings.measureMs())
                .put("idleStrategy", latencySettings.idleStrategy())
                .put("driverProfile", "small-host (one shared driver thread, backoff idle)")
                .put("shapes", shapes).put("formats", formats)
                .put("recording", latencySettings.recording().toString())
                .put("engineConfig", engineConfig));
        }
        final Json.Arr runsJson = Json.arr();
        for (final RunResult run : runs)
        {
            final Json.Obj runJson = Json.obj()
                .put("kind", run.kind)
                .put("shape", run.shape.cliName())
                .put("format", run.format == null ? null : run.format.name().toLowerCase(Locale.ROOT))
                .put("threads", run.threads)
                .put("profiled", run.profiled)
                .put("framesMeasured", run.framesMeasured)
                .put("eventsMeasured", run.eventsMeasured)
                .put("samples", run.samples())
                .put("actions", run.actions)
                .put("followUpActions", run.followUps)
                .put("outOfRange", run.outOfRange)
                .put("latencyNs", histogramJson(run.latencyNs))
                .put("hlog", run.hlog == null ? null : relative(dir, run.hlog))
                .put("allocatedBytes", run.allocatedBytes)
                .put("allocationThreads", run.allocationThreads)
                .put("bytesPerMillionEvents", run.bytesPerMillionFrames())
                .put("feedLagNs", histogramJson(run.feedLagNs))
                .put("error", run.error);
            final RunResult floor = Targets.floorOf(runs, run);
            if (run.kind.equals(RunResult.PIPELINE) && floor != null && floor.samples() > 0 && run.samples() > 0)
            {
                runJson.put("p99OverFloorP99",
                    run.latencyNs.getValueAtPercentile(99) / (double)floor.latencyNs.getValueAtPercentile(99));
            }
            final Json.Arr notesJson = Json.arr();
            run.notes.forEach(notesJson::add);
            runJson.put("notes", notesJson);
            runsJson.add(runJson);
        }
        latency.put("runs", runsJson);
        root.put("latency", latency);

        final Json.Arr allocationJson = Json.arr();
        for (final HandDrivenPipeline.Allocation allocation : allocations)
        {
            allocationJson.add(Json.obj()
                .put("format", allocation.format().name().toLowerCase(Locale.ROOT))
                .put("warmupFrames", allocationWarmupFrames)
                .put("frames", allocation.frames())
                .put("marketDataEvents", allocation.marketDataEvents())
                .put("orderActions", allocation.actions())
                .put("allocatedBytes", allocation.bytes())
                .put("bytesPerMillionEvents", allocation.bytesPerMillionFrames())
                .put("nsPerFrame", allocation.nsPerFrame()));
        }
        root.put("allocationCheck", allocationJson);

        if (profile != null)
        {
            final Json.Arr fallbacks = Json.arr();
            profile.fallbacks().forEach(fallbacks::add);
            root.put("profile", Json.obj().put("event", profile.event()).put("fallbacks", fallbacks)
                .put("samples", profile.samples()).put("flameGraphHtml", relative(dir, profile.html()))
                .put("collapsedStacks", relative(dir, profile.collapsed())));
        }
        else
        {
            root.put("profile", profileNote);
        }
        final Json.Arr notesJson = Json.arr();
        notes.forEach(notesJson::add);
        root.put("notes", notesJson);
        return root;
    }

    private static Object histogramJson(final Histogram histogram)
    {
        if (histogram == null || histogram.getTotalCount() == 0)
        {
            return null;
        }
        final Json.Obj percentiles = Json.obj();
        for (final double p : PERCENTILES)
        {
            percentiles.put(percentileKey(p), histogram.getValueAtPercentile(p));
        }
        final Json.Arr curve = Json.arr();
        for (final double[] point : curve(histogram))
        {
            curve.add(Json.arr().add(point[0]).add(point[1]));
        }
        return Json.obj()
            .put("count", histogram.getTotalCount())
            .put("min", histogram.getMinValue())
            .put("mean", histogram.getMean())
            .put("percentiles", percentiles)
            .put("max", histogram.getMaxValue())
            .put("percentileCurve", curve);
    }

    static String percentileKey(final double p)
    {
        return "p" + (p == Math.rint(p) ? Long.toString((long)p) : Double.toString(p));
    }

    /** (percentile, value ns) points of the percentile distribution, ending at the maximum (percentile 100). */
    static List<double[]> curve(final Histogram histogram)
    {
        final List<double[]> points = new ArrayList<>();
        for (final HistogramIterationValue value : histogram.percentiles(5))
        {
            final double p = value.getPercentileLevelIteratedTo();
            if (p >= 100.0)
            {
                break;
            }
            points.add(new double[]{p, histogram.highestEquivalentValue(value.getValueIteratedTo())});
        }
        points.add(new double[]{100.0, histogram.getMaxValue()});
        return points;
    }

    private static String relative(final Path dir, final Path file)
    {
        try
        {
            return dir.toAbsolutePath().relativize(file.toAbsolutePath()).toString();
        }
        catch (final IllegalArgumentException ex)
        {
            return file.toString();
        }
    }

    // ---------------------------------------------------------------- HTML

    String html(final Path dir)
    {
        final StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
            .append("<title>mm bench ").append(esc(mode)).append("</title>\n<style>\n")
            .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1250px}\n")
            .append("h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}\n")
            .append("table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}\n")
            .append("th{background:#f3f3f3}td.l,th.l{text-align:left}.met{background:#e3f6e3}.missed{background:#fbe3e3}.nm{background:#f3f3f3}\n")
            .append("code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}pre{background:#f7f7f7;padding:8px;overflow-x:auto}\n")
            .append("svg text{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}.flame text{font-size:10px}\n")
            .append(".small{font-size:12px;color:#555}\n</style></head><body>\n");
        html.append("<h1>mm bench ").append(esc(mode)).append("</h1>\n<p>Command: <code>").append(esc(command))
            .append("</code><br>Started ").append(esc(java.time.Instant.ofEpochMilli(startedAtMs).toString()))
            .append(", took ").append(String.format(Locale.ROOT, "%.0f s", (finishedAtMs - startedAtMs) / 1000.0))
            .append(". Load average (1, 5, 15 min) at start ").append(esc(loadAverageStart)).append(", at end ")
            .append(esc(loadAverageEnd)).append(". Every figure is also in <code>report.json</code>.</p>\n");

        html.append("<h2 id=\"targets\">Targets</h2>\n<table><tr><th class=\"l\">target</th><th class=\"l\">rule</th>" +
            "<th class=\"l\">measured</th><th class=\"l\">status</th><th class=\"l\">shortfall</th></tr>\n");
        for (final Targets.Target target : targets)
        {
            final String css = target.met() == null || !target.conclusive() ? "nm" : target.met() ? "met" : "missed";
            html.append("<tr class=\"").append(css).append("\"><td class=\"l\">").append(esc(target.name()))
                .append("</td><td class=\"l\">").append(esc(target.rule())).append("</td><td class=\"l\">")
                .append(esc(target.measured())).append("</td><td class=\"l\">").append(target.status())
                .append("</td><td class=\"l\">").append(esc(target.shortfall())).append("</td></tr>\n");
        }
        html.append("</table>\n<p class=\"small\">Speed-ups are the ratio of two JMH scores of this run; CI is the range " +
            "the ratio takes when each score moves within its 99.9% confidence interval (JMH's ±). A target whose " +
            "range crosses the bound is not conclusive (grey): re-measure on a quieter machine. Latency ratios " +
            "compare the pipeline's p99 with the p99 of the bare IPC hop measured in the same shape and run.</p>\n");

        latencySection(html, dir);
        allocationSection(html);
        jmhSection(html);
        profileSection(html, dir);
        machineSection(html);
        if (!notes.isEmpty())
        {
            html.append("<h2>Notes</h2><ul>");
            for (final String note : notes)
            {
                html.append("<li>").append(esc(note)).append("</li>");
            }
            html.append("</ul>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private void latencySection(final StringBuilder html, final Path dir)
    {
        html.append("<h2 id=\"latency\">Tick-to-order latency</h2>\n");
        if (latencySettings == null || runs.isEmpty())
        {
            html.append("<p>Not measured in this run.</p>\n");
            return;
        }
        html.append("<p>Recorded Binance frames sent at ").append(String.format(Locale.ROOT, "%,d", latencySettings.framesPerSecond()))
            .append(" frames/s (fixed rate), latency from each frame's <em>intended</em> send time (coordinated-omission " +
                "correct) to the gateway's first order action for the event, read on the gateway's thread. ")
            .append(latencySettings.warmupMs()).append(" ms warm-up, ").append(latencySettings.measureMs())
            .append(" ms measured per run; idle strategy <code>").append(esc(latencySettings.idleStrategy()))
            .append("</code>; embedded media driver, small-host profile. The floor is one bare Aeron IPC hop of ")
            .append("376 bytes at the same rate in the same thread layout.</p>\n");
        html.append(percentilePlot());
        html.append("<table><tr><th class=\"l\">run</th><th class=\"l\">threads</th><th>samples</th>");
        for (final double p : PERCENTILES)
        {
            html.append("<th>").append(percentileKey(p)).append(" µs</th>");
        }
        html.append("<th>max µs</th><th>p99 / floor p99</th><th>events</th><th>B per million events</th>" +
            "<th>feed lag p99 µs</th><th class=\"l\">HdrHistogram log</th><th class=\"l\">notes</th></tr>\n");
        for (final RunResult run : runs)
        {
            html.append("<tr><td class=\"l\">").append(esc(run.label())).append("</td><td class=\"l\">")
                .append(esc(run.threads)).append("</td><td>").append(String.format(Locale.ROOT, "%,d", run.samples()))
                .append("</td>");
            for (final double p : PERCENTILES)
            {
                html.append("<td>").append(micros(run.latencyNs, p)).append("</td>");
            }
            html.append("<td>").append(micros(run.latencyNs, 100)).append("</td><td>");
            final RunResult floor = Targets.floorOf(runs, run);
            if (run.kind.equals(RunResult.PIPELINE) && floor != null && floor.samples() > 0 && run.samples() > 0)
            {
                html.append(String.format(Locale.ROOT, "%.2f×",
                    run.latencyNs.getValueAtPercentile(99) / (double)floor.latencyNs.getValueAtPercentile(99)));
            }
            html.append("</td><td>").append(String.format(Locale.ROOT, "%,d", run.framesMeasured)).append("</td><td>")
                .append(run.bytesPerMillionFrames() < 0 ? "" : String.format(Locale.ROOT, "%,.0f", run.bytesPerMillionFrames()))
                .append("</td><td>").append(micros(run.feedLagNs, 99)).append("</td><td class=\"l\">")
                .append(run.hlog == null ? "" : "<code>" + esc(relative(dir, run.hlog)) + "</code>")
                .append("</td><td class=\"l\">");
            final List<String> notesOfRun = new ArrayList<>(run.notes);
            if (run.error != null)
            {
                notesOfRun.add("error: " + run.error);
            }
            if (run.kind.equals(RunResult.PIPELINE))
            {
                notesOfRun.add(String.format(Locale.ROOT, "%,d market-data events, %,d order actions (%,d after the first of their event)",
                    run.eventsMeasured, run.actions, run.followUps));
            }
            html.append(esc(String.join("; ", notesOfRun))).append("</td></tr>\n");
        }
        html.append("</table>\n<p class=\"small\">events: venue frames whose intended send time lay in the measured " +
            "window; samples: those events that led to an order action (a book update that moved the quotes). B per " +
            "million events: bytes allocated by the pipeline's threads during the window, per million frames. Feed " +
            "lag: how late the load generator finished decoding and publishing a frame, the part of the latency " +
            "before the first hop.</p>\n");
        html.append("<details><summary>engine configuration of the latency runs</summary><pre>")
            .append(esc(engineConfig)).append("</pre></details>\n");
    }

    /** The percentile distribution of every run, log-log: x is 1/(1 - percentile), y is latency in µs. */
    String percentilePlot()
    {
        final int width = 960;
        final int height = 440;
        final int left = 70;
        final int right = 220;
        final int top = 20;
        final int bottom = 50;
        long maxCount = 1;
        double minValue = Double.MAX_VALUE;
        double maxValue = 0;
        final List<RunResult> plotted = new ArrayList<>();
        for (final RunResult run : runs)
        {
            if (run.samples() > 0 && !run.profiled)
            {
                plotted.add(run);
                maxCount = Math.max(maxCount, run.samples());
                minValue = Math.min(minValue, Math.max(1, run.latencyNs.getValueAtPercentile(0)));
                maxValue = Math.max(maxValue, run.latencyNs.getMaxValue());
            }
        }
        final StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"latency-plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
            .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
            .append("\" role=\"img\" aria-label=\"latency percentile distribution\">\n")
            .append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
            .append("\" fill=\"#ffffff\"/>\n");
        if (plotted.isEmpty())
        {
            return svg.append("<text x=\"20\" y=\"40\">no latency samples</text></svg>\n").toString();
        }
        final double xMax = Math.max(2, Math.min(6, Math.ceil(Math.log10(maxCount))));
        final double yMin = Math.floor(Math.log10(minValue / 1e3));
        final double yMax = Math.max(yMin + 1, Math.ceil(Math.log10(maxValue / 1e3)));
        final double plotWidth = width - left - right;
        final double plotHeight = height - top - bottom;
        // grid and axes
        for (int i = 0; i <= (int)xMax; i++)
        {
            final double x = left + plotWidth * i / xMax;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>" +
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, top, x, top + plotHeight, x,
                top + plotHeight + 16, xLabel(i)));
        }
        for (int e = (int)yMin; e <= (int)yMax; e++)
        {
            final double y = top + plotHeight * (1 - (e - yMin) / (yMax - yMin));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>" +
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", left, y, left + plotWidth, y, left - 6, y + 4,
                yLabel(e)));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" " +
            "stroke=\"#888\"/>\n", left, top, plotWidth, plotHeight));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">percentile</text>\n",
            left + plotWidth / 2, height - 10));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" " +
            "text-anchor=\"middle\">latency (µs, log scale)</text>\n", top + plotHeight / 2, top + plotHeight / 2));
        for (int r = 0; r < plotted.size(); r++)
        {
            final RunResult run = plotted.get(r);
            final String color = COLORS[r % COLORS.length];
            final StringBuilder points = new StringBuilder();
            for (final double[] point : curve(run.latencyNs))
            {
                final double xValue = point[0] >= 100.0 ? xMax : Math.min(xMax, Math.log10(100.0 / (100.0 - point[0])));
                final double yValue = Math.log10(Math.max(point[1], 1) / 1e3);
                final double x = left + plotWidth * xValue / xMax;
                final double y = top + plotHeight * (1 - (Math.max(yMin, yValue) - yMin) / (yMax - yMin));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            final boolean floor = run.kind.equals(RunResult.FLOOR);
            svg.append("<polyline class=\"series\" data-run=\"").append(esc(run.label())).append("\" fill=\"none\" stroke=\"")
                .append(color).append("\" stroke-width=\"2\"").append(floor ? " stroke-dasharray=\"6 4\"" : "")
                .append(" points=\"").append(points.toString().trim()).append("\"/>\n");
            final double legendY = top + 14 + r * 18;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" " +
                    "stroke-width=\"2\"%s/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n", left + plotWidth + 12, legendY,
                left + plotWidth + 40, legendY, color, floor ? " stroke-dasharray=\"6 4\"" : "", left + plotWidth + 46,
                legendY + 4, esc(run.label())));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String xLabel(final int i)
    {
        return switch (i)
        {
            case 0 -> "0%";
            case 1 -> "90%";
            case 2 -> "99%";
            case 3 -> "99.9%";
            case 4 -> "99.99%";
            case 5 -> "99.999%";
            default -> "99.9999%";
        };
    }

    private static String yLabel(final int exponent)
    {
        final double micros = Math.pow(10, exponent);
        return micros >= 1 ? String.format(Locale.ROOT, "%,.0f", micros) : String.format(Locale.ROOT, "%s", micros);
    }

    private void allocationSection(final StringBuilder html)
    {
        html.append("<h2 id=\"allocation\">Allocation check of the whole pipeline</h2>\n");
        if (allocations.isEmpty())
        {
            html.append("<p>Not run.</p>\n");
            return;
        }
        html.append("<p>The latency runs' engine on one thread, driven by hand as fast as it goes (feed decode + book " +
            "sync + publish, quoting, risk, gateway, ORDER_ACTIONS over a real embedded driver): after ")
            .append(String.format(Locale.ROOT, "%,d", allocationWarmupFrames))
            .append(" frames of warm-up, the bytes the thread allocated over the frames below (events = venue frames).</p>\n")
            .append("<table><tr><th class=\"l\">feed</th><th>events</th><th>market-data events</th><th>order actions</th>" +
                "<th>bytes allocated</th><th>B per million events</th><th>ns per event (whole pipeline)</th></tr>\n");
        for (final HandDrivenPipeline.Allocation allocation : allocations)
        {
            html.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%,d</td><td>%,d</td><td>%,d</td>" +
                    "<td>%,d</td><td>%,.1f</td><td>%,.0f</td></tr>\n", allocation.format().name().toLowerCase(Locale.ROOT),
                allocation.frames(), allocation.marketDataEvents(), allocation.actions(), allocation.bytes(),
                allocation.bytesPerMillionFrames(), allocation.nsPerFrame()));
        }
        html.append("</table>\n");
    }

    private void jmhSection(final StringBuilder html)
    {
        html.append("<h2 id=\"jmh\">Hot paths (JMH, <code>-prof gc</code>)</h2>\n");
        if (jmh.rows().isEmpty() && jmh.failures().isEmpty() && jmh.missing().isEmpty())
        {
            html.append("<p>Not run.</p>\n");
            return;
        }
        html.append("<table><tr><th class=\"l\">benchmark</th><th class=\"l\">params</th><th class=\"l\">role</th>" +
            "<th>score</th><th>±</th><th class=\"l\">unit</th><th>B/op (JVM)</th><th>B/op (thread)</th></tr>\n");
        for (final JmhSuite.Row row : jmh.rows())
        {
            html.append("<tr><td class=\"l\">").append(esc(row.className() + "." + row.method())).append("</td><td class=\"l\">")
                .append(esc(row.paramText())).append("</td><td class=\"l\">").append(esc(row.role())).append("</td><td>")
                .append(String.format(Locale.ROOT, "%,.1f", row.score())).append("</td><td>")
                .append(Double.isNaN(row.error()) ? "" : String.format(Locale.ROOT, "%,.1f", row.error())).append("</td><td class=\"l\">")
                .append(esc(row.unit())).append("</td><td>")
                .append(Double.isNaN(row.bytesPerOp()) ? "?" : String.format(Locale.ROOT, "%,.3f", row.bytesPerOp()))
                .append("</td><td>")
                .append(Double.isNaN(row.threadBytesPerOp()) ? "" : String.format(Locale.ROOT, "%,.4f", row.threadBytesPerOp()))
                .append("</td></tr>\n");
        }
        html.append("</table>\n");
        if (!jmh.missing().isEmpty())
        {
            html.append("<p>Not in this build:</p><ul>");
            for (final String missing : jmh.missing())
            {
                html.append("<li>").append(esc(missing)).append("</li>");
            }
            html.append("</ul>\n");
        }
        if (!jmh.failures().isEmpty())
        {
            html.append("<p>Failed:</p><ul>");
            for (final String failure : jmh.failures())
            {
                html.append("<li>").append(esc(failure)).append("</li>");
            }
            html.append("</ul>\n");
        }
        html.append("<p class=\"small\">B/op (JVM): JMH's gc profiler, the whole JVM's allocation per op (JMH's own " +
            "threads and, where a benchmark embeds a media driver, its conductor included); B/op (thread): what the " +
            "benchmark thread itself allocated over the measured iterations, where the benchmark records it. Role " +
            "<em>ours</em>: an engine hot path, must allocate nothing (below 1 B/op is " +
            "JMH's own bookkeeping spread over the ops); <em>peer</em>: another implementation on the same bytes; " +
            "<em>diagnostic</em>: ours but not per message (the 1000-level REST snapshot). Raw JMH output and JSON " +
            "per benchmark are in <code>jmh/</code>.</p>\n");
    }

    private void profileSection(final StringBuilder html, final Path dir)
    {
        html.append("<h2 id=\"profile\">Flame graph</h2>\n");
        if (profile == null)
        {
            html.append("<p>").append(esc(profileNote == null ?
                "No profile in this run (ask for one with --profile)." : profileNote)).append("</p>\n");
            return;
        }
        html.append("<p>async-profiler, event <code>").append(esc(profile.event())).append("</code>");
        if (!profile.fallbacks().isEmpty())
        {
            html.append(" (").append(esc(String.join("; ", profile.fallbacks()))).append(")");
        }
        html.append(String.format(Locale.ROOT, ", %,d samples, over the measured window of the profiled run. " +
            "Interactive version: <code>%s</code>.</p>\n", profile.samples(), esc(relative(dir, profile.html()))));
        try
        {
            final String collapsed = Files.readString(profile.collapsed(), StandardCharsets.UTF_8);
            html.append("<p>The engine's own work: stacks through an agent's <code>doWork</code> (feed, quoting, risk, " +
                "gateway, probe), the idle strategy left out.</p>\n");
            html.append(FlameGraphSvg.render(collapsed, "agents' doWork", AGENT_WORK_FRAMES, "agents' doWork"));
            html.append("<p>Every thread of the harness JVM (idle strategy, media driver, JIT and GC included).</p>\n");
            html.append(FlameGraphSvg.render(collapsed, "all threads of the harness JVM"));
        }
        catch (final IOException ex)
        {
            html.append("<p>collapsed stacks unreadable: ").append(esc(ex.toString())).append("</p>");
        }
    }

    private void machineSection(final StringBuilder html)
    {
        html.append("<h2 id=\"machine\">Machine</h2>\n<table>");
        for (final Map.Entry<String, String> entry : machine.entrySet())
        {
            html.append("<tr><th class=\"l\">").append(esc(entry.getKey())).append("</th><td class=\"l\">")
                .append(esc(entry.getValue())).append("</td></tr>");
        }
        html.append("<tr><th class=\"l\">load average at start / end</th><td class=\"l\">").append(esc(loadAverageStart))
            .append(" / ").append(esc(loadAverageEnd)).append("</td></tr></table>\n");
    }

    private static String micros(final Histogram histogram, final double percentile)
    {
        if (histogram == null || histogram.getTotalCount() == 0)
        {
            return "";
        }
        final long ns = percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, ns < 10_000 ? "%,.2f" : "%,.1f", ns / 1e3);
    }

    static String esc(final String text)
    {
        return text == null ? "" : FlameGraphSvg.escape(text);
    }
}
