package mm.gateway.venue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientOrderIdsTest
{
    private final ClientOrderIds ids = new ClientOrderIds("mm-a");
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Test
    void roundTripsEveryNonNegativeLong()
    {
        for (final long id : new long[] {0, 1, 9, 10, 123_456_789, Long.MAX_VALUE})
        {
            final int length = ids.put(buffer, 5, id);
            assertEquals(ids.toString(id), buffer.getStringWithoutLengthAscii(5, length));
            assertEquals(id, ids.parse(buffer, 5, length));
            assertTrue(length <= 36, "Binance allows 36 characters");
        }
    }

    @Test
    void foreignIdsAreRecognised()
    {
        for (final String text : new String[] {"mm-b12", "mm-a", "mm-a12x", "x0", "4d96324ff9d44481926157", "mm-a007",
            "mm-a99999999999999999999"})
        {
            final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            buffer.putBytes(0, bytes);
            assertEquals(ClientOrderIds.FOREIGN, ids.parse(buffer, 0, bytes.length), text);
        }
    }

    @Test
    void prefixRules()
    {
        assertTrue(ClientOrderIds.isValidPrefix("mm"));
        assertFalse(ClientOrderIds.isValidPrefix("mm1"));
        assertFalse(ClientOrderIds.isValidPrefix("m m"));
        assertFalse(ClientOrderIds.isValidPrefix(""));
        assertFalse(ClientOrderIds.isValidPrefix("abcdefghijklmnopq"));
        assertThrows(IllegalArgumentException.class, () -> ids.put(buffer, 0, -1));
    }
}
