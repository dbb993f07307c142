package mm.risk;

import mm.common.Decimals;
import mm.common.Instrument;
import mm.sbe.RiskReason;
import mm.sbe.TradingState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The post-mortem of a halt: one JSON file with the trigger (reason, value, threshold), the account, every
 * watched instrument's position, PnL and book, the open orders (as the venue reported them) and the approved
 * quotes, the last fills and the recent risk events. Money and quantities are exact decimal strings; times
 * are epoch nanoseconds from the inputs. The text is built on the agent thread (a rare event; it does not
 * touch any journaled output) and written by a {@link Sink}, by default on a background thread.
 */
public final class PostMortem
{
    /** Where a post-mortem's text goes. */
    @FunctionalInterface
    public interface Sink
    {
        void write(Path dir, String fileName, String json);
    }

    /** Writes on the calling thread: for tests and tools. */
    public static final Sink SYNCHRONOUS = PostMortem::writeFile;

    private PostMortem()
    {
    }

    /** Writes {@code json} to {@code dir/fileName} through a temporary file, so a reader never sees half a file. */
    public static void writeFile(final Path dir, final String fileName, final String json)
    {
        try
        {
            Files.createDirectories(dir);
            final Path tmp = dir.resolve(fileName + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write post-mortem " + dir.resolve(fileName), ex);
        }
    }

    /**
     * Writes post-mortems on its own daemon thread so that the agent's duty cycle never waits for a disk.
     * A failed write is counted and reported once on standard error; it never reaches the agent.
     */
    public static final class AsyncWriter implements Sink, AutoCloseable
    {
        private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        private final AtomicLong pending = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final Thread thread;
        private volatile boolean closed;

        public AsyncWriter()
        {
            thread = new Thread(this::run, "risk-post-mortem");
            thread.setDaemon(true);
            thread.start();
        }

        public void write(final Path dir, final String fileName, final String json)
        {
            pending.incrementAndGet();
            queue.add(() ->
            {
                try
                {
                    writeFile(dir, fileName, json);
                }
                catch (final RuntimeException ex)
                {
                    if (failures.getAndIncrement() == 0)
                    {
                        System.err.println("mm: risk: " + ex.getMessage());
                    }
                }
                finally
                {
                    pending.decrementAndGet();
                }
            });
        }

        /** Waits until every post-mortem handed over so far is written (or failed); false on timeout. */
        public boolean awaitIdle(final long timeoutMs) throws InterruptedException
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (pending.get() > 0)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    return false;
                }
                Thread.sleep(1);
            }
            return true;
        }

        public long failures()
        {
            return failures.get();
        }

        /** Writes what is queued, then stops the thread. */
        public void close()
        {
            closed = true;
            thread.interrupt();
            try
            {
                thread.join(10_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        private void run()
        {
            while (true)
            {
                final Runnable task;
                try
                {
                    task = closed ? queue.poll() : queue.take();
                }
                catch (final InterruptedException ex)
                {
                    if (closed)
                    {
                        continue;
                    }
                    return;
                }
                if (task == null)
                {
                    return;
                }
                task.run();
            }
        }
    }

    /** The post-mortem's JSON text. */
    static String json(
        final RiskGuard guard,
        final TradingState before,
        final RiskReason reason,
        final long value,
        final long limit,
        final int exponent,
        final InstrumentRisk trigger)
    {
        final Json out = new Json();
        out.open();
        out.field("trigger", reason.name());
        out.decimal("value", value, exponent);
        out.decimal("threshold", limit, exponent);
        out.field("units", units(reason, trigger));
        if (trigger != null)
        {
            out.field("instrument", trigger.instrument.symbol());
        }
        out.field("stateBefore", before.name());
        out.field("state", guard.state.name());
        out.number("eventSeq", guard.currentSeq);
        out.number("timeNs", guard.nowNs);
        out.number("killsToday", guard.killsToday);
        out.number("limitPercent", guard.limitPercent);

        out.object("account");
        out.decimal("capital", guard.capital, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("equity", guard.equity, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("highWaterMark", guard.highWaterMark, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("dayStartEquity", guard.dayStartEquity, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("dailyPnl", guard.equity - guard.dayStartEquity, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("drawdown", guard.highWaterMark - guard.equity, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("netPnl", guard.totalNet, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("fees", guard.totalFees, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("grossPositionNotional", guard.grossPositionNotional, RiskContext.ACCOUNT_EXPONENT);
        out.decimal("grossWorstCaseNotional", guard.grossWorstCase, RiskContext.ACCOUNT_EXPONENT);
        final long marginBps = guard.marginUtilisationBps();
        if (marginBps == Long.MAX_VALUE)
        {
            out.field("marginUtilisationPercent", "unbounded");
        }
        else
        {
            out.decimal("marginUtilisationPercent", marginBps, -2);
        }
        out.number("consecutiveLosses", guard.consecutiveLosses);
        out.close();

        out.array("positions");
        for (int i = 0; i < guard.watchedCount; i++)
        {
            final InstrumentRisk risk = guard.watched[i];
            final Instrument instrument = risk.instrument;
            final PositionKeeper keeper = risk.keeper;
            final int money = instrument.moneyExponent();
            out.open();
            out.number("instrumentId", instrument.id());
            out.field("symbol", instrument.symbol());
            out.field("kind", instrument.kind().name());
            out.decimal("position", keeper.position(), instrument.qtyExponent());
            out.decimal("averagePrice", keeper.averagePrice(), instrument.priceExponent());
            out.decimal("markPrice", keeper.markPrice(), instrument.priceExponent());
            out.decimal("realizedPnl", keeper.realizedPnl(), money);
            out.decimal("unrealizedPnl", keeper.unrealizedPnl(), money);
            out.decimal("fees", keeper.fees(), money);
            out.decimal("netPnl", keeper.netPnl(), money);
            out.number("fills", keeper.fillCount());
            out.bool("killed", risk.killed);
            out.close();
        }
        out.closeArray();

        out.array("openOrders");
        final OpenOrders orders = guard.openOrders;
        for (int slot = 0; slot < OpenOrders.CAPACITY; slot++)
        {
            if (!orders.used[slot])
            {
                continue;
            }
            final InstrumentRisk risk = guard.instrument(orders.instrumentId[slot]);
            out.open();
            out.number("clOrdId", orders.clOrdId[slot]);
            out.number("instrumentId", orders.instrumentId[slot]);
            out.field("side", orders.buy[slot] ? "BUY" : "SELL");
            out.decimal("price", orders.price[slot], risk.instrument.priceExponent());
            out.decimal("leavesQty", orders.leavesQty[slot], risk.instrument.qtyExponent());
            out.close();
        }
        out.closeArray();
        out.number("openOrdersNotListed", orders.overflowCount());

        out.array("approvedQuotesBeforeHalt");
        for (int i = 0; i < guard.watchedCount; i++)
        {
            final InstrumentRisk risk = guard.watched[i];
            out.open();
            out.number("instrumentId", risk.instrument.id());
            out.number("intentSeq", risk.approvedIntentSeq);
            out.number("eventSeq", risk.approvedEventSeq);
            for (int side = 0; side < 2; side++)
            {
                out.array(side == 0 ? "bids" : "asks");
                for (int level = 0; level < risk.approvedCountsBeforeHalt[side]; level++)
                {
                    out.open();
                    final int at = InstrumentRisk.at(side, level);
                    out.decimal("price", risk.approvedLevels[at], risk.instrument.priceExponent());
                    out.decimal("qty", risk.approvedLevels[at + 1], risk.instrument.qtyExponent());
                    out.close();
                }
                out.closeArray();
            }
            out.close();
        }
        out.closeArray();

        out.array("lastFills");
        final FillLog fills = guard.fills;
        for (int n = 0; n < fills.retained(); n++)
        {
            final int i = fills.index(n);
            final Instrument instrument = guard.instrument(fills.instrumentId[i]).instrument;
            out.open();
            out.number("timeNs", fills.timeNs[i]);
            out.number("eventSeq", fills.eventSeq[i]);
            out.number("instrumentId", fills.instrumentId[i]);
            out.number("clOrdId", fills.clOrdId[i]);
            out.field("side", fills.buy[i] ? "BUY" : "SELL");
            out.decimal("price", fills.price[i], instrument.priceExponent());
            out.decimal("qty", fills.qty[i], instrument.qtyExponent());
            out.decimal("fee", fills.fee[i], instrument.moneyExponent());
            out.decimal("realizedPnl", fills.realizedPnl[i], instrument.moneyExponent());
            out.close();
        }
        out.closeArray();

        out.array("books");
        for (int i = 0; i < guard.watchedCount; i++)
        {
            final InstrumentRisk risk = guard.watched[i];
            final Instrument instrument = risk.instrument;
            out.open();
            out.number("instrumentId", instrument.id());
            out.field("symbol", instrument.symbol());
            out.decimal("bestBid", risk.bestBid, instrument.priceExponent());
            out.decimal("bestBidQty", risk.bestBidQty, instrument.qtyExponent());
            out.decimal("bestAsk", risk.bestAsk, instrument.priceExponent());
            out.decimal("bestAskQty", risk.bestAskQty, instrument.qtyExponent());
            out.decimal("mid", risk.bookMid, instrument.priceExponent());
            out.field("feedState", risk.feedState.name());
            out.number("notSyncedSinceNs", risk.notSyncedSinceNs);
            out.number("lastMarketDataNs", risk.lastMarketDataNs);
            out.close();
        }
        out.closeArray();

        out.array("recentEvents");
        final RiskEvents events = guard.events;
        for (int n = 0; n < events.retained(); n++)
        {
            final int i = events.index(n);
            out.open();
            out.number("timeNs", events.timeNs[i]);
            out.number("eventSeq", events.eventSeq[i]);
            out.field("kind", RiskEvents.kind(events.kind[i]).name());
            out.field("reason", RiskReason.get(events.reason[i]).name());
            out.number("instrumentId", events.instrumentId[i]);
            out.number("value", events.value[i]);
            out.number("limit", events.limit[i]);
            out.close();
        }
        out.closeArray();
        out.close();
        return out.toString();
    }

    private static String units(final RiskReason reason, final InstrumentRisk instrument)
    {
        return switch (reason)
        {
            case DAILY_LOSS, DRAWDOWN -> "account money (loss from the day's start / from the peak)";
            case POSITION_RUNAWAY -> "absolute position of " + instrument.instrument.symbol();
            case STALE_MARKET_DATA, FEED_RESYNCING -> "milliseconds";
            case REJECT_STORM, ORDER_RATE_BREACH -> "rejects within the window";
            case CONSECUTIVE_LOSSES -> "losing closing fills in a row";
            case MARGIN -> "percent of equity";
            default -> "";
        };
    }

    /** A small JSON writer: objects and arrays, string values escaped, numbers and exact decimals. */
    private static final class Json
    {
        private final StringBuilder sb = new StringBuilder(8192);
        private boolean first = true;
        private int depth;

        void open()
        {
            separator();
            sb.append('{');
            depth++;
            first = true;
        }

        void close()
        {
            depth--;
            newline();
            sb.append('}');
            first = false;
        }

        void object(final String name)
        {
            key(name);
            sb.append('{');
            depth++;
            first = true;
        }

        void array(final String name)
        {
            key(name);
            sb.append('[');
            depth++;
            first = true;
        }

        void closeArray()
        {
            depth--;
            newline();
            sb.append(']');
            first = false;
        }

        void field(final String name, final String value)
        {
            key(name);
            string(value);
        }

        void bool(final String name, final boolean value)
        {
            key(name);
            sb.append(value);
        }

        void number(final String name, final long value)
        {
            key(name);
            sb.append(value);
        }

        void decimal(final String name, final long mantissa, final int exponent)
        {
            key(name);
            sb.append('"');
            if (mantissa == Decimals.INVALID)
            {
                sb.append("invalid");
            }
            else if (exponent < -Decimals.MAX_SCALE)
            {
                sb.append(mantissa).append('e').append(exponent);
            }
            else
            {
                Decimals.append(sb, mantissa, exponent);
            }
            sb.append('"');
        }

        private void key(final String name)
        {
            separator();
            string(name);
            sb.append(": ");
        }

        private void separator()
        {
            if (!first)
            {
                sb.append(',');
            }
            if (depth > 0)
            {
                newline();
            }
            first = false;
        }

        private void newline()
        {
            sb.append('\n');
            for (int i = 0; i < depth; i++)
            {
                sb.append("  ");
            }
        }

        private void string(final String value)
        {
            sb.append('"');
            for (int i = 0; i < value.length(); i++)
            {
                final char c = value.charAt(i);
                switch (c)
                {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default ->
                    {
                        if (c < 0x20)
                        {
                            sb.append(String.format("\\u%04x", (int)c));
                        }
                        else
                        {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }

        @Override
        public String toString()
        {
            return sb.append('\n').toString();
        }
    }
}
