package org.crmlake.models;

import java.io.Serializable;

/**
 * Training settings. Tree settings ({@code trees}, {@code maxDepth}, {@code maxNodes},
 * {@code subsample}, and {@code shrinkage} for boosting) are checked only for tree algorithms;
 * {@code lambda} (L2 penalty on standardised features) only matters for logistic regression.
 */
public record TrainOptions(
        Algorithm algorithm,
        int trees,
        int maxDepth,
        int maxNodes,
        double shrinkage,
        double subsample,
        double lambda,
        Calibration calibration,
        long seed)
        implements Serializable {

    public TrainOptions {
        require(algorithm != null, "algorithm is missing; use one of gbt, logistic, forest");
        require(calibration != null, "calibration is missing; use PLATT, ISOTONIC or NONE");
        require(
                lambda >= 0 && Double.isFinite(lambda),
                "lambda must be a finite number >= 0, got " + lambda + "; try 0.1");
        if (algorithm.isTreeEnsemble()) {
            require(
                    trees >= 1 && trees <= 5000,
                    "trees must be between 1 and 5000, got " + trees + "; try 200");
            require(
                    maxDepth >= 1 && maxDepth <= 30,
                    "maxDepth must be between 1 and 30, got " + maxDepth + "; try 5");
            require(
                    maxNodes >= 2,
                    "maxNodes must be at least 2, got " + maxNodes + "; try 2^maxDepth");
            require(
                    subsample > 0 && subsample <= 1,
                    "subsample must be in (0, 1], got " + subsample + "; try 0.8");
        }
        if (algorithm == Algorithm.GRADIENT_BOOSTING) {
            require(
                    shrinkage > 0 && shrinkage <= 1,
                    "shrinkage must be in (0, 1], got " + shrinkage + "; try 0.05");
        }
    }

    /**
     * Sensible starting points: boosting with many shallow, slowly-learning trees; a forest of
     * moderate depth (deep forests make tree SHAP slow and the model large); mildly penalised
     * logistic regression.
     */
    public static TrainOptions defaults(Algorithm algorithm) {
        return switch (algorithm) {
            case GRADIENT_BOOSTING ->
                    new TrainOptions(algorithm, 200, 5, 32, 0.05, 0.8, 0, Calibration.PLATT, 42);
            case RANDOM_FOREST ->
                    new TrainOptions(algorithm, 200, 8, 128, 0, 1.0, 0, Calibration.PLATT, 42);
            case LOGISTIC_REGRESSION ->
                    new TrainOptions(algorithm, 0, 0, 0, 0, 0, 0.1, Calibration.PLATT, 42);
        };
    }

    public TrainOptions withTrees(int newTrees) {
        return new TrainOptions(
                algorithm,
                newTrees,
                maxDepth,
                maxNodes,
                shrinkage,
                subsample,
                lambda,
                calibration,
                seed);
    }

    public TrainOptions withCalibration(Calibration newCalibration) {
        return new TrainOptions(
                algorithm,
                trees,
                maxDepth,
                maxNodes,
                shrinkage,
                subsample,
                lambda,
                newCalibration,
                seed);
    }

    public TrainOptions withSeed(long newSeed) {
        return new TrainOptions(
                algorithm,
                trees,
                maxDepth,
                maxNodes,
                shrinkage,
                subsample,
                lambda,
                calibration,
                newSeed);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
