package mm.gateway.binance;

import mm.common.json.JsonTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinanceSigningTest
{
    private static final byte[] M_PLACE = BinanceRateLimits.ascii("order.place");
    private static final byte[] M_LOGON = BinanceRateLimits.ascii("session.logon");

    @Test
    void everyHmacVectorOfTheDocsSignsToTheDocumentedSignature()
    {
        final List<Object> vectors = JsonTree.array(BinanceSamples.load("signing_vectors.json").get("hmac_vectors"));
        assertEquals(5, vectors.size());
        for (final Object item : vectors)
        {
            final Map<String, Object> vector = JsonTree.object(item);
            final BinanceSigner signer = BinanceSigner.hmac((String)vector.get("secretKey"), "test vector");
            assertEquals(vector.get("expected_signature"), signer.sign((String)vector.get("signature_payload")),
                (String)vector.get("name"));
        }
    }

    @Test
    void theEncoderBuildsTheDocumentedCanonicalPayloadAndSignature()
    {
        final Map<String, Object> vector = vector("ws_order_place_ascii");
        final BinanceSigner signer = BinanceSigner.hmac((String)vector.get("secretKey"), "test vector");
        final BinanceRequestEncoder encoder = new BinanceRequestEncoder();
        encoder.begin(7, M_PLACE, true)
            .string(ascii("apiKey"), ascii((String)vector.get("apiKey")))
            .decimal(ascii("price"), 5_200_000, -2)
            .decimal(ascii("quantity"), 1_000_000, -8)
            .number(ascii("recvWindow"), 100)
            .string(ascii("side"), ascii("SELL"))
            .string(ascii("symbol"), ascii("BTCUSDT"))
            .string(ascii("timeInForce"), ascii("GTC"))
            .number(ascii("timestamp"), 1645423376532L)
            .string(ascii("type"), ascii("LIMIT"));
        encoder.end(signer);
        assertEquals(vector.get("signature_payload"), encoder.payloadText());
        final Map<String, Object> request = JsonTree.object(JsonTree.parse(encoder.jsonText().getBytes(StandardCharsets.UTF_8)));
        assertEquals("order.place", request.get("method"));
        final Map<String, Object> params = JsonTree.object(request.get("params"));
        assertEquals(vector.get("expected_signature"), params.get("signature"));
        assertEquals("52000.00", params.get("price"));
        assertEquals("0.01000000", params.get("quantity"));
        // the fake venue's independent canonicalisation (sort a map) agrees
        assertEquals(vector.get("signature_payload"), FakeBinanceWsApi.canonicalPayload(params));
    }

    @Test
    void nonAsciiSymbolsAreSignedAsRawUtf8()
    {
        final Map<String, Object> vector = vector("ws_order_place_non_ascii_symbol");
        final BinanceSigner signer = BinanceSigner.hmac((String)vector.get("secretKey"), "test vector");
        final BinanceRequestEncoder encoder = new BinanceRequestEncoder();
        final byte[] symbol = "１２３４５６".getBytes(StandardCharsets.UTF_8);
        encoder.begin(8, M_PLACE, true)
            .string(ascii("apiKey"), ascii((String)vector.get("apiKey")))
            .decimal(ascii("price"), 10_000_000, -8)
            .decimal(ascii("quantity"), 100_000_000, -8)
            .number(ascii("recvWindow"), 5000)
            .string(ascii("side"), ascii("BUY"))
            .string(ascii("symbol"), new org.agrona.concurrent.UnsafeBuffer(symbol), 0, symbol.length)
            .string(ascii("timeInForce"), ascii("GTC"))
            .number(ascii("timestamp"), 1645423376532L)
            .string(ascii("type"), ascii("LIMIT"));
        encoder.end(signer);
        assertEquals(vector.get("signature_payload"), encoder.payloadText());
        assertTrue(encoder.jsonText().contains("\"signature\":\"" + vector.get("expected_signature") + "\""));
    }

    @Test
    void sessionLogonPayloadMatchesTheDocs()
    {
        final Map<String, Object> vector = vector("ws_session_logon");
        final BinanceSigner signer = BinanceSigner.hmac((String)vector.get("secretKey"), "test vector");
        final BinanceRequestEncoder encoder = new BinanceRequestEncoder();
        encoder.begin(1, M_LOGON, true)
            .string(ascii("apiKey"), ascii((String)vector.get("apiKey")))
            .number(ascii("timestamp"), 1649729878532L);
        encoder.end(signer);
        assertEquals(vector.get("signature_payload"), encoder.payloadText());
        assertTrue(encoder.jsonText().endsWith("\"signature\":\"" + vector.get("expected_signature") + "\"}}"));
    }

    @Test
    void parametersOutOfNameOrderAreRefused()
    {
        final BinanceRequestEncoder encoder = new BinanceRequestEncoder();
        encoder.begin(1, M_PLACE, true).string(ascii("symbol"), ascii("BTCUSDT"));
        assertThrows(IllegalStateException.class, () -> encoder.string(ascii("side"), ascii("BUY")));
    }

    @Test
    void allocationFreeHmacEqualsTheJdkMac() throws Exception
    {
        final Random random = new Random(42);
        for (int keyLength : new int[] {1, 32, 64, 65, 200})
        {
            final byte[] key = new byte[keyLength];
            random.nextBytes(key);
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            final HmacSha256 ours = new HmacSha256(key);
            for (int length : new int[] {0, 1, 63, 64, 65, 1000})
            {
                final byte[] message = new byte[length];
                random.nextBytes(message);
                final byte[] out = new byte[40];
                ours.mac(message, 0, length, out, 8);
                assertArrayEquals(mac.doFinal(message), java.util.Arrays.copyOfRange(out, 8, 40));
            }
        }
    }

    @Test
    void ed25519KeyFromPemSignsTheCanonicalPayloadVerifiably(@TempDir final Path dir) throws Exception
    {
        final KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        final Path pem = dir.resolve("test-ed25519.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" +
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded()) +
            "\n-----END PRIVATE KEY-----\n");
        final BinanceSigner signer = BinanceSigner.fromFile("binance.order.secretFile", pem);
        assertEquals(BinanceSigner.KeyType.ED25519, signer.type());
        final Map<String, Object> examples =
            JsonTree.object(BinanceSamples.load("signing_vectors.json").get("ed25519_format_examples"));
        final String payload = (String)JsonTree.object(JsonTree.array(examples.get("items")).get(0)).get("signature_payload");
        final String signature = signer.sign(payload);
        final byte[] raw = Base64.getDecoder().decode(signature);
        assertEquals(64, raw.length);
        assertEquals(88, signature.length()); // the documented format: standard base64 with padding
        final Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pair.getPublic());
        verifier.update(payload.getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(raw));
        assertFalse(signer.toString().contains(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())));
    }

    @Test
    void secretsStayOutOfTextAndErrors(@TempDir final Path dir) throws Exception
    {
        final String secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        final Path file = dir.resolve("secret.txt");
        Files.writeString(file, secret + "\n");
        final BinanceSigner signer = BinanceSigner.fromFile("binance.order.secretFile", file);
        assertEquals(BinanceSigner.KeyType.HMAC, signer.type());
        assertFalse(signer.toString().contains(secret));
        final Path badPem = dir.resolve("bad.pem");
        Files.writeString(badPem, "-----BEGIN PRIVATE KEY-----\nQUJDREVGR0g=\n-----END PRIVATE KEY-----\n");
        final Exception ex = assertThrows(RuntimeException.class, () -> BinanceSigner.fromFile("binance.order.secretFile", badPem));
        assertFalse(ex.getMessage().contains("QUJDREVGR0g"));
    }

    private static Map<String, Object> vector(final String name)
    {
        for (final Object item : JsonTree.array(BinanceSamples.load("signing_vectors.json").get("hmac_vectors")))
        {
            if (name.equals(JsonTree.object(item).get("name")))
            {
                return JsonTree.object(item);
            }
        }
        throw new AssertionError("no vector " + name);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
