package org.crmlake.models;

import smile.classification.GradientTreeBoost;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.math.MathEx;

/** Smile gradient tree boosting; contributions are tree SHAP values in log-odds units. */
record GradientBoostingScorer(GradientTreeBoost model, StructType schema, double shrinkage)
        implements Scorer {

    /** Smile's node size: a node with fewer rows is not split further. */
    private static final int NODE_SIZE = 5;

    static GradientBoostingScorer fit(LabeledData data, TrainOptions options) {
        DataFrame frame = SmileFrames.of(data);
        // Boosting draws its row subsamples from Smile's per-thread generator; seeding it makes
        // fits repeatable.
        MathEx.setSeed(options.seed());
        var smileOptions =
                new GradientTreeBoost.Options(
                        options.trees(),
                        options.maxDepth(),
                        options.maxNodes(),
                        NODE_SIZE,
                        options.shrinkage(),
                        options.subsample(),
                        null /* no test frame */,
                        null /* no controller */);
        GradientTreeBoost model =
                GradientTreeBoost.fit(Formula.lhs(SmileFrames.LABEL), frame, smileOptions);
        return new GradientBoostingScorer(
                model, SmileFrames.featureSchema(data.features()), options.shrinkage());
    }

    @Override
    public double rawProbability(double[] row) {
        double[] posterior = new double[2];
        model.predict(Tuple.of(schema, row), posterior);
        return posterior[1];
    }

    @Override
    public double[] contributions(double[] row) {
        // Smile averages per-tree SHAP over trees and interleaves both classes (index 2j+1 =
        // positive);
        // the binary margin is b + shrinkage·Σ tree and the log-odds is twice the margin.
        double[] shap = model.shap(Tuple.of(schema, row));
        double toLogOdds = 2 * shrinkage * model.trees()[0].length;
        double[] out = new double[row.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = shap[2 * j + 1] * toLogOdds;
        }
        return out;
    }

    @Override
    public double[] importance() {
        return model.importance().clone();
    }
}
