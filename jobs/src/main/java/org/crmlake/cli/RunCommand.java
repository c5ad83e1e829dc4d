package org.crmlake.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run one pipeline job by name for a logical date; `crm jobs` lists them.",
                "This is what each Airflow task runs. Example: crm run conform-persons --date 2026-09-30"})
final class RunCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Parameters(index = "0", paramLabel = "JOB", description = "Job name, e.g. ingest-crm, conform-persons, check-quality.")
    String job;

    @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd", description = "Logical date of the run.")
    LocalDate date;

    @Override
    public Integer call() {
        Job j = JobRegistry.byName(job);
        Console console = new Console();
        console.progress(j.name() + " " + date + ": " + j.description());
        JobContext context = new JobContext(where.open("crm-" + j.name()), where.landingUri(), date, console::progress).sizedFor(j);
        console.summary(j.run(context));
        console.progress(j.name() + " done");
        return 0;
    }
}
