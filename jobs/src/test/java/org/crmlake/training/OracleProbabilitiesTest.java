package org.crmlake.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The latent-state oracle's closed form against a simulation of the generator's processes. */
class OracleProbabilitiesTest {

    @Test
    void noOrderWhileAliveMatchesASimulation() {
        double rate = 1 / 40.0;
        double hazard = 1 / 150.0;
        int horizon = 90;
        SplittableRandom rng = new SplittableRandom(7);
        int trials = 200_000;
        int noOrder = 0;
        for (int i = 0; i < trials; i++) {
            double leaves = -Math.log(1 - rng.nextDouble()) / hazard;
            double firstOrder = -Math.log(1 - rng.nextDouble()) / rate;
            if (firstOrder > Math.min(horizon, leaves)) {
                noOrder++;
            }
        }
        assertThat(OracleProbabilities.noOrderWhileAlive(rate, hazard, horizon))
                .isCloseTo((double) noOrder / trials, within(0.005));
    }

    @Test
    void edgeCases() {
        assertThat(OracleProbabilities.noOrderWhileAlive(0, 0.01, 90)).as("never orders").isEqualTo(1.0);
        assertThat(OracleProbabilities.noOrderWhileAlive(0.02, 0, 90)).as("never leaves: plain Poisson")
                .isCloseTo(Math.exp(-0.02 * 90), within(1e-12));
    }
}
