package org.crmlake.models;

import java.util.List;

/** Where a model's data came from: the cutoff dates and the fingerprints of the exact rows. */
public record TrainingRun(
        List<String> trainingCutoffs,
        String validationCutoff,
        long trainRows,
        long validationRows,
        String trainFingerprint,
        String validationFingerprint) {

    public TrainingRun {
        trainingCutoffs = List.copyOf(trainingCutoffs);
    }
}
