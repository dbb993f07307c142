package mm.perf;

import mm.common.Instrument;
import mm.gateway.venue.LimitKind;
import mm.gateway.venue.OrderEntry;
import mm.gateway.venue.SubmitResult;
import mm.gateway.venue.VenueLimit;
import mm.gateway.venue.VenueListener;
import mm.gateway.venue.VenueThrottle;
import mm.sbe.Side;

import java.util.List;

/**
 * A venue that accepts every request and answers it at the first {@link #doWork} with a later time (as a real
 * venue's answer arrives after the request, never within the same input), with no matching, queue or
 * latency model: what is left of {@code GatewayBenchmark} with it is the gateway's own work (decode, diff,
 * throttle, state machine, encode and publish), apart from the simulated venue's. Answers wait in preallocated
 * arrays; nothing allocates after construction.
 */
final class InstantVenue implements OrderEntry
{
    private static final byte ACK = 0;
    private static final byte CANCELED = 1;
    private static final byte AMENDED = 2;
    private static final int CAPACITY = 1024;

    private final VenueListener listener;
    private final VenueThrottle throttle = new VenueThrottle(List.of(
        new VenueLimit(LimitKind.ORDERS, 10 * VenueLimit.SECOND_NS, 1_000_000_000L),
        new VenueLimit(LimitKind.REQUEST_WEIGHT, VenueLimit.MINUTE_NS, 1_000_000_000L)), 0);
    private final byte[] kinds = new byte[CAPACITY];
    private final long[] clOrdIds = new long[CAPACITY];
    private final long[] prices = new long[CAPACITY];
    private final long[] qtys = new long[CAPACITY];
    private final long[] requestNs = new long[CAPACITY];
    private int count;
    private long nextVenueId = 1;
    private boolean connectPending;
    private boolean sessionUp;
    private int openOrdersRequestedFor = -1;

    InstantVenue(final VenueListener listener)
    {
        this.listener = listener;
    }

    public void connect(final long nowNs)
    {
        connectPending = true;
    }

    public boolean isSessionUp()
    {
        return sessionUp;
    }

    public int doWork(final long nowNs)
    {
        int work = 0;
        if (connectPending)
        {
            connectPending = false;
            sessionUp = true;
            listener.onSessionUp(nowNs);
            work++;
        }
        if (openOrdersRequestedFor >= 0)
        {
            final int instrumentId = openOrdersRequestedFor;
            openOrdersRequestedFor = -1;
            listener.onOpenOrdersEnd(instrumentId, 0, nowNs);
            work++;
        }
        int due = 0;
        while (due < count && requestNs[due] < nowNs)
        {
            due++;
        }
        for (int i = 0; i < due; i++)
        {
            switch (kinds[i])
            {
                case ACK -> listener.onAck(clOrdIds[i], nextVenueId++, nowNs);
                case CANCELED -> listener.onCanceled(clOrdIds[i], qtys[i], nowNs);
                default -> listener.onAmended(clOrdIds[i], prices[i], qtys[i], qtys[i], nowNs);
            }
        }
        if (due > 0)
        {
            System.arraycopy(kinds, due, kinds, 0, count - due);
            System.arraycopy(clOrdIds, due, clOrdIds, 0, count - due);
            System.arraycopy(prices, due, prices, 0, count - due);
            System.arraycopy(qtys, due, qtys, 0, count - due);
            System.arraycopy(requestNs, due, requestNs, 0, count - due);
            count -= due;
        }
        return work + due;
    }

    public SubmitResult place(
        final long nowNs, final Instrument instrument, final long clOrdId, final Side side, final long price,
        final long qty, final boolean postOnly)
    {
        return queue(nowNs, 1, 1, ACK, clOrdId, price, qty);
    }

    public SubmitResult cancel(final long nowNs, final Instrument instrument, final long clOrdId)
    {
        return queue(nowNs, 1, 0, CANCELED, clOrdId, 0, 0);
    }

    public SubmitResult cancelByVenueId(final long nowNs, final Instrument instrument, final long venueOrderId)
    {
        return SubmitResult.UNKNOWN_ORDER;
    }

    public SubmitResult cancelReplace(
        final long nowNs, final Instrument instrument, final long cancelClOrdId, final long newClOrdId,
        final Side side, final long price, final long qty, final boolean postOnly)
    {
        if (count + 2 > CAPACITY || !throttle.tryAcquire(nowNs, 1, 1))
        {
            return SubmitResult.THROTTLED;
        }
        add(nowNs, CANCELED, cancelClOrdId, 0, 0);
        add(nowNs, ACK, newClOrdId, price, qty);
        return SubmitResult.SENT;
    }

    public SubmitResult amend(
        final long nowNs, final Instrument instrument, final long clOrdId, final long newPrice, final long newQty)
    {
        return queue(nowNs, 4, 0, AMENDED, clOrdId, newPrice, newQty);
    }

    public boolean canAmendPrice()
    {
        return false;
    }

    public SubmitResult requestOpenOrders(final long nowNs, final Instrument instrument)
    {
        openOrdersRequestedFor = instrument == null ? 0 : instrument.id();
        return SubmitResult.SENT;
    }

    /** Nothing is ever unanswered here: a status query has nothing to tell. */
    public SubmitResult requestOrderStatus(final long nowNs, final Instrument instrument, final long clOrdId)
    {
        return SubmitResult.UNKNOWN_ORDER;
    }

    public VenueThrottle throttle()
    {
        return throttle;
    }

    public void close()
    {
        sessionUp = false;
    }

    private SubmitResult queue(
        final long nowNs, final int weight, final int orders, final byte kind, final long clOrdId, final long price,
        final long qty)
    {
        if (count == CAPACITY || !throttle.tryAcquire(nowNs, weight, orders))
        {
            return SubmitResult.THROTTLED;
        }
        add(nowNs, kind, clOrdId, price, qty);
        return SubmitResult.SENT;
    }

    private void add(final long nowNs, final byte kind, final long clOrdId, final long price, final long qty)
    {
        requestNs[count] = nowNs;
        kinds[count] = kind;
        clOrdIds[count] = clOrdId;
        prices[count] = price;
        qtys[count] = qty;
        count++;
    }
}
