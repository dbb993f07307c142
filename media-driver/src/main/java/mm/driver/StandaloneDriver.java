package mm.driver;

import io.aeron.driver.MediaDriver;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The media driver as its own process, for deployments where each agent runs in its own JVM (or on its own
 * host) and all of them share one driver folder. Runs until SIGINT or SIGTERM, then closes the driver cleanly.
 * <p>
 * Usage: {@code StandaloneDriver [--config FILE] [key=value ...]}; without {@code driver.dir} the folder is
 * {@link DriverProfile#defaultSharedDir()}, which every client on the host must also use.
 */
public final class StandaloneDriver
{
    private StandaloneDriver()
    {
    }

    public static void main(final String[] args)
    {
        final Config config;
        try
        {
            config = parseArgs(args);
            run(config, System.out);
        }
        catch (final ConfigException ex)
        {
            System.err.println("mm driver: " + ex.getMessage());
            System.exit(2);
        }
    }

    /**
     * Starts the driver with the profile from {@code config}, prints where it runs, blocks until a shutdown
     * signal, then closes it. The launcher ({@code ./mm run --role driver}) calls this.
     */
    public static void run(final Config config, final PrintStream out)
    {
        final DriverProfile profile = DriverProfile.fromConfig(config);
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            MediaDriver driver = start(profile))
        {
            out.println("mm driver running: dir=" + driver.aeronDirectoryName() + " " + profile.describe());
            out.println("mm driver: stop with Ctrl-C or SIGTERM");
            out.flush();
            barrier.await();
            out.println("mm driver: shutting down");
        }
    }

    /**
     * Launches (without blocking) the driver for {@code profile}, in {@link DriverProfile#defaultSharedDir()}
     * when the profile names no folder; the caller closes it.
     */
    public static MediaDriver start(final DriverProfile profile)
    {
        if (profile.aeronDirectoryName() == null)
        {
            profile.aeronDirectoryName(DriverProfile.defaultSharedDir());
        }
        return MediaDriver.launch(profile.newContext());
    }

    /** {@code --config FILE} then {@code key=value} overrides (later wins). */
    static Config parseArgs(final String[] args)
    {
        Path file = null;
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--config".equals(arg))
            {
                if (i + 1 >= args.length)
                {
                    throw new ConfigException("--config", null, "needs a file path");
                }
                file = Path.of(args[++i]);
            }
            else if (arg.indexOf('=') > 0)
            {
                final int eq = arg.indexOf('=');
                overrides.put(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
            }
            else
            {
                throw new ConfigException("(argument)", arg, "must be --config FILE or key=value");
            }
        }
        final Config base = file == null ? Config.empty() : Config.load(file);
        return base.withOverrides(overrides);
    }
}
