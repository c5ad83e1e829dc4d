package org.crmlake.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crmlake.gold.DataDictionary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dictionary", mixinStandardHelpOptions = true,
        description = {"Write the data dictionary (every table of every layer, its key, partitioning and columns,",
                "the customer rules and the gold settings) from the table catalog. No Spark needed."})
final class DictionaryCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "FILE", defaultValue = "docs/DATA_DICTIONARY.md",
            description = "Markdown file to write (default: ${DEFAULT-VALUE}, relative to the current folder).")
    Path out;

    @Override
    public Integer call() {
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a folder; give a file, e.g. --out " + out.resolve("DATA_DICTIONARY.md"));
        }
        DataDictionary.write(out);
        System.out.println("wrote " + out + " (" + DataDictionary.tables().size() + " tables)");
        return 0;
    }
}
