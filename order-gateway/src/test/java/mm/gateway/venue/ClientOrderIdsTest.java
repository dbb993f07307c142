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

    @Test
    void sessionBasesComeFromTheFirstInputSecondAndTheSessionNumber()
    {
        final long t = 1_723_075_200_123_456_789L; // 2024-08-08T00:00:00.123456789Z
        assertEquals(75_200L * 1_000_000 + 1, ClientOrderIds.sessionBase(t, 0));
        assertEquals(75_201L * 1_000_000 + 1, ClientOrderIds.sessionBase(t, 1), "the next session of the same inputs");
        assertEquals(75_201L * 1_000_000 + 1, ClientOrderIds.sessionBase(t + 1_000_000_000L, 0), "a second later");
        assertEquals(ClientOrderIds.sessionBase(t, 0), ClientOrderIds.sessionBase(t + 876_543_210L, 0),
            "the same second: the same ids (a replay has the same first input)");
        assertEquals(1, ClientOrderIds.sessionBase(0, 0), "no input time yet");
        assertEquals(999_999L * 1_000_000 + 1, ClientOrderIds.sessionBase(999_999L * 1_000_000_000L, 0));
        assertEquals(1, ClientOrderIds.sessionBase(999_999L * 1_000_000_000L, 1), "stamps wrap after 10^6 s");
    }

    @Test
    void aSessionsIdsFitBinanceAndAKiteTagWithTheLongestTagPrefix()
    {
        final ClientOrderIds kite = new ClientOrderIds("abcdefg_"); // 8 characters, the longest kite.order.tagPrefix
        final long last = ClientOrderIds.sessionBase(999_999L * 1_000_000_000L, 0) + ClientOrderIds.IDS_PER_SESSION - 2;
        assertEquals(ClientOrderIds.MAX_SESSION_ID_DIGITS, Long.toString(last).length());
        final int length = kite.put(buffer, 0, last);
        assertTrue(length <= 20, "Kite tags hold 20 characters: " + length);
        assertTrue(buffer.getStringWithoutLengthAscii(0, length).matches("^[a-zA-Z0-9-_]{1,36}$"), "Binance's rule");
        assertEquals(last, kite.parse(buffer, 0, length));
    }
}
