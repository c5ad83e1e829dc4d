package org.crmlake.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

class ReportAndReasonTest {

    private static final Synthetic DATA = Synthetic.draw(1000, 21);
    private static final Evaluation ORACLE = Evaluation.of(DATA.data().y(), DATA.trueProbability());
    private static final Map<String, Double> IMPORTANCE =
            new LinkedHashMap<>(Map.of("days_since_last_order", 0.7));

    @Test
    void valuesAreRoundedForReading() {
        assertThat(Reason.round(142.0)).isEqualTo("142");
        assertThat(Reason.round(1234.56)).isEqualTo("1235");
        assertThat(Reason.round(3.4567)).isEqualTo("3.46");
        assertThat(Reason.round(0.012345)).isEqualTo("0.0123");
        assertThat(Reason.of("orders_last_90_days", "orders in the last 90 days", 0, -0.4).text())
                .isEqualTo("orders in the last 90 days is 0 (lowers the score)");
        assertThat(Reason.of("basket", "basket", Double.NaN, 0.1).text())
                .isEqualTo("basket is missing (raises the score)");
    }

    @Test
    void textReportShowsMetricsOracleGapAndTables() {
        String text = ModelReport.text("churn_90d v1", ORACLE, IMPORTANCE, 0.81);
        assertThat(text)
                .contains(
                        "ROC AUC",
                        "PR AUC",
                        "Brier",
                        "log loss",
                        "oracle AUC 0.8100, gap",
                        "Calibration",
                        "Deciles",
                        "cum gain",
                        "days_since_last_order  0.700");
        assertThat(ModelReport.text("t", ORACLE, IMPORTANCE, null)).doesNotContain("oracle");
    }

    @Test
    void htmlIsSelfContainedWithThreeCharts() {
        String html = ModelReport.html("churn <v1>", ORACLE, IMPORTANCE, null);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains(
                        "churn &lt;v1&gt;",
                        "Calibration curve",
                        "Cumulative gains",
                        "Feature importance")
                .doesNotContain("<script", "http://", "https://");
        assertThat(html.split("<svg", -1)).hasSize(4);
    }

    @Test
    void comparisonListsTheBestAucFirst() {
        Evaluation worse =
                Evaluation.of(DATA.data().y(), new double[DATA.data().rows()]); // all tied: AUC 0.5
        String table = ModelReport.comparison(Map.of("logistic", ORACLE, "constant", worse), 0.9);
        assertThat(table.indexOf("logistic")).isLessThan(table.indexOf("constant"));
        assertThat(table).contains("oracle AUC 0.9000");
    }
}
