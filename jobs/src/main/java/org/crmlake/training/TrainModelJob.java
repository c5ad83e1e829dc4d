package org.crmlake.training;

import java.util.Arrays;
import java.util.List;
import org.crmlake.features.BuildFeaturesJob;
import org.crmlake.features.LabelSpec;
import org.crmlake.lake.Tables;
import org.crmlake.models.Algorithm;
import org.crmlake.models.PromotionPolicy;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * The scheduled form of {@code crm train --model churn|propensity} with its default settings: all
 * three algorithms, the default labels and cutoffs, the default promotion rule. The weekly training
 * DAG runs it; {@code crm train} is the way to change a setting.
 */
public final class TrainModelJob implements Job {
    public static final PromotionPolicy DEFAULT_POLICY = new PromotionPolicy(0.002, 0.05);
    private final String model;

    public TrainModelJob(String model) {
        this.model = model;
    }

    /** Where a model's versions live; not a lake table, named so the manifest links training to scoring. */
    public static String registryOutput(String model) {
        return "models/" + model;
    }

    @Override
    public String name() {
        return "train-" + model;
    }

    @Override
    public String description() {
        return "train, calibrate and evaluate the " + model + " model; promote it only by the registry's rule";
    }

    @Override
    public List<String> inputs() {
        return new BuildFeaturesJob().inputs();
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.FEATURES.qualifiedName(), registryOutput(model));
    }

    @Override
    public JobResult run(JobContext context) {
        TrainRequest request = new TrainRequest(model, Arrays.asList(Algorithm.values()), LabelSpec.defaults(), 3, 30,
                DEFAULT_POLICY, null, 42);
        return new JobResult(name(), ModelTraining.run(context.lake(), request, context::progress).lines());
    }
}
