package mm.gateway.binance;

import mm.common.config.ConfigException;
import mm.common.net.ApiKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Signs Binance request payloads: HMAC-SHA256 (lower-case hex, allocation-free, for every request of an HMAC
 * key) or Ed25519 (standard base64 of the 64-byte signature, used once per connection for
 * {@code session.logon}; after that requests carry no signature). The key material comes from a file or an
 * environment variable and never appears in logs, exceptions or {@link #toString()}.
 */
public final class BinanceSigner
{
    /** The key type, which decides how the session authenticates. */
    public enum KeyType
    {
        /** HMAC-SHA256: every signed request carries apiKey and signature. */
        HMAC,
        /** Ed25519: one session.logon per connection, then unsigned requests. */
        ED25519
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final KeyType type;
    private final HmacSha256 hmac;
    private final Signature ed25519;
    private final byte[] mac = new byte[HmacSha256.LENGTH];
    private final String source;

    private BinanceSigner(final KeyType type, final HmacSha256 hmac, final Signature ed25519, final String source)
    {
        this.type = type;
        this.hmac = hmac;
        this.ed25519 = ed25519;
        this.source = source;
    }

    /** An HMAC signer with the secret key text (ASCII, as Binance shows it). */
    public static BinanceSigner hmac(final String secret, final String source)
    {
        return new BinanceSigner(KeyType.HMAC, new HmacSha256(secret.getBytes(StandardCharsets.US_ASCII)), null, source);
    }

    /** An Ed25519 signer with a PKCS#8 private key. */
    public static BinanceSigner ed25519(final PrivateKey key, final String source)
    {
        try
        {
            final Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            return new BinanceSigner(KeyType.ED25519, null, signature, source);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("not a usable Ed25519 private key from " + source);
        }
    }

    /**
     * Reads a key file: a PEM {@code PRIVATE KEY} (PKCS#8 Ed25519) makes an Ed25519 signer, anything else is
     * taken as an HMAC secret on the first line.
     *
     * @param configKey the config key that named the file, for the error message.
     */
    public static BinanceSigner fromFile(final String configKey, final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new ConfigException(configKey, file.toString(), "must be a readable file holding an HMAC secret or an Ed25519 PEM private key");
        }
        if (text.contains("-----BEGIN"))
        {
            return ed25519(parsePem(configKey, file, text), "file " + file);
        }
        final ApiKey secret = ApiKey.fromConfig(configKey, null, configKey, file, name -> null);
        return hmac(secret.value(), "file " + file);
    }

    /** An HMAC secret from an environment variable. */
    public static BinanceSigner fromEnv(final String configKey, final String envName, final java.util.function.Function<String, String> env)
    {
        final ApiKey secret = ApiKey.fromConfig(configKey, envName, configKey, null, env);
        return hmac(secret.value(), "environment variable " + envName);
    }

    private static PrivateKey parsePem(final String configKey, final Path file, final String text)
    {
        final int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        final int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin)
        {
            throw new ConfigException(configKey, file.toString(), "a PEM key file must hold an unencrypted PKCS#8 'PRIVATE KEY' (Ed25519)");
        }
        try
        {
            final String body = text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
            final byte[] der = Base64.getDecoder().decode(body);
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        catch (final GeneralSecurityException | IllegalArgumentException ex)
        {
            // the exception text is not included: it could quote key bytes
            throw new ConfigException(configKey, file.toString(), "the PEM private key is not an Ed25519 PKCS#8 key");
        }
    }

    public KeyType type()
    {
        return type;
    }

    /** Length of the signature text {@link #sign} writes. */
    public int signatureLength()
    {
        return type == KeyType.HMAC ? 2 * HmacSha256.LENGTH : 88;
    }

    /**
     * Signs {@code payload[0, length)} and writes the signature text into {@code out[outOffset...]}
     * (HMAC: allocation-free hex; Ed25519: allocates, used once per connection).
     *
     * @return the number of bytes written.
     */
    public int sign(final byte[] payload, final int length, final org.agrona.MutableDirectBuffer out, final int outOffset)
    {
        if (type == KeyType.HMAC)
        {
            hmac.mac(payload, 0, length, mac, 0);
            for (int i = 0; i < HmacSha256.LENGTH; i++)
            {
                out.putByte(outOffset + 2 * i, HEX[(mac[i] >> 4) & 0xF]);
                out.putByte(outOffset + 2 * i + 1, HEX[mac[i] & 0xF]);
            }
            return 2 * HmacSha256.LENGTH;
        }
        final byte[] text = Base64.getEncoder().encode(signEd25519(payload, length));
        out.putBytes(outOffset, text);
        return text.length;
    }

    /** The signature text of a payload (tools, tests; allocates). */
    public String sign(final String payload)
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        final org.agrona.concurrent.UnsafeBuffer out = new org.agrona.concurrent.UnsafeBuffer(new byte[128]);
        final int length = sign(bytes, bytes.length, out, 0);
        return out.getStringWithoutLengthAscii(0, length);
    }

    private byte[] signEd25519(final byte[] payload, final int length)
    {
        try
        {
            ed25519.update(payload, 0, length);
            return ed25519.sign();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("Ed25519 signing failed", ex);
        }
    }

    /** Where the key came from, safe to print. */
    public String source()
    {
        return source;
    }

    @Override
    public String toString()
    {
        return "BinanceSigner[" + type + " from " + source + ", key redacted]";
    }
}
