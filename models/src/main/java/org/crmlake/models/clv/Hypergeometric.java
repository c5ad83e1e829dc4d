package org.crmlake.models.clv;

/**
 * The Gaussian hypergeometric function 2F1(a, b; c; z) by its power series, as the BG/NBD
 * conditional expectation needs it.
 *
 * <p>Domain: real a, b, c with c not 0 or a negative integer, and 0 &lt;= z &lt; 1 (the series
 * converges for |z| &lt; 1; BG/NBD only ever asks for z = t / (alpha + T + t) in [0, 1)). When
 * a + b - c &gt; 0 the terms first grow like n^(a+b-c-1) before z^n wins, so Euler's transformation
 * 2F1(a, b; c; z) = (1 - z)^(c-a-b) 2F1(c-a, c-b; c; z) is applied first: its series then decays.
 * Results are returned as logarithms so large prefactors cannot overflow.
 */
public final class Hypergeometric {
    /** Terms smaller than this share of the running sum (twice in a row) end the series. */
    static final double RELATIVE_TOLERANCE = 1e-15;
    /** More terms than this means z is too close to 1 for the series: fail rather than return a guess. */
    static final int MAX_TERMS = 500_000;

    private Hypergeometric() {
    }

    /** 2F1(a, b; c; z); see the class comment for the domain. */
    public static double hyp2f1(double a, double b, double c, double z) {
        return Math.exp(log2f1(a, b, c, z));
    }

    /** ln 2F1(a, b; c; z); the function must be positive there (it is for every BG/NBD argument). */
    public static double log2f1(double a, double b, double c, double z) {
        if (!(z >= 0 && z < 1)) {
            throw new IllegalArgumentException("2F1 series needs 0 <= z < 1, got z = " + z);
        }
        if (c <= 0 && c == Math.rint(c)) {
            throw new IllegalArgumentException("2F1 is undefined for c = 0 or a negative integer, got c = " + c);
        }
        if (a + b - c > 0) {
            double inner = series(c - a, c - b, c, z);
            if (!(inner > 0)) {
                throw new IllegalStateException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") is not positive");
            }
            return (c - a - b) * Math.log1p(-z) + Math.log(inner);
        }
        double s = series(a, b, c, z);
        if (!(s > 0)) {
            throw new IllegalStateException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") is not positive");
        }
        return Math.log(s);
    }

    /** Plain power series: sum over n of (a)_n (b)_n / (c)_n z^n / n!. */
    static double series(double a, double b, double c, double z) {
        double term = 1.0;
        double sum = 1.0;
        int small = 0;
        for (int n = 0; n < MAX_TERMS; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (term == 0.0 || Math.abs(term) <= RELATIVE_TOLERANCE * Math.abs(sum)) {
                if (++small == 2 || term == 0.0) {
                    return sum;
                }
            } else {
                small = 0;
            }
        }
        throw new IllegalStateException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") series did not converge in "
                + MAX_TERMS + " terms (z too close to 1)");
    }
}
