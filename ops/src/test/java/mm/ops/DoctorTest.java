package mm.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host checks over fake /proc and /sys trees: a tuned host passes, an untuned one gets advice for each fault. */
class DoctorTest
{
    @Test
    void anUntunedHostGetsAdviceForEveryProblem(@TempDir final Path root) throws Exception
    {
        write(root, "proc/cpuinfo", "processor : 0\nflags : fpu sse2 hypervisor avx2\n");
        write(root, "proc/cmdline", "quiet splash\n");
        write(root, "sys/devices/system/cpu/isolated", "\n");
        write(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n");
        write(root, "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n");
        write(root, "sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n");
        write(root, "proc/swaps", "Filename Type Size Used Priority\n/swapfile file 1048572 0 -2\n");
        write(root, "proc/sys/vm/swappiness", "60\n");
        Files.createDirectories(root.resolve("dev/shm"));
        Files.createDirectories(root.resolve("sys/devices/system/node/node0"));
        Files.createDirectories(root.resolve("sys/devices/system/node/node1"));
        write(root, "sys/devices/system/clocksource/clocksource0/current_clocksource", "hpet\n");
        write(root, "sys/devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet acpi_pm\n");
        write(root, "proc/812/comm", "irqbalance\n");

        final Map<String, Doctor.Finding> byCheck = run(root);
        for (final String check : List.of("isolated cores", "tickless cores (nohz_full)", "CPU governor",
            "transparent huge pages", "swap", "NUMA", "clocksource", "irqbalance"))
        {
            assertEquals(Doctor.Status.WARN, byCheck.get(check).status(), check + ": " + byCheck.get(check));
            assertTrue(byCheck.get(check).advice() != null, check + " says what to change");
        }
        assertTrue(byCheck.get("CPU governor").observed().contains("powersave"));
        assertTrue(byCheck.get("clocksource").advice().contains("echo tsc"));
        assertEquals(Doctor.Status.INFO, byCheck.get("virtual machine").status());
    }

    @Test
    void aTunedHostPasses(@TempDir final Path root) throws Exception
    {
        write(root, "proc/cpuinfo", "processor : 0\nflags : fpu sse2 avx2 constant_tsc\n");
        write(root, "proc/cmdline", "isolcpus=2-3 nohz_full=2-3 rcu_nocbs=2-3\n");
        write(root, "sys/devices/system/cpu/isolated", "2-3\n");
        write(root, "sys/devices/system/cpu/nohz_full", "2-3\n");
        for (int cpu = 0; cpu < 4; cpu++)
        {
            write(root, "sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor", "performance\n");
        }
        write(root, "sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
        write(root, "proc/swaps", "Filename Type Size Used Priority\n");
        Files.createDirectories(root.resolve("dev/shm"));
        Files.createDirectories(root.resolve("sys/devices/system/node/node0"));
        write(root, "sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n");
        write(root, "proc/1/comm", "systemd\n");

        final Map<String, Doctor.Finding> byCheck = run(root);
        assertTrue(byCheck.values().stream().noneMatch(f -> f.status() == Doctor.Status.WARN), byCheck.toString());
        assertEquals("2-3", byCheck.get("isolated cores").observed());
    }

    @Test
    void theCommandRunsOnThisMachine() throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"doctor"}, new PrintStream(output, true, StandardCharsets.UTF_8)));
        final String text = output.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("isolated cores") && text.contains("/dev/shm") && text.contains("mm doctor: "), text);
    }

    private static Map<String, Doctor.Finding> run(final Path root)
    {
        return new Doctor(root, 1 << 20, 9).run().stream()
            .collect(Collectors.toMap(Doctor.Finding::check, f -> f, (a, b) -> a, TreeMap::new));
    }

    private static void write(final Path root, final String relative, final String text) throws Exception
    {
        final Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
