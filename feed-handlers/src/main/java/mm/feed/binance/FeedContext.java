package mm.feed.binance;

import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.config.Config;
import mm.common.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the Binance recording feed ({@code feed.*} keys): which recorded files to replay, in order,
 * for which instrument, how fast, and how many book levels to publish.
 */
public final class FeedContext
{
    public static final int MAX_BOOK_DEPTH = 20;

    private final List<Path> files = new ArrayList<>();
    private Instrument instrument;
    private double speed = 1.0;
    private int bookDepth = 10;

    public static FeedContext fromConfig(final Config config, final InstrumentRegistry registry, final Path home)
    {
        final FeedContext context = new FeedContext();
        final String recording = config.requiredString("feed.recording");
        for (final String part : recording.split(","))
        {
            final Path path = Path.of(part.trim());
            final Path file = path.isAbsolute() ? path : home.resolve(path).normalize();
            if (!Files.isReadable(file))
            {
                throw new ConfigException("feed.recording", part.trim(), "must name readable recording files (looked at " + file + ")");
            }
            context.files.add(file);
        }
        final int instrumentId = config.intValue("feed.instrument", 1, 1, Integer.MAX_VALUE);
        final Instrument instrument = registry.get(instrumentId);
        if (instrument == null)
        {
            throw new ConfigException("feed.instrument", String.valueOf(instrumentId), "must be an id from instrument.<id>.*");
        }
        if (!instrument.venue().name().startsWith("BINANCE"))
        {
            throw new ConfigException("feed.instrument", String.valueOf(instrumentId), "must be a Binance instrument for the Binance feed");
        }
        context.instrument = instrument;
        final String speedText = config.string("feed.speed", "1");
        try
        {
            context.speed = Double.parseDouble(speedText);
        }
        catch (final NumberFormatException ex)
        {
            context.speed = -1;
        }
        if (!(context.speed >= 0) || Double.isInfinite(context.speed))
        {
            throw new ConfigException("feed.speed", speedText, "must be a number >= 0 (0: as fast as possible, 1: real time)");
        }
        context.bookDepth = config.intValue("feed.bookDepth", 10, 1, MAX_BOOK_DEPTH);
        return context;
    }

    public FeedContext files(final List<Path> files)
    {
        this.files.clear();
        this.files.addAll(files);
        return this;
    }

    public FeedContext instrument(final Instrument instrument)
    {
        this.instrument = instrument;
        return this;
    }

    public FeedContext speed(final double speed)
    {
        this.speed = speed;
        return this;
    }

    public FeedContext bookDepth(final int bookDepth)
    {
        this.bookDepth = bookDepth;
        return this;
    }

    public List<Path> files()
    {
        return files;
    }

    public Instrument instrument()
    {
        return instrument;
    }

    /** Replay speed as a multiple of recorded time; 0 replays as fast as consumers take it. */
    public double speed()
    {
        return speed;
    }

    public int bookDepth()
    {
        return bookDepth;
    }
}
