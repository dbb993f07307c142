package mm.feed.binance;

import java.util.Arrays;

/**
 * One instrument's full-depth price levels, both sides, as primitive mantissas: a price-indexed ladder near the
 * top of each side and sorted blocks below it.
 * <p>
 * Binance diffs change levels hundreds to thousands of ticks deep as well as at the top, so the cost of an
 * update must not grow with its depth. Each side keys its levels by price (bids) or negated price (asks), the
 * best level having the largest key, and keeps:
 * <ul>
 * <li>a ladder: a window of consecutive keys ending a little above the best, one quantity slot per key
 * (circular, indexed by the key's low bits) and a bitmap of the occupied slots. Setting a level there is an
 * array store; deleting the best finds the next one in the bitmap; the top N are read off the bitmap. When a
 * level arrives above the window, the window moves up and the levels that fall out of its bottom go to the
 * blocks; when the best falls to the lower half of the window, it moves down and takes the blocks' top levels
 * back. Mantissas that step by more than 1 between ticks only make the window cover fewer ticks;</li>
 * <li>below the window, sorted blocks of at most 64 levels with a directory of their smallest keys: an
 * insert or delete there moves at most one block's levels. Full blocks split (or, past either end of the
 * side, a new block starts, so that appended levels leave full blocks), and adjacent blocks holding half a
 * block or less merge.</li>
 * </ul>
 * Storage is allocated up front for a configurable number of levels a side and grows (doubling, counted by
 * {@link #capacityGrowths()}) when a side outgrows it or, rarely, when its blocks are too sparse; nothing else
 * allocates. Prices are mantissas at {@link #priceExponent()}, quantities at {@link #qtyExponent()}. Reading by
 * depth ({@link #price}, {@link #qty}) remembers where the last read ended, so reading a side level by level is
 * linear. Not thread-safe, readers included.
 */
public final class OrderBook
{
    public static final int BID = 0;
    public static final int ASK = 1;

    /** Best price of an empty side. */
    public static final long NO_PRICE = Long.MIN_VALUE;

    /** Binance's REST snapshot holds up to 5000 levels per side; deeper levels appear only as they change. */
    public static final int DEFAULT_CAPACITY = 8192;

    /** Most keys in a side's ladder: 32,768 ticks cover nearly every recorded BTCUSDT diff level at tick 0.01. */
    static final int MAX_LADDER_SLOTS = 1 << 15;
    static final int MIN_LADDER_SLOTS = 64;

    /** Most levels in one block: an insert or a delete below the ladder moves at most this many. */
    static final int BLOCK_LEVELS = 64;

    private static final int BLOCK_SHIFT = Integer.numberOfTrailingZeros(BLOCK_LEVELS);
    /** Two adjacent blocks holding this many levels or fewer are merged into one. */
    private static final int MERGE_LEVELS = BLOCK_LEVELS / 2;

    private final Side[] sides = new Side[2];
    private int priceExponent;
    private int qtyExponent;
    private long updateId;

    public OrderBook()
    {
        this(DEFAULT_CAPACITY, 0, 0);
    }

    /** @param capacityPerSide levels a side holds before its storage grows; also sizes the ladder (4 keys a level). */
    public OrderBook(final int capacityPerSide, final int priceExponent, final int qtyExponent)
    {
        this(capacityPerSide, ladderSlotsFor(capacityPerSide), Blocks.blocksFor(Math.max(1, capacityPerSide)),
            priceExponent, qtyExponent);
    }

    /** With the ladder's size and the blocks' storage given (tests of the layout's edges). */
    OrderBook(
        final int capacityPerSide,
        final int ladderSlots,
        final int blocksPerSide,
        final int priceExponent,
        final int qtyExponent)
    {
        if (capacityPerSide < 1)
        {
            throw new IllegalArgumentException("capacityPerSide must be positive: " + capacityPerSide);
        }
        if (Integer.bitCount(ladderSlots) != 1 || ladderSlots < MIN_LADDER_SLOTS)
        {
            throw new IllegalArgumentException("ladderSlots must be a power of two >= 64: " + ladderSlots);
        }
        sides[BID] = new Side(capacityPerSide, ladderSlots, Math.max(1, blocksPerSide));
        sides[ASK] = new Side(capacityPerSide, ladderSlots, Math.max(1, blocksPerSide));
        exponents(priceExponent, qtyExponent);
    }

    private static int ladderSlotsFor(final int capacityPerSide)
    {
        final long slots = 4L * Math.max(1, capacityPerSide);
        return (int)Math.min(MAX_LADDER_SLOTS, Math.max(MIN_LADDER_SLOTS, Long.highestOneBit(slots - 1) << 1));
    }

    /** Sets the scale of the mantissas; only meaningful on an empty book. */
    public void exponents(final int priceExponent, final int qtyExponent)
    {
        this.priceExponent = priceExponent;
        this.qtyExponent = qtyExponent;
    }

    public int priceExponent()
    {
        return priceExponent;
    }

    public int qtyExponent()
    {
        return qtyExponent;
    }

    /** Venue update id the book reflects (set by the sync logic), or 0. */
    public long updateId()
    {
        return updateId;
    }

    public void updateId(final long updateId)
    {
        this.updateId = updateId;
    }

    /** Removes every level on both sides. */
    public void clear()
    {
        sides[BID].clear();
        sides[ASK].clear();
        updateId = 0;
    }

    /**
     * Sets the quantity at a price: a quantity of 0 deletes the level (a no-op if it is absent).
     *
     * @return false (and no change) if price is not positive or qty is negative.
     */
    public boolean set(final int side, final long price, final long qty)
    {
        if (price <= 0 || qty < 0)
        {
            return false;
        }
        final Side s = sides[side];
        final long key = side == BID ? price : -price;
        if (key >= s.base && key <= s.top)
        {
            s.setInLadder(key, qty);
        }
        else
        {
            s.setOutsideLadder(key, qty);
        }
        return true;
    }

    /** Number of times a side's storage grew: it outgrew its capacity, or its blocks ran out (each may allocate). */
    public long capacityGrowths()
    {
        return sides[BID].growths + sides[BID].deep.growths + sides[ASK].growths + sides[ASK].deep.growths;
    }

    /** Levels a side holds before its storage grows. */
    public int capacity(final int side)
    {
        return sides[side].capacity;
    }

    /** Blocks a side uses below its ladder now (for tests of the layout). */
    int blocks(final int side)
    {
        return sides[side].deep.blockCount;
    }

    /** Levels of a side in its ladder now (for tests of the layout). */
    int ladderLevels(final int side)
    {
        return sides[side].ladderCount;
    }

    public int levels(final int side)
    {
        return sides[side].count();
    }

    public int bidLevels()
    {
        return sides[BID].count();
    }

    public int askLevels()
    {
        return sides[ASK].count();
    }

    /** Price at {@code depth} levels from the top (0 = best), or {@link #NO_PRICE} beyond the book. */
    public long price(final int side, final int depth)
    {
        final Side s = sides[side];
        if (depth < 0 || depth >= s.count())
        {
            return NO_PRICE;
        }
        final long key = depth == 0 ? s.bestKey : s.keyAtDepth(depth);
        return side == BID ? key : -key;
    }

    /** Quantity at {@code depth} levels from the top (0 = best), or 0 beyond the book. */
    public long qty(final int side, final int depth)
    {
        final Side s = sides[side];
        if (depth < 0 || depth >= s.count())
        {
            return 0;
        }
        if (depth < s.ladderCount)
        {
            final long key = depth == 0 ? s.bestKey : s.keyAtDepth(depth);
            return s.ladderQtys[(int)key & s.slotMask];
        }
        return s.deep.qtys[s.deep.indexOfDepth(depth - s.ladderCount)];
    }

    public long bestBidPrice()
    {
        return price(BID, 0);
    }

    public long bestBidQty()
    {
        return qty(BID, 0);
    }

    public long bestAskPrice()
    {
        return price(ASK, 0);
    }

    public long bestAskQty()
    {
        return qty(ASK, 0);
    }

    /**
     * Copies up to {@code n} levels from the top of a side, best first.
     *
     * @return the number of levels copied (fewer if the side or the arrays are shorter).
     */
    public int copyTop(final int side, final int n, final long[] prices, final long[] qtys)
    {
        final Side s = sides[side];
        final int copied = Math.min(Math.min(n, s.count()), Math.min(prices.length, qtys.length));
        final boolean bid = side == BID;
        final int fromLadder = Math.min(copied, s.ladderCount);
        if (fromLadder > 0)
        {
            final long[] occupied = s.occupied;
            final long[] ladderQtys = s.ladderQtys;
            final int wordMask = occupied.length - 1;
            final long best = s.bestKey;
            final int bestSlot = (int)best & s.slotMask;
            int word = bestSlot >>> 6;
            long bits = occupied[word] & (-1L >>> (63 - (bestSlot & 63))); // the best and the slots below it
            for (int i = 0; i < fromLadder; i++)
            {
                while (bits == 0)
                {
                    word = (word - 1) & wordMask;
                    bits = occupied[word];
                }
                final int bit = 63 - Long.numberOfLeadingZeros(bits);
                bits &= ~(1L << bit);
                final int slot = (word << 6) + bit;
                final long key = best - ((bestSlot - slot) & s.slotMask);
                prices[i] = bid ? key : -key;
                qtys[i] = ladderQtys[slot];
            }
        }
        if (copied > fromLadder)
        {
            s.deep.copyTop(copied - fromLadder, fromLadder, prices, qtys, bid);
        }
        return copied;
    }

    /** True if both sides are present and the best bid is at or above the best ask. */
    public boolean isCrossed()
    {
        return sides[BID].count() > 0 && sides[ASK].count() > 0 && bestBidPrice() >= bestAskPrice();
    }

    @Override
    public String toString()
    {
        return "OrderBook{bids=" + bidLevels() + ", asks=" + askLevels() +
            ", bestBid=" + bestBidPrice() + "x" + bestBidQty() +
            ", bestAsk=" + bestAskPrice() + "x" + bestAskQty() +
            ", priceExponent=" + priceExponent + ", qtyExponent=" + qtyExponent + ", updateId=" + updateId + '}';
    }

    /**
     * One side: the ladder over keys {@code [base, top]} and the blocks ({@code deep}) with every level below
     * {@code base}. The ladder holds a level whenever the side has any (it holds the best); an empty side has an
     * empty window ({@code base > top}), placed again by the next level.
     */
    private static final class Side
    {
        final long[] ladderQtys;
        final long[] occupied;
        final int slotMask;
        final int slots;
        /** Keys the window keeps above the best when it moves, so that a rising best rarely moves it again. */
        final int headroom;
        final Blocks deep;
        long base = 1;
        long top;
        int ladderCount;
        long bestKey = Long.MIN_VALUE;
        int capacity;
        long growths;

        // Where the last read by depth in the ladder ended (depth -1: nothing remembered).
        int cursorDepth = -1;
        long cursorKey;

        Side(final int capacity, final int ladderSlots, final int blocks)
        {
            this.capacity = capacity;
            slots = ladderSlots;
            slotMask = ladderSlots - 1;
            headroom = ladderSlots / 8;
            ladderQtys = new long[ladderSlots];
            occupied = new long[ladderSlots >>> 6];
            deep = new Blocks(blocks);
        }

        int count()
        {
            return ladderCount + deep.count;
        }

        void clear()
        {
            if (ladderCount > 0)
            {
                final long[] occupied = this.occupied;
                for (int word = 0; word < occupied.length; word++)
                {
                    long bits = occupied[word];
                    while (bits != 0)
                    {
                        ladderQtys[(word << 6) + Long.numberOfTrailingZeros(bits)] = 0;
                        bits &= bits - 1;
                    }
                    occupied[word] = 0;
                }
            }
            ladderCount = 0;
            bestKey = Long.MIN_VALUE;
            base = 1;
            top = 0;
            cursorDepth = -1;
            deep.clear();
        }

        /** A level whose key is inside the window. */
        void setInLadder(final long key, final long qty)
        {
            final int slot = (int)key & slotMask;
            final long old = ladderQtys[slot];
            if (qty != 0)
            {
                ladderQtys[slot] = qty;
                if (old == 0)
                {
                    occupied[slot >>> 6] |= 1L << slot;
                    ladderCount++;
                    cursorDepth = -1;
                    if (key > bestKey)
                    {
                        bestKey = key;
                    }
                    checkCapacity();
                }
            }
            else if (old != 0)
            {
                ladderQtys[slot] = 0;
                occupied[slot >>> 6] &= ~(1L << slot);
                ladderCount--;
                cursorDepth = -1;
                if (key == bestKey)
                {
                    bestDeleted(key);
                }
            }
        }

        /** A level whose key is above the window, below it (in the blocks), or any level of an empty side. */
        void setOutsideLadder(final long key, final long qty)
        {
            if (ladderCount == 0)
            {
                // An empty side (the ladder holds the best whenever there is a level): the window starts around it.
                if (qty != 0)
                {
                    placeWindow(key);
                    setInLadder(key, qty);
                }
                return;
            }
            if (key < base)
            {
                if (deep.set(key, qty))
                {
                    checkCapacity();
                }
                return;
            }
            if (qty != 0) // above the window is above every level: nothing to delete there
            {
                moveWindowUp(key);
                setInLadder(key, qty);
            }
        }

        private void checkCapacity()
        {
            if (count() > capacity)
            {
                capacity *= 2;
                growths++;
                deep.reserve(Blocks.blocksFor(capacity));
            }
        }

        /** Window {@code [b, b + slots - 1]} clamped to the range of a long, placed so the best is headroom below its top. */
        private void placeWindow(final long bestKey)
        {
            final long offset = slots - headroom;
            base = bestKey < Long.MIN_VALUE + offset ? Long.MIN_VALUE : bestKey - offset;
            top = base > Long.MAX_VALUE - (slots - 1) ? Long.MAX_VALUE : base + (slots - 1);
        }

        /** A new best above the window: levels that fall out of its bottom move to the blocks, in ascending order. */
        private void moveWindowUp(final long newKey)
        {
            final long oldBase = base;
            final long oldTop = top;
            placeWindow(newKey);
            if (base > oldBase)
            {
                final long evictTo = Math.min(base - 1, oldTop); // keys [oldBase, evictTo] leave the ladder
                evict(oldBase, evictTo);
            }
            cursorDepth = -1;
        }

        /** Moves ladder levels with keys in {@code [from, to]} (inside the old window) to the top of the blocks. */
        private void evict(final long from, final long to)
        {
            final long[] occupied = this.occupied;
            final long span = to - from + 1; // at most slots
            int slot = (int)from & slotMask;
            long done = 0;
            while (done < span && ladderCount > 0)
            {
                final int word = slot >>> 6;
                final int bit = slot & 63;
                final int take = (int)Math.min(64 - bit, span - done);
                long bits = occupied[word] >>> bit;
                if (take < 64)
                {
                    bits &= (1L << take) - 1;
                }
                while (bits != 0)
                {
                    final int b = Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    final int levelSlot = slot + b;
                    deep.set(from + done + b, ladderQtys[levelSlot]); // above every key in the blocks: appended
                    ladderQtys[levelSlot] = 0;
                    occupied[word] &= ~(1L << levelSlot);
                    ladderCount--;
                }
                done += take;
                slot = (slot + take) & slotMask;
            }
        }

        /** The best level was deleted from the ladder: find the next, and move the window down if it is low. */
        private void bestDeleted(final long oldBest)
        {
            if (ladderCount == 0)
            {
                bestKey = Long.MIN_VALUE;
                if (deep.count == 0)
                {
                    base = 1; // an empty side
                    top = 0;
                    return;
                }
                moveWindowDown(deep.topKey());
                return;
            }
            bestKey = nextBelow(oldBest);
            if (bestKey - base < slots / 2)
            {
                moveWindowDown(bestKey);
            }
        }

        /** The highest occupied key below {@code key}; the ladder has one. */
        private long nextBelow(final long key)
        {
            final long[] occupied = this.occupied;
            final int wordMask = occupied.length - 1;
            final int slot = (int)key & slotMask;
            int word = slot >>> 6;
            long bits = occupied[word] & ((1L << (slot & 63)) - 1);
            while (bits == 0)
            {
                word = (word - 1) & wordMask;
                bits = occupied[word];
            }
            final int found = (word << 6) + 63 - Long.numberOfLeadingZeros(bits);
            return key - ((slot - found) & slotMask);
        }

        /**
         * Places the window with {@code best} (the ladder's best, or the blocks' top if the ladder is empty) headroom
         * below its top, and takes the blocks' levels that are now inside it. Every ladder key stays inside.
         */
        private void moveWindowDown(final long best)
        {
            placeWindow(best);
            final Blocks deep = this.deep;
            while (deep.count > 0)
            {
                final long key = deep.topKey();
                if (key < base)
                {
                    break;
                }
                final int slot = (int)key & slotMask;
                ladderQtys[slot] = deep.topQty();
                occupied[slot >>> 6] |= 1L << slot;
                ladderCount++;
                if (key > bestKey)
                {
                    bestKey = key;
                }
                deep.removeTop();
            }
            cursorDepth = -1;
        }

        /** Key of the level {@code depth} from the top, for depth in [1, count). */
        long keyAtDepth(final int depth)
        {
            if (depth >= ladderCount)
            {
                return deep.keys[deep.indexOfDepth(depth - ladderCount)];
            }
            long from = bestKey;
            int skip = depth;
            if (cursorDepth >= 0 && cursorDepth <= depth)
            {
                from = cursorKey;
                skip = depth - cursorDepth;
            }
            final long key = skip == 0 ? from : below(from, skip);
            cursorDepth = depth;
            cursorKey = key;
            return key;
        }

        /** The occupied key {@code skip} levels below {@code key} (skip >= 1; the ladder has that many). */
        private long below(final long key, final int skip)
        {
            final long[] occupied = this.occupied;
            final int wordMask = occupied.length - 1;
            final int slot = (int)key & slotMask;
            int word = slot >>> 6;
            long bits = occupied[word] & ((1L << (slot & 63)) - 1);
            int remaining = skip;
            int inWord = Long.bitCount(bits);
            while (inWord < remaining)
            {
                remaining -= inWord;
                word = (word - 1) & wordMask;
                bits = occupied[word];
                inWord = Long.bitCount(bits);
            }
            for (int i = 1; i < remaining; i++)
            {
                bits &= ~Long.highestOneBit(bits);
            }
            final int found = (word << 6) + 63 - Long.numberOfLeadingZeros(bits);
            return key - ((slot - found) & slotMask);
        }
    }

    /**
     * Sorted blocks: a pool of fixed-size blocks ({@code keys} and {@code qtys}, block b at
     * {@code [b * BLOCK_LEVELS, b * BLOCK_LEVELS + levelCounts[b])}), and a directory of the blocks in use in
     * ascending key order ({@code blocks}) with each one's smallest key ({@code minKeys}).
     */
    private static final class Blocks
    {
        long[] keys;
        long[] qtys;
        int[] levelCounts;
        int[] blocks;
        long[] minKeys;
        int blockCount;
        int[] free;
        int freeCount;
        int count;
        long growths;

        // Where the last read by depth ended: position in the directory and the depth of that block's top level.
        int cursorPosition = -1;
        int cursorDepth;

        Blocks(final int blockPool)
        {
            keys = new long[blockPool << BLOCK_SHIFT];
            qtys = new long[blockPool << BLOCK_SHIFT];
            levelCounts = new int[blockPool];
            blocks = new int[blockPool];
            minKeys = new long[blockPool];
            free = new int[blockPool];
            clear();
        }

        /** Blocks for {@code levels} levels in half-full blocks: what random inserts and deletes leave. */
        static int blocksFor(final int levels)
        {
            return 2 * ((levels + BLOCK_LEVELS - 1) >> BLOCK_SHIFT) + 2;
        }

        void clear()
        {
            blockCount = 0;
            count = 0;
            cursorPosition = -1;
            final int pool = levelCounts.length;
            // Lowest block ids handed out first, so a side uses the front of its arrays.
            for (int i = 0; i < pool; i++)
            {
                free[i] = pool - 1 - i;
            }
            freeCount = pool;
        }

        /** Grows the pool to at least {@code pool} blocks. */
        void reserve(final int pool)
        {
            if (pool > levelCounts.length)
            {
                grow(pool);
            }
        }

        private void grow(final int newPool)
        {
            final int oldPool = levelCounts.length;
            keys = Arrays.copyOf(keys, newPool << BLOCK_SHIFT);
            qtys = Arrays.copyOf(qtys, newPool << BLOCK_SHIFT);
            levelCounts = Arrays.copyOf(levelCounts, newPool);
            blocks = Arrays.copyOf(blocks, newPool);
            minKeys = Arrays.copyOf(minKeys, newPool);
            free = Arrays.copyOf(free, newPool);
            // Keep the stack's lowest ids on top: the new ones go under the existing free ones.
            System.arraycopy(free, 0, free, newPool - oldPool, freeCount);
            for (int i = 0; i < newPool - oldPool; i++)
            {
                free[i] = newPool - 1 - i;
            }
            freeCount += newPool - oldPool;
        }

        private int allocateBlock()
        {
            if (freeCount == 0)
            {
                grow(levelCounts.length * 2); // only blocks far sparser than usual get here
                growths++;
            }
            return free[--freeCount];
        }

        long topKey()
        {
            final int block = blocks[blockCount - 1];
            return keys[(block << BLOCK_SHIFT) + levelCounts[block] - 1];
        }

        long topQty()
        {
            final int block = blocks[blockCount - 1];
            return qtys[(block << BLOCK_SHIFT) + levelCounts[block] - 1];
        }

        void removeTop()
        {
            final int position = blockCount - 1;
            final int block = blocks[position];
            delete(position, block, levelCounts[block] - 1);
        }

        /**
         * Sets, replaces or (qty 0) deletes the level at {@code key}.
         *
         * @return true if a level was added.
         */
        boolean set(final long key, final long qty)
        {
            if (blockCount == 0)
            {
                if (qty != 0)
                {
                    startBlock(0, key, qty);
                    return true;
                }
                return false;
            }
            final int position = findBlock(key);
            final int block = blocks[position];
            final int base = block << BLOCK_SHIFT;
            final int index = search(keys, base, levelCounts[block], key);
            if (index >= 0)
            {
                if (qty != 0)
                {
                    qtys[base + index] = qty;
                }
                else
                {
                    delete(position, block, index);
                }
                return false;
            }
            if (qty != 0)
            {
                insert(position, -index - 1, key, qty);
                return true;
            }
            return false;
        }

        /**
         * Finds {@code key} in ascending {@code keys[base, base + count)}, count at least 1: its offset from base,
         * or {@code -(insertion offset) - 1}. Without data-dependent branches: the loop runs log2(count) times.
         */
        private static int search(final long[] keys, final int base, final int count, final long key)
        {
            int low = base;
            int n = count;
            while (n > 1)
            {
                final int half = n >>> 1;
                low = keys[low + half] <= key ? low + half : low;
                n -= half;
            }
            // keys[low] is the last key at most key, or the first key if all are above it.
            final long found = keys[low];
            if (found == key)
            {
                return low - base;
            }
            return -(low - base + (found < key ? 1 : 0)) - 1;
        }

        /** Directory position of the block where {@code key} is or belongs: the last whose minimum is at most key, or the first. */
        private int findBlock(final long key)
        {
            final long[] minKeys = this.minKeys;
            int low = 0;
            int n = blockCount;
            while (n > 1)
            {
                final int half = n >>> 1;
                low = minKeys[low + half] <= key ? low + half : low;
                n -= half;
            }
            return low;
        }

        /** A new block holding one level, at directory position {@code position}. */
        private void startBlock(final int position, final long key, final long qty)
        {
            final int block = allocateBlock();
            final int base = block << BLOCK_SHIFT;
            keys[base] = key;
            qtys[base] = qty;
            levelCounts[block] = 1;
            insertIntoDirectory(position, block, key);
            count++;
            cursorPosition = -1;
        }

        /** Inserts a level at offset {@code offset} of the block at directory position {@code position}. */
        private void insert(final int position, final int offset, final long key, final long qty)
        {
            int p = position;
            int block = blocks[p];
            int at = offset;
            if (levelCounts[block] == BLOCK_LEVELS)
            {
                if (at == BLOCK_LEVELS && p == blockCount - 1)
                {
                    startBlock(p + 1, key, qty); // above the top: levels leaving the ladder, or a snapshot loading
                    return;
                }
                if (at == 0 && p == 0)
                {
                    startBlock(0, key, qty); // below the bottom
                    return;
                }
                final int upper = split(p, block);
                if (at > MERGE_LEVELS)
                {
                    p++;
                    block = upper;
                    at -= MERGE_LEVELS;
                }
            }
            final int base = block << BLOCK_SHIFT;
            final int n = levelCounts[block];
            final int tail = n - at;
            if (tail > 0)
            {
                System.arraycopy(keys, base + at, keys, base + at + 1, tail);
                System.arraycopy(qtys, base + at, qtys, base + at + 1, tail);
            }
            keys[base + at] = key;
            qtys[base + at] = qty;
            levelCounts[block] = n + 1;
            if (at == 0)
            {
                minKeys[p] = key;
            }
            count++;
            cursorPosition = -1;
        }

        /** Moves the upper half of a full block into a new block placed after it; returns the new block. */
        private int split(final int position, final int block)
        {
            final int upper = allocateBlock();
            final int from = (block << BLOCK_SHIFT) + MERGE_LEVELS;
            final int to = upper << BLOCK_SHIFT;
            final int moved = BLOCK_LEVELS - MERGE_LEVELS;
            System.arraycopy(keys, from, keys, to, moved);
            System.arraycopy(qtys, from, qtys, to, moved);
            levelCounts[block] = MERGE_LEVELS;
            levelCounts[upper] = moved;
            insertIntoDirectory(position + 1, upper, keys[to]);
            return upper;
        }

        /** Deletes the level at offset {@code offset} of {@code block}, at directory position {@code position}. */
        private void delete(final int position, final int block, final int offset)
        {
            final int base = block << BLOCK_SHIFT;
            final int n = levelCounts[block] - 1;
            final int tail = n - offset;
            if (tail > 0)
            {
                System.arraycopy(keys, base + offset + 1, keys, base + offset, tail);
                System.arraycopy(qtys, base + offset + 1, qtys, base + offset, tail);
            }
            levelCounts[block] = n;
            count--;
            cursorPosition = -1;
            if (n == 0)
            {
                removeFromDirectory(position);
                free[freeCount++] = block;
                mergeAround(position); // the blocks on either side are now adjacent
                return;
            }
            if (offset == 0)
            {
                minKeys[position] = keys[base];
            }
            mergeAround(position);
        }

        /**
         * Keeps every two adjacent blocks above {@link #MERGE_LEVELS} levels together (which bounds the number
         * of blocks) after the block at {@code position} lost a level, or was removed and its neighbours met there.
         */
        private void mergeAround(final int position)
        {
            int p = position;
            if (p > 0 && p < blockCount && levelCounts[blocks[p - 1]] + levelCounts[blocks[p]] <= MERGE_LEVELS)
            {
                mergeWithNext(p - 1);
                p--;
            }
            if (p >= 0 && p + 1 < blockCount && levelCounts[blocks[p]] + levelCounts[blocks[p + 1]] <= MERGE_LEVELS)
            {
                mergeWithNext(p);
            }
        }

        /** Appends the levels of the block after {@code position} to the block at it and frees the emptied one. */
        private void mergeWithNext(final int position)
        {
            final int lower = blocks[position];
            final int upper = blocks[position + 1];
            final int to = (lower << BLOCK_SHIFT) + levelCounts[lower];
            final int from = upper << BLOCK_SHIFT;
            final int moved = levelCounts[upper];
            System.arraycopy(keys, from, keys, to, moved);
            System.arraycopy(qtys, from, qtys, to, moved);
            levelCounts[lower] += moved;
            levelCounts[upper] = 0;
            removeFromDirectory(position + 1);
            free[freeCount++] = upper;
        }

        private void insertIntoDirectory(final int position, final int block, final long minKey)
        {
            final int tail = blockCount - position;
            if (tail > 0)
            {
                System.arraycopy(blocks, position, blocks, position + 1, tail);
                System.arraycopy(minKeys, position, minKeys, position + 1, tail);
            }
            blocks[position] = block;
            minKeys[position] = minKey;
            blockCount++;
        }

        private void removeFromDirectory(final int position)
        {
            final int tail = blockCount - position - 1;
            if (tail > 0)
            {
                System.arraycopy(blocks, position + 1, blocks, position, tail);
                System.arraycopy(minKeys, position + 1, minKeys, position, tail);
            }
            blockCount--;
        }

        /** Index in {@code keys}/{@code qtys} of the level {@code depth} from the top, for depth in [0, count). */
        int indexOfDepth(final int depth)
        {
            int position = blockCount - 1;
            int block = blocks[position];
            int n = levelCounts[block];
            if (depth < n)
            {
                return (block << BLOCK_SHIFT) + n - 1 - depth; // the top block
            }
            int top = 0; // depth of the top level of the block at position
            if (cursorPosition >= 0 && depth >= cursorDepth)
            {
                position = cursorPosition;
                top = cursorDepth;
            }
            while (true)
            {
                block = blocks[position];
                n = levelCounts[block];
                if (depth < top + n)
                {
                    break;
                }
                top += n;
                position--;
            }
            cursorPosition = position;
            cursorDepth = top;
            return (block << BLOCK_SHIFT) + top + n - 1 - depth;
        }

        /** Copies the top {@code n} levels (n <= count) into {@code prices}/{@code qtys} from index {@code at}. */
        void copyTop(final int n, final int at, final long[] prices, final long[] qtys, final boolean bid)
        {
            int position = blockCount - 1;
            int i = at;
            final int end = at + n;
            while (i < end)
            {
                final int block = blocks[position--];
                final int base = block << BLOCK_SHIFT;
                int index = base + levelCounts[block] - 1;
                final int stop = Math.max(base - 1, index - (end - i));
                for (; index > stop; index--, i++)
                {
                    prices[i] = bid ? keys[index] : -keys[index];
                    qtys[i] = this.qtys[index];
                }
            }
        }
    }
}
