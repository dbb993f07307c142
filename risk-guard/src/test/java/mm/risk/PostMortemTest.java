package mm.risk;

import mm.common.Instrument;
import mm.common.testing.TestInstruments;
import mm.common.testing.TestMessages;
import mm.sbe.ExecType;
import mm.sbe.Side;
import mm.sbe.TradingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static mm.risk.MiniJson.array;
import static mm.risk.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The post-mortem file of a halt: trigger, value, threshold, positions, open orders, fills, book, events. */
class PostMortemTest
{
    private static final Instrument BTC = TestInstruments.BTCUSDT;
    private static final int ID = BTC.id();
    private static final long S = RiskHarness.SECOND_NS;

    /** A quote, a band reject, two acks, a partial fill of the ask, then the mark runs away: a daily-loss halt. */
    private static long[] scenario(final RiskHarness harness)
    {
        harness.book(1, ID, S, 4_999_900, 5_000_100);
        harness.intent(2, ID, 2 * S, 0, new long[][]{{4_999_000, 100}, {4_000_000, 100}}, new long[][]{{5_001_000, 100}});
        harness.send(harness.executions, TestMessages.execution(2, ID, 2 * S, 11, ExecType.NEW, Side.BUY, 4_999_000, 100,
            0, 0, 100, 0, false));
        harness.send(harness.executions, TestMessages.execution(2, ID, 2 * S, 12, ExecType.NEW, Side.SELL, 5_001_000, 100,
            0, 0, 100, 0, false));
        harness.send(harness.executions, TestMessages.execution(3, ID, 3 * S, 12, ExecType.TRADE, Side.SELL, 5_001_000, 100,
            5_001_000, 40, 60, 0, true));
        harness.book(4, ID, 4 * S, 5_259_900, 5_260_100);
        return new long[]{4};
    }

    @Test
    void haltWritesEverythingNeededToUnderstandIt(@TempDir final Path dir) throws Exception
    {
        final RiskContext context = RiskHarness.context(List.of(BTC), "risk.maxDailyLoss", "1", "risk.fees.model", "auto",
            "risk.postMortemDir", dir.toString());
        try (RiskHarness harness = new RiskHarness(context, PostMortem.SYNCHRONOUS))
        {
            scenario(harness);
            assertEquals(TradingState.HALTED, harness.guard().tradingState());
        }
        final Path file = dir.resolve("post-mortem-1-seq4-daily-loss.json");
        assertTrue(Files.exists(file), "files: " + List.of(dir.toFile().list()));
        final Map<String, Object> pm = object(MiniJson.parse(Files.readString(file)));

        // short 0.0004 at 50010.00, marked at 52600.00: -1.036 USDT, fee 0.1% of 20.004 = 0.020004
        assertEquals("DAILY_LOSS", pm.get("trigger"));
        assertEquals("1.05600400", pm.get("value"));
        assertEquals("1.00000000", pm.get("threshold"));
        assertEquals("ACTIVE", pm.get("stateBefore"));
        assertEquals("HALTED", pm.get("state"));
        assertEquals(4L, pm.get("eventSeq"));
        assertEquals(4 * S, pm.get("timeNs"));

        final Map<String, Object> account = object(pm.get("account"));
        assertEquals("100000.00000000", account.get("capital"));
        assertEquals("99998.94399600", account.get("equity"));
        assertEquals("-1.05600400", account.get("dailyPnl"));

        final Map<String, Object> position = object(array(pm.get("positions")).get(0));
        assertEquals("BTCUSDT", position.get("symbol"));
        assertEquals("-0.00040", position.get("position"));
        assertEquals("50010.00", position.get("averagePrice"));
        assertEquals("52600.00", position.get("markPrice"));
        assertEquals("0.0000000", position.get("realizedPnl"));
        assertEquals("-1.0360000", position.get("unrealizedPnl"));
        assertEquals("0.0200040", position.get("fees"));

        final List<Object> orders = array(pm.get("openOrders"));
        assertEquals(2, orders.size());
        final Map<String, Object> bid = object(orders.get(0)).get("clOrdId").equals(11L) ? object(orders.get(0)) : object(orders.get(1));
        final Map<String, Object> ask = bid == orders.get(0) ? object(orders.get(1)) : object(orders.get(0));
        assertEquals("BUY", bid.get("side"));
        assertEquals("49990.00", bid.get("price"));
        assertEquals("0.00100", bid.get("leavesQty"));
        assertEquals("SELL", ask.get("side"));
        assertEquals("0.00060", ask.get("leavesQty"), "what the partial fill left");

        final Map<String, Object> quotes = object(array(pm.get("approvedQuotesBeforeHalt")).get(0));
        assertEquals(1, array(quotes.get("bids")).size(), "the band reject left one bid");
        assertEquals("49990.00", object(array(quotes.get("bids")).get(0)).get("price"));
        assertEquals("50010.00", object(array(quotes.get("asks")).get(0)).get("price"));

        final Map<String, Object> fill = object(array(pm.get("lastFills")).get(0));
        assertEquals(12L, fill.get("clOrdId"));
        assertEquals("SELL", fill.get("side"));
        assertEquals("0.00040", fill.get("qty"));
        assertEquals("0.0200040", fill.get("fee"));

        final Map<String, Object> book = object(array(pm.get("books")).get(0));
        assertEquals("52599.00", book.get("bestBid"));
        assertEquals("52601.00", book.get("bestAsk"));
        assertEquals("SYNCED", book.get("feedState"));
        assertEquals(4 * S, book.get("lastMarketDataNs"));

        final List<Object> events = array(pm.get("recentEvents"));
        final StringBuilder kinds = new StringBuilder();
        for (final Object event : events)
        {
            kinds.append(object(event).get("kind")).append(':').append(object(event).get("reason")).append(' ');
        }
        assertEquals("REJECT:PRICE_BAND WARNING:DAILY_LOSS TRIGGER:DAILY_LOSS STATE:DAILY_LOSS ", kinds.toString());
    }

    @Test
    void theAgentWritesPostMortemsOnABackgroundThread(@TempDir final Path dir) throws Exception
    {
        final RiskContext context = RiskHarness.context(List.of(BTC), "risk.maxDailyLoss", "1", "risk.fees.model", "auto",
            "risk.postMortemDir", dir.resolve("deeper").toString());
        try (RiskHarness harness = new RiskHarness(context, null, true))
        {
            scenario(harness);
            assertTrue(harness.agent.awaitPostMortems(10_000));
            assertEquals(1, harness.counter("post-mortems"));
        }
        final Path file = dir.resolve("deeper").resolve("post-mortem-1-seq4-daily-loss.json");
        assertEquals("DAILY_LOSS", object(MiniJson.parse(Files.readString(file))).get("trigger"));
        try (var list = Files.list(dir.resolve("deeper")))
        {
            assertEquals(1, list.count(), "no temporary file left");
        }
    }
}
