package org.crmlake.models;

/**
 * When a candidate may replace the champion: its AUC must beat the champion's by at least
 * {@code minAucGain} on the same validation rows, and its expected calibration error (Evaluation#calibrationError) must stay within
 * {@code maxCalibrationError}.
 */
public record PromotionPolicy(double minAucGain, double maxCalibrationError) {

    public PromotionPolicy {
        if (!(minAucGain >= 0 && minAucGain < 1)) {
            throw new IllegalArgumentException(
                    "minAucGain must be in [0, 1), got " + minAucGain + "; try 0.002");
        }
        if (!(maxCalibrationError > 0 && maxCalibrationError <= 1)) {
            throw new IllegalArgumentException(
                    "maxCalibrationError must be in (0, 1], got " + maxCalibrationError + "; try 0.05");
        }
    }

    public static PromotionPolicy defaults() {
        return new PromotionPolicy(0.002, 0.05);
    }
}
