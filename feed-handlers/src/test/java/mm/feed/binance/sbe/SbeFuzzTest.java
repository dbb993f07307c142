package mm.feed.binance.sbe;

import mm.feed.binance.BookSync;
import mm.sbe.binance.stream.BestBidAskStreamEventDecoder;
import mm.sbe.binance.stream.DepthDiffStreamEventDecoder;
import mm.sbe.binance.stream.DepthSnapshotStreamEventDecoder;
import mm.sbe.binance.stream.MessageHeaderEncoder;
import mm.sbe.binance.stream.TradesStreamEventDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds random and mutated SBE frames to the decoder, the adapter and a live {@link BookSync}: nothing may throw,
 * and every frame the decoder rejects is counted exactly once. Not part of the default test run (the parent pom
 * excludes the {@code fuzz} tag); run it with:
 * <pre>
 * mvn -pl feed-handlers -am verify -Dgroups=fuzz -DexcludedGroups=none [-Dmm.fuzz.frames=1000000] [-Dmm.fuzz.seed=42]
 * </pre>
 * (add {@code -o} offline). Frames are copied into exactly sized buffers so that, with Agrona bounds checks on as
 * in every test run, a read past a frame throws; and each frame is also decoded inside a larger buffer full of
 * garbage, which must give the same result (nothing beyond the frame's length is read).
 */
@Tag("fuzz")
class SbeFuzzTest
{
    private static final int[] TEMPLATES = {
        TradesStreamEventDecoder.TEMPLATE_ID, BestBidAskStreamEventDecoder.TEMPLATE_ID,
        DepthSnapshotStreamEventDecoder.TEMPLATE_ID, DepthDiffStreamEventDecoder.TEMPLATE_ID};

    /** Counts of what the fuzzer fed and what the adapters reported. */
    private static final class Tally
    {
        long decoderRejected;
        long accepted;
        long timestampRejects;
        final long[] byResult = new long[5]; // decoder rejections by code: -1 .. -4
    }

    @Test
    void randomAndMutatedFramesNeverThrowAndBadOnesAreAllCounted() throws Exception
    {
        final long frames = Long.getLong("mm.fuzz.frames", 1_000_000L);
        final long seed = Long.getLong("mm.fuzz.seed", 20_240_808L);
        final Random random = new Random(seed);

        final List<byte[]> corpus = new ArrayList<>();
        final List<SbeRecording.Entry> entries = SbeTestData.spotPairSbe();
        for (final SbeRecording.Entry entry : entries)
        {
            if (entry.sbe())
            {
                corpus.add(entry.bytes());
            }
        }
        final byte[] snapshot = entries.stream().filter(e -> !e.sbe()).findFirst().orElseThrow().bytes();
        final UnsafeBuffer snapshotBuffer = new UnsafeBuffer(snapshot);

        // Two feeds: one takes anything (its book is mostly waiting for a snapshot after the first broken chain),
        // the other takes the real stream in order with light damage, and restarts from the snapshot after each
        // gap, so that damaged values also meet a live book.
        final BookSync anythingSync = new BookSync(new CountingListener(), -2, -8);
        final BinanceSbeAdapter anything = new BinanceSbeAdapter(anythingSync);
        anythingSync.onLine(snapshotBuffer, 0, snapshot.length, 0);
        final BookSync streamSync = new BookSync(new CountingListener(), -2, -8);
        final BinanceSbeAdapter stream = new BinanceSbeAdapter(streamSync);
        final BinanceSbeDecoder oracle = new BinanceSbeDecoder();
        final byte[] padded = new byte[4 * 1024];
        final UnsafeBuffer paddedBuffer = new UnsafeBuffer(padded);
        final List<byte[]> sample = new ArrayList<>();
        final Tally anythingTally = new Tally();
        final Tally streamTally = new Tally();
        int nextInOrder = 0;
        long restarts = 0;

        for (long i = 0; i < frames; i++)
        {
            final boolean inOrder = (i & 1) == 1;
            final byte[] frame;
            if (inOrder)
            {
                if (streamSync.needsSnapshot())
                {
                    // As the live feed does on a gap: start over from a snapshot (the recording's, with its stream).
                    restarts++;
                    streamSync.onDisconnect(i);
                    streamSync.onLine(snapshotBuffer, 0, snapshot.length, i);
                    nextInOrder = 0;
                }
                final byte[] real = corpus.get(nextInOrder);
                nextInOrder = (nextInOrder + 1) % corpus.size();
                frame = random.nextInt(16) == 0 ? damage(random, real) : real;
            }
            else
            {
                frame = mutate(random, corpus.get(random.nextInt(corpus.size())), corpus);
            }
            try
            {
                final UnsafeBuffer exact = TestFrames.exact(frame, frame.length);
                final int expected = oracle.decode(exact, 0, frame.length);
                final int offset = random.nextInt(64);
                if (offset + frame.length <= padded.length)
                {
                    random.nextBytes(padded);
                    paddedBuffer.putBytes(offset, frame);
                    assertEquals(expected, oracle.decode(paddedBuffer, offset, frame.length), "padded decode");
                }
                final BinanceSbeAdapter adapter = inOrder ? stream : anything;
                final Tally tally = inOrder ? streamTally : anythingTally;
                final long badBefore = adapter.badFrames();
                final int result = adapter.onFrame(exact, 0, frame.length, i);
                assertEquals(expected, result);
                if (result < 0)
                {
                    tally.decoderRejected++;
                    tally.byResult[-result]++;
                    assertEquals(badBefore + 1, adapter.badFrames(), "a rejected frame is counted once");
                }
                else
                {
                    tally.accepted++;
                    // Accepted frames went to the sync, or were counted as malformed for an invalid timestamp.
                    final long counted = adapter.badFrames() - badBefore;
                    assertTrue(counted == 0 || counted == 1);
                    tally.timestampRejects += counted;
                }
            }
            catch (final Throwable t)
            {
                fail("seed " + seed + " frame " + i + " (" + SbeRecording.toHex(frame, 0, frame.length) + ")", t);
            }
            if (sample.size() < 2_000 && frame.length > 0 && random.nextInt(256) == 0) // an empty line is no frame
            {
                sample.add(frame);
            }
        }
        assertEquals(frames, anything.frames() + stream.frames());
        assertCounted(anythingTally, anything);
        assertCounted(streamTally, stream);
        report("anything", seed, anythingTally, anything);
        report("in order", seed, streamTally, stream);
        System.out.println("fuzz: in-order feed restarted from the snapshot " + restarts + " times");
        assertTrue(streamSync.diffsApplied() > 0 && anythingTally.decoderRejected > 0 && anythingTally.accepted > 0);

        // The inspector prints every kind of broken frame without throwing either.
        final Path file = Files.createTempFile("sbe-fuzz", ".txt");
        try
        {
            final StringBuilder text = new StringBuilder();
            for (final byte[] frame : sample)
            {
                text.append(SbeRecording.toHex(frame, 0, frame.length)).append('\n');
            }
            Files.writeString(file, text);
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int exit = InspectBinanceSbe.run(List.of(file.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8));
            assertTrue(exit == 0 || exit == 1);
            assertEquals(sample.size() + 1, out.toString(StandardCharsets.UTF_8).lines().count());
        }
        finally
        {
            Files.delete(file);
        }
    }

    private static void assertCounted(final Tally tally, final BinanceSbeAdapter adapter)
    {
        assertEquals(tally.decoderRejected + tally.timestampRejects, adapter.badFrames());
        assertEquals(tally.byResult[-BinanceSbeDecoder.TRUNCATED], adapter.truncatedFrames());
        assertEquals(tally.byResult[-BinanceSbeDecoder.WRONG_SCHEMA], adapter.wrongSchemaFrames());
        assertEquals(tally.byResult[-BinanceSbeDecoder.UNKNOWN_TEMPLATE], adapter.unknownTemplateFrames());
        assertEquals(tally.byResult[-BinanceSbeDecoder.MALFORMED] + tally.timestampRejects, adapter.malformedFrames());
    }

    private static void report(final String name, final long seed, final Tally tally, final BinanceSbeAdapter adapter)
    {
        final BookSync sync = adapter.sync();
        System.out.println("fuzz (" + name + "): seed " + seed + ", " + adapter.frames() + " frames, " +
            tally.decoderRejected + " rejected by the decoder (" + adapter.truncatedFrames() + " truncated, " +
            adapter.wrongSchemaFrames() + " other schema, " + adapter.unknownTemplateFrames() + " unknown template, " +
            tally.byResult[-BinanceSbeDecoder.MALFORMED] + " malformed), " + tally.accepted + " accepted (" +
            tally.timestampRejects + " then skipped for a timestamp); sync: " + sync.diffsApplied() +
            " diffs applied, " + sync.gaps() + " gaps, " + sync.rejectedValues() + " rejected values, " +
            sync.trades() + " trades, " + sync.pendingOverflows() + " pending overflows");
    }

    /** Light damage to a real frame: a level's price or quantity, one byte, or a cut. */
    private static byte[] damage(final Random random, final byte[] real)
    {
        final byte[] frame = real.clone();
        switch (random.nextInt(3))
        {
            case 0 ->
            {
                // 8 bytes somewhere after the longest root block (18..50 bytes): group entries, most often.
                if (frame.length > 8 + 26 + 4 + 8)
                {
                    final int at = 8 + 26 + 4 + random.nextInt(frame.length - (8 + 26 + 4 + 8));
                    final long value = random.nextBoolean() ? random.nextLong() : (random.nextBoolean() ? 0 : -1);
                    for (int k = 0; k < 8; k++)
                    {
                        frame[at + k] = (byte)(value >>> (8 * k));
                    }
                }
            }
            case 1 -> frame[random.nextInt(frame.length)] = (byte)random.nextInt(256);
            default ->
            {
                return Arrays.copyOf(frame, random.nextInt(frame.length));
            }
        }
        return frame;
    }

    private static byte[] mutate(final Random random, final byte[] original, final List<byte[]> corpus)
    {
        byte[] frame = original.clone();
        switch (random.nextInt(9))
        {
            case 0 -> // random bytes
            {
                frame = new byte[random.nextInt(160)];
                random.nextBytes(frame);
            }
            case 1 -> // random bytes behind a plausible header
            {
                frame = new byte[8 + random.nextInt(160)];
                random.nextBytes(frame);
                header(frame, random.nextInt(80), TEMPLATES[random.nextInt(TEMPLATES.length)], 1, random.nextInt(3));
            }
            case 2 -> frame = Arrays.copyOf(frame, random.nextInt(frame.length)); // truncated
            case 3 -> // flipped bytes
            {
                for (int k = 1 + random.nextInt(4); k > 0; k--)
                {
                    frame[random.nextInt(frame.length)] = (byte)random.nextInt(256);
                }
            }
            case 4 -> // header fields changed
            {
                header(frame, random.nextBoolean() ? random.nextInt(65_536) : random.nextInt(64),
                    random.nextBoolean() ? TEMPLATES[random.nextInt(TEMPLATES.length)] : random.nextInt(65_536),
                    random.nextInt(4) == 0 ? random.nextInt(65_536) : 1, random.nextInt(4));
            }
            case 5 -> // group headers and counts: bytes right after the root block
            {
                final int at = Math.min(frame.length - 1, 8 + 18 + random.nextInt(16));
                frame[at] = (byte)random.nextInt(256);
            }
            case 6 -> // extended: a newer version's longer root block, or trailing bytes
            {
                if (random.nextBoolean())
                {
                    frame = TestFrames.withLongerRootBlock(frame, 1 + random.nextInt(3), 1 + random.nextInt(32));
                }
                else
                {
                    final int extra = 1 + random.nextInt(32);
                    frame = Arrays.copyOf(frame, frame.length + extra);
                    for (int k = frame.length - extra; k < frame.length; k++)
                    {
                        frame[k] = (byte)random.nextInt(256);
                    }
                }
            }
            case 7 -> // spliced: the head of one frame, the tail of another
            {
                final byte[] other = corpus.get(random.nextInt(corpus.size()));
                final int cut = random.nextInt(frame.length);
                final int from = random.nextInt(other.length);
                final byte[] spliced = new byte[cut + other.length - from];
                System.arraycopy(frame, 0, spliced, 0, cut);
                System.arraycopy(other, from, spliced, cut, other.length - from);
                frame = spliced;
            }
            default -> // extreme values in the exponents and mantissas of an otherwise valid frame
            {
                final int at = 8 + random.nextInt(Math.max(1, frame.length - 8));
                final int width = Math.min(8, frame.length - at);
                final long value = switch (random.nextInt(4))
                {
                    case 0 -> Long.MIN_VALUE;
                    case 1 -> Long.MAX_VALUE;
                    case 2 -> -1L;
                    default -> random.nextLong();
                };
                for (int k = 0; k < width; k++)
                {
                    frame[at + k] = (byte)(value >>> (8 * k));
                }
            }
        }
        return frame;
    }

    private static void header(final byte[] frame, final int blockLength, final int templateId, final int schemaId,
        final int version)
    {
        if (frame.length >= MessageHeaderEncoder.ENCODED_LENGTH)
        {
            new MessageHeaderEncoder().wrap(new UnsafeBuffer(frame), 0)
                .blockLength(blockLength).templateId(templateId).schemaId(schemaId).version(version);
        }
    }
}
