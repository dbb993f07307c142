package mm.ops;

import io.aeron.Aeron;
import mm.common.aeron.Streams;
import mm.journal.JournalRecorder;
import mm.journal.RunManifest;

import java.nio.file.Path;
import java.util.Arrays;

/** Builds the journal agent of a run: every stream between agents, plus each deciding agent's inbox tee. */
final class JournalFactory
{
    static final String ENGINE_VERSION = "0.1.0-SNAPSHOT";

    private JournalFactory()
    {
    }

    static JournalRecorder create(final EngineConfig config, final Aeron aeron, final Path runDir)
    {
        final Streams streams = config.streams;
        final int[] all = streams.all();
        final int[] recorded = config.journalInboxes ? all : Arrays.copyOf(all, 6);
        final RunManifest manifest = RunManifest.of(
            runDir.getFileName().toString(), config.config, config.registry.sha256(), ENGINE_VERSION);
        return JournalRecorder.subscribe(aeron, streams, recorded, runDir, manifest);
    }
}
