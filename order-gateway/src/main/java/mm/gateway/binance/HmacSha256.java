package mm.gateway.binance;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over a reused {@link MessageDigest}, writing into the caller's array. The JDK's
 * {@code Mac.doFinal(byte[], int)} allocates its result on every call; this does the same two digests (the key
 * blocks are prepared once) without allocating, for signing every Binance request on the gateway thread.
 * Verified against {@code javax.crypto.Mac} and Binance's published vectors in tests. Not thread-safe. The key
 * blocks are secret: nothing here prints them.
 */
public final class HmacSha256
{
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;

    private final MessageDigest digest;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    public HmacSha256(final byte[] key)
    {
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
        }
        final byte[] block = key.length > BLOCK ? digest.digest(key) : key;
        for (int i = 0; i < BLOCK; i++)
        {
            final byte k = i < block.length ? block[i] : 0;
            innerPad[i] = (byte)(k ^ 0x36);
            outerPad[i] = (byte)(k ^ 0x5c);
        }
        if (block != key)
        {
            Arrays.fill(block, (byte)0);
        }
    }

    /** Writes the 32-byte MAC of {@code message[offset, offset + length)} into {@code out[outOffset...]}. */
    public void mac(final byte[] message, final int offset, final int length, final byte[] out, final int outOffset)
    {
        try
        {
            digest.reset();
            digest.update(innerPad, 0, BLOCK);
            digest.update(message, offset, length);
            digest.digest(inner, 0, LENGTH);
            digest.update(outerPad, 0, BLOCK);
            digest.update(inner, 0, LENGTH);
            digest.digest(out, outOffset, LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("SHA-256 digest failed", ex);
        }
    }

    /** Lower-case hex MAC of a UTF-8 message (tools and fakes; allocates). */
    public static String hex(final byte[] key, final String message)
    {
        final byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] out = new byte[LENGTH];
        new HmacSha256(key).mac(bytes, 0, bytes.length, out, 0);
        return java.util.HexFormat.of().formatHex(out);
    }

    @Override
    public String toString()
    {
        return "HmacSha256[key redacted]";
    }
}
