package mm.ops;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.testing.Drive;
import mm.common.testing.StreamProbe;
import mm.driver.EmbeddedDriver;
import mm.sbe.BooleanType;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.OrderActionEncoder;
import mm.sbe.OrderActionType;
import mm.sbe.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tick-to-order from each event's first OrderAction (the clock at reading minus the feed's receive time the
 * action carries), published as counters once a second; recorded times are counted, not measured.
 */
class LatencyMonitorTest
{
    private static final long US = 1_000L;
    private final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private long clockNs = 1_700_000_000_000_000_000L;

    @Test
    void measuresTheFirstActionOfEachEventAndPublishesPercentilesEverySecond()
    {
        try (EmbeddedDriver driver = EmbeddedDriver.launch(); Aeron aeron = driver.connectClient())
        {
            final StreamProbe actions = new StreamProbe(aeron, streams.channel(), streams.orderActions());
            final LatencyMonitor monitor = new LatencyMonitor(aeron, streams, () -> clockNs);
            final CounterView counters = new CounterView(aeron.countersReader());
            Drive.rounds(LatencyMonitor.CLOCK_CHECK_CYCLES, monitor); // the first publication of (empty) figures
            assertEquals("no orders yet", Main.latencyLine(counters));

            // 100 events answered 1..100 µs after their bytes arrived, each with a second action (a requote's
            // other level) 1 ms later that must not count
            for (int event = 1; event <= 100; event++)
            {
                actions.offer(action(event, clockNs - event * US));
                actions.offer(action(event, clockNs - event * US - 1_000 * US));
            }
            Drive.until(() -> counters.value("latency: tick-to-order events measured", 0) == 100, monitor);
            clockNs += 1_000_000_000L;
            Drive.rounds(LatencyMonitor.CLOCK_CHECK_CYCLES, monitor);
            assertEquals(50 * US, counters.value("latency: tick-to-order p50 ns (last second)", 0), 50);
            assertEquals(99 * US, counters.value("latency: tick-to-order p99 ns (last second)", 0), 99);
            assertEquals(100 * US, counters.value("latency: tick-to-order max ns (last second)", 0), 100);
            assertEquals(100 * US, counters.value("latency: tick-to-order max ns (since start)", 0), 100);
            final String line = Main.latencyLine(counters);
            assertTrue(line.startsWith("tick-to-order last second p50 50.0 µs"), line);

            // a recording's historical times are not latencies
            actions.offer(action(101, clockNs - 86_400_000_000_000L));
            Drive.until(() -> counters.value("latency: actions with a non-live time", 0) == 1, monitor);
            assertEquals(100, counters.value("latency: tick-to-order events measured", 0));

            // the next second without events shows nothing measured, the since-start figures stay
            clockNs += 1_000_000_000L;
            Drive.rounds(LatencyMonitor.CLOCK_CHECK_CYCLES, monitor);
            assertEquals(0, counters.value("latency: tick-to-order max ns (last second)", -1));
            assertEquals(100 * US, counters.value("latency: tick-to-order max ns (since start)", 0), 100);
        }
    }

    private static byte[] action(final long eventSeq, final long timeNs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + OrderActionEncoder.BLOCK_LENGTH]);
        new OrderActionEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .eventSeq(eventSeq).instrumentId(1).timeNs(timeNs).action(OrderActionType.NEW).clOrdId(eventSeq)
            .origClOrdId(0).side(Side.BUY).price(100).qty(1).postOnly(BooleanType.TRUE).sent(BooleanType.TRUE);
        return buffer.byteArray();
    }
}
