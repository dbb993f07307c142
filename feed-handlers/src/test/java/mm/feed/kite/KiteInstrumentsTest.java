package mm.feed.kite;

import mm.common.Instrument;
import mm.common.InstrumentKind;
import mm.common.InstrumentRegistry;
import mm.common.Venue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KiteInstrumentsTest
{
    private static final String HEADER =
        "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n";

    private static KiteInstruments load(final String rows, final InstrumentRegistry registry)
    {
        return KiteInstruments.load(new StringReader(HEADER + rows), "test.csv", registry, 1, null);
    }

    @Test
    void handMadeDumpLoadsWithSegmentScalesTicksAndLots()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final KiteInstruments instruments = KiteInstruments.load(
            KiteSamples.resource("instruments_handmade.csv"), registry, 1000).requireNoRejections();
        assertEquals(11, instruments.size());
        assertEquals(11, instruments.rowsRead());
        assertEquals(11, registry.all().size());

        final Instrument infy = registry.get(instruments.instrumentId(408065));
        assertEquals(new Instrument(1000, Venue.KITE, "NSE:INFY", -2, 0, 5, 1, 0), infy);
        assertEquals(infy, registry.bySymbol(Venue.KITE, "NSE:INFY"));

        final Instrument usdinr = registry.get(instruments.instrumentId(412675));
        assertEquals("CDS:USDINR21JUNFUT", usdinr.symbol());
        assertEquals(-7, usdinr.priceExponent());
        assertEquals(25_000, usdinr.tickSize()); // 0.0025 at 10^-7
        assertEquals(InstrumentKind.FUTURE, usdinr.kind());
        final KiteInstruments.Info usdinrInfo = instruments.info(usdinr.id());
        assertEquals(LocalDate.of(2021, 6, 28), usdinrInfo.expiry());
        assertEquals(KiteSegment.CDS, usdinrInfo.segment());
        assertEquals(1612, usdinrInfo.exchangeToken());

        final Instrument bcd = registry.get(instruments.instrumentId(256262));
        assertEquals(-4, bcd.priceExponent());
        assertEquals(25, bcd.tickSize());

        final Instrument nifty = registry.get(instruments.instrumentId(256265));
        assertEquals("NSE:NIFTY 50", nifty.symbol());
        assertEquals(1, nifty.tickSize());
        assertEquals(1, nifty.lotSize());
        assertFalse(instruments.info(nifty.id()).tradable());
        assertEquals(KiteSegment.INDICES, instruments.info(nifty.id()).segment());

        final Instrument option = registry.get(instruments.instrumentId(10189826));
        assertEquals("NFO:NIFTY2580724400CE", option.symbol());
        assertEquals(5, option.tickSize());
        assertEquals(75, option.lotSize());
        assertEquals(2_440_000, instruments.info(option.id()).strike());
        assertEquals(75 * 3, option.floorToLot(250));
        assertEquals(InstrumentKind.OPTION, option.kind());
        assertEquals(InstrumentKind.SPOT, infy.kind());

        final Instrument bankNifty = registry.get(instruments.instrumentId(13623554));
        assertEquals(20, bankNifty.tickSize());
        assertEquals(35, bankNifty.lotSize());

        assertEquals("TATA STEEL, LTD", instruments.info(instruments.instrumentId(895745)).name());
        assertEquals(1, registry.get(instruments.instrumentId(58424839)).tickSize() / 100);
        assertEquals(KiteInstruments.NO_INSTRUMENT, instruments.instrumentId(123));
    }

    @Test
    void theFeedsExponentAndTheRegistrysAgreeForEveryDecodedToken()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final KiteInstruments instruments = KiteInstruments.load(KiteSamples.resource("instruments_handmade.csv"), registry, 1);
        final byte[] message = KiteSamples.sampleBytes(KiteSamples.FOUR_PACKET_MESSAGE);
        final int[] matched = new int[1];
        new KiteMessageDecoder(tick ->
        {
            final Instrument instrument = registry.get(instruments.instrumentId(tick.instrumentToken()));
            assertNotNull(instrument, "token " + tick.instrumentToken());
            assertEquals(instrument.priceExponent(), tick.priceExponent());
            matched[0]++;
        }).decode(new org.agrona.concurrent.UnsafeBuffer(message), 0, message.length, 0);
        assertEquals(4, matched[0]);
    }

    @Test
    void tickFinerThanTheSegmentScaleIsRejectedWithLineColumnAndReason()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final KiteInstruments instruments = load(
            "408065,1594,INFY,INFOSYS,0,,0,0.005,1,EQ,NSE,NSE\n" +
            "412675,1612,USDINR21JUNFUT,USDINR,0,2021-06-28,0,0.00000001,1,FUT,CDS-FUT,CDS\n" +
            "779521,3045,SBIN,STATE BANK OF INDIA,0,,0,0.05,1,EQ,NSE,NSE\n", registry);
        assertEquals(1, instruments.size());
        assertEquals(List.of(
            "test.csv line 2, column tick_size value '0.005': is finer than NSE's price scale 10^-2 " +
                "(prices arrive as integers / 100), so it cannot be represented exactly",
            "test.csv line 3, column tick_size value '0.00000001': is finer than CDS's price scale 10^-7 " +
                "(prices arrive as integers / 10000000), so it cannot be represented exactly"),
            instruments.rejections());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, instruments::requireNoRejections);
        assertTrue(ex.getMessage().startsWith("2 instrument row(s) rejected"), ex.getMessage());
        assertEquals(1, registry.all().size());
        assertEquals(1, instruments.instrumentId(779521));
    }

    @Test
    void everyKindOfBadRowIsReportedNotSkipped()
    {
        final KiteInstruments instruments = load(String.join("\n",
            "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE",                          // 2 missing column
            "abc,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",                          // 3 token
            "408065,1595,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",                       // 4 exchange token
            "408066,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",                       // 5 segment byte 2 vs NSE
            "408076,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",                       // 6 segment byte 12 unknown
            "408065,1594,,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",                           // 7 empty symbol
            "408065,1594,INFY,INFOSYS,0,,0,0,1,EQ,NSE,NSE",                          // 8 zero tick
            "408065,1594,INFY,INFOSYS,0,,0,0.05,0.5,EQ,NSE,NSE",                     // 9 fractional lot
            "408065,1594,INFY,INFOSYS,0,,0,0.05,0,EQ,NSE,NSE",                       // 10 zero lot
            "408065,1594,INFY,INFOSYS,0,28-06-2021,0,0.05,1,EQ,NSE,NSE",             // 11 expiry format
            "408065,1594,INFY,INFOSYS,0,,1.005,0.05,1,EQ,NSE,NSE",                   // 12 strike finer than scale
            "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSEIX",                     // 13 unknown exchange
            "408065,1594,INFY,\"INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",                     // 14 unterminated quote
            "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",                       // 15 good
            "408065,1594,INFY2,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE",                      // 16 duplicate token
            "779521,3045,INFY,STATE BANK OF INDIA,0,,0,0.05,1,EQ,NSE,NSE",           // 17 duplicate symbol
            "",
            "256265,1001,NIFTY 50,NIFTY 50,0,,0,0.01,0,EQ,INDICES,NSE") + "\n",       // 19 good index
            new InstrumentRegistry());
        final List<String> r = instruments.rejections();
        assertEquals(15, r.size(), String.join("\n", r));
        assertTrue(r.get(0).startsWith("test.csv line 2: has 11 columns, the header has 12"), r.get(0));
        assertTrue(r.get(1).startsWith("test.csv line 3, column instrument_token value 'abc'"), r.get(1));
        assertTrue(r.get(2).contains("line 4, column exchange_token value '1595': must equal instrument_token >> 8 = 1594"), r.get(2));
        assertTrue(r.get(3).contains("line 5, column instrument_token") && r.get(3).contains("segment byte 2 (NFO)"), r.get(3));
        assertTrue(r.get(4).contains("line 6") && r.get(4).contains("no known Kite segment"), r.get(4));
        assertTrue(r.get(5).contains("line 7, column tradingsymbol"), r.get(5));
        assertTrue(r.get(6).contains("line 8, column tick_size value '0': must be positive"), r.get(6));
        assertTrue(r.get(7).contains("line 9, column lot_size value '0.5'"), r.get(7));
        assertTrue(r.get(8).contains("line 10, column lot_size value '0'"), r.get(8));
        assertTrue(r.get(9).contains("line 11, column expiry"), r.get(9));
        assertTrue(r.get(10).contains("line 12, column strike"), r.get(10));
        assertTrue(r.get(11).contains("line 13, column exchange value 'NSEIX'"), r.get(11));
        assertTrue(r.get(12).contains("line 14: unterminated quoted field"), r.get(12));
        assertTrue(r.get(13).contains("line 16, column instrument_token value '408065': duplicates line 15"), r.get(13));
        assertTrue(r.get(14).contains("line 17, column tradingsymbol value 'INFY'"), r.get(14));
        assertEquals(2, instruments.size());
        assertEquals(17, instruments.rowsRead());
    }

    @Test
    void filterSelectsRowsBeforeValidation()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final KiteInstruments instruments = KiteInstruments.load(new StringReader(HEADER +
                "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE\n" +
                "999999,1,JUNK,JUNK,0,,0,x,1,EQ,NSE,NSEIX\n"),
            "test.csv", registry, 7, (exchange, symbol) -> "NSE".equals(exchange) && "INFY".equals(symbol));
        instruments.requireNoRejections();
        assertEquals(1, instruments.size());
        assertEquals(1, instruments.rowsSkippedByFilter());
        assertEquals(7, instruments.instrumentId(408065));
    }

    @Test
    void headerWithoutAKiteColumnStopsTheLoad()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> KiteInstruments.load(
            new StringReader("instrument_token,tradingsymbol\n1,X\n"), "bad.csv", new InstrumentRegistry(), 1, null));
        assertTrue(ex.getMessage().contains("bad.csv line 1: header has no column 'exchange_token'"), ex.getMessage());
    }

    @Test
    void idClashWithTheRegistryIsReported()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.add(new Instrument(1, Venue.SIM, "X", -2, 0, 1, 1, 0));
        final KiteInstruments instruments = load("408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE\n", registry);
        assertEquals(1, instruments.rejections().size());
        assertTrue(instruments.rejections().getFirst().contains("duplicate instrument id 1"));
    }
}
