package org.crmlake.models;

import java.util.Locale;
import java.util.Map;

/** The short Markdown model card stored with each registered version. */
final class ModelCard {

    private ModelCard() {}

    static String markdown(
            String modelName,
            int version,
            TrainedModel model,
            TrainingRun run,
            Evaluation eval,
            Double oracleAuc,
            String labelDefinition,
            String createdAt) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(modelName).append(" v").append(version).append("\n\n");
        md.append(
                "## Purpose\nScores each customer with the calibrated probability that the label is 1.\n\n");
        md.append("**Label:** ").append(labelDefinition).append("\n\n");
        md.append("## Model\n")
                .append(model.algorithm().cliName())
                .append(", ")
                .append(model.options())
                .append("\n")
                .append("Created ")
                .append(createdAt)
                .append(". Missing feature values are scored as 0.\n\n");
        md.append("## Data window\n")
                .append("- training cutoffs: ")
                .append(String.join(", ", run.trainingCutoffs()))
                .append('\n')
                .append("- validation cutoff: ")
                .append(run.validationCutoff())
                .append('\n')
                .append("- rows: ")
                .append(run.trainRows())
                .append(" training, ")
                .append(run.validationRows())
                .append(" validation\n")
                .append("- fingerprints: training ")
                .append(shortHash(run.trainFingerprint()))
                .append(", validation ")
                .append(shortHash(run.validationFingerprint()))
                .append("\n\n");
        md.append("## Validation metrics\n")
                .append(
                        String.format(
                                Locale.ROOT,
                                "- ROC AUC %.4f%s%n",
                                eval.rocAuc(),
                                oracleAuc == null
                                        ? ""
                                        : String.format(
                                                Locale.ROOT,
                                                " (oracle %.4f, gap %.4f)",
                                                oracleAuc,
                                                oracleAuc - eval.rocAuc())))
                .append(
                        String.format(
                                Locale.ROOT,
                                "- PR AUC %.4f, Brier %.4f, log loss %.4f%n",
                                eval.prAuc(),
                                eval.brier(),
                                eval.logLoss()))
                .append(
                        String.format(
                                Locale.ROOT,
                                "- positive rate %.4f, top-decile lift %.2f%n%n",
                                eval.positiveRate(),
                                eval.topDecileLift()));
        md.append("## Calibration\n")
                .append(model.options().calibration())
                .append(
                        String.format(
                                Locale.ROOT,
                                " calibration fitted on held-out rows; expected calibration error %.3f, largest gap"
                                        + " between predicted and observed rate %.3f.%n%n",
                                eval.calibrationError(),
                                eval.maxCalibrationGap()));
        md.append("## Top features\n");
        int rank = 0;
        for (Map.Entry<String, Double> e : model.importance().entrySet()) {
            if (rank++ == 10) {
                break;
            }
            md.append(
                    String.format(
                            Locale.ROOT,
                            "%d. %s (%.3f)%n",
                            rank,
                            model.plainName(e.getKey()),
                            e.getValue()));
        }
        md.append("\n## Intended use and limits\n")
                .append(
                        "For ranking and targeting customers inside this CRM, refreshed with new data. Probabilities hold for the\n")
                .append(
                        "population and period it was validated on; re-check calibration after changes in product, pricing or\n")
                .append(
                        "customer mix. Reasons describe the model, not causes. Not for decisions about individuals with legal effect.\n");
        return md.toString();
    }

    private static String shortHash(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }
}
