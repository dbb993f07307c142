package mm.journal;

import mm.common.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunManifestTest
{
    @TempDir
    Path tmp;

    @Test
    void configHashIsSha256OfCanonicalText()
    {
        final Config config = new Config(Map.of("b", "2", "a", "1"), "test");
        final RunManifest manifest = RunManifest.of("r", config, "reg", "1.0");
        // SHA-256 of "a=1\nb=2\n", computed with sha256sum.
        assertEquals("4a73850fde34aad40ff8649b93a66523a5fe744357a3931caea0f10609d0d930", manifest.configSha256());
        assertNotEquals(manifest.configSha256(),
            RunManifest.of("r", config.withOverrides(Map.of("a", "3")), "reg", "1.0").configSha256());
    }

    @Test
    void startAndFinalManifestsCarryWhatTheRunNeeds() throws Exception
    {
        final RunManifest manifest = new RunManifest("run \"7\"", 1_780_000_000_000L, "k=v\n", "reg-hash", "0.1.0");
        manifest.writeStart(tmp, List.of(RunManifest.StreamSummary.named("market-data", 1001)));
        final String start = Files.readString(tmp.resolve(RunManifest.FILE_NAME));
        assertTrue(start.contains("\"runId\": \"run \\\"7\\\"\""), start);
        assertTrue(start.contains("\"state\": \"recording\""), start);
        assertTrue(start.contains("\"startTime\": \"2026-05-28T20:26:40Z\""), start);
        assertTrue(start.contains("\"java\": \"" + Runtime.version() + "\""), start);
        assertTrue(start.contains("\"chronicleQueue\": \"2026.4\""), start);
        assertTrue(start.contains("\"agrona\": \"2.6.0\""), start);
        assertFalse(start.contains("messageCount"), start);
        assertFalse(start.contains("endTime"), start);

        manifest.writeFinal(tmp, 1_780_000_060_000L, List.of(new RunManifest.StreamSummary(
            "market-data", 1001, 3, 120, "ab12",
            List.of(new RunManifest.FileChecksum("market-data/20260528F.cq4", 4096, "cd34")))));
        final String end = Files.readString(tmp.resolve(RunManifest.FILE_NAME));
        assertTrue(end.contains("\"state\": \"closed\""), end);
        assertTrue(end.contains("\"endTimeMs\": 1780000060000"), end);
        assertTrue(end.contains("\"messageCount\": 3"), end);
        assertTrue(end.contains("\"messagesSha256\": \"ab12\""), end);
        assertTrue(end.contains("{ \"file\": \"market-data/20260528F.cq4\", \"sizeBytes\": 4096, \"sha256\": \"cd34\" }"),
            end);
        assertFalse(Files.exists(tmp.resolve(RunManifest.FILE_NAME + ".tmp")));
    }
}
