package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import org.crmlake.generate.GenerateOptions;
import picocli.CommandLine.Option;

/** The options that size and seed a generated world; shared by {@code crm generate} and {@code crm demo}. */
final class WorldOptions {
    @Option(names = "--customers", defaultValue = "2000", description = "Persons to simulate (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--days", defaultValue = "730",
            description = "Days of history, at least 30 (default ${DEFAULT-VALUE}: models need a year of history before their first training cutoff).")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mess", defaultValue = "default",
            description = "Mess level: none, low, default, high, or a number 0..1 (default ${DEFAULT-VALUE}).")
    String mess;

    @Option(names = "--end-date", description = "Last simulated day, yyyy-MM-dd (default 2026-09-30).")
    LocalDate endDate;

    GenerateOptions toOptions(Path out) {
        return new GenerateOptions(customers, days, seed, GenerateOptions.messLevel(mess),
                endDate == null ? GenerateOptions.DEFAULT_END_DATE : endDate, out.toAbsolutePath());
    }
}
