package org.crmlake.models;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A feature matrix with binary labels: one row per entity (customer), one column per feature.
 * {@code NaN} in {@code x} means "missing"; models replace it with 0 (see {@link TrainedModel}).
 *
 * @param features feature names, in column order
 * @param x        rows × features
 * @param y        labels, 0 or 1, one per row
 * @param ids      optional row ids (e.g. customer ids), one per row, or {@code null}
 */
public record LabeledData(List<String> features, double[][] x, int[] y, String[] ids) {

    public LabeledData {
        if (features == null || features.isEmpty()) {
            throw new IllegalArgumentException("LabeledData needs at least one feature name");
        }
        features = List.copyOf(features);
        if (features.stream().distinct().count() != features.size()) {
            throw new IllegalArgumentException("feature names must be unique, got " + features);
        }
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException(
                    "x and y must have one entry per row (x has "
                            + (x == null ? "null" : x.length)
                            + " rows, y has "
                            + (y == null ? "null" : y.length)
                            + ")");
        }
        if (ids != null && ids.length != y.length) {
            throw new IllegalArgumentException(
                    "ids must have one entry per row or be null ("
                            + ids.length
                            + " ids, "
                            + y.length
                            + " rows)");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != features.size()) {
                throw new IllegalArgumentException(
                        "row "
                                + i
                                + " has "
                                + (x[i] == null ? 0 : x[i].length)
                                + " values but there are "
                                + features.size()
                                + " features");
            }
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException(
                        "label of row " + i + " is " + y[i] + "; labels must be 0 or 1");
            }
        }
    }

    /** Reads a CSV feature table: a header, a 0/1 label column, an optional id column, numeric features. */
    public static LabeledData readCsv(Path file, String labelColumn, String idColumn) {
        return FeatureCsv.read(file, labelColumn, idColumn);
    }

    public int rows() {
        return y.length;
    }

    public int positives() {
        int n = 0;
        for (int label : y) {
            n += label;
        }
        return n;
    }

    /** SHA-256 over feature names, values and labels in order: equal data gives an equal hash. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String feature : features) {
                sha.update(feature.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0); // separator so ["ab","c"] differs from ["a","bc"]
            }
            ByteBuffer buffer = ByteBuffer.allocate(Double.BYTES * features.size() + Integer.BYTES);
            for (int i = 0; i < y.length; i++) {
                buffer.clear();
                for (double v : x[i]) {
                    buffer.putDouble(v);
                }
                buffer.putInt(y[i]);
                sha.update(buffer.array(), 0, buffer.position());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The given rows, in the given order. */
    public LabeledData rows(java.util.List<Integer> keep) {
        double[][] sx = new double[keep.size()][];
        int[] sy = new int[keep.size()];
        String[] sids = new String[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            sx[k] = x[keep.get(k)];
            sy[k] = y[keep.get(k)];
            sids[k] = ids[keep.get(k)];
        }
        return new LabeledData(features, sx, sy, sids);
    }

    /** The same rows with every missing value replaced by 0, the models' simple missing-value rule. */
    public LabeledData withMissingAsZero() {
        double[][] filled = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            filled[i] = missingAsZero(x[i]);
        }
        return new LabeledData(features, filled, y, ids);
    }

    static double[] missingAsZero(double[] row) {
        double[] out = row.clone();
        for (int j = 0; j < out.length; j++) {
            if (Double.isNaN(out[j])) {
                out[j] = 0;
            }
        }
        return out;
    }

    /** The same rows with columns reordered (or subset) to {@code wanted}; a missing name is an error. */
    public LabeledData select(List<String> wanted) {
        int[] index = new int[wanted.size()];
        for (int j = 0; j < index.length; j++) {
            index[j] = features.indexOf(wanted.get(j));
            if (index[j] < 0) {
                throw new IllegalArgumentException(
                        "feature '" + wanted.get(j) + "' is not in the data; it has " + features);
            }
        }
        double[][] out = new double[x.length][index.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < index.length; j++) {
                out[i][j] = x[i][index[j]];
            }
        }
        return new LabeledData(wanted, out, y, ids);
    }
}
