package mm.ops;

import mm.common.json.JsonTree;
import mm.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./mm backtest} on the bundled real recording: the same agents as the demo, then the report. */
class BacktestSystemTest
{
    @Test
    void backtestRunsTheRecordingAndWritesAReportThatAgreesWithTheJournal(@TempDir final Path dir) throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final Path report = dir.resolve("report");
        final int exitCode = Main.run(new String[] {
            "backtest", "--recording", TestPaths.repoRoot().resolve("data/binance-spot-btcusdt-20240808-excerpt.jsonl.gz").toString(),
            "--set", "journal.dir=" + dir, "--set", "journal.runId=bt", "--report", report.toString()},
            new PrintStream(output, true, StandardCharsets.UTF_8));
        final String text = output.toString(StandardCharsets.UTF_8);
        assertEquals(0, exitCode, text);
        assertTrue(text.contains("mm backtest: report"), text);

        final Map<String, Object> json = JsonTree.object(JsonTree.parse(Files.readAllBytes(report.resolve("report.json"))));
        assertEquals("mm-backtest-report/1", json.get("format"));
        final long fills = ((BigDecimal)json.get("fills")).longValue();
        assertEquals(countTrades(dir.resolve("bt")), fills, "every fill the gateway journaled is in the report");
        assertTrue(fills > 0);
        final double uptime = ((BigDecimal)json.get("quoteUptimeAnySide")).doubleValue();
        assertTrue(uptime > 0.5 && uptime <= 1.0, "quoted most of the time: " + uptime);
        final List<Object> rows = JsonTree.array(JsonTree.object(json.get("series")).get("rows"));
        assertTrue(rows.size() > 100, "a sample per book update, at most 1500: " + rows.size());

        final String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("<svg id=\"pnl\"") && html.contains("<svg id=\"inventory\"") &&
            html.contains("<svg id=\"quotes\""), "three charts");
        assertTrue(html.contains("<polyline"), "with lines");
        assertTrue(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"),
            "self-contained: no scripts, nothing fetched");
    }

    private static long countTrades(final Path runDir)
    {
        final mm.sbe.MessageHeaderDecoder header = new mm.sbe.MessageHeaderDecoder();
        final mm.sbe.ExecutionReportDecoder report = new mm.sbe.ExecutionReportDecoder();
        final long[] trades = {0};
        JournalReader.forEach(runDir, "executions", (buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == mm.sbe.ExecutionReportDecoder.TEMPLATE_ID)
            {
                report.wrapAndApplyHeader(buffer, offset, header);
                trades[0] += report.execType() == mm.sbe.ExecType.TRADE ? 1 : 0;
            }
        });
        return trades[0];
    }
}
