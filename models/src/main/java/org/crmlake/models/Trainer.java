package org.crmlake.models;

import java.util.Map;

/** Fits a model on training rows and its calibrator on separate, held-out rows. */
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
        LabeledData clean = train.withMissingAsZero();
        Scorer scorer =
                switch (options.algorithm()) {
                    case GRADIENT_BOOSTING -> GradientBoostingScorer.fit(clean, options);
                    case RANDOM_FOREST -> RandomForestScorer.fit(clean, options);
                    case LOGISTIC_REGRESSION -> LogisticScorer.fit(clean, options);
                };
        Calibrator calibrator = new Calibrator.Identity();
        if (calibrate) {
            double[] raw = new double[calibration.rows()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = scorer.rawProbability(LabeledData.missingAsZero(calibration.x()[i]));
            }
            calibrator = Calibrator.fit(options.calibration(), raw, calibration.y());
        }
        return new TrainedModel(
                train.features(),
                options,
                scorer,
                calibrator,
                plainNames == null ? Map.of() : plainNames);
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
