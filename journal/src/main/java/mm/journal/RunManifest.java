package mm.journal;

import io.aeron.AeronVersion;
import mm.common.config.Config;
import mm.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a run folder holds and how it was made: run id, start (and end) time, SHA-256 of the configuration's
 * canonical text, the instrument registry hash, and the versions of the engine, the JVM and the libraries.
 * Written as {@value #FILE_NAME} when recording starts and rewritten at close with, per stream, the message
 * count, the SHA-256 of the canonical message sequence and the SHA-256 of every queue file, so a run can be
 * checked later without trusting the process that wrote it.
 * <p>
 * Plain hand-written JSON: small, stable key order, no library on the class path for it.
 */
public final class RunManifest
{
    public static final String FILE_NAME = "manifest.json";
    public static final String FORMAT = "mm-run-manifest/1";
    public static final String STATE_RECORDING = "recording";
    public static final String STATE_CLOSED = "closed";

    private final String runId;
    private final long startTimeMs;
    private final String configSha256;
    private final String instrumentRegistryHash;
    private final Map<String, String> versions;
    private final List<Session> sessions = new ArrayList<>();

    /**
     * @param runId                  unique name of the run (usually also the run folder's name).
     * @param startTimeMs            wall-clock start, epoch milliseconds (metadata only, never an input).
     * @param configCanonicalText    {@link Config#canonicalText()} of the run's configuration; its SHA-256 is kept.
     * @param instrumentRegistryHash e.g. {@code InstrumentRegistry.sha256()}.
     * @param engineVersion          the engine's own version string.
     */
    public RunManifest(
        final String runId,
        final long startTimeMs,
        final String configCanonicalText,
        final String instrumentRegistryHash,
        final String engineVersion)
    {
        this.runId = runId;
        this.startTimeMs = startTimeMs;
        this.configSha256 = sha256Hex(configCanonicalText.getBytes(StandardCharsets.UTF_8));
        this.instrumentRegistryHash = instrumentRegistryHash;
        this.versions = Collections.unmodifiableMap(collectVersions(engineVersion));
    }

    /** A manifest starting now for {@code config}. */
    public static RunManifest of(
        final String runId, final Config config, final String instrumentRegistryHash, final String engineVersion)
    {
        return new RunManifest(
            runId, System.currentTimeMillis(), config.canonicalText(), instrumentRegistryHash, engineVersion);
    }

    public String runId()
    {
        return runId;
    }

    public long startTimeMs()
    {
        return startTimeMs;
    }

    public String configSha256()
    {
        return configSha256;
    }

    public String instrumentRegistryHash()
    {
        return instrumentRegistryHash;
    }

    /**
     * One start of the engine into this run folder: the first run, then one per restart after a stop or a
     * crash ({@code journal.resume=true}). The agents start afresh at each, so the journal checks and replay
     * treat each session's slice of every stream on its own.
     *
     * @param firstMessages per stream name, the index of the session's first message.
     */
    public record Session(long startTimeMs, Map<String, Long> firstMessages)
    {
    }

    /** Sessions of this run so far; a new run has none until its recorder adds the first. */
    public List<Session> sessions()
    {
        return sessions;
    }

    public RunManifest addSession(final Session session)
    {
        sessions.add(session);
        return this;
    }

    /**
     * The sessions recorded in {@code runDir}'s manifest; a manifest without sessions (a run recorded before
     * sessions were kept) is one session starting at message 0 of every stream. Empty if there is no manifest.
     */
    public static List<Session> readSessions(final Path runDir)
    {
        final Path file = runDir.resolve(FILE_NAME);
        if (!java.nio.file.Files.isRegularFile(file))
        {
            return List.of();
        }
        final Map<String, Object> manifest;
        try
        {
            manifest = mm.common.json.JsonTree.object(mm.common.json.JsonTree.parse(java.nio.file.Files.readAllBytes(file)));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot read " + file, ex);
        }
        final List<Session> sessions = new ArrayList<>();
        final Object listed = manifest.get("sessions");
        if (listed == null)
        {
            sessions.add(new Session(((Number)manifest.get("startTimeMs")).longValue(), Map.of()));
            return sessions;
        }
        for (final Object entry : mm.common.json.JsonTree.array(listed))
        {
            final Map<String, Object> session = mm.common.json.JsonTree.object(entry);
            final Map<String, Long> firstMessages = new java.util.TreeMap<>();
            for (final Map.Entry<String, Object> first :
                mm.common.json.JsonTree.object(session.get("firstMessages")).entrySet())
            {
                firstMessages.put(first.getKey(), ((Number)first.getValue()).longValue());
            }
            sessions.add(new Session(((Number)session.get("startTimeMs")).longValue(), firstMessages));
        }
        return sessions;
    }

    /** engine, java, javaVendor, aeron, agrona, chronicle-queue/bytes/core/wire, sbeSchema. */
    public Map<String, String> versions()
    {
        return versions;
    }

    /** Writes the manifest of a run that has started: state {@value #STATE_RECORDING}, streams by name only. */
    public void writeStart(final Path runDir, final List<StreamSummary> streams)
    {
        write(runDir, toJson(STATE_RECORDING, 0, streams));
    }

    /** Rewrites the manifest of a finished run: state {@value #STATE_CLOSED}, with counts and checksums. */
    public void writeFinal(final Path runDir, final long endTimeMs, final List<StreamSummary> streams)
    {
        write(runDir, toJson(STATE_CLOSED, endTimeMs, streams));
    }

    /** The manifest text; {@code endTimeMs} is written only for a closed run. */
    public String toJson(final String state, final long endTimeMs, final List<StreamSummary> streams)
    {
        final StringBuilder json = new StringBuilder(1024);
        json.append("{\n");
        field(json, 1, "format", FORMAT, true);
        field(json, 1, "runId", runId, true);
        field(json, 1, "state", state, true);
        field(json, 1, "startTime", Instant.ofEpochMilli(startTimeMs).toString(), true);
        number(json, 1, "startTimeMs", startTimeMs, true);
        if (STATE_CLOSED.equals(state))
        {
            field(json, 1, "endTime", Instant.ofEpochMilli(endTimeMs).toString(), true);
            number(json, 1, "endTimeMs", endTimeMs, true);
        }
        field(json, 1, "configSha256", configSha256, true);
        field(json, 1, "instrumentRegistryHash", instrumentRegistryHash, true);
        field(json, 1, "rollCycle", JournalQueues.ROLL_CYCLE.toString(), true);
        field(json, 1, "messageHashRule", "sha256 over each message as int32 little-endian length then its bytes", true);
        indent(json, 1).append("\"versions\": {\n");
        int i = 0;
        for (final Map.Entry<String, String> entry : versions.entrySet())
        {
            field(json, 2, entry.getKey(), entry.getValue(), ++i < versions.size());
        }
        indent(json, 1).append("},\n");
        indent(json, 1).append("\"streams\": [");
        for (int s = 0; s < streams.size(); s++)
        {
            json.append(s == 0 ? "\n" : ",\n");
            streams.get(s).appendJson(json, 2, STATE_CLOSED.equals(state));
        }
        json.append(streams.isEmpty() ? "]" : "\n" + "  ]");
        json.append(",\n");
        indent(json, 1).append("\"sessions\": [");
        for (int s = 0; s < sessions.size(); s++)
        {
            final Session session = sessions.get(s);
            json.append(s == 0 ? "\n" : ",\n");
            indent(json, 2).append("{ \"startTime\": ");
            quote(json, Instant.ofEpochMilli(session.startTimeMs()).toString());
            json.append(", \"startTimeMs\": ").append(session.startTimeMs()).append(", \"firstMessages\": {");
            int f = 0;
            for (final Map.Entry<String, Long> first : session.firstMessages().entrySet())
            {
                json.append(f++ == 0 ? " " : ", ");
                quote(json, first.getKey());
                json.append(": ").append(first.getValue());
            }
            json.append(" } }");
        }
        json.append(sessions.isEmpty() ? "]\n" : "\n  ]\n");
        json.append("}\n");
        return json.toString();
    }

    /** Counts and checksums of one recorded stream. */
    public record StreamSummary(
        String name,
        int streamId,
        long messageCount,
        long byteCount,
        String messagesSha256,
        List<FileChecksum> files,
        long lostBytes)
    {
        /** A stream the journal recorded completely. */
        public StreamSummary(
            final String name,
            final int streamId,
            final long messageCount,
            final long byteCount,
            final String messagesSha256,
            final List<FileChecksum> files)
        {
            this(name, streamId, messageCount, byteCount, messagesSha256, files, 0);
        }

        /** A stream as named at start, before anything was recorded. */
        public static StreamSummary named(final String name, final int streamId)
        {
            return new StreamSummary(name, streamId, 0, 0, null, List.of());
        }

        void appendJson(final StringBuilder json, final int depth, final boolean withCounts)
        {
            indent(json, depth).append("{\n");
            field(json, depth + 1, "name", name, true);
            number(json, depth + 1, "streamId", streamId, withCounts);
            if (withCounts)
            {
                number(json, depth + 1, "messageCount", messageCount, true);
                number(json, depth + 1, "byteCount", byteCount, true);
                field(json, depth + 1, "messagesSha256", messagesSha256, true);
                if (lostBytes > 0)
                {
                    // an untethered journal fell behind and the driver dropped it for a while (journal.tether)
                    number(json, depth + 1, "lostBytes", lostBytes, true);
                }
                indent(json, depth + 1).append("\"files\": [");
                for (int f = 0; f < files.size(); f++)
                {
                    final FileChecksum file = files.get(f);
                    json.append(f == 0 ? "\n" : ",\n");
                    indent(json, depth + 2).append("{ ");
                    json.append("\"file\": ");
                    quote(json, file.file());
                    json.append(", \"sizeBytes\": ").append(file.sizeBytes());
                    json.append(", \"sha256\": ");
                    quote(json, file.sha256());
                    json.append(" }");
                }
                if (!files.isEmpty())
                {
                    json.append('\n');
                    indent(json, depth + 1);
                }
                json.append("]\n");
            }
            indent(json, depth).append('}');
        }
    }

    /** One queue file: its path relative to the run folder (with '/'), its size and SHA-256. */
    public record FileChecksum(String file, long sizeBytes, String sha256)
    {
    }

    /** Checksums every queue file of {@code streamName}'s queue in {@code runDir}, in cycle order. */
    public static List<FileChecksum> queueFileChecksums(final Path runDir, final String streamName)
    {
        final List<Path> files = JournalQueues.queueFiles(runDir.resolve(streamName));
        final FileChecksum[] checksums = new FileChecksum[files.size()];
        for (int i = 0; i < checksums.length; i++)
        {
            final Path file = files.get(i);
            try
            {
                checksums[i] = new FileChecksum(
                    streamName + "/" + file.getFileName(), Files.size(file), fileSha256(file));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return List.of(checksums);
    }

    public static String fileSha256(final Path file)
    {
        final MessageDigest digest = newSha256();
        final byte[] chunk = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file))
        {
            int read;
            while ((read = in.read(chunk)) > 0)
            {
                digest.update(chunk, 0, read);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256Hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    public static MessageDigest newSha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java runtime has SHA-256", ex);
        }
    }

    private static void write(final Path runDir, final String json)
    {
        try
        {
            Files.createDirectories(runDir);
            // Write then rename, so a reader (or a crash) never sees half a manifest.
            final Path tmp = runDir.resolve(FILE_NAME + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, runDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write run manifest in " + runDir, ex);
        }
    }

    private static Map<String, String> collectVersions(final String engineVersion)
    {
        final Map<String, String> versions = new LinkedHashMap<>();
        versions.put("engine", engineVersion);
        versions.put("java", Runtime.version().toString());
        versions.put("javaVendor", System.getProperty("java.vendor", "unknown"));
        versions.put("javaVm", System.getProperty("java.vm.name", "unknown"));
        versions.put("aeron", AeronVersion.VERSION);
        versions.put("agrona", orUnknown(DirectBuffer.class.getPackage().getImplementationVersion()));
        versions.put("chronicleQueue", mavenVersion("chronicle-queue"));
        versions.put("chronicleBytes", mavenVersion("chronicle-bytes"));
        versions.put("chronicleWire", mavenVersion("chronicle-wire"));
        versions.put("chronicleCore", mavenVersion("chronicle-core"));
        versions.put("sbeSchema", MessageHeaderEncoder.SCHEMA_ID + "/" + MessageHeaderEncoder.SCHEMA_VERSION);
        return versions;
    }

    /** Chronicle's jars carry no Implementation-Version, but Maven's pom.properties. */
    private static String mavenVersion(final String artifactId)
    {
        final String resource = "META-INF/maven/net.openhft/" + artifactId + "/pom.properties";
        try (InputStream in = RunManifest.class.getClassLoader().getResourceAsStream(resource))
        {
            if (in == null)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return orUnknown(properties.getProperty("version"));
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static String orUnknown(final String value)
    {
        return value == null || value.isEmpty() ? "unknown" : value;
    }

    private static StringBuilder indent(final StringBuilder json, final int depth)
    {
        for (int i = 0; i < depth; i++)
        {
            json.append("  ");
        }
        return json;
    }

    private static void field(
        final StringBuilder json, final int depth, final String key, final String value, final boolean more)
    {
        indent(json, depth);
        quote(json, key);
        json.append(": ");
        if (value == null)
        {
            json.append("null");
        }
        else
        {
            quote(json, value);
        }
        json.append(more ? ",\n" : "\n");
    }

    private static void number(
        final StringBuilder json, final int depth, final String key, final long value, final boolean more)
    {
        indent(json, depth);
        quote(json, key);
        json.append(": ").append(value).append(more ? ",\n" : "\n");
    }

    static void quote(final StringBuilder json, final String text)
    {
        json.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        json.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
