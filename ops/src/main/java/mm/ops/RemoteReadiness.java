package mm.ops;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import mm.common.aeron.Streams;
import mm.common.agent.BoundedAgent;
import mm.common.agent.EngineCounters;
import mm.common.agent.Readiness;
import mm.common.sbe.Messages;
import mm.sbe.MessageHeaderDecoder;
import mm.sbe.MessageHeaderEncoder;
import mm.sbe.RoleReadyDecoder;
import mm.sbe.RoleReadyEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Readiness across hosts. On one host, a feed waits for its consumers' ready counters in the shared driver
 * before it publishes, because Aeron delivers only from when a subscriber joins. A role on another host has
 * no counter there, so it announces itself on the readiness stream (RoleReady, repeated every
 * {@link #ANNOUNCE_INTERVAL_NS} once it has joined its streams) and the feed's host raises the role's ready
 * counter when the announcement arrives ({@code engine.remoteRoles}). Neither side is deciding code and
 * nothing here is journaled.
 */
final class RemoteReadiness
{
    static final long ANNOUNCE_INTERVAL_NS = 500_000_000L;

    private RemoteReadiness()
    {
    }

    /** On the feed's host: raises the local ready counter of each awaited role whose announcement arrives. */
    static final class Listener implements BoundedAgent, FragmentHandler
    {
        private final Aeron aeron;
        private final Subscription readiness;
        private final Set<String> awaited;
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final RoleReadyDecoder decoder = new RoleReadyDecoder();
        private final AtomicCounter announcements;

        Listener(final Aeron aeron, final Streams streams, final Set<String> awaited)
        {
            this.aeron = aeron;
            this.awaited = new java.util.TreeSet<>(awaited);
            this.readiness = aeron.addSubscription(streams.subscriptionChannel(streams.readiness()), streams.readiness());
            this.announcements = EngineCounters.add(aeron, roleName(), "remote roles ready");
        }

        public int doWork()
        {
            return awaited.isEmpty() ? 0 : readiness.poll(this, 8);
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            if (!Messages.isEngineMessage(buffer, offset, length))
            {
                return;
            }
            headerDecoder.wrap(buffer, offset);
            if (headerDecoder.templateId() != RoleReadyDecoder.TEMPLATE_ID)
            {
                return;
            }
            decoder.wrap(buffer, offset + Messages.HEADER_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
            final String role = decoder.role();
            if (awaited.remove(role))
            {
                Readiness.markReady(aeron, role);
                announcements.incrementRelease();
            }
        }

        public String roleName()
        {
            return "remote-readiness";
        }

        /** Listening holds no run open. */
        public boolean isDone()
        {
            return true;
        }

        @Override
        public void onClose()
        {
            readiness.close();
        }
    }

    /** On the remote role's host: announces the role once {@code joined} holds, and again at every interval. */
    static final class Announcer implements BoundedAgent
    {
        private final ExclusivePublication readiness;
        private final String role;
        private final BooleanSupplier joined;
        private final EpochNanoClock clock;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        private final RoleReadyEncoder encoder = new RoleReadyEncoder();
        private final AtomicCounter sent;
        private long nextNs;

        Announcer(
            final Aeron aeron, final Streams streams, final String role, final BooleanSupplier joined,
            final EpochNanoClock clock)
        {
            this.readiness = aeron.addExclusivePublication(
                streams.publicationChannel(streams.readiness()), streams.readiness());
            this.role = role;
            this.joined = joined;
            this.clock = clock;
            this.sent = EngineCounters.add(aeron, roleName(), "ready announcements sent");
        }

        public int doWork()
        {
            final long nowNs = clock.nanoTime();
            if (nowNs < nextNs || !joined.getAsBoolean())
            {
                return 0;
            }
            encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).timeNs(nowNs).role(role);
            final long result = readiness.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
            // not connected yet or back-pressured: tried again at the next interval, announcing is idempotent
            nextNs = nowNs + ANNOUNCE_INTERVAL_NS;
            if (result > 0)
            {
                sent.incrementRelease();
                return 1;
            }
            return 0;
        }

        public String roleName()
        {
            return "ready-announcer";
        }

        /** Announcing holds no run open. */
        public boolean isDone()
        {
            return true;
        }

        @Override
        public void onClose()
        {
            readiness.close();
        }
    }
}
