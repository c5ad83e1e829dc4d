package org.crmlake.models.clv;

import java.io.Serializable;

/**
 * Customer lifetime value over a horizon: BG/NBD expected purchases in the next {@code horizon}
 * time units times the Gamma–Gamma expected order value. Undiscounted and without margin: a
 * revenue figure for ranking and planning over about a year, not a financial valuation (for long
 * horizons a discount rate would matter; see docs/CLV.md). Small and {@link Serializable}, so a Spark
 * job can broadcast it and score customers on the executors.
 */
public record ClvModel(BgNbd purchases, GammaGamma spend) implements Serializable {

    /** Per-customer predictions for one horizon. */
    public record Prediction(double probabilityAlive, double expectedPurchases, double expectedOrderValue, double clv)
            implements Serializable {
    }

    /**
     * @param x       repeat purchases
     * @param tx      time of the last purchase since the first
     * @param T       age: time from the first purchase to the end of the calibration period
     * @param m       mean value of the repeat purchases, ignored (may be NaN) when x = 0
     * @param horizon prediction horizon in the model's time unit
     */
    public Prediction predict(double x, double tx, double T, double m, double horizon) {
        double alive = purchases.probabilityAlive(x, tx, T);
        double expected = purchases.expectedPurchases(horizon, x, tx, T);
        double value = x >= 1 && m > 0 ? spend.expectedValue(x, m) : spend.populationMean();
        return new Prediction(alive, expected, value, expected * value);
    }
}
