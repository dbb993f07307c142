package mm.common.aeron;

import mm.common.config.Config;
import mm.common.config.ConfigException;

import java.util.HashSet;
import java.util.Set;

/**
 * Channel and stream ids of every stream between agents. One host uses {@code aeron:ipc}; across hosts the
 * same agents run over {@code aeron:udp} by changing only these strings.
 */
public record Streams(
    String channel,
    int marketData,
    int quoteIntents,
    int orderCommands,
    int orderActions,
    int executions,
    int control,
    int quotingInbox,
    int riskInbox,
    int gatewayInbox)
{
    public static final String DEFAULT_CHANNEL = "aeron:ipc?term-length=1m";

    public static Streams fromConfig(final Config config)
    {
        final String channel = config.string("aeron.channel", DEFAULT_CHANNEL);
        if (!channel.startsWith("aeron:ipc") && !channel.startsWith("aeron:udp"))
        {
            throw new ConfigException("aeron.channel", channel, "must be an aeron:ipc or aeron:udp channel URI");
        }
        final Streams streams = new Streams(
            channel,
            id(config, "stream.marketData", 1001),
            id(config, "stream.quoteIntents", 1002),
            id(config, "stream.orderCommands", 1003),
            id(config, "stream.orderActions", 1004),
            id(config, "stream.executions", 1005),
            id(config, "stream.control", 1006),
            id(config, "stream.quotingInbox", 1101),
            id(config, "stream.riskInbox", 1102),
            id(config, "stream.gatewayInbox", 1103));
        final Set<Integer> seen = new HashSet<>();
        for (final int id : streams.all())
        {
            if (!seen.add(id))
            {
                throw new ConfigException("stream.*", String.valueOf(id), "every stream needs its own id");
            }
        }
        return streams;
    }

    /** The same stream ids on another channel (e.g. with more parameters). */
    public Streams withChannel(final String newChannel)
    {
        return new Streams(newChannel, marketData, quoteIntents, orderCommands, orderActions, executions, control,
            quotingInbox, riskInbox, gatewayInbox);
    }

    public int[] all()
    {
        return new int[]{
            marketData, quoteIntents, orderCommands, orderActions, executions, control, quotingInbox, riskInbox, gatewayInbox};
    }

    /** Folder-friendly name of a stream id, for journal queues and stat output. */
    public String nameOf(final int streamId)
    {
        if (streamId == marketData)
        {
            return "market-data";
        }
        if (streamId == quoteIntents)
        {
            return "quote-intents";
        }
        if (streamId == orderCommands)
        {
            return "order-commands";
        }
        if (streamId == orderActions)
        {
            return "order-actions";
        }
        if (streamId == executions)
        {
            return "executions";
        }
        if (streamId == control)
        {
            return "control";
        }
        if (streamId == quotingInbox)
        {
            return "inbox-quoting";
        }
        if (streamId == riskInbox)
        {
            return "inbox-risk";
        }
        if (streamId == gatewayInbox)
        {
            return "inbox-gateway";
        }
        return "stream-" + streamId;
    }

    private static int id(final Config config, final String key, final int defaultValue)
    {
        return config.intValue(key, defaultValue, 1, Integer.MAX_VALUE);
    }
}
