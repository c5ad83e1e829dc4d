package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.pipeline.JobContext;
import org.crmlake.segments.BuildSegmentsJob;
import org.crmlake.segments.SegmentFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Build the segments for a date (job build-segments): every SQL file in the segment folder selects",
                "customer_ids from the views customer_360 and scores; sizes go to gold.segments and entries and exits",
                "to gold.segment_membership. A broken file is reported with its line and the others still build",
                "(exit code 1 when any failed). Example: crm segment --date 2026-09-30"})
final class SegmentCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "As-of date of customer_360 and scores.")
    LocalDate date;

    @Option(names = "--segments", paramLabel = "DIR", defaultValue = "sql/segments",
            description = "Folder of segment *.sql files (default: ${DEFAULT-VALUE} when it exists, else the segments shipped in the jar).")
    Path segments;

    @Override
    public Integer call() {
        Console console = new Console();
        BuildSegmentsJob job = new BuildSegmentsJob(segments.equals(Path.of("sql/segments")) ? SegmentFile.DEFAULT_DIR : segments);
        console.progress(job.name() + " " + date + ": " + job.description());
        JobContext context = new JobContext(where.open("crm-segment"), where.landingUri(), date, console::progress);
        BuildSegmentsJob.Outcome outcome = job.build(context);
        console.summary(job.summary(context, outcome));
        return outcome.errors().isEmpty() ? 0 : 1;
    }
}
