package org.crmlake.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

class TrainerTest {

    private static final Synthetic TRAIN = Synthetic.draw(3000, 1);
    private static final Synthetic CALIBRATE = Synthetic.draw(2000, 2);
    private static final Synthetic TEST = Synthetic.draw(4000, 3);

    /** Small enough for a quick test run; the defaults use 200 trees. */
    static TrainOptions small(Algorithm algorithm) {
        TrainOptions defaults = TrainOptions.defaults(algorithm);
        return algorithm.isTreeEnsemble() ? defaults.withTrees(50) : defaults;
    }

    static TrainedModel train(TrainOptions options) {
        return Trainer.train(
                TRAIN.data(),
                CALIBRATE.data(),
                options,
                Map.of("days_since_last_order", "days since the last order"));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void ranksCloseToTheTruthAndIsCalibrated(Algorithm algorithm) {
        TrainedModel model = train(small(algorithm));
        double[][] x = TEST.data().x();
        int[] y = TEST.data().y();
        Evaluation calibrated = Evaluation.of(y, model.probabilities(x));
        double[] raw = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            raw[i] = model.rawProbability(x[i]);
        }
        Evaluation uncalibrated = Evaluation.of(y, raw);
        double oracle = TEST.oracleAuc();
        System.out.printf(
                "%s: AUC %.4f (oracle %.4f), gap %.4f (raw %.4f), Brier %.5f (raw %.5f)%n",
                algorithm,
                calibrated.rocAuc(),
                oracle,
                calibrated.maxCalibrationGap(),
                uncalibrated.maxCalibrationGap(),
                calibrated.brier(),
                uncalibrated.brier());

        assertThat(calibrated.rocAuc())
                .as("AUC of %s vs oracle %.4f", algorithm, oracle)
                .isGreaterThan(oracle - 0.03);
        assertThat(calibrated.maxCalibrationGap())
                .as("calibration gap of %s", algorithm)
                .isLessThan(0.08);
        assertThat(calibrated.brier())
                .as("calibrated Brier of %s", algorithm)
                .isLessThanOrEqualTo(uncalibrated.brier() + 0.002);
    }

    @Test
    void crossFittedCalibrationIsCalibratedWithoutAHeldOutSample() {
        LabeledData train = TRAIN.data();
        int[] folds = new int[train.rows()];
        for (int i = 0; i < folds.length; i++) {
            folds[i] = i % 5;
        }
        TrainOptions options = small(Algorithm.GRADIENT_BOOSTING);
        TrainedModel crossFitted = Trainer.trainCrossFitted(train, folds, options, Map.of());
        double[][] x = TEST.data().x();
        int[] y = TEST.data().y();
        double[] raw = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            raw[i] = crossFitted.rawProbability(x[i]);
        }
        Evaluation calibrated = Evaluation.of(y, crossFitted.probabilities(x));
        Evaluation uncalibrated = Evaluation.of(y, raw);
        assertThat(calibrated.calibrationError()).isLessThan(0.03);
        assertThat(calibrated.brier()).isLessThanOrEqualTo(uncalibrated.brier() + 0.002);
        assertThat(calibrated.rocAuc()).isGreaterThan(TEST.oracleAuc() - 0.03);
        assertThatThrownBy(() -> Trainer.trainCrossFitted(train, new int[3], options, Map.of()))
                .hasMessageContaining("one fold per row");
    }

    @Test
    void isotonicCalibrationIsMonotoneInTheRawScore() {
        TrainedModel model =
                train(small(Algorithm.GRADIENT_BOOSTING).withCalibration(Calibration.ISOTONIC));
        double[][] rows = TEST.data().x();
        Integer[] byRaw =
                java.util.stream.IntStream.range(0, rows.length)
                        .boxed()
                        .sorted(
                                java.util.Comparator.comparingDouble(
                                        i -> model.rawProbability(rows[i])))
                        .toArray(Integer[]::new);
        double previous = -1;
        for (int i : byRaw) {
            double p = model.probability(rows[i]);
            assertThat(p)
                    .as("calibrated probability of row %d", i)
                    .isGreaterThanOrEqualTo(previous)
                    .isBetween(0.0, 1.0);
            previous = p;
        }
        Evaluation evaluation = Evaluation.of(TEST.data().y(), model.probabilities(rows));
        assertThat(evaluation.maxCalibrationGap()).isLessThan(0.08);
    }

    @ParameterizedTest
    @EnumSource(
            value = Algorithm.class,
            names = {"GRADIENT_BOOSTING", "RANDOM_FOREST"})
    void theSameSeedGivesTheSameModel(Algorithm algorithm) {
        double[][] rows = java.util.Arrays.copyOf(TEST.data().x(), 200);
        assertThat(train(small(algorithm)).probabilities(rows))
                .containsExactly(train(small(algorithm)).probabilities(rows));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void theDominantFeatureIsTheTopReason(Algorithm algorithm) {
        TrainedModel model = train(small(algorithm));
        // A long-lapsed customer with average everything else: recency dominates the true score.
        double[] row = {360, 3, 1, 20, 0};
        List<Reason> reasons = model.reasons(row, 3);

        assertThat(reasons).hasSize(3);
        assertThat(reasons.getFirst().feature()).isEqualTo("days_since_last_order");
        assertThat(reasons.getFirst().text())
                .isEqualTo("days since the last order is 360 (raises the score)");
        assertThat(Math.abs(reasons.get(0).contribution()))
                .isGreaterThanOrEqualTo(Math.abs(reasons.get(1).contribution()));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void importanceSumsToOneLargestFirstAndFindsTheSignal(Algorithm algorithm) {
        Map<String, Double> importance = train(small(algorithm)).importance();

        assertThat(importance.values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(List.copyOf(importance.values()))
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(importance.keySet().iterator().next()).isEqualTo("days_since_last_order");
        if (algorithm != Algorithm.RANDOM_FOREST) {
            // Forest impurity importance favours continuous columns, so its noise column can rank
            // high (measured 0.28).
            assertThat(importance.get("noise")).isLessThan(importance.get("orders_last_90_days"));
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void scoringFromManyThreadsMatchesScoringFromOne(Algorithm algorithm) {
        TrainedModel model = train(small(algorithm));
        double[][] rows = TEST.data().x();
        double[] sequential = model.probabilities(rows);
        double[] parallel =
                java.util.stream.IntStream.range(0, rows.length)
                        .parallel()
                        .mapToDouble(i -> model.probability(rows[i]))
                        .toArray();
        assertThat(parallel).containsExactly(sequential);
    }

    @Test
    void plainNameFallsBackToTheFeatureNameWithSpaces() {
        TrainedModel model = train(small(Algorithm.LOGISTIC_REGRESSION));
        assertThat(model.plainName("days_since_last_order")).isEqualTo("days since the last order");
        assertThat(model.plainName("support_tickets")).isEqualTo("support tickets");
    }

    @Test
    void calibrationOnTheTrainingRowsIsRefused() {
        assertThatThrownBy(
                        () ->
                                Trainer.train(
                                        TRAIN.data(),
                                        TRAIN.data(),
                                        small(Algorithm.LOGISTIC_REGRESSION),
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hold out a separate sample");
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        TrainedModel model = train(small(Algorithm.LOGISTIC_REGRESSION));
        assertThatThrownBy(() -> model.probability(new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expects 5 features");
    }
}
