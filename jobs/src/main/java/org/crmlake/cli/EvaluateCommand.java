package org.crmlake.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.crmlake.clv.RecommendationEvaluation;
import org.crmlake.identity.IdentityEvaluation;
import org.crmlake.lake.Lake;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure a pipeline step against ground truth or what happened next.",
                "Examples:", "  crm evaluate identity --world work/world", "  crm evaluate recommendations --date 2026-07-02"},
        subcommands = {EvaluateCommand.Identity.class, EvaluateCommand.Recommendations.class})
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
                    "Example: crm evaluate identity --world work/demo/world --lake work/demo/lake",
                    "           --examples 5"})
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

    @Command(name = "recommendations", mixinStandardHelpOptions = true,
            description = {"How often the recommendations of a date came true: the share of recommended products the",
                    "customer bought within --days after it (precision@3) and the share of customers who bought one,",
                    "next to a popularity baseline (the 3 most-bought products the customer does not own). The rows",
                    "from co-purchases are also scored apart (the others are that baseline filling up to 3).",
                    "Pick a date at least --days before the last orders, recommend for it, then evaluate. Example:",
                    "  crm recommend --date 2026-07-02",
                    "  crm evaluate recommendations --date 2026-07-02 --days 90"})
    static final class Recommendations implements Callable<Integer> {
        @Mixin
        LakeOptions where;

        @Option(names = "--date", required = true, paramLabel = "yyyy-MM-dd",
                description = "As-of date of the gold.recommendations rows to judge.")
        LocalDate date;

        @Option(names = "--days", paramLabel = "N", defaultValue = "90",
                description = "Days after the date whose orders count as bought (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() {
            RecommendationEvaluation.evaluate(where.open("crm-evaluate"), date, days).lines().forEach(System.out::println);
            return 0;
        }
    }
}
