package mm.feed.kite.live;

import io.aeron.Aeron;
import mm.common.Instrument;
import mm.common.aeron.Outbox;
import mm.common.aeron.Streams;
import mm.common.agent.EngineCounters;
import mm.feed.kite.KiteDecodeError;
import mm.feed.kite.KiteInstruments;
import mm.feed.kite.KitePacketMode;
import mm.feed.kite.KiteTick;
import mm.feed.kite.KiteTickListener;
import mm.sbe.BookTopNEncoder;
import mm.sbe.FeedState;
import mm.sbe.FeedStatusEncoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.Side;
import mm.sbe.TradeEncoder;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.List;

/**
 * Publishes normalised market data of the configured Kite instruments on MARKET_DATA, each message with the next
 * {@code eventSeq}:
 * <ul>
 *     <li>a 5-level {@code BookTopN} from every full-mode packet (empty levels, quantity 0, are left out);</li>
 *     <li>a {@code Trade} whenever the day's cumulative volume (quote and full modes) grows: quantity = the growth,
 *     price = last traded price, aggressor side unknown (the SBE null value), trade id = the volume after it.
 *     Kite does not send trades, so several trades between two ticks show as one; the first tick after start or
 *     a reconnect only sets the baseline (a trade across a gap would be invented);</li>
 *     <li>{@code FeedStatus} per instrument: SYNCED while ticks flow, STALE after {@code staleTimeoutNs} without
 *     one while the market is open, CLOSED outside {@link KiteMarketHours}, DISCONNECTED on disconnect.</li>
 * </ul>
 * Tokens not configured are counted and ignored. Books and trades are published whatever the state (a tick
 * outside hours is still a fact); the state tells consumers whether to quote. Exchange times come from the
 * packet (seconds, so whole seconds in ns); full packets only, else 0. Zero allocation per tick.
 * Single-threaded: the feed agent's thread.
 */
public final class KiteMarketDataPublisher implements KiteTickListener
{
    private static final long NO_VOLUME = -1;

    private final KiteInstruments instruments;
    private final KiteMarketHours hours;
    private final long staleTimeoutNs;
    private final Outbox marketData;
    private final Int2IntHashMap slotById = new Int2IntHashMap(-1);
    private final int[] instrumentIds;
    private final byte[] priceExponents;
    private final byte[] qtyExponents;
    private final FeedState[] states;
    private final long[] lastTickNs;
    private final long[] lastVolume;
    private final long[] ticksPerInstrument;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final BookTopNEncoder bookEncoder = new BookTopNEncoder();
    private final TradeEncoder tradeEncoder = new TradeEncoder();
    private final FeedStatusEncoder statusEncoder = new FeedStatusEncoder();
    private final ExpandableDirectByteBuffer sendBuffer = new ExpandableDirectByteBuffer(512);

    private long eventSeq;
    private boolean marketOpen = true;
    private boolean started;
    private long ticks;
    private long unknownTokens;
    private long books;
    private long trades;
    private long heartbeats;
    private long decodeErrors;
    private long disconnects;

    private final AtomicCounter eventsPublishedCounter;
    private final AtomicCounter ticksCounter;
    private final AtomicCounter unknownTokensCounter;
    private final AtomicCounter tradesCounter;
    private final AtomicCounter decodeErrorsCounter;
    private final AtomicCounter heartbeatsCounter;

    /**
     * @param instruments    token → instrument id.
     * @param published      the instruments to publish (tokens of any other instrument are ignored).
     * @param staleTimeoutNs time without a tick, while the market is open, after which an instrument is STALE.
     * @param roleName       prefix of the counters' labels, e.g. {@code feed-kite}.
     */
    public KiteMarketDataPublisher(
        final KiteInstruments instruments, final List<Instrument> published, final KiteMarketHours hours,
        final long staleTimeoutNs, final Aeron aeron, final Streams streams, final String roleName)
    {
        if (published.isEmpty())
        {
            throw new IllegalArgumentException("no Kite instrument to publish");
        }
        if (staleTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("staleTimeoutNs must be positive, was " + staleTimeoutNs);
        }
        this.instruments = instruments;
        this.hours = hours;
        this.staleTimeoutNs = staleTimeoutNs;
        final int n = published.size();
        instrumentIds = new int[n];
        priceExponents = new byte[n];
        qtyExponents = new byte[n];
        states = new FeedState[n];
        lastTickNs = new long[n];
        lastVolume = new long[n];
        ticksPerInstrument = new long[n];
        for (int i = 0; i < n; i++)
        {
            final Instrument instrument = published.get(i);
            if (instruments.info(instrument.id()) == null)
            {
                throw new IllegalArgumentException(instrument.symbol() + " (id " + instrument.id() + ") is not a loaded Kite instrument");
            }
            instrumentIds[i] = instrument.id();
            priceExponents[i] = (byte)instrument.priceExponent();
            qtyExponents[i] = (byte)instrument.qtyExponent();
            lastVolume[i] = NO_VOLUME;
            slotById.put(instrument.id(), i);
        }
        this.marketData = new Outbox(
            aeron.addExclusivePublication(streams.publicationChannel(streams.marketData()), streams.marketData()));
        eventsPublishedCounter = EngineCounters.add(aeron, roleName, "events published");
        ticksCounter = EngineCounters.add(aeron, roleName, "ticks");
        unknownTokensCounter = EngineCounters.add(aeron, roleName, "ticks of unconfigured tokens");
        tradesCounter = EngineCounters.add(aeron, roleName, "trades inferred");
        decodeErrorsCounter = EngineCounters.add(aeron, roleName, "decode errors");
        heartbeatsCounter = EngineCounters.add(aeron, roleName, "heartbeats");
    }

    @Override
    public void onTick(final KiteTick tick)
    {
        ticks++;
        final int instrumentId = instruments.instrumentId(tick.instrumentToken());
        final int slot = instrumentId == KiteInstruments.NO_INSTRUMENT ? -1 : slotById.get(instrumentId);
        if (slot < 0)
        {
            unknownTokens++;
            return;
        }
        final long receiveTimeNs = tick.receiveTimeNs();
        lastTickNs[slot] = receiveTimeNs;
        ticksPerInstrument[slot]++;
        if (marketOpen && states[slot] != FeedState.SYNCED)
        {
            publishState(slot, FeedState.SYNCED, receiveTimeNs);
        }
        final KitePacketMode mode = tick.mode();
        final long exchangeTimeNs = mode == KitePacketMode.FULL ? tick.exchangeTimeNs() : 0;
        if (mode == KitePacketMode.QUOTE || mode == KitePacketMode.FULL)
        {
            onVolume(slot, tick, exchangeTimeNs, receiveTimeNs);
        }
        if (mode == KitePacketMode.FULL)
        {
            publishBook(slot, tick, exchangeTimeNs, receiveTimeNs);
        }
    }

    private void onVolume(final int slot, final KiteTick tick, final long exchangeTimeNs, final long receiveTimeNs)
    {
        final long volume = tick.volume();
        final long previous = lastVolume[slot];
        lastVolume[slot] = volume;
        // No baseline yet, or a smaller volume (a new trading day): nothing can be inferred from this tick.
        if (previous == NO_VOLUME || volume <= previous)
        {
            return;
        }
        trades++;
        tradeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .instrumentId(instrumentIds[slot])
            .exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs)
            .tradeId(volume)
            .price(tick.lastPrice())
            .qty(volume - previous)
            .aggressorSide(Side.NULL_VAL)
            .priceExponent(priceExponents[slot])
            .qtyExponent(qtyExponents[slot]);
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + TradeEncoder.BLOCK_LENGTH);
    }

    private void publishBook(final int slot, final KiteTick tick, final long exchangeTimeNs, final long receiveTimeNs)
    {
        books++;
        final long updateId = ticksPerInstrument[slot];
        final BookTopNEncoder encoder = bookEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .instrumentId(instrumentIds[slot])
            .exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs)
            .firstUpdateId(updateId)
            .lastUpdateId(updateId)
            .priceExponent(priceExponents[slot])
            .qtyExponent(qtyExponents[slot]);
        final int levels = tick.depthLevels();
        int bidLevels = 0;
        while (bidLevels < levels && tick.bidQuantity(bidLevels) > 0)
        {
            bidLevels++;
        }
        final BookTopNEncoder.BidsEncoder bids = encoder.bidsCount(bidLevels);
        for (int i = 0; i < bidLevels; i++)
        {
            bids.next().price(tick.bidPrice(i)).qty(tick.bidQuantity(i));
        }
        int askLevels = 0;
        while (askLevels < levels && tick.askQuantity(askLevels) > 0)
        {
            askLevels++;
        }
        final BookTopNEncoder.AsksEncoder asks = encoder.asksCount(askLevels);
        for (int i = 0; i < askLevels; i++)
        {
            asks.next().price(tick.askPrice(i)).qty(tick.askQuantity(i));
        }
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    @Override
    public void onHeartbeat(final long receiveTimeNs)
    {
        heartbeats++;
    }

    @Override
    public void onDecodeError(
        final KiteDecodeError error, final int packetIndex, final int messageOffset, final int detail,
        final long receiveTimeNs)
    {
        decodeErrors++;
    }

    /**
     * Applies market hours and staleness; call every duty cycle (no allocation).
     *
     * @param nowNs   the clock of the ticks' receive times.
     * @param epochNs wall-clock time, UTC epoch nanoseconds, for the market hours.
     * @return states published.
     */
    public int checkState(final long nowNs, final long epochNs)
    {
        final boolean open = hours.isOpen(epochNs);
        int work = 0;
        if (!started || open != marketOpen)
        {
            // The open (or start) gives every instrument a full timeout before it is called STALE.
            for (int i = 0; i < lastTickNs.length; i++)
            {
                lastTickNs[i] = Math.max(lastTickNs[i], nowNs);
            }
            started = true;
        }
        marketOpen = open;
        for (int slot = 0; slot < states.length; slot++)
        {
            final FeedState state = states[slot];
            if (!open)
            {
                if (state != FeedState.CLOSED)
                {
                    publishState(slot, FeedState.CLOSED, nowNs);
                    work++;
                }
            }
            else if (state != FeedState.STALE && state != FeedState.DISCONNECTED &&
                nowNs - lastTickNs[slot] > staleTimeoutNs)
            {
                publishState(slot, FeedState.STALE, nowNs);
                work++;
            }
        }
        return work;
    }

    /** The connection is gone: every instrument is DISCONNECTED until its next tick, volume baselines reset. */
    public void onDisconnected(final long nowNs)
    {
        disconnects++;
        for (int slot = 0; slot < states.length; slot++)
        {
            lastVolume[slot] = NO_VOLUME;
            if (states[slot] != FeedState.DISCONNECTED)
            {
                publishState(slot, FeedState.DISCONNECTED, nowNs);
            }
        }
    }

    private void publishState(final int slot, final FeedState state, final long receiveTimeNs)
    {
        states[slot] = state;
        statusEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .eventSeq(++eventSeq)
            .instrumentId(instrumentIds[slot])
            .receiveTimeNs(receiveTimeNs)
            .state(state)
            .lastUpdateId(ticksPerInstrument[slot])
            .gapCount(0)
            .resyncCount(disconnects);
        marketData.send(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + FeedStatusEncoder.BLOCK_LENGTH);
    }

    /** Retries anything back-pressure held; returns the work done. */
    public int flush()
    {
        return marketData.flush();
    }

    /** Publishes the counters; call once per duty cycle, not per tick. */
    public void updateCounters()
    {
        eventsPublishedCounter.setRelease(eventSeq);
        ticksCounter.setRelease(ticks);
        unknownTokensCounter.setRelease(unknownTokens);
        tradesCounter.setRelease(trades);
        decodeErrorsCounter.setRelease(decodeErrors);
        heartbeatsCounter.setRelease(heartbeats);
    }

    /** Last state published for an instrument, or null before the first. */
    public FeedState state(final int instrumentId)
    {
        final int slot = slotById.get(instrumentId);
        return slot < 0 ? null : states[slot];
    }

    public long eventSeq()
    {
        return eventSeq;
    }

    public long ticks()
    {
        return ticks;
    }

    public long unknownTokens()
    {
        return unknownTokens;
    }

    public long books()
    {
        return books;
    }

    public long trades()
    {
        return trades;
    }

    public long heartbeats()
    {
        return heartbeats;
    }

    public long decodeErrors()
    {
        return decodeErrors;
    }

    public long disconnects()
    {
        return disconnects;
    }
}
