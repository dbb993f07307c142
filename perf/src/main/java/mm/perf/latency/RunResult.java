package mm.perf.latency;

import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What one timed run measured: a pipeline run (tick-to-order) or a transport-floor run (one bare hop). */
public final class RunResult
{
    public static final String PIPELINE = "pipeline";
    public static final String FLOOR = "floor";

    public final String kind;
    public final Shape shape;
    /** The feed format of a pipeline run; null for the floor. */
    public final EndlessRecording.Format format;
    public Histogram latencyNs;
    public Path hlog;
    /** Venue frames (floor: messages) whose intended send time lay in the measured window. */
    public long framesMeasured;
    /** Market-data events published for those frames (pipeline). */
    public long eventsMeasured;
    /** Order actions seen, and those after the first of their event (a requote cancels and places several levels). */
    public long actions;
    public long followUps;
    /** Actions whose time could not be an intended send time (should be 0). */
    public long outOfRange;
    /** Bytes allocated by the pipeline's threads during the measured window; -1 when not measured. */
    public long allocatedBytes = -1;
    public String allocationThreads = "";
    /** How late the load generator handled each measured frame (pipeline, in-process feed). */
    public Histogram feedLagNs;
    public String threads = "";
    /** True for the extra run with async-profiler attached: its latency is perturbed and not compared. */
    public boolean profiled;
    public String error;
    public final List<String> notes = new ArrayList<>();

    public RunResult(final String kind, final Shape shape, final EndlessRecording.Format format)
    {
        this.kind = kind;
        this.shape = shape;
        this.format = format;
    }

    /** A label such as {@code composite json} or {@code threaded floor}. */
    public String label()
    {
        return shape.cliName() + " " + (format == null ? "floor" : format.name().toLowerCase(java.util.Locale.ROOT)) +
            (profiled ? " (profiled)" : "");
    }

    /** Measured events per latency sample: how many market-data events led to a measured order. */
    public long samples()
    {
        return latencyNs == null ? 0 : latencyNs.getTotalCount();
    }

    /** Bytes allocated per million venue frames, or -1. */
    public double bytesPerMillionFrames()
    {
        return allocatedBytes < 0 || framesMeasured == 0 ? -1 : allocatedBytes * 1e6 / framesMeasured;
    }
}
