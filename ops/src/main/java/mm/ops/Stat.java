package mm.ops;

import com.sun.net.httpserver.HttpServer;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import mm.common.agent.EngineCounters;
import mm.driver.DriverProfile;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code ./mm stat}: the engine's counters read out of process from a running media driver's shared memory
 * (its CnC file), without registering as a client, like Aeron's AeronStat. With {@code --prometheus PORT} it
 * serves the same counters at {@code http://host:PORT/metrics} in the Prometheus text format for Grafana.
 */
final class Stat implements AutoCloseable
{
    private final Path aeronDir;
    private final MappedByteBuffer cncBuffer;
    private final CountersReader counters;

    Stat(final Path aeronDir)
    {
        this.aeronDir = aeronDir;
        final File cncFile = aeronDir.resolve(CncFileDescriptor.CNC_FILE).toFile();
        cncBuffer = IoUtil.mapExistingFile(cncFile, "cnc");
        final DirectBuffer meta = CncFileDescriptor.createMetaDataBuffer(cncBuffer);
        final int version = meta.getInt(CncFileDescriptor.cncVersionOffset(0));
        if (CncFileDescriptor.CNC_VERSION != version)
        {
            IoUtil.unmap(cncBuffer);
            throw new IllegalStateException("CnC version " + version + " in " + cncFile + " is not this client's " +
                CncFileDescriptor.CNC_VERSION + " (a different Aeron version runs that driver)");
        }
        counters = new CountersReader(
            CncFileDescriptor.createCountersMetaDataBuffer(cncBuffer, meta),
            CncFileDescriptor.createCountersValuesBuffer(cncBuffer, meta));
    }

    /** Media driver folders of this user on this host whose driver is alive. */
    static List<Path> activeDrivers()
    {
        final Path base = Path.of(DriverProfile.defaultSharedDir()).getParent();
        final String prefix = Path.of(DriverProfile.defaultSharedDir()).getFileName().toString();
        final List<Path> active = new ArrayList<>();
        if (base == null || !Files.isDirectory(base))
        {
            return active;
        }
        try (Stream<Path> entries = Files.list(base))
        {
            for (final Path dir : entries.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList())
            {
                if (Files.exists(dir.resolve(CncFileDescriptor.CNC_FILE)) &&
                    CommonContext.isDriverActive(dir.toFile(), 2_000, message -> { }))
                {
                    active.add(dir);
                }
            }
        }
        catch (final IOException ex)
        {
            return active;
        }
        return active;
    }

    /** Engine counters by label (e.g. {@code quoting: quote intents sent}), or every counter with {@code all}. */
    Map<String, Long> values(final boolean all)
    {
        final TreeMap<String, Long> values = new TreeMap<>();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if ((all || typeId == EngineCounters.ENGINE_COUNTER_TYPE_ID) &&
                counters.getCounterState(counterId) == CountersReader.RECORD_ALLOCATED)
            {
                values.merge(label, counters.getCounterValue(counterId), (a, b) -> a);
            }
        });
        return values;
    }

    CountersReader counters()
    {
        return counters;
    }

    void print(final PrintStream out, final boolean all)
    {
        out.println("mm stat: " + aeronDir);
        for (final Map.Entry<String, Long> entry : values(all).entrySet())
        {
            out.printf(Locale.ROOT, "  %-56s %,d%n", entry.getKey(), entry.getValue());
        }
    }

    /** The counters in the Prometheus text exposition format, one gauge per counter. */
    String prometheus()
    {
        final StringBuilder text = new StringBuilder(4096);
        for (final Map.Entry<String, Long> entry : values(false).entrySet())
        {
            final String name = metricName(entry.getKey());
            text.append("# HELP ").append(name).append(' ').append(entry.getKey().replace("\\", "\\\\")
                .replace("\n", " ")).append('\n');
            text.append("# TYPE ").append(name).append(" gauge\n");
            text.append(name).append(' ').append(entry.getValue()).append('\n');
        }
        return text.toString();
    }

    /** {@code quoting: quote intents sent} → {@code mm_quoting_quote_intents_sent}. */
    static String metricName(final String label)
    {
        final StringBuilder name = new StringBuilder("mm_");
        boolean underscore = false;
        for (int i = 0; i < label.length(); i++)
        {
            final char c = Character.toLowerCase(label.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            {
                name.append(c);
                underscore = false;
            }
            else if (!underscore && name.length() > 3)
            {
                name.append('_');
                underscore = true;
            }
        }
        while (name.charAt(name.length() - 1) == '_')
        {
            name.setLength(name.length() - 1);
        }
        return name.toString();
    }

    /** Serves {@link #prometheus()} at {@code /metrics} until the process ends; returns the server. */
    HttpServer serve(final String bindAddress, final int port) throws IOException
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        server.createContext("/metrics", exchange ->
        {
            final byte[] body = prometheus().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    public void close()
    {
        IoUtil.unmap(cncBuffer);
    }
}
