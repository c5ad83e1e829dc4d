package org.crmlake.lake;

/** Medallion layers of the lake, plus {@code ops} for run bookkeeping (ingest log, data quality). */
public enum Layer {
    BRONZE, SILVER, GOLD, OPS;

    public String dir() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
