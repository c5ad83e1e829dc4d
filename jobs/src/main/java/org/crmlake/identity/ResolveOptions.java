package org.crmlake.identity;

import java.io.Serializable;

/**
 * Settings of identity resolution.
 *
 * @param weights      Fellegi–Sunter weights and the match threshold in bits
 * @param maxBlockSize blocks (records sharing a blocking key) larger than this are not compared
 *                     pair by pair: a value that many records share says little about identity
 */
public record ResolveOptions(MatchWeights weights, int maxBlockSize) implements Serializable {
    public static final ResolveOptions DEFAULT = new ResolveOptions(MatchWeights.DEFAULT, 200);

    public ResolveOptions {
        if (weights == null) {
            throw new IllegalArgumentException("match weights are required");
        }
        if (!(weights.threshold() > 0 && weights.threshold() <= 60)) {
            throw new IllegalArgumentException("match threshold must be between 0 and 60 bits, got " + weights.threshold());
        }
        if (maxBlockSize < 2 || maxBlockSize > 100_000) {
            throw new IllegalArgumentException("max block size must be between 2 and 100000, got " + maxBlockSize);
        }
    }

    public ResolveOptions withThreshold(double bits) {
        return new ResolveOptions(new MatchWeights(bits), maxBlockSize);
    }
}
