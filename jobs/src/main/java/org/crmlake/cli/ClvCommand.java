package org.crmlake.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.clv.FitClvJob;
import org.crmlake.lake.Lake;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "clv", mixinStandardHelpOptions = true,
        description = {"Customer lifetime value for a date: fit BG/NBD (purchases) and Gamma-Gamma (order value) on orders",
                "up to the date and write gold.clv (p_alive, expected purchases 90/365 days, 365-day CLV per customer) and",
                "gold.clv_parameters (job fit-clv; docs/CLV.md). Needs silver.orders and gold.identity_map.",
                "Example: crm clv --date 2026-09-30"})
final class ClvCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "End of the calibration period: orders after it are ignored.")
    LocalDate date;

    @Override
    public Integer call() {
        Console console = new Console();
        Lake lake = where.open("crm-clv");
        Job job = new FitClvJob();
        console.progress(job.name() + " " + date + ": " + job.description());
        console.summary(job.run(new JobContext(lake, where.landingUri(), date, console::progress)));
        console.progress("clv done");
        return 0;
    }
}
