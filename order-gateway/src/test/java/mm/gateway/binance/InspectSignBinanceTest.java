package mm.gateway.binance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectSignBinanceTest
{
    // the documented demo secret (signing_vectors.json), not a real account's
    private static final String SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    private static final String API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsTheDocumentedPayloadAndSignatureButNeverTheSecret(@TempDir final Path dir) throws Exception
    {
        final Path secret = dir.resolve("secret");
        Files.writeString(secret, SECRET + "\n");
        // given in any order, with a stray signature that must not be signed
        final int exit = run("--secret-file", secret.toString(), "symbol=BTCUSDT", "side=SELL", "type=LIMIT",
            "timeInForce=GTC", "quantity=0.01000000", "price=52000.00", "recvWindow=100", "timestamp=1645423376532",
            "apiKey=" + API_KEY, "signature=deadbeef");
        assertEquals(0, exit, err.toString());
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("payload:   apiKey=" + API_KEY + "&price=52000.00&quantity=0.01000000&recvWindow=100" +
            "&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT"), text);
        assertTrue(text.contains("signature: aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"), text);
        assertFalse(text.contains(SECRET));
        assertFalse(err.toString().contains(SECRET));
    }

    @Test
    void signsWithAnEd25519PemKey(@TempDir final Path dir) throws Exception
    {
        final KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        final Path pem = dir.resolve("key.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" +
            Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        assertEquals(0, run("--secret-file", pem.toString(), "timestamp=1649729878532", "apiKey=abc"));
        final String text = out.toString(StandardCharsets.UTF_8);
        final String signature = text.lines().filter(l -> l.startsWith("signature: ")).findFirst().orElseThrow().substring(11);
        final Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pair.getPublic());
        verifier.update("apiKey=abc&timestamp=1649729878532".getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Base64.getDecoder().decode(signature)));
        assertTrue(text.contains("Ed25519"));
    }

    @Test
    void badUsageExitsWithTwo(@TempDir final Path dir)
    {
        assertEquals(2, run("symbol=BTCUSDT"));
        assertEquals(2, run("--secret-file", dir.resolve("missing").toString(), "symbol=BTCUSDT"));
        assertTrue(err.toString().contains("--secret-file"));
        assertEquals(2, run("--secret-file", "x", "notaparameter"));
    }

    private int run(final String... args)
    {
        return InspectSignBinance.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
