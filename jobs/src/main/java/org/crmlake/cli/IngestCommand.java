package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.crmlake.ingest.IngestSourceJob;
import org.crmlake.ingest.LandingFolders;
import org.crmlake.ingest.SourceContract;
import org.crmlake.ingest.SourceMapping;
import org.crmlake.lake.Lake;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Land a source's batch folder in bronze. Bad records go to bronze.quarantine with the reason;",
                "ops.ingest_log records rows in = kept + quarantined per file. Re-ingesting a date replaces it;",
                "an unchanged batch is skipped unless --force.",
                "Example: crm ingest --source crm --date 2026-09-30",
                "         crm ingest --source crm --all-dates --mapping my-crm.yaml"})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Option(names = "--source", required = true, paramLabel = "SOURCE",
            description = "crm, erp, web, calls, or all.")
    String source;

    @ArgGroup(multiplicity = "1")
    Dates dates;

    static final class Dates {
        @Option(names = "--date", paramLabel = "yyyy-MM-dd", description = "Batch date to ingest.")
        LocalDate date;

        @Option(names = "--all-dates", description = "Every batch folder found, oldest first.")
        boolean all;
    }

    @Option(names = "--mapping", paramLabel = "FILE", description = "Mapping file for an export in another layout (one source only; docs/MAPPING.md).")
    Path mapping;

    @Option(names = "--force", description = "Re-ingest even when the batch's files are unchanged.")
    boolean force;

    @Override
    public Integer call() {
        List<String> sources = source.equals("all") ? SourceContract.SOURCES : List.of(source);
        if (!source.equals("all")) {
            SourceContract.load(source); // rejects an unknown source with the list of known ones
        }
        if (mapping != null && sources.size() > 1) {
            throw new IllegalArgumentException("--mapping describes one source's export; use it with --source crm|erp|web|calls");
        }
        Console console = new Console();
        Lake lake = where.open("crm-ingest");
        for (String s : sources) {
            SourceMapping m = mapping == null ? SourceMapping.builtIn(s) : SourceMapping.fromFile(mapping);
            if (!m.contract().source().equals(s)) {
                throw new IllegalArgumentException("mapping file " + mapping + " is for source " + m.contract().source()
                        + ", not " + s + "; pass --source " + m.contract().source());
            }
            List<LocalDate> todo = dates.all
                    ? LandingFolders.batchDates(where.landingUri(), s, lake.spark().sparkContext().hadoopConfiguration())
                    : List.of(dates.date);
            for (LocalDate d : todo) {
                console.progress("ingest " + s + " " + d);
                console.summary(new IngestSourceJob(m, force).run(
                        new JobContext(lake, where.landingUri(), d, console::progress)));
            }
        }
        return 0;
    }
}
