package mm.driver;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import mm.common.agent.IdleStrategies;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named set of media driver settings (threading, idle strategies, term and MTU lengths, pre-touching,
 * folder handling), loaded from {@code mm/driver/<name>.properties} and overridable per deployment with
 * {@code driver.<key>} config keys. It is applied to a {@link MediaDriver.Context} through setters, never
 * through global system properties, so several embedded drivers with different settings can live in one JVM.
 * <p>
 * Follows Aeron's context pattern: fluent setters, defaults from one place, every rule checked in
 * {@link #conclude()}, which throws a {@link ConfigException} naming the key, the value and the rule.
 */
public final class DriverProfile
{
    /** Config key naming the profile. */
    public static final String PROFILE_KEY = "driver.profile";
    /** Config key of the driver folder (Aeron directory); clients must use the same value. */
    public static final String DIR_KEY = "driver.dir";
    /** Prefix of config keys overriding single profile values, e.g. {@code driver.ipcTermLength=4m}. */
    public static final String OVERRIDE_PREFIX = "driver.";

    public static final String SMALL_HOST = "small-host";
    public static final String LOW_LATENCY = "low-latency";
    /** Spinning is opt-in: a spinning driver on a small host starves the agents. */
    public static final String DEFAULT_PROFILE = SMALL_HOST;
    public static final List<String> PROFILE_NAMES = List.of(SMALL_HOST, LOW_LATENCY);

    public static final int MIN_TERM_LENGTH = 64 * 1024;
    public static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;
    /** Aeron frames are 32-byte aligned, and a frame needs room for its header and some payload. */
    public static final int FRAME_ALIGNMENT = 32;
    public static final int MIN_MTU_LENGTH = 64;
    /** Largest UDP payload Aeron accepts. */
    public static final int MAX_MTU_LENGTH = 65504;

    /** Every key a profile file or a {@code driver.<key>} override may set. */
    public static final List<String> KEYS = List.of(
        "threadingMode",
        "sharedIdleStrategy",
        "conductorIdleStrategy",
        "senderIdleStrategy",
        "receiverIdleStrategy",
        "ipcTermLength",
        "publicationTermLength",
        "mtuLength",
        "ipcMtuLength",
        "preTouchMappedMemory",
        "socketSndbufLength",
        "socketRcvbufLength",
        "initialWindowLength",
        "dirDeleteOnStart",
        "dirDeleteOnShutdown");

    /** How long a {@link #countersOnly()} driver's idle threads park at most. */
    public static final long COUNTERS_ONLY_MAX_PARK_MS = 20;
    /** A {@link #countersOnly()} driver's timer interval: client and driver liveness still use 10 s timeouts. */
    public static final long COUNTERS_ONLY_TIMER_INTERVAL_MS = 100;

    private static final String THREADING_MODES = "[shared, shared-network, dedicated]";
    private static final AtomicInteger EMBEDDED_DIR_COUNT = new AtomicInteger();

    private final String name;
    private ThreadingMode threadingMode = ThreadingMode.SHARED;
    private String sharedIdleStrategy = "backoff";
    private String conductorIdleStrategy = "backoff";
    private String senderIdleStrategy = "backoff";
    private String receiverIdleStrategy = "backoff";
    private int ipcTermLength = 1024 * 1024;
    private int publicationTermLength = 4 * 1024 * 1024;
    private int mtuLength = 1408;
    private int ipcMtuLength = 1408;
    private boolean preTouchMappedMemory;
    private int socketSndbufLength;
    private int socketRcvbufLength;
    private int initialWindowLength;
    private boolean dirDeleteOnStart = true;
    private boolean dirDeleteOnShutdown = true;
    private String aeronDirectoryName;
    private boolean countersOnly;

    /** A profile with the built-in defaults (those of {@code small-host}). */
    public DriverProfile(final String name)
    {
        this.name = name;
    }

    /**
     * Loads a bundled profile by name.
     *
     * @throws ConfigException naming {@value #PROFILE_KEY} when there is no such profile.
     */
    public static DriverProfile named(final String name)
    {
        if (name == null || !PROFILE_NAMES.contains(name))
        {
            throw new ConfigException(PROFILE_KEY, name, "must be one of " + PROFILE_NAMES);
        }
        final String resource = "mm/driver/" + name + ".properties";
        final Properties properties = new Properties();
        try (InputStream in = DriverProfile.class.getClassLoader().getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException("bundled driver profile missing from the class path: " + resource);
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read bundled driver profile " + resource, ex);
        }

        final DriverProfile profile = new DriverProfile(name);
        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            if (!KEYS.contains(key))
            {
                throw new ConfigException(
                    OVERRIDE_PREFIX + key, properties.getProperty(key), "is not a driver setting (profile " + name + ")");
            }
            profile.set(key, properties.getProperty(key).trim());
        }
        return profile;
    }

    /**
     * The profile named by {@value #PROFILE_KEY} (default {@value #DEFAULT_PROFILE}), with any
     * {@code driver.<key>} overrides and the folder from {@value #DIR_KEY} (left unset when absent, so the
     * embedded and standalone drivers can pick their own default). Validated before it is returned.
     */
    public static DriverProfile fromConfig(final Config config)
    {
        final DriverProfile profile = named(config.string(PROFILE_KEY, DEFAULT_PROFILE));
        for (final String key : KEYS)
        {
            final String value = config.raw(OVERRIDE_PREFIX + key);
            if (value != null && !value.isEmpty())
            {
                profile.set(key, value);
            }
        }
        final String dir = config.raw(DIR_KEY);
        if (dir != null && !dir.isEmpty())
        {
            profile.aeronDirectoryName(dir);
        }
        return profile.conclude();
    }

    /**
     * Sets one value by its profile key, parsing the text.
     *
     * @throws ConfigException naming {@code driver.<key>} when the key is unknown or the text does not parse.
     */
    public DriverProfile set(final String key, final String value)
    {
        final String configKey = OVERRIDE_PREFIX + key;
        switch (key)
        {
            case "threadingMode" -> threadingMode = parseThreadingMode(configKey, value);
            case "sharedIdleStrategy" -> sharedIdleStrategy = value;
            case "conductorIdleStrategy" -> conductorIdleStrategy = value;
            case "senderIdleStrategy" -> senderIdleStrategy = value;
            case "receiverIdleStrategy" -> receiverIdleStrategy = value;
            case "ipcTermLength" -> ipcTermLength = parseLength(configKey, value);
            case "publicationTermLength" -> publicationTermLength = parseLength(configKey, value);
            case "mtuLength" -> mtuLength = parseLength(configKey, value);
            case "ipcMtuLength" -> ipcMtuLength = parseLength(configKey, value);
            case "preTouchMappedMemory" -> preTouchMappedMemory = parseBoolean(configKey, value);
            case "socketSndbufLength" -> socketSndbufLength = parseLength(configKey, value);
            case "socketRcvbufLength" -> socketRcvbufLength = parseLength(configKey, value);
            case "initialWindowLength" -> initialWindowLength = parseLength(configKey, value);
            case "dirDeleteOnStart" -> dirDeleteOnStart = parseBoolean(configKey, value);
            case "dirDeleteOnShutdown" -> dirDeleteOnShutdown = parseBoolean(configKey, value);
            default -> throw new ConfigException(configKey, value, "is not a driver setting; known: " + KEYS);
        }
        return this;
    }

    /**
     * Checks every rule; the first broken one stops start-up with a {@link ConfigException}.
     *
     * @return this, for chaining.
     */
    public DriverProfile conclude()
    {
        if (threadingMode == null)
        {
            throw new ConfigException(OVERRIDE_PREFIX + "threadingMode", null, "must be one of " + THREADING_MODES);
        }
        // Instances are made per context in applyTo (idle strategies carry per-thread state); here only the names.
        IdleStrategies.byName(OVERRIDE_PREFIX + "sharedIdleStrategy", sharedIdleStrategy);
        IdleStrategies.byName(OVERRIDE_PREFIX + "conductorIdleStrategy", conductorIdleStrategy);
        IdleStrategies.byName(OVERRIDE_PREFIX + "senderIdleStrategy", senderIdleStrategy);
        IdleStrategies.byName(OVERRIDE_PREFIX + "receiverIdleStrategy", receiverIdleStrategy);

        checkTermLength("ipcTermLength", ipcTermLength);
        checkTermLength("publicationTermLength", publicationTermLength);
        checkMtuLength("mtuLength", mtuLength);
        checkMtuLength("ipcMtuLength", ipcMtuLength);

        checkOptionalAtLeastMtu("socketSndbufLength", socketSndbufLength);
        checkOptionalAtLeastMtu("socketRcvbufLength", socketRcvbufLength);
        checkOptionalAtLeastMtu("initialWindowLength", initialWindowLength);
        if (initialWindowLength > 0 && socketRcvbufLength > 0 && initialWindowLength > socketRcvbufLength)
        {
            // A window larger than the socket can buffer invites loss under bursts.
            throw new ConfigException(OVERRIDE_PREFIX + "initialWindowLength", String.valueOf(initialWindowLength),
                "must not exceed driver.socketRcvbufLength (" + socketRcvbufLength + ")");
        }

        if (aeronDirectoryName != null)
        {
            if (aeronDirectoryName.isBlank())
            {
                throw new ConfigException(DIR_KEY, aeronDirectoryName, "must be a folder path");
            }
            final Path parent = Path.of(aeronDirectoryName).toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent))
            {
                throw new ConfigException(DIR_KEY, aeronDirectoryName, "must be inside an existing, writable folder");
            }
        }
        return this;
    }

    /**
     * Validates, then copies every setting onto {@code context} (the folder only when one is set here).
     *
     * @return the same context, for chaining.
     */
    public MediaDriver.Context applyTo(final MediaDriver.Context context)
    {
        conclude();
        context
            .threadingMode(threadingMode)
            .sharedIdleStrategy(IdleStrategies.byName(OVERRIDE_PREFIX + "sharedIdleStrategy", sharedIdleStrategy))
            .conductorIdleStrategy(IdleStrategies.byName(OVERRIDE_PREFIX + "conductorIdleStrategy", conductorIdleStrategy))
            .senderIdleStrategy(IdleStrategies.byName(OVERRIDE_PREFIX + "senderIdleStrategy", senderIdleStrategy))
            .receiverIdleStrategy(IdleStrategies.byName(OVERRIDE_PREFIX + "receiverIdleStrategy", receiverIdleStrategy))
            // SHARED_NETWORK runs sender and receiver on one thread: give it the sender's strategy.
            .sharedNetworkIdleStrategy(IdleStrategies.byName(OVERRIDE_PREFIX + "senderIdleStrategy", senderIdleStrategy))
            .ipcTermBufferLength(ipcTermLength)
            .publicationTermBufferLength(publicationTermLength)
            .mtuLength(mtuLength)
            .ipcMtuLength(ipcMtuLength)
            // Aeron 1.51 pre-touches the pages of every term file it creates non-sparse; sparse files are
            // faulted in lazily as they are written.
            .termBufferSparseFile(!preTouchMappedMemory)
            .dirDeleteOnStart(dirDeleteOnStart)
            .dirDeleteOnShutdown(dirDeleteOnShutdown)
            // The folder is ours to recreate; a warning about an old one is noise.
            .warnIfDirectoryExists(!dirDeleteOnStart);
        if (countersOnly)
        {
            context
                .sharedIdleStrategy(countersOnlyIdleStrategy())
                .conductorIdleStrategy(countersOnlyIdleStrategy())
                .senderIdleStrategy(countersOnlyIdleStrategy())
                .receiverIdleStrategy(countersOnlyIdleStrategy())
                .sharedNetworkIdleStrategy(countersOnlyIdleStrategy())
                // the conductor's timer counts as work and would restart the backoff every 1 ms (the default)
                .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(COUNTERS_ONLY_TIMER_INTERVAL_MS))
                .asyncExecutorEnabled(false);
        }
        if (socketSndbufLength > 0)
        {
            context.socketSndbufLength(socketSndbufLength);
        }
        if (socketRcvbufLength > 0)
        {
            context.socketRcvbufLength(socketRcvbufLength);
        }
        if (initialWindowLength > 0)
        {
            context.initialWindowLength(initialWindowLength);
        }
        if (aeronDirectoryName != null)
        {
            context.aeronDirectoryName(aeronDirectoryName);
        }
        return context;
    }

    private static IdleStrategy countersOnlyIdleStrategy()
    {
        // parks grow from 1 µs after each piece of work: a run of requests at start meets short parks
        return new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(COUNTERS_ONLY_MAX_PARK_MS));
    }

    /** A fresh media driver context with this profile applied. */
    public MediaDriver.Context newContext()
    {
        return applyTo(new MediaDriver.Context());
    }

    /** A folder under /dev/shm (or the temp folder where there is none) shared by a host's processes. */
    public static String defaultSharedDir()
    {
        return baseDir().resolve("mm-aeron-" + userName()).toString();
    }

    /** A folder no other driver uses, even from concurrent JVMs: for embedded drivers in tests and demos. */
    public static String uniqueEmbeddedDir()
    {
        return baseDir().resolve("mm-aeron-" + userName() + "-" + ProcessHandle.current().pid() + "-" +
            EMBEDDED_DIR_COUNT.incrementAndGet()).toString();
    }

    /** One line describing the profile, for start-up output. */
    public String describe()
    {
        return "profile=" + name +
            " threading=" + threadingMode.name().toLowerCase(Locale.ROOT) +
            " idle(shared/conductor/sender/receiver)=" + sharedIdleStrategy + "/" + conductorIdleStrategy + "/" +
            senderIdleStrategy + "/" + receiverIdleStrategy +
            " ipcTermLength=" + ipcTermLength +
            " publicationTermLength=" + publicationTermLength +
            " mtuLength=" + mtuLength +
            " ipcMtuLength=" + ipcMtuLength +
            " preTouchMappedMemory=" + preTouchMappedMemory;
    }

    public String name()
    {
        return name;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    public DriverProfile threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    /**
     * Makes this profile (returned for chaining) one for a driver that only hosts counters: an in-process backtest
     * or replay, where no message goes through it and the engine's own threads need the cores. Its threads back
     * off to {@value #COUNTERS_ONLY_MAX_PARK_MS} ms parks when idle, and start over from spinning after each piece
     * of work, so a client's run of requests at start (each 1-2 ms: the client sleeps 1 ms before it looks for a
     * reply) is not slowed; its conductor's timers run every {@value #COUNTERS_ONLY_TIMER_INTERVAL_MS} ms, not
     * every millisecond; it runs no async executor thread (that thread only resolves network names, and parks
     * 100 µs at a time). With 1 ms sleeps the driver's threads still took 5% of a backtest's profile.
     */
    public DriverProfile countersOnly()
    {
        // applyTo puts its idle strategies in place of the named ones
        countersOnly = true;
        return this;
    }

    /** Whether {@link #countersOnly()} was applied. */
    public boolean isCountersOnly()
    {
        return countersOnly;
    }

    public String sharedIdleStrategy()
    {
        return sharedIdleStrategy;
    }

    public DriverProfile sharedIdleStrategy(final String idleStrategyName)
    {
        this.sharedIdleStrategy = idleStrategyName;
        return this;
    }

    public String conductorIdleStrategy()
    {
        return conductorIdleStrategy;
    }

    public DriverProfile conductorIdleStrategy(final String idleStrategyName)
    {
        this.conductorIdleStrategy = idleStrategyName;
        return this;
    }

    public String senderIdleStrategy()
    {
        return senderIdleStrategy;
    }

    public DriverProfile senderIdleStrategy(final String idleStrategyName)
    {
        this.senderIdleStrategy = idleStrategyName;
        return this;
    }

    public String receiverIdleStrategy()
    {
        return receiverIdleStrategy;
    }

    public DriverProfile receiverIdleStrategy(final String idleStrategyName)
    {
        this.receiverIdleStrategy = idleStrategyName;
        return this;
    }

    public int ipcTermLength()
    {
        return ipcTermLength;
    }

    public DriverProfile ipcTermLength(final int lengthBytes)
    {
        this.ipcTermLength = lengthBytes;
        return this;
    }

    public int publicationTermLength()
    {
        return publicationTermLength;
    }

    public DriverProfile publicationTermLength(final int lengthBytes)
    {
        this.publicationTermLength = lengthBytes;
        return this;
    }

    public int mtuLength()
    {
        return mtuLength;
    }

    public DriverProfile mtuLength(final int lengthBytes)
    {
        this.mtuLength = lengthBytes;
        return this;
    }

    public int ipcMtuLength()
    {
        return ipcMtuLength;
    }

    public DriverProfile ipcMtuLength(final int lengthBytes)
    {
        this.ipcMtuLength = lengthBytes;
        return this;
    }

    public boolean preTouchMappedMemory()
    {
        return preTouchMappedMemory;
    }

    public DriverProfile preTouchMappedMemory(final boolean preTouch)
    {
        this.preTouchMappedMemory = preTouch;
        return this;
    }

    public int socketSndbufLength()
    {
        return socketSndbufLength;
    }

    /** 0 leaves the operating system's default. */
    public DriverProfile socketSndbufLength(final int lengthBytes)
    {
        this.socketSndbufLength = lengthBytes;
        return this;
    }

    public int socketRcvbufLength()
    {
        return socketRcvbufLength;
    }

    /** 0 leaves the operating system's default. */
    public DriverProfile socketRcvbufLength(final int lengthBytes)
    {
        this.socketRcvbufLength = lengthBytes;
        return this;
    }

    public int initialWindowLength()
    {
        return initialWindowLength;
    }

    /** 0 leaves Aeron's default receiver window. */
    public DriverProfile initialWindowLength(final int lengthBytes)
    {
        this.initialWindowLength = lengthBytes;
        return this;
    }

    public boolean dirDeleteOnStart()
    {
        return dirDeleteOnStart;
    }

    public DriverProfile dirDeleteOnStart(final boolean delete)
    {
        this.dirDeleteOnStart = delete;
        return this;
    }

    public boolean dirDeleteOnShutdown()
    {
        return dirDeleteOnShutdown;
    }

    public DriverProfile dirDeleteOnShutdown(final boolean delete)
    {
        this.dirDeleteOnShutdown = delete;
        return this;
    }

    /** The driver folder, or null when the caller should choose (embedded: unique; standalone: shared). */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public DriverProfile aeronDirectoryName(final String dir)
    {
        this.aeronDirectoryName = dir;
        return this;
    }

    private static ThreadingMode parseThreadingMode(final String key, final String value)
    {
        return switch (value.trim().toLowerCase(Locale.ROOT).replace('_', '-'))
        {
            case "shared" -> ThreadingMode.SHARED;
            case "shared-network" -> ThreadingMode.SHARED_NETWORK;
            case "dedicated" -> ThreadingMode.DEDICATED;
            // INVOKER would need the embedding code to run the driver's duty cycle: not offered.
            default -> throw new ConfigException(key, value, "must be one of " + THREADING_MODES);
        };
    }

    private static boolean parseBoolean(final String key, final String value)
    {
        if ("true".equalsIgnoreCase(value.trim()))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(value.trim()))
        {
            return false;
        }
        throw new ConfigException(key, value, "must be true or false");
    }

    /** Bytes as a plain number or with a k/m/g suffix (binary multiples): 65536, 64k, 1m. */
    static int parseLength(final String key, final String value)
    {
        final String rule = "must be a length in bytes such as 65536, 64k, 16m or 1g (at most 1g)";
        final String text = value.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (text.isEmpty())
        {
            throw new ConfigException(key, value, rule);
        }
        long multiplier = 1;
        String digits = text;
        switch (text.charAt(text.length() - 1))
        {
            case 'k' -> multiplier = 1024L;
            case 'm' -> multiplier = 1024L * 1024;
            case 'g' -> multiplier = 1024L * 1024 * 1024;
            default ->
            {
            }
        }
        if (multiplier != 1)
        {
            digits = text.substring(0, text.length() - 1);
        }
        final long number;
        try
        {
            number = Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(key, value, rule);
        }
        if (number < 0 || number > MAX_TERM_LENGTH / multiplier)
        {
            throw new ConfigException(key, value, rule);
        }
        return (int)(number * multiplier);
    }

    private static void checkTermLength(final String key, final int length)
    {
        if (length < MIN_TERM_LENGTH || length > MAX_TERM_LENGTH || Integer.bitCount(length) != 1)
        {
            throw new ConfigException(OVERRIDE_PREFIX + key, String.valueOf(length),
                "must be a power of two from 64k (65536) to 1g (1073741824)");
        }
    }

    private static void checkMtuLength(final String key, final int length)
    {
        if (length < MIN_MTU_LENGTH || length > MAX_MTU_LENGTH || length % FRAME_ALIGNMENT != 0)
        {
            throw new ConfigException(OVERRIDE_PREFIX + key, String.valueOf(length),
                "must be a multiple of " + FRAME_ALIGNMENT + " from " + MIN_MTU_LENGTH + " to " + MAX_MTU_LENGTH);
        }
    }

    private void checkOptionalAtLeastMtu(final String key, final int length)
    {
        if (length != 0 && length < mtuLength)
        {
            throw new ConfigException(OVERRIDE_PREFIX + key, String.valueOf(length),
                "must be 0 (default) or at least driver.mtuLength (" + mtuLength + ")");
        }
    }

    private static Path baseDir()
    {
        final Path shm = Path.of("/dev/shm");
        // Aeron's files are memory-mapped: tmpfs avoids disk write-back; elsewhere fall back to the temp folder.
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static String userName()
    {
        final String user = System.getProperty("user.name", "user");
        return user.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
