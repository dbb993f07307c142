package mm.feed.binance.live;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.config.Config;
import mm.driver.EmbeddedDriver;
import mm.feed.binance.BookSync;
import mm.feed.binance.FeedContext;
import mm.feed.binance.transport.ConnectionLedger;
import mm.feed.binance.transport.ConnectionState;
import mm.feed.binance.transport.DisconnectReason;
import mm.feed.binance.venue.FakeBinanceVenue;
import mm.feed.binance.venue.Fault;
import mm.sbe.FeedState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live feed agent against the fake venue over a real WebSocket on 127.0.0.1, streaming a real recording
 * (hftbacktest spot BTCUSDT 2024-08-08, recorded by others) with an embedded media driver: every published
 * book equals what an offline replay of the same recording gives at the same update id, the bookTicker oracle
 * finds no mismatch, and the feed recovers from every injected fault.
 */
class BinanceLiveFeedSystemTest
{
    private static Map<Long, String> offline;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private FakeBinanceVenue venue;
    private BinanceLiveFeedAgent agent;
    private MarketDataCollector collector;

    @BeforeAll
    static void replayOffline()
    {
        offline = MarketDataCollector.offlineBooks(List.of(LiveTestSupport.spot0808()),
            LiveTestSupport.BTCUSDT.priceExponent(), LiveTestSupport.BTCUSDT.qtyExponent(), 10);
    }

    @BeforeEach
    void launch()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
    }

    @AfterEach
    void close()
    {
        if (agent != null)
        {
            agent.onClose();
        }
        if (venue != null)
        {
            venue.close();
        }
        aeron.close();
        driver.close();
    }

    private void start(final FakeBinanceVenue.Options options, final FeedContextTemplate context)
    {
        venue = FakeBinanceVenue.start(options);
        final Streams streams = Streams.fromConfig(Config.empty());
        collector = new MarketDataCollector(aeron.addSubscription(streams.channel(), streams.marketData()), offline);
        agent = new BinanceLiveFeedAgent(context.apply(venue), aeron, streams, () -> true, new Random(7));
    }

    /** Drives the agent by hand on this thread (the network runs on Netty's) until the condition holds. */
    private void drive(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + ": " + describe());
            }
            final int work = agent.doWork() + collector.poll();
            if (work == 0)
            {
                Thread.yield(); // two cores shared with Netty, the venue and the driver: do not spin
            }
        }
    }

    private String describe()
    {
        final BookSync sync = agent.sync();
        return agent + " venue{streamed=" + venue.eventsStreamed() + ", sent=" + venue.framesSent() + ", finished=" +
            venue.finished() + ", snapshots=" + venue.snapshotsServed() + "} sync{state=" + sync.state() + ", applied=" +
            sync.diffsApplied() + ", gaps=" + sync.gaps() + ", resyncs=" + sync.resyncs() + ", unusable=" +
            sync.snapshotsUnusable() + ", malformed=" + sync.malformed() + ", rejected=" + sync.rejectedValues() +
            ", buffered=" + sync.diffsBuffered() + ", stale=" + sync.diffsDroppedStale() + ", lastUpdateId=" +
            sync.lastUpdateId() + ", pendingBytes=" + sync.pendingBytes() + ", snapshots=" + sync.snapshots() +
            ", ignored=" + sync.snapshotsIgnored() + "} agent{failures=" + agent.snapshotFailures() + ", discarded=" +
            agent.snapshotsDiscarded() + ", lost=" + agent.snapshotsLost() + ", restStatus=" + agent.rest().lastStatus() + ", restTimeouts=" + agent.rest().timeouts() +
            ", restFailures=" + agent.rest().failures() + ", restError=" + agent.rest().lastError() +
            ", venueSnapshotId=" + venue.lastSnapshotUpdateId() + ", frameLoss=" + agent.frameLossEvents() +
            "} states=" + collector.states + " ledger=" + agent.client().ledger().gaps();
    }

    /** Settings applied to the venue-pointed context. */
    @FunctionalInterface
    private interface FeedContextTemplate
    {
        FeedContext apply(FakeBinanceVenue venue);
    }

    @Test
    void publishedBooksEqualTheOfflineReplayAndEveryFaultIsRecovered()
    {
        // 100x recorded time (about 3.5 s for the 6-minute recording): as fast as possible would outrun the REST
        // snapshot after the last fault and end the stream before the book can bridge it
        final FakeBinanceVenue.Options options = LiveTestSupport.venueOptions().speed(100).stallMs(900).snapshotDelayMs(300).seed(11);
        start(options, v -> LiveTestSupport.context(v).livenessTimeoutMs(500));
        venue.faults()
            .atFrame(2_000, Fault.DROP)
            .atFrame(5_000, Fault.DUPLICATE)
            .atFrame(8_000, Fault.REORDER)
            .atFrame(11_000, Fault.TRUNCATE)
            .atFrame(14_000, Fault.CORRUPT)
            .atFrame(17_000, Fault.DISCONNECT)
            .atFrame(20_000, Fault.DROP)
            .atFrame(20_000, Fault.STALE_SNAPSHOT)
            .atFrame(23_000, Fault.STALL)
            .atFrame(26_000, Fault.TRUNCATE)
            .atFrame(26_000, Fault.SLOW_SNAPSHOT)
            .atFrame(29_000, Fault.DISCONNECT);
        final long startNs = System.nanoTime();
        drive("the whole recording streamed and the book in sync", 40_000, () ->
            venue.finished() && agent.sync().state() == FeedState.SYNCED && agent.textFrames() > 30_000);
        // let the last frames drain
        final long drainUntilNs = System.nanoTime() + 200_000_000L;
        drive("drain", 5_000, () -> System.nanoTime() > drainUntilNs);
        final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;

        final BookSync sync = agent.sync();
        final String context = describe();
        for (final Fault fault : Fault.values())
        {
            final long expectedCount = switch (fault)
            {
                case DROP, TRUNCATE, DISCONNECT -> 2;
                default -> 1;
            };
            assertEquals(expectedCount, venue.faults().injected(fault), fault + " injected; " + context);
        }
        // never wrong
        assertEquals(0, collector.mismatches, collector.mismatchDetails + " " + context);
        assertEquals(0, collector.booksUnknownId, "books at ids the offline replay never published; " + context);
        assertEquals(0, collector.booksWhileNotSynced, context);
        assertTrue(collector.booksCompared > 1_500, collector.booksCompared + " books compared; " + context);
        assertEquals(0, sync.bookTickerMismatches(), context);
        assertTrue(sync.bookTickerChecks() > 200, sync.bookTickerChecks() + " bookTicker checks; " + context);
        assertEquals(0, sync.crossedBooks(), context);
        // always recovers: drop x2, reorder, truncate x2, disconnect x2 and the stall each cost the book its sync
        // (a fault that lands while the book is still resyncing from the previous one shares its resync)
        assertEquals(FeedState.SYNCED, sync.state(), context);
        assertEquals(FeedState.SYNCED, collector.state, context);
        assertTrue(sync.resyncs() >= 6, "resyncs " + sync.resyncs() + "; " + context);
        assertEquals(collector.synced(), 1 + sync.resyncs(), context);
        assertTrue(collector.count(FeedState.DISCONNECTED) >= 3, "disconnect x2 and the stall; " + context);
        assertTrue(collector.count(FeedState.RESYNCING) >= 4, "gaps; " + context);
        assertTrue(sync.snapshotsUnusable() >= 1, "the stale snapshot was refused; " + context);
        assertTrue(agent.snapshotRequests() >= sync.resyncs() + 2, "the stale snapshot was re-fetched; " + context);
        final List<ConnectionLedger.Gap> gaps = agent.client().ledger().gaps();
        assertEquals(2, agent.client().ledger().count(DisconnectReason.REMOTE_CLOSE), gaps.toString());
        assertEquals(1, agent.client().ledger().count(DisconnectReason.LIVENESS_TIMEOUT), gaps.toString());
        for (final ConnectionLedger.Gap gap : gaps)
        {
            assertTrue(gap.reconnectTimeNs() != ConnectionLedger.OPEN, "gap never closed: " + gap);
        }
        assertEquals(ConnectionState.CONNECTED, agent.client().state());
        System.out.printf("live feed vs fake venue: %d events streamed, %d books compared (0 mismatches), %d bookTicker" +
            " checks, %d resyncs, %d snapshots requested, states %s, %d ms%n", venue.eventsStreamed(),
            collector.booksCompared, sync.bookTickerChecks(), sync.resyncs(), agent.snapshotRequests(), collector.states,
            elapsedMs);
        for (final ConnectionLedger.Gap gap : gaps)
        {
            System.out.println("  gap: " + gap.reason() + " " + gap.durationMs() + " ms (" + gap.detail() + ")");
        }
    }

    @Test
    void sbeBinaryFramesGiveTheSameBooksAsTheOfflineReplayThroughFaults()
    {
        final FakeBinanceVenue.Options options = new FakeBinanceVenue.Options()
            .sbeRecordings(List.of(LiveTestSupport.spot0808()), -8, -8)
            .speed(100).snapshotDelayMs(300).seed(13);
        start(options, v -> LiveTestSupport.context(v).format(FeedContext.Format.SBE).livenessTimeoutMs(1_000));
        venue.faults()
            .atFrame(4_000, Fault.DROP)
            .atFrame(9_000, Fault.TRUNCATE)
            .atFrame(14_000, Fault.CORRUPT)
            .atFrame(19_000, Fault.DISCONNECT);
        drive("the whole recording streamed as SBE and the book in sync", 40_000, () ->
            venue.finished() && agent.sync().state() == FeedState.SYNCED && agent.binaryFrames() > 30_000);
        final long drainUntilNs = System.nanoTime() + 200_000_000L;
        drive("drain", 5_000, () -> System.nanoTime() > drainUntilNs);

        final BookSync sync = agent.sync();
        final String context = describe();
        assertEquals(0, agent.textFrames(), "every streamed event went as binary SBE; " + context);
        assertEquals(0, collector.mismatches, collector.mismatchDetails + " " + context);
        assertEquals(0, collector.booksUnknownId, context);
        assertEquals(0, collector.booksWhileNotSynced, context);
        assertTrue(collector.booksCompared > 1_500, collector.booksCompared + " books compared; " + context);
        assertEquals(0, sync.bookTickerMismatches(), context);
        assertTrue(sync.bookTickerChecks() > 200, sync.bookTickerChecks() + " bookTicker checks; " + context);
        assertTrue(sync.resyncs() >= 3, "drop, truncate and disconnect each cost a resync; " + context);
        assertEquals(FeedState.SYNCED, collector.state, context);
    }

    @Test
    void reconnectsTenTimesOutOfTenEachWithinFiveSeconds()
    {
        start(LiveTestSupport.venueOptions().speed(1), LiveTestSupport::context);
        drive("first sync", 10_000, () -> agent.sync().state() == FeedState.SYNCED);
        final List<Long> reconnectMs = new ArrayList<>();
        final List<Long> resyncMs = new ArrayList<>();
        for (int i = 1; i <= 10; i++)
        {
            final long connects = agent.client().connects();
            final long resyncs = agent.sync().resyncs();
            final long startNs = System.nanoTime();
            venue.disconnectAll();
            drive("disconnect " + i + " seen", 5_000, () -> agent.sync().state() == FeedState.DISCONNECTED);
            drive("reconnect " + i, 5_000, () -> agent.client().connects() == connects + 1);
            reconnectMs.add((System.nanoTime() - startNs) / 1_000_000);
            drive("resync " + i, 5_000, () -> agent.sync().state() == FeedState.SYNCED && agent.sync().resyncs() == resyncs + 1);
            resyncMs.add((System.nanoTime() - startNs) / 1_000_000);
        }
        System.out.println("reconnect after venue disconnect, ms (connected again): " + reconnectMs);
        System.out.println("reconnect after venue disconnect, ms (book SYNCED again): " + resyncMs);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(resyncMs.get(i) < 5_000, "reconnect " + (i + 1) + " took " + resyncMs.get(i) + " ms");
        }
        assertEquals(11, agent.client().connects());
        assertEquals(10, agent.client().ledger().count(DisconnectReason.REMOTE_CLOSE));
        assertEquals(0, collector.mismatches, collector.mismatchDetails.toString());
        assertEquals(0, agent.sync().bookTickerMismatches());
        drive("market data drained", 2_000, () -> collector.poll() == 0 && collector.state == FeedState.SYNCED);
        assertEquals(11, collector.synced(), collector.states.toString());
    }

    @Test
    void aSlowAgentLosesFramesButNeverPublishesAWrongBook()
    {
        // a 512 KiB ring and an agent that stalls now and then: the ring overflows, the book resyncs
        start(LiveTestSupport.venueOptions().speed(100), v -> LiveTestSupport.context(v)
            .ringBytes(FeedContext.minRingBytes(500)).snapshotLimit(500).livenessTimeoutMs(5_000));
        final long[] iterations = {0};
        drive("frames lost and the book resynced", 20_000, () ->
        {
            // stall only while in sync, so that each stall costs a separate resync
            if (++iterations[0] % 64 == 0 && agent.sync().isSynced() && agent.sync().resyncs() < 2)
            {
                try
                {
                    Thread.sleep(200);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            return agent.frameLossEvents() >= 2 && agent.sync().resyncs() >= 2 && agent.sync().isSynced();
        });
        assertTrue(agent.client().framesLost() > 0);
        assertEquals(1, agent.client().connects(), "frames are lost, not the connection");
        assertEquals(0, collector.mismatches, collector.mismatchDetails + " " + describe());
        assertEquals(0, collector.booksUnknownId, describe());
        assertEquals(0, agent.sync().bookTickerMismatches());
        System.out.printf("slow agent: %d frames lost in %d overflows, %d resyncs, %d books compared%n",
            agent.client().framesLost(), agent.frameLossEvents(), agent.sync().resyncs(), collector.booksCompared);
    }
}
