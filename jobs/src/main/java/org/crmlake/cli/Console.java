package org.crmlake.cli;

import java.time.Duration;
import java.util.List;
import org.crmlake.pipeline.JobResult;

/** Human-readable output: progress lines with elapsed time and job summaries. */
final class Console {
    private final long start = System.nanoTime();

    void progress(String line) {
        System.out.printf("[%s] %s%n", elapsed(), line);
        System.out.flush();
    }

    void summary(JobResult result) {
        result.summary().forEach(System.out::println);
    }

    void lines(List<String> lines) {
        lines.forEach(System.out::println);
    }

    String elapsed() {
        Duration d = Duration.ofNanos(System.nanoTime() - start);
        return String.format("%02d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
