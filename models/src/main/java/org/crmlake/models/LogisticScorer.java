package org.crmlake.models;

import smile.classification.LogisticRegression;

/**
 * L2-penalised logistic regression on standardised features (so one lambda suits features of any
 * scale and coefficients compare); contributions are coefficient × standardised value, in log-odds.
 */
record LogisticScorer(LogisticRegression.Binomial model, double[] mean, double[] scale)
        implements Scorer {

    private static final double TOLERANCE = 1e-5;
    private static final int MAX_ITERATIONS = 500;

    static LogisticScorer fit(LabeledData data, TrainOptions options) {
        int p = data.features().size();
        double[] mean = new double[p];
        double[] scale = new double[p];
        double[][] x = data.x();
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
            }
        }
        for (int j = 0; j < p; j++) {
            scale[j] =
                    scale[j] > 0
                            ? Math.sqrt(scale[j])
                            : 1.0; // a constant column stays at 0 after centring
        }
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = standardise(x[i], mean, scale);
        }
        var model =
                LogisticRegression.binomial(
                        z,
                        data.y(),
                        new LogisticRegression.Options(
                                options.lambda(), TOLERANCE, MAX_ITERATIONS));
        return new LogisticScorer(model, mean, scale);
    }

    @Override
    public double rawProbability(double[] row) {
        return model.score(standardise(row, mean, scale));
    }

    @Override
    public double[] contributions(double[] row) {
        double[] z = standardise(row, mean, scale);
        double[] w = model.coefficients(); // p weights, then the intercept
        for (int j = 0; j < z.length; j++) {
            z[j] *= w[j];
        }
        return z;
    }

    @Override
    public double[] importance() {
        double[] w = model.coefficients();
        double[] out = new double[mean.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = Math.abs(w[j]);
        }
        return out;
    }

    private static double[] standardise(double[] row, double[] mean, double[] scale) {
        double[] z = new double[row.length];
        for (int j = 0; j < z.length; j++) {
            z[j] = (row[j] - mean[j]) / scale[j];
        }
        return z;
    }
}
