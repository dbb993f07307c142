package mm.ops;

import mm.common.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mm stat} reads a running engine's counters from another reader of the driver's shared memory. */
class StatSystemTest
{
    @Test
    void statControlAndPrometheusWorkOnARunningEngine(@TempDir final Path dir) throws Exception
    {
        final Path aeronDir = dir.resolve("aeron");
        final Config config = Main.demoConfig().withOverrides(Map.of(
            "feed.speed", "2", "driver.dir", aeronDir.toString(), "journal.enabled", "false"));
        try (Engine engine = new Engine(EngineConfig.from(config, TestPaths.repoRoot()), new PrintStream(
            new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
        {
            engine.start(EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL));
            String text = "";
            for (int attempt = 0; attempt < 100 && !text.matches("(?s).*quoting: quote intents sent +[1-9].*"); attempt++)
            {
                Thread.sleep(100);
                final ByteArrayOutputStream output = new ByteArrayOutputStream();
                assertEquals(0, Main.run(new String[] {"stat", "--dir", aeronDir.toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8)));
                text = output.toString(StandardCharsets.UTF_8);
            }
            assertTrue(text.matches("(?s).*quoting: quote intents sent +[1-9].*"), text);
            assertTrue(text.contains("gateway: ") && text.contains("risk: "), text);
            for (final String role : new String[]{"feed-binance", "quoting", "risk", "gateway"})
            {
                assertTrue(text.matches("(?s).*" + role + ": max duty cycle ns +[1-9].*"), role + ": " + text);
            }

            final ByteArrayOutputStream controlOutput = new ByteArrayOutputStream();
            assertEquals(0, Main.run(new String[] {"control", "--dir", aeronDir.toString(), "set", "quoting.as.gamma", "0.2"},
                new PrintStream(controlOutput, true, StandardCharsets.UTF_8)));
            assertEquals(0, Main.run(new String[] {"control", "--dir", aeronDir.toString(), "set", "quoting.as.gamma", "-1"},
                new PrintStream(controlOutput, true, StandardCharsets.UTF_8)));
            for (int attempt = 0; attempt < 100 && !text.matches("(?s).*parameter changes rejected +1.*"); attempt++)
            {
                Thread.sleep(50);
                final ByteArrayOutputStream output = new ByteArrayOutputStream();
                Main.run(new String[] {"stat", "--dir", aeronDir.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8));
                text = output.toString(StandardCharsets.UTF_8);
            }
            assertTrue(text.matches("(?s).*quoting: parameter changes accepted +1\\n.*") &&
                text.matches("(?s).*quoting: parameter changes rejected +1\\n.*"), controlOutput + text);

            try (Stat stat = new Stat(aeronDir))
            {
                final com.sun.net.httpserver.HttpServer server = stat.serve("127.0.0.1", 0);
                try
                {
                    final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, response.statusCode());
                    assertTrue(response.body().contains("# TYPE mm_quoting_quote_intents_sent gauge"), response.body());
                    assertTrue(response.body().matches("(?s).*\\nmm_quoting_quote_intents_sent [1-9][0-9]*\\n.*"),
                        response.body());
                }
                finally
                {
                    server.stop(0);
                }
            }
        }
    }

    @Test
    void metricNamesArePrometheusSafe()
    {
        assertEquals("mm_quoting_quote_intents_sent", Stat.metricName("quoting: quote intents sent"));
        assertEquals("mm_quoting_position_qty_mantissa", Stat.metricName("quoting: position (qty mantissa)"));
    }
}
