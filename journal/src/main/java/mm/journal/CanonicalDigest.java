package mm.journal;

import org.agrona.DirectBuffer;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * SHA-256 over a journal stream's canonical form (see {@link JournalReader#sha256}): each message as its length,
 * an int32 little-endian, then its bytes. Messages are staged in a 64 KiB array and hashed a block at a time:
 * two {@link MessageDigest#update} calls per message of a few dozen bytes were most of a replay's comparison.
 */
final class CanonicalDigest
{
    private static final int STAGING_BYTES = 64 * 1024;

    private final MessageDigest digest;
    private final byte[] staging;
    private int staged;

    CanonicalDigest()
    {
        this(RunManifest.newSha256(), new byte[STAGING_BYTES], 0);
    }

    private CanonicalDigest(final MessageDigest digest, final byte[] staging, final int staged)
    {
        this.digest = digest;
        this.staging = staging;
        this.staged = staged;
    }

    /** Adds one message. */
    void add(final DirectBuffer buffer, final int offset, final int length)
    {
        if (staged + Integer.BYTES + length > staging.length)
        {
            flush();
        }
        final byte[] staging = this.staging;
        int at = staged;
        staging[at++] = (byte)length;
        staging[at++] = (byte)(length >>> 8);
        staging[at++] = (byte)(length >>> 16);
        staging[at++] = (byte)(length >>> 24);
        if (at + length <= staging.length)
        {
            buffer.getBytes(offset, staging, at, length);
            staged = at + length;
            return;
        }
        // larger than the staging array: its length goes first, then the bytes straight from the buffer
        digest.update(staging, 0, at);
        staged = 0;
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            digest.update(array, (int)(buffer.wrapAdjustment() + offset), length);
        }
        else
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            digest.update(copy);
        }
    }

    /** An independent digest that has seen the same messages. */
    CanonicalDigest copy()
    {
        try
        {
            return new CanonicalDigest((MessageDigest)digest.clone(), staging.clone(), staged);
        }
        catch (final CloneNotSupportedException ex)
        {
            throw new IllegalStateException("SHA-256 digest cannot be copied", ex);
        }
    }

    /** The SHA-256 in lower-case hex; the digest is reset. */
    String hex()
    {
        flush();
        return HexFormat.of().formatHex(digest.digest());
    }

    private void flush()
    {
        if (staged > 0)
        {
            digest.update(staging, 0, staged);
            staged = 0;
        }
    }
}
