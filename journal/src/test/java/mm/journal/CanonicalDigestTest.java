package mm.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The staged digest equals SHA-256 over "int32 LE length, bytes" per message, whatever the message sizes. */
class CanonicalDigestTest
{
    @Test
    void equalsTheCanonicalSha256ForSmallEmptyAndLargerThanStagingMessages() throws Exception
    {
        final Random random = new Random(42);
        final List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 5_000; i++)
        {
            final int length = i % 997 == 0 ? 65_536 + random.nextInt(100_000) : i % 13 == 0 ? 0 : random.nextInt(300);
            final byte[] message = new byte[length];
            random.nextBytes(message);
            messages.add(message);
        }
        final MessageDigest reference = MessageDigest.getInstance("SHA-256");
        final CanonicalDigest onHeap = new CanonicalDigest();
        final CanonicalDigest offHeap = new CanonicalDigest();
        CanonicalDigest copy = null;
        String referenceAtCopy = null;
        for (int i = 0; i < messages.size(); i++)
        {
            final byte[] message = messages.get(i);
            reference.update(ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(message.length).array());
            reference.update(message);
            final byte[] padded = new byte[message.length + 7];
            System.arraycopy(message, 0, padded, 7, message.length);
            onHeap.add(new UnsafeBuffer(padded), 7, message.length);
            final ByteBuffer direct = ByteBuffer.allocateDirect(message.length + 3);
            direct.position(3);
            direct.put(message);
            offHeap.add(new UnsafeBuffer(direct), 3, message.length);
            if (i == 2_500)
            {
                copy = onHeap.copy();
                referenceAtCopy = HexFormat.of().formatHex(((MessageDigest)reference.clone()).digest());
            }
        }
        final String expected = HexFormat.of().formatHex(reference.digest());
        assertEquals(expected, onHeap.hex());
        assertEquals(expected, offHeap.hex());
        assertEquals(referenceAtCopy, copy.hex(), "a copy is the digest of the messages so far, and goes on alone");
        assertNotEquals(expected, referenceAtCopy);
    }
}
