package mm.feed.binance;

import mm.common.Decimals;
import mm.feed.binance.sbe.BinanceSbeAdapter;
import mm.feed.binance.sbe.SbeRecording;
import mm.sbe.FeedState;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Engine of {@code ./mm inspect book FILE...}: replays hftbacktest recordings in order through {@link BookSync}
 * (exponents derived from the snapshot text) and prints one JSON line per applied diff with the best bid and
 * ask, then one summary line. Output is exact decimal text. Not a hot path: it allocates freely.
 * <p>
 * SBE recordings ({@link SbeRecording}) are accepted too, line by line: a payload made only of hex digits is
 * an SBE frame and goes through {@link BinanceSbeAdapter}, anything else is JSON. A recording converted to SBE
 * prints exactly what its JSON original prints; bad frames are counted in the summary's {@code malformed}
 * (truncated or malformed), {@code unknownMessages} (other schema or template) and {@code ignoredMessages}
 * (depth20 snapshots).
 * <p>
 * Exit codes: 0 when the book synced and the bookTicker cross-check found no mismatch, 1 when it never
 * synced or a mismatch was found (the summary says which), 2 on bad arguments or unreadable files.
 */
public final class InspectBook
{
    private InspectBook()
    {
    }

    /** Runs with errors reported on {@code System.err}. */
    public static int run(final List<Path> files, final PrintStream out)
    {
        return run(files, out, System.err);
    }

    public static int run(final List<Path> files, final PrintStream out, final PrintStream err)
    {
        if (files.isEmpty())
        {
            err.println("usage: mm inspect book FILE... (hftbacktest recordings, replayed in order)");
            return 2;
        }
        for (final Path file : files)
        {
            if (!Files.isReadable(file))
            {
                err.println("cannot read " + file);
                return 2;
            }
        }

        final Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        final Printer printer = new Printer(writer);
        final BookSync sync = BookSync.withDerivedExponents(printer);
        printer.sync = sync;
        final BinanceSbeAdapter sbe = new BinanceSbeAdapter(sync);
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(4096);
        try (RecordingReader reader = new RecordingReader(files))
        {
            while (reader.next())
            {
                final DirectBuffer line = reader.buffer();
                final int frameLength =
                    SbeRecording.decodeHex(line, reader.jsonOffset(), reader.jsonLength(), frame, 0);
                if (frameLength >= 0)
                {
                    sbe.onFrame(frame, 0, frameLength, reader.receiveTimeNs());
                }
                else
                {
                    sync.onLine(line, reader.jsonOffset(), reader.jsonLength(), reader.receiveTimeNs());
                }
                if (printer.failure != null)
                {
                    throw printer.failure;
                }
            }
            writer.write(summary(sync, sbe, reader));
            writer.write('\n');
            writer.flush();
        }
        catch (final IOException | UncheckedIOException ex)
        {
            try
            {
                writer.flush();
            }
            catch (final IOException ignored)
            {
                // the original error is the one worth reporting
            }
            err.println("inspect book failed: " + ex.getMessage());
            return 2;
        }
        final boolean ok = sync.everSynced() && sync.bookTickerMismatches() == 0;
        return ok ? 0 : 1;
    }

    private static String summary(final BookSync sync, final BinanceSbeAdapter sbe, final RecordingReader reader)
    {
        final OrderBook book = sync.book();
        final int pe = sync.priceExponent();
        final int qe = sync.qtyExponent();
        final StringBuilder sb = new StringBuilder(512);
        sb.append("{\"symbol\":");
        if (sync.symbol() == null)
        {
            sb.append("null");
        }
        else
        {
            sb.append('"').append(sync.symbol()).append('"');
        }
        sb.append(",\"state\":\"").append(sync.state().name()).append('"')
            .append(",\"lastUpdateId\":").append(sync.lastUpdateId())
            .append(",\"diffsApplied\":").append(sync.diffsApplied())
            .append(",\"gaps\":").append(sync.gaps())
            .append(",\"bidLevels\":").append(book.bidLevels())
            .append(",\"askLevels\":").append(book.askLevels())
            .append(",\"bestBid\":");
        level(sb, book.bestBidPrice(), book.bestBidQty(), pe, qe);
        sb.append(",\"bestAsk\":");
        level(sb, book.bestAskPrice(), book.bestAskQty(), pe, qe);
        sb.append(",\"bookTickerChecks\":").append(sync.bookTickerChecks())
            .append(",\"bookTickerMismatches\":").append(sync.bookTickerMismatches())
            .append(",\"priceExponent\":").append(pe)
            .append(",\"qtyExponent\":").append(qe)
            .append(",\"lines\":").append(reader.linesRead()) // every line went to the sync or the SBE adapter
            .append(",\"snapshots\":").append(sync.snapshots())
            .append(",\"snapshotsUnusable\":").append(sync.snapshotsUnusable())
            .append(",\"diffsBuffered\":").append(sync.diffsBuffered())
            .append(",\"diffsDroppedStale\":").append(sync.diffsDroppedStale())
            .append(",\"resyncs\":").append(sync.resyncs())
            .append(",\"trades\":").append(sync.trades())
            .append(",\"bookTickers\":").append(sync.bookTickers())
            .append(",\"malformed\":").append(sync.malformed() + sbe.truncatedFrames() + sbe.malformedFrames())
            .append(",\"unknownMessages\":")
            .append(sync.unknownMessages() + sbe.wrongSchemaFrames() + sbe.unknownTemplateFrames())
            .append(",\"ignoredMessages\":").append(sync.ignoredMessages() + sbe.depthSnapshots())
            .append(",\"rejectedValues\":").append(sync.rejectedValues())
            .append(",\"crossedBooks\":").append(sync.crossedBooks())
            .append(",\"skippedLines\":").append(reader.skippedLines());
        final int details = (int)Math.min(sync.bookTickerMismatches(), BookTickerOracle.MAX_MISMATCH_DETAILS);
        if (details > 0)
        {
            sb.append(",\"firstMismatches\":[");
            for (int i = 0; i < details; i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                sb.append('"').append(sync.oracle().mismatchDescription(i, pe, qe)).append('"');
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    private static void level(final StringBuilder sb, final long price, final long qty, final int pe, final int qe)
    {
        if (price == OrderBook.NO_PRICE)
        {
            sb.append("null");
            return;
        }
        sb.append("{\"price\":\"");
        Decimals.append(sb, price, pe).append("\",\"qty\":\"");
        Decimals.append(sb, qty, qe).append("\"}");
    }

    private static void decimalOrNull(final StringBuilder sb, final long mantissa, final int exponent)
    {
        if (mantissa == OrderBook.NO_PRICE)
        {
            sb.append("null");
        }
        else
        {
            sb.append('"');
            Decimals.append(sb, mantissa, exponent).append('"');
        }
    }

    /** Prints a line per applied diff; the snapshot's own onBook (same diff count) is not a diff. */
    private static final class Printer implements BookSyncListener
    {
        private final Writer writer;
        private final StringBuilder sb = new StringBuilder(256);
        private BookSync sync;
        private long printedDiffs;
        private IOException failure;

        Printer(final Writer writer)
        {
            this.writer = writer;
        }

        @Override
        public void onBook(
            final OrderBook book, final long firstUpdateId, final long lastUpdateId,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
            if (sync.diffsApplied() == printedDiffs || failure != null)
            {
                return;
            }
            printedDiffs = sync.diffsApplied();
            final int pe = book.priceExponent();
            final int qe = book.qtyExponent();
            final StringBuilder sb = this.sb;
            sb.setLength(0);
            sb.append("{\"u\":").append(lastUpdateId).append(",\"bestBid\":");
            decimalOrNull(sb, book.bestBidPrice(), pe);
            sb.append(",\"bestBidQty\":");
            decimalOrNull(sb, book.bestBidPrice() == OrderBook.NO_PRICE ? OrderBook.NO_PRICE : book.bestBidQty(), qe);
            sb.append(",\"bestAsk\":");
            decimalOrNull(sb, book.bestAskPrice(), pe);
            sb.append(",\"bestAskQty\":");
            decimalOrNull(sb, book.bestAskPrice() == OrderBook.NO_PRICE ? OrderBook.NO_PRICE : book.bestAskQty(), qe);
            sb.append("}\n");
            try
            {
                writer.append(sb);
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
        }

        @Override
        public void onTrade(
            final long tradeId, final long price, final long qty, final boolean buyerIsMaker,
            final long exchangeTimeNs, final long receiveTimeNs)
        {
        }

        @Override
        public void onFeedState(final FeedState state, final long lastUpdateId, final long receiveTimeNs)
        {
        }
    }
}
