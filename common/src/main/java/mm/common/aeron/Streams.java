package mm.common.aeron;

import mm.common.config.Config;
import mm.common.config.ConfigException;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Channel and stream ids of every stream between agents. One host uses {@code aeron:ipc}; across hosts the
 * same agents run over {@code aeron:udp} by changing only these strings.
 * <p>
 * {@code aeron.channel} is every stream's channel unless a stream has its own: {@code aeron.channel.NAME} for
 * both ends, or {@code aeron.channel.NAME.publication} and {@code aeron.channel.NAME.subscription} when the ends
 * differ, as with multi-destination-cast across hosts (the publisher's {@code control=} address, each
 * subscriber's own {@code endpoint=}); NAME is the stream's key in {@code stream.NAME}.
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
    int gatewayInbox,
    int readiness,
    Map<Integer, String> publicationChannels,
    Map<Integer, String> subscriptionChannels)
{
    public static final String DEFAULT_CHANNEL = "aeron:ipc?term-length=1m";
    /**
     * Across hosts, a role on another host says on this stream that it has joined its streams (RoleReady), so
     * the feed can wait for it as it waits for local roles' counters. Not an agent input, never journaled.
     */
    public static final int DEFAULT_READINESS_STREAM_ID = 1201;
    /** The streams' config names ({@code stream.NAME}, {@code aeron.channel.NAME}): {@link #all()}, then readiness. */
    public static final String[] CONFIG_NAMES = {
        "marketData", "quoteIntents", "orderCommands", "orderActions", "executions", "control", "quotingInbox",
        "riskInbox", "gatewayInbox", "readiness"};

    /** Every stream on {@code channel}. */
    public Streams(
        final String channel, final int marketData, final int quoteIntents, final int orderCommands,
        final int orderActions, final int executions, final int control, final int quotingInbox, final int riskInbox,
        final int gatewayInbox)
    {
        this(channel, marketData, quoteIntents, orderCommands, orderActions, executions, control, quotingInbox,
            riskInbox, gatewayInbox, DEFAULT_READINESS_STREAM_ID, Map.of(), Map.of());
    }

    /** The channel a publisher of {@code streamId} adds its publication on. */
    public String publicationChannel(final int streamId)
    {
        return publicationChannels.getOrDefault(streamId, channel);
    }

    /** The channel a subscriber to {@code streamId} adds its subscription on. */
    public String subscriptionChannel(final int streamId)
    {
        return subscriptionChannels.getOrDefault(streamId, channel);
    }

    /** Whether every stream runs on the one {@link #channel()}. */
    public boolean singleChannel()
    {
        return publicationChannels.isEmpty() && subscriptionChannels.isEmpty();
    }

    /** The same stream ids with every stream on {@code channel} (a replay's private driver). */
    public Streams onChannel(final String channel)
    {
        return new Streams(channel, marketData, quoteIntents, orderCommands, orderActions, executions, control,
            quotingInbox, riskInbox, gatewayInbox, readiness, Map.of(), Map.of());
    }

    public static Streams fromConfig(final Config config)
    {
        final String channel = config.string("aeron.channel", DEFAULT_CHANNEL);
        if (!channel.startsWith("aeron:ipc") && !channel.startsWith("aeron:udp"))
        {
            throw new ConfigException("aeron.channel", channel, "must be an aeron:ipc or aeron:udp channel URI");
        }
        final int[] defaultIds = {1001, 1002, 1003, 1004, 1005, 1006, 1101, 1102, 1103, DEFAULT_READINESS_STREAM_ID};
        final int[] ids = new int[CONFIG_NAMES.length];
        final Map<Integer, String> publication = new TreeMap<>();
        final Map<Integer, String> subscription = new TreeMap<>();
        for (int i = 0; i < CONFIG_NAMES.length; i++)
        {
            final String name = CONFIG_NAMES[i];
            ids[i] = id(config, "stream." + name, defaultIds[i]);
            final String both = channel(config, "aeron.channel." + name);
            final String publicationChannel = channel(config, "aeron.channel." + name + ".publication");
            final String subscriptionChannel = channel(config, "aeron.channel." + name + ".subscription");
            if (both != null && (publicationChannel != null || subscriptionChannel != null))
            {
                throw new ConfigException("aeron.channel." + name, both,
                    "give either this or its .publication/.subscription pair, not both");
            }
            if (both != null || publicationChannel != null)
            {
                publication.put(ids[i], both != null ? both : publicationChannel);
            }
            if (both != null || subscriptionChannel != null)
            {
                subscription.put(ids[i], both != null ? both : subscriptionChannel);
            }
        }
        final Streams streams = new Streams(channel, ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7],
            ids[8], ids[9], Map.copyOf(publication), Map.copyOf(subscription));
        final Set<Integer> seen = new HashSet<>();
        for (final int id : ids)
        {
            if (!seen.add(id))
            {
                throw new ConfigException("stream.*", String.valueOf(id), "every stream needs its own id");
            }
        }
        return streams;
    }

    /** The same streams with another default channel (e.g. with more parameters); per-stream channels stay. */
    public Streams withChannel(final String newChannel)
    {
        return new Streams(newChannel, marketData, quoteIntents, orderCommands, orderActions, executions, control,
            quotingInbox, riskInbox, gatewayInbox, readiness, publicationChannels, subscriptionChannels);
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
        if (streamId == readiness)
        {
            return "readiness";
        }
        return "stream-" + streamId;
    }

    private static String channel(final Config config, final String key)
    {
        final String value = config.string(key, null);
        if (value != null && !value.startsWith("aeron:ipc") && !value.startsWith("aeron:udp") &&
            !value.startsWith("aeron-spy:aeron:udp"))
        {
            throw new ConfigException(key, value, "must be an aeron:ipc, aeron:udp or aeron-spy:aeron:udp channel URI");
        }
        return value;
    }

    private static int id(final Config config, final String key, final int defaultValue)
    {
        return config.intValue(key, defaultValue, 1, Integer.MAX_VALUE);
    }
}
