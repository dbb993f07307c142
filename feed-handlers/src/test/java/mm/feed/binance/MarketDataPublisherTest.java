package mm.feed.binance;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.Venue;
import mm.common.aeron.Streams;
import mm.common.testing.StreamProbe;
import mm.driver.EmbeddedDriver;
import mm.sbe.BookTopNDecoder;
import mm.sbe.MarkPriceDecoder;
import mm.sbe.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recorded USD-M 2023 feed (shared/data, recorded by others) through {@link BookSync} and the real
 * {@link MarketDataPublisher} over an embedded media driver: mark prices arrive on MARKET_DATA as
 * {@code MarkPrice} messages (schema version 2), exact, in eventSeq order with the books.
 */
class MarketDataPublisherTest
{
    /** USD-M BTCUSDT as the 2023 recording has it: prices with 2 decimals (tick 0.10), quantities with 3. */
    private static final Instrument BTCUSDT_PERP =
        new Instrument(7, Venue.BINANCE_USDM, "BTCUSDT", -2, -3, 10, 1, 5_00000L);

    private final Streams streams = new Streams("aeron:ipc?term-length=64k", 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private EmbeddedDriver driver;
    private Aeron aeron;
    private StreamProbe marketData;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
        marketData = new StreamProbe(aeron, streams.channel(), streams.marketData()).subscribe();
    }

    @AfterEach
    void tearDown()
    {
        marketData.close();
        aeron.close();
        driver.close();
    }

    @Test
    void recordedMarkPricesArePublishedAsMarkPriceMessages()
    {
        final MarketDataPublisher publisher = new MarketDataPublisher(BTCUSDT_PERP, 5, aeron, streams, "feed-test");
        final BookSync sync = new BookSync(publisher, BTCUSDT_PERP);
        publisher.sync(sync);
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!publisher.isConnected())
        {
            assertTrue(System.nanoTime() < deadlineNs, "market-data publication never connected");
            Thread.onSpinWait();
        }

        // The first 1000 lines hold the snapshot (line 17) and the first mark prices (from line 51).
        final List<TestData.Line> lines =
            TestData.readLines(TestData.hftbacktest("usdm/btcusdt_20230404.dat.gz")).subList(0, 1000);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        for (final TestData.Line line : lines)
        {
            buffer.wrap(line.json());
            sync.onLine(buffer, 0, line.json().length, line.receiveTimeNs());
            drain(publisher); // the probe holds one 64 KiB term: keep reading as the feed would be read
        }
        drain(publisher);
        final long markPrices = sync.markPrices();
        assertTrue(markPrices >= 2, HftbacktestReplayTest.describe(sync));

        final List<byte[]> all = marketData.poll();
        final List<byte[]> marks = marketData.ofTemplate(MarkPriceDecoder.TEMPLATE_ID);
        assertEquals(publisher.eventSeq(), all.size(), "every event published once");
        assertEquals(markPrices, marks.size());
        assertTrue(marketData.ofTemplate(BookTopNDecoder.TEMPLATE_ID).size() > 10);

        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final MarkPriceDecoder mark = new MarkPriceDecoder();
        mark.wrapAndApplyHeader(new UnsafeBuffer(marks.getFirst()), 0, header);
        assertEquals(MarkPriceDecoder.SCHEMA_VERSION, header.version());
        assertEquals(MarkPriceDecoder.BLOCK_LENGTH, header.blockLength());
        assertEquals(BTCUSDT_PERP.id(), mark.instrumentId());
        // {"e":"markPriceUpdate","E":1680652701000,"s":"BTCUSDT","p":"28147.27373413","P":"28142.15563565",
        //  "i":"28159.75642857","r":"0.00002754","T":1680652800000}, received at 1680652701048293 µs.
        assertEquals(2814727373413L, mark.markPrice());
        assertEquals(2815975642857L, mark.indexPrice());
        assertEquals(-8, mark.markPriceExponent());
        assertEquals(2754, mark.fundingRate());
        assertEquals(-8, mark.fundingRateExponent());
        assertEquals(1680652800000L * 1_000_000, mark.nextFundingTimeNs());
        assertEquals(1680652701000L * 1_000_000, mark.exchangeTimeNs());
        assertEquals(1680652701048293L * 1_000, mark.receiveTimeNs());

        long previousSeq = 0;
        for (final byte[] message : all)
        {
            final long eventSeq = mm.common.sbe.Messages.eventSeq(new UnsafeBuffer(message), 0);
            assertEquals(previousSeq + 1, eventSeq);
            previousSeq = eventSeq;
        }
    }

    /** Reads the stream until the publisher has nothing queued (bounded: the test fails rather than hangs). */
    private void drain(final MarketDataPublisher publisher)
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        do
        {
            marketData.poll();
            publisher.flush();
            assertTrue(System.nanoTime() < deadlineNs, "publisher never flushed");
        }
        while (!publisher.isFlushed());
    }

    @Test
    void absentIndexPriceAndFundingRateArePublishedAsNullValues()
    {
        final MarketDataPublisher publisher = new MarketDataPublisher(BTCUSDT_PERP, 5, aeron, streams, "feed-test");
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!publisher.isConnected())
        {
            assertTrue(System.nanoTime() < deadlineNs, "market-data publication never connected");
            Thread.onSpinWait();
        }
        final BookSync sync = new BookSync(publisher, BTCUSDT_PERP);
        final byte[] delivery = ("{\"e\":\"markPriceUpdate\",\"E\":1596095725000,\"s\":\"BTCUSDT\"," +
            "\"p\":\"10934.62615417\",\"P\":\"10962.17178236\",\"r\":\"\",\"T\":0}").getBytes();
        sync.onLine(new UnsafeBuffer(delivery), 0, delivery.length, 42);
        drain(publisher);
        final List<byte[]> marks = marketData.ofTemplate(MarkPriceDecoder.TEMPLATE_ID);
        assertEquals(1, marks.size());
        final MarkPriceDecoder mark = new MarkPriceDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(marks.getFirst()), 0, new MessageHeaderDecoder());
        assertEquals(1093462615417L, mark.markPrice());
        assertEquals(-8, mark.markPriceExponent());
        assertEquals(MarkPriceDecoder.indexPriceNullValue(), mark.indexPrice());
        assertEquals(MarkPriceDecoder.fundingRateNullValue(), mark.fundingRate());
        assertEquals(0, mark.nextFundingTimeNs());
        assertEquals(42, mark.receiveTimeNs());
    }
}
