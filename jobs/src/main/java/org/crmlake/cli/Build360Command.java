package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.crmlake.gold.BuildCustomer360Job;
import org.crmlake.gold.BuildFunnelJob;
import org.crmlake.gold.BuildKpisJob;
import org.crmlake.gold.GoldConfig;
import org.crmlake.lake.Lake;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "build360", mixinStandardHelpOptions = true,
        description = {"Build the gold layer for a date: gold.customer_360, gold.funnel, gold.kpi_daily and gold.alerts",
                "(jobs build-customer-360, build-funnel, build-kpis, in that order). Needs silver and gold.identity_map.",
                "Settings: jobs/src/main/resources/gold.yaml, or your own file with --config. Example: crm build360 --date 2026-09-30"})
final class Build360Command implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "As-of date: data after it is ignored.")
    LocalDate date;

    @Option(names = "--config", paramLabel = "FILE", description = "Gold settings in the format of gold.yaml (keys left out keep their defaults).")
    Path config;

    @Override
    public Integer call() {
        GoldConfig settings = config == null ? GoldConfig.defaults() : GoldConfig.load(config);
        Console console = new Console();
        Lake lake = where.open("crm-build360");
        for (Job job : List.of(new BuildCustomer360Job(settings), new BuildFunnelJob(), new BuildKpisJob(settings))) {
            console.progress(job.name() + " " + date + ": " + job.description());
            console.summary(job.run(new JobContext(lake, where.landingUri(), date, console::progress)));
        }
        console.progress("build360 done");
        return 0;
    }
}
