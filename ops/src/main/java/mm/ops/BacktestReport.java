package mm.ops;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.journal.JournalReader;
import mm.sbe.ApprovedQuoteDecoder;
import mm.sbe.BookTopNDecoder;
import mm.sbe.CancelAllDecoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.RiskRejectDecoder;
import mm.sbe.Side;
import mm.sbe.TradingStateChangeDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The report of a run, read from its journal: PnL after fees marked at mid, inventory, our best quotes
 * against the market, fills, quote uptime and risk events by reason, written as {@code report.json} and as a
 * self-contained {@code report.html} (inline SVG, no scripts or network). It reads only what the run
 * journaled, so a backtest, a demo and a live rehearsal are reported the same way.
 * <p>
 * Money here is for people, in doubles converted from the journaled fixed-point values; every deciding
 * number stays in the journal.
 */
final class BacktestReport
{
    private static final int MAX_CHART_POINTS = 1500;
    private static final int MAX_FILL_ROWS = 500;

    private final Instrument instrument;
    private final double priceScale;
    private final double qtyScale;
    private final double moneyScale;

    /** One sample per book update: time, market, our quotes, inventory and PnL. */
    private final List<double[]> samples = new ArrayList<>();
    private final List<String[]> fills = new ArrayList<>();
    private final TreeMap<String, Long> riskEvents = new TreeMap<>();
    private final List<String[]> stateChanges = new ArrayList<>();

    private long bookUpdates;
    private long fillCount;
    private long makerFills;
    private double boughtQty;
    private double soldQty;
    private double tradedNotional;
    private double cash;
    private double fees;
    private double position;
    private double lastMid = Double.NaN;
    private long ourBid;
    private long ourAsk;
    private long firstTimeNs = Long.MIN_VALUE;
    private long lastTimeNs;
    private long twoSidedNs;
    private long anySideNs;
    private long lastSampleNs = Long.MIN_VALUE;
    private double peakPnl;
    private double maxDrawdown;

    private BacktestReport(final Instrument instrument)
    {
        this.instrument = instrument;
        this.priceScale = Math.pow(10, instrument.priceExponent());
        this.qtyScale = Math.pow(10, instrument.qtyExponent());
        this.moneyScale = Math.pow(10, instrument.moneyExponent());
    }

    /** Reads {@code runDir}'s journal and writes {@code report.json} and {@code report.html} into {@code outDir}. */
    static Summary write(final Path runDir, final Instrument instrument, final Path outDir)
    {
        final BacktestReport report = new BacktestReport(instrument);
        report.read(runDir);
        final Summary summary = report.summary(runDir);
        try
        {
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("report.json"), report.json(summary));
            Files.writeString(outDir.resolve("report.html"), report.html(summary));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the report into " + outDir, ex);
        }
        return summary;
    }

    /** The headline figures. */
    record Summary(
        String runId, long bookUpdates, double durationSeconds, long fills, long makerFills, double boughtQty,
        double soldQty, double tradedNotional, double fees, double endPosition, double endMid, double netPnl,
        double maxDrawdown, double quoteUptimeTwoSided, double quoteUptimeAnySide, TreeMap<String, Long> riskEvents)
    {
    }

    private void read(final Path runDir)
    {
        // every stream in order of step: merge by reading the commands and executions as the book advances
        final List<byte[]> commands = readAll(runDir, "order-commands");
        final List<byte[]> executions = readAll(runDir, "executions");
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final int[] commandIndex = {0};
        final int[] executionIndex = {0};
        final BookTopNDecoder book = new BookTopNDecoder();
        JournalReader.forEach(runDir, "market-data", (buffer, offset, length) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() != BookTopNDecoder.TEMPLATE_ID)
            {
                return;
            }
            book.wrapAndApplyHeader(buffer, offset, header);
            if (book.instrumentId() != instrument.id())
            {
                return;
            }
            final long eventSeq = book.eventSeq();
            final long timeNs = book.receiveTimeNs();
            advanceTime(timeNs);
            // what the rest of the pipeline decided up to the previous step applies from this book on
            while (commandIndex[0] < commands.size() && eventSeqOf(commands.get(commandIndex[0])) < eventSeq)
            {
                onCommand(commands.get(commandIndex[0]++));
            }
            while (executionIndex[0] < executions.size() && eventSeqOf(executions.get(executionIndex[0])) < eventSeq)
            {
                onExecution(executions.get(executionIndex[0]++));
            }
            final BookTopNDecoder.BidsDecoder bids = book.bids();
            final long bid = bids.hasNext() ? bids.next().price() : 0;
            while (bids.hasNext())
            {
                bids.next();
            }
            final BookTopNDecoder.AsksDecoder asks = book.asks();
            final long ask = asks.hasNext() ? asks.next().price() : 0;
            if (bid > 0 && ask > 0)
            {
                bookUpdates++;
                lastMid = (bid + ask) * 0.5 * priceScale;
                sample(timeNs, bid * priceScale, ask * priceScale);
            }
        });
        while (commandIndex[0] < commands.size())
        {
            onCommand(commands.get(commandIndex[0]++));
        }
        while (executionIndex[0] < executions.size())
        {
            onExecution(executions.get(executionIndex[0]++));
        }
    }

    private void advanceTime(final long timeNs)
    {
        if (firstTimeNs == Long.MIN_VALUE)
        {
            firstTimeNs = timeNs;
        }
        else if (timeNs > lastTimeNs)
        {
            final long elapsedNs = timeNs - lastTimeNs;
            if (ourBid > 0 && ourAsk > 0)
            {
                twoSidedNs += elapsedNs;
            }
            if (ourBid > 0 || ourAsk > 0)
            {
                anySideNs += elapsedNs;
            }
        }
        lastTimeNs = Math.max(lastTimeNs, timeNs);
    }

    private void sample(final long timeNs, final double bid, final double ask)
    {
        final double pnl = pnl();
        peakPnl = Math.max(peakPnl, pnl);
        maxDrawdown = Math.max(maxDrawdown, peakPnl - pnl);
        if (timeNs == lastSampleNs && !samples.isEmpty())
        {
            samples.removeLast();
        }
        lastSampleNs = timeNs;
        samples.add(new double[] {
            (timeNs - firstTimeNs) / 1e9, bid, ask, ourBid > 0 ? ourBid * priceScale : Double.NaN,
            ourAsk > 0 ? ourAsk * priceScale : Double.NaN, position, pnl});
    }

    private double pnl()
    {
        return cash + (Double.isNaN(lastMid) ? 0 : position * lastMid) - fees;
    }

    private void onCommand(final byte[] message)
    {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(message);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        switch (header.templateId())
        {
            case ApprovedQuoteDecoder.TEMPLATE_ID ->
            {
                final ApprovedQuoteDecoder approved = new ApprovedQuoteDecoder().wrapAndApplyHeader(buffer, 0, header);
                if (approved.instrumentId() != instrument.id())
                {
                    return;
                }
                final ApprovedQuoteDecoder.BidsDecoder bids = approved.bids();
                ourBid = bids.hasNext() ? bids.next().price() : 0;
                while (bids.hasNext())
                {
                    bids.next();
                }
                final ApprovedQuoteDecoder.AsksDecoder asks = approved.asks();
                ourAsk = asks.hasNext() ? asks.next().price() : 0;
            }
            case CancelAllDecoder.TEMPLATE_ID ->
            {
                final CancelAllDecoder cancelAll = new CancelAllDecoder().wrapAndApplyHeader(buffer, 0, header);
                ourBid = 0;
                ourAsk = 0;
                riskEvents.merge("cancel-all: " + cancelAll.reason(), 1L, Long::sum);
            }
            case RiskRejectDecoder.TEMPLATE_ID ->
            {
                final RiskRejectDecoder reject = new RiskRejectDecoder().wrapAndApplyHeader(buffer, 0, header);
                riskEvents.merge((reject.approvedQty() > 0 ? "clipped: " : "rejected: ") + reject.reason(), 1L, Long::sum);
            }
            case TradingStateChangeDecoder.TEMPLATE_ID ->
            {
                final TradingStateChangeDecoder change = new TradingStateChangeDecoder().wrapAndApplyHeader(buffer, 0, header);
                final String state = String.valueOf(change.state());
                final String reason = change.reason();
                riskEvents.merge("trading state " + state, 1L, Long::sum);
                stateChanges.add(new String[] {Instant.ofEpochSecond(0, change.timeNs()).toString(), state, reason});
            }
            default ->
            {
                // step ends and parameter answers carry no risk event
            }
        }
    }

    private void onExecution(final byte[] message)
    {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(message);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        if (header.templateId() != ExecutionReportDecoder.TEMPLATE_ID)
        {
            return;
        }
        final ExecutionReportDecoder report = new ExecutionReportDecoder().wrapAndApplyHeader(buffer, 0, header);
        if (report.instrumentId() != instrument.id() || report.execType() != ExecType.TRADE)
        {
            return;
        }
        final double price = report.lastPrice() * priceScale;
        final double qty = report.lastQty() * qtyScale;
        final double fee = report.fee() * moneyScale;
        final boolean buy = report.side() == Side.BUY;
        fillCount++;
        makerFills += report.isMaker() == mm.sbe.BooleanType.TRUE ? 1 : 0;
        position += buy ? qty : -qty;
        cash += buy ? -price * qty : price * qty;
        fees += fee;
        tradedNotional += price * qty;
        if (buy)
        {
            boughtQty += qty;
        }
        else
        {
            soldQty += qty;
        }
        if (fills.size() < MAX_FILL_ROWS)
        {
            fills.add(new String[] {
                Instant.ofEpochSecond(0, report.timeNs()).toString(), String.valueOf(report.side()),
                Decimals.toString(report.lastPrice(), instrument.priceExponent()),
                Decimals.toString(report.lastQty(), instrument.qtyExponent()),
                Decimals.toString(report.fee(), instrument.moneyExponent()), String.valueOf(report.clOrdId())});
        }
    }

    private static long eventSeqOf(final byte[] message)
    {
        return mm.common.sbe.Messages.eventSeq(new org.agrona.concurrent.UnsafeBuffer(message), 0);
    }

    private static List<byte[]> readAll(final Path runDir, final String stream)
    {
        final List<byte[]> messages = new ArrayList<>();
        if (Files.isDirectory(runDir.resolve(stream)))
        {
            JournalReader.forEach(runDir, stream, (buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                messages.add(copy);
            });
        }
        return messages;
    }

    private Summary summary(final Path runDir)
    {
        final long durationNs = Math.max(0, lastTimeNs - firstTimeNs);
        return new Summary(runDir.getFileName().toString(), bookUpdates, durationNs / 1e9, fillCount, makerFills,
            boughtQty, soldQty, tradedNotional, fees, position, lastMid, pnl(), maxDrawdown,
            durationNs == 0 ? 0 : (double)twoSidedNs / durationNs, durationNs == 0 ? 0 : (double)anySideNs / durationNs,
            riskEvents);
    }

    private String json(final Summary s)
    {
        final StringBuilder json = new StringBuilder(4096).append("{\n");
        json.append("  \"format\": \"mm-backtest-report/1\",\n");
        json.append("  \"runId\": \"").append(s.runId()).append("\",\n");
        json.append("  \"instrument\": \"").append(instrument.symbol()).append("\",\n");
        number(json, "bookUpdates", s.bookUpdates());
        number(json, "durationSeconds", s.durationSeconds());
        number(json, "fills", s.fills());
        number(json, "makerFills", s.makerFills());
        number(json, "boughtQty", s.boughtQty());
        number(json, "soldQty", s.soldQty());
        number(json, "tradedNotional", s.tradedNotional());
        number(json, "fees", s.fees());
        number(json, "endPosition", s.endPosition());
        number(json, "endMid", s.endMid());
        number(json, "netPnl", s.netPnl());
        number(json, "maxDrawdown", s.maxDrawdown());
        number(json, "quoteUptimeTwoSided", s.quoteUptimeTwoSided());
        number(json, "quoteUptimeAnySide", s.quoteUptimeAnySide());
        json.append("  \"riskEvents\": {");
        String separator = "";
        for (final var entry : s.riskEvents().entrySet())
        {
            json.append(separator).append("\"").append(entry.getKey()).append("\": ").append(entry.getValue());
            separator = ", ";
        }
        json.append("},\n  \"tradingStateChanges\": [");
        separator = "";
        for (final String[] change : stateChanges)
        {
            json.append(separator).append("{\"time\": \"").append(change[0]).append("\", \"state\": \"")
                .append(change[1]).append("\", \"reason\": \"").append(escape(change[2])).append("\"}");
            separator = ", ";
        }
        json.append("],\n  \"fillsShown\": [");
        separator = "";
        for (final String[] fill : fills)
        {
            json.append(separator).append("\n    {\"time\": \"").append(fill[0]).append("\", \"side\": \"")
                .append(fill[1]).append("\", \"price\": ").append(fill[2]).append(", \"qty\": ").append(fill[3])
                .append(", \"fee\": ").append(fill[4]).append(", \"clOrdId\": ").append(fill[5]).append('}');
            separator = ",";
        }
        json.append("\n  ],\n  \"series\": {\"columns\": [\"seconds\", \"bid\", \"ask\", \"ourBid\", \"ourAsk\", " +
            "\"position\", \"netPnl\"], \"rows\": [");
        separator = "";
        for (final double[] row : downsample())
        {
            json.append(separator).append("\n    [");
            for (int i = 0; i < row.length; i++)
            {
                json.append(i == 0 ? "" : ", ").append(Double.isNaN(row[i]) ? "null" : format(row[i]));
            }
            json.append(']');
            separator = ",";
        }
        return json.append("\n  ]}\n}\n").toString();
    }

    private static void number(final StringBuilder json, final String name, final double value)
    {
        json.append("  \"").append(name).append("\": ").append(Double.isNaN(value) ? "null" : format(value)).append(",\n");
    }

    private static String format(final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return String.valueOf((long)value);
        }
        return String.format(Locale.ROOT, "%.10g", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String escape(final String text)
    {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("<", "&lt;");
    }

    private List<double[]> downsample()
    {
        if (samples.size() <= MAX_CHART_POINTS)
        {
            return samples;
        }
        final List<double[]> out = new ArrayList<>(MAX_CHART_POINTS + 1);
        final double step = (double)samples.size() / MAX_CHART_POINTS;
        for (int i = 0; i < MAX_CHART_POINTS; i++)
        {
            out.add(samples.get((int)(i * step)));
        }
        out.add(samples.getLast());
        return out;
    }

    private String html(final Summary s)
    {
        final List<double[]> rows = downsample();
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mm backtest ")
            .append(s.runId()).append("</title>\n<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}")
            .append("table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;")
            .append("text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
            .append("svg{background:#fcfcfc;border:1px solid #ddd;margin:4px 0 18px}.l{font-size:11px;fill:#555}")
            .append("</style></head><body>\n");
        html.append("<h1>Backtest ").append(s.runId()).append(" — ").append(instrument.symbol()).append("</h1>\n");
        html.append("<table><tr><th>figure</th><th>value</th></tr>");
        row(html, "book updates", String.format(Locale.ROOT, "%,d", s.bookUpdates()));
        row(html, "duration (market time)", String.format(Locale.ROOT, "%.1f s", s.durationSeconds()));
        row(html, "fills (maker)", s.fills() + " (" + s.makerFills() + ")");
        row(html, "bought / sold", format(s.boughtQty()) + " / " + format(s.soldQty()));
        row(html, "traded notional", String.format(Locale.ROOT, "%.2f", s.tradedNotional()));
        row(html, "fees", String.format(Locale.ROOT, "%.4f", s.fees()));
        row(html, "end position", format(s.endPosition()));
        row(html, "net PnL after fees (marked at mid)", String.format(Locale.ROOT, "%.4f", s.netPnl()));
        row(html, "max drawdown", String.format(Locale.ROOT, "%.4f", s.maxDrawdown()));
        row(html, "quote uptime, both sides", String.format(Locale.ROOT, "%.1f %%", 100 * s.quoteUptimeTwoSided()));
        row(html, "quote uptime, any side", String.format(Locale.ROOT, "%.1f %%", 100 * s.quoteUptimeAnySide()));
        html.append("</table>\n");
        html.append("<h2>Net PnL after fees</h2>\n");
        chart(html, "pnl", rows, new int[] {6}, new String[] {"#1565c0"});
        html.append("<h2>Inventory</h2>\n");
        chart(html, "inventory", rows, new int[] {5}, new String[] {"#6a1b9a"});
        html.append("<h2>Our best quotes against the market</h2>\n<p class=\"l\">grey: market best bid and ask; ")
            .append("green: our best bid; red: our best ask (gaps: not quoting that side)</p>\n");
        chart(html, "quotes", rows, new int[] {1, 2, 3, 4}, new String[] {"#9e9e9e", "#9e9e9e", "#2e7d32", "#c62828"});
        html.append("<h2>Risk events by reason</h2>\n<table><tr><th>event</th><th>count</th></tr>");
        if (s.riskEvents().isEmpty())
        {
            html.append("<tr><td>none</td><td>0</td></tr>");
        }
        for (final var entry : s.riskEvents().entrySet())
        {
            row(html, entry.getKey(), String.valueOf(entry.getValue()));
        }
        html.append("</table>\n<h2>Fills</h2>\n<table><tr><th>time</th><th>side</th><th>price</th><th>qty</th>")
            .append("<th>fee</th><th>clOrdId</th></tr>");
        for (final String[] fill : fills)
        {
            html.append("<tr>");
            for (final String cell : fill)
            {
                html.append("<td>").append(escape(cell)).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table>\n");
        if (s.fills() > fills.size())
        {
            html.append("<p class=\"l\">first ").append(fills.size()).append(" of ").append(s.fills()).append(" fills</p>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static void row(final StringBuilder html, final String name, final String value)
    {
        html.append("<tr><td>").append(escape(name)).append("</td><td>").append(escape(value)).append("</td></tr>");
    }

    /** An inline SVG line chart of the given columns against time, with its value range labelled. */
    private static void chart(
        final StringBuilder html, final String id, final List<double[]> rows, final int[] columns, final String[] colours)
    {
        final int width = 960;
        final int height = 220;
        final int pad = 48;
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (final double[] row : rows)
        {
            minX = Math.min(minX, row[0]);
            maxX = Math.max(maxX, row[0]);
            for (final int column : columns)
            {
                if (!Double.isNaN(row[column]))
                {
                    minY = Math.min(minY, row[column]);
                    maxY = Math.max(maxY, row[column]);
                }
            }
        }
        if (rows.isEmpty() || minY == Double.MAX_VALUE)
        {
            html.append("<p class=\"l\">no data</p>\n");
            return;
        }
        if (maxX == minX)
        {
            maxX = minX + 1;
        }
        if (maxY == minY)
        {
            maxY = minY + 1;
            minY = minY - 1;
        }
        html.append("<svg id=\"").append(id).append("\" width=\"").append(width).append("\" height=\"").append(height)
            .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">");
        html.append(String.format(Locale.ROOT, "<text class=\"l\" x=\"4\" y=\"14\">%s</text>", format(maxY)));
        html.append(String.format(Locale.ROOT, "<text class=\"l\" x=\"4\" y=\"%d\">%s</text>", height - pad + 4, format(minY)));
        html.append(String.format(Locale.ROOT, "<text class=\"l\" x=\"%d\" y=\"%d\">%.0f s</text>", width - 60, height - 6, maxX));
        html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\"/>",
            pad, height - pad, width - 8, height - pad));
        for (int c = 0; c < columns.length; c++)
        {
            final StringBuilder points = new StringBuilder();
            for (final double[] row : rows)
            {
                final double value = row[columns[c]];
                if (Double.isNaN(value))
                {
                    flush(html, points, colours[c]);
                    continue;
                }
                final double x = pad + (row[0] - minX) / (maxX - minX) * (width - pad - 8);
                final double y = 8 + (maxY - value) / (maxY - minY) * (height - pad - 8);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            flush(html, points, colours[c]);
        }
        html.append("</svg>\n");
    }

    private static void flush(final StringBuilder html, final StringBuilder points, final String colour)
    {
        if (points.length() > 0)
        {
            html.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.2\" points=\"")
                .append(points).append("\"/>");
            points.setLength(0);
        }
    }
}
