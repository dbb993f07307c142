package mm.journal;

import mm.common.json.JsonTree;
import mm.common.sbe.Messages;
import mm.sbe.InboxRecordDecoder;
import mm.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a run's journal ({@code ./mm verify-journal DIR}): the manifest is there and closed, every queue
 * file has the size and SHA-256 the manifest recorded, every stream has the recorded message count and
 * message-sequence hash, market data is complete (event sequence numbers 1, 2, 3... without a gap) with
 * receive times that never go back, and every inbox is complete (inbox sequence 0, 1, 2...) with consume
 * times that never go back. Returns what is wrong, one line each; an empty list means the journal is sound.
 */
public final class JournalVerifier
{
    /** Problems reported per stream and kind before the rest are only counted. */
    private static final int MAX_LINES_PER_CHECK = 5;

    private final Path runDir;
    private final List<String> problems = new ArrayList<>();
    private List<RunManifest.Session> sessions = List.of();

    private JournalVerifier(final Path runDir)
    {
        this.runDir = runDir;
    }

    public static List<String> verify(final Path runDir)
    {
        final JournalVerifier verifier = new JournalVerifier(runDir);
        verifier.run();
        return verifier.problems;
    }

    private void run()
    {
        final Path manifestFile = runDir.resolve(RunManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile))
        {
            problems.add(RunManifest.FILE_NAME + ": missing in " + runDir);
            return;
        }
        final Map<String, Object> manifest;
        try
        {
            manifest = JsonTree.object(JsonTree.parse(Files.readAllBytes(manifestFile)));
        }
        catch (final IOException | RuntimeException ex)
        {
            problems.add(RunManifest.FILE_NAME + ": unreadable (" + ex.getMessage() + ")");
            return;
        }
        if (!RunManifest.FORMAT.equals(manifest.get("format")))
        {
            problems.add(RunManifest.FILE_NAME + ": format is " + manifest.get("format") + ", expected " +
                RunManifest.FORMAT);
            return;
        }
        final boolean closed = RunManifest.STATE_CLOSED.equals(manifest.get("state"));
        if (!closed)
        {
            problems.add(RunManifest.FILE_NAME + ": state is '" + manifest.get("state") +
                "': the run did not close (still running, or killed), so no checksums were recorded");
        }
        sessions = RunManifest.readSessions(runDir);
        final Object streams = manifest.get("streams");
        if (streams == null)
        {
            problems.add(RunManifest.FILE_NAME + ": no streams");
            return;
        }
        for (final Object entry : JsonTree.array(streams))
        {
            final Map<String, Object> stream = JsonTree.object(entry);
            try
            {
                verifyStream(stream, closed);
            }
            catch (final IllegalStateException | java.io.UncheckedIOException ex)
            {
                // a damaged queue file: say which and go on with the other streams
                problems.add(stream.get("name") + ": queue unreadable (" + ex.getMessage() + ")");
            }
        }
    }

    private void verifyStream(final Map<String, Object> stream, final boolean closed)
    {
        final String name = String.valueOf(stream.get("name"));
        if (!Files.isDirectory(runDir.resolve(name)))
        {
            problems.add(name + ": queue folder missing");
            return;
        }
        if (closed)
        {
            for (final Object fileEntry : JsonTree.array(stream.get("files")))
            {
                final Map<String, Object> file = JsonTree.object(fileEntry);
                final String relative = String.valueOf(file.get("file"));
                final Path path = runDir.resolve(relative);
                if (!Files.isRegularFile(path))
                {
                    problems.add(name + ": file " + relative + " missing");
                    continue;
                }
                final String actual = RunManifest.fileSha256(path);
                if (!actual.equals(file.get("sha256")))
                {
                    problems.add(name + ": file " + relative + " has SHA-256 " + actual + ", manifest says " +
                        file.get("sha256"));
                }
            }
            if (stream.get("lostBytes") instanceof Number lost && lost.longValue() > 0)
            {
                problems.add(name + ": " + lost.longValue() + " bytes lost: the journal fell behind its publisher and " +
                    "was dropped for a while (journal.tether=false), so this stream is incomplete");
            }
            final long count = JournalReader.count(runDir, name);
            final long expectedCount = ((Number)stream.get("messageCount")).longValue();
            if (count != expectedCount)
            {
                problems.add(name + ": " + count + " messages, manifest says " + expectedCount);
            }
            final String sha = JournalReader.sha256(runDir, name);
            if (!sha.equals(stream.get("messagesSha256")))
            {
                problems.add(name + ": message sequence SHA-256 " + sha + ", manifest says " +
                    stream.get("messagesSha256"));
            }
        }
        verifyContent(name);
    }

    /**
     * Sequence completeness and time order, whatever the manifest says. Each session (a restart into the same
     * run folder) starts its sequences and clock afresh.
     */
    private void verifyContent(final String name)
    {
        final java.util.TreeSet<Long> sessionStarts = new java.util.TreeSet<>();
        for (final RunManifest.Session session : sessions)
        {
            sessionStarts.add(session.firstMessages().getOrDefault(name, 0L));
        }
        final boolean marketData = name.equals("market-data");
        final boolean inbox = name.startsWith("inbox-");
        final InboxRecordDecoder record = new InboxRecordDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final long[] previous = {Long.MIN_VALUE, Long.MIN_VALUE}; // sequence, time
        final long[] findings = new long[3]; // foreign, gaps, time regressions
        JournalReader.forEach(runDir, name, new JournalReader.MessageHandler()
        {
            long index = -1;
            long sessionStart;

            public void onMessage(final DirectBuffer buffer, final int offset, final int length)
            {
                index++;
                if (sessionStarts.contains(index))
                {
                    sessionStart = index;
                    previous[0] = Long.MIN_VALUE;
                    previous[1] = Long.MIN_VALUE;
                }
                if (!Messages.isEngineMessage(buffer, offset, length))
                {
                    report(findings, 0, name + ": message " + index + " is not an engine message (" + length + " bytes)");
                    return;
                }
                final long timeNs = MessageText.timeNs(buffer, offset, length);
                if (inbox)
                {
                    header.wrap(buffer, offset);
                    record.wrap(buffer, offset + Messages.HEADER_LENGTH, header.blockLength(), header.version());
                    if (record.inboxSeq() != index - sessionStart)
                    {
                        report(findings, 1, name + ": message " + index + " has inbox sequence " + record.inboxSeq());
                    }
                }
                else if (marketData)
                {
                    final long eventSeq = Messages.eventSeq(buffer, offset);
                    if (previous[0] != Long.MIN_VALUE && eventSeq != previous[0] + 1)
                    {
                        report(findings, 1, name + ": message " + index + " has event " + eventSeq + " after " +
                            previous[0]);
                    }
                    previous[0] = eventSeq;
                }
                if ((inbox || marketData) && timeNs != Long.MIN_VALUE)
                {
                    if (previous[1] != Long.MIN_VALUE && timeNs < previous[1])
                    {
                        report(findings, 2, name + ": message " + index + " time " + timeNs + " ns is before " +
                            previous[1] + " ns of the message before it");
                    }
                    previous[1] = Math.max(previous[1], timeNs);
                }
            }
        });
        final String[] kinds = {"messages that are not engine messages", "sequence gaps", "time regressions"};
        for (int kind = 0; kind < findings.length; kind++)
        {
            if (findings[kind] > MAX_LINES_PER_CHECK)
            {
                problems.add(name + ": " + findings[kind] + " " + kinds[kind] + " in all");
            }
        }
    }

    private void report(final long[] findings, final int kind, final String problem)
    {
        if (++findings[kind] <= MAX_LINES_PER_CHECK)
        {
            problems.add(problem);
        }
    }
}
