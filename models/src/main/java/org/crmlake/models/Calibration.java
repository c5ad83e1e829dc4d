package org.crmlake.models;

/**
 * How raw model scores become probabilities, fitted on held-out rows.
 * PLATT: a 1-D logistic regression on the logit of the raw score (smooth, needs few rows).
 * ISOTONIC: pool-adjacent-violators, linearly interpolated (any monotone shape, needs more rows).
 * NONE: the raw score as is.
 */
public enum Calibration {
    PLATT,
    ISOTONIC,
    NONE
}
