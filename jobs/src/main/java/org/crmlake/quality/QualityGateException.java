package org.crmlake.quality;

/** The data-quality gate found a measure below its threshold; the message names each breach. */
public final class QualityGateException extends RuntimeException {
    public QualityGateException(String message) {
        super(message);
    }
}
