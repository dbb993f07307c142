package mm.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./mm doctor}: checks a host for low-latency readiness (isolated cores and tickless kernel, CPU
 * governor, transparent huge pages, swap, /dev/shm against the configured Aeron term lengths, NUMA,
 * clocksource, irqbalance) and says what to change. It reads /proc and /sys only (under a root folder that
 * tests replace), never changes anything, and says plainly what a virtual machine hides.
 */
final class Doctor
{
    enum Status
    {
        OK, WARN, INFO
    }

    /** One check: what was seen and, when it is not right, what to change. */
    record Finding(Status status, String check, String observed, String advice)
    {
        String line()
        {
            return String.format(Locale.ROOT, "  [%-4s] %-24s %s%s", status, check, observed,
                advice == null ? "" : System.lineSeparator() + "         " + " ".repeat(24) + " → " + advice);
        }
    }

    private final Path root;
    private final long termLengthBytes;
    private final int publications;
    private final List<Finding> findings = new ArrayList<>();

    /**
     * @param root            "/" on a real host; a fake tree in tests.
     * @param termLengthBytes the configured Aeron term length (aeron.channel's term-length).
     * @param publications    how many publications the engine creates on this host's driver.
     */
    Doctor(final Path root, final long termLengthBytes, final int publications)
    {
        this.root = root;
        this.termLengthBytes = termLengthBytes;
        this.publications = publications;
    }

    List<Finding> run()
    {
        findings.clear();
        final boolean virtual = checkVirtualMachine();
        checkIsolatedCpus();
        checkGovernor(virtual);
        checkTransparentHugePages();
        checkSwap();
        checkSharedMemory();
        checkNuma();
        checkClocksource();
        checkIrqbalance();
        return findings;
    }

    private boolean checkVirtualMachine()
    {
        final String cpuinfo = read("proc/cpuinfo");
        final boolean hypervisor = cpuinfo != null && Pattern.compile("^flags\\s*:.*\\bhypervisor\\b", Pattern.MULTILINE)
            .matcher(cpuinfo).find();
        if (hypervisor)
        {
            add(Status.INFO, "virtual machine", "the CPU reports a hypervisor",
                "inside a VM the host's frequency scaling, C-states, SMT siblings, interrupt routing and noisy " +
                "neighbours are invisible to these checks: ask the provider for dedicated (pinned) vCPUs and " +
                "measure with ./mm bench");
        }
        return hypervisor;
    }

    private void checkIsolatedCpus()
    {
        final String isolated = trimmed(read("sys/devices/system/cpu/isolated"));
        final String cmdline = trimmed(read("proc/cmdline"));
        final String nohz = trimmed(read("sys/devices/system/cpu/nohz_full"));
        if (isolated == null || isolated.isEmpty())
        {
            add(Status.WARN, "isolated cores", "none (" + cpuCount() + " CPUs, all shared with the scheduler)",
                "boot with isolcpus=<cores> nohz_full=<cores> rcu_nocbs=<cores> (e.g. the last two of each NUMA " +
                "node) and start the quoting, risk and gateway roles there (taskset -c <cores> ./mm run --role R; " +
                "engine.pin=true pins each agent thread)");
        }
        else
        {
            add(Status.OK, "isolated cores", isolated, null);
        }
        final boolean tickless = (nohz != null && !nohz.isEmpty() && !"(null)".equals(nohz)) ||
            (cmdline != null && cmdline.contains("nohz_full="));
        add(tickless ? Status.OK : Status.WARN, "tickless cores (nohz_full)",
            tickless ? (nohz != null && !nohz.isEmpty() ? nohz : "on the kernel command line") : "not configured",
            tickless ? null : "add nohz_full=<isolated cores> to the kernel command line: a pinned busy-spinning " +
                "thread then runs without the scheduler tick");
    }

    private void checkGovernor(final boolean virtual)
    {
        final TreeSet<String> governors = new TreeSet<>();
        for (final Path cpu : list("sys/devices/system/cpu", "cpu[0-9]+"))
        {
            final String governor = trimmed(read(root.relativize(cpu).resolve("cpufreq/scaling_governor").toString()));
            if (governor != null)
            {
                governors.add(governor);
            }
        }
        if (governors.isEmpty())
        {
            add(Status.INFO, "CPU governor", "not exposed (no cpufreq in /sys)" + (virtual ? ", usual in a VM" : ""),
                virtual ? null : "load the cpufreq driver to see and set it");
        }
        else if (governors.equals(new TreeSet<>(List.of("performance"))))
        {
            add(Status.OK, "CPU governor", "performance on every CPU", null);
        }
        else
        {
            add(Status.WARN, "CPU governor", String.join(", ", governors),
                "cpupower frequency-set -g performance (and disable deep C-states: intel_idle.max_cstate=1 or " +
                "processor.max_cstate=1)");
        }
    }

    private void checkTransparentHugePages()
    {
        final String enabled = trimmed(read("sys/kernel/mm/transparent_hugepage/enabled"));
        if (enabled == null)
        {
            add(Status.INFO, "transparent huge pages", "not exposed", null);
            return;
        }
        final Matcher selected = Pattern.compile("\\[(\\w+)]").matcher(enabled);
        final String mode = selected.find() ? selected.group(1) : enabled;
        if ("always".equals(mode))
        {
            add(Status.WARN, "transparent huge pages", "always",
                "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled: khugepaged compaction stalls are " +
                "latency spikes; the JVM can still ask for huge pages with -XX:+UseTransparentHugePages");
        }
        else
        {
            add(Status.OK, "transparent huge pages", mode, null);
        }
    }

    private void checkSwap()
    {
        final String swaps = read("proc/swaps");
        final long swapDevices = swaps == null ? 0 : swaps.lines().skip(1).filter(line -> !line.isBlank()).count();
        final String swappiness = trimmed(read("proc/sys/vm/swappiness"));
        if (swapDevices > 0)
        {
            add(Status.WARN, "swap", swapDevices + " swap device(s), swappiness " + swappiness,
                "swapoff -a (or vm.swappiness=0 and -XX:+AlwaysPreTouch with enough RAM): a page swapped out of " +
                "the heap or of /dev/shm costs milliseconds");
        }
        else
        {
            add(Status.OK, "swap", "no swap device" + (swappiness == null ? "" : " (swappiness " + swappiness + ")"), null);
        }
    }

    private void checkSharedMemory()
    {
        final Path shm = root.resolve("dev/shm");
        if (!Files.isDirectory(shm))
        {
            add(Status.WARN, "/dev/shm", "missing", "mount a tmpfs at /dev/shm: Aeron's log buffers live there");
            return;
        }
        // each publication's log is three terms plus a small metadata page
        final long neededBytes = publications * (3 * termLengthBytes + 4096L);
        try
        {
            final long usableBytes = Files.getFileStore(shm).getUsableSpace();
            final String observed = String.format(Locale.ROOT, "%s free, the engine needs about %s (%d publications × 3 × %s terms)",
                bytes(usableBytes), bytes(neededBytes), publications, bytes(termLengthBytes));
            add(usableBytes >= 2 * neededBytes ? Status.OK : Status.WARN, "/dev/shm", observed,
                usableBytes >= 2 * neededBytes ? null :
                    "mount -o remount,size=<at least " + bytes(2 * neededBytes) + "> /dev/shm, or use smaller " +
                    "term lengths (aeron.channel term-length)");
        }
        catch (final IOException ex)
        {
            add(Status.INFO, "/dev/shm", "size unreadable (" + ex.getMessage() + ")", null);
        }
    }

    private void checkNuma()
    {
        final List<Path> nodes = list("sys/devices/system/node", "node[0-9]+");
        if (nodes.size() <= 1)
        {
            add(Status.OK, "NUMA", nodes.isEmpty() ? "not exposed (one node assumed)" : "one node", null);
        }
        else
        {
            add(Status.WARN, "NUMA", nodes.size() + " nodes",
                "keep the media driver, the pinned roles and their memory on the node of the network card " +
                "(numactl --cpunodebind=N --membind=N) and pick isolated cores from that node");
        }
    }

    private void checkClocksource()
    {
        final String current = trimmed(read("sys/devices/system/clocksource/clocksource0/current_clocksource"));
        if (current == null)
        {
            add(Status.INFO, "clocksource", "not exposed", null);
        }
        else if ("tsc".equals(current))
        {
            add(Status.OK, "clocksource", "tsc", null);
        }
        else
        {
            final String available = trimmed(read("sys/devices/system/clocksource/clocksource0/available_clocksource"));
            add(Status.WARN, "clocksource", current + " (available: " + available + ")",
                available != null && available.contains("tsc") ? "echo tsc > /sys/devices/system/clocksource/" +
                    "clocksource0/current_clocksource (System.nanoTime is then a vDSO call, not a syscall)" :
                    "this host offers no tsc clocksource: timestamps cost a syscall");
        }
    }

    private void checkIrqbalance()
    {
        boolean running = false;
        for (final Path process : list("proc", "[0-9]+"))
        {
            final String comm = trimmed(read(root.relativize(process).resolve("comm").toString()));
            if ("irqbalance".equals(comm))
            {
                running = true;
                break;
            }
        }
        add(running ? Status.WARN : Status.OK, "irqbalance", running ? "running" : "not running",
            running ? "stop irqbalance (or set IRQBALANCE_BANNED_CPUS to the isolated cores) and steer the NIC's " +
                "interrupts to housekeeping cores via /proc/irq/*/smp_affinity" : null);
    }

    private int cpuCount()
    {
        return list("sys/devices/system/cpu", "cpu[0-9]+").size();
    }

    private void add(final Status status, final String check, final String observed, final String advice)
    {
        findings.add(new Finding(status, check, observed, advice));
    }

    private String read(final String relative)
    {
        try
        {
            final Path file = root.resolve(relative);
            if (!Files.isReadable(file))
            {
                return null;
            }
            // read to EOF: /proc files report a size that Files.readString trusts (one byte of "60" on some kernels)
            try (java.io.InputStream in = Files.newInputStream(file))
            {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    private List<Path> list(final String relative, final String namePattern)
    {
        final Path dir = root.resolve(relative);
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir))
        {
            return entries.filter(path -> path.getFileName().toString().matches(namePattern)).sorted().toList();
        }
        catch (final IOException ex)
        {
            return List.of();
        }
    }

    private static String trimmed(final String text)
    {
        return text == null ? null : text.trim();
    }

    static String bytes(final long bytes)
    {
        if (bytes >= 1L << 30)
        {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double)(1L << 30));
        }
        if (bytes >= 1L << 20)
        {
            return String.format(Locale.ROOT, "%.0f MiB", bytes / (double)(1L << 20));
        }
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
    }

    /** The term length an {@code aeron:} channel URI asks for, or Aeron's default (64 KiB). */
    static long termLength(final String channel)
    {
        final Matcher matcher = Pattern.compile("term-length=(\\d+)([kKmMgG]?)").matcher(channel);
        if (!matcher.find())
        {
            return 64 * 1024;
        }
        final long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2).toLowerCase(Locale.ROOT))
        {
            case "k" -> value << 10;
            case "m" -> value << 20;
            case "g" -> value << 30;
            default -> value;
        };
    }
}
