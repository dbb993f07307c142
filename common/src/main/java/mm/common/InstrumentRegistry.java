package mm.common;

import mm.common.config.Config;
import mm.common.config.ConfigException;
import org.agrona.collections.Int2ObjectHashMap;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Instruments by id and by venue symbol, loaded from config keys {@code instrument.<id>.<field>}:
 * venue, symbol, tickSize, lotSize, minNotional, optional priceExponent / qtyExponent (default: the
 * scale of tickSize / lotSize) and optional kind (default: perpetual on Binance futures venues, else spot).
 */
public final class InstrumentRegistry
{
    private final Int2ObjectHashMap<Instrument> byId = new Int2ObjectHashMap<>();
    private final Map<String, Instrument> bySymbol = new HashMap<>();
    private final List<Instrument> all = new ArrayList<>();

    public void add(final Instrument instrument)
    {
        if (byId.containsKey(instrument.id()))
        {
            throw new IllegalArgumentException("duplicate instrument id " + instrument.id());
        }
        byId.put(instrument.id(), instrument);
        bySymbol.put(symbolKey(instrument.venue(), instrument.symbol()), instrument);
        all.add(instrument);
    }

    public Instrument get(final int id)
    {
        return byId.get(id);
    }

    public Instrument bySymbol(final Venue venue, final String symbol)
    {
        return bySymbol.get(symbolKey(venue, symbol));
    }

    public List<Instrument> all()
    {
        return all;
    }

    public static InstrumentRegistry fromConfig(final Config config)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final TreeSet<Integer> ids = new TreeSet<>();
        for (final String key : config.keysUnder("instrument."))
        {
            final int dot = key.indexOf('.');
            final String idText = dot < 0 ? key : key.substring(0, dot);
            try
            {
                ids.add(Integer.parseInt(idText));
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigException("instrument." + key, config.raw("instrument." + key),
                    "instrument keys look like instrument.<positive integer id>.<field>");
            }
        }
        for (final int id : ids)
        {
            final String prefix = "instrument." + id + ".";
            if (id <= 0)
            {
                throw new ConfigException(prefix + "symbol", config.raw(prefix + "symbol"), "instrument id must be positive");
            }
            final Venue venue = config.enumValue(prefix + "venue", Venue.class, null);
            if (venue == null)
            {
                throw new ConfigException(prefix + "venue", null, "is required");
            }
            final String symbol = config.requiredString(prefix + "symbol");
            final String tickText = config.requiredString(prefix + "tickSize");
            final String lotText = config.requiredString(prefix + "lotSize");
            final int priceExponent = config.intValue(prefix + "priceExponent", -Decimals.minimalScale(tickText), -18, 0);
            final int qtyExponent = config.intValue(prefix + "qtyExponent", -Decimals.minimalScale(lotText), -18, 0);
            final long tick = config.decimal(prefix + "tickSize", null, priceExponent, 1);
            final long lot = config.decimal(prefix + "lotSize", null, qtyExponent, 1);
            final long minNotional = config.decimal(prefix + "minNotional", "0", priceExponent + qtyExponent, 0);
            final InstrumentKind kind = config.enumValue(prefix + "kind", InstrumentKind.class, InstrumentKind.defaultFor(venue));
            registry.add(new Instrument(id, venue, symbol, priceExponent, qtyExponent, tick, lot, minNotional, kind));
        }
        return registry;
    }

    /** SHA-256 over the registry's canonical text, for run manifests. */
    public String sha256()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Instrument instrument : all)
        {
            sb.append(instrument).append('\n');
        }
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes()));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String symbolKey(final Venue venue, final String symbol)
    {
        return venue.name() + ':' + symbol.toUpperCase();
    }
}
