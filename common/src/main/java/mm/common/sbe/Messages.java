package mm.common.sbe;

import mm.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

/**
 * Reads what every engine message shares without decoding the whole message: the header, and the
 * {@code eventSeq} that by schema convention is the first field of every message body except InboxRecord.
 */
public final class Messages
{
    public static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;

    private Messages()
    {
    }

    /** True when the fragment is long enough for a header and carries the engine's schema id. */
    public static boolean isEngineMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= HEADER_LENGTH + Long.BYTES && schemaId(buffer, offset) == SCHEMA_ID;
    }

    public static int templateId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public static int schemaId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public static int version(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 6, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public static long eventSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + HEADER_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
