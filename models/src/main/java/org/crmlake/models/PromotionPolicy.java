package org.crmlake.models;

/**
 * When a candidate may replace the champion: its AUC must beat the champion's by at least
 * {@code minAucGain} on the same validation rows, and its calibration gap must stay within
 * {@code maxCalibrationGap}.
 */
public record PromotionPolicy(double minAucGain, double maxCalibrationGap) {

    public PromotionPolicy {
        if (!(minAucGain >= 0 && minAucGain < 1)) {
            throw new IllegalArgumentException(
                    "minAucGain must be in [0, 1), got " + minAucGain + "; try 0.002");
        }
        if (!(maxCalibrationGap > 0 && maxCalibrationGap <= 1)) {
            throw new IllegalArgumentException(
                    "maxCalibrationGap must be in (0, 1], got " + maxCalibrationGap + "; try 0.05");
        }
    }

    public static PromotionPolicy defaults() {
        return new PromotionPolicy(0.002, 0.05);
    }
}
