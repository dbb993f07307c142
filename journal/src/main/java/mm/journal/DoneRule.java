package mm.journal;

import mm.common.sbe.Messages;
import mm.sbe.EndOfDataDecoder;
import mm.sbe.StepEndDecoder;
import org.agrona.DirectBuffer;

/**
 * Decides when a bounded run has produced everything it will produce, from the messages the recorder sees.
 * The recorder shows it every recorded message; once {@link #isSatisfied()} turns true the recorder drains
 * every subscription one more time and then reports {@link JournalRecorder#isDone()}.
 * <p>
 * Implementations run on the recording path: no allocation, no blocking.
 */
public interface DoneRule
{
    /** Sees one complete message, exactly as recorded, from stream {@code streamId}. */
    void onMessage(int streamId, DirectBuffer buffer, int offset, int length);

    /** True once the run has ended by this rule's definition; must stay true afterwards. */
    boolean isSatisfied();

    /** For live runs: never done, the recorder runs until it is stopped. */
    static DoneRule never()
    {
        return Never.INSTANCE;
    }

    /**
     * The default rule for bounded runs: {@code EndOfData} has been seen on {@code marketDataStreamId}, and a
     * {@code StepEnd} with an eventSeq at least that of the {@code EndOfData} has been seen on
     * {@code executionsStreamId}, i.e. the last stage of the pipeline has finished reacting to the last event.
     */
    static DoneRule endOfData(final int marketDataStreamId, final int executionsStreamId)
    {
        return new EndOfDataRule(marketDataStreamId, executionsStreamId);
    }

    /** See {@link DoneRule#never()}. */
    final class Never implements DoneRule
    {
        static final Never INSTANCE = new Never();

        private Never()
        {
        }

        public void onMessage(final int streamId, final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public boolean isSatisfied()
        {
            return false;
        }
    }

    /** See {@link DoneRule#endOfData(int, int)}. */
    final class EndOfDataRule implements DoneRule
    {
        private final int marketDataStreamId;
        private final int executionsStreamId;
        private boolean endOfDataSeen;
        private long endOfDataEventSeq;
        // StepEnd may arrive (be polled) before EndOfData because streams are polled one after another.
        private long maxStepEndEventSeq = Long.MIN_VALUE;

        public EndOfDataRule(final int marketDataStreamId, final int executionsStreamId)
        {
            this.marketDataStreamId = marketDataStreamId;
            this.executionsStreamId = executionsStreamId;
        }

        public void onMessage(final int streamId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (streamId != marketDataStreamId && streamId != executionsStreamId)
            {
                return;
            }
            if (!Messages.isEngineMessage(buffer, offset, length))
            {
                return;
            }
            final int templateId = Messages.templateId(buffer, offset);
            if (streamId == marketDataStreamId && templateId == EndOfDataDecoder.TEMPLATE_ID && !endOfDataSeen)
            {
                endOfDataSeen = true;
                endOfDataEventSeq = Messages.eventSeq(buffer, offset);
            }
            else if (streamId == executionsStreamId && templateId == StepEndDecoder.TEMPLATE_ID)
            {
                maxStepEndEventSeq = Math.max(maxStepEndEventSeq, Messages.eventSeq(buffer, offset));
            }
        }

        public boolean isSatisfied()
        {
            return endOfDataSeen && maxStepEndEventSeq >= endOfDataEventSeq;
        }

        public boolean endOfDataSeen()
        {
            return endOfDataSeen;
        }

        public long endOfDataEventSeq()
        {
            return endOfDataEventSeq;
        }

        public long maxStepEndEventSeq()
        {
            return maxStepEndEventSeq;
        }
    }
}
