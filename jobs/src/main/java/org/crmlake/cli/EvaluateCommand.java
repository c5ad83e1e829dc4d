package org.crmlake.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crmlake.identity.IdentityEvaluation;
import org.crmlake.lake.Lake;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a pipeline step against ground truth. Example: crm evaluate identity --world work/world",
        subcommands = EvaluateCommand.Identity.class)
final class EvaluateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "identity", mixinStandardHelpOptions = true,
            description = {"Pairwise precision, recall and F1 of gold.identity_map against ground truth, and cluster counts.",
                    "Truth: a generated world (--world, its truth/record_person.csv) or your own labelled CSV",
                    "(--truth, header source,record_id,entity_id) for records ingested through the mapping path.",
                    "Example: crm evaluate identity --world work/demo/world --lake work/demo/lake --examples 5"})
    static final class Identity implements Callable<Integer> {
        @Mixin
        LakeOptions where;

        @ArgGroup(multiplicity = "1")
        Truth truth;

        static final class Truth {
            @Option(names = "--world", paramLabel = "DIR", description = "Folder of a world made by crm generate or crm demo.")
            Path world;

            @Option(names = "--truth", paramLabel = "FILE", description = "Labelled CSV: source,record_id,entity_id.")
            Path file;
        }

        @Option(names = "--examples", paramLabel = "N", defaultValue = "0",
                description = "Also print up to N missed links and N false merges with their records (default 0).")
        int examples;

        @Option(names = "--min-precision", paramLabel = "P", description = "Exit with code 1 when precision is below P.")
        Double minPrecision;

        @Option(names = "--min-recall", paramLabel = "R", description = "Exit with code 1 when recall is below R.")
        Double minRecall;

        @Override
        public Integer call() {
            Lake lake = where.open("crm-evaluate");
            var labels = truth.world != null ? IdentityEvaluation.generatorTruth(lake, truth.world)
                    : IdentityEvaluation.labelledTruth(lake, truth.file);
            IdentityEvaluation.Result result = IdentityEvaluation.evaluate(lake, labels, examples);
            result.lines().forEach(System.out::println);
            result.examples().forEach(System.out::println);
            boolean ok = (minPrecision == null || result.precision() >= minPrecision)
                    && (minRecall == null || result.recall() >= minRecall);
            if (!ok) {
                System.err.printf("crm evaluate identity: below the bar (precision >= %s, recall >= %s)%n", minPrecision, minRecall);
            }
            return ok ? 0 : 1;
        }
    }
}
