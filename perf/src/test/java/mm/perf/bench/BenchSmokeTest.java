package mm.perf.bench;

import org.HdrHistogram.Histogram;
import mm.perf.latency.IntervalLog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench harness end to end in a tiny configuration (not a measurement): one JMH benchmark in this JVM, the
 * latency harness in all three deployment shapes for a few thousand frames each (role processes included), the
 * allocation check, a profiled run with its flame graph, and the report; then the report opened in headless
 * Chromium, whose rendering must show
 * the latency plot. Without Chromium that test is skipped, saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchSmokeTest
{
    private static final String[] CHROMIUM = {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"};

    @TempDir
    static Path tmp;

    private Path out;
    private String console;
    private int status;

    @BeforeAll
    void runTheHarness()
    {
        out = tmp.resolve("bench-report");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            status = BenchMain.run(new String[]{"smoke", "--out", out.toString(), "--rate", "5000",
                "--formats", "json", "--shapes", "composite,threaded,process", "--profile"}, print);
        }
        console = bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyPartRanAndTheReportHoldsItsFigures() throws IOException
    {
        assertEquals(0, status, console);
        final String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("\"format\": \"mm-bench-report/1\""), json);
        assertTrue(json.contains("\"benchmark\": \"mm.perf.KiteDecodeBenchmark.ours\""), "a JMH result: " + json);
        assertTrue(json.contains("\"cpuModel\""), "the machine is described");
        assertTrue(json.contains("\"governor\""), "the governor is described");
        for (final String run : List.of("composite-floor", "composite-json", "threaded-floor", "threaded-json",
            "process-floor", "process-json"))
        {
            final Histogram histogram = IntervalLog.read(out.resolve("latency").resolve(run + ".hlog"));
            assertTrue(histogram.getTotalCount() > 0, run + " recorded latencies\n" + console);
        }
        assertTrue(json.contains("\"allocationCheck\""), json);
        assertTrue(json.contains("\"p99OverFloorP99\""), "pipeline runs are compared with their floor");
        for (final String target : List.of("Kite full-packet decode", "pipeline p99 vs transport floor p99, process json",
            "end-to-end allocation, whole pipeline, json feed", "0 B/op on every hot path"))
        {
            assertTrue(json.contains(target), target + " evaluated: " + json);
        }
        final String html = Files.readString(out.resolve("report.html"));
        // async-profiler on request: a flame graph (cpu, itimer or wall, whichever the kernel allows), or why not
        assertTrue(html.contains("<svg class=\"flame\"") || json.contains("\"profile\": \"async-profiler"),
            "a flame graph or the reason there is none: " + json);
        assertTrue(html.contains("<svg id=\"latency-plot\""), "the plot is inline");
        assertTrue(polylinePoints(html) >= 6, "every run has a curve");
        assertTrue(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"),
            "self-contained: nothing loaded from anywhere");
    }

    @Test
    void chromiumRendersTheLatencyPlot() throws Exception
    {
        final String chromium = chromium();
        Assumptions.assumeTrue(chromium != null,
            "Chromium is not installed (Debian package 'chromium'): the report's rendering is not checked");
        final Path report = out.resolve("report.html");
        final Path profile = tmp.resolve("chromium-profile");

        final String dom = runChromium(chromium, profile, "--dump-dom", report.toUri().toString());
        assertTrue(dom.contains("id=\"latency-plot\""), "the DOM Chromium built holds the plot:\n" + head(dom));
        assertTrue(polylinePoints(dom) >= 6, "with a curve per run");

        final Path png = tmp.resolve("report.png");
        runChromium(chromium, profile, "--screenshot=" + png, "--window-size=1300,1400", report.toUri().toString());
        final BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null && image.getWidth() > 0, "a screenshot was written");
        // the curves' colours (first two series: blue, red) must be on screen in quantity
        int coloured = 0;
        for (int y = 0; y < image.getHeight(); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                final int rgb = image.getRGB(x, y);
                if (near(rgb, 0x1f77b4) || near(rgb, 0xd62728))
                {
                    coloured++;
                }
            }
        }
        assertTrue(coloured > 300, "plotted curves are visible in the rendering: " + coloured + " pixels");
    }

    private static boolean near(final int rgb, final int target)
    {
        final int dr = ((rgb >> 16) & 0xff) - ((target >> 16) & 0xff);
        final int dg = ((rgb >> 8) & 0xff) - ((target >> 8) & 0xff);
        final int db = (rgb & 0xff) - (target & 0xff);
        return dr * dr + dg * dg + db * db < 40 * 40;
    }

    private static int polylinePoints(final String html)
    {
        final Matcher matcher = Pattern.compile("<polyline[^>]*points=\"([^\"]+)\"").matcher(html);
        int curves = 0;
        while (matcher.find())
        {
            if (matcher.group(1).trim().split("\\s+").length >= 2)
            {
                curves++;
            }
        }
        return curves;
    }

    private static String chromium()
    {
        for (final String candidate : CHROMIUM)
        {
            if (Files.isExecutable(Path.of(candidate)))
            {
                return candidate;
            }
        }
        return null;
    }

    private static String runChromium(final String chromium, final Path profile, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, "--hide-scrollbars"));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        return new String(output, StandardCharsets.UTF_8);
    }

    private static String head(final String text)
    {
        return text.substring(0, Math.min(2000, text.length()));
    }
}
