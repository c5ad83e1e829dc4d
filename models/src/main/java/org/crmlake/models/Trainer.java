package org.crmlake.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fits a model and its calibrator, which must learn from scores of rows the model did not see:
 * either a separate held-out sample ({@link #train}) or out-of-fold scores ({@link #trainCrossFitted}).
 */
public final class Trainer {

    private Trainer() {}

    /**
     * @param train       rows the model learns from
     * @param calibration held-out rows for the calibrator (may be null only with {@link Calibration#NONE})
     * @param plainNames  feature name → plain words for explanations; missing names fall back to the name
     */
    public static TrainedModel train(
            LabeledData train,
            LabeledData calibration,
            TrainOptions options,
            Map<String, String> plainNames) {
        requireBothLabels(train, "training");
        boolean calibrate = options.calibration() != Calibration.NONE;
        if (calibrate) {
            if (calibration == null) {
                throw new IllegalArgumentException(
                        options.calibration()
                                + " calibration needs held-out calibration rows; pass them or use Calibration.NONE");
            }
            if (!calibration.features().equals(train.features())) {
                throw new IllegalArgumentException(
                        "calibration features "
                                + calibration.features()
                                + " differ from training features "
                                + train.features()
                                + "; build both from the same feature table");
            }
            requireBothLabels(calibration, "calibration");
            if (calibration.fingerprint().equals(train.fingerprint())) {
                throw new IllegalArgumentException(
                        "calibration rows are the training rows; hold out a separate sample");
            }
        }
        Scorer scorer = fit(train, options);
        if (!calibrate) {
            return calibrated(train, scorer, null, null, options, plainNames);
        }
        double[] raw = new double[calibration.rows()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = scorer.rawProbability(LabeledData.missingAsZero(calibration.x()[i]));
        }
        return calibrated(train, scorer, raw, calibration.y(), options, plainNames);
    }

    /**
     * Cross-fitted calibration, for small training sets where a held-out sample would be too few
     * rows to calibrate on: for each fold a model fitted on the other folds scores it, the
     * calibrator learns from these out-of-fold scores of every row, and the model kept is fitted on
     * all rows. Costs one fit per fold more than {@link #train}.
     *
     * @param fold fold number (0..k-1) of each row; rows of one customer should share a fold
     */
    public static TrainedModel trainCrossFitted(
            LabeledData train, int[] fold, TrainOptions options, Map<String, String> plainNames) {
        requireBothLabels(train, "training");
        if (fold.length != train.rows()) {
            throw new IllegalArgumentException(
                    "one fold per row is needed: " + fold.length + " folds for " + train.rows() + " rows");
        }
        Scorer scorer = fit(train, options);
        if (options.calibration() == Calibration.NONE) {
            return calibrated(train, scorer, null, null, options, plainNames);
        }
        int folds = java.util.Arrays.stream(fold).max().orElse(0) + 1;
        double[] raw = new double[train.rows()];
        for (int k = 0; k < folds; k++) {
            List<Integer> in = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < fold.length; i++) {
                (fold[i] == k ? out : in).add(i);
            }
            if (out.isEmpty()) {
                continue;
            }
            LabeledData others = train.rows(in);
            requireBothLabels(others, "fold " + k + "'s training");
            Scorer foldScorer = fit(others, options);
            for (int i : out) {
                raw[i] = foldScorer.rawProbability(LabeledData.missingAsZero(train.x()[i]));
            }
        }
        return calibrated(train, scorer, raw, train.y(), options, plainNames);
    }

    /** The model with a calibrator fitted on raw scores of unseen rows; uncalibrated when raw is null. */
    private static TrainedModel calibrated(LabeledData train, Scorer scorer, double[] raw, int[] labels,
            TrainOptions options, Map<String, String> plainNames) {
        Calibrator calibrator = raw == null ? new Calibrator.Identity() : Calibrator.fit(options.calibration(), raw, labels);
        return new TrainedModel(
                train.features(),
                options,
                scorer,
                calibrator,
                plainNames == null ? Map.of() : plainNames);
    }

    private static Scorer fit(LabeledData rows, TrainOptions options) {
        LabeledData clean = rows.withMissingAsZero();
        return switch (options.algorithm()) {
            case GRADIENT_BOOSTING -> GradientBoostingScorer.fit(clean, options);
            case RANDOM_FOREST -> RandomForestScorer.fit(clean, options);
            case LOGISTIC_REGRESSION -> LogisticScorer.fit(clean, options);
        };
    }

    private static void requireBothLabels(LabeledData data, String role) {
        int positives = data.positives();
        if (positives == 0 || positives == data.rows()) {
            throw new IllegalArgumentException(
                    role
                            + " rows need both labels but have "
                            + positives
                            + " positives out of "
                            + data.rows()
                            + "; widen the window or check the label definition");
        }
    }
}
