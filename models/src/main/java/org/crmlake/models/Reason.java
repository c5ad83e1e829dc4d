package org.crmlake.models;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * One feature's part in one row's score.
 *
 * @param contribution additive effect on the score: log-odds for gbt and logistic, probability for forest
 * @param text         the same in plain words, e.g. "days since the last order is 142 (raises the score)"
 */
public record Reason(String feature, double value, double contribution, String text) {

    static Reason of(String feature, String plainName, double value, double contribution) {
        String direction =
                contribution > 0
                        ? "raises the score"
                        : contribution < 0 ? "lowers the score" : "does not move the score";
        String shown = Double.isNaN(value) ? "missing" : round(value);
        return new Reason(
                feature, value, contribution, plainName + " is " + shown + " (" + direction + ")");
    }

    /** Whole numbers from 100 up, three significant digits below: "142", "3.47", "0.0125". */
    static String round(double value) {
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return Long.toString(Math.round(value));
        }
        return new BigDecimal(value)
                .round(new MathContext(3, RoundingMode.HALF_UP))
                .stripTrailingZeros()
                .toPlainString();
    }
}
