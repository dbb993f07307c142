package mm.common.aeron;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import mm.common.sbe.Messages;
import mm.sbe.InboxRecordEncoder;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * The one ordered inbox of a deciding agent. It polls the agent's input streams, lets the agent hold back a
 * fragment until its ordering rule allows it ({@link Handler#canConsume}), hands fragments over one at a
 * time, and optionally tees each consumed fragment, in consumption order, as an {@code InboxRecord} to a
 * journaled stream so that replaying the tee reproduces the agent's outputs (all but the pacing markers the
 * agent says a replay does not need: {@link Handler#journals}).
 * <p>
 * Input is not consumed while any of the agent's outboxes is backed up, so back-pressure travels upstream.
 * <p>
 * In an in-process run (backtest, replay: see {@link LocalBus}) an input can read a {@link Source} instead of
 * its subscription and the outboxes can be redirected: the ordering rules, the tee and the agent are the same.
 */
public final class Inbox
{
    /**
     * Where an input's messages come from instead of its Aeron subscription: an in-process stream. Messages are
     * whole (no fragments), handed over in order; one the handler aborts stays and is handed over again next time.
     */
    @FunctionalInterface
    public interface Source
    {
        /** @return messages consumed (not aborted), at most {@code fragmentLimit}. */
        int controlledPoll(ControlledFragmentHandler handler, int fragmentLimit);
    }

    /** The deciding agent behind the inbox. Only engine messages reach it; others are counted and skipped. */
    public interface Handler
    {
        /** May a message of step {@code eventSeq} from {@code input} be consumed now? Ordering rules live here. */
        boolean canConsume(int input, long eventSeq);

        /**
         * Consume one message.
         *
         * @param bodyOffset where the message body starts (after the header), for a decoder's
         *                   {@code wrap(buffer, bodyOffset, blockLength, version)}.
         */
        void onMessage(int input, int templateId, long eventSeq, DirectBuffer buffer, int bodyOffset, int blockLength,
            int version);

        /** The agent's current input time, journaled with each record. */
        long inputTimeNs();

        /**
         * Whether the tee journals this consumed message. False only for a message that changes nothing this
         * agent decides or sends and only paces what it consumes next (a lockstep step's end it merely waits
         * for): its place in the inbox follows from the ordering rules, and a replay, which hands the journaled
         * records over in their recorded order, does not need it to reproduce the outputs.
         */
        default boolean journals(final int input, final int templateId)
        {
            return true;
        }
    }

    private final Handler handler;
    private final AtomicCounter skippedMessages;
    private final int agentId;
    private final Outbox tee;
    private final Outbox[] outputs;
    private final List<Input> inputs = new ArrayList<>();
    private final ExpandableDirectByteBuffer teeBuffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final InboxRecordEncoder recordEncoder = new InboxRecordEncoder();
    private long consumedCount;
    /** Records teed so far: the next record's inbox sequence. */
    private long inboxSeq;
    private long heldBackCount;

    /**
     * @param skippedMessages counts fragments that are not engine messages (another schema, too short).
     * @param tee             where consumed fragments are journaled, or null.
     * @param outputs         the agent's outboxes; input waits while any of them is backed up.
     */
    public Inbox(
        final Handler handler,
        final AtomicCounter skippedMessages,
        final int agentId,
        final Outbox tee,
        final Outbox... outputs)
    {
        this.handler = handler;
        this.skippedMessages = skippedMessages;
        this.agentId = agentId;
        this.tee = tee;
        this.outputs = outputs;
    }

    /** Adds an input; returns the index the handler sees for it. Earlier inputs are polled first. */
    public int addInput(final Subscription subscription)
    {
        final Input input = new Input(inputs.size(), subscription);
        inputs.add(input);
        return input.index;
    }

    /** Flushes the outboxes, then polls each input up to {@code fragmentLimit}; returns the work done. */
    public int poll(final int fragmentLimit)
    {
        int work = flushOutputs();
        if (!outputsClear())
        {
            return work;
        }
        for (int i = 0, size = inputs.size(); i < size; i++)
        {
            final Input input = inputs.get(i);
            final Source source = input.source;
            work += source != null ?
                source.controlledPoll(input, fragmentLimit) : input.subscription.controlledPoll(input.assembler, fragmentLimit);
        }
        return work;
    }

    public int inputCount()
    {
        return inputs.size();
    }

    /** The stream the input at {@code index} reads. */
    public int inputStreamId(final int index)
    {
        return inputs.get(index).subscription.streamId();
    }

    /**
     * From now on the input at {@code index} reads {@code source} instead of its subscription (which stays open
     * and is no longer polled): how an in-process run feeds an agent without a media driver.
     */
    public void replaceInput(final int index, final Source source)
    {
        inputs.get(index).source = source;
    }

    /** The agent's outboxes, in the order given at construction (without the tee). */
    public int outputCount()
    {
        return outputs.length;
    }

    public Outbox output(final int index)
    {
        return outputs[index];
    }

    /** Where consumed fragments are journaled, or null. */
    public Outbox tee()
    {
        return tee;
    }

    /** The deciding agent behind the inbox. */
    public Handler handler()
    {
        return handler;
    }

    /**
     * The handler's index of the input reading {@code streamId}, or -1: how a replay of the journaled inbox
     * (whose records name the stream) hands each record to the same input it came from.
     */
    public int inputIndexOf(final int streamId)
    {
        for (int i = 0, size = inputs.size(); i < size; i++)
        {
            if (inputs.get(i).streamId == streamId)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether every input except {@code exceptStreamId} has a publisher connected (an image). Across hosts a
     * subscriber joins a multi-destination publication some time after both exist, and Aeron delivers only
     * from the join: a role is ready for its feed once this holds.
     */
    public boolean inputsConnectedExcept(final int exceptStreamId)
    {
        for (int i = 0, size = inputs.size(); i < size; i++)
        {
            final Subscription subscription = inputs.get(i).subscription;
            if (subscription.streamId() != exceptStreamId && !subscription.isConnected())
            {
                return false;
            }
        }
        return true;
    }

    /** True when the agent's outboxes and the tee have nothing queued: everything it produced has gone out. */
    public boolean isFlushed()
    {
        return outputsClear();
    }

    public long consumedCount()
    {
        return consumedCount;
    }

    /** Fragments that arrived but had to wait for the ordering rule or a backed-up output. */
    public long heldBackCount()
    {
        return heldBackCount;
    }

    private int flushOutputs()
    {
        int work = 0;
        for (final Outbox output : outputs)
        {
            work += output.flush();
        }
        if (tee != null)
        {
            work += tee.flush();
        }
        return work;
    }

    private boolean outputsClear()
    {
        for (final Outbox output : outputs)
        {
            if (!output.isEmpty())
            {
                return false;
            }
        }
        return tee == null || tee.isEmpty();
    }

    private ControlledFragmentHandler.Action onFragment(
        final int index, final int streamId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!Messages.isEngineMessage(buffer, offset, length))
        {
            skippedMessages.incrementRelease();
            return ControlledFragmentHandler.Action.COMMIT;
        }
        final long eventSeq = Messages.eventSeq(buffer, offset);
        if (!outputsClear() || !handler.canConsume(index, eventSeq))
        {
            heldBackCount++;
            return ControlledFragmentHandler.Action.ABORT;
        }
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        if (tee != null && handler.journals(index, templateId))
        {
            recordEncoder.wrapAndApplyHeader(teeBuffer, 0, headerEncoder)
                .agentId(agentId)
                .inboxSeq(inboxSeq++)
                .streamId(streamId)
                .consumeTimeNs(handler.inputTimeNs())
                .putPayload(buffer, offset, length);
            tee.send(teeBuffer, 0, Messages.HEADER_LENGTH + recordEncoder.encodedLength());
        }
        consumedCount++;
        handler.onMessage(index, templateId, eventSeq, buffer, offset + Messages.HEADER_LENGTH,
            headerDecoder.blockLength(), headerDecoder.version());
        return ControlledFragmentHandler.Action.COMMIT;
    }

    private final class Input implements ControlledFragmentHandler
    {
        final int index;
        final int streamId;
        final Subscription subscription;
        final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
        Source source;

        Input(final int index, final Subscription subscription)
        {
            this.index = index;
            this.subscription = subscription;
            this.streamId = subscription.streamId();
        }

        public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            return Inbox.this.onFragment(index, streamId, buffer, offset, length);
        }
    }
}
