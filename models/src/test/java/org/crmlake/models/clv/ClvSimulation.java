package org.crmlake.models.clv;

import java.util.SplittableRandom;

/**
 * Customers drawn from known BG/NBD and Gamma–Gamma parameters with a seeded generator, to check that
 * the fits recover them. Written from the models' generative stories, not from the likelihoods.
 */
final class ClvSimulation {
    final double[] x;
    final double[] tx;
    final double[] T;

    private ClvSimulation(int n) {
        x = new double[n];
        tx = new double[n];
        T = new double[n];
    }

    /**
     * BG/NBD: lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b); purchases after the first at time 0 come
     * as a Poisson process while alive; after each repeat purchase the customer drops out with
     * probability p. Ages T are uniform in [minT, maxT] (a cohort that joined over a period).
     */
    static ClvSimulation bgNbd(BgNbd truth, int n, double minT, double maxT, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ClvSimulation s = new ClvSimulation(n);
        for (int i = 0; i < n; i++) {
            double lambda = gamma(rng, truth.r()) / truth.alpha();
            double ga = gamma(rng, truth.a());
            double p = ga / (ga + gamma(rng, truth.b()));
            double age = minT + (maxT - minT) * rng.nextDouble();
            double now = 0;
            int count = 0;
            double last = 0;
            while (true) {
                now += -Math.log(1 - rng.nextDouble()) / lambda;
                if (now > age) {
                    break;
                }
                count++;
                last = now;
                if (rng.nextDouble() < p) {
                    break;
                }
            }
            s.x[i] = count;
            s.tx[i] = last;
            s.T[i] = age;
        }
        return s;
    }

    /** Gamma–Gamma: nu ~ Gamma(q, rate gamma); x uniform in 1..maxX transactions ~ Gamma(p, rate nu); returns {x, mean}. */
    static double[][] gammaGamma(GammaGamma truth, int n, int maxX, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] xs = new double[n];
        double[] means = new double[n];
        for (int i = 0; i < n; i++) {
            double nu = gamma(rng, truth.q()) / truth.gamma();
            int k = 1 + rng.nextInt(maxX);
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += gamma(rng, truth.p()) / nu;
            }
            xs[i] = k;
            means[i] = sum / k;
        }
        return new double[][] {xs, means};
    }

    /** Gamma(shape, 1) by Marsaglia &amp; Tsang (2000), with the U^(1/shape) boost for shape &lt; 1. */
    static double gamma(SplittableRandom rng, double shape) {
        if (shape < 1) {
            return gamma(rng, shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = normal(rng);
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static double normal(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
