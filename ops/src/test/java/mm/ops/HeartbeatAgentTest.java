package mm.ops;

import io.aeron.Aeron;
import mm.common.InstrumentRegistry;
import mm.common.aeron.Streams;
import mm.common.testing.Drive;
import mm.common.testing.StreamProbe;
import mm.common.testing.TestInstruments;
import mm.driver.EmbeddedDriver;
import mm.risk.RiskAgent;
import mm.risk.RiskContext;
import mm.sbe.HeartbeatDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.TradingState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timer publishes CONTROL heartbeats at its interval with the clock's time; the risk guard acts on them. */
class HeartbeatAgentTest
{
    private final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private long clockNs = 1_000_000_000L;

    @Test
    void ticksAtTheIntervalWithTheClocksTimeAndNeverBursts()
    {
        try (EmbeddedDriver driver = EmbeddedDriver.launch(); Aeron aeron = driver.connectClient())
        {
            final StreamProbe control = new StreamProbe(aeron, streams.channel(), streams.control()).subscribe();
            final HeartbeatAgent agent = new HeartbeatAgent(aeron, streams, 100, () -> clockNs);
            Drive.until(() -> control.poll().size() == 1, agent);
            Drive.rounds(20, agent);
            assertEquals(1, control.poll().size(), "nothing before the interval has passed");
            clockNs += 99_999_999;
            Drive.rounds(20, agent);
            assertEquals(1, control.poll().size());
            clockNs += 1;
            Drive.until(() -> control.poll().size() == 2, agent);
            clockNs += 10_000_000_000L; // a stalled thread: one tick, not a hundred
            Drive.until(() -> control.poll().size() == 3, agent);
            Drive.rounds(20, agent);
            assertEquals(3, control.poll().size());
            final List<byte[]> ticks = control.poll();
            assertEquals(1_000_000_000L, heartbeat(ticks.get(0)).timeNs());
            assertEquals(1_100_000_000L, heartbeat(ticks.get(1)).timeNs());
            assertEquals(11_100_000_000L, heartbeat(ticks.get(2)).timeNs());
            assertTrue(agent.isDone(), "a timer holds no run open");
        }
    }

    @Test
    void heartbeatsLetTheRiskGuardSeeStaleMarketData()
    {
        try (EmbeddedDriver driver = EmbeddedDriver.launch(); Aeron aeron = driver.connectClient())
        {
            final InstrumentRegistry registry = TestInstruments.registry();
            final StreamProbe commands = new StreamProbe(aeron, streams.channel(), streams.orderCommands()).subscribe();
            final RiskAgent risk = new RiskAgent(new RiskContext().registry(registry).lockstep(false)
                .set("risk.staleMarketDataMs", "1000").conclude(), aeron, streams, false, (dir, name, json) -> { });
            final StreamProbe marketData = new StreamProbe(aeron, streams.channel(), streams.marketData());
            final StreamProbe intents = new StreamProbe(aeron, streams.channel(), streams.quoteIntents());
            final HeartbeatAgent heartbeat = new HeartbeatAgent(aeron, streams, 100, () -> clockNs);
            marketData.offer(mm.common.testing.TestMessages.book(1, 1, clockNs, 4_999_900, 100, 5_000_100, 100));
            intents.offer(mm.common.testing.TestMessages.intent(1, 1, clockNs, 1, 0,
                new long[][]{{4_999_000, 100}}, new long[0][]));
            Drive.until(() -> risk.consumedCount() == 2, risk);
            clockNs += 1_001_000_000L;
            Drive.until(() -> risk.tradingState() == TradingState.HALTED, heartbeat, risk);
            Drive.until(() -> commands.ofTemplate(mm.sbe.CancelAllDecoder.TEMPLATE_ID).size() == 1, risk);
        }
    }

    @Test
    void configDefaultsAndRules()
    {
        final EngineConfig lockstep = EngineConfig.from(Main.demoConfig(), TestPaths.repoRoot());
        assertEquals(0, lockstep.heartbeatIntervalMs, "lockstep: market data is the clock");
        final EngineConfig live = EngineConfig.from(Main.demoConfig().withOverrides(Map.of("engine.lockstep", "false")),
            TestPaths.repoRoot());
        assertEquals(1000, live.heartbeatIntervalMs);
        final var ex = assertThrows(mm.common.config.ConfigException.class, () -> EngineConfig.from(
            Main.demoConfig().withOverrides(Map.of("engine.heartbeatIntervalMs", "500")), TestPaths.repoRoot()));
        assertEquals("engine.heartbeatIntervalMs", ex.key());
        assertTrue(ex.getMessage().contains("must be 0 when engine.lockstep=true"), ex.getMessage());
        assertEquals(TestPaths.repoRoot().resolve("runs").resolve("post-mortem"), live.risk.postMortemDir());
        final EngineConfig named = EngineConfig.from(Main.demoConfig().withOverrides(Map.of("journal.runId", "r1")),
            TestPaths.repoRoot());
        assertEquals(TestPaths.repoRoot().resolve("runs").resolve("r1").resolve("post-mortem"), named.risk.postMortemDir());
    }

    private static HeartbeatDecoder heartbeat(final byte[] message)
    {
        return new HeartbeatDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
    }
}
