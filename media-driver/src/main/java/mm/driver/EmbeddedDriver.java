package mm.driver;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import mm.common.config.Config;
import org.agrona.CloseHelper;

/**
 * A media driver inside this JVM, for the one-process demo and for system tests. Each instance gets its own
 * folder unless the profile names one, so concurrent test JVMs never share (or delete) each other's driver.
 * Clients connect with {@link #clientContext()} or {@link #connectClient()}.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    private final MediaDriver mediaDriver;
    private final DriverProfile profile;

    private EmbeddedDriver(final MediaDriver mediaDriver, final DriverProfile profile)
    {
        this.mediaDriver = mediaDriver;
        this.profile = profile;
    }

    /** Launches with the bundled {@code small-host} profile in a fresh unique folder. */
    public static EmbeddedDriver launch()
    {
        return launch(DriverProfile.named(DriverProfile.SMALL_HOST));
    }

    /** Launches with the profile and overrides named in {@code config} ({@code driver.profile}, {@code driver.dir}...). */
    public static EmbeddedDriver launch(final Config config)
    {
        return launch(DriverProfile.fromConfig(config));
    }

    /** Launches with {@code profile}; when it names no folder a unique one is used (and deleted at close). */
    public static EmbeddedDriver launch(final DriverProfile profile)
    {
        final MediaDriver.Context context = profile.newContext();
        if (profile.aeronDirectoryName() == null)
        {
            context.aeronDirectoryName(DriverProfile.uniqueEmbeddedDir());
        }
        // MediaDriver.launch (not launchEmbedded): launchEmbedded would replace the folder with a random one.
        return new EmbeddedDriver(MediaDriver.launch(context), profile);
    }

    /** The folder clients must name: {@code new Aeron.Context().aeronDirectoryName(dir)}. */
    public String aeronDirectoryName()
    {
        return mediaDriver.aeronDirectoryName();
    }

    /** A client context already pointing at this driver. */
    public Aeron.Context clientContext()
    {
        return new Aeron.Context().aeronDirectoryName(aeronDirectoryName());
    }

    /** Connects a new Aeron client to this driver; the caller closes it before closing the driver. */
    public Aeron connectClient()
    {
        return Aeron.connect(clientContext());
    }

    public DriverProfile profile()
    {
        return profile;
    }

    public MediaDriver mediaDriver()
    {
        return mediaDriver;
    }

    /** Stops the driver's threads and, when the profile says so, deletes its folder. */
    public void close()
    {
        CloseHelper.close(mediaDriver);
    }
}
