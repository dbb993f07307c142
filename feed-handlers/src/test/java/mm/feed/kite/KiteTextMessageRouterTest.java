package mm.feed.kite;

import org.agrona.concurrent.UnsafeBuffer;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class KiteTextMessageRouterTest
{
    /** What a handler saw, copied out of the reused view. */
    record Seen(String callback, KiteTextType type, String typeText, String dataJson, String dataString, String text)
    {
    }

    private final List<Seen> seen = new ArrayList<>();

    private final KiteTextMessageHandler allCallbacks = new KiteTextMessageHandler()
    {
        @Override
        public void onOrder(final KiteTextMessage m)
        {
            record("order", m);
        }

        @Override
        public void onError(final KiteTextMessage m)
        {
            record("error", m);
        }

        @Override
        public void onBrokerMessage(final KiteTextMessage m)
        {
            record("message", m);
        }

        @Override
        public void onOther(final KiteTextMessage m)
        {
            record("other", m);
        }
    };

    private void record(final String callback, final KiteTextMessage m)
    {
        seen.add(new Seen(callback, m.type(), m.typeText(), m.dataJson(), m.dataString(), m.text()));
    }

    private static KiteTextType route(final KiteTextMessageRouter router, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // Inside a larger buffer at an offset, with garbage around it that must not be read.
        final byte[] padded = new byte[bytes.length + 10];
        java.util.Arrays.fill(padded, (byte)'}');
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        return router.route(new UnsafeBuffer(padded), 5, bytes.length, 1L);
    }

    @Test
    void orderPostbackFromTheMocksIsRoutedWithItsOrderObject()
    {
        final String order = new String(KiteSamples.sampleBytes("mocks/postback.json"), StandardCharsets.UTF_8);
        final String message = "{\"type\": \"order\", \"data\": " + order + "}";
        final KiteTextMessageRouter router = new KiteTextMessageRouter(allCallbacks);
        assertEquals(KiteTextType.ORDER, route(router, message));
        assertEquals(1, seen.size());
        final Seen s = seen.getFirst();
        assertEquals("order", s.callback());
        assertEquals("order", s.typeText());
        assertEquals(order.strip(), s.dataJson());
        final JSONObject data = new JSONObject(s.dataJson());
        assertEquals("220303000308932", data.getString("order_id"));
        assertEquals("COMPLETE", data.getString("status"));
        assertEquals(779521, data.getInt("instrument_token"));
        assertEquals(message, s.text());
        assertEquals(1, router.count(KiteTextType.ORDER));
    }

    @Test
    void errorsMessagesAndUnknownTypesEachReachTheirHandler()
    {
        final KiteTextMessageRouter router = new KiteTextMessageRouter(allCallbacks);
        assertEquals(KiteTextType.ERROR, route(router, "{\"type\":\"error\",\"data\":\"Invalid \\\"mode\\\" {x}\"}"));
        assertEquals(KiteTextType.MESSAGE, route(router, "{\"data\":\"Market closes early today\",\"type\":\"message\"}"));
        assertEquals(KiteTextType.OTHER, route(router, "{\"type\":\"instruments_meta\",\"data\":{\"count\":86481,\"etag\":\"W/\\\"ab\\\"\"}}"));
        assertEquals(KiteTextType.OTHER, route(router, "{\"type\":\"app_code\",\"timestamp\":\"2024-06-06T09:15:00+05:30\"}"));

        assertEquals(List.of("error", "message", "other", "other"), seen.stream().map(Seen::callback).toList());
        assertEquals("Invalid \"mode\" {x}", seen.get(0).dataString());
        assertEquals("Market closes early today", seen.get(1).dataString());
        assertEquals("instruments_meta", seen.get(2).typeText());
        assertEquals("{\"count\":86481,\"etag\":\"W/\\\"ab\\\"\"}", seen.get(2).dataJson());
        assertNull(seen.get(2).dataString());
        assertEquals("app_code", seen.get(3).typeText());
        assertNull(seen.get(3).dataJson());
        assertEquals(1, router.count(KiteTextType.ERROR));
        assertEquals(1, router.count(KiteTextType.MESSAGE));
        assertEquals(2, router.count(KiteTextType.OTHER));
        assertEquals(4, router.messages());
    }

    @Test
    void malformedTextIsCountedAndStillHandedOver()
    {
        final KiteTextMessageRouter router = new KiteTextMessageRouter(allCallbacks);
        final String[] malformed = {
            "", "   ", "not json", "[1,2]", "{\"type\":\"order\"", "{\"type\":\"order\",\"data\":\"x\"}",
            "{\"type\":\"order\"}", "{\"type\":5,\"data\":{}}", "{\"data\":{}}", "{\"type\":\"error\" \"data\":1}",
            "{\"type\":\"error\",\"data\":\"unterminated}", "{\"type\":\"error\"} trailing", "{type:\"error\"}",
            "{\"type\":\"message\",\"data\":{\"a\":[1,2}", "{}"
        };
        for (final String text : malformed)
        {
            assertEquals(KiteTextType.MALFORMED, route(router, text), text);
        }
        assertEquals(malformed.length, router.count(KiteTextType.MALFORMED));
        assertEquals(malformed.length, seen.size());
        for (int i = 0; i < malformed.length; i++)
        {
            assertEquals("other", seen.get(i).callback());
            assertEquals(malformed[i], seen.get(i).text(), "the raw bytes are handed over unchanged");
        }
    }

    @Test
    void aHandlerThatOnlyImplementsOtherStillReceivesEveryType()
    {
        final List<KiteTextType> types = new ArrayList<>();
        final KiteTextMessageRouter router = new KiteTextMessageRouter(m -> types.add(m.type()));
        route(router, "{\"type\":\"order\",\"data\":{\"order_id\":\"1\"}}");
        route(router, "{\"type\":\"error\",\"data\":\"e\"}");
        route(router, "{\"type\":\"message\",\"data\":\"m\"}");
        route(router, "{\"type\":\"new_kind\"}");
        route(router, "garbage");
        assertEquals(List.of(KiteTextType.ORDER, KiteTextType.ERROR, KiteTextType.MESSAGE, KiteTextType.OTHER,
            KiteTextType.MALFORMED), types);
    }

    @Test
    void nestedKeysNamedTypeDoNotConfuseTheTopLevel()
    {
        final KiteTextMessageRouter router = new KiteTextMessageRouter(allCallbacks);
        assertEquals(KiteTextType.ORDER, route(router,
            "{\"data\":{\"type\":\"error\",\"meta\":{\"type\":[\"message\"]},\"tag\":\"}\\\\\"},\"type\":\"order\"}"));
        assertEquals(KiteTextType.OTHER, route(router, "{\"type\":\"error\",\"type\":\"later\"}"));
    }
}
