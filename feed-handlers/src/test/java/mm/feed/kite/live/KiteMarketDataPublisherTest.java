package mm.feed.kite.live;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.InstrumentRegistry;
import mm.common.aeron.Streams;
import mm.common.testing.StreamProbe;
import mm.driver.EmbeddedDriver;
import mm.feed.kite.KiteInstruments;
import mm.feed.kite.KiteMessageDecoder;
import mm.feed.kite.venue.KitePacketWriter;
import mm.sbe.BookTopNDecoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.Side;
import mm.sbe.TradeDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KiteMarketDataPublisherTest
{
    static final String CSV =
        "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n" +
        "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE\n" +
        "779521,3045,SBIN,STATE BANK OF INDIA,0,,0,0.05,1,EQ,NSE,NSE\n";
    static final int INFY = 408065;
    static final int SBIN = 779521;
    private static final long S = 1_000_000_000L;
    /** Monday 2026-11-23 10:00 IST = 04:30 UTC. */
    private static final long OPEN_EPOCH_NS = Instant.parse("2026-11-23T04:30:00Z").getEpochSecond() * S;
    /** Monday 2026-11-23 16:00 IST. */
    private static final long CLOSED_EPOCH_NS = Instant.parse("2026-11-23T10:30:00Z").getEpochSecond() * S;

    private final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private EmbeddedDriver driver;
    private Aeron aeron;
    private StreamProbe marketData;
    private KiteInstruments instruments;
    private KiteMarketDataPublisher publisher;
    private KiteMessageDecoder decoder;
    private final UnsafeBuffer wire = new UnsafeBuffer(new byte[4096]);
    private final KitePacketWriter writer = new KitePacketWriter();
    private int infyId;
    private int consumed;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        marketData = new StreamProbe(aeron, streams.channel(), streams.marketData()).subscribe();
        final InstrumentRegistry registry = new InstrumentRegistry();
        instruments = KiteInstruments.load(new StringReader(CSV), "test.csv", registry, 10, null);
        final Instrument infy = registry.bySymbol(mm.common.Venue.KITE, "NSE:INFY");
        infyId = infy.id();
        // Only INFY is published: SBIN is loaded but not configured, so its ticks are counted, not published.
        publisher = new KiteMarketDataPublisher(
            instruments, List.of(infy), KiteMarketHours.nseEquity(), 5 * S, aeron, streams, "feed-kite");
        decoder = new KiteMessageDecoder(publisher);
    }

    @AfterEach
    void tearDown()
    {
        marketData.close();
        aeron.close();
        driver.close();
    }

    private void full(final int token, final int ltp, final int volume, final long receiveNs)
    {
        writer.begin(wire, 0).full(token, ltp, 10, volume, 150000, 1_700_000_000, 1_700_000_001,
            new int[]{ltp - 5, ltp - 10, 0, 0, 0}, new int[]{100, 200, 0, 0, 0},
            new int[]{ltp + 5, ltp + 10, ltp + 15, ltp + 20, ltp + 25}, new int[]{1, 2, 3, 4, 5});
        decoder.decode(wire, 0, writer.end(), receiveNs);
    }

    private List<String> events()
    {
        final List<String> out = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final long deadlineNs = System.nanoTime() + 5 * S;
        while (marketData.poll().size() < publisher.eventSeq() && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
        final List<byte[]> all = marketData.poll();
        for (final byte[] bytes : all.subList(consumed, all.size()))
        {
            final UnsafeBuffer b = new UnsafeBuffer(bytes);
            header.wrap(b, 0);
            switch (header.templateId())
            {
                case BookTopNDecoder.TEMPLATE_ID ->
                {
                    final BookTopNDecoder d = new BookTopNDecoder().wrapAndApplyHeader(b, 0, header);
                    final StringBuilder s = new StringBuilder("book " + d.eventSeq() + " id" + d.instrumentId() +
                        " ex" + d.exchangeTimeNs() + " rx" + d.receiveTimeNs() + " e" + d.priceExponent() + " bids");
                    for (final BookTopNDecoder.BidsDecoder l : d.bids())
                    {
                        s.append(' ').append(l.price()).append('x').append(l.qty());
                    }
                    s.append(" asks");
                    for (final BookTopNDecoder.AsksDecoder l : d.asks())
                    {
                        s.append(' ').append(l.price()).append('x').append(l.qty());
                    }
                    out.add(s.toString());
                }
                case TradeDecoder.TEMPLATE_ID ->
                {
                    final TradeDecoder d = new TradeDecoder().wrapAndApplyHeader(b, 0, header);
                    assertEquals(Side.NULL_VAL, d.aggressorSide());
                    out.add("trade " + d.eventSeq() + " id" + d.instrumentId() + " " + d.qty() + "@" + d.price() +
                        " tid" + d.tradeId());
                }
                case FeedStatusDecoder.TEMPLATE_ID ->
                {
                    final FeedStatusDecoder d = new FeedStatusDecoder().wrapAndApplyHeader(b, 0, header);
                    out.add("status " + d.eventSeq() + " id" + d.instrumentId() + " " + d.state() + " rx" + d.receiveTimeNs());
                }
                default -> out.add("other " + header.templateId());
            }
        }
        consumed = all.size();
        return out;
    }

    @Test
    void publishesBooksTradesAndStatesWithEventSeq()
    {
        publisher.checkState(100, OPEN_EPOCH_NS);
        full(INFY, 150000, 1000, 200);   // baseline volume: no trade
        full(SBIN, 50000, 10, 210);      // unconfigured: ignored
        full(INFY, 150005, 1250, 300);   // +250 traded at 1500.05
        full(INFY, 150010, 1250, 400);   // volume unchanged: book only
        final long ex = 1_700_000_001L * S;
        assertEquals(List.of(
            "status 1 id" + infyId + " SYNCED rx200",
            "book 2 id" + infyId + " ex" + ex + " rx200 e-2 bids 149995x100 149990x200 asks 150005x1 150010x2 150015x3 150020x4 150025x5",
            "trade 3 id" + infyId + " 250@150005 tid1250",
            "book 4 id" + infyId + " ex" + ex + " rx300 e-2 bids 150000x100 149995x200 asks 150010x1 150015x2 150020x3 150025x4 150030x5",
            "book 5 id" + infyId + " ex" + ex + " rx400 e-2 bids 150005x100 150000x200 asks 150015x1 150020x2 150025x3 150030x4 150035x5"),
            events());
        assertEquals(1, publisher.unknownTokens());
        assertEquals(1, publisher.trades());
    }

    @Test
    void quoteAndLtpModesGiveTradesButNoBooks()
    {
        publisher.checkState(0, OPEN_EPOCH_NS);
        writer.begin(wire, 0).quote(INFY, 150000, 5, 150000, 500, 1, 1, 1, 1, 1, 1).ltp(INFY, 150100);
        decoder.decode(wire, 0, writer.end(), 10);
        writer.begin(wire, 0).quote(INFY, 150100, 5, 150000, 507, 1, 1, 1, 1, 1, 1);
        decoder.decode(wire, 0, writer.end(), 20);
        assertEquals(List.of("status 1 id" + infyId + " SYNCED rx10", "trade 2 id" + infyId + " 7@150100 tid507"), events());
    }

    @Test
    void staleAfterTimeoutWhileOpenThenSyncedOnNextTick()
    {
        publisher.checkState(0, OPEN_EPOCH_NS);
        full(INFY, 150000, 1000, S);
        events();
        assertEquals(0, publisher.checkState(6 * S, OPEN_EPOCH_NS + 6 * S));
        assertEquals(1, publisher.checkState(6 * S + 1, OPEN_EPOCH_NS + 6 * S));
        assertEquals(0, publisher.checkState(7 * S, OPEN_EPOCH_NS + 7 * S), "STALE once, not every cycle");
        full(INFY, 150000, 1000, 8 * S);
        final List<String> e = events();
        assertEquals("status 3 id" + infyId + " STALE rx" + (6 * S + 1), e.get(0));
        assertEquals("status 4 id" + infyId + " SYNCED rx" + 8 * S, e.get(1));
    }

    @Test
    void closedOutsideMarketHoursAndNoStaleWhileClosed()
    {
        publisher.checkState(0, CLOSED_EPOCH_NS);
        publisher.checkState(100 * S, CLOSED_EPOCH_NS + 100 * S);
        full(INFY, 150000, 1000, 101 * S);    // a tick outside hours: book published, state stays CLOSED
        assertEquals(FeedState.CLOSED, publisher.state(infyId));
        final List<String> e = events();
        assertEquals("status 1 id" + infyId + " CLOSED rx0", e.get(0));
        assertEquals(2, e.size());
        assertTrue(e.get(1).startsWith("book 2"));
        // Saturday 10:00 IST is closed too.
        assertFalse(KiteMarketHours.nseEquity().isOpen(Instant.parse("2026-11-28T04:30:00Z").getEpochSecond() * S));
        assertTrue(KiteMarketHours.nseEquity().isOpen(Instant.parse("2026-11-27T03:45:00Z").getEpochSecond() * S));
        assertFalse(KiteMarketHours.nseEquity().isOpen(Instant.parse("2026-11-27T03:44:59Z").getEpochSecond() * S));
        assertFalse(KiteMarketHours.nseEquity().isOpen(Instant.parse("2026-11-27T10:00:00Z").getEpochSecond() * S));
    }

    @Test
    void disconnectResetsVolumeBaseline()
    {
        publisher.checkState(0, OPEN_EPOCH_NS);
        full(INFY, 150000, 1000, 10);
        publisher.onDisconnected(20);
        full(INFY, 150000, 5000, 30);  // volume grew across the gap: not a trade
        full(INFY, 150000, 5001, 40);
        final List<String> e = events();
        assertEquals("status 3 id" + infyId + " DISCONNECTED rx20", e.get(2));
        assertEquals("status 4 id" + infyId + " SYNCED rx30", e.get(3));
        assertEquals("trade 6 id" + infyId + " 1@150000 tid5001", e.get(5));
        assertEquals(1, publisher.trades());
    }

    @Test
    void marketHoursParse()
    {
        assertEquals("09:15-15:30 IST MON,TUE,WED,THU,FRI", KiteMarketHours.parse("09:15-15:30", "MON-FRI").toString());
        assertEquals("09:00-23:30 IST MON,WED", KiteMarketHours.parse("09:00-23:30", "MON,WED").toString());
        assertArrayEquals(new boolean[]{true}, new boolean[]{KiteMarketHours.always().isOpen(0)});
    }
}
