package org.crmlake.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.lake.Lake;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "conform", mixinStandardHelpOptions = true,
        description = {"Rebuild the silver tables from bronze: standardised persons (E.164 phones, e-mails, names),",
                "orders, products, sessionised web events, calls with sentiment, tickets, opportunities, consents.",
                "Silver is a pure function of bronze, so re-running gives the same tables."})
final class ConformCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Override
    public Integer call() {
        Console console = new Console();
        Lake lake = where.open("crm-conform");
        for (Job j : JobRegistry.daily()) {
            if (j.name().startsWith("conform-")) {
                console.progress(j.name());
                console.summary(j.run(new JobContext(lake, where.landingUri(), LocalDate.now(), console::progress)));
            }
        }
        return 0;
    }
}
