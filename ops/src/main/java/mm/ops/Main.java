package mm.ops;

import mm.common.Instrument;
import mm.common.agent.Deployment;
import mm.common.config.Config;
import mm.common.config.ConfigException;
import mm.driver.StandaloneDriver;
import mm.feed.binance.InspectBook;
import mm.feed.binance.sbe.InspectBinanceSbe;
import mm.feed.binance.venue.FakeBinanceVenue;
import mm.feed.kite.InspectKite;
import mm.feed.kite.venue.FakeKiteServer;
import mm.gateway.binance.InspectSignBinance;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The {@code mm} command line. {@code ./mm} finds a JDK, builds on first use and calls this.
 */
public final class Main
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: mm <command> [options]",
        "  demo [--speed X] [--deployment composite|threaded|process] [--set key=value]...",
        "        replay the bundled real Binance recording through feed, quoting, risk, the simulated venue and",
        "        the journal, with a live status line and a summary (speed 0: as fast as possible)",
        "  run --config FILE [--role driver|feed-binance|feed-kite|quoting|risk|gateway|journal|all] [--set key=value]...",
        "        run one role (or every role in the configured deployment shape)",
        "  inspect book FILE...     replay recordings (JSON or SBE lines) through book sync; a JSON line per applied diff",
        "  inspect binance-sbe FILE decode Binance SBE market-data frames (hex lines or raw bytes) to JSON lines",
        "  inspect journal RUN_DIR STREAM   every message of a journaled stream (e.g. executions), decoded",
        "  inspect kite FILE        decode a Kite binary message (raw, hex or base64; a bare packet too) to JSON lines",
        "  inspect sign-binance --secret-file F key=value...",
        "        print the canonical Binance WebSocket API payload and its signature (HMAC secret or Ed25519 PEM in F;",
        "        the key is never printed), to debug a rejected signature",
        "  fake-venue kite [--port N] [--tokens T,..] [--api-key K] [--access-token T] [--seed N] [--tick-ms MS] [--faults LIST] [--fault-every N]",
        "        a fake Kite Connect ticker on 127.0.0.1 (seeded random walk, full depth, heartbeats, postbacks, faults)",
        "  fake-venue binance --recording FILE... [--port N] [--speed X] [--faults SPEC] [--seed N]",
        "        a Binance stand-in on 127.0.0.1 (REST snapshots, WebSocket streams of the recording, injected faults)",
        "        for feed.source=websocket; runs until Ctrl-C and prints its URLs (fake-venue alone: all options)",
        "  config check FILE        validate a config file and exit",
        "  backtest [--recording FILE...] [--config FILE] [--speed X] [--set key=value]... [--report DIR]",
        "        recorded venue data through the same agents and the simulated venue (speed 0, the default: as fast",
        "        as possible), then report.json and a self-contained report.html (PnL, inventory, quotes, fills)",
        "  stat [--dir AERON_DIR] [--all] [--watch] [--prometheus PORT [--bind ADDR]]",
        "        a running engine's counters, read from its media driver's shared memory (every active driver of",
        "        this user when --dir is not given); --prometheus serves them at http://ADDR:PORT/metrics",
        "  control [--dir AERON_DIR] [--config FILE] kill [INSTRUMENT [REASON]] | state active|reducing|halted|manual [REASON] | set KEY VALUE",
        "        send a kill, a trading-state change or a runtime parameter change to a running engine",
        "  top [--dir AERON_DIR] [--config FILE]   a live one-screen view of a running engine, refreshed every second",
        "  doctor [--config FILE] [--strict]   check this host for low-latency readiness and say what to change",
        "  verify-journal DIR       check a run's journal: manifest, file checksums, message counts and hashes,",
        "                           complete sequences and time order; prints what is wrong, exits 1 if anything is",
        "  replay DIR [--verify] [--set key=value]...",
        "        feed the run's journaled inboxes through fresh quoting, risk and gateway (simulated venue) and",
        "        compare their outputs with the journal; --verify exits 1 on any difference",
        "  report DIR [--out DIR]   report.html and report.json of any journaled run: an observe-only rehearsal's",
        "                           would-be (shadow) fills and PnL, a live or demo run's fills, PnL and quoting",
        "  test                     (handled by ./mm) run the whole test suite through Maven",
        "  bench [JMH options]      (handled by ./mm) JMH benchmarks of the hot paths, e.g. bench -prof gc",
        "  fuzz [-Dmm.fuzz.frames=N] (handled by ./mm) fuzz the SBE and JSON decoders with seeded random frames");

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        final int exitCode;
        try
        {
            exitCode = run(args, System.out);
        }
        catch (final ConfigException ex)
        {
            System.err.println("mm: " + ex.getMessage());
            System.exit(2);
            return;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            System.exit(130);
            return;
        }
        System.exit(exitCode);
    }

    static int run(final String[] args, final PrintStream out) throws InterruptedException
    {
        if (args.length == 0 || "help".equals(args[0]) || "--help".equals(args[0]))
        {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        final List<String> rest = List.of(args).subList(1, args.length);
        return switch (args[0])
        {
            case "demo" -> demo(rest, out);
            case "run" -> runRole(rest, out);
            case "inspect" -> inspect(rest, out);
            case "fake-venue" -> !rest.isEmpty() && "kite".equals(rest.get(0)) ?
                FakeKiteServer.run(rest.subList(1, rest.size()), out) : FakeBinanceVenue.run(rest, out);
            case "config" -> configCheck(rest, out);
            case "verify-journal" -> verifyJournal(rest, out);
            case "doctor" -> doctor(rest, out);
            case "stat" -> stat(rest, out);
            case "control" -> control(rest, out);
            case "top" -> top(rest, out);
            case "replay" -> replay(rest, out);
            case "backtest" -> backtest(rest, out);
            case "report" -> report(rest, out);
            default ->
            {
                System.err.println("mm: unknown command '" + args[0] + "'");
                System.err.println(USAGE);
                yield 2;
            }
        };
    }

    private static int backtest(final List<String> args, final PrintStream out) throws InterruptedException
    {
        final Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("feed.speed", "0");
        final List<String> recordings = new ArrayList<>();
        String configFile = null;
        Path reportDir = null;
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            switch (arg)
            {
                case "--recording" ->
                {
                    recordings.add(value(args, ++i, arg));
                    while (i + 1 < args.size() && !args.get(i + 1).startsWith("--"))
                    {
                        recordings.add(args.get(++i));
                    }
                }
                case "--config" -> configFile = value(args, ++i, arg);
                case "--speed" -> overrides.put("feed.speed", value(args, ++i, arg));
                case "--report" -> reportDir = Path.of(value(args, ++i, arg));
                case "--set" -> putOverride(overrides, value(args, ++i, arg));
                default -> throw new ConfigException(arg, null, "is not a backtest option; see mm help");
            }
        }
        if (!recordings.isEmpty())
        {
            final List<String> absolute = new ArrayList<>();
            for (final String recording : recordings)
            {
                absolute.add(Path.of(recording).toAbsolutePath().toString());
            }
            overrides.put("feed.recording", String.join(",", absolute));
        }
        final Config base = configFile != null ? Config.load(Path.of(configFile)) : demoConfig();
        if (!base.withOverrides(overrides).has("journal.runId"))
        {
            overrides.put("journal.runId", "backtest-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()) + "-" + ProcessHandle.current().pid());
        }
        overrides.put("journal.enabled", "true");
        overrides.put("engine.deployment", "composite");
        final EngineConfig engineConfig = EngineConfig.from(base.withOverrides(overrides), home());
        if (engineConfig.feed == null || engineConfig.feed.source() != mm.feed.binance.FeedContext.Source.RECORDING)
        {
            throw new ConfigException("feed.recording", null, "a backtest replays recordings (feed.source=recording)");
        }
        out.println("mm backtest: " + engineConfig.feed.files() + " (" + engineConfig.feed.instrument().symbol() +
            "), speed " + (engineConfig.feed.speed() == 0 ? "max" : engineConfig.feed.speed() + "x"));
        final InProcessBacktest.Result result = InProcessBacktest.run(engineConfig, out, true);
        out.println("mm backtest: " + result.throughputLine());
        if (result.exitCode() != 0)
        {
            return result.exitCode();
        }
        final Path runDir = result.runDir();
        final Path report = reportDir != null ? reportDir : runDir.resolve("report");
        printReport("mm backtest", BacktestReport.write(runDir, engineConfig.quoting.instrument(), report), report, out);
        return 0;
    }

    /** {@code ./mm report RUN_DIR [--out DIR]}: the backtest report of any journaled run, from its journal alone. */
    private static int report(final List<String> args, final PrintStream out)
    {
        Path runDir = null;
        Path reportDir = null;
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if ("--out".equals(arg))
            {
                reportDir = Path.of(value(args, ++i, arg));
            }
            else if (arg.startsWith("--") || runDir != null)
            {
                throw new ConfigException(arg, null, "is not a report option; usage: mm report RUN_DIR [--out DIR]");
            }
            else
            {
                runDir = Path.of(arg);
            }
        }
        if (runDir == null)
        {
            throw new ConfigException("report", null, "needs a run folder: mm report runs/ID [--out DIR]");
        }
        final Path configFile = runDir.resolve(Replay.RUN_CONFIG_FILE);
        if (!Files.isRegularFile(configFile))
        {
            throw new ConfigException("report", runDir.toString(), "is not a run folder (no " + Replay.RUN_CONFIG_FILE + ")");
        }
        final EngineConfig engineConfig = EngineConfig.from(Config.load(configFile), home());
        final Path report = reportDir != null ? reportDir : runDir.resolve("report");
        final String what = engineConfig.gateway.venue() == mm.gateway.GatewayContext.VenueKind.OBSERVE_ONLY ?
            "mm report (observe-only: shadow fills, nothing was sent)" : "mm report";
        printReport(what, BacktestReport.write(runDir, engineConfig.quoting.instrument(), report), report, out);
        return 0;
    }

    private static void printReport(
        final String prefix, final BacktestReport.Summary summary, final Path report, final PrintStream out)
    {
        out.printf("%s: %d fills, net PnL after fees %.4f, max drawdown %.4f, quoted both sides %.1f %% of the time%n",
            prefix, summary.fills(), summary.netPnl(), summary.maxDrawdown(), 100 * summary.quoteUptimeTwoSided());
        out.println(prefix + ": report " + report.resolve("report.html") + " and report.json");
    }

    private static int stat(final List<String> args, final PrintStream out) throws InterruptedException
    {
        Path dir = null;
        boolean all = false;
        boolean watch = false;
        int prometheusPort = -1;
        String bind = "127.0.0.1";
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            switch (arg)
            {
                case "--dir" -> dir = Path.of(value(args, ++i, arg));
                case "--all" -> all = true;
                case "--watch" -> watch = true;
                case "--prometheus" -> prometheusPort = Integer.parseInt(value(args, ++i, arg));
                case "--bind" -> bind = value(args, ++i, arg);
                default -> throw new ConfigException(arg, null, "is not a stat option; see mm help");
            }
        }
        final List<Path> dirs = dir != null ? List.of(dir) : Stat.activeDrivers();
        if (dirs.isEmpty())
        {
            out.println("mm stat: no running media driver of this user found (give --dir AERON_DIR)");
            return 1;
        }
        if (prometheusPort >= 0)
        {
            final Stat stat = new Stat(dirs.get(0));
            try
            {
                final com.sun.net.httpserver.HttpServer server = stat.serve(bind, prometheusPort);
                out.println("mm stat: serving " + dirs.get(0) + " at http://" + bind + ":" +
                    server.getAddress().getPort() + "/metrics (Ctrl-C stops)");
                Thread.currentThread().join();
            }
            catch (final java.io.IOException ex)
            {
                throw new ConfigException("--prometheus", String.valueOf(prometheusPort), "cannot listen: " + ex.getMessage());
            }
            return 0;
        }
        do
        {
            for (final Path driverDir : dirs)
            {
                try (Stat stat = new Stat(driverDir))
                {
                    stat.print(out, all);
                }
            }
            if (watch)
            {
                Thread.sleep(1000);
                out.println();
            }
        }
        while (watch);
        return 0;
    }

    private static int top(final List<String> args, final PrintStream out) throws InterruptedException
    {
        final EngineTarget target = EngineTarget.parse(args, "top");
        if (target.nextArg() != args.size())
        {
            throw new ConfigException(args.get(target.nextArg()), null, "is not a top option; see mm help");
        }
        final Instrument instrument = EngineConfig.from(target.config(), home()).quoting.instrument();
        final Path dir = target.aeronDir();
        try (Stat stat = new Stat(dir))
        {
            final StatusLine status = new StatusLine(stat.counters(), instrument);
            final CounterView counters = new CounterView(stat.counters());
            while (!Thread.currentThread().isInterrupted())
            {
                out.print("\033[H\033[2J"); // home and clear: one screen, redrawn
                out.println("mm top: " + dir + "   " + java.time.LocalTime.now().withNano(0) + "   (Ctrl-C quits)");
                out.println(status.line());
                out.println(status.summary());
                out.println("  quoting     : " + counters.value("quoting: requotes suppressed by tolerance", 0) +
                    " requotes suppressed, " + counters.value("quoting: levels clipped by position limit", 0) +
                    " levels clipped by the position limit");
                out.println("  latency     : " + latencyLine(counters));
                out.flush();
                Thread.sleep(1000);
            }
        }
        return 0;
    }

    /** Tick-to-order from the gateway process's {@link LatencyMonitor} counters, in microseconds. */
    static String latencyLine(final CounterView counters)
    {
        final String prefix = LatencyMonitor.NAME + ": tick-to-order ";
        if (counters.find(prefix) < 0)
        {
            return "no gateway in this engine";
        }
        final long measured = counters.value(prefix + "events measured", 0);
        if (measured == 0)
        {
            return counters.value(LatencyMonitor.NAME + ": actions with a non-live time", 0) > 0 ?
                "not measured: the orders answer recorded market data (times are the recording's)" :
                "no orders yet";
        }
        return String.format(java.util.Locale.ROOT,
            "tick-to-order last second p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs; since start p99 %.1f µs, " +
            "max %.1f µs (%,d events)",
            counters.value(prefix + "p50 ns (last second)", 0) / 1e3, counters.value(prefix + "p99 ns (last second)", 0) / 1e3,
            counters.value(prefix + "p99.9 ns (last second)", 0) / 1e3, counters.value(prefix + "max ns (last second)", 0) / 1e3,
            counters.value(prefix + "p99 ns (since start)", 0) / 1e3, counters.value(prefix + "max ns (since start)", 0) / 1e3,
            measured);
    }

    private static int control(final List<String> args, final PrintStream out)
    {
        final EngineTarget target = EngineTarget.parse(args, "control");
        final Path dir = target.aeronDir();
        final Config config = target.config();
        final int i = target.nextArg();
        final String sent = ControlCommand.send(dir, mm.common.aeron.Streams.fromConfig(config), args.subList(i, args.size()));
        out.println("mm control: sent " + sent + " through " + dir);
        return 0;
    }

    /**
     * The running engine a command talks to: {@code --dir AERON_DIR} and {@code --config FILE} options up to the
     * first other argument; the driver folder is the option, else the config's {@code driver.dir}, else the one
     * media driver of this user that runs.
     */
    private record EngineTarget(Path aeronDir, Config config, int nextArg)
    {
        static EngineTarget parse(final List<String> args, final String command)
        {
            Path dir = null;
            String configFile = null;
            int i = 0;
            for (; i < args.size() && args.get(i).startsWith("--"); i++)
            {
                final String arg = args.get(i);
                switch (arg)
                {
                    case "--dir" -> dir = Path.of(value(args, ++i, arg));
                    case "--config" -> configFile = value(args, ++i, arg);
                    default -> throw new ConfigException(arg, null, "is not a " + command + " option; see mm help");
                }
            }
            final Config config = configFile != null ? Config.load(Path.of(configFile)) : demoConfig();
            if (dir == null && config.has(mm.driver.DriverProfile.DIR_KEY))
            {
                dir = Path.of(config.raw(mm.driver.DriverProfile.DIR_KEY));
            }
            if (dir == null)
            {
                final List<Path> active = Stat.activeDrivers();
                if (active.size() != 1)
                {
                    throw new ConfigException("--dir", null, active.isEmpty() ? "no running media driver of this user " +
                        "found" : "several media drivers run (" + active + "): name one");
                }
                dir = active.get(0);
            }
            return new EngineTarget(dir, config, i);
        }
    }

    private static int doctor(final List<String> args, final PrintStream out)
    {
        String configFile = null;
        boolean strict = false;
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            switch (arg)
            {
                case "--config" -> configFile = value(args, ++i, arg);
                case "--strict" -> strict = true;
                default -> throw new ConfigException(arg, null, "is not a doctor option; see mm help");
            }
        }
        final Config config = configFile != null ? Config.load(Path.of(configFile)) : demoConfig();
        final mm.common.aeron.Streams streams = mm.common.aeron.Streams.fromConfig(config);
        final List<Doctor.Finding> findings =
            new Doctor(Path.of("/"), Doctor.termLength(streams.channel()), streams.all().length).run();
        out.println("mm doctor: low-latency readiness of this host (" +
            (configFile != null ? configFile : "the demo configuration") + ")");
        long warnings = 0;
        for (final Doctor.Finding finding : findings)
        {
            out.println(finding.line());
            warnings += finding.status() == Doctor.Status.WARN ? 1 : 0;
        }
        out.println("mm doctor: " + (warnings == 0 ? "nothing to change" : warnings + " thing(s) to change"));
        return strict && warnings > 0 ? 1 : 0;
    }

    private static int verifyJournal(final List<String> args, final PrintStream out)
    {
        if (args.size() != 1)
        {
            throw new ConfigException("verify-journal", String.join(" ", args), "takes one run folder");
        }
        final Path runDir = Path.of(args.get(0));
        final List<String> problems = mm.journal.JournalVerifier.verify(runDir);
        for (final String problem : problems)
        {
            out.println("verify-journal: " + problem);
        }
        out.println("verify-journal: " + runDir + (problems.isEmpty() ? ": OK" : ": " + problems.size() + " problem(s)"));
        return problems.isEmpty() ? 0 : 1;
    }

    private static int replay(final List<String> args, final PrintStream out)
    {
        Path runDir = null;
        boolean verify = false;
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            switch (arg)
            {
                case "--verify" -> verify = true;
                case "--set" -> putOverride(overrides, value(args, ++i, arg));
                default ->
                {
                    if (arg.startsWith("--") || runDir != null)
                    {
                        throw new ConfigException(arg, null, "is not a replay option; see mm help");
                    }
                    runDir = Path.of(arg);
                }
            }
        }
        if (runDir == null)
        {
            throw new ConfigException("replay", null, "needs a run folder (e.g. runs/<runId>)");
        }
        final long startNs = System.nanoTime();
        final List<Replay.StreamResult> results = Replay.run(runDir, overrides, home());
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        boolean equal = true;
        for (final Replay.StreamResult result : results)
        {
            equal &= result.equal();
            out.printf("replay: %-15s %,d recorded, %,d replayed, sha256 %s %s%n", result.stream(),
                result.recordedCount(), result.replayedCount(), result.replayedSha256(),
                !result.equal() ? "DIFFERS (recorded " + result.recordedSha256() + ")" :
                    result.byDigest() ? "equal to the manifest's" :
                    result.crashTail() == 0 ? "equal" :
                    "equal up to each crash (" + result.crashTail() + " messages past a crash on one side only)");
            if (!result.equal())
            {
                out.println("  first divergence at message " + result.firstDivergence());
                out.println("  recorded: " + result.recordedMessage());
                out.println("  replayed: " + result.replayedMessage());
            }
        }
        for (final String line : Replay.throughput)
        {
            out.println("replay: " + line);
        }
        out.printf("replay: %s in %.1f s: %s%n", runDir, seconds,
            equal ? "every output identical to the journal" : "outputs differ from the journal");
        return verify && !equal ? 1 : 0;
    }

    static Path home()
    {
        return Path.of(System.getProperty("mm.home", ".")).toAbsolutePath().normalize();
    }

    private static int demo(final List<String> args, final PrintStream out) throws InterruptedException
    {
        final Map<String, String> overrides = new LinkedHashMap<>();
        String configFile = null;
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            switch (arg)
            {
                case "--speed" -> overrides.put("feed.speed", value(args, ++i, arg));
                case "--deployment" -> overrides.put("engine.deployment", value(args, ++i, arg));
                case "--config" -> configFile = value(args, ++i, arg);
                case "--set" -> putOverride(overrides, value(args, ++i, arg));
                default -> throw new ConfigException(arg, null, "is not a demo option; see mm help");
            }
        }
        final Config base = configFile != null ? Config.load(Path.of(configFile)) : demoConfig();
        final Config config = base.withOverrides(overrides);
        final EngineConfig engineConfig = EngineConfig.from(config, home());
        if (engineConfig.feed == null)
        {
            throw new ConfigException("engine.feed", "kite", "the demo replays Binance; run the Kite feed with mm run --role all");
        }
        final Instrument instrument = engineConfig.feed.instrument();
        if (engineConfig.feed.source() == mm.feed.binance.FeedContext.Source.WEBSOCKET)
        {
            out.println("mm demo: live feed from " + engineConfig.feed.wsUrl() + " (" + instrument.symbol() + "); Ctrl-C stops");
        }
        else
        {
            out.println("mm demo: replaying " + engineConfig.feed.files() + " (" + instrument.symbol() + ", real Binance data; " +
                "see docs/data-sources.md)");
        }
        out.println("mm demo: deployment " + engineConfig.deployment.name().toLowerCase() + ", speed " +
            (engineConfig.feed.speed() == 0 ? "max" : engineConfig.feed.speed() + "x") + ", simulated venue, journal under " +
            engineConfig.journalDir);
        if (engineConfig.deployment == Deployment.PROCESS)
        {
            return new ProcessLauncher(engineConfig, out).run();
        }
        return runInProcess(engineConfig, EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL),
            out, true);
    }

    /** Runs the given roles in this JVM until done; prints status when {@code statusLine} is set. */
    static int runInProcess(
        final EngineConfig config, final EnumSet<Role> roles, final PrintStream out, final boolean statusLine)
        throws InterruptedException
    {
        final long startNs = System.nanoTime();
        try (Engine engine = new Engine(config, out))
        {
            final Thread shutdownHook = new Thread(engine::close, "mm-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            engine.start(roles);
            // The status line shows the Binance feed's book counters; the Kite feed has its own counters (mm counters).
            final StatusLine status = statusLine && config.feed != null ?
                new StatusLine(engine.aeron().countersReader(), config.feed.instrument()) : null;
            final boolean tty = System.console() != null;
            final Throwable error = engine.awaitDone(1000, status == null ? null : () ->
            {
                if (tty)
                {
                    out.print("\r" + status.line() + "   ");
                }
                else
                {
                    out.println(status.line());
                }
                out.flush();
            });
            if (status != null)
            {
                out.println((tty ? "\r" : "") + status.line());
                out.println(status.summary());
                out.printf("  wall time   : %.1f s%n", (System.nanoTime() - startNs) / 1e9);
            }
            if (engine.runDir() != null)
            {
                out.println("  journal     : " + engine.runDir());
            }
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ignore)
            {
                // already shutting down
            }
            return error == null ? 0 : 1;
        }
    }

    private static int runRole(final List<String> args, final PrintStream out) throws InterruptedException
    {
        String configFile = null;
        Role role = Role.ALL;
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            switch (arg)
            {
                case "--config" -> configFile = value(args, ++i, arg);
                case "--role" -> role = Role.parse(value(args, ++i, arg));
                case "--set" -> putOverride(overrides, value(args, ++i, arg));
                default -> throw new ConfigException(arg, null, "is not a run option; see mm help");
            }
        }
        if (configFile == null)
        {
            throw new ConfigException("--config", null, "is required: mm run --config FILE [--role ROLE]");
        }
        final Config config = Config.load(Path.of(configFile)).withOverrides(overrides);
        if (role == Role.DRIVER)
        {
            StandaloneDriver.run(config, out);
            return 0;
        }
        final EngineConfig engineConfig = EngineConfig.from(config, home());
        if (role == Role.ALL)
        {
            if (engineConfig.deployment == Deployment.PROCESS)
            {
                return new ProcessLauncher(engineConfig, out).configFile(Path.of(configFile), overrides).run();
            }
            return runInProcess(engineConfig, EnumSet.of(engineConfig.feedRole, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL),
                out, true);
        }
        return runInProcess(engineConfig, EnumSet.of(role), out, false);
    }

    private static int inspect(final List<String> args, final PrintStream out)
    {
        if (args.size() >= 2 && "kite".equals(args.get(0)))
        {
            return InspectKite.run(args.subList(1, args.size()), out);
        }
        if (!args.isEmpty() && "sign-binance".equals(args.get(0)))
        {
            return InspectSignBinance.run(args.subList(1, args.size()), out, System.err);
        }
        if (args.size() >= 2 && "binance-sbe".equals(args.get(0)))
        {
            return InspectBinanceSbe.run(args.subList(1, args.size()), out);
        }
        if (args.size() == 3 && "journal".equals(args.get(0)))
        {
            // every message of one journaled stream, decoded, one line each with its index
            final long[] index = {0};
            mm.journal.JournalReader.forEach(Path.of(args.get(1)), args.get(2), (buffer, offset, length) ->
                out.println(index[0]++ + " " + mm.journal.MessageText.describe(buffer, offset, length)));
            return 0;
        }
        if (args.isEmpty() || !"book".equals(args.get(0)) || args.size() < 2)
        {
            System.err.println("usage: mm inspect book FILE... | mm inspect binance-sbe FILE | mm inspect kite FILE | " +
                "mm inspect sign-binance --secret-file F key=value... | mm inspect journal RUN_DIR STREAM");
            return 2;
        }
        final List<Path> files = new ArrayList<>();
        for (final String file : args.subList(1, args.size()))
        {
            files.add(Path.of(file));
        }
        return InspectBook.run(files, out);
    }

    private static int configCheck(final List<String> args, final PrintStream out)
    {
        if (args.size() != 2 || !"check".equals(args.get(0)))
        {
            System.err.println("usage: mm config check FILE");
            return 2;
        }
        final EngineConfig config = EngineConfig.from(Config.load(Path.of(args.get(1))), home());
        out.println("mm: " + args.get(1) + " is valid (" + config.registry().all().size() + " instruments, deployment " +
            config.deployment().name().toLowerCase() + ")");
        return 0;
    }

    /** The bundled demo configuration (a classpath resource). */
    static Config demoConfig()
    {
        try (InputStream in = Main.class.getResourceAsStream("demo.properties");
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8))
        {
            final Properties properties = new Properties();
            properties.load(reader);
            final TreeMap<String, String> map = new TreeMap<>();
            for (final String name : properties.stringPropertyNames())
            {
                map.put(name, properties.getProperty(name).trim());
            }
            return new Config(map, "demo.properties (bundled)");
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("bundled demo.properties is unreadable", ex);
        }
    }

    private static String value(final List<String> args, final int index, final String option)
    {
        if (index >= args.size())
        {
            throw new ConfigException(option, null, "needs a value");
        }
        return args.get(index);
    }

    private static void putOverride(final Map<String, String> overrides, final String assignment)
    {
        final int eq = assignment.indexOf('=');
        if (eq <= 0)
        {
            throw new ConfigException("--set", assignment, "must look like key=value");
        }
        overrides.put(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
    }
}
