package org.crmlake.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.clv.RecommendProductsJob;
import org.crmlake.lake.Lake;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = {"Next-best products for a date: item-to-item similarity of products bought by the same customers",
                "up to the date, top 3 products per customer that it has not bought, each with the product that explains it.",
                "Customers left with fewer than 3 (those who never bought, say) get the most-bought products they do not own",
                "(column basis). Job recommend-products; writes gold.recommendations. Needs silver orders, order lines,",
                "products and persons, and gold.identity_map.",
                "Measure them with crm evaluate recommendations. Example: crm recommend --date 2026-09-30"})
final class RecommendCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "As-of date: orders after it are ignored.")
    LocalDate date;

    @Override
    public Integer call() {
        Console console = new Console();
        Lake lake = where.open("crm-recommend");
        Job job = new RecommendProductsJob();
        console.progress(job.name() + " " + date + ": " + job.description());
        console.summary(job.run(new JobContext(lake, where.landingUri(), date, console::progress)));
        console.progress("recommend done");
        return 0;
    }
}
