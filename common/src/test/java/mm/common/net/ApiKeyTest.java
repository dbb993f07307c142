package mm.common.net;

import mm.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API key is read from where config says and never shows in text. */
class ApiKeyTest
{
    private static final String SECRET = "Zq7SECRETvalue0123456789abcdef";

    @Test
    void readsFromTheEnvironmentAndNeverPrintsIt()
    {
        final ApiKey key = ApiKey.fromConfig("feed.apiKeyEnv", "MM_KEY", "feed.apiKeyFile", null, Map.of("MM_KEY", " " + SECRET + "\n")::get);
        assertEquals(SECRET, key.value());
        assertFalse(key.toString().contains(SECRET), key.toString());
        assertTrue(key.toString().contains("MM_KEY"));
    }

    @Test
    void readsTheFirstLineOfAFile(@TempDir final Path dir) throws IOException
    {
        final Path file = Files.writeString(dir.resolve("key"), SECRET + "\nsecond line\n");
        final ApiKey key = ApiKey.fromConfig("feed.apiKeyEnv", null, "feed.apiKeyFile", file, name -> null);
        assertEquals(SECRET, key.value());
        assertFalse(key.toString().contains(SECRET));
    }

    @Test
    void noneConfiguredMeansNoKey()
    {
        assertNull(ApiKey.fromConfig("feed.apiKeyEnv", null, "feed.apiKeyFile", null, name -> SECRET));
    }

    @Test
    void errorsNameWhereTheKeyWasLookedForButNeverTheValue(@TempDir final Path dir) throws IOException
    {
        final ConfigException missing = assertThrows(ConfigException.class, () ->
            ApiKey.fromConfig("feed.apiKeyEnv", "MM_KEY", "feed.apiKeyFile", null, name -> null));
        assertEquals("feed.apiKeyEnv", missing.key());
        assertTrue(missing.getMessage().contains("MM_KEY"));

        final String bad = "has spaces " + SECRET;
        final ConfigException invalid = assertThrows(ConfigException.class, () ->
            ApiKey.fromConfig("feed.apiKeyEnv", "MM_KEY", "feed.apiKeyFile", null, name -> bad));
        assertFalse(invalid.getMessage().contains(SECRET), invalid.getMessage());

        final Path file = Files.writeString(dir.resolve("key"), "bad key " + SECRET);
        final ConfigException badFile = assertThrows(ConfigException.class, () ->
            ApiKey.fromConfig("feed.apiKeyEnv", null, "feed.apiKeyFile", file, name -> null));
        assertFalse(badFile.getMessage().contains(SECRET), badFile.getMessage());
        assertEquals("feed.apiKeyFile", badFile.key());

        final ConfigException unreadable = assertThrows(ConfigException.class, () ->
            ApiKey.fromConfig("feed.apiKeyEnv", null, "feed.apiKeyFile", dir.resolve("absent"), name -> null));
        assertTrue(unreadable.getMessage().contains("absent"));

        final ConfigException both = assertThrows(ConfigException.class, () ->
            ApiKey.fromConfig("feed.apiKeyEnv", "MM_KEY", "feed.apiKeyFile", file, name -> SECRET));
        assertFalse(both.getMessage().contains(SECRET));

        final IllegalArgumentException direct = assertThrows(IllegalArgumentException.class, () -> ApiKey.of("a b" + SECRET, "test"));
        assertFalse(direct.getMessage().contains(SECRET));
    }
}
