package org.crmlake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.crmlake.bench.StageMeter.Cost;
import org.junit.jupiter.api.Test;

class StageMeterTest {
    private static final int MIB = 1 << 20;

    @Test
    void aStageThatTouches256MiBShowsItInItsPeaksAndTheNextSmallStageDoesNot() {
        byte[][] kept = new byte[1][];
        Cost big = StageMeter.measure(() -> {
            byte[] block = new byte[256 * MIB];
            for (int i = 0; i < block.length; i += 4096) {
                block[i] = 1; // touch every page, so it is resident
            }
            kept[0] = block;
            burnCpu(200);
        });
        assertThat(big.peakHeapMib()).isGreaterThanOrEqualTo(256);
        assertThat(big.peakRssMib()).isGreaterThanOrEqualTo(256);
        assertThat(big.cpuSeconds()).isGreaterThan(0.1);
        // CPU is every thread's (GC and JIT threads work beside this one), so it may reach wall x cores,
        // never more; the margin covers the two clocks' granularity.
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(big.cpuSeconds()).isLessThanOrEqualTo(big.wallSeconds() * cores * 1.1 + 0.05);

        kept[0] = null;
        System.gc();
        Cost small = StageMeter.measure(() -> burnCpu(20));
        // The peaks were reset: the small stage's heap peak no longer holds the 256 MiB block.
        assertThat(small.peakHeapMib()).isLessThan(big.peakHeapMib());
    }

    /**
     * Spends {@code millis} of this thread's CPU time (not wall time: beside other work on a loaded
     * machine, 200 ms of wall time got only 0.1 s of CPU in a CI run).
     */
    private static void burnCpu(long millis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        double x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            x += Math.sqrt(x + 1);
        }
        assertThat(x).isPositive();
    }
}
