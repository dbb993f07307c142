package mm.ops;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import mm.common.aeron.Streams;
import mm.common.config.ConfigException;
import mm.sbe.KillEncoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.ParameterChangeEncoder;
import mm.sbe.TradingState;
import mm.sbe.TradingStateChangeEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./mm control ...}: the operator's hand on a running engine. Publishes one CONTROL message through
 * the engine's own media driver: a kill (halt and cancel everything), a trading-state change, or a runtime
 * parameter change, which the agent owning the key validates and answers on its output stream (journaled).
 * The message carries time 0: an operator's command has no place in the run's own time base (a recording's
 * times are days old), so each agent applies it at its own input time. Deciding agents journal it in their
 * inboxes, so a replay reproduces its effect exactly.
 */
final class ControlCommand
{
    private static final long CONNECT_TIMEOUT_MS = 5_000;

    private ControlCommand()
    {
    }

    /**
     * @param action {@code kill [INSTRUMENT] [REASON]}, {@code state active|reducing|halted|manual [REASON]} or
     *               {@code set KEY VALUE}.
     */
    static String send(final Path aeronDir, final Streams streams, final List<String> action)
    {
        if (action.isEmpty())
        {
            throw new ConfigException("control", "", "needs kill, state or set");
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final long nowNs = 0;
        final int length;
        final String description;
        switch (action.get(0))
        {
            case "kill" ->
            {
                final int instrumentId = action.size() > 1 ? parseInstrument(action.get(1)) : 0;
                final String reason = action.size() > 2 ? String.join(" ", action.subList(2, action.size())) : "operator kill";
                final KillEncoder kill = new KillEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .eventSeq(0).timeNs(nowNs).instrumentId(instrumentId).reason(reason);
                length = MessageHeaderEncoder.ENCODED_LENGTH + kill.encodedLength();
                description = "kill " + (instrumentId == 0 ? "all instruments" : "instrument " + instrumentId) +
                    " (" + reason + ")";
            }
            case "state" ->
            {
                if (action.size() < 2)
                {
                    throw new ConfigException("control state", "", "needs active, reducing, halted or manual");
                }
                final TradingState state = parseState(action.get(1));
                final String reason = action.size() > 2 ? String.join(" ", action.subList(2, action.size())) : "operator";
                final TradingStateChangeEncoder change = new TradingStateChangeEncoder()
                    .wrapAndApplyHeader(buffer, 0, header).eventSeq(0).timeNs(nowNs).state(state).reason(reason);
                length = MessageHeaderEncoder.ENCODED_LENGTH + change.encodedLength();
                description = "trading state " + state + " (" + reason + ")";
            }
            case "set" ->
            {
                if (action.size() != 3)
                {
                    throw new ConfigException("control set", String.join(" ", action.subList(1, action.size())),
                        "needs KEY VALUE, e.g. control set quoting.as.gamma 0.2");
                }
                final ParameterChangeEncoder change = new ParameterChangeEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .eventSeq(0).timeNs(nowNs).key(action.get(1)).value(action.get(2));
                length = MessageHeaderEncoder.ENCODED_LENGTH + change.encodedLength();
                description = "parameter " + action.get(1) + "=" + action.get(2) +
                    " (the owning agent answers with a ParameterChangeResult; see mm stat)";
            }
            default -> throw new ConfigException("control", action.get(0), "must be kill, state or set");
        }
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            ExclusivePublication publication = aeron.addExclusivePublication(streams.publicationChannel(streams.control()), streams.control()))
        {
            final long deadlineMs = System.currentTimeMillis() + CONNECT_TIMEOUT_MS;
            while (true)
            {
                final long result = publication.offer(buffer, 0, length);
                if (result > 0)
                {
                    break;
                }
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                {
                    throw new IllegalStateException("CONTROL publication failed: " + result);
                }
                if (System.currentTimeMillis() > deadlineMs)
                {
                    throw new IllegalStateException("no agent subscribed to CONTROL (stream " + streams.control() +
                        " on " + streams.publicationChannel(streams.control()) + ") within " + CONNECT_TIMEOUT_MS + " ms: is the engine running " +
                        "with this config?");
                }
                Thread.onSpinWait();
            }
            // the driver forwards to subscribers on its next duty cycle: linger so they see it
            final long lingerUntilMs = System.currentTimeMillis() + 200;
            while (System.currentTimeMillis() < lingerUntilMs)
            {
                Thread.onSpinWait();
            }
        }
        return description;
    }

    private static int parseInstrument(final String text)
    {
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException("control kill", text, "instrument must be an id (0: all)");
        }
    }

    private static TradingState parseState(final String text)
    {
        for (final TradingState state : TradingState.values())
        {
            if (state != TradingState.NULL_VAL && state.name().equalsIgnoreCase(text))
            {
                return state;
            }
        }
        throw new ConfigException("control state", text, "must be one of active, reducing, halted, manual");
    }
}
