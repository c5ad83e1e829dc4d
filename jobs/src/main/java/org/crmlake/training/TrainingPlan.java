package org.crmlake.training;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.crmlake.features.LabelSpec;

/**
 * Which cutoffs train and which validates, split by time: the validation cutoff is the newest whose
 * label horizon ends within the data, and every training cutoff's horizon ends on or before it, so
 * no training label looks at the validation period.
 */
public record TrainingPlan(String model, LocalDate validationCutoff, List<LocalDate> trainingCutoffs) {
    public TrainingPlan {
        trainingCutoffs = List.copyOf(trainingCutoffs);
        for (LocalDate t : trainingCutoffs) {
            if (!t.isBefore(validationCutoff)) {
                throw new IllegalArgumentException("training cutoff " + t + " is not before validation cutoff " + validationCutoff);
            }
        }
    }

    /** {@code count} training cutoffs, {@code stepDays} apart, the newest one horizon before validation. */
    public static TrainingPlan of(String model, LabelSpec labels, LocalDate dataEnd, int count, int stepDays) {
        if (dataEnd == null) {
            throw new IllegalArgumentException("no ERP batch has been ingested, so there are no labels to train on: "
                    + "run crm ingest (or crm demo) first");
        }
        if (count < 1 || stepDays < 1) {
            throw new IllegalArgumentException("--cutoffs and --step-days must be at least 1");
        }
        int horizon = labels.horizonDays(model);
        LocalDate validation = dataEnd.minusDays(horizon);
        List<LocalDate> training = new ArrayList<>();
        for (int k = count - 1; k >= 0; k--) {
            training.add(validation.minusDays(horizon + (long) k * stepDays));
        }
        return new TrainingPlan(model, validation, training);
    }

    public List<LocalDate> allCutoffs() {
        List<LocalDate> all = new ArrayList<>(trainingCutoffs);
        all.add(validationCutoff);
        return all;
    }
}
