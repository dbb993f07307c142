package mm.feed.binance.sbe;

import mm.common.testing.Allocations;
import mm.feed.binance.BookSync;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After warm-up, decoding SBE frames and syncing the book over a real recording (converted to SBE) allocates
 * nothing on the thread. Frames are in memory first, so only the decoder, adapter and sync are measured.
 */
class SbeAllocationTest
{
    /** What a pair of readings costs by itself (the JMX call may allocate a little), measured once. */



    private static void replay(
        final BinanceSbeAdapter adapter, final UnsafeBuffer[] payloads, final boolean[] sbe, final long[] times,
        final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final UnsafeBuffer payload = payloads[i];
            if (sbe[i])
            {
                adapter.onFrame(payload, 0, payload.capacity(), times[i]);
            }
            else
            {
                adapter.sync().onLine(payload, 0, payload.capacity(), times[i]);
            }
        }
    }

    @Test
    void sbeDecodeAndSyncAllocateNothingAfterWarmUp()
    {
        final List<SbeRecording.Entry> entries = SbeTestData.spotPairSbe();
        final int n = entries.size();
        final UnsafeBuffer[] payloads = new UnsafeBuffer[n];
        final boolean[] sbe = new boolean[n];
        final long[] times = new long[n];
        for (int i = 0; i < n; i++)
        {
            payloads[i] = new UnsafeBuffer(entries.get(i).bytes());
            sbe[i] = entries.get(i).sbe();
            times[i] = entries.get(i).receiveTimeNs();
        }
        // Warm-up: let the JIT compile the paths (on throwaway syncs), at the demo instrument's scale.
        for (int round = 0; round < 3; round++)
        {
            replay(new BinanceSbeAdapter(new BookSync(new CountingListener(), -2, -8)), payloads, sbe, times, 0, n);
        }
        // Three measured runs on fresh syncs; the least counts: a one-off JVM event (deoptimisation materialising
        // an object, seen once as 184 B on a loaded machine) is not per-frame allocation, which would show in all.
        final int warmFrames = n / 4; // includes the snapshot and sizes every reusable array
        long allocated = Long.MAX_VALUE;
        BinanceSbeAdapter adapter = null;
        CountingListener listener = null;
        for (int run = 0; run < 3; run++)
        {
            listener = new CountingListener();
            adapter = new BinanceSbeAdapter(new BookSync(listener, -2, -8));
            replay(adapter, payloads, sbe, times, 0, warmFrames);
            final long before = Allocations.allocatedBytes();
            replay(adapter, payloads, sbe, times, warmFrames, n);
            allocated = Math.min(allocated, Allocations.allocatedBytes() - before - Allocations.MEASUREMENT_OVERHEAD_BYTES);
        }
        System.out.println(
            "spot SBE decode + sync: " + (n - warmFrames) + " frames, " + allocated + " bytes allocated (least of 3)");
        assertEquals(6_493, adapter.sync().diffsApplied());
        assertEquals(0, adapter.badFrames());
        assertTrue(listener.books > 6_000);
        assertEquals(0, allocated,
            "decode + sync of " + (n - warmFrames) + " frames allocated " + allocated + " bytes");
    }
}
