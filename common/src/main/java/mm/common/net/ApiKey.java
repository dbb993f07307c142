package mm.common.net;

import mm.common.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A venue API key: Binance's {@code X-MBX-APIKEY} upgrade header (mandatory on the SBE streams) and the
 * {@code apiKey} of signed WebSocket API requests, Kite's api_key. The value is read from an environment variable or a file named in config, and is never logged, never put in an exception
 * message and never returned by {@link #toString()}: errors name only where the key was looked for.
 */
public final class ApiKey
{
    /** The HTTP header Binance reads the key from. */
    public static final String HEADER = "X-MBX-APIKEY";

    private static final int MAX_LENGTH = 256;

    private final String value;
    private final String source;

    private ApiKey(final String value, final String source)
    {
        this.value = value;
        this.source = source;
    }

    /** A key given directly (tests, embedding). */
    public static ApiKey of(final String value, final String source)
    {
        if (!isValid(value))
        {
            throw new IllegalArgumentException("API key from " + source +
                " must be 1-" + MAX_LENGTH + " printable ASCII characters without spaces");
        }
        return new ApiKey(value, source);
    }

    /**
     * Reads the key named by config: from the environment variable {@code envName}, or the first line of
     * {@code file}. Exactly one of them may be given; both null means no key.
     *
     * @param env the environment (System::getenv in production).
     * @return the key, or null when none is configured.
     */
    public static ApiKey fromConfig(
        final String envKey, final String envName, final String fileKey, final Path file,
        final Function<String, String> env)
    {
        if (envName != null && file != null)
        {
            throw new ConfigException(fileKey, file.toString(), "give either " + envKey + " or " + fileKey + ", not both");
        }
        if (envName != null)
        {
            final String raw = env.apply(envName);
            final String value = raw == null ? null : raw.strip();
            if (value == null || value.isEmpty())
            {
                throw new ConfigException(envKey, envName, "must name an environment variable that holds the API key");
            }
            if (!isValid(value))
            {
                // the value itself stays out of the message
                throw new ConfigException(envKey, envName,
                    "the environment variable must hold 1-" + MAX_LENGTH + " printable ASCII characters without spaces");
            }
            return new ApiKey(value, "environment variable " + envName);
        }
        if (file != null)
        {
            final String value;
            try
            {
                final String text = Files.readString(file, StandardCharsets.US_ASCII);
                final int newline = text.indexOf('\n');
                value = (newline >= 0 ? text.substring(0, newline) : text).strip();
            }
            catch (final IOException | RuntimeException ex)
            {
                // the exception text is not included: a decoding error could quote the file's bytes
                throw new ConfigException(fileKey, file.toString(), "must be a readable file holding the API key on its first line");
            }
            if (!isValid(value))
            {
                throw new ConfigException(fileKey, file.toString(),
                    "the first line must hold 1-" + MAX_LENGTH + " printable ASCII characters without spaces");
            }
            return new ApiKey(value, "file " + file);
        }
        return null;
    }

    private static boolean isValid(final String value)
    {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c <= ' ' || c > '~')
            {
                return false;
            }
        }
        return true;
    }

    /** The key itself: only for a transport that sends it (a request header or a signed parameter). */
    public String value()
    {
        return value;
    }

    /** Where the key came from (an environment variable name or a file path), safe to print. */
    public String source()
    {
        return source;
    }

    /** Redacted: the key never appears in logs. */
    @Override
    public String toString()
    {
        return "ApiKey[from " + source + ", redacted]";
    }
}
