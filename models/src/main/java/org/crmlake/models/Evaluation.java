package org.crmlake.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** How well probabilities rank and how honest they are, measured on labelled rows. */
public record Evaluation(
        long rows,
        double positiveRate,
        double rocAuc,
        double prAuc,
        double brier,
        double logLoss,
        List<CalibrationBin> calibration,
        List<DecileRow> deciles) {

    private static final int BINS = 10;
    private static final double EPSILON = 1e-15;

    public Evaluation {
        calibration = List.copyOf(calibration);
        deciles = List.copyOf(deciles);
    }

    public static Evaluation of(int[] y, double[] p) {
        if (y.length != p.length) {
            throw new IllegalArgumentException(
                    y.length + " labels but " + p.length + " probabilities; pass one per row");
        }
        int n = y.length;
        double positives = 0;
        double brier = 0;
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException(
                        "probability of row " + i + " is " + p[i] + "; must be in [0, 1]");
            }
            positives += y[i];
            brier += (p[i] - y[i]) * (p[i] - y[i]);
            double q = Math.min(Math.max(p[i], EPSILON), 1 - EPSILON);
            logLoss -= y[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        return new Evaluation(
                n,
                positives / n,
                auc(y, p),
                averagePrecision(y, p),
                brier / n,
                logLoss / n,
                calibrationBins(y, p),
                deciles(y, p));
    }

    /** ROC AUC as the Mann–Whitney statistic: tied scores share their mean rank, so all-tied gives 0.5. */
    public static double auc(int[] y, double[] p) {
        int n = y.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end < n && p[order[end]] == p[order[start]]) {
                end++;
            }
            double midRank = (start + 1 + end) / 2.0; // ranks start..end-1, 1-based
            for (int k = start; k < end; k++) {
                if (y[order[k]] == 1) {
                    positiveRankSum += midRank;
                    positives++;
                }
            }
            start = end;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException(
                    "AUC needs both labels but got "
                            + positives
                            + " positives and "
                            + negatives
                            + " negatives; evaluate on a wider sample");
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0)
                / (positives * (double) negatives);
    }

    /** PR AUC as average precision, taking tied scores as one threshold. */
    static double averagePrecision(int[] y, double[] p) {
        Integer[] order = descending(p);
        double totalPositives = Arrays.stream(y).sum();
        double truePositives = 0;
        double area = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            double found = 0;
            while (end < order.length && p[order[end]] == p[order[start]]) {
                found += y[order[end]];
                end++;
            }
            truePositives += found;
            area += (found / totalPositives) * (truePositives / end);
            start = end;
        }
        return area;
    }

    /** Largest |mean predicted − observed| over bins holding at least 1% of rows. */
    public double maxCalibrationGap() {
        return calibration.stream()
                .filter(b -> b.count() >= 0.01 * rows)
                .mapToDouble(CalibrationBin::gap)
                .max()
                .orElse(0);
    }

    /**
     * Expected calibration error: the row-weighted mean |mean predicted − observed| over the bins.
     * Steadier than the largest gap on a few thousand rows, where a small bin's observed rate wanders.
     */
    public double calibrationError() {
        return rows == 0
                ? 0
                : calibration.stream().mapToDouble(b -> b.count() * b.gap()).sum() / rows;
    }

    public double topDecileLift() {
        return deciles.getFirst().lift();
    }

    private static List<CalibrationBin> calibrationBins(int[] y, double[] p) {
        long[] count = new long[BINS];
        double[] sumP = new double[BINS];
        double[] sumY = new double[BINS];
        for (int i = 0; i < y.length; i++) {
            int bin = Math.min((int) (p[i] * BINS), BINS - 1); // p = 1 belongs to the last bin
            count[bin]++;
            sumP[bin] += p[i];
            sumY[bin] += y[i];
        }
        List<CalibrationBin> bins = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            if (count[b] > 0) { // empty bins have no rates to compare
                bins.add(
                        new CalibrationBin(
                                b + 1,
                                (double) b / BINS,
                                (double) (b + 1) / BINS,
                                count[b],
                                sumP[b] / count[b],
                                sumY[b] / count[b]));
            }
        }
        return bins;
    }

    private static List<DecileRow> deciles(int[] y, double[] p) {
        Integer[] order = descending(p);
        int n = order.length;
        double totalPositives = Arrays.stream(y).sum();
        double overallRate = totalPositives / n;
        List<DecileRow> rows = new ArrayList<>();
        double cumulative = 0;
        for (int d = 0; d < 10; d++) {
            int from = (int) ((long) n * d / 10);
            int to = (int) ((long) n * (d + 1) / 10);
            double sumScore = 0;
            double found = 0;
            for (int k = from; k < to; k++) {
                sumScore += p[order[k]];
                found += y[order[k]];
            }
            int count = to - from;
            cumulative += found;
            double rate = count > 0 ? found / count : 0;
            rows.add(
                    new DecileRow(
                            d + 1,
                            count,
                            count > 0 ? sumScore / count : 0,
                            rate,
                            overallRate > 0 ? rate / overallRate : 0,
                            totalPositives > 0 ? cumulative / totalPositives : 0));
        }
        return rows;
    }

    private static Integer[] descending(double[] p) {
        Integer[] order = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> -p[i])); // stable: ties keep row order
        return order;
    }
}
