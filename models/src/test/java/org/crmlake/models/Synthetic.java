package org.crmlake.models;

import java.util.List;
import java.util.Random;

/**
 * Churn-like rows drawn from a known logistic model, so tests can compare a fitted model with the
 * truth. Only days since the last order, orders in the last 90 days and support tickets matter;
 * the basket value is sometimes missing and, like the noise column, has no effect.
 */
record Synthetic(LabeledData data, double[] trueProbability) {

    static final List<String> FEATURES =
            List.of(
                    "days_since_last_order",
                    "orders_last_90_days",
                    "support_tickets",
                    "avg_basket_value",
                    "noise");

    static Synthetic draw(int rows, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[rows][];
        int[] y = new int[rows];
        double[] truth = new double[rows];
        String[] ids = new String[rows];
        for (int i = 0; i < rows; i++) {
            double days = random.nextInt(366);
            double orders = random.nextInt(8);
            double tickets = random.nextInt(4);
            double basket =
                    random.nextDouble() < 0.05
                            ? Double.NaN
                            : Math.exp(3 + 0.5 * random.nextGaussian());
            x[i] = new double[] {days, orders, tickets, basket, random.nextGaussian()};
            truth[i] = trueProbability(x[i]);
            y[i] = random.nextDouble() < truth[i] ? 1 : 0;
            ids[i] = "c" + seed + "-" + i;
        }
        return new Synthetic(new LabeledData(FEATURES, x, y, ids), truth);
    }

    static double trueProbability(double[] row) {
        double z = -2.0 + 0.009 * row[0] - 0.35 * row[1] + 0.45 * row[2];
        return 1 / (1 + Math.exp(-z));
    }

    double oracleAuc() {
        return Evaluation.auc(data.y(), trueProbability);
    }
}
