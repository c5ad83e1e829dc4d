package org.crmlake.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.features.BuildFeaturesJob;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Build gold.features for a cutoff date: model features from data up to that day only, and the",
                "churn and purchase labels observed after it (null where the horizon runs past the data).",
                "crm train builds its own cutoffs; use this to inspect one. Example: crm features --date 2026-06-30"})
final class FeaturesCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Mixin
    LabelOptions labels;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "Cutoff date.")
    LocalDate date;

    @Override
    public Integer call() {
        Console console = new Console();
        BuildFeaturesJob job = new BuildFeaturesJob(labels.spec());
        console.progress(job.name() + " " + date + ": " + job.description());
        console.summary(job.run(new JobContext(where.open("crm-features"), where.landingUri(), date, console::progress)));
        return 0;
    }
}
