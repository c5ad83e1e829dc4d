package org.crmlake.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Population stability index against training: each feature (and the score) is cut at its
 * training deciles; PSI = sum over bins of (now - train) x ln(now / train), shares floored at
 * 1e-4 so an empty bin counts as very different rather than infinite. Above 0.2 is drift.
 */
public final class Drift {
    public static final double ALERT_PSI = 0.2;
    static final String FILE = "drift_reference.json";
    private static final double FLOOR = 1e-4;

    /** One column's training bins: inner cut points and the training share of each bin. */
    public record Bins(double[] edges, double[] shares) {
    }

    private Drift() {
    }

    /** Bins of each column of {@code values} (rows x columns) at its deciles. */
    public static Map<String, Bins> reference(List<String> names, double[][] values) {
        Map<String, Bins> bins = new LinkedHashMap<>();
        for (int j = 0; j < names.size(); j++) {
            double[] column = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                column[i] = values[i][j];
            }
            bins.put(names.get(j), binsOf(column));
        }
        return bins;
    }

    static Bins binsOf(double[] column) {
        double[] sorted = column.clone();
        Arrays.sort(sorted);
        double[] edges = java.util.stream.IntStream.rangeClosed(1, 9)
                .mapToDouble(k -> sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, k * sorted.length / 10)])
                .distinct().toArray();
        double[] shares = new double[edges.length + 1];
        for (double v : column) {
            shares[bin(v, edges)] += 1.0 / Math.max(1, column.length);
        }
        return new Bins(edges, shares);
    }

    /** Bin of a value: the number of cut points below it (a value equal to a cut point goes left). */
    static int bin(double v, double[] edges) {
        int b = 0;
        while (b < edges.length && v > edges[b]) {
            b++;
        }
        return b;
    }

    public static double psi(double[] expected, double[] actual) {
        double psi = 0;
        for (int b = 0; b < expected.length; b++) {
            double e = Math.max(FLOOR, expected[b]);
            double a = Math.max(FLOOR, actual[b]);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** PSI of every referenced column of {@code rows}, counted by Spark in one pass. */
    public static Map<String, Double> psi(Dataset<Row> rows, Map<String, Bins> reference) {
        List<Column> aggs = new ArrayList<>(List.of(count(lit(1))));
        for (var e : reference.entrySet()) {
            Column bin = lit(0);
            for (double edge : e.getValue().edges()) {
                bin = bin.plus(when(col(e.getKey()).gt(edge), 1).otherwise(0));
            }
            for (int b = 0; b < e.getValue().shares().length; b++) {
                aggs.add(sum(when(bin.equalTo(b), 1L).otherwise(0L)));
            }
        }
        Row counts = rows.agg(aggs.getFirst(), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
        long n = counts.getLong(0);
        Map<String, Double> psi = new LinkedHashMap<>();
        int k = 1;
        for (var e : reference.entrySet()) {
            double[] now = new double[e.getValue().shares().length];
            for (int b = 0; b < now.length; b++, k++) {
                now[b] = n == 0 ? 0 : counts.getLong(k) / (double) n;
            }
            psi.put(e.getKey(), psi(e.getValue().shares(), now));
        }
        return psi;
    }

    public static void write(Path versionDir, Map<String, Bins> reference) {
        try {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(versionDir.resolve(FILE).toFile(), reference);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + versionDir.resolve(FILE), e);
        }
    }

    /** The training bins kept with a model version; empty for versions trained without them. */
    public static Map<String, Bins> read(Path versionDir) {
        Path file = versionDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return new ObjectMapper().readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Bins>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
