package org.crmlake.models;

/** Rows whose predicted probability falls in [lower, upper): how many, mean prediction, observed rate. */
public record CalibrationBin(
        int bin,
        double lower,
        double upper,
        long count,
        double meanPredicted,
        double observedRate) {

    public double gap() {
        return Math.abs(meanPredicted - observedRate);
    }
}
