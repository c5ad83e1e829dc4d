package org.crmlake.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.crmlake.lake.Lake;
import org.crmlake.models.Algorithm;
import org.crmlake.models.PromotionPolicy;
import org.crmlake.training.ModelTraining;
import org.crmlake.training.OwnTable;
import org.crmlake.training.ScoreCustomersJob;
import org.crmlake.training.TrainRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train, calibrate, evaluate and register a model; the best of the algorithms becomes champion",
                "only when it beats the current one on the same validation rows (crm models show for the reason).",
                "Cutoffs: the validation cutoff is the last whose label horizon ends within the data; --cutoffs training",
                "cutoffs lie --step-days apart before it, each horizon ending by the validation cutoff.",
                "With --world (a generated world) the report also gives the oracle AUC, the ceiling no model can beat.",
                "Your own table: crm train --model my_model --table features.csv --label churned [--id customer].",
                "Examples: crm train --model churn --world work/demo/world",
                "          crm train --model propensity --algorithms gbt --category Garden"})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    LakeOptions where;

    @Mixin
    LabelOptions labels;

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "churn or propensity (from the lake), or any name with --table.")
    String model;

    @Option(names = "--algorithms", paramLabel = "LIST", defaultValue = "gbt,logistic,forest", split = ",",
            description = "Algorithms to train and compare: gbt, logistic, forest (default ${DEFAULT-VALUE}).")
    List<String> algorithms;

    @Option(names = "--world", paramLabel = "DIR", description = "World made by crm generate or crm demo, for the oracle AUC.")
    Path world;

    @Option(names = "--cutoffs", paramLabel = "N", defaultValue = "3", description = "Training cutoffs (default ${DEFAULT-VALUE}).")
    int cutoffs;

    @Option(names = "--step-days", paramLabel = "DAYS", defaultValue = "30",
            description = "Days between training cutoffs (default ${DEFAULT-VALUE}).")
    int stepDays;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--min-auc-gain", paramLabel = "X", defaultValue = "0.002",
            description = "Promotion needs validation AUC >= champion's + X on the same rows (default ${DEFAULT-VALUE}).")
    double minAucGain;

    @Option(names = "--max-calibration-error", paramLabel = "X", defaultValue = "0.05",
            description = "Promotion needs the expected calibration error (row-weighted mean |predicted - observed| over 10 bins) <= X (default ${DEFAULT-VALUE}).")
    double maxCalibrationError;

    @Option(names = "--table", paramLabel = "FILE", description = "Train on your own feature table (CSV, Parquet or Delta folder).")
    Path table;

    @Option(names = "--label", paramLabel = "COLUMN", description = "With --table: the 0/1 label column.")
    String label;

    @Option(names = "--id", paramLabel = "COLUMN", description = "With --table: the row id column (validation is split by it).")
    String id;

    @Override
    public Integer call() {
        List<Algorithm> chosen = algorithms.stream().map(String::trim).map(Algorithm::parse).distinct().toList();
        PromotionPolicy policy = new PromotionPolicy(minAucGain, maxCalibrationError);
        Console console = new Console();
        Lake lake = where.open("crm-train");
        ModelTraining.Outcome outcome;
        if (table != null) {
            if (label == null) {
                throw new IllegalArgumentException("--table needs --label naming its 0/1 label column");
            }
            outcome = ModelTraining.ownTable(lake, new OwnTable(table, label, id, model), chosen, seed, policy, console::progress);
        } else {
            if (!ScoreCustomersJob.MODELS.contains(model)) {
                throw new IllegalArgumentException("unknown model '" + model + "': the lake's models are churn and propensity;"
                        + " to train on your own table add --table FILE --label COLUMN");
            }
            outcome = ModelTraining.run(lake, new TrainRequest(model, chosen, labels.spec(), cutoffs, stepDays, policy, world, seed), console::progress);
        }
        console.lines(outcome.lines());
        return 0;
    }

}
