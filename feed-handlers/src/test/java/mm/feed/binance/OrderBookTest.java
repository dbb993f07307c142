package mm.feed.binance;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderBookTest
{
    @Test
    void setDeleteAndBest()
    {
        final OrderBook book = new OrderBook(4, -2, -3);
        assertEquals(OrderBook.NO_PRICE, book.bestBidPrice());
        assertEquals(0, book.bestAskQty());
        book.set(OrderBook.BID, 100, 5);
        book.set(OrderBook.BID, 102, 6);
        book.set(OrderBook.BID, 101, 7);
        book.set(OrderBook.ASK, 105, 1);
        book.set(OrderBook.ASK, 103, 2);
        assertEquals(102, book.bestBidPrice());
        assertEquals(6, book.bestBidQty());
        assertEquals(103, book.bestAskPrice());
        assertEquals(2, book.bestAskQty());
        assertEquals(101, book.price(OrderBook.BID, 1));
        assertEquals(105, book.price(OrderBook.ASK, 1));
        book.set(OrderBook.BID, 102, 0);
        assertEquals(101, book.bestBidPrice());
        book.set(OrderBook.BID, 999, 0); // deleting an absent level is a no-op
        assertEquals(2, book.bidLevels());
        book.set(OrderBook.BID, 101, 9);
        assertEquals(9, book.bestBidQty());
        assertFalse(book.isCrossed());
        book.set(OrderBook.BID, 103, 1);
        assertTrue(book.isCrossed());
        assertFalse(book.set(OrderBook.BID, 0, 1));
        assertFalse(book.set(OrderBook.ASK, 10, -1));
        book.clear();
        assertEquals(0, book.bidLevels() + book.askLevels());
    }

    @Test
    void growsBeyondCapacityAndCountsIt()
    {
        final OrderBook book = new OrderBook(2, 0, 0);
        for (int i = 1; i <= 10; i++)
        {
            book.set(OrderBook.ASK, i, i);
        }
        assertEquals(10, book.askLevels());
        assertEquals(3, book.capacityGrowths()); // 2 -> 4 -> 8 -> 16
        assertEquals(16, book.capacity(OrderBook.ASK));
        assertEquals(1, book.bestAskPrice());
        final long[] prices = new long[3];
        final long[] qtys = new long[3];
        assertEquals(3, book.copyTop(OrderBook.ASK, 5, prices, qtys));
        assertEquals(3, prices[2]);
        assertEquals(3, qtys[2]);
    }

    @Test
    void matchesASortedMapUnderRandomUpdates()
    {
        final Random random = new Random(42);
        final OrderBook book = new OrderBook(16, 0, 0);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        for (int i = 0; i < 200_000; i++)
        {
            final boolean bid = random.nextBoolean();
            // Skewed towards the top like real updates, with some deep ones.
            final long price = bid ? 10_000 - (long)Math.abs(random.nextGaussian() * 50) : 10_001 + (long)Math.abs(random.nextGaussian() * 50);
            final long qty = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(1000);
            book.set(bid ? OrderBook.BID : OrderBook.ASK, price, qty);
            final TreeMap<Long, Long> side = bid ? bids : asks;
            if (qty == 0)
            {
                side.remove(price);
            }
            else
            {
                side.put(price, qty);
            }
        }
        assertEquals(bids.size(), book.bidLevels());
        assertEquals(asks.size(), book.askLevels());
        int depth = 0;
        for (final Map.Entry<Long, Long> e : bids.descendingMap().entrySet())
        {
            assertEquals(e.getKey(), book.price(OrderBook.BID, depth));
            assertEquals(e.getValue(), book.qty(OrderBook.BID, depth++));
        }
        depth = 0;
        for (final Map.Entry<Long, Long> e : asks.entrySet())
        {
            assertEquals(e.getKey(), book.price(OrderBook.ASK, depth));
            assertEquals(e.getValue(), book.qty(OrderBook.ASK, depth++));
        }
    }
}
