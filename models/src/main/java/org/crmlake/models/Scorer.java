package org.crmlake.models;

import java.io.Serializable;

/**
 * A fitted Smile model behind one small interface, so {@link TrainedModel} does not care which
 * family it holds. Rows passed in have no missing values. Implementations must be thread-safe.
 */
sealed interface Scorer extends Serializable
        permits GradientBoostingScorer, RandomForestScorer, LogisticScorer {

    /** The model's own probability of the positive class, before calibration. */
    double rawProbability(double[] row);

    /** Each feature's additive contribution to this row's score (log-odds or probability units). */
    double[] contributions(double[] row);

    /** Non-negative global importance per feature, not normalised. */
    double[] importance();
}
