package mm.risk;

import mm.common.testing.Allocations;
import mm.common.Instrument;
import mm.common.testing.TestInstruments;
import mm.sbe.BookTopNDecoder;
import mm.sbe.BookTopNEncoder;
import mm.sbe.ExecType;
import mm.sbe.ExecutionReportDecoder;
import mm.sbe.ExecutionReportEncoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.QuoteIntentDecoder;
import mm.sbe.QuoteIntentEncoder;
import mm.sbe.Side;
import mm.sbe.TradingState;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The risk guard's steady state allocates nothing: books (marks, PnL, triggers evaluated), quote intents that
 * pass, clip and reject (RiskRejects and ApprovedQuotes encoded), and fills booked with the Binance fee model,
 * on the decoding thread, after warm-up. Least of three measured runs: a per-message allocation shows in every
 * run, a one-off of the JVM does not.
 */
class RiskAllocationTest
{
    private static final int TRIALS = 5;
    private static final int ROUNDS = 20_000;
    private static final int MESSAGES = 64;
    private static final Instrument BTC = TestInstruments.BTCUSDT;

    private final UnsafeBuffer books = new UnsafeBuffer(new byte[MESSAGES * 256]);
    private final UnsafeBuffer intents = new UnsafeBuffer(new byte[MESSAGES * 512]);
    private final UnsafeBuffer fills = new UnsafeBuffer(new byte[MESSAGES * 256]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BookTopNDecoder book = new BookTopNDecoder();
    private final QuoteIntentDecoder intent = new QuoteIntentDecoder();
    private final ExecutionReportDecoder fill = new ExecutionReportDecoder();
    private long bytesSent;
    private long timeNs = 1_000_000_000L;
    private long seq;



    @Test
    void booksIntentsAndFillsAllocateNothingAfterWarmUp()
    {
        final RiskContext context = RiskHarness.context(List.of(BTC),
            "risk.fees.model", "binance", "risk.mode", "clip", "risk.maxOrderQty", "0.0025",
            "risk.orderRatePerSecond", "1000000", "risk.orderRateBurst", "1000000",
            "risk.maxDailyLoss", "0", "risk.maxDrawdown", "0", "risk.maxConsecutiveLosses", "0");
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(256 * 1024)));
        final RiskGuard guard = new RiskGuard(context, (buffer, offset, length) -> bytesSent += length,
            (agent, name) -> counters.newCounter(agent + ": " + name), null);
        encode();

        // warm up until the JIT has settled: on a loaded 2-core machine one pass left a recompilation inside
        // every measured run
        for (int i = 0; i < 5 * ROUNDS; i++)
        {
            round(guard, i);
        }
        long allocated = Long.MAX_VALUE;
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final long before = Allocations.allocatedBytes();
            for (int i = 0; i < ROUNDS; i++)
            {
                round(guard, i);
            }
            allocated = Math.min(allocated, Allocations.allocatedBytes() - before - Allocations.MEASUREMENT_OVERHEAD_BYTES);
        }
        System.out.println("risk guard: " + ROUNDS + " books + intents + fills per run, least of " + TRIALS + " runs: " +
            allocated + " bytes allocated");
        assertEquals(TradingState.ACTIVE, guard.tradingState());
        assertTrue(bytesSent > 0);
        assertTrue(guard.position(BTC.id()).fillCount() > ROUNDS, "fills were booked");
        assertTrue(guard.events.count() > ROUNDS, "clips and rejects were part of it");
        assertEquals(0, allocated, "the steady state allocated " + allocated + " bytes");
    }

    private void round(final RiskGuard guard, final int i)
    {
        final int m = i % MESSAGES;
        timeNs += 1_000_000;
        seq++;
        books.putLong(m * 256 + MessageHeaderEncoder.ENCODED_LENGTH + BookTopNEncoder.receiveTimeNsEncodingOffset(), timeNs);
        book.wrapAndApplyHeader(books, m * 256, header);
        guard.onMarketDataTime(seq, book.receiveTimeNs());
        guard.onBook(book);
        guard.evaluate();

        intents.putLong(m * 512 + MessageHeaderEncoder.ENCODED_LENGTH + QuoteIntentEncoder.timeNsEncodingOffset(), timeNs);
        intent.wrapAndApplyHeader(intents, m * 512, header);
        guard.onIntent(intent);

        fills.putLong(m * 256 + MessageHeaderEncoder.ENCODED_LENGTH + ExecutionReportEncoder.timeNsEncodingOffset(), timeNs);
        fill.wrapAndApplyHeader(fills, m * 256, header);
        guard.onExecution(fill);
    }

    /** Mids walk around 50000.00; intents quote 2 levels a side around them, some over the 0.0025 order size. */
    private void encode()
    {
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        for (int m = 0; m < MESSAGES; m++)
        {
            final long mid = 5_000_000 + (m % 16) * 100 - 800;
            final BookTopNEncoder bookEncoder = new BookTopNEncoder().wrapAndApplyHeader(books, m * 256, headerEncoder)
                .eventSeq(m).instrumentId(BTC.id()).exchangeTimeNs(0).receiveTimeNs(0).firstUpdateId(m).lastUpdateId(m)
                .priceExponent((byte)-2).qtyExponent((byte)-5);
            bookEncoder.bidsCount(1).next().price(mid - 1).qty(100);
            bookEncoder.asksCount(1).next().price(mid + 1).qty(100);

            final long qty = m % 8 == 0 ? 300 : 100 + m % 3;
            final QuoteIntentEncoder intentEncoder = new QuoteIntentEncoder().wrapAndApplyHeader(intents, m * 512, headerEncoder)
                .eventSeq(m).instrumentId(BTC.id()).timeNs(0).intentSeq(m).fairPrice(mid);
            final QuoteIntentEncoder.BidsEncoder bids = intentEncoder.bidsCount(2);
            bids.next().price(mid - 200).qty(qty);
            bids.next().price(m % 5 == 0 ? mid / 2 : mid - 300).qty(qty); // a fat finger now and then
            final QuoteIntentEncoder.AsksEncoder asks = intentEncoder.asksCount(2);
            asks.next().price(mid + 200).qty(qty);
            asks.next().price(mid + 300).qty(qty);

            new ExecutionReportEncoder().wrapAndApplyHeader(fills, m * 256, headerEncoder)
                .eventSeq(m).instrumentId(BTC.id()).timeNs(0).clOrdId(m + 1).execType(ExecType.TRADE)
                .side(m % 2 == 0 ? Side.BUY : Side.SELL).price(mid - 200).orderQty(100).lastPrice(mid + (m % 2 == 0 ? -200 : 200))
                .lastQty(50).leavesQty(m % 4 == 0 ? 0 : 50).cumQty(50).fee(0).tradeId(m)
                .rejectReason(mm.sbe.VenueRejectReason.NONE).isMaker(m % 3 == 0 ? mm.sbe.BooleanType.FALSE : mm.sbe.BooleanType.TRUE);
        }
    }
}
