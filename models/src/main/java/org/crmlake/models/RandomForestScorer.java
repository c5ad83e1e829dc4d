package org.crmlake.models;

import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.model.cart.SplitRule;

import java.util.SplittableRandom;

/** Smile random forest; contributions are tree SHAP values in probability units. */
record RandomForestScorer(RandomForest model, StructType schema) implements Scorer {

    private static final int NODE_SIZE = 5;

    static RandomForestScorer fit(LabeledData data, TrainOptions options) {
        DataFrame frame = SmileFrames.of(data);
        int mtry = Math.max(1, (int) Math.floor(Math.sqrt(data.features().size())));
        // Smile trains trees in parallel, each from its own seed: one seed per tree keeps fits
        // repeatable.
        long[] seeds = new SplittableRandom(options.seed()).longs(options.trees()).toArray();
        var smileOptions =
                new RandomForest.Options(
                        options.trees(),
                        mtry,
                        SplitRule.GINI,
                        options.maxDepth(),
                        options.maxNodes(),
                        NODE_SIZE,
                        options.subsample(),
                        null /* equal class weights */,
                        seeds,
                        null /* no controller */);
        RandomForest model = RandomForest.fit(Formula.lhs(SmileFrames.LABEL), frame, smileOptions);
        return new RandomForestScorer(model, SmileFrames.featureSchema(data.features()));
    }

    @Override
    public double rawProbability(double[] row) {
        double[] posterior = new double[2];
        model.predict(Tuple.of(schema, row), posterior);
        return posterior[1];
    }

    @Override
    public double[] contributions(double[] row) {
        double[] shap =
                model.shap(Tuple.of(schema, row)); // both classes interleaved: 2j+1 = positive
        double[] out = new double[row.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = shap[2 * j + 1];
        }
        return out;
    }

    @Override
    public double[] importance() {
        return model.importance().clone();
    }
}
