package mm.perf.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One latency series: the recorder the measuring agent writes to (allocation-free, single writer), an HdrHistogram
 * log file of interval histograms taken by a reader thread, and the total over the run.
 */
public final class IntervalLog implements AutoCloseable
{
    /** Latencies are recorded in nanoseconds up to a minute, to 3 significant digits. */
    public static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final HistogramLogWriter writer;
    private Histogram interval;

    /** @param file the HdrHistogram log to write ({@code .hlog}); its folder is created. */
    public IntervalLog(final Path file, final String comment)
    {
        try
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = new HistogramLogWriter(file.toFile());
        }
        catch (final FileNotFoundException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final java.io.IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final long nowMs = System.currentTimeMillis();
        writer.outputComment(comment + " (values in ns)");
        writer.outputLogFormatVersion();
        writer.outputStartTime(nowMs);
        writer.setBaseTime(nowMs);
        writer.outputLegend();
    }

    public SingleWriterRecorder recorder()
    {
        return recorder;
    }

    /** Takes what was recorded since the last call as one interval of the log. Reader thread only. */
    public void tick()
    {
        interval = recorder.getIntervalHistogram(interval);
        if (interval.getTotalCount() > 0)
        {
            writer.outputIntervalHistogram(interval);
            total.add(interval);
        }
    }

    /** Everything recorded so far (after a final {@link #tick()}). */
    public Histogram total()
    {
        return total;
    }

    public void close()
    {
        tick();
        writer.close();
    }

    /** Reads a log written by another process back into one histogram. */
    public static Histogram read(final Path file)
    {
        final Histogram sum = new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        try
        {
            final HistogramLogReader reader = new HistogramLogReader(file.toFile());
            while (reader.hasNext())
            {
                final var interval = reader.nextIntervalHistogram();
                if (interval instanceof Histogram histogram)
                {
                    sum.add(histogram);
                }
            }
            reader.close();
        }
        catch (final FileNotFoundException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return sum;
    }
}
