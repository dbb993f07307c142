package mm.feed.kite;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Random;

/**
 * Builds Kite packets field by field (big-endian, the documented layouts), for tests: our own encoder of the
 * wire format, independent of the decoder under test.
 */
final class PacketBuilder
{
    private final byte[] bytes;
    private final UnsafeBuffer buffer;

    PacketBuilder(final KitePacketMode mode)
    {
        bytes = new byte[mode.packetLength()];
        buffer = new UnsafeBuffer(bytes);
    }

    PacketBuilder putInt(final int offset, final int value)
    {
        buffer.putInt(offset, value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    PacketBuilder putShort(final int offset, final int value)
    {
        buffer.putShort(offset, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    byte[] bytes()
    {
        return bytes;
    }

    static int token(final int exchangeToken, final int segment)
    {
        return exchangeToken << 8 | segment;
    }

    /**
     * A packet of {@code mode} for {@code token} with every field drawn from {@code random}: realistic
     * positive values most of the time, and full-range 32-bit values (negative when read signed) otherwise, so
     * that sign and width choices are exercised. Padding bytes of depth entries are random too.
     */
    static byte[] random(final KitePacketMode mode, final int token, final Random random)
    {
        final PacketBuilder b = new PacketBuilder(mode);
        random.nextBytes(b.bytes);
        final boolean wild = random.nextInt(4) == 0;
        b.putInt(0, token);
        for (int offset = 4; offset + 4 <= Math.min(mode.packetLength(), 64); offset += 4)
        {
            b.putInt(offset, value(random, wild));
        }
        if (mode == KitePacketMode.FULL)
        {
            b.putInt(KiteTick.LAST_TRADE_TIME, time(random, wild));
            b.putInt(KiteTick.EXCHANGE_TIME, time(random, wild));
            for (int entry = 0; entry < 10; entry++)
            {
                final int at = KiteTick.BID_DEPTH + entry * KiteTick.DEPTH_ENTRY_LENGTH;
                b.putInt(at, value(random, wild));
                b.putInt(at + 4, value(random, wild));
                b.putShort(at + 8, wild ? random.nextInt(65536) : random.nextInt(200));
            }
        }
        if (mode == KitePacketMode.INDEX_FULL)
        {
            b.putInt(KiteTick.INDEX_EXCHANGE_TIME, time(random, wild));
        }
        if (mode.indexLayout())
        {
            // The change field is signed: keep it negative often.
            b.putInt(KiteTick.INDEX_CHANGE, random.nextInt(2_000_001) - 1_000_000);
        }
        return b.bytes;
    }

    private static int value(final Random random, final boolean wild)
    {
        if (wild)
        {
            return random.nextInt();
        }
        return switch (random.nextInt(5))
        {
            case 0 -> 0;
            case 1 -> random.nextInt(100);
            case 2 -> random.nextInt(1_000_000);
            default -> random.nextInt(Integer.MAX_VALUE);
        };
    }

    private static int time(final Random random, final boolean wild)
    {
        if (wild)
        {
            return random.nextInt(); // includes 0, negatives (2038+ when unsigned)
        }
        return random.nextInt(10) == 0 ? 0 : 1_600_000_000 + random.nextInt(200_000_000);
    }
}
