package org.crmlake.warehouse;

import java.nio.file.Path;
import org.crmlake.lake.Lake;

/**
 * Where the DuckDB warehouse lives: {@code --warehouse FILE}, else {@code $CRM_WAREHOUSE}, else
 * {@code warehouse/warehouse.duckdb} beside a lake on local disk (lake {@code work/lake} gives
 * {@code work/warehouse/warehouse.duckdb}). DuckDB writes a local file, so a lake on s3a: or hdfs:
 * needs one of the first two. Mirrors {@code training.ModelStore}.
 */
public final class WarehouseLocation {
    public static final String FILE_NAME = "warehouse.duckdb";
    public static final String PREVIOUS_NAME = "warehouse.previous.duckdb";
    public static final String REPORT_NAME = "report.html";

    private WarehouseLocation() {
    }

    public static Path resolve(Lake lake, Path explicit) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        String env = System.getenv("CRM_WAREHOUSE");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        String root = lake.root();
        Path lakeDir;
        if (root.startsWith("file:")) {
            lakeDir = Path.of(java.net.URI.create(root));
        } else if (root.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            throw new IllegalArgumentException("the lake " + root + " is not on local disk: give --warehouse FILE or set "
                    + "CRM_WAREHOUSE to a local file for the DuckDB warehouse");
        } else {
            lakeDir = Path.of(root);
        }
        return lakeDir.toAbsolutePath().normalize().resolveSibling("warehouse").resolve(FILE_NAME);
    }

    /** The latest publish's HTML run report, in the same folder as {@code live}. */
    public static Path report(Path live) {
        return live.resolveSibling(REPORT_NAME);
    }

    /** The previous warehouse kept for rollback, in the same folder as {@code live}. */
    public static Path previous(Path live) {
        return live.resolveSibling(PREVIOUS_NAME);
    }
}
