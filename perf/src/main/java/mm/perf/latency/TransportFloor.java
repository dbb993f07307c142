package mm.perf.latency;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The transport floor: one bare Aeron IPC hop under the same load shape as the pipeline (same rate, same
 * intended-time stamping, same thread layout and idle strategy), with no decoding and no decisions. What the
 * pipeline adds on top of this is the engine's own cost.
 */
public final class TransportFloor
{
    /** A market-data book message with 10 levels a side is about this long. */
    public static final int MESSAGE_LENGTH = 376;
    private static final long NS_PER_S = 1_000_000_000L;

    private TransportFloor()
    {
    }

    /** Offers one message per intended send time, the time in its first 8 bytes; never drops (retries). */
    public static final class Publisher implements Agent
    {
        private final ExclusivePublication publication;
        private final RunWindow window;
        private final long framesPerSecond;
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        private long startNs;
        private long endNs;
        private long next;
        private boolean pending;
        private boolean finished;
        private long backPressured;

        public Publisher(final ExclusivePublication publication, final RunWindow window, final long framesPerSecond)
        {
            this.publication = publication;
            this.window = window;
            this.framesPerSecond = framesPerSecond;
        }

        public String roleName()
        {
            return "floor-publisher";
        }

        public int doWork()
        {
            if (finished)
            {
                return 0;
            }
            if (startNs == 0)
            {
                startNs = window.startNs();
                endNs = window.measureToNs();
                if (startNs == 0)
                {
                    return 0;
                }
            }
            int work = 0;
            final long nowNs = System.nanoTime();
            for (int i = 0; i < 64; i++)
            {
                final long intendedNs = startNs + next * NS_PER_S / framesPerSecond;
                if (intendedNs > nowNs)
                {
                    break;
                }
                if (intendedNs >= endNs)
                {
                    finished = true;
                    break;
                }
                message.putLong(0, intendedNs);
                long result = publication.offer(message, 0, MESSAGE_LENGTH);
                if (result == Publication.ADMIN_ACTION)
                {
                    result = publication.offer(message, 0, MESSAGE_LENGTH); // a term rotation: try again at once
                }
                if (result < 0)
                {
                    if (!pending)
                    {
                        backPressured++;
                    }
                    pending = true;
                    break; // retried next duty cycle with the same intended time
                }
                pending = false;
                next++;
                work++;
            }
            return work;
        }

        public boolean isFinished()
        {
            return finished;
        }

        public long sent()
        {
            return next;
        }

        public long backPressured()
        {
            return backPressured;
        }
    }

    /** Records {@code now - intended} for each message of the measured window. */
    public static final class Probe implements Agent, FragmentHandler
    {
        private final Subscription subscription;
        private final RunWindow window;
        private final SingleWriterRecorder recorder;
        private final long highestTrackableNs;
        private long measured;

        public Probe(final Subscription subscription, final RunWindow window, final SingleWriterRecorder recorder,
            final long highestTrackableNs)
        {
            this.subscription = subscription;
            this.window = window;
            this.recorder = recorder;
            this.highestTrackableNs = highestTrackableNs;
        }

        public String roleName()
        {
            return "floor-probe";
        }

        public int doWork()
        {
            return subscription.poll(this, 64);
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            final long nowNs = System.nanoTime();
            final long intendedNs = buffer.getLong(offset);
            if (window.measures(intendedNs))
            {
                recorder.recordValue(Math.min(Math.max(0, nowNs - intendedNs), highestTrackableNs));
                measured++;
            }
        }

        public long measured()
        {
            return measured;
        }
    }
}
