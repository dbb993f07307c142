package org.simdjson;

/**
 * Benchmark-only bridge to simdjson-java 0.4.0's stage 1 (UTF-8 validation and the SIMD structural index),
 * which the library keeps package-private. It lives in the library's package so that the JSON parser
 * comparison can measure the floor of any design that would reuse simdjson's index under our own exact
 * decimal parsing. Not for production: it depends on internals that may change in any release.
 */
public final class StructuralIndexProbe
{
    private final BitIndexes bitIndexes;
    private final StructuralIndexer indexer;

    /** @param capacity the largest input in bytes (the index holds at most one position per byte). */
    public StructuralIndexProbe(final int capacity)
    {
        bitIndexes = new BitIndexes(capacity);
        indexer = new StructuralIndexer(bitIndexes);
    }

    /**
     * Runs stage 1 on {@code buffer[0, length)} (64 bytes of padding after it) and rewinds the index, which
     * then lists the offsets of {@code {}[]:,}, of each string's opening quote and of each other value's
     * first byte, in order.
     */
    public void index(final byte[] buffer, final int length)
    {
        Utf8Validator.validate(buffer, length);
        indexer.index(buffer, length);
        bitIndexes.finish();
    }

    public boolean hasNext()
    {
        return bitIndexes.hasNext();
    }

    /** The next structural offset. */
    public int next()
    {
        return bitIndexes.getAndAdvance();
    }

    /** The structural offset after the one last returned, without consuming it (0 past the end). */
    public int peek()
    {
        return bitIndexes.peek();
    }

    /**
     * Runs stage 1 on {@code buffer[0, length)} (which must have 64 bytes of padding after {@code length}) and
     * reads every structural position once, as the cheapest possible stage 2 would.
     *
     * @return the sum of the structural positions, so that the work cannot be optimised away.
     */
    public long indexAndWalk(final byte[] buffer, final int length)
    {
        Utf8Validator.validate(buffer, length);
        indexer.index(buffer, length);
        bitIndexes.finish();
        long sum = 0;
        while (bitIndexes.hasNext())
        {
            sum += bitIndexes.getAndAdvance();
        }
        return sum;
    }
}
