package mm.gateway.venue;

import mm.sbe.Side;
import mm.sbe.VenueRejectReason;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** Test listener: every event as one line of text, in order. */
public final class RecordingVenueListener implements VenueListener
{
    public final List<String> events = new ArrayList<>();
    public int sessionUps;
    public int sessionDowns;
    public long backOffUntilNs;
    public int backOffs;
    public int usageReports;

    @Override
    public void onSessionUp(final long timeNs)
    {
        sessionUps++;
        events.add("up");
    }

    @Override
    public void onSessionDown(final long timeNs, final boolean reconnecting)
    {
        sessionDowns++;
        events.add("down reconnecting=" + reconnecting);
    }

    @Override
    public void onAck(final long clOrdId, final long venueOrderId, final long timeNs)
    {
        events.add("ack " + clOrdId);
    }

    @Override
    public void onRejected(
        final long clOrdId, final VenueRequest request, final VenueRejectReason reason, final int venueCode, final long timeNs)
    {
        events.add("rejected " + clOrdId + " " + request + " " + reason + " " + venueCode);
    }

    @Override
    public void onCanceled(final long clOrdId, final long leavesQty, final long timeNs)
    {
        events.add("canceled " + clOrdId + " leaves=" + leavesQty);
    }

    @Override
    public void onFill(
        final long clOrdId, final long tradeId, final long lastPrice, final long lastQty, final long leavesQty,
        final long cumQty, final long fee, final boolean isMaker, final long timeNs)
    {
        events.add("fill " + clOrdId + " " + lastQty + "@" + lastPrice + " leaves=" + leavesQty + " cum=" + cumQty +
            " fee=" + fee + " maker=" + isMaker + " trade=" + tradeId);
    }

    @Override
    public void onAmended(final long clOrdId, final long price, final long qty, final long leavesQty, final long timeNs)
    {
        events.add("amended " + clOrdId + " " + qty + "@" + price + " leaves=" + leavesQty);
    }

    @Override
    public void onOrderStatus(
        final int instrumentId, final long clOrdId, final long venueOrderId, final Side side, final long price,
        final long qty, final long cumQty, final long cumFee, final OrderStatus status, final long timeNs)
    {
        events.add("status " + clOrdId + " " + side + " " + qty + "@" + price + " cum=" + cumQty + " fee=" + cumFee +
            " " + status);
    }

    @Override
    public void onOpenOrdersEnd(final int instrumentId, final int count, final long timeNs)
    {
        events.add("open orders " + count);
    }

    @Override
    public void onRateLimitUsage(
        final LimitKind kind, final long intervalNs, final long used, final long limit, final long timeNs)
    {
        usageReports++;
    }

    @Override
    public void onBackOff(final int httpStatus, final long untilNs, final long timeNs)
    {
        backOffs++;
        backOffUntilNs = untilNs;
        events.add("backoff " + httpStatus);
    }

    public boolean has(final String event)
    {
        return events.contains(event);
    }

    public long count(final String prefix)
    {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }

    /**
     * Drives {@code entry.doWork} with the clock until {@code condition} holds or 10 s pass (system tests talk to
     * real sockets, so answers take real time).
     */
    public static void await(
        final OrderEntry entry, final LongSupplier clockNs, final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (entry.doWork(clockNs.getAsLong()) == 0)
            {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }
}
