package org.crmlake.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.crmlake.features.BuildFeaturesJob;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
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

    public static Outcome run(Lake lake, TrainRequest request, Consumer<String> progress) {
        return run(lake, request, new HashSet<>(), progress);
    }

    /**
     * @param built feature snapshots already built from the same lake with the same label settings
     *              in this run (one snapshot carries both models' labels); the run adds its own
     */
    public static Outcome run(Lake lake, TrainRequest request, Set<LocalDate> built,
            Consumer<String> progress) {
        LocalDate dataEnd = BuildFeaturesJob.lastErpBatch(lake);
        TrainingPlan plan = plan(request, dataEnd);
        progress.accept("training " + request.model() + " on cutoffs " + plan.trainingCutoffs() + ", validating on "
                + plan.validationCutoff() + " (data ends " + dataEnd + ")");
        buildSnapshots(lake, List.of(request), built, progress);
        LabeledData all = FeatureRows.collect(lake, request.model(), plan.trainingCutoffs());
        LabeledData validation = FeatureRows.collect(lake, request.model(), List.of(plan.validationCutoff()));
        requireBothClasses(all, "training", plan.trainingCutoffs().toString());
        requireBothClasses(validation, "validation", plan.validationCutoff().toString());
        Fitting fitting = Fitting.of(all, plan.trainingCutoffs().toString());
        progress.accept(String.format(Locale.ROOT, "%d training rows (%s), %d validation rows",
                all.y().length, fitting.describe(), validation.y().length));

        Double oracleAuc = oracleAuc(lake, request, plan, validation, OracleProbabilities.Knowledge.HINDSIGHT);
        Double stateOracleAuc = oracleAuc(lake, request, plan, validation, OracleProbabilities.Knowledge.STATE);
        TrainingRun run = new TrainingRun(plan.trainingCutoffs().stream().map(LocalDate::toString).toList(),
                plan.validationCutoff().toString(), all.y().length, validation.y().length, all.fingerprint(),
                validation.fingerprint());
        Outcome outcome = compare(ModelStore.open(lake), request.model(), request.labels().describe(request.model()),
                request.algorithms(), request.seed(), request.policy(), fitting, validation, oracleAuc, run, progress);
        if (stateOracleAuc == null) {
            return outcome;
        }
        // The first line is the comparison table, which crm demo prints: the second oracle goes under it.
        List<String> lines = new ArrayList<>(outcome.lines());
        lines.set(0, lines.getFirst() + String.format(Locale.ROOT, "latent-state oracle AUC %.4f (knows order rates, "
                + "churn hazards and who had already left by the cutoff, but not when the others will)%n", stateOracleAuc));
        return new Outcome(lines, outcome.report(), outcome.decision());
    }

    /**
     * Builds the feature snapshots every request's plan needs and {@code built} lacks, all in one
     * query: planning, code generation and the scans of the sources are paid once, not per cutoff.
     * The requests must share their label settings (one snapshot carries both models' labels).
     */
    public static void buildSnapshots(Lake lake, List<TrainRequest> requests, Set<LocalDate> built,
            Consumer<String> progress) {
        LocalDate dataEnd = BuildFeaturesJob.lastErpBatch(lake);
        Set<LocalDate> needed = new TreeSet<>();
        for (TrainRequest request : requests) {
            if (!request.labels().equals(requests.getFirst().labels())) {
                throw new IllegalArgumentException("snapshots built together need the same label settings");
            }
            needed.addAll(plan(request, dataEnd).allCutoffs());
        }
        List<LocalDate> toBuild = new ArrayList<>();
        for (LocalDate cutoff : needed) {
            if (built.add(cutoff)) {
                toBuild.add(cutoff);
            } else {
                progress.accept("  " + Tables.FEATURES.qualifiedName() + " " + cutoff + ": built earlier in this run");
            }
        }
        if (!toBuild.isEmpty()) {
            progress.accept("  building the feature snapshots of " + toBuild.size() + " cutoff(s) in one query");
            new BuildFeaturesJob(requests.getFirst().labels()).buildSnapshots(lake, toBuild)
                    .forEach(l -> progress.accept("  " + l.strip()));
        }
    }

    private static TrainingPlan plan(TrainRequest request, LocalDate dataEnd) {
        return TrainingPlan.of(request.model(), request.labels(), dataEnd, request.cutoffs(), request.stepDays());
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
        LabeledData training = all.rows(train);
        LabeledData validation = all.rows(validate);
        requireBothClasses(training, "training", table.file().toString());
        requireBothClasses(validation, "validation", table.file().toString());
        Fitting fitting = Fitting.of(training, table.file().toString());
        progress.accept(String.format(Locale.ROOT, "%s: %d rows, %d features; %d train (%s), %d validate",
                table.file(), all.y().length, all.features().size(), training.y().length, fitting.describe(),
                validation.y().length));
        TrainingRun run = new TrainingRun(List.of(table.file().toString()), "hash split of " + table.idColumn(),
                training.y().length, validation.y().length, training.fingerprint(), validation.fingerprint());
        return compare(ModelStore.open(lake), table.modelName(), "column " + table.labelColumn() + " of " + table.file(),
                algorithms, seed, policy, fitting, validation, null, run, progress);
    }

    private static Outcome compare(ModelRegistry registry, String modelName, String labelDefinition,
            List<Algorithm> algorithms, long seed, PromotionPolicy policy, Fitting fitting,
            LabeledData validation, Double oracleAuc, TrainingRun run, Consumer<String> progress) {
        Map<String, Evaluation> byAlgorithm = new LinkedHashMap<>();
        ModelVersion best = null;
        TrainedModel bestModel = null;
        Evaluation bestEval = null;
        for (Algorithm algorithm : algorithms) {
            long t0 = System.nanoTime();
            TrainOptions options = TrainOptions.defaults(algorithm, fitting.fit().rows()).withSeed(seed);
            TrainedModel model = fitting.train(options);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Evaluation eval = Evaluation.of(validation.y(), model.probabilities(validation.x()));
            ModelVersion version = registry.register(modelName, model, run, validation, eval, oracleAuc, labelDefinition);
            Drift.write(version.dir(), driftReference(model, fitting.fit()));
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

    /**
     * How a model and its calibrator share the training rows. The calibrator must learn from scores
     * of rows the model did not see. With many rows, one customer in five (by id hash, so all their
     * cutoffs) is held out for it. Below {@link #CROSS_FIT_BELOW_ROWS} a fifth is too few rows
     * (Platt's intercept on 500 rows wanders by ±0.03 and fails the calibration rule by chance), so
     * the calibrator learns from out-of-fold scores of every row, the same five customer folds, and
     * the model from all rows: five extra fits, cheap at that size.
     */
    record Fitting(LabeledData fit, LabeledData calibrate, int[] folds) {
        static final int CROSS_FIT_BELOW_ROWS = 50_000;
        static final int FOLDS = 5;

        static Fitting of(LabeledData training, String where) {
            int[] folds = new int[training.rows()];
            List<Integer> fit = new ArrayList<>();
            List<Integer> calibrate = new ArrayList<>();
            for (int i = 0; i < folds.length; i++) {
                folds[i] = Math.floorMod(customer(training.ids()[i]).hashCode(), FOLDS);
                (folds[i] == 0 ? calibrate : fit).add(i);
            }
            if (training.rows() < CROSS_FIT_BELOW_ROWS) {
                return new Fitting(training, null, folds);
            }
            LabeledData held = training.rows(calibrate);
            requireBothClasses(held, "calibration (one customer in five of the training", where + ")");
            return new Fitting(training.rows(fit), held, null);
        }

        TrainedModel train(TrainOptions options) {
            return calibrate == null
                    ? Trainer.trainCrossFitted(fit, folds, options, FeatureRows.plainNames())
                    : Trainer.train(fit, calibrate, options, FeatureRows.plainNames());
        }

        String describe() {
            return calibrate == null
                    ? "calibrated on out-of-fold scores, " + FOLDS + " customer folds"
                    : fit.rows() + " fit, " + calibrate.rows() + " calibrate";
        }

        /** The customer of a row id ({@code customer_id@cutoff}; an own table's id as it is). */
        private static String customer(String id) {
            int at = id.lastIndexOf('@');
            return at < 0 ? id : id.substring(0, at);
        }
    }

    /** Training bins of each feature and of the score, kept with the version for drift checks. */
    static Map<String, Drift.Bins> driftReference(TrainedModel model, LabeledData fit) {
        Map<String, Drift.Bins> bins = new LinkedHashMap<>(Drift.reference(fit.features(), fit.x()));
        double[] scores = model.probabilities(fit.x());
        bins.put("score", Drift.binsOf(scores));
        return bins;
    }

    /** AUC of the generator's latent probabilities on the validation rows, when the world is known. */
    private static Double oracleAuc(Lake lake, TrainRequest request, TrainingPlan plan, LabeledData validation,
            OracleProbabilities.Knowledge knowledge) {
        if (request.world() == null || request.labels().purchaseCategory() != null) {
            return null;
        }
        Map<String, Double> latent = OracleProbabilities.of(lake, request.world(), request.model(),
                plan.validationCutoff(), request.labels().horizonDays(request.model()), knowledge);
        if (latent.isEmpty()) {
            return null;
        }
        double[] p = new double[validation.y().length];
        for (int i = 0; i < p.length; i++) {
            String customer = validation.ids()[i].substring(0, validation.ids()[i].lastIndexOf('@'));
            p[i] = latent.getOrDefault(customer, 0.5);
        }
        return Evaluation.auc(validation.y(), p);
    }
}
