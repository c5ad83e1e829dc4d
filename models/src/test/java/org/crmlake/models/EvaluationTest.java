package org.crmlake.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void aucOfPerfectReversedAndTiedRankings() {
        int[] y = {0, 0, 1, 1};
        assertThat(Evaluation.auc(y, new double[] {0.1, 0.2, 0.8, 0.9})).isEqualTo(1.0);
        assertThat(Evaluation.auc(y, new double[] {0.9, 0.8, 0.2, 0.1})).isEqualTo(0.0);
        assertThat(Evaluation.auc(y, new double[] {0.5, 0.5, 0.5, 0.5})).isEqualTo(0.5);
    }

    @Test
    void aucCountsAPartialTieAsHalfAPair() {
        // Pairs (positive, negative): 0.5>0.1, 0.5=0.5 (half), 0.9>0.1, 0.9>0.5 → 3.5 of 4.
        assertThat(Evaluation.auc(new int[] {0, 1, 0, 1}, new double[] {0.1, 0.5, 0.5, 0.9}))
                .isEqualTo(0.875);
    }

    @Test
    void aucNeedsBothLabels() {
        assertThatThrownBy(() -> Evaluation.auc(new int[] {1, 1}, new double[] {0.2, 0.3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs both labels");
    }

    @Test
    void decilesLiftAndGainsMatchAHandCount() {
        // 20 rows scored 0.95, 0.90, ... 0.00; positives at ranks 1, 2, 5 and 12.
        int n = 20;
        int[] y = new int[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = (n - 1 - i) * 0.05;
        }
        y[0] = y[1] = y[4] = y[11] = 1;
        Evaluation eval = Evaluation.of(y, p);

        // Top decile = ranks 1-2, both positive: rate 1.0 over an overall rate of 4/20 → lift 5.
        assertThat(eval.topDecileLift()).isCloseTo(5.0, offset(1e-12));
        assertThat(eval.deciles()).hasSize(10);
        assertThat(eval.deciles().get(2).cumulativeGain())
                .isCloseTo(0.75, offset(1e-12)); // ranks 1-6 hold 3 of 4
        assertThat(eval.deciles().getLast().cumulativeGain()).isCloseTo(1.0, offset(1e-12));
        assertThat(eval.deciles().get(3).lift()).isEqualTo(0.0);
    }

    @Test
    void brierLogLossAndCalibrationBins() {
        int[] y = {1, 0, 1, 0};
        double[] p = {0.0, 0.0, 0.7, 0.7};
        Evaluation eval = Evaluation.of(y, p);

        assertThat(eval.brier()).isCloseTo((1 + 0 + 0.09 + 0.49) / 4, offset(1e-12));
        // p = 0 for a positive is clipped to 1e-15 rather than giving an infinite loss.
        double expected =
                (-Math.log(1e-15) - Math.log(1 - 1e-15) - Math.log(0.7) - Math.log(0.3)) / 4;
        assertThat(eval.logLoss()).isCloseTo(expected, offset(1e-9));
        assertThat(eval.calibration()).extracting(CalibrationBin::bin).containsExactly(1, 8);
        assertThat(eval.maxCalibrationGap()).isCloseTo(0.5, offset(1e-12));
        // Row-weighted: two rows off by 0.5, two by 0.2.
        assertThat(eval.calibrationError()).isCloseTo((2 * 0.5 + 2 * 0.2) / 4, offset(1e-12));
        assertThat(eval.prAuc()).isBetween(0.0, 1.0);
    }

    @Test
    void averagePrecisionOfAPerfectRankingIsOne() {
        assertThat(Evaluation.of(new int[] {0, 1, 0, 1}, new double[] {0.1, 0.8, 0.2, 0.9}).prAuc())
                .isEqualTo(1.0);
    }
}
