package mm.feed.binance.sbe;

import mm.feed.binance.BookSync;
import mm.sbe.binance.stream.DepthDiffStreamEventDecoder;
import mm.sbe.binance.stream.GroupSize16EncodingEncoder;
import mm.sbe.binance.stream.MessageHeaderEncoder;
import mm.sbe.binance.stream.TradesStreamEventDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static mm.feed.binance.sbe.MiniJson.array;
import static mm.feed.binance.sbe.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad and unexpected frames are counted and skipped, never thrown; newer versions decode the fields we know. */
class BinanceSbeRobustnessTest
{
    private static final long TIME_US = 1_723_161_255_208_000L;

    private static byte[] diff()
    {
        return TestFrames.depthDiff(100, 105, -8, -8, TIME_US, "BTCUSDT", 2,
            6_173_763_000_000L, 150_000_000L, 6_173_000_000_000L, 0L, 6_173_764_000_000L, 2_000_000L);
    }

    private static byte[] trade()
    {
        return TestFrames.trade(3_735_683_259L, 6_183_763_000_000L, 2_000_000L, true, -8, -8, TIME_US, TIME_US - 1,
            "BTCUSDT");
    }

    private static int decode(final BinanceSbeDecoder decoder, final byte[] frame)
    {
        return decoder.decode(TestFrames.exact(frame, frame.length), 0, frame.length);
    }

    @Test
    void unknownTemplateAndOtherSchemasAreCountedAndSkipped()
    {
        final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
        final byte[] unknown = TestFrames.withHeader(diff(), null, 10_999, null, null);
        final byte[] otherSchema = TestFrames.withHeader(diff(), null, null, 3, null);
        assertEquals(BinanceSbeDecoder.UNKNOWN_TEMPLATE, decode(decoder, unknown));
        assertEquals(10_999, decoder.templateId());
        assertEquals(BinanceSbeDecoder.WRONG_SCHEMA, decode(decoder, otherSchema));
        assertEquals(3, decoder.schemaId());

        final BookSync sync = new BookSync(new CountingListener(), -2, -8);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        final byte[] good = diff();
        for (final byte[] frame : List.of(unknown, otherSchema, good))
        {
            adapter.onFrame(TestFrames.exact(frame, frame.length), 0, frame.length, 1L);
        }
        assertEquals(1, adapter.unknownTemplateFrames());
        assertEquals(1, adapter.wrongSchemaFrames());
        assertEquals(2, adapter.badFrames());
        assertEquals(1, sync.diffsBuffered(), "the good diff after them still went through");
    }

    @Test
    void aNewerVersionWithALongerRootBlockDecodesTheFieldsWeKnow()
    {
        final byte[] v0 = diff();
        final byte[] v1 = TestFrames.withLongerRootBlock(v0, 1, 13);
        final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
        assertEquals(BinanceSbeDecoder.DEPTH_DIFF, decode(decoder, v1));
        assertEquals(1, decoder.version());
        assertEquals(26 + 13, decoder.blockLength());
        final DepthDiffStreamEventDecoder m = decoder.depthDiff();
        assertEquals(100, m.firstBookUpdateId());
        assertEquals(105, m.lastBookUpdateId());
        assertEquals(-8, m.priceExponent());
        final DepthDiffStreamEventDecoder.BidsDecoder bids = m.bids();
        assertEquals(2, bids.count());
        assertEquals(6_173_763_000_000L, bids.next().price());
        assertEquals(v1.length, decoder.messageLength());

        final byte[] trade = TestFrames.withLongerRootBlock(trade(), 2, 8);
        assertEquals(BinanceSbeDecoder.TRADES, decode(decoder, trade));
        final TradesStreamEventDecoder t = decoder.trades();
        assertEquals(TIME_US - 1, t.transactTime());
        assertEquals(3_735_683_259L, t.trades().next().id());
        assertEquals("BTCUSDT", new UnsafeBuffer(trade).getStringWithoutLengthAscii(decoder.symbolOffset(), 7));

        // Both versions give the same book: a snapshot-less sync buffers them; compare what it kept.
        final CountingListener a = new CountingListener(true);
        final CountingListener b = new CountingListener(true);
        final BookSync syncA = new BookSync(a, -2, -8);
        final BookSync syncB = new BookSync(b, -2, -8);
        feedSnapshot(syncA, 99);
        feedSnapshot(syncB, 99);
        new BinanceSbeAdapter(syncA).onFrame(new UnsafeBuffer(v0), 0, v0.length, 2L);
        new BinanceSbeAdapter(syncB).onFrame(new UnsafeBuffer(v1), 0, v1.length, 2L);
        assertEquals(1, syncB.diffsApplied());
        assertEquals(a.tops, b.tops);
    }

    @Test
    void longerGroupEntriesOfANewerVersionAreSkippedByTheirBlockLength()
    {
        // A depth diff whose level entries carry 8 unknown bytes after price and qty (entry blockLength 24).
        final byte[] v0 = diff();
        final int rootEnd = MessageHeaderEncoder.ENCODED_LENGTH + DepthDiffStreamEventDecoder.BLOCK_LENGTH;
        final int extra = 8;
        final int[] counts = {2, 1}; // diff(): two bids, one ask
        final byte[] v1 = new byte[v0.length + 3 * extra];
        System.arraycopy(v0, 0, v1, 0, rootEnd);
        int in = rootEnd;
        int out = rootEnd;
        final GroupSize16EncodingEncoder groupHeader = new GroupSize16EncodingEncoder();
        for (final int count : counts)
        {
            groupHeader.wrap(new UnsafeBuffer(v1), out).blockLength(16 + extra).numInGroup(count);
            in += GroupSize16EncodingEncoder.ENCODED_LENGTH;
            out += GroupSize16EncodingEncoder.ENCODED_LENGTH;
            for (int i = 0; i < count; i++)
            {
                System.arraycopy(v0, in, v1, out, 16);
                in += 16;
                out += 16 + extra;
            }
        }
        System.arraycopy(v0, in, v1, out, v0.length - in);
        new MessageHeaderEncoder().wrap(new UnsafeBuffer(v1), 0).version(1);

        final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
        assertEquals(BinanceSbeDecoder.DEPTH_DIFF, decode(decoder, v1));
        final DepthDiffStreamEventDecoder m = decoder.depthDiff();
        final DepthDiffStreamEventDecoder.BidsDecoder bids = m.bids();
        assertEquals(24, bids.actingBlockLength());
        assertEquals(6_173_763_000_000L, bids.next().price());
        assertEquals(6_173_000_000_000L, bids.next().price());
        final DepthDiffStreamEventDecoder.AsksDecoder asks = m.asks();
        assertEquals(1, asks.count());
        assertEquals(6_173_764_000_000L, asks.next().price());
        assertEquals(2_000_000L, asks.qty());
        assertEquals(7, decoder.symbolLength());
    }

    @Test
    void malformedLengthsAndValuesAreCountedNotThrown()
    {
        final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
        // Root block shorter than the fields version 0 defines.
        assertEquals(BinanceSbeDecoder.MALFORMED, decode(decoder, TestFrames.withHeader(diff(), 20, null, null, null)));
        assertEquals(BinanceSbeDecoder.SECTION_ROOT_BLOCK, decoder.section());

        // Level entries shorter than price + qty.
        final byte[] shortEntries = diff();
        final int groupAt = MessageHeaderEncoder.ENCODED_LENGTH + DepthDiffStreamEventDecoder.BLOCK_LENGTH;
        new GroupSize16EncodingEncoder().wrap(new UnsafeBuffer(shortEntries), groupAt).blockLength(8);
        assertEquals(BinanceSbeDecoder.MALFORMED, decode(decoder, shortEntries));
        assertEquals("bids", decoder.groupName());

        // A trades count above the schema's maxValue (uint32 with the top bit set).
        final byte[] hugeCount = trade();
        final int tradesAt = MessageHeaderEncoder.ENCODED_LENGTH + TradesStreamEventDecoder.BLOCK_LENGTH;
        new mm.sbe.binance.stream.GroupSizeEncodingEncoder().wrap(new UnsafeBuffer(hugeCount), tradesAt)
            .numInGroup(0x8000_0000L);
        assertEquals(BinanceSbeDecoder.MALFORMED, decode(decoder, hugeCount));
        // A large but representable count is simply longer than the frame.
        new mm.sbe.binance.stream.GroupSizeEncodingEncoder().wrap(new UnsafeBuffer(hugeCount), tradesAt)
            .numInGroup(0x7FFF_FFFFL);
        assertEquals(BinanceSbeDecoder.TRUNCATED, decode(decoder, hugeCount));

        // isBuyerMaker is a boolEnum: 2 is not a value of it.
        final byte[] badEnum = trade();
        final int makerAt = tradesAt + 6 + TradesStreamEventDecoder.TradesDecoder.isBuyerMakerEncodingOffset();
        badEnum[makerAt] = 2;
        assertEquals(BinanceSbeDecoder.MALFORMED, decode(decoder, badEnum));

        // A negative timestamp decodes (the schema allows it) but is not an epoch time: the adapter skips it.
        final byte[] negativeTime = TestFrames.trade(1, 1, 1, false, -8, -8, -5, -5, "BTCUSDT");
        assertEquals(BinanceSbeDecoder.TRADES, decode(decoder, negativeTime));
        final BookSync sync = new BookSync(new CountingListener(), -2, -8);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        adapter.onFrame(new UnsafeBuffer(negativeTime), 0, negativeTime.length, 1L);
        adapter.onFrame(new UnsafeBuffer(badEnum), 0, badEnum.length, 1L);
        adapter.onFrame(new UnsafeBuffer(hugeCount), 0, hugeCount.length, 1L);
        assertEquals(2, adapter.malformedFrames());
        assertEquals(1, adapter.truncatedFrames());
        assertEquals(0, sync.trades());
        // Nonsense lengths, too short for a header, and an empty frame.
        assertEquals(BinanceSbeDecoder.TRUNCATED, adapter.onFrame(new UnsafeBuffer(new byte[3]), 0, 3, 1L));
        assertEquals(BinanceSbeDecoder.TRUNCATED, adapter.onFrame(new UnsafeBuffer(new byte[0]), 0, 0, 1L));
        assertEquals(BinanceSbeDecoder.TRUNCATED, adapter.onFrame(new UnsafeBuffer(new byte[8]), 0, -1, 1L));
    }

    @Test
    void everyTruncationOfRealFramesIsCountedNeverThrown()
    {
        // The complete vectors, plus real frames of each kind converted from the spot recording.
        final List<byte[]> frames = new ArrayList<>();
        for (final Object vector : array(SbeTestData.vectors().get("vectors")))
        {
            frames.add(SbeRecording.fromHex((String)object(vector).get("hex")));
        }
        final List<SbeRecording.Entry> entries = SbeTestData.spotPairSbe();
        for (int i = 0; i < 400; i++)
        {
            if (entries.get(i).sbe())
            {
                frames.add(entries.get(i).bytes());
            }
        }
        final BookSync sync = new BookSync(new CountingListener(), -2, -8);
        final BinanceSbeAdapter adapter = new BinanceSbeAdapter(sync);
        final BinanceSbeDecoder decoder = new BinanceSbeDecoder();
        long prefixes = 0;
        for (final byte[] frame : frames)
        {
            assertTrue(decode(decoder, frame) > 0);
            for (int length = 0; length < frame.length; length++)
            {
                // Exactly sized: with bounds checks on, any read past the prefix would throw.
                final UnsafeBuffer prefix = TestFrames.exact(frame, length);
                assertEquals(BinanceSbeDecoder.TRUNCATED, decoder.decode(prefix, 0, length), "length " + length);
                assertTrue(decoder.requiredLength() > length);
                assertEquals(BinanceSbeDecoder.TRUNCATED, adapter.onFrame(prefix, 0, length, 1L));
                prefixes++;
            }
            // The same frame inside a larger buffer, cut short by the length given: still truncated.
            final UnsafeBuffer padded = new UnsafeBuffer(new byte[frame.length + 64]);
            padded.putBytes(16, frame);
            assertEquals(BinanceSbeDecoder.TRUNCATED, decoder.decode(padded, 16, frame.length - 1));
            assertTrue(decoder.decode(padded, 16, frame.length) > 0);
        }
        assertEquals(prefixes, adapter.truncatedFrames());
        assertEquals(prefixes, adapter.badFrames());
        assertEquals(0, sync.diffsBuffered() + sync.trades() + sync.bookTickers());
        assertTrue(frames.size() > 300, "frames: " + frames.size());
    }

    /** A JSON REST snapshot at update id {@code lastUpdateId} with one level each side. */
    static void feedSnapshot(final BookSync sync, final long lastUpdateId)
    {
        final byte[] json = ("{\"lastUpdateId\":" + lastUpdateId +
            ",\"bids\":[[\"61700.00000000\",\"1.00000000\"]],\"asks\":[[\"61800.00000000\",\"1.00000000\"]]}")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        sync.onLine(new UnsafeBuffer(json), 0, json.length, 1L);
    }
}
