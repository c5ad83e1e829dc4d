package org.crmlake.models.clv;

import java.io.Serializable;
import smile.math.special.Gamma;

/**
 * The Gamma–Gamma model of spend per transaction (Fader, Hardie &amp; Lee 2005, "RFM and CLV: Using
 * Iso-Value Curves for Customer Base Analysis", JMR 42(4); Fader &amp; Hardie 2013, "The Gamma-Gamma
 * Model of Monetary Value"): a customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q,
 * gamma) across customers, independent of the purchase process. Fitted on customers with x &gt;= 1
 * transactions and their mean value m &gt; 0.
 *
 * <p>The fit keeps q &gt; 1 (it optimises ln(q - 1)) so the population mean spend p gamma / (q - 1)
 * exists: that is the expected order value of a customer with no repeat purchase yet.
 */
public record GammaGamma(double p, double q, double gamma) implements Serializable {
    public static final int MIN_CUSTOMERS = 10;

    public GammaGamma {
        if (!(p > 0 && q > 0 && gamma > 0) || !Double.isFinite(p + q + gamma)) {
            throw new IllegalArgumentException("Gamma-Gamma parameters must be positive and finite, got p=" + p
                    + " q=" + q + " gamma=" + gamma);
        }
    }

    public record Fit(GammaGamma model, double logLikelihood, double customers) implements Serializable {
    }

    static void check(double x, double m) {
        if (!(x >= 1) || !Double.isFinite(x)) {
            throw new IllegalArgumentException("Gamma-Gamma needs x >= 1 transactions, got x=" + x);
        }
        if (!(m > 0) || !Double.isFinite(m)) {
            throw new IllegalArgumentException("Gamma-Gamma needs a mean transaction value m > 0, got m=" + m);
        }
    }

    /** ln f(m | x) of the mean of x transactions: m ~ Gamma(p x, nu x) with nu ~ Gamma(q, gamma). */
    public double logLikelihood(double x, double m) {
        check(x, m);
        return ll(p, q, gamma, x, m);
    }

    private static double ll(double p, double q, double gamma, double x, double m) {
        double px = p * x;
        return Gamma.lgamma(px + q) - Gamma.lgamma(px) - Gamma.lgamma(q) + q * Math.log(gamma)
                + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(gamma + x * m);
    }

    /** Mean spend per transaction over the population, p gamma / (q - 1); infinite when q &lt;= 1. */
    public double populationMean() {
        return q > 1 ? p * gamma / (q - 1) : Double.POSITIVE_INFINITY;
    }

    /**
     * E[M | x, m] = (gamma + x m) p / (p x + q - 1): a weighted mean of the population mean and the
     * customer's own mean m, the weight on m growing with x. With x = 0 it is the population mean.
     */
    public double expectedValue(double x, double m) {
        if (!(x >= 0) || !Double.isFinite(x)) {
            throw new IllegalArgumentException("x must be >= 0, got " + x);
        }
        if (x == 0) {
            return populationMean();
        }
        check(x, m);
        double denominator = p * x + q - 1;
        return denominator > 0 ? (gamma + x * m) * p / denominator : Double.POSITIVE_INFINITY;
    }

    private static double negativeMean(double[] theta, double[] x, double[] m, double[] w, double total) {
        double p = Math.exp(theta[0]);
        double q = 1 + Math.exp(theta[1]);
        double gamma = Math.exp(theta[2]);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (w == null ? 1.0 : w[i]) * ll(p, q, gamma, x[i], m[i]);
        }
        return -s / total;
    }

    public double logLikelihood(double[] x, double[] m, double[] weights) {
        checkAll(x, m, weights);
        if (!(q > 1)) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += (weights == null ? 1.0 : weights[i]) * ll(p, q, gamma, x[i], m[i]);
            }
            return s;
        }
        double[] theta = {Math.log(p), Math.log(q - 1), Math.log(gamma)};
        double total = LogSpaceMle.total(weights, x.length);
        return -negativeMean(theta, x, m, weights, total) * total;
    }

    public static Fit fit(double[] x, double[] m) {
        return fit(x, m, null);
    }

    /**
     * Maximum-likelihood fit on (x, m) of customers with x &gt;= 1. Starts at p = 1, q = 2 and gamma =
     * the mean of m (so the starting population mean equals the data's).
     */
    public static Fit fit(double[] x, double[] m, double[] weights) {
        checkAll(x, m, weights);
        double total = LogSpaceMle.total(weights, x.length);
        if (total < MIN_CUSTOMERS) {
            throw new IllegalArgumentException("Gamma-Gamma needs at least " + MIN_CUSTOMERS
                    + " customers with a repeat purchase to fit, got " + total);
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (weights == null ? 1.0 : weights[i]) * m[i];
        }
        double[] theta = {0.0, 0.0, Math.log(sum / total)};
        double minimum = LogSpaceMle.minimize(t -> negativeMean(t, x, m, weights, total), theta);
        GammaGamma model = new GammaGamma(Math.exp(theta[0]), 1 + Math.exp(theta[1]), Math.exp(theta[2]));
        return new Fit(model, -minimum * total, total);
    }

    private static void checkAll(double[] x, double[] m, double[] weights) {
        if (x.length != m.length || (weights != null && weights.length != x.length)) {
            throw new IllegalArgumentException("x and m (and weights) must have the same length, got " + x.length
                    + ", " + m.length + (weights == null ? "" : ", " + weights.length));
        }
        for (int i = 0; i < x.length; i++) {
            try {
                check(x[i], m[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("customer " + i + ": " + e.getMessage(), e);
            }
        }
    }
}
