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
    @Test
    void matchesASortedMapUnderDeepUpdatesSweepsAndWipes()
    {
        // The default ladder, one that holds only part of the recent levels, and one that holds almost none.
        for (final int ladderSlots : new int[] {32_768, 1024, 64})
        {
            final Random random = new Random(7);
            final OrderBook book = new OrderBook(OrderBook.DEFAULT_CAPACITY, ladderSlots, 258, 0, 0);
            final TreeMap<Long, Long> bids = new TreeMap<>();
            final TreeMap<Long, Long> asks = new TreeMap<>();
            long mid = 1_000_000;
            for (int i = 0; i < 150_000; i++)
            {
                final boolean bid = random.nextBoolean();
                final TreeMap<Long, Long> map = bid ? bids : asks;
                final int side = bid ? OrderBook.BID : OrderBook.ASK;
                final int kind = random.nextInt(1000);
                if (kind == 0)
                {
                    // Wipe a deep or shallow range level by level: empties whole blocks, the ladder, moves its window.
                    final long from = mid + (bid ? -1 : 1) * random.nextInt(3000) - (bid ? 800 : 0);
                    final long width = 1 + random.nextInt(800);
                    for (long price = from; price < from + width; price++)
                    {
                        book.set(side, price, 0);
                        map.remove(price);
                    }
                }
                else if (kind < 3)
                {
                    mid += random.nextInt(kind == 1 ? 41 : 4001) - (kind == 1 ? 20 : 2000); // the book moves, at times far
                }
                else
                {
                    // Mostly near the top, a third deep (hundreds to thousands of ticks), some far away.
                    final long distance = kind < 600 ? (long)Math.abs(random.nextGaussian() * 30) :
                        kind < 990 ? random.nextInt(3000) : random.nextInt(1_000_000);
                    final long price = bid ? Math.max(1, mid - 1 - distance) : mid + 1 + distance;
                    final long qty = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1000);
                    book.set(side, price, qty);
                    if (qty == 0)
                    {
                        map.remove(price);
                    }
                    else
                    {
                        map.put(price, qty);
                    }
                }
                assertBest(book, bids, asks);
                if (i % 25_000 == 0)
                {
                    assertSame(book, bids, asks);
                }
            }
            assertSame(book, bids, asks);
            // Far levels pile up past the capacity: it doubled, and the blocks never ran out on their own.
            final int doublings = Integer.numberOfTrailingZeros(book.capacity(OrderBook.BID) / OrderBook.DEFAULT_CAPACITY) +
                Integer.numberOfTrailingZeros(book.capacity(OrderBook.ASK) / OrderBook.DEFAULT_CAPACITY);
            assertEquals(doublings, book.capacityGrowths(), "ladder " + ladderSlots);
        }
    }

    @Test
    void readsByDepthStayRightWhenUpdatesComeBetweenThem()
    {
        final Random random = new Random(11);
        final OrderBook book = new OrderBook(64, 0, 0); // a 256-key ladder: levels on both sides of its bottom
        final TreeMap<Long, Long> asks = new TreeMap<>();
        for (int i = 0; i < 2000; i++)
        {
            final long price = 1 + random.nextInt(5000);
            book.set(OrderBook.ASK, price, price);
            asks.put(price, price);
        }
        for (int i = 0; i < 20_000; i++)
        {
            final int depth = random.nextInt(asks.size() + 2);
            final int steps = random.nextInt(3); // sometimes a few reads in a row, deeper each time
            for (int d = depth; d <= depth + steps; d++)
            {
                final Long expected = d < asks.size() ? asks.keySet().stream().skip(d).findFirst().orElseThrow() : null;
                assertEquals(expected == null ? OrderBook.NO_PRICE : expected, book.price(OrderBook.ASK, d), "depth " + d);
                assertEquals(expected == null ? 0 : expected, book.qty(OrderBook.ASK, d), "qty at depth " + d);
            }
            final long price = 1 + random.nextInt(5000);
            final long qty = random.nextBoolean() ? 0 : price;
            book.set(OrderBook.ASK, price, qty);
            if (qty == 0)
            {
                asks.remove(price);
            }
            else
            {
                asks.put(price, qty);
            }
        }
    }

    @Test
    void theLadderFollowsTheBestUpAndDown()
    {
        final OrderBook book = new OrderBook(1024, 64, 34, 0, 0);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        // A snapshot worst first over 5,000 ticks: the window moves up as it loads, the levels it leaves go below.
        for (long price = 100_000; price < 105_000; price += 5)
        {
            book.set(OrderBook.BID, price, price);
            bids.put(price, price);
        }
        assertTrue(book.ladderLevels(OrderBook.BID) > 0 && book.blocks(OrderBook.BID) > 0);
        assertSame(book, bids, new TreeMap<>());
        // The best jumps far above the window: everything in it goes below.
        book.set(OrderBook.BID, 1_000_000, 1);
        bids.put(1_000_000L, 1L);
        assertEquals(1, book.ladderLevels(OrderBook.BID));
        assertSame(book, bids, new TreeMap<>());
        // Deleting from the top down: the ladder empties and takes the next levels back from below, again and again.
        while (!bids.isEmpty())
        {
            final long best = bids.lastKey();
            book.set(OrderBook.BID, best, 0);
            bids.remove(best);
            assertBest(book, bids, new TreeMap<>());
            if (bids.size() % 97 == 0)
            {
                assertSame(book, bids, new TreeMap<>());
            }
        }
        assertEquals(0, book.bidLevels());
        assertEquals(0, book.blocks(OrderBook.BID));
        assertEquals(0, book.capacityGrowths());
    }

    @Test
    void keepsExactOrderAtTheEndsOfTheRange()
    {
        final OrderBook book = new OrderBook(16, 0, 0);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        final long[] prices = {Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - 63, Long.MAX_VALUE - 64, 1, 2, 64, 65,
            Long.MAX_VALUE / 2, 1L << 62, (1L << 62) + 1, Long.MAX_VALUE - 1000};
        final Random random = new Random(9);
        for (int i = 0; i < 20_000; i++)
        {
            final long price = prices[random.nextInt(prices.length)] - (random.nextBoolean() ? 0 : random.nextInt(3));
            final long qty = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(9);
            final boolean bid = random.nextBoolean();
            assertEquals(price > 0, book.set(bid ? OrderBook.BID : OrderBook.ASK, price, qty));
            final TreeMap<Long, Long> map = bid ? bids : asks;
            if (price <= 0)
            {
                continue;
            }
            if (qty == 0)
            {
                map.remove(price);
            }
            else
            {
                map.put(price, qty);
            }
            assertBest(book, bids, asks);
        }
        assertSame(book, bids, asks);
    }

    @Test
    void snapshotLoadsFillBlocksAndBlocksStayBounded()
    {
        // A 64-key ladder: nearly every level of this book lives in the blocks below it.
        final OrderBook book = new OrderBook(OrderBook.DEFAULT_CAPACITY, 64, 258, 0, 0);
        // A 5000-level snapshot, worst level first as BookSync loads it.
        for (int i = 0; i < 5000; i++)
        {
            book.set(OrderBook.BID, 100_000 - 5000 + i, 1 + i);
            book.set(OrderBook.ASK, 100_001 + 5000 - i, 1 + i);
        }
        for (int side = 0; side < 2; side++)
        {
            final int below = book.levels(side) - book.ladderLevels(side);
            assertEquals((below + OrderBook.BLOCK_LEVELS - 1) / OrderBook.BLOCK_LEVELS, book.blocks(side), "full blocks");
        }
        assertEquals(99_999, book.bestBidPrice());
        assertEquals(5000, book.bestBidQty());
        assertEquals(100_002, book.bestAskPrice());
        assertEquals(95_000, book.price(OrderBook.BID, 4999));
        assertEquals(1, book.qty(OrderBook.BID, 4999));
        // Deleting and adding back levels anywhere: merges keep any two neighbouring blocks above half a block.
        final Random random = new Random(3);
        for (int i = 0; i < 200_000; i++)
        {
            final long price = 100_000 - 1 - random.nextInt(5000);
            book.set(OrderBook.BID, price, random.nextInt(4) == 0 ? 1 : 0);
            final int below = book.levels(OrderBook.BID) - book.ladderLevels(OrderBook.BID);
            final int blocks = book.blocks(OrderBook.BID);
            assertTrue(blocks <= 2 * (below / (OrderBook.BLOCK_LEVELS / 2 + 1)) + 1, blocks + " blocks for " + below + " levels");
        }
        assertEquals(0, book.capacityGrowths());
    }

    @Test
    void growsItsBlocksWhenTheyRunOutAndCountsIt()
    {
        // One block of storage a side to start with, for many more levels: every time the blocks run out they
        // double, counted, and the book stays exact through the copies.
        final OrderBook book = new OrderBook(100_000, 64, 1, 0, 0);
        final Random random = new Random(5);
        final TreeMap<Long, Long> bids = new TreeMap<>();
        final TreeMap<Long, Long> asks = new TreeMap<>();
        for (int i = 0; i < 100_000; i++)
        {
            final boolean bid = random.nextBoolean();
            final long price = bid ? 1 + random.nextInt(20_000) : 20_001 + random.nextInt(20_000);
            final long qty = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(100);
            book.set(bid ? OrderBook.BID : OrderBook.ASK, price, qty);
            final TreeMap<Long, Long> map = bid ? bids : asks;
            if (qty == 0)
            {
                map.remove(price);
            }
            else
            {
                map.put(price, qty);
            }
        }
        assertTrue(book.capacityGrowths() >= 2 * 7, "growths " + book.capacityGrowths()); // 1 -> 128+ blocks a side
        assertEquals(100_000, book.capacity(OrderBook.BID));
        assertSame(book, bids, asks);
        book.clear();
        assertEquals(0, book.bidLevels() + book.askLevels());
        book.set(OrderBook.ASK, 7, 1);
        assertEquals(7, book.bestAskPrice());
    }

    private static void assertBest(final OrderBook book, final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks)
    {
        assertEquals(bids.isEmpty() ? OrderBook.NO_PRICE : bids.lastKey(), book.bestBidPrice());
        assertEquals(bids.isEmpty() ? 0 : bids.lastEntry().getValue(), book.bestBidQty());
        assertEquals(asks.isEmpty() ? OrderBook.NO_PRICE : asks.firstKey(), book.bestAskPrice());
        assertEquals(asks.isEmpty() ? 0 : asks.firstEntry().getValue(), book.bestAskQty());
    }

    private static void assertSame(final OrderBook book, final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks)
    {
        assertSide(book, OrderBook.BID, bids.descendingMap());
        assertSide(book, OrderBook.ASK, asks);
    }

    private static void assertSide(final OrderBook book, final int side, final java.util.NavigableMap<Long, Long> levels)
    {
        assertEquals(levels.size(), book.levels(side));
        final long[] prices = new long[levels.size() + 3];
        final long[] qtys = new long[levels.size() + 3];
        assertEquals(levels.size(), book.copyTop(side, prices.length, prices, qtys));
        final long[] top = new long[20];
        final long[] topQtys = new long[25];
        final int topCount = book.copyTop(side, 25, top, topQtys);
        assertEquals(Math.min(20, levels.size()), topCount);
        int depth = 0;
        for (final Map.Entry<Long, Long> e : levels.entrySet())
        {
            assertEquals(e.getKey(), book.price(side, depth), "price at depth " + depth);
            assertEquals(e.getValue(), book.qty(side, depth), "qty at depth " + depth);
            assertEquals(e.getKey(), prices[depth]);
            assertEquals(e.getValue(), qtys[depth]);
            if (depth < topCount)
            {
                assertEquals(e.getKey(), top[depth]);
                assertEquals(e.getValue(), topQtys[depth]);
            }
            depth++;
        }
        assertEquals(OrderBook.NO_PRICE, book.price(side, depth));
        assertEquals(0, book.qty(side, -1));
    }
}
