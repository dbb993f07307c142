package mm.ops;

import io.aeron.Aeron;
import mm.common.agent.Readiness;
import mm.driver.DriverProfile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The process-per-role shape on one host: a standalone media driver and one JVM per agent role, all with the
 * same config, each with the JVM flags of jvm.options. Waits for every role to finish its bounded run, then
 * stops the driver. Each process writes its output to {@code <run dir>/logs/<role>.log}.
 */
public final class ProcessLauncher
{
    private static final long DRIVER_START_TIMEOUT_MS = 30_000;
    private static final String[] ALL_ROLES = {"feed-binance", "quoting", "risk", "gateway"};
    private static final String[] ALL_ROLES_WITH_JOURNAL = {"feed-binance", "quoting", "risk", "gateway", "journal"};

    private final EngineConfig config;
    private final PrintStream out;
    private Path configFile;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    public ProcessLauncher(final EngineConfig config, final PrintStream out)
    {
        this.config = config;
        this.out = out;
    }

    /** The config file the children load; without one the parent's full config is written to the run folder. */
    public ProcessLauncher configFile(final Path file, final Map<String, String> overrides)
    {
        this.configFile = file;
        this.overrides.putAll(overrides);
        return this;
    }

    public int run() throws InterruptedException
    {
        final String runId = config.runId != null ? config.runId : Engine.newRunId();
        final Path runDir = config.journalDir.resolve(runId);
        final Path logDir = runDir.resolve("logs");
        final String driverDir = config.driverProfile.aeronDirectoryName() != null ?
            config.driverProfile.aeronDirectoryName() : DriverProfile.uniqueEmbeddedDir();
        final List<Process> roles = new ArrayList<>();
        Process driver = null;
        try
        {
            Files.createDirectories(logDir);
            final Path childConfig = childConfig(runDir);
            final Map<String, String> childOverrides = new LinkedHashMap<>(overrides);
            childOverrides.put("journal.runId", runId);
            childOverrides.put("driver.dir", driverDir);
            childOverrides.put("driver.embedded", "false");
            childOverrides.put("engine.exitAfter", config.journalEnabled ? "journal,launcher" : "launcher");

            driver = start(Role.DRIVER, childConfig, childOverrides, logDir);
            awaitDriver(Path.of(driverDir), driver);
            for (final Role role : new Role[]{Role.JOURNAL, Role.GATEWAY, Role.RISK, Role.QUOTING, config.feedRole})
            {
                if (role == Role.JOURNAL && !config.journalEnabled)
                {
                    continue;
                }
                roles.add(start(role, childConfig, childOverrides, logDir));
            }
            out.println("mm: started driver and " + roles.size() + " role processes; logs in " + logDir);
            watch(driverDir, roles);
            int exitCode = 0;
            for (final Process process : roles)
            {
                final int code = process.waitFor();
                if (code != 0)
                {
                    out.println("mm: role process " + process.info().arguments().map(a -> String.join(" ", a)).orElse("?") +
                        " exited with " + code);
                    exitCode = 1;
                }
            }
            out.println("  journal     : " + runDir);
            return exitCode;
        }
        catch (final IOException ex)
        {
            out.println("mm: could not start role processes: " + ex);
            return 1;
        }
        finally
        {
            for (final Process process : roles)
            {
                if (process.isAlive())
                {
                    process.destroy();
                }
            }
            if (driver != null)
            {
                driver.destroy(); // SIGTERM: the driver closes cleanly
                if (!driver.waitFor(10, TimeUnit.SECONDS))
                {
                    driver.destroyForcibly();
                }
            }
        }
    }

    /**
     * Shows the status line from the roles' counters until every role is done, prints the summary, then
     * raises "launcher: done" so the roles may exit.
     */
    private void watch(final String driverDir, final List<Process> roles) throws InterruptedException
    {
        final String[] finished = (config.journalEnabled ? ALL_ROLES_WITH_JOURNAL : ALL_ROLES).clone();
        finished[0] = config.feedRole.cliName();
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driverDir)))
        {
            // The status line reads the Binance feed's book counters; the Kite feed's are in its own counters.
            final StatusLine status = config.feed != null ? new StatusLine(aeron.countersReader(), config.feed.instrument()) : null;
            long lastPrintMs = System.currentTimeMillis();
            while (!Readiness.allDone(aeron.countersReader(), finished))
            {
                for (final Process role : roles)
                {
                    if (!role.isAlive())
                    {
                        return; // it failed; its exit code is reported by the caller
                    }
                }
                Thread.sleep(20);
                if (System.currentTimeMillis() - lastPrintMs >= 1000)
                {
                    lastPrintMs = System.currentTimeMillis();
                    out.println(status != null ? status.line() : "mm: " + config.feedRole.cliName() + " running");
                }
            }
            if (status != null)
            {
                out.println(status.line());
                out.println(status.summary());
            }
            Readiness.doneCounter(aeron, "launcher").setRelease(1);
            for (final Process role : roles)
            {
                role.waitFor();
            }
        }
    }

    private Path childConfig(final Path runDir) throws IOException
    {
        if (configFile != null)
        {
            return configFile.toAbsolutePath();
        }
        final Path file = runDir.resolve("config.properties");
        final StringBuilder text = new StringBuilder("# the configuration this run's role processes loaded\n");
        text.append(config.config().canonicalText());
        Files.writeString(file, text);
        return file;
    }

    private Process start(final Role role, final Path configFile, final Map<String, String> overrides, final Path logDir)
        throws IOException
    {
        final List<String> command = roleCommand(config.home, configFile, role, logDir);
        for (final Map.Entry<String, String> entry : overrides.entrySet())
        {
            command.add("--set");
            command.add(entry.getKey() + "=" + entry.getValue());
        }
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logDir.resolve(role.cliName() + ".log").toFile());
        return builder.start();
    }

    static final String ROLE_JVM_OPTIONS = "role-jvm.options";

    /** The command that runs {@code ./mm run --config F --role R} in a JVM like this one (flags, class path). */
    static List<String> roleCommand(final Path home, final Path configFile, final Role role, final Path logDir)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        final Path jvmOptions = home.resolve("jvm.options");
        if (Files.exists(jvmOptions))
        {
            command.add("@" + jvmOptions);
        }
        command.add("-Dmm.home=" + home);
        command.add("-Djna.tmpdir=" + logDir.resolve("jna-tmp"));
        command.add("-Dagrona.disable.bounds.checks=" + System.getProperty("agrona.disable.bounds.checks", "false"));
        final Path roleJvmOptions = home.resolve(ROLE_JVM_OPTIONS);
        if (Files.exists(roleJvmOptions))
        {
            command.add("@" + roleJvmOptions); // collector, fixed pre-touched heap: the same as ./mm run
        }
        else
        {
            command.add("-Xmx256m");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("run");
        command.add("--config");
        command.add(configFile.toString());
        command.add("--role");
        command.add(role.cliName());
        return command;
    }

    private static void awaitDriver(final Path driverDir, final Process driver) throws InterruptedException
    {
        final Path cncFile = driverDir.resolve("cnc.dat");
        final long deadlineMs = System.currentTimeMillis() + DRIVER_START_TIMEOUT_MS;
        while (!Files.exists(cncFile))
        {
            if (!driver.isAlive() || System.currentTimeMillis() > deadlineMs)
            {
                throw new IllegalStateException("media driver did not start in " + driverDir + " (see its log)");
            }
            Thread.sleep(50);
        }
        Thread.sleep(200); // cnc.dat exists slightly before the driver accepts clients; Aeron.connect also waits
    }
}
