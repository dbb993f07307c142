package mm.ops;

import mm.common.config.Config;
import mm.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same agents over {@code aeron:udp} on loopback instead of {@code aeron:ipc}, by config alone: every
 * journaled stream is byte-identical to the IPC run's.
 */
class UdpTransportSystemTest
{
    private static final String[] STREAMS = {
        "market-data", "quote-intents", "order-commands", "order-actions", "executions",
        "inbox-quoting", "inbox-risk", "inbox-gateway"};

    @Test
    void theSameRunOverUdpLoopbackJournalsTheSameBytes(@TempDir final Path journalDir) throws Exception
    {
        final Path ipc = run(journalDir, "ipc", "aeron:ipc?term-length=1m");
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort(); // a free port; UDP and TCP port spaces are separate but this is a good hint
        }
        final Path udp = run(journalDir, "udp", "aeron:udp?endpoint=127.0.0.1:" + port + "|term-length=1m");
        for (final String stream : STREAMS)
        {
            assertEquals(JournalReader.sha256(ipc, stream), JournalReader.sha256(udp, stream), stream);
        }
        assertTrue(JournalReader.count(udp, "executions") > 100);
    }

    private static Path run(final Path journalDir, final String runId, final String channel) throws Exception
    {
        final Config config = Main.demoConfig().withOverrides(Map.of(
            "aeron.channel", channel, "feed.speed", "0", "journal.dir", journalDir.toString(), "journal.runId", runId));
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final int exitCode = Main.runInProcess(EngineConfig.from(config, TestPaths.repoRoot()),
            EnumSet.of(Role.FEED_BINANCE, Role.QUOTING, Role.RISK, Role.GATEWAY, Role.JOURNAL),
            new PrintStream(output, true, StandardCharsets.UTF_8), false);
        assertEquals(0, exitCode, runId + ": " + output.toString(StandardCharsets.UTF_8));
        return journalDir.resolve(runId);
    }
}
