package org.crmlake.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.identity.ResolveIdentitiesJob;
import org.crmlake.identity.ResolveOptions;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = {"Link the person records of every source into customers (identity resolution, docs/IDENTITY.md).",
                "Writes gold.identity_map, customers (golden records), identity_links (why records merged),",
                "shared_keys, identity_history (new, merge, split) and cookie_map. Customer ids stay stable across runs.",
                "Example: crm resolve --date 2026-09-30", "  then:  crm evaluate identity --world work/world"})
final class ResolveCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "Logical date of the run.")
    LocalDate date;

    @Option(names = "--threshold", paramLabel = "BITS",
            description = "Fellegi-Sunter match threshold in bits (default ${DEFAULT-VALUE}); higher = fewer, surer merges.")
    double threshold = ResolveOptions.DEFAULT.weights().threshold();

    @Option(names = "--max-block-size", paramLabel = "N",
            description = "Records sharing a blocking key beyond which they are not compared pair by pair (default ${DEFAULT-VALUE}).")
    int maxBlockSize = ResolveOptions.DEFAULT.maxBlockSize();

    @Override
    public Integer call() {
        var job = new ResolveIdentitiesJob(new ResolveOptions(ResolveOptions.DEFAULT.weights(), maxBlockSize)
                .withThreshold(threshold));
        Console console = new Console();
        console.progress(job.name() + " " + date);
        console.summary(job.run(new JobContext(where.open("crm-resolve"), where.landingUri(), date, console::progress)));
        console.progress("resolve done");
        return 0;
    }
}
