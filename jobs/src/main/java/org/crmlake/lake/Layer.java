package org.crmlake.lake;

/**
 * Medallion layers of the lake, plus {@code ops} for run bookkeeping (ingest log, data quality, audit
 * log) and {@code privacy} for erasure requests, kept apart so erasing a person never erases the
 * request that asked for it.
 */
public enum Layer {
    BRONZE, SILVER, GOLD, OPS, PRIVACY;

    public String dir() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
