package org.crmlake.models.clv;

import java.util.function.ToDoubleFunction;
import smile.math.BFGS;
import smile.util.function.DifferentiableMultivariateFunction;

/**
 * Maximum likelihood in log-parameter space: minimises the mean negative log-likelihood with
 * Smile's L-BFGS ({@link BFGS#minimize(DifferentiableMultivariateFunction, int, double[], double, int)})
 * and central-difference gradients. A box on the log-parameters keeps a flat likelihood from sending
 * a parameter to 0 or infinity: outside it the objective is evaluated at the nearest point of the box
 * plus a quadratic penalty. (Smile's bounded L-BFGS-B would do this directly, but it multiplies
 * matrices through OpenBLAS, which this project does not require: without libopenblas it fails and
 * poisons the JVM, see shared STACK_NOTES.)
 */
final class LogSpaceMle {
    /** Box on every log-parameter: parameters stay within [e^-15, e^15] (about 3e-7 to 3.3e6). */
    static final double LOG_BOUND = 15.0;
    /** Central-difference step in log space; the objective is smooth, error ~ h^2. */
    static final double STEP = 1e-5;
    static final double GRADIENT_TOLERANCE = 1e-9;
    static final int MAX_ITERATIONS = 1000;
    /** L-BFGS memory: with 3-4 parameters this keeps the whole curvature history. */
    static final int MEMORY = 5;

    private LogSpaceMle() {
    }

    /** Minimises {@code objective} from {@code start} (log-parameters, changed in place); returns the minimum. */
    static double minimize(ToDoubleFunction<double[]> objective, double[] start) {
        DifferentiableMultivariateFunction f = new DifferentiableMultivariateFunction() {
            @Override
            public double f(double[] theta) {
                double[] inside = theta.clone();
                double penalty = 0;
                for (int i = 0; i < inside.length; i++) {
                    inside[i] = Math.max(-LOG_BOUND, Math.min(LOG_BOUND, theta[i]));
                    penalty += (theta[i] - inside[i]) * (theta[i] - inside[i]);
                }
                double v = objective.applyAsDouble(inside) + penalty;
                // A non-finite value (overflow far from the optimum) must look bad, not break the line search.
                return Double.isFinite(v) ? v : Double.MAX_VALUE / 1e10;
            }

            @Override
            public double g(double[] theta, double[] gradient) {
                double[] t = theta.clone();
                for (int i = 0; i < t.length; i++) {
                    t[i] = theta[i] + STEP;
                    double up = f(t);
                    t[i] = theta[i] - STEP;
                    double down = f(t);
                    t[i] = theta[i];
                    gradient[i] = (up - down) / (2 * STEP);
                }
                return f(theta);
            }
        };
        BFGS.minimize(f, MEMORY, start, GRADIENT_TOLERANCE, MAX_ITERATIONS);
        for (int i = 0; i < start.length; i++) {
            start[i] = Math.max(-LOG_BOUND, Math.min(LOG_BOUND, start[i]));
        }
        return objective.applyAsDouble(start);
    }

    /** Weighted sum: {@code weights} may be null for weight 1 each. */
    static double total(double[] weights, int n) {
        if (weights == null) {
            return n;
        }
        double s = 0;
        for (double w : weights) {
            s += w;
        }
        return s;
    }

    /** log(e^u + e^v) without overflow. */
    static double logSumExp(double u, double v) {
        double m = Math.max(u, v);
        if (m == Double.NEGATIVE_INFINITY) {
            return m;
        }
        return m + Math.log(Math.exp(u - m) + Math.exp(v - m));
    }
}
