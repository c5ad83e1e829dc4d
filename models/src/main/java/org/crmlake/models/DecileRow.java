package org.crmlake.models;

/**
 * One tenth of the rows ranked by score, decile 1 holding the highest scores.
 *
 * @param lift           this decile's positive rate ÷ the overall positive rate
 * @param cumulativeGain share of all positives found in deciles 1..decile
 */
public record DecileRow(
        int decile,
        long count,
        double meanScore,
        double positiveRate,
        double lift,
        double cumulativeGain) {}
