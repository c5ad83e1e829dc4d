package org.crmlake.training;

import java.nio.file.Path;
import java.util.List;
import org.crmlake.features.LabelSpec;
import org.crmlake.models.Algorithm;
import org.crmlake.models.PromotionPolicy;

/**
 * One {@code crm train} run: the model (churn or propensity), the algorithms to compare, the
 * labels, how many training cutoffs how far apart, the promotion rule, and optionally the
 * generator's world folder for the oracle AUC.
 */
public record TrainRequest(String model, List<Algorithm> algorithms, LabelSpec labels, int cutoffs, int stepDays,
        PromotionPolicy policy, Path world, long seed) {
    public TrainRequest {
        FeatureRows.labelColumn(model);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("name at least one algorithm with --algorithms (gbt, logistic, forest)");
        }
        algorithms = List.copyOf(algorithms);
    }
}
