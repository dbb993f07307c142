package mm.feed.kite.live;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import mm.common.aeron.Streams;
import mm.common.testing.StreamProbe;
import mm.driver.EmbeddedDriver;
import mm.feed.kite.KiteDecodeError;
import mm.feed.kite.KiteInstruments;
import mm.feed.kite.KiteTextType;
import mm.feed.kite.transport.KiteConnectionState;
import mm.feed.kite.transport.KiteCredentials;
import mm.feed.kite.transport.KiteWebSocketClient;
import mm.feed.kite.venue.FakeKiteServer;
import mm.sbe.BookTopNDecoder;
import mm.sbe.FeedState;
import mm.sbe.TradeDecoder;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live Kite feed against {@link FakeKiteServer}: data, faults counted, reconnects, token expiry. */
class KiteLiveFeedSystemTest
{
    private static final String KEY = "kite-key-1234";
    private static final String TOKEN = "secret-access-token";

    private final Streams streams = new Streams("aeron:ipc?term-length=1m", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private EmbeddedDriver driver;
    private Aeron aeron;
    private StreamProbe marketData;
    private FakeKiteServer server;
    private KiteLiveFeedAgent agent;
    private KiteInstruments instruments;
    private Instrument infy;
    private Instrument sbin;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        marketData = new StreamProbe(aeron, streams.channel(), streams.marketData()).subscribe();
        final InstrumentRegistry registry = new InstrumentRegistry();
        instruments = KiteInstruments.load(new StringReader(KiteMarketDataPublisherTest.CSV), "test.csv", registry, 1, null);
        infy = registry.bySymbol(Venue.KITE, "NSE:INFY");
        sbin = registry.bySymbol(Venue.KITE, "NSE:SBIN");
    }

    @AfterEach
    void tearDown()
    {
        if (agent != null)
        {
            agent.onClose();
        }
        if (server != null)
        {
            server.close();
        }
        marketData.close();
        aeron.close();
        driver.close();
    }

    private KiteLiveFeedAgent agent(final String token, final String mode, final long livenessMs)
    {
        final KiteLiveFeedAgent.Settings settings = new KiteLiveFeedAgent.Settings(
            server.url(), new KiteCredentials(KEY, token),
            new int[]{KiteMarketDataPublisherTest.INFY, KiteMarketDataPublisherTest.SBIN}, mode,
            KiteMarketHours.always(), 5_000, livenessMs, 20, 200, 10, 1_000, 1 << 20);
        return new KiteLiveFeedAgent(settings, instruments, List.of(infy, sbin), aeron, streams, "feed-kite",
            () -> true, new SystemEpochNanoClock(), new Random(1));
    }

    private void runUntil(final BooleanSupplier done, final long timeoutMs)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!done.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out; client " + agent.client() + " last failure: " + agent.client().lastFailure());
            }
            if (agent.doWork() == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void fullModeStreamsBooksTradesAndPostbacks()
    {
        server = new FakeKiteServer(0, KEY, TOKEN, 7, 5, List.of(), 1, 10);
        agent = agent(TOKEN, "full", 3_000);
        runUntil(() -> agent.publisher().books() >= 100 && agent.publisher().trades() >= 20 &&
            agent.router().count(KiteTextType.ORDER) >= 2, 20_000);
        assertEquals(FeedState.SYNCED, agent.publisher().state(infy.id()));
        assertEquals(FeedState.SYNCED, agent.publisher().state(sbin.id()));
        assertEquals(0, agent.decoder().errors());
        assertEquals(KiteConnectionState.CONNECTED, agent.connectionState());
        assertTrue(marketData.ofTemplate(BookTopNDecoder.TEMPLATE_ID).size() >= 100);
        assertTrue(marketData.ofTemplate(TradeDecoder.TEMPLATE_ID).size() >= 20);
        assertFalse(agent.client().toString().contains(TOKEN), "the token is never printed");
    }

    @Test
    void ltpModeIsHonouredNoBooks()
    {
        server = new FakeKiteServer(0, KEY, TOKEN, 7, 5, List.of(), 1, 0);
        agent = agent(TOKEN, "ltp", 3_000);
        runUntil(() -> agent.decoder().packets(mm.feed.kite.KitePacketMode.LTP) >= 50, 20_000);
        // ticks sent between the subscribe and the mode message come in Kite's default mode (quote), as on the
        // real ticker; after the mode message every packet is LTP
        final long early = agent.decoder().packets() - agent.decoder().packets(mm.feed.kite.KitePacketMode.LTP);
        runUntil(() -> agent.decoder().packets(mm.feed.kite.KitePacketMode.LTP) >= 100, 20_000);
        assertEquals(early, agent.decoder().packets() - agent.decoder().packets(mm.feed.kite.KitePacketMode.LTP),
            "no packet in another mode once LTP was asked for");
        assertEquals(0, agent.publisher().books());
    }

    @Test
    void modeChangeAndUnsubscribeReachTheServer()
    {
        server = new FakeKiteServer(0, KEY, TOKEN, 7, 5, List.of(), 1, 0);
        agent = agent(TOKEN, "full", 3_000);
        runUntil(() -> agent.publisher().books() >= 10, 10_000);
        agent.client().mode(new int[]{KiteMarketDataPublisherTest.INFY, KiteMarketDataPublisherTest.SBIN}, "ltp");
        runUntil(() -> agent.decoder().packets(mm.feed.kite.KitePacketMode.LTP) >= 20, 10_000);
        agent.client().unsubscribe(new int[]{KiteMarketDataPublisherTest.INFY, KiteMarketDataPublisherTest.SBIN});
        // Once the server has the unsubscribe it sends only heartbeats.
        final long heartbeatsBefore = agent.decoder().heartbeats();
        runUntil(() -> agent.decoder().heartbeats() >= heartbeatsBefore + 1, 10_000);
        final long packets = agent.decoder().packets();
        final long until = System.currentTimeMillis() + 200;
        runUntil(() -> System.currentTimeMillis() > until, 1_000);
        assertEquals(packets, agent.decoder().packets(), "no data after unsubscribe");
        assertTrue(server.commands() >= 4, "subscribe, mode, mode, unsubscribe");
    }

    @Test
    void onlyKnownTokensAreStreamed()
    {
        server = new FakeKiteServer(0, KEY, TOKEN, 7, 5, List.of(), 1, 0).knownTokens(java.util.Set.of(KiteMarketDataPublisherTest.INFY));
        agent = agent(TOKEN, "full", 3_000);
        runUntil(() -> agent.publisher().books() >= 20, 10_000);
        assertEquals(FeedState.SYNCED, agent.publisher().state(infy.id()));
        assertTrue(agent.publisher().state(sbin.id()) != FeedState.SYNCED, "SBIN never ticked");
    }

    @Test
    void faultsAreCountedAndDisconnectsReconnectAndResubscribe()
    {
        server = new FakeKiteServer(0, KEY, TOKEN, 7, 5, List.of(FakeKiteServer.Fault.values()), 10, 0);
        agent = agent(TOKEN, "full", 3_000);
        runUntil(() -> server.faultsInjected(FakeKiteServer.Fault.DISCONNECT) >= 2 && agent.client().connects() >= 3 &&
            agent.publisher().state(infy.id()) == FeedState.SYNCED, 30_000);
        final long booksBefore = agent.publisher().books();
        runUntil(() -> agent.publisher().books() > booksBefore + 20, 10_000);
        assertTrue(agent.decodeErrors(KiteDecodeError.PACKET_OVERRUNS_MESSAGE) >= 1, "bad length and truncation");
        assertTrue(agent.decodeErrors(KiteDecodeError.UNKNOWN_PACKET_LENGTH) >= 1, "unknown mode");
        assertTrue(agent.decoder().heartbeats() >= 50, "heartbeat flood");
        assertTrue(agent.disconnectedEvents() >= 2);
        assertTrue(agent.client().ledger().total() >= 2);
        assertTrue(marketData.ofTemplate(mm.sbe.FeedStatusDecoder.TEMPLATE_ID).size() >= 4, "DISCONNECTED then SYNCED");
    }

    @Test
    void silenceTriggersLivenessReconnect()
    {
        server = new FakeKiteServer(0, KEY, TOKEN, 7, 5, List.of(), 1, 0);
        agent = agent(TOKEN, "quote", 300);
        runUntil(() -> agent.client().connects() >= 1 && agent.decoder().packets() > 10, 10_000);
        server.pause(true);
        // The ring delivers the disconnect after the frames that preceded it.
        runUntil(() -> agent.client().livenessTimeouts() >= 1 &&
            agent.publisher().state(infy.id()) == FeedState.DISCONNECTED, 10_000);
        server.pause(false);
        runUntil(() -> agent.client().connects() >= 2 && agent.publisher().state(infy.id()) == FeedState.SYNCED, 10_000);
    }

    @Test
    void wrongTokenIsTokenExpiredWithoutRetryLoop() throws InterruptedException
    {
        server = new FakeKiteServer(0, KEY, TOKEN, 7, 5, List.of(), 1, 0);
        agent = agent("yesterdays-token", "full", 3_000);
        runUntil(() -> agent.connectionState() == KiteConnectionState.TOKEN_EXPIRED, 10_000);
        for (int i = 0; i < 50; i++)
        {
            agent.doWork();
            Thread.sleep(10);
        }
        assertEquals(KiteConnectionState.TOKEN_EXPIRED, agent.connectionState());
        assertEquals(1, server.rejectedUpgrades(), "no retry loop");
        assertEquals(1, agent.client().tokenExpiries());
        assertFalse(agent.client().lastFailure().contains("yesterdays-token"));
    }

    @Test
    void moreThan3000InstrumentsIsAClearError()
    {
        server = new FakeKiteServer(0, KEY, TOKEN, 7, 5, List.of(), 1, 0);
        agent = agent(TOKEN, "full", 3_000);
        final int[] tokens = new int[3001];
        for (int i = 0; i < tokens.length; i++)
        {
            tokens[i] = (i + 1) << 8 | 1;
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> agent.client().subscribe(tokens, "full"));
        assertTrue(ex.getMessage().contains("3000"), ex.getMessage());
        assertEquals("{\"a\":\"mode\",\"v\":[\"full\",[1,2]]}", commandText());
    }

    private static String commandText()
    {
        try
        {
            final var m = KiteWebSocketClient.class.getDeclaredMethod("command", String.class, String.class, int[].class);
            m.setAccessible(true);
            return (String)m.invoke(null, "mode", "full", new int[]{1, 2});
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void credentialsAreRedacted()
    {
        final KiteCredentials credentials = new KiteCredentials(KEY, TOKEN);
        assertEquals("KiteCredentials[apiKey=***1234, accessToken=<redacted>]", credentials.toString());
        assertEquals("from-env", KiteCredentials.resolve(java.util.Map.of("KITE_TOKEN", "from-env"), "KITE_TOKEN", null));
        assertThrows(IllegalArgumentException.class, () -> KiteCredentials.resolve(java.util.Map.of(), "KITE_TOKEN", null));
    }
}
