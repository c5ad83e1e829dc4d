package org.crmlake.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.crmlake.features.BuildFeaturesJob;
import org.crmlake.lake.Lake;
import org.crmlake.models.Algorithm;
import org.crmlake.models.Evaluation;
import org.crmlake.models.LabeledData;
import org.crmlake.models.ModelRegistry;
import org.crmlake.models.ModelReport;
import org.crmlake.models.ModelVersion;
import org.crmlake.models.PromotionDecision;
import org.crmlake.models.PromotionPolicy;
import org.crmlake.models.TrainOptions;
import org.crmlake.models.TrainedModel;
import org.crmlake.models.Trainer;
import org.crmlake.models.TrainingRun;
import org.crmlake.pipeline.JobContext;

/**
 * {@code crm train}: feature snapshots for the plan's cutoffs, then each algorithm trained on the
 * training cutoffs (one customer in five held out to calibrate), evaluated on the later validation
 * cutoff, registered with its report; the best calibrated one becomes champion only by the registry's rule.
 */
public final class ModelTraining {
    /** Result lines for the console and where the HTML report was written. */
    public record Outcome(List<String> lines, Path report, PromotionDecision decision) {
    }

    private ModelTraining() {
    }

    public static Outcome run(Lake lake, String landing, TrainRequest request, Consumer<String> progress) {
        LocalDate dataEnd = BuildFeaturesJob.lastErpBatch(lake);
        TrainingPlan plan = TrainingPlan.of(request.model(), request.labels(), dataEnd, request.cutoffs(), request.stepDays());
        progress.accept("training " + request.model() + " on cutoffs " + plan.trainingCutoffs() + ", validating on "
                + plan.validationCutoff() + " (data ends " + dataEnd + ")");
        BuildFeaturesJob features = new BuildFeaturesJob(request.labels());
        for (LocalDate cutoff : plan.allCutoffs()) {
            features.run(new JobContext(lake, landing, cutoff, progress)).summary().forEach(l -> progress.accept("  " + l.strip()));
        }
        LabeledData all = FeatureRows.collect(lake, request.model(), plan.trainingCutoffs());
        LabeledData validation = FeatureRows.collect(lake, request.model(), List.of(plan.validationCutoff()));
        requireBothClasses(all, "training", plan.trainingCutoffs().toString());
        requireBothClasses(validation, "validation", plan.validationCutoff().toString());
        LabeledData[] fitAndCalibrate = heldOutCustomers(all);
        requireBothClasses(fitAndCalibrate[1], "calibration (one customer in five of the training", plan.trainingCutoffs() + ")");
        progress.accept(String.format(Locale.ROOT, "%d training rows (%d fit, %d calibrate), %d validation rows",
                all.y().length, fitAndCalibrate[0].y().length, fitAndCalibrate[1].y().length, validation.y().length));

        Double oracleAuc = oracleAuc(lake, request, plan, validation);
        TrainingRun run = new TrainingRun(plan.trainingCutoffs().stream().map(LocalDate::toString).toList(),
                plan.validationCutoff().toString(), all.y().length, validation.y().length, all.fingerprint(),
                validation.fingerprint());
        return compare(ModelStore.open(lake), request.model(), request.labels().describe(request.model()),
                request.algorithms(), request.seed(), request.policy(), fitAndCalibrate, validation, oracleAuc, run, progress);
    }

    /**
     * {@code crm train --table}: a team's own feature table (CSV, Parquet or a Delta folder) with a 0/1
     * label column; every other column but the id must be numeric. A quarter of the ids (by hash)
     * validate, one in five of the rest calibrate. Same report, registry and promotion rule.
     */
    public static Outcome ownTable(Lake lake, OwnTable table, List<Algorithm> algorithms, long seed,
            PromotionPolicy policy, Consumer<String> progress) {
        LabeledData all = table.read(lake.spark());
        List<Integer> train = new ArrayList<>();
        List<Integer> validate = new ArrayList<>();
        for (int i = 0; i < all.y().length; i++) {
            (Math.floorMod(all.ids()[i].hashCode() * 31 + 7, 4) == 0 ? validate : train).add(i);
        }
        LabeledData training = subset(all, train);
        LabeledData validation = subset(all, validate);
        requireBothClasses(training, "training", table.file().toString());
        requireBothClasses(validation, "validation", table.file().toString());
        LabeledData[] fitAndCalibrate = heldOutCustomers(training);
        requireBothClasses(fitAndCalibrate[1], "calibration", table.file().toString());
        progress.accept(String.format(Locale.ROOT, "%s: %d rows, %d features; %d fit, %d calibrate, %d validate",
                table.file(), all.y().length, all.features().size(), fitAndCalibrate[0].y().length,
                fitAndCalibrate[1].y().length, validation.y().length));
        TrainingRun run = new TrainingRun(List.of(table.file().toString()), "hash split of " + table.idColumn(),
                training.y().length, validation.y().length, training.fingerprint(), validation.fingerprint());
        return compare(ModelStore.open(lake), table.modelName(), "column " + table.labelColumn() + " of " + table.file(),
                algorithms, seed, policy, fitAndCalibrate, validation, null, run, progress);
    }

    private static Outcome compare(ModelRegistry registry, String modelName, String labelDefinition,
            List<Algorithm> algorithms, long seed, PromotionPolicy policy, LabeledData[] fitAndCalibrate,
            LabeledData validation, Double oracleAuc, TrainingRun run, Consumer<String> progress) {
        Map<String, Evaluation> byAlgorithm = new LinkedHashMap<>();
        ModelVersion best = null;
        TrainedModel bestModel = null;
        Evaluation bestEval = null;
        for (Algorithm algorithm : algorithms) {
            long t0 = System.nanoTime();
            TrainOptions options = TrainOptions.defaults(algorithm).withSeed(seed);
            TrainedModel model = Trainer.train(fitAndCalibrate[0], fitAndCalibrate[1], options, FeatureRows.plainNames());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Evaluation eval = Evaluation.of(validation.y(), model.probabilities(validation.x()));
            ModelVersion version = registry.register(modelName, model, run, validation, eval, oracleAuc, labelDefinition);
            Drift.write(version.dir(), driftReference(model, fitAndCalibrate[0]));
            byAlgorithm.put(algorithm.cliName() + " v" + version.version(), eval);
            progress.accept(String.format(Locale.ROOT, "%s: trained in %.1f s, validation AUC %.4f -> %s v%d",
                    algorithm.cliName(), seconds, eval.rocAuc(), modelName, version.version()));
            // The candidate is the best AUC among the calibrated models, so a slightly better but
            // miscalibrated model does not block a good one from promotion.
            boolean calibrated = eval.calibrationError() <= policy.maxCalibrationError();
            boolean bestCalibrated = bestEval != null && bestEval.calibrationError() <= policy.maxCalibrationError();
            if (bestEval == null || calibrated && !bestCalibrated
                    || calibrated == bestCalibrated && eval.rocAuc() > bestEval.rocAuc()) {
                best = version;
                bestModel = model;
                bestEval = eval;
            }
        }
        PromotionDecision decision = registry.promote(modelName, best.version(), policy);
        String title = modelName + " v" + best.version() + " (" + bestModel.algorithm().cliName() + ")";
        Path report = best.dir().resolve("report.html");
        try {
            Files.writeString(report, ModelReport.html(title, bestEval, bestModel.importance(), oracleAuc));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("writing " + report, e);
        }
        List<String> lines = new ArrayList<>();
        lines.add(ModelReport.comparison(byAlgorithm, oracleAuc));
        lines.add(ModelReport.text(title, bestEval, bestModel.importance(), oracleAuc));
        lines.add("promotion: " + decision.reason());
        lines.add("report: " + report);
        return new Outcome(lines, report, decision);
    }

    private static void requireBothClasses(LabeledData data, String what, String cutoffs) {
        long positives = data.positives();
        if (data.y().length == 0 || positives == 0 || positives == data.y().length) {
            throw new IllegalArgumentException("the " + what + " cutoffs " + cutoffs + " have " + data.y().length
                    + " labelled rows with " + positives + " positive: a model needs both outcomes. Use a longer world "
                    + "(crm demo makes 730 days), fewer --cutoffs or a smaller --step-days");
        }
    }

    /** Splits training rows by customer: one customer in five (by id hash) calibrates, the rest fit. */
    static LabeledData[] heldOutCustomers(LabeledData data) {
        List<Integer> fit = new ArrayList<>();
        List<Integer> calibrate = new ArrayList<>();
        for (int i = 0; i < data.ids().length; i++) {
            String customer = data.ids()[i].substring(0, data.ids()[i].lastIndexOf('@'));
            (Math.floorMod(customer.hashCode(), 5) == 0 ? calibrate : fit).add(i);
        }
        return new LabeledData[] {subset(data, fit), subset(data, calibrate)};
    }

    static LabeledData subset(LabeledData data, List<Integer> rows) {
        double[][] x = new double[rows.size()][];
        int[] y = new int[rows.size()];
        String[] ids = new String[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            x[k] = data.x()[rows.get(k)];
            y[k] = data.y()[rows.get(k)];
            ids[k] = data.ids()[rows.get(k)];
        }
        return new LabeledData(data.features(), x, y, ids);
    }

    /** Training bins of each feature and of the score, kept with the version for drift checks. */
    static Map<String, Drift.Bins> driftReference(TrainedModel model, LabeledData fit) {
        Map<String, Drift.Bins> bins = new LinkedHashMap<>(Drift.reference(fit.features(), fit.x()));
        double[] scores = model.probabilities(fit.x());
        bins.put("score", Drift.binsOf(scores));
        return bins;
    }

    /** AUC of the generator's latent probabilities on the validation rows, when the world is known. */
    private static Double oracleAuc(Lake lake, TrainRequest request, TrainingPlan plan, LabeledData validation) {
        if (request.world() == null || request.labels().purchaseCategory() != null) {
            return null;
        }
        Map<String, Double> latent = OracleProbabilities.of(lake, request.world(), request.model(),
                plan.validationCutoff(), request.labels().horizonDays(request.model()));
        double[] p = new double[validation.y().length];
        for (int i = 0; i < p.length; i++) {
            String customer = validation.ids()[i].substring(0, validation.ids()[i].lastIndexOf('@'));
            p[i] = latent.getOrDefault(customer, 0.5);
        }
        return Evaluation.auc(validation.y(), p);
    }
}
