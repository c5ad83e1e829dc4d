package org.crmlake.models;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A fitted model plus its calibrator: what the registry stores and Spark broadcasts. Immutable and
 * thread-safe. Missing values ({@code NaN}) are scored as 0, the same way they were trained.
 */
public final class TrainedModel implements Serializable {

    @Serial private static final long serialVersionUID = 1L;

    private final List<String> features;
    private final TrainOptions options;
    private final Scorer scorer;
    private final Calibrator calibrator;
    private final Map<String, String> plainNames;

    TrainedModel(
            List<String> features,
            TrainOptions options,
            Scorer scorer,
            Calibrator calibrator,
            Map<String, String> plainNames) {
        this.features = List.copyOf(features);
        this.options = options;
        this.scorer = scorer;
        this.calibrator = calibrator;
        this.plainNames = Map.copyOf(plainNames);
    }

    public List<String> features() {
        return features;
    }

    public Algorithm algorithm() {
        return options.algorithm();
    }

    public TrainOptions options() {
        return options;
    }

    /** Calibrated probability of the positive label for one row of {@link #features()} values. */
    public double probability(double[] row) {
        return calibrator.apply(rawProbability(row));
    }

    /** The model's own probability before calibration (for comparing with the calibrated one). */
    public double rawProbability(double[] row) {
        return scorer.rawProbability(prepared(row));
    }

    public double[] probabilities(double[][] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = probability(rows[i]);
        }
        return out;
    }

    /** The k features that moved this row's score most, largest absolute contribution first. */
    public List<Reason> reasons(double[] row, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        double[] contribution = scorer.contributions(prepared(row));
        return IntStream.range(0, features.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -Math.abs(contribution[j])))
                .limit(k)
                .map(
                        j ->
                                Reason.of(
                                        features.get(j),
                                        plainName(features.get(j)),
                                        row[j],
                                        contribution[j]))
                .toList();
    }

    /** Global feature importance, normalised to sum 1, largest first. */
    public Map<String, Double> importance() {
        double[] raw = scorer.importance();
        double total = 0;
        for (double v : raw) {
            total += v;
        }
        List<Map.Entry<String, Double>> entries = new ArrayList<>();
        for (int j = 0; j < raw.length; j++) {
            double share = total > 0 ? raw[j] / total : 1.0 / raw.length;
            entries.add(Map.entry(features.get(j), share));
        }
        entries.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        Map<String, Double> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(out);
    }

    /** The feature's plain words, or its name with underscores as spaces. */
    public String plainName(String feature) {
        return plainNames.getOrDefault(feature, feature.replace('_', ' '));
    }

    private double[] prepared(double[] row) {
        if (row.length != features.size()) {
            throw new IllegalArgumentException(
                    "row has "
                            + row.length
                            + " values but the model expects "
                            + features.size()
                            + " features "
                            + features);
        }
        return LabeledData.missingAsZero(row);
    }
}
