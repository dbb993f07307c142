package mm.feed.binance;

import mm.common.json.JsonTree;
import mm.sbe.FeedState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cryptofeed's raw recordings (shared/data/binance/cryptofeed, made by others): one combined connection
 * carrying four symbols, with REST snapshots fetched during it. One decoder routes every frame to a
 * {@link BookSync} per symbol (symbol filter); each must bridge its snapshot with 0 chain breaks and agree
 * with bookTicker. The futures file holds the cases where the bridging diff ends exactly at lastUpdateId.
 */
class CryptofeedMultiSymbolTest
{
    private record Frame(long receiveTimeNs, String symbol, byte[] json)
    {
    }

    private static long secondsToNs(final String seconds)
    {
        return new BigDecimal(seconds).movePointRight(9).longValue();
    }

    /** WebSocket frames: {@code <unix seconds>: <json>} after a first line naming the URL. */
    private static List<Frame> frames(final Path ws, final Path http) throws IOException
    {
        final List<Frame> frames = new ArrayList<>();
        final List<String> wsLines = Files.readAllLines(ws, StandardCharsets.UTF_8);
        for (final String line : wsLines.subList(1, wsLines.size()))
        {
            if (line.isBlank())
            {
                continue;
            }
            final int colon = line.indexOf(": ");
            frames.add(new Frame(secondsToNs(line.substring(0, colon)), null,
                line.substring(colon + 2).getBytes(StandardCharsets.UTF_8)));
        }
        // REST snapshots: {@code <url> -> <unix seconds>: <json>}; the symbol is in the URL.
        for (final String line : Files.readAllLines(http, StandardCharsets.UTF_8))
        {
            if (line.isBlank())
            {
                continue;
            }
            final int arrow = line.indexOf(" -> ");
            final int colon = line.indexOf(": ", arrow);
            final String url = line.substring(0, arrow);
            final int symbolStart = url.indexOf("symbol=") + 7;
            final int symbolEnd = url.indexOf('&', symbolStart);
            frames.add(new Frame(secondsToNs(line.substring(arrow + 4, colon)), url.substring(symbolStart, symbolEnd),
                line.substring(colon + 2).getBytes(StandardCharsets.UTF_8)));
        }
        frames.sort(Comparator.comparingLong(Frame::receiveTimeNs)); // stable: ties keep file order
        return frames;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "BINANCE, NKNUSDT BLZETH LRCBTC RUNEEUR, 177, 26, 2",
        "BINANCE_FUTURES, SUSHIUSDT AKROUSDT KEEPUSDT CTKUSDT, 764, 50, 91",
    })
    void everySymbolBridgesWithoutGapsAndMatchesBookTicker(
        final String prefix, final String symbols, final long depthEvents, final long bookTickerChecks,
        final long aggTrades)
        throws IOException
    {
        final Path dir = TestData.shared().resolve("data/binance/cryptofeed");
        final List<Frame> frames = frames(dir.resolve(prefix + ".ws.1.0"), dir.resolve(prefix + ".http.0.0"));

        final Map<String, BookSync> syncs = new LinkedHashMap<>();
        final Map<String, CapturingListener> listeners = new LinkedHashMap<>();
        for (final String symbol : symbols.split(" "))
        {
            listeners.put(symbol, new CapturingListener(true));
            syncs.put(symbol, new BookSync(listeners.get(symbol), symbol, BookSync.DERIVE_EXPONENT,
                BookSync.DERIVE_EXPONENT, OrderBook.DEFAULT_CAPACITY, 1024, 1 << 20));
        }
        final List<Map<String, Object>> expectedAggTrades = new ArrayList<>();
        final BinanceJsonDecoder decoder = new BinanceJsonDecoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        long depth = 0;
        for (final Frame frame : frames)
        {
            buffer.wrap(frame.json());
            final int type = decoder.decode(buffer, 0, frame.json().length);
            if (type == BinanceJsonDecoder.DEPTH_UPDATE)
            {
                depth++;
            }
            if (type == BinanceJsonDecoder.AGG_TRADE)
            {
                expectedAggTrades.add(JsonTree.object(JsonTree.object(JsonTree.parse(frame.json())).get("data")));
            }
            if (frame.symbol() != null)
            {
                syncs.get(frame.symbol()).onMessage(decoder, frame.receiveTimeNs()); // a REST snapshot: ours
            }
            else
            {
                for (final BookSync sync : syncs.values())
                {
                    sync.onMessage(decoder, frame.receiveTimeNs());
                }
            }
        }
        assertEquals(depthEvents, depth);

        long checks = 0;
        for (final Map.Entry<String, BookSync> entry : syncs.entrySet())
        {
            final BookSync sync = entry.getValue();
            final String context = entry.getKey() + " " + HftbacktestReplayTest.describe(sync);
            assertEquals(FeedState.SYNCED, sync.state(), context);
            assertEquals(0, sync.gaps(), context);
            assertEquals(0, sync.bookTickerMismatches(), context);
            assertEquals(0, sync.malformed() + sync.unknownMessages() + sync.rejectedValues(), context);
            assertEquals(1, sync.snapshots(), context);
            assertEquals(0, sync.snapshotsUnusable(), context);
            // README: each symbol has 1 to 6 diffs from before the snapshot that must be discarded.
            assertTrue(sync.diffsDroppedStale() >= 1 && sync.diffsDroppedStale() <= 6, context);
            assertEquals(entry.getKey(), sync.symbol());
            checks += sync.bookTickerChecks();
        }
        assertEquals(bookTickerChecks, checks);

        // Every aggTrade reaches its symbol's listener as a trade, exact: aggregate id, price, qty, maker, time.
        assertEquals(aggTrades, expectedAggTrades.size());
        final Map<String, Integer> next = new LinkedHashMap<>();
        for (final Map<String, Object> expected : expectedAggTrades)
        {
            final String symbol = (String)expected.get("s");
            final int index = next.merge(symbol, 1, Integer::sum) - 1;
            final CapturingListener.Trade trade = listeners.get(symbol).tradeList.get(index);
            final BookSync sync = syncs.get(symbol);
            final String where = symbol + " " + expected + " vs " + trade;
            assertEquals(((BigDecimal)expected.get("a")).longValueExact(), trade.tradeId(), where);
            ExpectedSamplesTest.assertNumber(expected.get("p"), trade.price(), sync.priceExponent(), where);
            ExpectedSamplesTest.assertNumber(expected.get("q"), trade.qty(), sync.qtyExponent(), where);
            assertEquals(expected.get("m"), trade.buyerIsMaker(), where);
            assertEquals(((BigDecimal)expected.get("T")).longValueExact() * 1_000_000, trade.exchangeTimeNs(), where);
        }
        for (final Map.Entry<String, Integer> entry : next.entrySet())
        {
            assertEquals(entry.getValue().longValue(), syncs.get(entry.getKey()).trades(), entry.getKey());
        }
    }
}
