package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.generate.GenerateOptions;
import org.crmlake.generate.GenerateResult;
import org.crmlake.generate.WorldGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Simulate a company's customers and write their CRM, ERP, web and call-centre exports",
                "to <out>/landing/<source>/<date>/, with ground truth in <out>/truth/ (docs/SOURCES.md).",
                "The same arguments always give the same bytes."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--customers", defaultValue = "2000", description = "Persons to simulate (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--days", defaultValue = "365", description = "Days of history, at least 30 (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mess", defaultValue = "default",
            description = "Mess level: none, low, default, high, or a number 0..1 (default ${DEFAULT-VALUE}).")
    String mess;

    @Option(names = "--end-date", description = "Last simulated day, yyyy-MM-dd (default 2026-09-30).")
    LocalDate endDate;

    @Option(names = "--out", defaultValue = "work/world", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Console console = new Console();
        GenerateOptions options = new GenerateOptions(customers, days, seed, GenerateOptions.messLevel(mess),
                endDate == null ? GenerateOptions.DEFAULT_END_DATE : endDate, out.toAbsolutePath());
        GenerateResult r = new WorldGenerator(options).onProgress(console::progress).generate();
        long rows = r.rowsPerFile().entrySet().stream().filter(e -> e.getKey().startsWith("landing"))
                .mapToLong(java.util.Map.Entry::getValue).sum();
        console.progress(String.format("world of %d persons written to %s: %d export rows in batches %s",
                r.persons(), r.out(), rows, r.batchDates()));
        return 0;
    }
}
