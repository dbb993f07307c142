package mm.feed.binance;

import mm.common.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After warm-up, decoding and syncing more lines of a real recording allocates (near) nothing on the thread.
 * Lines are loaded into memory first so that only the decoder + sync are measured; the gzip reader is
 * measured separately (the JDK's inflater is outside our control).
 */
class AllocationTest
{
    private static final long TOLERANCE_BYTES = 256;
    /** What a pair of readings costs by itself (the JMX call allocates a little), measured once. */



    private static void replay(
        final BookSync sync, final byte[][] jsons, final long[] times, final int from, final int to,
        final UnsafeBuffer buffer)
    {
        for (int i = from; i < to; i++)
        {
            final byte[] json = jsons[i];
            buffer.wrap(json);
            sync.onLine(buffer, 0, json.length, times[i]);
        }
    }

    @Test
    void decodeAndSyncAllocateNothingAfterWarmUp()
    {
        final Recorded recorded = Recorded.warmedUp(-2, -3, TestData.hftbacktest("usdm/btcusdt_20240808.gz"));
        final byte[][] jsons = recorded.jsons;
        final long[] times = recorded.times;
        final UnsafeBuffer buffer = recorded.buffer;
        final int n = jsons.length;

        final BookSync[] syncs = freshSyncs(-2, -3);
        final long allocated = leastOfThree(syncs, jsons, times, buffer);
        final BookSync sync = syncs[2];
        final int warmLines = n / 4;
        System.out.println("usdm decode + sync: " + (n - warmLines) + " lines, " + allocated + " bytes allocated");
        assertEquals(0, sync.gaps());
        assertTrue(sync.diffsApplied() > 6_000, HftbacktestReplayTest.describe(sync));
        assertTrue(allocated < TOLERANCE_BYTES,
            "decode + sync of " + (n - warmLines) + " lines allocated " + allocated + " bytes");
    }

    @Test
    void spotDecodeAndSyncAllocateNothingAfterWarmUp()
    {
        final Recorded recorded = Recorded.warmedUp(-8, -8, TestData.hftbacktest("spot/btcusdt_20240808.gz"), TestData.hftbacktest("spot/btcusdt_20240809.gz"));
        final byte[][] jsons = recorded.jsons;
        final long[] times = recorded.times;
        final UnsafeBuffer buffer = recorded.buffer;
        final int n = jsons.length;
        final BookSync[] syncs = freshSyncs(-8, -8);
        final long allocated = leastOfThree(syncs, jsons, times, buffer);
        final BookSync sync = syncs[2];
        final int warmLines = n / 4;
        System.out.println("spot decode + sync: " + (n - warmLines) + " lines, " + allocated + " bytes allocated");
        assertEquals(6_493, sync.diffsApplied());
        assertTrue(allocated < TOLERANCE_BYTES,
            "decode + sync of " + (n - warmLines) + " lines allocated " + allocated + " bytes");
    }

    @Test
    void usdm2023WithMarkPricesAllocatesNothingAfterWarmUp()
    {
        final Recorded recorded = Recorded.warmedUp(-2, -3, TestData.hftbacktest("usdm/btcusdt_20230404.dat.gz"), TestData.hftbacktest("usdm/btcusdt_20230405.dat.gz"));
        final byte[][] jsons = recorded.jsons;
        final long[] times = recorded.times;
        final UnsafeBuffer buffer = recorded.buffer;
        final int n = jsons.length;
        final BookSync[] syncs = freshSyncs(-2, -3);
        final long allocated = leastOfThree(syncs, jsons, times, buffer);
        final BookSync sync = syncs[2];
        final int warmLines = n / 4;
        final long marksBefore = 0;
        System.out.println("usdm 2023 decode + sync: " + (n - warmLines) + " lines, " + allocated + " bytes allocated");
        assertTrue(sync.markPrices() - marksBefore > 300, HftbacktestReplayTest.describe(sync));
        assertEquals(0, sync.gaps());
        assertTrue(allocated < TOLERANCE_BYTES,
            "decode + sync of " + (n - warmLines) + " lines allocated " + allocated + " bytes");
    }

    @Test
    void readerAllocatesNothingPerLineOnceOpen()
    {
        // Opening a file allocates its streams and buffers; after that, lines reuse one growable buffer.
        for (int round = 0; round < 2; round++)
        {
            readAll(0);
        }
        // least of three: a one-off JVM event (264 B seen once on a loaded machine) is not per-line allocation,
        // which at 80,000 lines would show in every run
        long allocated = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++)
        {
            allocated = Math.min(allocated, readAll(10_000));
        }
        System.out.println("reader: " + allocated + " bytes allocated for lines 10,001 to 90,000 (least of 3)");
        assertTrue(allocated < TOLERANCE_BYTES, "reader allocated " + allocated + " bytes");
    }

    @Test
    void readAheadAllocatesNothingOnTheReadersThreadAcrossFiles()
    {
        // The inflater (and the gzip trailer check at each file's end) allocate on the read-ahead thread; the
        // reader's thread only swaps chunks and splits lines, including when it goes on to the next file.
        final List<java.nio.file.Path> files = List.of(
            TestData.hftbacktest("spot/btcusdt_20240808.gz"), TestData.hftbacktest("spot/btcusdt_20240809.gz"));
        for (int round = 0; round < 2; round++)
        {
            readAllAhead(files, 0);
        }
        long allocated = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++)
        {
            allocated = Math.min(allocated, readAllAhead(files, 10_000));
        }
        System.out.println("read-ahead reader: " + allocated + " bytes allocated for lines 10,001 to 99,574 of two files (least of 3)");
        assertTrue(allocated < TOLERANCE_BYTES, "read-ahead reader allocated " + allocated + " bytes");
    }

    /** Reads both files to the end with read-ahead; returns the bytes allocated after {@code warmLines} lines. */
    private static long readAllAhead(final List<java.nio.file.Path> files, final int warmLines)
    {
        try (RecordingReader reader = RecordingReader.readAhead(files))
        {
            long checksum = 0;
            for (int i = 0; i < warmLines && reader.next(); i++)
            {
                checksum += reader.jsonLength();
            }
            final long before = Allocations.allocatedBytes();
            while (reader.next())
            {
                checksum += reader.jsonLength() + reader.receiveTimeNs() + reader.lineNumber();
            }
            final long allocated = Allocations.allocatedBytes() - before - Allocations.MEASUREMENT_OVERHEAD_BYTES;
            assertTrue(checksum != 0);
            assertEquals(41_249 + 58_325, reader.linesRead());
            assertEquals(files.get(1).toString(), reader.currentFile());
            return allocated;
        }
    }

    /** A recording's lines in memory, after the JIT has compiled the paths on throwaway syncs. */
    private static final class Recorded
    {
        final byte[][] jsons;
        final long[] times;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);

        private Recorded(final List<TestData.Line> lines)
        {
            jsons = new byte[lines.size()][];
            times = new long[lines.size()];
            for (int i = 0; i < jsons.length; i++)
            {
                jsons[i] = lines.get(i).json();
                times[i] = lines.get(i).receiveTimeNs();
            }
        }

        static Recorded warmedUp(final int priceExponent, final int qtyExponent, final java.nio.file.Path... files)
        {
            final Recorded recorded = new Recorded(TestData.readLines(files));
            for (int round = 0; round < 3; round++)
            {
                replay(new BookSync(new CapturingListener(false), priceExponent, qtyExponent), recorded.jsons,
                    recorded.times, 0, recorded.jsons.length, recorded.buffer);
            }
            return recorded;
        }
    }

    private static BookSync[] freshSyncs(final int priceExponent, final int qtyExponent)
    {
        return new BookSync[]{
            new BookSync(new CapturingListener(false), priceExponent, qtyExponent),
            new BookSync(new CapturingListener(false), priceExponent, qtyExponent),
            new BookSync(new CapturingListener(false), priceExponent, qtyExponent)};
    }

    /**
     * Replays the lines into each fresh sync (the first quarter, with the snapshot, as warm-up) and returns the
     * least bytes allocated over the measured parts: a one-off JVM event (a few hundred bytes, seen on a loaded
     * machine) is not per-line allocation, which would show in every run.
     */
    private static long leastOfThree(
        final BookSync[] syncs, final byte[][] jsons, final long[] times, final UnsafeBuffer buffer)
    {
        final int warmLines = jsons.length / 4; // includes the snapshot and sizes every reusable array
        long least = Long.MAX_VALUE;
        for (final BookSync sync : syncs)
        {
            replay(sync, jsons, times, 0, warmLines, buffer);
            final long before = Allocations.allocatedBytes();
            replay(sync, jsons, times, warmLines, jsons.length, buffer);
            least = Math.min(least, Allocations.allocatedBytes() - before - Allocations.MEASUREMENT_OVERHEAD_BYTES);
        }
        return least;
    }

    /** Reads the whole file; returns the bytes allocated after {@code warmLines} lines. */
    private static long readAll(final int warmLines)
    {
        try (RecordingReader reader = new RecordingReader(TestData.hftbacktest("usdm/btcusdt_20240808.gz")))
        {
            long checksum = 0;
            for (int i = 0; i < warmLines && reader.next(); i++)
            {
                checksum += reader.jsonLength();
            }
            // Stop short of the end of the file: the JDK's gzip trailer check allocates a little, once per file.
            final long before = Allocations.allocatedBytes();
            while (reader.linesRead() < 90_000 && reader.next())
            {
                checksum += reader.jsonLength() + reader.receiveTimeNs();
            }
            final long allocated = Allocations.allocatedBytes() - before - Allocations.MEASUREMENT_OVERHEAD_BYTES;
            assertTrue(checksum != 0);
            assertEquals(90_000, reader.linesRead());
            return allocated;
        }
    }
}
