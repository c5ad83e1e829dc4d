package org.crmlake.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsAreValidForEveryAlgorithm() {
        for (Algorithm algorithm : Algorithm.values()) {
            assertThat(TrainOptions.defaults(algorithm).algorithm()).isEqualTo(algorithm);
        }
        assertThat(TrainOptions.defaults(Algorithm.GRADIENT_BOOSTING))
                .extracting(TrainOptions::trees, TrainOptions::shrinkage, TrainOptions::subsample)
                .containsExactly(200, 0.05, 0.8);
    }

    @Test
    void largeTrainingSetsGrowHalfTheTreesWithTwiceTheStep() {
        int large = TrainOptions.LARGE_TRAINING_ROWS;
        assertThat(TrainOptions.defaults(Algorithm.GRADIENT_BOOSTING, large - 1))
                .isEqualTo(TrainOptions.defaults(Algorithm.GRADIENT_BOOSTING));
        assertThat(TrainOptions.defaults(Algorithm.GRADIENT_BOOSTING, large))
                .extracting(TrainOptions::trees, TrainOptions::shrinkage, TrainOptions::maxDepth)
                .containsExactly(100, 0.1, 5);
        assertThat(TrainOptions.defaults(Algorithm.RANDOM_FOREST, large).trees()).isEqualTo(100);
        assertThat(TrainOptions.defaults(Algorithm.LOGISTIC_REGRESSION, large))
                .isEqualTo(TrainOptions.defaults(Algorithm.LOGISTIC_REGRESSION));
    }

    @Test
    void badValuesSayWhatToUseInstead() {
        TrainOptions gbt = TrainOptions.defaults(Algorithm.GRADIENT_BOOSTING);
        assertThatThrownBy(() -> gbt.withTrees(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trees must be between 1 and 5000, got 0; try 200");
        assertThatThrownBy(
                        () ->
                                new TrainOptions(
                                        Algorithm.GRADIENT_BOOSTING,
                                        10,
                                        4,
                                        16,
                                        1.5,
                                        0.8,
                                        0,
                                        Calibration.PLATT,
                                        1))
                .hasMessage("shrinkage must be in (0, 1], got 1.5; try 0.05");
        assertThatThrownBy(
                        () ->
                                new TrainOptions(
                                        Algorithm.LOGISTIC_REGRESSION,
                                        0,
                                        0,
                                        0,
                                        0,
                                        0,
                                        -1,
                                        Calibration.PLATT,
                                        1))
                .hasMessageContaining("lambda must be a finite number >= 0");
        assertThatThrownBy(() -> gbt.withCalibration(null))
                .hasMessageContaining("use PLATT, ISOTONIC or NONE");
        assertThatThrownBy(() -> new PromotionPolicy(-0.1, 0.05))
                .hasMessageContaining("minAucGain must be in [0, 1)");
    }

    @Test
    void algorithmsParseByCliNameAndListChoicesOtherwise() {
        assertThat(Algorithm.parse("gbt")).isEqualTo(Algorithm.GRADIENT_BOOSTING);
        assertThat(Algorithm.parse("FOREST")).isEqualTo(Algorithm.RANDOM_FOREST);
        assertThat(Algorithm.LOGISTIC_REGRESSION.cliName()).isEqualTo("logistic");
        assertThatThrownBy(() -> Algorithm.parse("svm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown algorithm 'svm'; choose one of gbt, logistic, forest");
    }
}
