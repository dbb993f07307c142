package mm.ops;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.common.agent.Readiness;
import mm.journal.DoneRule;
import mm.journal.JournalRecorder;
import mm.journal.RunManifest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.file.Path;
import java.util.Arrays;

/** Builds the journal agent of a run: every stream between agents, plus each deciding agent's inbox tee. */
final class JournalFactory
{
    static final String ENGINE_VERSION = "0.1.0-SNAPSHOT";

    private JournalFactory()
    {
    }

    /**
     * @param producerRoles roles whose "done" signal the journal waits for, so that the last inputs each of
     *                      them consumed (after the final executions) are in its inbox queue.
     */
    static JournalRecorder create(
        final EngineConfig config, final Aeron aeron, final Path runDir, final String[] producerRoles)
    {
        final Streams streams = config.streams;
        final int[] all = streams.all();
        final int[] recorded = config.journalInboxes ? all : Arrays.copyOf(all, 6);
        final RunManifest manifest = RunManifest.of(
            runDir.getFileName().toString(), config.config, config.registry.sha256(), ENGINE_VERSION);
        final JournalRecorder recorder = JournalRecorder.subscribe(aeron, streams, recorded, runDir, manifest,
            config.journalResume, config.journalTether);
        writeRunConfig(config, runDir);
        // on the producers' host their done counters say when their last inputs are out; on another host they
        // cannot be seen, and a pause after the stream rule is satisfied stands in for them
        recorder.doneRule(config.announceReady ?
            new QuietDoneRule(recorder.doneRule(), QUIET_AFTER_END_NS) :
            new RolesDoneRule(recorder.doneRule(), aeron.countersReader(), producerRoles));
        return recorder;
    }

    /** The configuration the run was decided with, next to its journal, so that replay rebuilds the same agents. */
    private static void writeRunConfig(final EngineConfig config, final Path runDir)
    {
        try
        {
            java.nio.file.Files.writeString(runDir.resolve(Replay.RUN_CONFIG_FILE),
                "# the configuration of this run (its SHA-256 is the manifest's configSha256)\n" +
                config.config.canonicalText());
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot write " + runDir.resolve(Replay.RUN_CONFIG_FILE), ex);
        }
    }

    static final long QUIET_AFTER_END_NS = 1_000_000_000L;

    /** The recorder's own rule, and then no message on any stream for {@code quietNs} (latched once seen). */
    static final class QuietDoneRule implements DoneRule
    {
        private final DoneRule streamRule;
        private final long quietNs;
        private long lastMessageNs = System.nanoTime();
        private boolean done;

        QuietDoneRule(final DoneRule streamRule, final long quietNs)
        {
            this.streamRule = streamRule;
            this.quietNs = quietNs;
        }

        public void onMessage(final int streamId, final DirectBuffer buffer, final int offset, final int length)
        {
            lastMessageNs = System.nanoTime();
            streamRule.onMessage(streamId, buffer, offset, length);
        }

        public boolean isSatisfied()
        {
            if (!done)
            {
                done = streamRule.isSatisfied() && System.nanoTime() - lastMessageNs >= quietNs;
            }
            return done;
        }
    }

    /** The recorder's own rule, and then every producing role has signalled done (latched once seen). */
    static final class RolesDoneRule implements DoneRule
    {
        private final DoneRule streamRule;
        private final CountersReader counters;
        private final String[] roles;
        private boolean rolesDone;

        RolesDoneRule(final DoneRule streamRule, final CountersReader counters, final String[] roles)
        {
            this.streamRule = streamRule;
            this.counters = counters;
            this.roles = roles;
        }

        public void onMessage(final int streamId, final DirectBuffer buffer, final int offset, final int length)
        {
            streamRule.onMessage(streamId, buffer, offset, length);
        }

        public boolean isSatisfied()
        {
            if (!streamRule.isSatisfied())
            {
                return false;
            }
            if (!rolesDone)
            {
                rolesDone = Readiness.allDone(counters, roles);
            }
            return rolesDone;
        }
    }
}
