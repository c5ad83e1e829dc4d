package org.crmlake.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures one piece of work in this JVM: wall time, CPU time of all its threads, peak resident
 * memory (Linux: the peak is reset through {@code /proc/self/clear_refs} before the work and read
 * as {@code VmHWM} after it) and peak heap in use.
 */
public final class StageMeter {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /** What one run of a piece of work cost; memory figures are -1 where the platform cannot tell. */
    public record Cost(double wallSeconds, double cpuSeconds, long peakRssMib, long peakHeapMib) {
    }

    private StageMeter() {
    }

    public static Cost measure(Runnable work) {
        resetPeaks();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        work.run();
        double wall = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
        return new Cost(wall, cpuSeconds, peakRssMib(), peakHeapMib());
    }

    /** The peak resident memory of this JVM since it started (or since the last reset), in MiB. */
    public static long peakRssMib() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024; // reported in kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void resetPeaks() {
        try {
            Files.writeString(CLEAR_REFS, "5"); // 5 = reset the peak resident set size (proc(5))
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux: the peak stays the JVM's peak so far
        }
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapMib() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
