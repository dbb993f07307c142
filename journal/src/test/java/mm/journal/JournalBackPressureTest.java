package mm.journal;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import mm.common.aeron.Streams;
import mm.common.config.Config;
import mm.common.testing.TestMessages;
import mm.driver.EmbeddedDriver;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a journal that falls behind does to the publishers it records, on a real driver with a 64 KiB term (a 32 KiB
 * publication window). Tethered (the default, and what lockstep runs use): the publisher is held back once the
 * journal is a window behind, and nothing is lost. Untethered ({@code journal.tether=false}, live runs): the driver
 * drops the lagging journal after a bounded stall, the publisher goes on, the journal rejoins at the live position,
 * and what it missed is counted, written to the manifest and reported by verify-journal.
 */
class JournalBackPressureTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    /** What every publisher uses with journal.tether=false (journal.maxStallMs=50, journal.rejoinMs=300). */
    private static final String UNTETHERED_TIMEOUTS = JournalRecorder.withUntetheredTimeouts(CHANNEL, 50, 300);
    private static final int WINDOW_BYTES = 32 * 1024;
    private static final long TIMEOUT_NS = 20_000_000_000L;

    @TempDir
    Path tmp;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
    private int messageLength;

    /** Market-data event {@code eventSeq} (a one-level book), as verify-journal expects the stream to hold. */
    private UnsafeBuffer book(final long eventSeq)
    {
        final byte[] bytes = TestMessages.book(eventSeq, 1, 1_000 + eventSeq, 100, 1, 101, 1);
        message.putBytes(0, bytes);
        messageLength = bytes.length;
        return message;
    }

    private long offer(final ExclusivePublication publication, final long eventSeq)
    {
        book(eventSeq);
        return publication.offer(message, 0, messageLength);
    }

    @BeforeEach
    void launchDriver()
    {
        driver = EmbeddedDriver.launch();
        aeron = driver.connectClient();
    }

    @AfterEach
    void closeDriver()
    {
        aeron.close();
        driver.close();
    }

    @Test
    void aTetheredJournalHoldsThePublisherBackOnceAWindowBehindAndLosesNothing()
    {
        final Streams streams = streams();
        final ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, streams.marketData());
        final Path runDir = tmp.resolve("tethered");
        final JournalRecorder journal = JournalRecorder.subscribe(aeron, streams, new int[]{streams.marketData()},
            runDir, manifest(), false, true);
        journal.onStart();
        awaitConnected(publication, journal);

        // the journal does not poll: the publisher runs into the window
        long accepted = 0;
        long result = 0;
        for (int i = 0; i < 10_000 && (result = offer(publication, accepted + 1)) > 0; i++)
        {
            accepted++;
        }
        assertEquals(Publication.BACK_PRESSURED, result, "the lagging journal holds the publisher back");
        assertTrue(accepted * messageLength <= WINDOW_BYTES, "within a window: " + accepted + " messages");

        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (journal.messageCount(0) < accepted && System.nanoTime() < deadlineNs)
        {
            journal.doWork();
        }
        assertEquals(accepted, journal.messageCount(0), "everything recorded once the journal polls again");
        long offered;
        while ((offered = offer(publication, accepted + 1)) < 0 && System.nanoTime() < deadlineNs)
        {
            journal.doWork();
        }
        assertTrue(offered > 0, "and the publisher goes on");
        assertEquals(0, journal.lostBytes(0));
        journal.onClose();
        assertEquals(List.of(), JournalVerifier.verify(runDir));
    }

    @Test
    void anUntetheredJournalIsDroppedAfterABoundedStallAndCountsWhatItMissed() throws Exception
    {
        final Streams streams = streams();
        final ExclusivePublication publication = aeron.addExclusivePublication(UNTETHERED_TIMEOUTS, streams.marketData());
        // an agent reading the stream too, and keeping up: Aeron measures an untethered subscriber's lag against
        // the fastest subscriber, so on a stream only the journal reads (an inbox tee) untethering changes nothing
        final io.aeron.Subscription agent = aeron.addSubscription(CHANNEL, streams.marketData());
        final io.aeron.logbuffer.FragmentHandler consume = (buffer, offset, length, header) -> { };
        final Path runDir = tmp.resolve("untethered");
        final JournalRecorder journal = JournalRecorder.subscribe(aeron, streams.withChannel(UNTETHERED_TIMEOUTS),
            new int[]{streams.marketData()}, runDir, manifest(), false, false);
        journal.onStart();
        awaitConnected(publication, journal);
        long sent = 0;
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (sent < 10 && System.nanoTime() < deadlineNs)
        {
            agent.poll(consume, 100);
            if (offer(publication, sent + 1) > 0)
            {
                sent++;
            }
            journal.doWork();
        }
        assertEquals(10, journal.messageCount(0));

        // the journal stalls (a disk hiccup, a pause): held back briefly, the publisher then goes on without it
        long backPressured = 0;
        long stalledSinceNs = 0;
        long longestStallNs = 0;
        final long publishedBefore = publication.position();
        while (publication.position() - publishedBefore < 8L * WINDOW_BYTES && System.nanoTime() < deadlineNs)
        {
            agent.poll(consume, 100);
            if (offer(publication, sent + 1) > 0)
            {
                sent++;
                if (stalledSinceNs != 0)
                {
                    longestStallNs = Math.max(longestStallNs, System.nanoTime() - stalledSinceNs);
                    stalledSinceNs = 0;
                }
            }
            else
            {
                backPressured++;
                stalledSinceNs = stalledSinceNs == 0 ? System.nanoTime() : stalledSinceNs;
            }
        }
        assertTrue(publication.position() - publishedBefore >= 8L * WINDOW_BYTES,
            "the publisher went 8 windows past the stalled journal");
        assertTrue(backPressured > 0, "it was held back while the journal was still tethered by the window-limit timeout");
        assertTrue(longestStallNs < 2_000_000_000L, "a bounded stall (about 2 x 50 ms, on a loaded machine more): " + longestStallNs / 1_000_000 + " ms");

        // the journal resumes: it rejoins at the live position and counts the gap
        final long recordedBefore = journal.messageCount(0);
        while ((journal.lostBytes(0) == 0 || journal.messageCount(0) <= recordedBefore) && System.nanoTime() < deadlineNs)
        {
            journal.doWork();
            agent.poll(consume, 100);
            if (offer(publication, sent + 1) > 0)
            {
                sent++;
            }
            Thread.onSpinWait();
        }
        assertTrue(journal.lostBytes(0) > 0, "the bytes published while it was dropped are counted as lost");
        assertTrue(journal.messageCount(0) > recordedBefore, "and it records again after rejoining");
        assertTrue(journal.messageCount(0) < sent, "it missed messages: " + journal.messageCount(0) + " of " + sent);
        journal.onClose();
        final String json = Files.readString(runDir.resolve(RunManifest.FILE_NAME));
        assertTrue(json.contains("\"lostBytes\": " + journal.lostBytes(0)), json);
        final List<String> problems = JournalVerifier.verify(runDir);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("market-data: " + journal.lostBytes(0) + " bytes lost")),
            problems.toString());
    }

    private void awaitConnected(final ExclusivePublication publication, final JournalRecorder journal)
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (!publication.isConnected() && System.nanoTime() < deadlineNs)
        {
            journal.doWork();
        }
        journal.doWork(); // sees the image
        assertTrue(publication.isConnected());
    }

    private static Streams streams()
    {
        return Streams.fromConfig(new Config(Map.of("aeron.channel", CHANNEL), "test"));
    }

    private static RunManifest manifest()
    {
        return RunManifest.of("lag", new Config(Map.of(), "test"), "registry-hash", "test");
    }
}
