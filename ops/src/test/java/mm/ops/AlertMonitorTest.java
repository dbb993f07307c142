package mm.ops;

import io.aeron.Aeron;
import mm.common.agent.EngineCounters;
import mm.common.testing.TestInstruments;
import mm.driver.EmbeddedDriver;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alerts from real counters in a driver's shared memory: each condition alerts once, then clears. */
class AlertMonitorTest
{
    @Test
    void alertsOnWarningsTriggersStateChangesNoFillsSpreadAndInventoryAndRotatesItsFile(@TempDir final Path dir)
        throws Exception
    {
        try (EmbeddedDriver driver = EmbeddedDriver.launch();
            Aeron aeron = driver.connectClient())
        {
            final AtomicCounter state = EngineCounters.add(aeron, "risk", "trading state (0 active, 1 reducing, 2 halted, 3 manual)");
            final AtomicCounter drawdownWarning = EngineCounters.add(aeron, "risk", "warning: DRAWDOWN");
            final AtomicCounter killTrigger = EngineCounters.add(aeron, "risk", "trigger fired: KILL_SWITCH");
            final AtomicCounter fills = EngineCounters.add(aeron, "gateway", "fills");
            final AtomicCounter working = EngineCounters.add(aeron, "gateway", "working orders");
            final AtomicCounter bid = EngineCounters.add(aeron, "feed-binance", "best bid (price mantissa 10^-2)");
            final AtomicCounter ask = EngineCounters.add(aeron, "feed-binance", "best ask (price mantissa 10^-2)");
            final AtomicCounter position = EngineCounters.add(aeron, "risk BTCUSDT", "position (qty mantissa 10^-5)");
            bid.set(100_000);
            ask.set(100_001);
            working.set(2);

            final ByteArrayOutputStream output = new ByteArrayOutputStream();
            final Path file = dir.resolve("alerts.log");
            final AlertMonitor monitor = new AlertMonitor(new CounterView(aeron.countersReader()),
                new PrintStream(output, true, StandardCharsets.UTF_8), file,
                new AlertMonitor.Settings(true, "alerts.log", 4096, 2, 1, 10, 80), TestInstruments.BTCUSDT, 500);
            monitor.check(0);
            assertEquals("", output.toString(StandardCharsets.UTF_8), "a quiet start");

            drawdownWarning.increment();
            state.set(1);
            monitor.check(1_000);
            String text = output.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("WARNING risk warning (80% of a limit): DRAWDOWN (1 in all)"), text);
            assertTrue(text.contains("WARNING trading state: trading state ACTIVE -> REDUCING"), text);

            killTrigger.increment();
            state.set(2);
            ask.set(100_020);
            position.set(-401);
            monitor.check(61_000);
            text = output.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("CRITICAL risk trigger fired: KILL_SWITCH"), text);
            assertTrue(text.contains("CRITICAL trading state: trading state REDUCING -> HALTED (kill switch armed"), text);
            assertTrue(text.contains("WARNING no fills: no fills for 1 min while quoting"), text);
            assertTrue(text.contains("WARNING spread: market spread 20 ticks > 10"), text);
            assertTrue(text.contains("WARNING inventory: inventory -0.00401 beyond 80% of the position limit"), text);

            final int lines = text.split("\n").length;
            monitor.check(62_000);
            assertEquals(lines, output.toString(StandardCharsets.UTF_8).split("\n").length, "each alert once");

            fills.increment();
            ask.set(100_001);
            monitor.check(63_000);
            text = output.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("INFO no fills: no fills cleared") && text.contains("INFO spread: spread cleared"), text);
            assertTrue(Files.readString(file).contains("KILL_SWITCH"));

            for (int i = 0; i < 100; i++)
            {
                monitor.alert(AlertMonitor.Severity.INFO, "filler", "x".repeat(80));
            }
            assertTrue(Files.exists(dir.resolve("alerts.log.1")), "rotated at 4 KiB");
            assertFalse(Files.exists(dir.resolve("alerts.log.2")), "two files kept");
            assertTrue(Files.size(file) < 4096 + 200);
        }
    }

    /** journal.tether=false: a journal far behind warns, and anything it lost or the agents dropped is critical. */
    @Test
    void alertsWhenTheJournalLagsAndWhenItIsIncomplete() throws Exception
    {
        try (EmbeddedDriver driver = EmbeddedDriver.launch();
            Aeron aeron = driver.connectClient())
        {
            final AtomicCounter lag = EngineCounters.add(aeron, "journal", "lag bytes (max over streams)");
            final AtomicCounter lost = EngineCounters.add(aeron, "journal", "bytes lost (fell behind, untethered)");
            final AtomicCounter dropped = EngineCounters.add(aeron, "risk", Engine.JOURNAL_RECORDS_DROPPED);
            final ByteArrayOutputStream output = new ByteArrayOutputStream();
            final AlertMonitor monitor = new AlertMonitor(new CounterView(aeron.countersReader()),
                new PrintStream(output, true, StandardCharsets.UTF_8), null,
                new AlertMonitor.Settings(true, "alerts.log", 4096, 2, 0, 0, 0, 100_000), TestInstruments.BTCUSDT, 0);
            monitor.check(0);
            lag.set(150_000);
            monitor.check(1_000);
            String text = output.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("WARNING journal lag: the journal is 150000 bytes behind its publishers"), text);
            lost.getAndAdd(4096);
            dropped.increment();
            lag.set(0);
            monitor.check(2_000);
            text = output.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("CRITICAL journal incomplete: the journal fell behind and was dropped for a " +
                "while: bytes lost (4096 in all; journal.tether=false)"), text);
            assertTrue(text.contains("CRITICAL journal incomplete: risk dropped records the journal could not take " +
                "(1 in all; journal.tether=false)"), text);
            assertTrue(text.contains("INFO journal lag: journal lag cleared"), text);
        }
    }
}
