package mm.ops;

import mm.common.Instrument;
import mm.common.config.Config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Alerts for the people watching: read from the engine's counters once a second (off every hot path), written
 * to stdout and to a size-rotated file. Each condition alerts when it starts and says when it clears:
 * risk warnings (80 % of a limit: drawdown, daily loss...) and triggers, trading-state changes, the kill
 * switch, no fills for a while, a spread blow-up, inventory beyond a share of the position limit.
 */
final class AlertMonitor
{
    enum Severity
    {
        INFO, WARNING, CRITICAL
    }

    private final CounterView counters;
    private final PrintStream out;
    private final Path file;
    private final long maxFileBytes;
    private final int maxFiles;
    private final long noFillsMs;
    private final long maxSpreadTicks;
    private final int inventoryPercent;
    private final long journalLagBytes;
    private final long maxPositionMantissa;
    private final Instrument instrument;
    private final Map<String, Long> lastValues = new HashMap<>();
    private final Map<String, Boolean> active = new HashMap<>();
    private long lastFills = -1;
    private long lastFillChangeMs;

    AlertMonitor(
        final CounterView counters,
        final PrintStream out,
        final Path file,
        final Settings settings,
        final Instrument instrument,
        final long maxPositionMantissa)
    {
        this.counters = counters;
        this.out = out;
        this.file = file;
        this.maxFileBytes = settings.maxFileBytes;
        this.maxFiles = settings.maxFiles;
        this.noFillsMs = settings.noFillsMinutes * 60_000L;
        this.maxSpreadTicks = settings.maxSpreadTicks;
        this.inventoryPercent = settings.inventoryPercent;
        this.journalLagBytes = settings.journalLagBytes;
        this.instrument = instrument;
        this.maxPositionMantissa = maxPositionMantissa;
    }

    /** {@code alerts.*} keys, validated at startup with the rest of the config. */
    record Settings(
        boolean enabled, String file, long maxFileBytes, int maxFiles, long noFillsMinutes, long maxSpreadTicks,
        int inventoryPercent, long journalLagBytes)
    {
        /** Without the journal-lag alert. */
        Settings(final boolean enabled, final String file, final long maxFileBytes, final int maxFiles,
            final long noFillsMinutes, final long maxSpreadTicks, final int inventoryPercent)
        {
            this(enabled, file, maxFileBytes, maxFiles, noFillsMinutes, maxSpreadTicks, inventoryPercent, 0);
        }

        static Settings fromConfig(final Config config)
        {
            return new Settings(
                config.bool("alerts.enabled", true),
                config.string("alerts.file", "alerts.log"),
                config.longValue("alerts.maxFileBytes", 10L << 20, 4096, 1L << 40),
                config.intValue("alerts.maxFiles", 5, 1, 1000),
                config.longValue("alerts.noFillsMinutes", 30, 0, 7 * 24 * 60),
                config.longValue("alerts.maxSpreadTicks", 0, 0, 1_000_000_000),
                config.intValue("alerts.inventoryPercent", 80, 0, 1000),
                config.longValue("alerts.journalLagBytes", 256 * 1024, 0, 1L << 40));
        }
    }

    /** Looks at the counters now; {@code nowMs} is wall time, used only for "no fills for N minutes". */
    void check(final long nowMs)
    {
        watchIncrements("risk: warning: ", Severity.WARNING, "risk warning (80% of a limit)");
        watchIncrements("risk: trigger fired: ", Severity.CRITICAL, "risk trigger fired");
        // an incomplete journal (journal.tether=false and it fell behind): the run cannot be replayed in full
        watchIncrement("journal: bytes lost (fell behind, untethered)", "journal incomplete",
            "the journal fell behind and was dropped for a while: bytes lost");
        for (final String role : new String[] {"quoting", "risk", "gateway"})
        {
            watchIncrement(role + ": " + Engine.JOURNAL_RECORDS_DROPPED, "journal incomplete",
                role + " dropped records the journal could not take");
        }
        if (journalLagBytes > 0)
        {
            final long lag = counters.value("journal: lag bytes (max over streams)", 0);
            condition(lag > journalLagBytes, Severity.WARNING, "journal lag",
                "the journal is " + lag + " bytes behind its publishers (alerts.journalLagBytes " + journalLagBytes + ")");
        }
        final long state = counters.value("risk: trading state", -1);
        final Long previousState = lastValues.put("state", state);
        if (previousState != null && previousState != state && state >= 0)
        {
            alert(state >= 2 ? Severity.CRITICAL : Severity.WARNING, "trading state",
                "trading state " + stateName(previousState) + " -> " + stateName(state) +
                (state == 2 ? " (kill switch armed: orders cancelled, no new orders)" : ""));
        }
        final long fills = counters.value("gateway: fills", -1);
        if (fills != lastFills)
        {
            lastFills = fills;
            lastFillChangeMs = nowMs;
            condition(false, Severity.WARNING, "no fills", "");
        }
        else if (noFillsMs > 0 && counters.value("gateway: working orders", 0) > 0)
        {
            condition(nowMs - lastFillChangeMs >= noFillsMs, Severity.WARNING, "no fills",
                "no fills for " + (nowMs - lastFillChangeMs) / 60_000 + " min while quoting");
        }
        if (instrument != null && maxSpreadTicks > 0)
        {
            final long bid = counters.value("feed-binance: best bid", 0);
            final long ask = counters.value("feed-binance: best ask", 0);
            final long spreadTicks = bid > 0 && ask > bid ? (ask - bid) / instrument.tickSize() : 0;
            condition(spreadTicks > maxSpreadTicks, Severity.WARNING, "spread",
                "market spread " + spreadTicks + " ticks > " + maxSpreadTicks);
        }
        if (instrument != null && maxPositionMantissa > 0 && inventoryPercent > 0)
        {
            final long position = counters.value("risk " + instrument.symbol() + ": position", 0);
            final long threshold = maxPositionMantissa / 100 * inventoryPercent;
            condition(Math.abs(position) > threshold, Severity.WARNING, "inventory",
                "inventory " + mm.common.Decimals.toString(position, instrument.qtyExponent()) + " beyond " +
                inventoryPercent + "% of the position limit");
        }
    }

    /** The counter labelled {@code label}: an increase is a critical alert saying {@code text} and the total. */
    private void watchIncrement(final String label, final String name, final String text)
    {
        final long value = counters.value(label, -1);
        if (value < 0)
        {
            return;
        }
        final Long previous = lastValues.put(label, value);
        if (previous != null && value > previous)
        {
            alert(Severity.CRITICAL, name, text + " (" + value + " in all; journal.tether=false)");
        }
    }

    /** Counters whose label starts with {@code prefix}: an increase is an alert naming the counter. */
    private void watchIncrements(final String prefix, final Severity severity, final String what)
    {
        counters.forEach(prefix, (label, value) ->
        {
            final Long previous = lastValues.put(label, value);
            if (previous != null && value > previous)
            {
                alert(severity, what, label.substring(prefix.length()) + " (" + value + " in all)");
            }
        });
    }

    private void condition(final boolean holds, final Severity severity, final String name, final String message)
    {
        final boolean was = active.getOrDefault(name, false);
        if (holds && !was)
        {
            alert(severity, name, message);
        }
        else if (!holds && was)
        {
            alert(Severity.INFO, name, name + " cleared");
        }
        active.put(name, holds);
    }

    private static String stateName(final long state)
    {
        return switch ((int)state)
        {
            case 0 -> "ACTIVE";
            case 1 -> "REDUCING";
            case 2 -> "HALTED";
            case 3 -> "MANUAL";
            default -> String.valueOf(state);
        };
    }

    void alert(final Severity severity, final String name, final String message)
    {
        final String line = Instant.now() + " " + severity + " " + name + ": " + message;
        out.println("mm alert: " + line);
        if (file == null)
        {
            return;
        }
        try
        {
            rotateIfFull();
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            out.println("mm alert: cannot write " + file + ": " + ex.getMessage());
        }
    }

    /** alerts.log → alerts.log.1 → ... → alerts.log.(maxFiles-1); the oldest is dropped. */
    private void rotateIfFull() throws IOException
    {
        if (!Files.exists(file) || Files.size(file) < maxFileBytes)
        {
            return;
        }
        for (int i = maxFiles - 1; i >= 1; i--)
        {
            final Path from = i == 1 ? file : file.resolveSibling(file.getFileName() + "." + (i - 1));
            final Path to = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(from))
            {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.deleteIfExists(file);
    }
}
