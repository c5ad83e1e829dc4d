package org.crmlake.models.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * BG/NBD and Gamma–Gamma: parameter recovery on simulated customers, the model's identities, and
 * the errors a caller reads.
 */
class ClvModelsTest {
    /** CDNOW estimates of FHL (2005), time in weeks. */
    static final BgNbd CDNOW = new BgNbd(0.24, 4.41, 0.79, 2.43);
    /** CDNOW Gamma–Gamma estimates (Fader &amp; Hardie 2013). */
    static final GammaGamma CDNOW_SPEND = new GammaGamma(6.25, 3.74, 15.44);
    /**
     * Largest relative error allowed per parameter. Measured with the seeds below (20,000 customers):
     * BG/NBD r 0.4%, alpha 1.8%, a 1.8%, b 3.4%; Gamma-Gamma p 5.1%, q 1.1%, gamma 5.6%. Over seeds
     * 1-5 the worst were b 12.8% (BG/NBD) and gamma 7.5% (Gamma-Gamma). With 5,000 customers a and
     * b vary more (up to 18% over seeds 1-5), so 15% would hold only for lucky seeds: hence 20,000.
     */
    static final double TOLERANCE = 0.15;
    static final int CUSTOMERS = 20_000;

    static double rel(double estimate, double truth) {
        return Math.abs(estimate - truth) / truth;
    }

    @Test
    void bgNbdRecoversKnownParametersAndFitsAtLeastAsWellAsTheTruth() {
        ClvSimulation s = ClvSimulation.bgNbd(CDNOW, CUSTOMERS, 52, 78, 20260930L);
        long t0 = System.nanoTime();
        BgNbd.Fit fit = BgNbd.fit(s.x, s.tx, s.T);
        double seconds = (System.nanoTime() - t0) / 1e9;
        BgNbd m = fit.model();
        System.out.printf("BG/NBD fit %.2f s: r=%.4f (%.1f%%) alpha=%.4f (%.1f%%) a=%.4f (%.1f%%) b=%.4f (%.1f%%) ll=%.2f%n",
                seconds, m.r(), 100 * rel(m.r(), CDNOW.r()), m.alpha(), 100 * rel(m.alpha(), CDNOW.alpha()),
                m.a(), 100 * rel(m.a(), CDNOW.a()), m.b(), 100 * rel(m.b(), CDNOW.b()), fit.logLikelihood());
        assertThat(rel(m.r(), CDNOW.r())).as("r %s", m.r()).isLessThan(TOLERANCE);
        assertThat(rel(m.alpha(), CDNOW.alpha())).as("alpha %s", m.alpha()).isLessThan(TOLERANCE);
        assertThat(rel(m.a(), CDNOW.a())).as("a %s", m.a()).isLessThan(TOLERANCE);
        assertThat(rel(m.b(), CDNOW.b())).as("b %s", m.b()).isLessThan(TOLERANCE);
        assertThat(fit.customers()).isEqualTo((double) CUSTOMERS);
        assertThat(fit.logLikelihood()).as("the MLE is at least as likely as the true parameters")
                .isGreaterThanOrEqualTo(CDNOW.logLikelihood(s.x, s.tx, s.T, null));
        assertThat(fit.logLikelihood()).isCloseTo(m.logLikelihood(s.x, s.tx, s.T, null), within(1e-6));
    }

    @Test
    void weightsEqualRepeatedRows() {
        ClvSimulation s = ClvSimulation.bgNbd(CDNOW, 300, 30, 40, 7L);
        double[] x2 = new double[600];
        double[] tx2 = new double[600];
        double[] t2 = new double[600];
        double[] w = new double[300];
        for (int i = 0; i < 300; i++) {
            x2[i] = x2[i + 300] = s.x[i];
            tx2[i] = tx2[i + 300] = s.tx[i];
            t2[i] = t2[i + 300] = s.T[i];
            w[i] = 2;
        }
        assertThat(CDNOW.logLikelihood(s.x, s.tx, s.T, w)).isCloseTo(CDNOW.logLikelihood(x2, tx2, t2, null), within(1e-8));
    }

    @Test
    void gammaGammaRecoversKnownParameters() {
        double[][] d = ClvSimulation.gammaGamma(CDNOW_SPEND, CUSTOMERS, 10, 42L);
        long t0 = System.nanoTime();
        GammaGamma.Fit fit = GammaGamma.fit(d[0], d[1]);
        double seconds = (System.nanoTime() - t0) / 1e9;
        GammaGamma g = fit.model();
        System.out.printf("Gamma-Gamma fit %.2f s: p=%.4f (%.1f%%) q=%.4f (%.1f%%) gamma=%.4f (%.1f%%)%n", seconds,
                g.p(), 100 * rel(g.p(), CDNOW_SPEND.p()), g.q(), 100 * rel(g.q(), CDNOW_SPEND.q()),
                g.gamma(), 100 * rel(g.gamma(), CDNOW_SPEND.gamma()));
        assertThat(rel(g.p(), CDNOW_SPEND.p())).as("p %s", g.p()).isLessThan(TOLERANCE);
        assertThat(rel(g.q(), CDNOW_SPEND.q())).as("q %s", g.q()).isLessThan(TOLERANCE);
        assertThat(rel(g.gamma(), CDNOW_SPEND.gamma())).as("gamma %s", g.gamma()).isLessThan(TOLERANCE);
        assertThat(fit.logLikelihood()).isGreaterThanOrEqualTo(CDNOW_SPEND.logLikelihood(d[0], d[1], null));
    }

    @Test
    void probabilityAliveFollowsTheModel() {
        assertThat(CDNOW.probabilityAlive(0, 0, 10)).as("x = 0: BG/NBD drops out only after a repeat purchase")
                .isEqualTo(1.0);
        assertThat(CDNOW.probabilityAlive(0, 0, 100)).isEqualTo(1.0);
        double p20 = CDNOW.probabilityAlive(3, 10, 20);
        double p30 = CDNOW.probabilityAlive(3, 10, 30);
        double p60 = CDNOW.probabilityAlive(3, 10, 60);
        assertThat(p20).as("longer silence since the last purchase: less likely alive").isGreaterThan(p30);
        assertThat(p30).isGreaterThan(p60);
        assertThat(CDNOW.probabilityAlive(3, 30, 30)).as("bought at the end: most likely alive").isGreaterThan(p30);
        assertThat(p60).isBetween(0.0, 1.0);
        // Hand-computed: 1 / (1 + 0.79 / (2.43 + 2) * ((4.41 + 30) / (4.41 + 10))^3.24)
        double expected = 1 / (1 + 0.79 / 4.43 * Math.pow(34.41 / 14.41, 3.24));
        assertThat(p30).isCloseTo(expected, within(1e-12));
    }

    @Test
    void expectedPurchasesGrowWithTheHorizonAndMatchTheSeriesForm() {
        double previous = 0;
        for (double t : new double[] {1, 4, 13, 26, 52, 104}) {
            double e = CDNOW.expectedPurchases(t, 2, 30, 38);
            assertThat(e).as("horizon %s", t).isGreaterThan(previous);
            previous = e;
        }
        assertThat(CDNOW.expectedPurchases(0, 2, 30, 38)).isZero();
        // Independent check: the a-1 form evaluated with the plain (untransformed) series.
        double r = 0.24;
        double alpha = 4.41;
        double a = 0.79;
        double b = 2.43;
        double x = 2;
        double tx = 30;
        double bigT = 38;
        double t = 39;
        double z = t / (alpha + bigT + t);
        double f = Hypergeometric.series(r + x, b + x, a + b + x - 1, z);
        double num = (a + b + x - 1) / (a - 1) * (1 - Math.pow((alpha + bigT) / (alpha + bigT + t), r + x) * f);
        double den = 1 + a / (b + x - 1) * Math.pow((alpha + bigT) / (alpha + tx), r + x);
        assertThat(CDNOW.expectedPurchases(t, x, tx, bigT)).isCloseTo(num / den, within(1e-9));
        // a = 1 is a removable singularity: continuous across it.
        BgNbd nearOne = new BgNbd(0.5, 10, 1.0, 3);
        assertThat(nearOne.expectedPurchases(52, 1, 20, 40))
                .isCloseTo(new BgNbd(0.5, 10, 1.001, 3).expectedPurchases(52, 1, 20, 40), within(1e-2));
    }

    @Test
    void hypergeometricMatchesClosedForms() {
        for (double z : new double[] {0.0, 0.1, 0.5, 0.9, 0.99}) {
            double expected = z == 0 ? 1 : -Math.log(1 - z) / z;
            assertThat(Hypergeometric.hyp2f1(1, 1, 2, z)).as("2F1(1,1;2;%s)", z).isCloseTo(expected, within(1e-10 * expected));
            assertThat(Hypergeometric.hyp2f1(2.5, 1.3, 1.3, z)).as("2F1(a,b;b;z) = (1-z)^-a")
                    .isCloseTo(Math.pow(1 - z, -2.5), within(1e-9 * Math.pow(1 - z, -2.5)));
        }
        assertThatThrownBy(() -> Hypergeometric.hyp2f1(1, 1, 2, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 <= z < 1");
        assertThatThrownBy(() -> Hypergeometric.hyp2f1(1, 1, -2, 0.5)).hasMessageContaining("negative integer");
    }

    @Test
    void gammaGammaShrinksTowardsThePopulationMean() {
        double pop = CDNOW_SPEND.populationMean();
        assertThat(pop).isCloseTo(6.25 * 15.44 / 2.74, within(1e-12));
        assertThat(CDNOW_SPEND.expectedValue(0, Double.NaN)).isEqualTo(pop);
        double one = CDNOW_SPEND.expectedValue(1, 100);
        double ten = CDNOW_SPEND.expectedValue(10, 100);
        assertThat(one).as("between the population mean and the customer's").isBetween(pop, 100.0);
        assertThat(ten).as("more purchases: closer to the customer's own mean").isBetween(one, 100.0);
    }

    @Test
    void clvIsPurchasesTimesValue() {
        ClvModel model = new ClvModel(CDNOW, CDNOW_SPEND);
        ClvModel.Prediction p = model.predict(2, 30, 38, 50, 52);
        assertThat(p.clv()).isCloseTo(p.expectedPurchases() * p.expectedOrderValue(), within(1e-9));
        assertThat(p.expectedOrderValue()).isEqualTo(CDNOW_SPEND.expectedValue(2, 50));
        assertThat(model.predict(0, 0, 38, Double.NaN, 52).expectedOrderValue()).isEqualTo(CDNOW_SPEND.populationMean());
    }

    @Test
    void invalidInputIsRejectedWithTheReason() {
        assertThatThrownBy(() -> CDNOW.probabilityAlive(-1, 0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x >= 0");
        assertThatThrownBy(() -> CDNOW.expectedPurchases(10, 2, 12, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tx=12.0 is after the customer's age T=10.0");
        assertThatThrownBy(() -> BgNbd.fit(new double[] {1, 2}, new double[] {1, 3}, new double[] {5, 2}))
                .hasMessageContaining("customer 1").hasMessageContaining("after the customer's age");
        assertThatThrownBy(() -> BgNbd.fit(new double[] {1, 2}, new double[] {1, 3}, new double[] {5, 6}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 10 customers");
        assertThatThrownBy(() -> BgNbd.fit(new double[12], new double[12], new double[12]))
                .hasMessageContaining("none of the 12.0 customers has a repeat purchase");
        assertThatThrownBy(() -> GammaGamma.fit(new double[] {1}, new double[] {-5}))
                .hasMessageContaining("m > 0");
        assertThatThrownBy(() -> GammaGamma.fit(new double[] {1, 2}, new double[] {5, 6}))
                .hasMessageContaining("at least 10 customers with a repeat purchase");
        assertThatThrownBy(() -> new BgNbd(0, 1, 1, 1)).hasMessageContaining("positive");
    }
}
