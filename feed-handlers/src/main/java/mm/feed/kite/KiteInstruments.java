package mm.feed.kite;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.common.InstrumentKind;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Loads Kite's instruments CSV dump ({@code GET /instruments}) into {@link Instrument}s of an
 * {@link InstrumentRegistry} (venue {@link Venue#KITE}, symbol {@code EXCHANGE:TRADINGSYMBOL}) and keeps a
 * primitive instrument token → instrument id map for the feed's hot path.
 * <p>
 * The price exponent is the one the feed decodes the token's segment at (CDS -7, BCD -4, else -2), so a tick's
 * mantissas and the instrument's tick size share one scale; quantities are whole units (exponent 0) and the
 * lot size is the quantity step. Every selected row is validated; a bad row is rejected with its line number,
 * column and reason (see {@link #rejections()}), never silently skipped, and a tick size that the segment's
 * scale cannot represent exactly is a rejection, not a rounding. Indices (segment 9) have tick and lot 0 in the
 * dump; they are registered with tick 1 (0.01, the feed's resolution) and lot 1 and marked not tradable.
 */
public final class KiteInstruments
{
    /** Returned by {@link #instrumentId(int)} for a token that was not loaded. */
    public static final int NO_INSTRUMENT = 0;

    /** Columns of the dump, in Kite's order. */
    public static final List<String> COLUMNS = List.of(
        "instrument_token", "exchange_token", "tradingsymbol", "name", "last_price", "expiry", "strike",
        "tick_size", "lot_size", "instrument_type", "segment", "exchange");

    private static final Map<String, KiteSegment> SEGMENT_BY_EXCHANGE = Map.of(
        "NSE", KiteSegment.NSE, "NFO", KiteSegment.NFO, "CDS", KiteSegment.CDS, "BSE", KiteSegment.BSE,
        "BFO", KiteSegment.BFO, "BCD", KiteSegment.BCD, "MCX", KiteSegment.MCX, "MCXSX", KiteSegment.MCXSX);
    private static final String INDICES_SEGMENT = "INDICES";

    /** Static facts of one loaded instrument beyond what {@link Instrument} holds. */
    public record Info(
        int instrumentId,
        int instrumentToken,
        int exchangeToken,
        String exchange,
        String tradingSymbol,
        String name,
        String instrumentType,
        String segmentName,
        KiteSegment segment,
        LocalDate expiry,
        long strike,
        boolean tradable,
        int line)
    {
    }

    private final String source;
    private final Int2IntHashMap idByToken = new Int2IntHashMap(NO_INSTRUMENT);
    private final Int2ObjectHashMap<Info> infoById = new Int2ObjectHashMap<>();
    private final List<String> rejections = new ArrayList<>();
    private int rowsRead;
    private int rowsSkippedByFilter;

    private KiteInstruments(final String source)
    {
        this.source = source;
    }

    /** Loads every row of the file; see {@link #load(Reader, String, InstrumentRegistry, int, BiPredicate)}. */
    public static KiteInstruments load(final Path csv, final InstrumentRegistry registry, final int firstId)
    {
        return load(csv, registry, firstId, null);
    }

    public static KiteInstruments load(
        final Path csv, final InstrumentRegistry registry, final int firstId,
        final BiPredicate<String, String> exchangeAndSymbolFilter)
    {
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8))
        {
            return load(reader, csv.toString(), registry, firstId, exchangeAndSymbolFilter);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read instruments file " + csv, ex);
        }
    }

    /**
     * Reads the dump and adds the selected, valid rows to {@code registry} with ids {@code firstId, firstId + 1,
     * ...} in file order.
     *
     * @param sourceName              named in rejection messages (the file name).
     * @param exchangeAndSymbolFilter selects rows by (exchange, tradingsymbol) before validation, so that a bad
     *                                row the deployment does not trade does not stop it; null selects every row.
     *                                Rows not selected are only counted ({@link #rowsSkippedByFilter()}).
     * @throws IllegalArgumentException if the header lacks a Kite column (nothing can be read reliably then).
     */
    public static KiteInstruments load(
        final Reader reader, final String sourceName, final InstrumentRegistry registry, final int firstId,
        final BiPredicate<String, String> exchangeAndSymbolFilter)
    {
        if (firstId <= 0)
        {
            throw new IllegalArgumentException("firstId must be positive, was " + firstId);
        }
        final KiteInstruments instruments = new KiteInstruments(sourceName);
        try
        {
            instruments.read(new BufferedReader(reader), registry, firstId, exchangeAndSymbolFilter);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read instruments from " + sourceName, ex);
        }
        return instruments;
    }

    private void read(
        final BufferedReader reader, final InstrumentRegistry registry, final int firstId,
        final BiPredicate<String, String> filter) throws IOException
    {
        final String headerLine = reader.readLine();
        if (headerLine == null)
        {
            throw new IllegalArgumentException(source + ": empty file, expected the header " + String.join(",", COLUMNS));
        }
        final List<String> header = splitCsv(stripBom(headerLine));
        final int[] columnIndex = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++)
        {
            columnIndex[c] = header.indexOf(COLUMNS.get(c));
            if (columnIndex[c] < 0)
            {
                throw new IllegalArgumentException(source + " line 1: header has no column '" + COLUMNS.get(c) +
                    "' (header: " + headerLine + ")");
            }
        }

        final Set<String> symbols = new HashSet<>();
        final Map<Integer, Integer> lineByToken = new HashMap<>();
        int nextId = firstId;
        int lineNumber = 1;
        String line;
        while ((line = reader.readLine()) != null)
        {
            lineNumber++;
            if (line.isBlank())
            {
                continue;
            }
            rowsRead++;
            final List<String> fields;
            try
            {
                fields = splitCsv(line);
            }
            catch (final IllegalArgumentException ex)
            {
                reject(lineNumber, null, null, ex.getMessage());
                continue;
            }
            if (fields.size() != header.size())
            {
                reject(lineNumber, null, null, "has " + fields.size() + " columns, the header has " + header.size());
                continue;
            }
            final Row row = new Row(lineNumber, fields, columnIndex);
            if (filter != null && !filter.test(row.get(11), row.get(2)))
            {
                rowsSkippedByFilter++;
                continue;
            }
            final Info info = validate(row, nextId, symbols, lineByToken);
            if (info == null)
            {
                continue;
            }
            final Instrument instrument = new Instrument(nextId, Venue.KITE, info.exchange() + ':' + info.tradingSymbol(),
                info.segment().priceExponent(), 0, row.tick, row.lot, 0, kind(info.instrumentType()));
            try
            {
                registry.add(instrument);
            }
            catch (final IllegalArgumentException ex)
            {
                reject(lineNumber, null, null, "cannot be added to the registry: " + ex.getMessage());
                continue;
            }
            symbols.add(symbolKey(info.exchange(), info.tradingSymbol()));
            lineByToken.put(info.instrumentToken(), lineNumber);
            idByToken.put(info.instrumentToken(), nextId);
            infoById.put(nextId, info);
            nextId++;
        }
    }

    private Info validate(
        final Row row, final int id, final Set<String> symbols, final Map<Integer, Integer> lineByToken)
    {
        final int line = row.line;
        final String tokenText = row.get(0);
        final int token = parsePositiveInt(tokenText);
        if (token <= 0)
        {
            return rejectNull(line, "instrument_token", tokenText, "must be a positive 32-bit integer");
        }
        final Integer earlier = lineByToken.get(token);
        if (earlier != null)
        {
            return rejectNull(line, "instrument_token", tokenText, "duplicates line " + earlier);
        }
        final int segmentId = token & 0xFF;
        final KiteSegment segment = KiteSegment.of(segmentId);
        if (segment == null)
        {
            return rejectNull(line, "instrument_token", tokenText,
                "has segment byte " + segmentId + " (token & 0xFF), which is no known Kite segment: price scale unknown");
        }
        final String exchangeTokenText = row.get(1);
        final int exchangeToken = parsePositiveInt(exchangeTokenText);
        if (exchangeToken < 0 || exchangeToken != token >>> 8)
        {
            return rejectNull(line, "exchange_token", exchangeTokenText,
                "must equal instrument_token >> 8 = " + (token >>> 8));
        }
        final String symbol = row.get(2);
        if (symbol.isEmpty())
        {
            return rejectNull(line, "tradingsymbol", symbol, "must not be empty");
        }
        final String exchange = row.get(11);
        final String segmentName = row.get(10);
        final KiteSegment expected = INDICES_SEGMENT.equals(segmentName) ? KiteSegment.INDICES : SEGMENT_BY_EXCHANGE.get(exchange);
        if (expected == null)
        {
            return rejectNull(line, "exchange", exchange, "is not a supported Kite exchange " + SEGMENT_BY_EXCHANGE.keySet());
        }
        if (expected != segment)
        {
            return rejectNull(line, "instrument_token", tokenText, "has segment byte " + segmentId + " (" + segment +
                ") but exchange '" + exchange + "' / segment '" + segmentName + "' means " + expected.id() + " (" + expected + ")");
        }
        if (symbols.contains(symbolKey(exchange, symbol)))
        {
            return rejectNull(line, "tradingsymbol", symbol, "duplicates an earlier row of exchange " + exchange);
        }
        final boolean tradable = segment.tradable();
        final int exponent = segment.priceExponent();

        final String tickText = row.get(7);
        long tick = Decimals.parse(tickText, exponent);
        if (tick == Decimals.INVALID)
        {
            final int scale = Decimals.minimalScale(tickText);
            return rejectNull(line, "tick_size", tickText, scale > -exponent ?
                "is finer than " + segment + "'s price scale 10^" + exponent + " (prices arrive as integers / " +
                    Decimals.powerOfTen(-exponent) + "), so it cannot be represented exactly" :
                "is not a decimal number");
        }
        if (tick <= 0)
        {
            if (tradable || tick < 0)
            {
                return rejectNull(line, "tick_size", tickText, "must be positive for a tradable instrument");
            }
            tick = 1; // an index moves in the feed's smallest unit
        }
        final String lotText = row.get(8);
        long lot = Decimals.parse(lotText, 0);
        if (lot == Decimals.INVALID)
        {
            return rejectNull(line, "lot_size", lotText, "must be a whole number of units");
        }
        if (lot <= 0)
        {
            if (tradable || lot < 0)
            {
                return rejectNull(line, "lot_size", lotText, "must be positive for a tradable instrument");
            }
            lot = 1;
        }
        final String expiryText = row.get(5);
        LocalDate expiry = null;
        if (!expiryText.isEmpty())
        {
            try
            {
                expiry = LocalDate.parse(expiryText);
            }
            catch (final DateTimeParseException ex)
            {
                return rejectNull(line, "expiry", expiryText, "must be empty or a date yyyy-mm-dd");
            }
        }
        final String strikeText = row.get(6);
        final long strike = strikeText.isEmpty() ? 0 : Decimals.parse(strikeText, exponent);
        if (strike == Decimals.INVALID)
        {
            return rejectNull(line, "strike", strikeText,
                "is not a decimal number exact at " + segment + "'s price scale 10^" + exponent);
        }
        row.tick = tick;
        row.lot = lot;
        return new Info(id, token, exchangeToken, exchange, symbol, row.get(3), row.get(9), segmentName, segment,
            expiry, strike, tradable, line);
    }

    /** The contract kind of a dump's instrument_type: CE/PE options, FUT futures, anything else (EQ, indices) spot. */
    static InstrumentKind kind(final String instrumentType)
    {
        return switch (instrumentType)
        {
            case "CE", "PE" -> InstrumentKind.OPTION;
            case "FUT" -> InstrumentKind.FUTURE;
            default -> InstrumentKind.SPOT;
        };
    }

    /** Instrument id for a feed token, or {@link #NO_INSTRUMENT}. Allocation-free: safe on the hot path. */
    public int instrumentId(final int instrumentToken)
    {
        return idByToken.get(instrumentToken);
    }

    /** Kite facts of a loaded instrument, or null. */
    public Info info(final int instrumentId)
    {
        return infoById.get(instrumentId);
    }

    /** Number of instruments loaded. */
    public int size()
    {
        return idByToken.size();
    }

    /** Data rows read (blank lines excluded), whether loaded, rejected or filtered out. */
    public int rowsRead()
    {
        return rowsRead;
    }

    public int rowsSkippedByFilter()
    {
        return rowsSkippedByFilter;
    }

    /** One message per rejected row: source, line, column, value and the rule broken. */
    public List<String> rejections()
    {
        return Collections.unmodifiableList(rejections);
    }

    /**
     * For deployments that must trade exactly what they asked for.
     *
     * @throws IllegalArgumentException listing every rejection, if there was any.
     */
    public KiteInstruments requireNoRejections()
    {
        if (!rejections.isEmpty())
        {
            throw new IllegalArgumentException(rejections.size() + " instrument row(s) rejected:\n  " +
                String.join("\n  ", rejections));
        }
        return this;
    }

    private Info rejectNull(final int line, final String column, final String value, final String rule)
    {
        reject(line, column, value, rule);
        return null;
    }

    private void reject(final int line, final String column, final String value, final String rule)
    {
        final StringBuilder sb = new StringBuilder(128).append(source).append(" line ").append(line);
        if (column != null)
        {
            sb.append(", column ").append(column).append(" value '").append(value).append('\'');
        }
        rejections.add(sb.append(": ").append(rule).toString());
    }

    private static String symbolKey(final String exchange, final String symbol)
    {
        return exchange + ':' + symbol;
    }

    /** Non-negative int from plain digits, or -1. */
    private static int parsePositiveInt(final String text)
    {
        if (text.isEmpty() || text.length() > 10)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value > Integer.MAX_VALUE ? -1 : (int)value;
    }

    private static String stripBom(final String s)
    {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    /** RFC 4180 fields of one line: quoted fields may hold commas and doubled quotes. */
    static List<String> splitCsv(final String line)
    {
        final List<String> fields = new ArrayList<>(12);
        final StringBuilder field = new StringBuilder();
        int i = 0;
        final int n = line.length();
        while (true)
        {
            field.setLength(0);
            if (i < n && line.charAt(i) == '"')
            {
                i++;
                while (true)
                {
                    if (i >= n)
                    {
                        throw new IllegalArgumentException("unterminated quoted field");
                    }
                    final char c = line.charAt(i++);
                    if (c == '"')
                    {
                        if (i < n && line.charAt(i) == '"')
                        {
                            field.append('"');
                            i++;
                            continue;
                        }
                        break;
                    }
                    field.append(c);
                }
                if (i < n && line.charAt(i) != ',')
                {
                    throw new IllegalArgumentException("text after a closing quote at character " + (i + 1));
                }
            }
            else
            {
                while (i < n && line.charAt(i) != ',')
                {
                    field.append(line.charAt(i++));
                }
            }
            fields.add(field.toString());
            if (i >= n)
            {
                return fields;
            }
            i++; // the comma
        }
    }

    /** One data row with the header's column order applied; tick and lot filled in by validation. */
    private static final class Row
    {
        final int line;
        final List<String> fields;
        final int[] columnIndex;
        long tick;
        long lot;

        Row(final int line, final List<String> fields, final int[] columnIndex)
        {
            this.line = line;
            this.fields = fields;
            this.columnIndex = columnIndex;
        }

        /** Field by position in {@link #COLUMNS}, trimmed. */
        String get(final int column)
        {
            return fields.get(columnIndex[column]).trim();
        }
    }
}
