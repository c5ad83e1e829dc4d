package org.crmlake.models.clv;

import java.io.Serializable;
import smile.math.special.Gamma;

/**
 * The BG/NBD model of repeat buying (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2)): while alive a customer buys
 * as a Poisson process with rate lambda ~ Gamma(r, alpha); after each repeat purchase it drops out
 * with probability p ~ Beta(a, b).
 *
 * <p>Per customer: {@code x} repeat purchases (purchases after the first), {@code tx} the time of the
 * last purchase and {@code T} the age, both measured from the first purchase. Time is in whatever
 * unit the data uses (the jobs use days): r, a and b are unit-free, alpha is in that time unit.
 * A consequence of the model: a customer with x = 0 is alive with probability 1 (it can only drop
 * out right after a repeat purchase).
 */
public record BgNbd(double r, double alpha, double a, double b) implements Serializable {
    /** Fewer customers than this cannot pin down four parameters. */
    public static final int MIN_CUSTOMERS = 10;

    public BgNbd {
        for (double v : new double[] {r, alpha, a, b}) {
            if (!(v > 0 && Double.isFinite(v))) {
                throw new IllegalArgumentException("BG/NBD parameters must be positive and finite, got r=" + r
                        + " alpha=" + alpha + " a=" + a + " b=" + b);
            }
        }
    }

    /** A fitted model: the parameters, the log-likelihood at them and the customers they were fitted on. */
    public record Fit(BgNbd model, double logLikelihood, double customers) implements Serializable {
    }

    /** Checks one customer's summary; every public method calls it. */
    static void check(double x, double tx, double T) {
        if (!(x >= 0) || !(tx >= 0) || !(T >= 0) || !Double.isFinite(x + tx + T)) {
            throw new IllegalArgumentException("customer summary needs x >= 0, tx >= 0 and T >= 0 (finite), got x="
                    + x + " tx=" + tx + " T=" + T);
        }
        if (tx > T) {
            throw new IllegalArgumentException("time of last purchase tx=" + tx + " is after the customer's age T=" + T);
        }
        if (x == 0 && tx != 0) {
            throw new IllegalArgumentException("a customer without repeat purchases (x=0) has tx=0, got tx=" + tx);
        }
    }

    /** Log-likelihood of one customer: ln A1 + ln(A2 + [x &gt; 0] A3) computed with log-sum-exp. */
    public double logLikelihood(double x, double tx, double T) {
        check(x, tx, T);
        return ll(r, alpha, a, b, x, tx, T);
    }

    private static double ll(double r, double alpha, double a, double b, double x, double tx, double T) {
        double lnA1 = Gamma.lgamma(r + x) - Gamma.lgamma(r) + r * Math.log(alpha)
                + Gamma.lgamma(a + b) + Gamma.lgamma(b + x) - Gamma.lgamma(b) - Gamma.lgamma(a + b + x);
        double lnA2 = -(r + x) * Math.log(alpha + T);
        if (x == 0) {
            return lnA1 + lnA2;
        }
        double lnA3 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
        return lnA1 + LogSpaceMle.logSumExp(lnA2, lnA3);
    }

    /** P(alive | x, tx, T) = 1 / (1 + [x &gt; 0] a / (b + x - 1) ((alpha + T) / (alpha + tx))^(r + x)). */
    public double probabilityAlive(double x, double tx, double T) {
        check(x, tx, T);
        return 1.0 / Math.exp(logDenominator(x, tx, T));
    }

    /** ln(1 + [x &gt; 0] a / (b + x - 1) ((alpha + T) / (alpha + tx))^(r + x)). */
    private double logDenominator(double x, double tx, double T) {
        if (x == 0) {
            return 0.0;
        }
        double k = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
        return k > 35 ? k : Math.log1p(Math.exp(k));
    }

    /**
     * E[purchases in (T, T + t] | x, tx, T] (FHL 2005, eq. 10):
     * (a + b + x - 1) / (a - 1) * [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))]
     * / (1 + [x &gt; 0] a / (b + x - 1) ((alpha + T) / (alpha + tx))^(r + x)).
     * At a = 1 the formula is 0/0 (a removable singularity); within 1e-7 of 1 it is evaluated as the
     * mean of a = 1 +- 1e-5.
     */
    public double expectedPurchases(double t, double x, double tx, double T) {
        check(x, tx, T);
        if (!(t >= 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("prediction horizon must be >= 0, got " + t);
        }
        if (t == 0) {
            return 0.0;
        }
        if (Math.abs(a - 1) < 1e-7) {
            return 0.5 * (new BgNbd(r, alpha, 1 + 1e-5, b).expectedPurchases(t, x, tx, T)
                    + new BgNbd(r, alpha, 1 - 1e-5, b).expectedPurchases(t, x, tx, T));
        }
        double z = t / (alpha + T + t);
        double c = a + b + x - 1;
        // ((alpha+T)/(alpha+T+t))^(r+x) = (1 - z)^(r+x); combined with 2F1 in logs.
        double lnTerm = (r + x) * Math.log1p(-z) + Hypergeometric.log2f1(r + x, b + x, c, z);
        double bracket = -Math.expm1(lnTerm);
        double value = c / (a - 1) * bracket / Math.exp(logDenominator(x, tx, T));
        return Math.max(0.0, value);
    }

    /** Mean log-likelihood objective over customers; parameters are exp(theta). */
    private static double negativeMean(double[] theta, double[] x, double[] tx, double[] T, double[] w, double total) {
        double r = Math.exp(theta[0]);
        double alpha = Math.exp(theta[1]);
        double a = Math.exp(theta[2]);
        double b = Math.exp(theta[3]);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (w == null ? 1.0 : w[i]) * ll(r, alpha, a, b, x[i], tx[i], T[i]);
        }
        return -s / total;
    }

    /** Total log-likelihood of the data under these parameters (weights may be null). */
    public double logLikelihood(double[] x, double[] tx, double[] T, double[] weights) {
        checkAll(x, tx, T, weights);
        double[] theta = {Math.log(r), Math.log(alpha), Math.log(a), Math.log(b)};
        double total = LogSpaceMle.total(weights, x.length);
        return -negativeMean(theta, x, tx, T, weights, total) * total;
    }

    /** Maximum-likelihood fit; see {@link #fit(double[], double[], double[], double[])}. */
    public static Fit fit(double[] x, double[] tx, double[] T) {
        return fit(x, tx, T, null);
    }

    /**
     * Maximum-likelihood fit on per-customer summaries. {@code weights} (may be null) lets identical
     * summaries be given once with their count. Starts at r = 1, a = b = 1 and alpha = sum T / sum x
     * (rate matched to the data) and optimises ln r, ln alpha, ln a, ln b with L-BFGS-B.
     */
    public static Fit fit(double[] x, double[] tx, double[] T, double[] weights) {
        checkAll(x, tx, T, weights);
        double total = LogSpaceMle.total(weights, x.length);
        if (total < MIN_CUSTOMERS) {
            throw new IllegalArgumentException("BG/NBD needs at least " + MIN_CUSTOMERS + " customers to fit, got "
                    + total);
        }
        double sumX = 0;
        double sumT = 0;
        for (int i = 0; i < x.length; i++) {
            double w = weights == null ? 1.0 : weights[i];
            sumX += w * x[i];
            sumT += w * T[i];
        }
        if (sumX == 0) {
            throw new IllegalArgumentException("BG/NBD cannot be fitted: none of the " + total
                    + " customers has a repeat purchase yet");
        }
        if (sumT == 0) {
            throw new IllegalArgumentException("BG/NBD cannot be fitted: every customer's age T is 0");
        }
        double[] theta = {0.0, Math.log(Math.max(sumT / sumX, 1e-3)), 0.0, 0.0};
        double minimum = LogSpaceMle.minimize(t -> negativeMean(t, x, tx, T, weights, total), theta);
        BgNbd model = new BgNbd(Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2]), Math.exp(theta[3]));
        return new Fit(model, -minimum * total, total);
    }

    private static void checkAll(double[] x, double[] tx, double[] T, double[] weights) {
        if (x.length != tx.length || x.length != T.length || (weights != null && weights.length != x.length)) {
            throw new IllegalArgumentException("x, tx, T (and weights) must have the same length, got " + x.length
                    + ", " + tx.length + ", " + T.length + (weights == null ? "" : ", " + weights.length));
        }
        for (int i = 0; i < x.length; i++) {
            try {
                check(x[i], tx[i], T[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("customer " + i + ": " + e.getMessage(), e);
            }
            if (weights != null && !(weights[i] >= 0)) {
                throw new IllegalArgumentException("customer " + i + ": weight must be >= 0, got " + weights[i]);
            }
        }
    }
}
