package mm.perf.latency;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One latency harness run: which shapes and feed formats, the load (frames per second of venue frames), how
 * long to warm up and to measure each, the agents' idle strategy, engine overrides, and where files go.
 *
 * @param burstFrames  frames sent as fast as the pipeline takes them before the paced load: JIT warm-up.
 * @param profileShape the shape whose first format's pipeline run gets async-profiler attached, or null.
 * @param profileEvent the async-profiler event (e.g. {@code alloc}), or null for cpu with its fallbacks.
 */
public record LatencySettings(
    List<Shape> shapes,
    List<EndlessRecording.Format> formats,
    long framesPerSecond,
    long burstFrames,
    long warmupMs,
    long measureMs,
    String idleStrategy,
    Map<String, String> engineOverrides,
    Path recording,
    Path outputDir,
    Shape profileShape,
    String profileEvent)
{
    public LatencySettings
    {
        if (shapes.isEmpty() || formats.isEmpty())
        {
            throw new IllegalArgumentException("at least one shape and one format");
        }
        if (framesPerSecond < 1 || burstFrames < 0 || warmupMs < 0 || measureMs < 1)
        {
            throw new IllegalArgumentException("rate and measure time must be positive, warm-up not negative");
        }
    }
}
