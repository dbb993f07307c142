package mm.feed.kite.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The api_key and the daily access_token. Never logged: {@link #toString()} shows only the key's last 4
 * characters and no part of the token, so an accidental print leaks nothing usable.
 */
public final class KiteCredentials
{
    private final String apiKey;
    private final String accessToken;

    public KiteCredentials(final String apiKey, final String accessToken)
    {
        if (apiKey == null || apiKey.isBlank() || accessToken == null || accessToken.isBlank())
        {
            throw new IllegalArgumentException("Kite api_key and access_token must both be set");
        }
        this.apiKey = apiKey.trim();
        this.accessToken = accessToken.trim();
    }

    /**
     * Reads a value from the environment variable {@code envName} if set, else from the first line of the file
     * {@code filePath} if given.
     *
     * @throws IllegalArgumentException naming the variable or file (never the value) when neither gives one.
     */
    public static String resolve(final Map<String, String> env, final String envName, final String filePath)
    {
        if (envName != null && !envName.isBlank())
        {
            final String value = env.get(envName);
            if (value != null && !value.isBlank())
            {
                return value.trim();
            }
        }
        if (filePath != null && !filePath.isBlank())
        {
            try
            {
                final String text = Files.readString(Path.of(filePath), StandardCharsets.UTF_8).strip();
                final int newline = text.indexOf('\n');
                final String value = newline < 0 ? text : text.substring(0, newline).strip();
                if (!value.isEmpty())
                {
                    return value;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read credential file " + filePath, ex);
            }
        }
        throw new IllegalArgumentException("no value in environment variable " + envName + " nor in file " + filePath);
    }

    /** For the connect URL only; never print it. */
    String apiKey()
    {
        return apiKey;
    }

    /** For the connect URL only; never print it. */
    String accessToken()
    {
        return accessToken;
    }

    @Override
    public String toString()
    {
        final String tail = apiKey.length() > 4 ? apiKey.substring(apiKey.length() - 4) : "";
        return "KiteCredentials[apiKey=***" + tail + ", accessToken=<redacted>]";
    }
}
