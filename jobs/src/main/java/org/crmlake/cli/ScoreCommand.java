package org.crmlake.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.training.ScoreCustomersJob;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score every customer with the champion churn and propensity models (job score-customers)",
                "into gold.scores with deciles and the top three reasons, gold.model_drift, and drift alerts.",
                "Needs gold.features for the date (crm features --date D) and a champion (crm train).",
                "Example: crm score --date 2026-09-30"})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "Date whose features are scored.")
    LocalDate date;

    @Override
    public Integer call() {
        Console console = new Console();
        ScoreCustomersJob job = new ScoreCustomersJob();
        console.progress(job.name() + " " + date + ": " + job.description());
        console.summary(job.run(new JobContext(where.open("crm-score"), where.landingUri(), date, console::progress)));
        return 0;
    }
}
