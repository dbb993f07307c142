package mm.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** How the journal opens its Chronicle queues: one place, so writer and reader always agree. */
final class JournalQueues
{
    /** One file per UTC day per stream: runs are hours long, so most runs are one file per stream. */
    static final RollCycle ROLL_CYCLE = RollCycles.FAST_DAILY;
    static final String QUEUE_FILE_SUFFIX = ".cq4";
    /**
     * Chronicle maps and grows its files in blocks (plus a quarter for overlap). The 64 MiB default makes every
     * stream's file at least 80 MiB even for a short run, and the manifest hashes whole files at close; 16 MiB
     * still holds any engine message many times over and costs one small mapping allocation per 16 MiB written.
     */
    static final long BLOCK_SIZE_BYTES = 16L * 1024 * 1024;

    private JournalQueues()
    {
    }

    static SingleChronicleQueue openForWriting(final Path queueDir)
    {
        return openForWriting(queueDir, SystemTimeProvider.INSTANCE);
    }

    /** The same, its roll cycles picked by {@code clock}. */
    static SingleChronicleQueue openForWriting(final Path queueDir, final TimeProvider clock)
    {
        return SingleChronicleQueueBuilder.binary(queueDir).rollCycle(ROLL_CYCLE).blockSize(BLOCK_SIZE_BYTES)
            .timeProvider(clock).build();
    }

    /** The queue's data files (one per cycle), in name order, which is cycle order. */
    static List<Path> queueFiles(final Path queueDir)
    {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(queueDir))
        {
            return files;
        }
        try (Stream<Path> list = Files.list(queueDir))
        {
            list.filter(p -> p.getFileName().toString().endsWith(QUEUE_FILE_SUFFIX) && Files.isRegularFile(p))
                .sorted()
                .forEach(files::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return files;
    }
}
