package org.crmlake.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crmlake.models.ModelRegistry;
import org.crmlake.models.ModelVersion;
import org.crmlake.models.PromotionDecision;
import org.crmlake.models.PromotionPolicy;
import org.crmlake.training.ModelStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"The model registry ($CRM_MODELS, else models/ in the lake): every trained version with its",
                "model card, metrics and the promotion decisions. Example: crm models list"},
        subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Show.class, ModelsCommand.Promote.class})
final class ModelsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static ModelRegistry registry(LakeOptions where) {
        return ModelStore.open(where.open("crm-models"));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Versions of every model (or one), champion marked *.")
    static final class ListVersions implements Callable<Integer> {
        @Mixin
        LakeOptions where;

        @Option(names = "--model", paramLabel = "NAME", description = "Only this model.")
        String model;

        @Override
        public Integer call() {
            ModelRegistry registry = registry(where);
            List<String> names = model == null ? registry.modelNames() : List.of(model);
            if (names.isEmpty()) {
                System.out.println("no models yet: crm train --model churn");
            }
            System.out.printf("%-12s %8s %-9s %8s  %s%n", "model", "version", "algorithm", "AUC", "created");
            for (String name : names) {
                for (ModelVersion v : registry.list(name)) {
                    System.out.printf(Locale.ROOT, "%-12s %7s%s %-9s %8.4f  %s%n", name, "v" + v.version(),
                            v.isChampion() ? "*" : " ", v.algorithm().cliName(), v.rocAuc(), v.createdAt());
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The model card and metrics of a version.")
    static final class Show implements Callable<Integer> {
        @Mixin
        LakeOptions where;

        @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name, e.g. churn.")
        String model;

        @Option(names = "--version", required = true, paramLabel = "N", description = "Version number (crm models list).")
        int version;

        @Override
        public Integer call() {
            System.out.println(registry(where).show(model, version));
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Apply the promotion rule to a version: it becomes champion only when it beats the current",
                    "champion on the version's own validation rows by --min-auc-gain and has an expected calibration error within --max-calibration-error.",
                    "The decision and its reason are appended to the model's decisions.jsonl."})
    static final class Promote implements Callable<Integer> {
        @Mixin
        LakeOptions where;

        @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name, e.g. churn.")
        String model;

        @Option(names = "--version", required = true, paramLabel = "N", description = "Candidate version.")
        int version;

        @Option(names = "--min-auc-gain", paramLabel = "X", defaultValue = "0.002", description = "Default ${DEFAULT-VALUE}.")
        double minAucGain;

        @Option(names = "--max-calibration-error", paramLabel = "X", defaultValue = "0.05", description = "Default ${DEFAULT-VALUE}.")
        double maxCalibrationError;

        @Override
        public Integer call() {
            PromotionDecision d = registry(where).promote(model, version, new PromotionPolicy(minAucGain, maxCalibrationError));
            System.out.println(d.reason());
            return d.promote() ? 0 : 1;
        }
    }
}
