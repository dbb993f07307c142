package mm.perf.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the figures were measured on, read from the running system: CPU model and flags of interest, cores,
 * memory, kernel, OS, JDK, frequency governor (or that the VM does not expose one), isolated cores, perf-event
 * permission, and the load average (the machine may be shared with other work).
 */
public final class MachineInfo
{
    private MachineInfo()
    {
    }

    public static Map<String, String> describe()
    {
        final Map<String, String> info = new LinkedHashMap<>();
        final String cpuinfo = read("/proc/cpuinfo");
        info.put("cpuModel", field(cpuinfo, "model name", "unknown"));
        info.put("logicalCpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        info.put("coresPerSocket", field(cpuinfo, "cpu cores", "unknown"));
        final String flags = " " + field(cpuinfo, "flags", "") + " ";
        final StringBuilder notable = new StringBuilder();
        for (final String flag : List.of("hypervisor", "avx2", "avx512f", "constant_tsc", "nonstop_tsc"))
        {
            if (flags.contains(" " + flag + " "))
            {
                notable.append(notable.isEmpty() ? "" : " ").append(flag);
            }
        }
        info.put("cpuFlags", notable.toString());
        info.put("memory", field(read("/proc/meminfo"), "MemTotal", "unknown").replaceAll("\\s+", " "));
        info.put("kernel", read("/proc/sys/kernel/osrelease").trim());
        info.put("os", osName());
        info.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " +
            System.getProperty("java.runtime.version"));
        final String governor = read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor").trim();
        info.put("governor", governor.isEmpty() ? "not exposed (no cpufreq in this VM)" : governor);
        final String isolated = read("/sys/devices/system/cpu/isolated").trim();
        info.put("isolatedCpus", isolated.isEmpty() ? "none" : isolated);
        info.put("perfEventParanoid", read("/proc/sys/kernel/perf_event_paranoid").trim());
        info.put("user", System.getProperty("user.name"));
        info.put("loadAverage", loadAverage());
        return info;
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code 1.52 1.20 0.98}. */
    public static String loadAverage()
    {
        final String[] parts = read("/proc/loadavg").trim().split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
    }

    private static String osName()
    {
        for (final String line : read("/etc/os-release").split("\n"))
        {
            if (line.startsWith("PRETTY_NAME="))
            {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private static String field(final String text, final String name, final String fallback)
    {
        for (final String line : text.split("\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name))
            {
                return line.substring(colon + 1).trim();
            }
        }
        return fallback;
    }

    private static String read(final String file)
    {
        try
        {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException ex)
        {
            return "";
        }
    }
}
