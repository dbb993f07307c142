package mm.ops;

import mm.common.aeron.Streams;
import mm.common.config.Config;
import mm.journal.JournalReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two hosts on loopback: host A (its own media driver) runs feed, quoting, risk and gateway; host B (another
 * driver) runs only the journal. The only path between them is UDP: every stream is a multi-destination-cast
 * publication on A ({@code control-mode=dynamic}, {@code fc=min} so the remote journal is never outrun), with
 * A's agents and B's journal each subscribing from their own endpoint; B announces on the readiness stream
 * when it has joined, and A's feed waits for that as it waits for local roles. The journal B wrote is
 * byte-identical to a one-host IPC run's, and it verifies. The second test puts B in its own process inside its
 * own network namespace, joined to A by a veth pair (where the machine allows: root or CAP_NET_ADMIN).
 */
class MultiHostSystemTest
{
    private static final String LOOPBACK = "127.0.0.1";
    private static final String IP = java.util.stream.Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
        .filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElse("ip");
    private static final String[] JOURNALED = {
        "market-data", "quote-intents", "order-commands", "order-actions", "executions",
        "inbox-quoting", "inbox-risk", "inbox-gateway"};

    @Test
    void theJournalOnAnotherHostRecordsTheSameBytesAsOneHost(@TempDir final Path dir) throws Exception
    {
        final Map<String, String> common = Map.of("feed.speed", "0", "journal.dir", dir.toString());
        runOnOneHost(common);

        final Map<String, String> hostA = new HashMap<>(common);
        final Map<String, String> hostB = new HashMap<>(common);
        twoHosts(hostA, LOOPBACK, hostB, LOOPBACK);
        final ByteArrayOutputStream outputA = new ByteArrayOutputStream();
        final ByteArrayOutputStream outputB = new ByteArrayOutputStream();
        final long deadlineNs = System.nanoTime() + 120_000_000_000L;
        try (Engine journalHost = new Engine(EngineConfig.from(Main.demoConfig().withOverrides(hostB), TestPaths.repoRoot()),
                new PrintStream(outputB, true, StandardCharsets.UTF_8));
            Engine tradingHost = new Engine(EngineConfig.from(Main.demoConfig().withOverrides(hostA), TestPaths.repoRoot()),
                new PrintStream(outputA, true, StandardCharsets.UTF_8)))
        {
            journalHost.start(EnumSet.of(Role.JOURNAL));
            tradingHost.start(EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY));
            while (!journalHost.isDone())
            {
                assertNull(tradingHost.firstError(), outputA.toString(StandardCharsets.UTF_8));
                assertNull(journalHost.firstError(), outputB.toString(StandardCharsets.UTF_8));
                assertTrue(System.nanoTime() < deadlineNs, "the journal host did not finish within 120 s:\n" +
                    outputA.toString(StandardCharsets.UTF_8) + "\n" + outputB.toString(StandardCharsets.UTF_8) +
                    "\nA: " + counters(tradingHost) + "\nB: " + counters(journalHost));
                Thread.sleep(50);
            }
            final CounterView countersA = new CounterView(tradingHost.aeron().countersReader());
            assertEquals(1, countersA.value("remote-readiness: remote roles ready", 0), "A waited for B's announcement");
        }

        assertSameJournals(dir);
    }

    @Test
    void theJournalInAnotherNetworkNamespaceRecordsTheSameBytes(@TempDir final Path dir) throws Exception
    {
        final long pid = ProcessHandle.current().pid();
        final String namespace = "mm-test-" + pid;
        final String vethA = "mmva" + pid % 100_000;
        final String vethB = "mmvb" + pid % 100_000;
        final String subnet = "10.231." + (pid % 200 + 20) + ".";
        final String addressA = subnet + "1";
        final String addressB = subnet + "2";
        Assumptions.assumeTrue(ip("netns", "add", namespace) == 0,
            "network namespaces are not available on this machine (needs root or CAP_NET_ADMIN and iproute2)");
        try
        {
            // a veth pair: A's end in this namespace, B's end in the journal host's namespace
            require(ip("link", "add", vethA, "type", "veth", "peer", "name", vethB));
            require(ip("link", "set", vethB, "netns", namespace));
            require(ip("addr", "add", addressA + "/24", "dev", vethA));
            require(ip("link", "set", vethA, "up"));
            require(ip("netns", "exec", namespace, "ip", "addr", "add", addressB + "/24", "dev", vethB));
            require(ip("netns", "exec", namespace, "ip", "link", "set", vethB, "up"));
            require(ip("netns", "exec", namespace, "ip", "link", "set", "lo", "up"));

            final Map<String, String> common = Map.of("feed.speed", "0", "journal.dir", dir.toString());
            runOnOneHost(common);
            final Map<String, String> hostA = new HashMap<>(common);
            final Map<String, String> hostB = new HashMap<>(common);
            twoHosts(hostA, addressA, hostB, addressB);
            final Path configB = dir.resolve("journal-host.properties");
            Files.writeString(configB, Main.demoConfig().withOverrides(hostB).canonicalText());
            final List<String> command = new ArrayList<>(List.of(IP, "netns", "exec", namespace));
            command.addAll(ProcessLauncher.roleCommand(TestPaths.repoRoot(), configB, Role.JOURNAL, dir));
            final Path logB = dir.resolve("journal-host.log");
            final Process journalHost = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logB.toFile()).start();
            final ByteArrayOutputStream outputA = new ByteArrayOutputStream();
            try (Engine tradingHost = new Engine(EngineConfig.from(Main.demoConfig().withOverrides(hostA),
                TestPaths.repoRoot()), new PrintStream(outputA, true, StandardCharsets.UTF_8)))
            {
                tradingHost.start(EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY));
                final boolean exited = journalHost.waitFor(120, TimeUnit.SECONDS);
                if (!exited)
                {
                    journalHost.destroyForcibly();
                }
                assertTrue(exited && journalHost.exitValue() == 0, "the journal host in " + namespace + " did not " +
                    "finish cleanly:\n" + Files.readString(logB) + "\nA: " + outputA.toString(StandardCharsets.UTF_8) +
                    "\n" + counters(tradingHost));
                assertNull(tradingHost.firstError(), outputA.toString(StandardCharsets.UTF_8));
                assertEquals(1, new CounterView(tradingHost.aeron().countersReader())
                    .value("remote-readiness: remote roles ready", 0), "A waited for B's announcement");
            }
            assertSameJournals(dir);
        }
        finally
        {
            ip("netns", "delete", namespace); // takes B's end of the pair, and with it A's
            ip("link", "delete", vethA);
        }
    }

    private static void runOnOneHost(final Map<String, String> common) throws InterruptedException
    {
        final Config ipcConfig = Main.demoConfig().withOverrides(with(common, "journal.runId", "one-host"));
        final ByteArrayOutputStream ipcOutput = new ByteArrayOutputStream();
        assertEquals(0, Main.runInProcess(EngineConfig.from(ipcConfig, TestPaths.repoRoot()),
            EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL),
            new PrintStream(ipcOutput, true, StandardCharsets.UTF_8), false), ipcOutput.toString(StandardCharsets.UTF_8));
    }

    /** The journal written on the other host is the one-host run's, byte for byte, and it verifies. */
    private static void assertSameJournals(final Path dir) throws InterruptedException
    {
        final Path oneHost = dir.resolve("one-host");
        final Path twoHosts = dir.resolve("two-hosts");
        for (final String stream : JOURNALED)
        {
            assertEquals(JournalReader.sha256(oneHost, stream), JournalReader.sha256(twoHosts, stream), stream);
        }
        assertTrue(JournalReader.count(twoHosts, "executions") > 100);
        final ByteArrayOutputStream verifyOutput = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[]{"verify-journal", twoHosts.toString()},
            new PrintStream(verifyOutput, true, StandardCharsets.UTF_8)), verifyOutput.toString(StandardCharsets.UTF_8));
    }

    private static int ip(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(IP));
        command.addAll(List.of(args));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }
        catch (final java.io.IOException | InterruptedException ex)
        {
            return -1;
        }
    }

    private static void require(final int exitCode)
    {
        assertEquals(0, exitCode, "setting up the network namespace failed");
    }

    /**
     * The host of feed, quoting, risk and gateway at {@code addressA}, the journal's at {@code addressB}: every
     * stream a multi-destination-cast publication on A that A's agents and B's journal join from their own
     * endpoints, and B's readiness announcement a unicast to A.
     */
    private void twoHosts(
        final Map<String, String> hostA, final String addressA, final Map<String, String> hostB, final String addressB)
        throws Exception
    {
        hostA.put("engine.remoteRoles", "journal");
        hostA.put("engine.exitAfter", "gateway");
        hostB.put("engine.announceReady", "true");
        hostB.put("journal.runId", "two-hosts");
        for (final String stream : Streams.CONFIG_NAMES)
        {
            if ("readiness".equals(stream))
            {
                final String toA = "aeron:udp?endpoint=" + addressA + ":" + freeUdpPort();
                hostA.put("aeron.channel.readiness.subscription", toA);
                hostB.put("aeron.channel.readiness.publication", toA);
                continue;
            }
            final String control = "control=" + addressA + ":" + freeUdpPort() + "|control-mode=dynamic";
            hostA.put("aeron.channel." + stream + ".publication", "aeron:udp?" + control + "|fc=min|term-length=1m");
            hostA.put("aeron.channel." + stream + ".subscription",
                "aeron:udp?endpoint=" + addressA + ":" + freeUdpPort() + "|" + control);
            hostB.put("aeron.channel." + stream + ".subscription",
                "aeron:udp?endpoint=" + addressB + ":" + freeUdpPort() + "|" + control);
        }
    }

    private static String counters(final Engine engine)
    {
        final StringBuilder text = new StringBuilder();
        new CounterView(engine.aeron().countersReader()).forEach("", (label, value) ->
        {
            if (value != 0 && !label.startsWith("mm-") && label.contains(":"))
            {
                text.append(label).append('=').append(value).append("; ");
            }
        });
        return text.toString();
    }

    private static Map<String, String> with(final Map<String, String> base, final String key, final String value)
    {
        final Map<String, String> map = new HashMap<>(base);
        map.put(key, value);
        return map;
    }

    private final java.util.Set<Integer> portsTaken = new java.util.HashSet<>();

    private int freeUdpPort() throws Exception
    {
        while (true)
        {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
            {
                if (portsTaken.add(socket.getLocalPort()))
                {
                    return socket.getLocalPort();
                }
            }
        }
    }
}
