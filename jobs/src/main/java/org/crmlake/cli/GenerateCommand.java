package org.crmlake.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crmlake.generate.GenerateResult;
import org.crmlake.generate.WorldGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Simulate a company's customers and write their CRM, ERP, web and call-centre exports",
                "to <out>/landing/<source>/<date>/, with ground truth in <out>/truth/ (docs/SOURCES.md).",
                "The same arguments always give the same bytes."})
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    WorldOptions world;

    @Option(names = "--out", defaultValue = "work/world", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Console console = new Console();
        GenerateResult r = new WorldGenerator(world.toOptions(out)).onProgress(console::progress).generate();
        long rows = r.rowsPerFile().entrySet().stream().filter(e -> e.getKey().startsWith("landing"))
                .mapToLong(java.util.Map.Entry::getValue).sum();
        console.progress(String.format("world of %d persons written to %s: %d export rows in batches %s",
                r.persons(), r.out(), rows, r.batchDates()));
        return 0;
    }
}
