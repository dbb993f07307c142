package mm.ops;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.sbe.FeedState;
import org.agrona.concurrent.status.CountersReader;

/**
 * The demo's live one-line status and its end-of-run summary, read from engine counters.
 */
final class StatusLine
{
    private final CounterView counters;
    private final Instrument instrument;

    StatusLine(final CountersReader reader, final Instrument instrument)
    {
        this.counters = new CounterView(reader);
        this.instrument = instrument;
    }

    String line()
    {
        final String risk = "risk " + instrument.symbol() + ": ";
        final long state = counters.value("feed-binance: book state", -1);
        return String.format(
            "events %,d | book %s | bid %s ask %s | quotes %d working | orders %,d new %,d cancel | fills %,d | " +
                "position %s | pnl %s",
            counters.value("feed-binance: events published", 0),
            state < 0 ? "-" : FeedState.get((short)state).name(),
            price(counters.value("feed-binance: best bid", 0)),
            price(counters.value("feed-binance: best ask", 0)),
            counters.value("gateway: working orders", 0),
            counters.value("gateway: new orders", 0),
            counters.value("gateway: cancels", 0),
            counters.value("gateway: fills", 0),
            Decimals.toString(counters.value(risk + "position", 0), instrument.qtyExponent()),
            Decimals.toString(counters.value(risk + "net pnl", 0), instrument.moneyExponent()));
    }

    String summary()
    {
        final String risk = "risk " + instrument.symbol() + ": ";
        return String.join(System.lineSeparator(),
            "summary for " + instrument.symbol() + " (" + instrument.venue() + ")",
            String.format("  market data : %,d events published, %,d diffs applied, %,d gaps, bookTicker %,d checks / %,d mismatches",
                counters.value("feed-binance: events published", 0),
                counters.value("feed-binance: diffs applied", 0),
                counters.value("feed-binance: gaps", 0),
                counters.value("feed-binance: bookTicker checks", 0),
                counters.value("feed-binance: bookTicker mismatches", 0)),
            String.format("  quoting     : %,d quote intents", counters.value("quoting: quote intents sent", 0)),
            String.format("  risk        : %,d approved, %,d levels rejected, %,d clipped, %,d fills, state %s, %,d post-mortems",
                counters.value("risk: approved quotes", 0),
                counters.value("risk: rejected levels", 0),
                counters.value("risk: clipped levels", 0),
                counters.value("risk: fills", 0),
                tradingState(counters.value("risk: trading state", -1)),
                counters.value("risk: post-mortems", 0)),
            String.format("  gateway     : %,d venue actions (%,d new, %,d cancel, %,d cancel-replace, %,d amend), " +
                    "%,d fills, %,d venue rejects, %,d throttled, %,d states skipped, %,d reconcile differences",
                counters.value("gateway: venue actions", 0),
                counters.value("gateway: new orders", 0),
                counters.value("gateway: cancels", 0),
                counters.value("gateway: cancel-replaces", 0),
                counters.value("gateway: amends", 0),
                counters.value("gateway: fills", 0),
                counters.value("gateway: venue rejects", 0),
                counters.value("gateway: requests throttled", 0),
                counters.value("gateway: desired states skipped", 0),
                counters.value("gateway: reconcile differences", 0)),
            "  position    : " + Decimals.toString(counters.value(risk + "position", 0), instrument.qtyExponent()),
            "  fees        : " + Decimals.toString(counters.value(risk + "fees", 0), instrument.moneyExponent()),
            "  net pnl     : " + Decimals.toString(counters.value(risk + "net pnl", 0), instrument.moneyExponent()) +
                " (realized + unrealized at mid, after fees)");
    }

    private static String tradingState(final long value)
    {
        return value < 0 ? "-" : mm.sbe.TradingState.get((short)value).name();
    }

    private String price(final long mantissa)
    {
        return mantissa == 0 ? "-" : Decimals.toString(mantissa, instrument.priceExponent());
    }
}
