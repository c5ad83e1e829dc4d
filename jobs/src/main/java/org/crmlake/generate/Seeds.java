package org.crmlake.generate;

import java.util.SplittableRandom;

/** Derives independent, reproducible random streams from the master seed. */
final class Seeds {

    private Seeds() {
    }

    /** SplitMix64 finaliser: a bijection on 64-bit values, so distinct inputs give distinct outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long mix(long seed, long a, long b) {
        return mix(mix(mix(seed) + a) + b * 0x9E3779B97F4A7C15L);
    }

    static SplittableRandom stream(long seed, long a, long b) {
        return new SplittableRandom(mix(seed, a, b));
    }

    /** A uniform value in [0,1) that depends only on its inputs (no stream state). */
    static double unit(long seed, long a, long b) {
        return (mix(seed, a, b) >>> 11) * 0x1.0p-53;
    }
}
