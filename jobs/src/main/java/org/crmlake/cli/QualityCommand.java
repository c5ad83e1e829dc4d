package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.quality.CheckQualityJob;
import org.crmlake.quality.QualityCheck;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quality", mixinStandardHelpOptions = true,
        description = {"Measure each source's batch (parse rate, completeness, validity, uniqueness) into",
                "ops.dq_results and fail (exit code 3) naming every measure below its threshold.",
                "Thresholds: jobs/src/main/resources/quality.yaml, or your own file with --thresholds."})
final class QualityCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "Batch date to measure.")
    LocalDate date;

    @Option(names = "--thresholds", paramLabel = "FILE", description = "Thresholds file in the format of quality.yaml.")
    Path thresholds;

    @Override
    public Integer call() {
        Console console = new Console();
        var checks = thresholds == null ? QualityCheck.defaults() : QualityCheck.load(thresholds);
        console.summary(new CheckQualityJob(checks).run(
                new JobContext(where.open("crm-quality"), where.landingUri(), date, console::progress)));
        return 0;
    }
}
