package mm.feed.kite;

import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectKiteTest
{
    @TempDir
    Path dir;

    private static List<JSONObject> run(final int expectedExit, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = InspectKite.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedExit, exit, err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().map(JSONObject::new).toList();
    }

    private Path write(final String name, final byte[] bytes) throws IOException
    {
        final Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void bareRealFullPacketInEveryEncodingPrintsEveryField() throws IOException
    {
        final JSONObject expected = KiteSamples.sampleJson(KiteSamples.FULL_PACKET_EXPECTED).getJSONObject("expected");
        for (final String name : new String[]{"ticker_full.packet.bin", "ticker_full.packet.hex", "ticker_full.packet.b64"})
        {
            final List<JSONObject> lines = run(0, KiteSamples.sample(name).toString());
            assertEquals(2, lines.size(), name);
            final JSONObject p = lines.get(0);
            assertEquals("packet", p.getString("kind"));
            assertEquals(0, p.getInt("offset"));
            assertEquals(184, p.getInt("length"));
            assertEquals("full", p.getString("mode"));
            assertEquals(408065, p.getInt("instrument_token"));
            assertEquals(1594, p.getInt("exchange_token"));
            assertEquals("NSE", p.getString("segment_name"));
            assertEquals("1573.70", p.getString("last_price"));
            assertEquals(157370, p.getLong("last_price_raw"));
            assertEquals("1570.37", p.getString("average_traded_price"));
            assertEquals(expected.getLong("volume_traded"), p.getLong("volume_traded"));
            assertEquals("1569.15", p.getString("open"));
            assertEquals("1575.00", p.getString("high"));
            assertEquals("1561.05", p.getString("low"));
            assertEquals("1567.80", p.getString("close"));
            assertEquals("5.90", p.getString("net_change"));
            assertEquals(expected.getString("last_trade_time"), p.getString("last_trade_time"));
            assertEquals(expected.getString("exchange_timestamp"), p.getString("exchange_timestamp"));
            assertEquals(expected.getLong("exchange_timestamp_epoch_s"), p.getLong("exchange_timestamp_epoch_s"));
            final JSONArray sell = p.getJSONObject("depth").getJSONArray("sell");
            assertEquals("1573.95", sell.getJSONObject(4).getString("price"));
            assertEquals(724, sell.getJSONObject(4).getLong("quantity"));
            assertEquals(5, sell.getJSONObject(4).getLong("orders"));

            final JSONObject summary = lines.get(1);
            assertEquals("summary", summary.getString("kind"));
            assertEquals("packet", summary.getString("framing"));
            assertEquals(name.endsWith("bin") ? "raw" : name.endsWith("hex") ? "hex" : "base64", summary.getString("format"));
            assertEquals(1, summary.getInt("packets"));
            assertEquals(0, summary.getInt("errors"));
        }
    }

    @Test
    void framedFourPacketMessageAsRawAndHex() throws IOException
    {
        for (final String name : new String[]{"kite_message_S1_full_plus_3_synthetic.bin", "kite_message_S1_full_plus_3_synthetic.hex"})
        {
            final List<JSONObject> lines = run(0, KiteSamples.sample(name).toString());
            assertEquals(5, lines.size());
            assertEquals("72.3450000", lines.get(1).getString("last_price"));
            assertEquals(723450000, lines.get(1).getLong("last_price_raw"));
            assertEquals(-7, lines.get(1).getInt("price_exponent"));
            assertEquals("72.3475", lines.get(2).getString("last_price"));
            final JSONObject index = lines.get(3);
            assertEquals("quote", index.getString("mode"));
            assertEquals("INDEX_QUOTE", index.getString("layout"));
            assertEquals(false, index.getBoolean("tradable"));
            assertEquals("-12.35", index.getString("change_field"));
            assertEquals(-1235, index.getLong("change_field_raw"));
            assertEquals("15820.00", index.getString("high"));
            assertEquals("message", lines.get(4).getString("framing"));
            assertEquals(4, lines.get(4).getInt("packets"));
        }
    }

    @Test
    void errorsArePrintedAsLinesAndTheExitIsNonZero() throws IOException
    {
        final byte[] message = KiteSamples.sampleBytes(KiteSamples.FOUR_PACKET_MESSAGE);
        final Path cut = write("cut.bin", Arrays.copyOf(message, message.length - 5));
        final List<JSONObject> lines = run(1, cut.toString());
        assertEquals(5, lines.size());
        assertEquals("packet", lines.get(2).getString("kind"));
        final JSONObject error = lines.get(3);
        assertEquals("error", error.getString("kind"));
        assertEquals("PACKET_OVERRUNS_MESSAGE", error.getString("error"));
        assertEquals(3, error.getInt("packet_index"));
        assertEquals(208, error.getInt("offset"));
        assertEquals(28, error.getInt("detail"));
        assertEquals(1, lines.get(4).getInt("errors"));
    }

    @Test
    void heartbeatFile() throws IOException
    {
        final List<JSONObject> lines = run(0, write("hb.bin", new byte[]{0x01}).toString());
        assertEquals("heartbeat", lines.get(0).getString("kind"));
        assertEquals(true, lines.get(1).getBoolean("heartbeat"));
    }

    @Test
    void knownPacketLengthThatFramesCleanlyIsAMessageAndOneThatDoesNotIsAPacket() throws IOException
    {
        // 32 bytes: one framed index quote (2 + 2 + 28) ...
        final byte[] indexQuote = new PacketBuilder(KitePacketMode.INDEX_QUOTE).putInt(0, 256265).putInt(4, 1_579_045).bytes();
        final byte[] framed = KiteSamples.frame(indexQuote);
        assertEquals(32, framed.length);
        List<JSONObject> lines = run(0, write("framed.hex", HexFormat.of().formatHex(framed).getBytes(StandardCharsets.US_ASCII)).toString());
        assertEquals("message", lines.getLast().getString("framing"));
        assertEquals("INDEX_QUOTE", lines.getFirst().getString("layout"));
        // ... and a bare 32-byte index full packet of NIFTY 50: "count" 3, first "length" 0xE909, not clean.
        final byte[] indexFull = new PacketBuilder(KitePacketMode.INDEX_FULL).putInt(0, 256265).putInt(4, 1_579_045).putInt(28, 1_625_461_887).bytes();
        lines = run(0, write("bare.bin", indexFull).toString());
        assertEquals("packet", lines.getLast().getString("framing"));
        assertEquals("INDEX_FULL", lines.getFirst().getString("layout"));
        assertEquals("15790.45", lines.getFirst().getString("last_price"));
        // Forcing the framing overrides the rule.
        lines = run(1, "--message", write("bare2.bin", indexFull).toString());
        assertEquals("error", lines.getFirst().getString("kind"));
    }

    @Test
    void badArgumentsAndUnreadableFilesExitTwo()
    {
        run(2);
        run(2, "--bogus", "x");
        run(2, dir.resolve("missing.bin").toString());
    }

    @Test
    void formatDetection()
    {
        assertEquals("hex", InspectKite.detectFormat("00 01\n0a0B".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("base64", InspectKite.detectFormat("AAEACAAGOgEAAmY=".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("raw", InspectKite.detectFormat(new byte[]{0, 1, 0, 8}));
        assertEquals("raw", InspectKite.detectFormat(new byte[0]));
        assertTrue(InspectKite.isBarePacket(KiteSamples.sampleBytes(KiteSamples.FULL_PACKET)));
        assertEquals(false, InspectKite.isBarePacket(KiteSamples.sampleBytes(KiteSamples.FOUR_PACKET_MESSAGE)));
    }
}
