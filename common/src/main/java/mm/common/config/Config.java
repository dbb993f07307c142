package mm.common.config;

import mm.common.Decimals;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One deployment's configuration: a properties file plus command-line overrides. Typed getters validate
 * as they read and throw {@link ConfigException} naming the key, the value and the rule. Every key that is
 * read is remembered so {@link #rejectUnknownKeys()} can stop a typo from being silently ignored.
 */
public final class Config
{
    private final TreeMap<String, String> values = new TreeMap<>();
    private final TreeSet<String> readKeys = new TreeSet<>();
    private final String source;

    public Config(final Map<String, String> values, final String source)
    {
        this.values.putAll(values);
        this.source = source;
    }

    /** Loads a properties file; a missing or unreadable file is a config error naming the path. */
    public static Config load(final Path file)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("--config", file.toString(), "must be a readable properties file (" + ex + ")");
        }
        final TreeMap<String, String> map = new TreeMap<>();
        for (final String name : properties.stringPropertyNames())
        {
            map.put(name, properties.getProperty(name).trim());
        }
        return new Config(map, file.toString());
    }

    public static Config empty()
    {
        return new Config(Map.of(), "(defaults)");
    }

    /** Returns a copy with {@code key=value} overrides applied (later wins). */
    public Config withOverrides(final Map<String, String> overrides)
    {
        final TreeMap<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new Config(merged, source);
    }

    public String source()
    {
        return source;
    }

    public boolean has(final String key)
    {
        return values.containsKey(key);
    }

    /** Raw value or null; marks the key as read. */
    public String raw(final String key)
    {
        readKeys.add(key);
        return values.get(key);
    }

    public String string(final String key, final String defaultValue)
    {
        final String value = raw(key);
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    public String requiredString(final String key)
    {
        final String value = raw(key);
        if (value == null || value.isEmpty())
        {
            throw new ConfigException(key, value, "is required");
        }
        return value;
    }

    public long longValue(final String key, final long defaultValue, final long min, final long max)
    {
        final String value = raw(key);
        if (value == null || value.isEmpty())
        {
            return check(key, String.valueOf(defaultValue), defaultValue, min, max);
        }
        final long parsed;
        try
        {
            parsed = Long.parseLong(value.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(key, value, "must be an integer in [" + min + ", " + max + "]");
        }
        return check(key, value, parsed, min, max);
    }

    /** A finite decimal in [min, max], for model parameters that are not prices, sizes or money. */
    public double doubleValue(final String key, final double defaultValue, final double min, final double max)
    {
        final String value = raw(key);
        final String text = value == null || value.isEmpty() ? String.valueOf(defaultValue) : value;
        final double parsed;
        try
        {
            parsed = Double.parseDouble(text.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(key, text, "must be a number in [" + plain(min) + ", " + plain(max) + "]");
        }
        if (!(parsed >= min && parsed <= max))
        {
            throw new ConfigException(key, text, "must be a number in [" + plain(min) + ", " + plain(max) + "]");
        }
        return parsed;
    }

    private static String plain(final double value)
    {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** True if some reader asked for {@code key}: a runtime change of a key nobody reads is an error. */
    public boolean wasRead(final String key)
    {
        return readKeys.contains(key);
    }

    public int intValue(final String key, final int defaultValue, final int min, final int max)
    {
        return (int)longValue(key, defaultValue, min, max);
    }

    public boolean bool(final String key, final boolean defaultValue)
    {
        final String value = raw(key);
        if (value == null || value.isEmpty())
        {
            return defaultValue;
        }
        if ("true".equalsIgnoreCase(value))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(value))
        {
            return false;
        }
        throw new ConfigException(key, value, "must be true or false");
    }

    public <E extends Enum<E>> E enumValue(final String key, final Class<E> type, final E defaultValue)
    {
        final String value = raw(key);
        if (value == null || value.isEmpty())
        {
            return defaultValue;
        }
        for (final E constant : type.getEnumConstants())
        {
            if (constant.name().equalsIgnoreCase(value.replace('-', '_')))
            {
                return constant;
            }
        }
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants())
        {
            names.add(constant.name().toLowerCase().replace('_', '-'));
        }
        throw new ConfigException(key, value, "must be one of " + names);
    }

    /**
     * A decimal number as a mantissa at {@code exponent}, e.g. a quantity at the instrument's lot scale.
     * Values that cannot be represented exactly are rejected rather than rounded.
     */
    public long decimal(final String key, final String defaultValue, final int exponent, final long minMantissa)
    {
        final String value = raw(key);
        final String text = value == null || value.isEmpty() ? defaultValue : value;
        if (text == null)
        {
            throw new ConfigException(key, null, "is required");
        }
        final long mantissa = Decimals.parse(text, exponent);
        if (mantissa == Decimals.INVALID)
        {
            throw new ConfigException(key, text, "must be a decimal number with at most " + (-exponent) + " decimals");
        }
        if (mantissa < minMantissa)
        {
            throw new ConfigException(key, text, "must be at least " + Decimals.toString(minMantissa, exponent));
        }
        return mantissa;
    }

    /** Keys under {@code prefix} (e.g. {@code "instrument."}), without the prefix. */
    public TreeSet<String> keysUnder(final String prefix)
    {
        final TreeSet<String> keys = new TreeSet<>();
        for (final String key : values.keySet())
        {
            if (key.startsWith(prefix))
            {
                keys.add(key.substring(prefix.length()));
            }
        }
        return keys;
    }

    /** Stops startup on a key nobody reads: almost always a typo that would otherwise silently use a default. */
    public void rejectUnknownKeys()
    {
        for (final Map.Entry<String, String> entry : values.entrySet())
        {
            if (!readKeys.contains(entry.getKey()))
            {
                throw new ConfigException(entry.getKey(), entry.getValue(), "is not a known key (see docs/config.md)");
            }
        }
    }

    /** Stable text of every value, for the run manifest's config hash. */
    public String canonicalText()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Map.Entry<String, String> entry : values.entrySet())
        {
            sb.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }
        return sb.toString();
    }

    private static long check(final String key, final String text, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new ConfigException(key, text, "must be an integer in [" + min + ", " + max + "]");
        }
        return value;
    }
}
