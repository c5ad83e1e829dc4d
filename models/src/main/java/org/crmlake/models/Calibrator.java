package org.crmlake.models;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Maps a model's raw probability to a calibrated one; fitted on held-out rows only. */
sealed interface Calibrator extends Serializable {

    double apply(double raw);

    static Calibrator fit(Calibration method, double[] raw, int[] y) {
        return switch (method) {
            case PLATT -> Platt.fit(raw, y);
            case ISOTONIC -> Isotonic.fit(raw, y);
            case NONE -> new Identity();
        };
    }

    /** Raw scores of exactly 0 or 1 (a unanimous forest) would give infinite logits. */
    static double logit(double p) {
        double q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
        return Math.log(q / (1 - q));
    }

    record Identity() implements Calibrator {
        @Override
        public double apply(double raw) {
            return raw;
        }
    }

    /** p = σ(a · logit(raw) + b), fitted by Newton's method on the log-likelihood. */
    record Platt(double a, double b) implements Calibrator {

        private static final double RIDGE =
                1e-6; // keeps the Hessian invertible if the scores separate the classes

        static Platt fit(double[] raw, int[] y) {
            double a = 1;
            double b = 0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double ga = 0, gb = 0, haa = RIDGE, hab = 0, hbb = RIDGE;
                for (int i = 0; i < raw.length; i++) {
                    double s = logit(raw[i]);
                    double p = 1 / (1 + Math.exp(-(a * s + b)));
                    double r = p - y[i];
                    double w = p * (1 - p);
                    ga += r * s;
                    gb += r;
                    haa += w * s * s;
                    hab += w * s;
                    hbb += w;
                }
                double det = haa * hbb - hab * hab;
                double da = (hbb * ga - hab * gb) / det;
                double db = (haa * gb - hab * ga) / det;
                a -= da;
                b -= db;
                if (Math.abs(da) + Math.abs(db) < 1e-10) {
                    break;
                }
            }
            return new Platt(a, b);
        }

        @Override
        public double apply(double raw) {
            return 1 / (1 + Math.exp(-(a * logit(raw) + b)));
        }
    }

    /**
     * Pool-adjacent-violators: the non-decreasing step function closest to the labels, kept as
     * (mean raw score, mean label) per pooled block and linearly interpolated between blocks.
     */
    record Isotonic(double[] x, double[] y) implements Calibrator {

        static Isotonic fit(double[] raw, int[] labels) {
            Integer[] order = IntStream.range(0, raw.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(i -> raw[i]));
            double[] sumX = new double[raw.length];
            double[] sumY = new double[raw.length];
            int[] count = new int[raw.length];
            int blocks = 0;
            for (int i : order) {
                sumX[blocks] = raw[i];
                sumY[blocks] = labels[i];
                count[blocks] = 1;
                blocks++;
                // Merge backwards while the previous block's mean label is not below this one's.
                while (blocks > 1
                        && sumY[blocks - 2] / count[blocks - 2]
                                >= sumY[blocks - 1] / count[blocks - 1]) {
                    sumX[blocks - 2] += sumX[blocks - 1];
                    sumY[blocks - 2] += sumY[blocks - 1];
                    count[blocks - 2] += count[blocks - 1];
                    blocks--;
                }
            }
            double[] x = new double[blocks];
            double[] y = new double[blocks];
            for (int k = 0; k < blocks; k++) {
                x[k] = sumX[k] / count[k];
                y[k] = sumY[k] / count[k];
            }
            return new Isotonic(x, y);
        }

        @Override
        public double apply(double raw) {
            if (raw <= x[0]) {
                return y[0];
            }
            if (raw >= x[x.length - 1]) {
                return y[y.length - 1];
            }
            int hi = Arrays.binarySearch(x, raw);
            if (hi >= 0) {
                return y[hi];
            }
            hi = -hi - 1;
            int lo = hi - 1;
            double t = (raw - x[lo]) / (x[hi] - x[lo]);
            return y[lo] + t * (y[hi] - y[lo]);
        }
    }
}
