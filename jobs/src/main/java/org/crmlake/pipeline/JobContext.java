package org.crmlake.pipeline;

import java.time.LocalDate;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.crmlake.lake.Lake;

/**
 * What a job run needs: the Spark session, the lake, where exports land, the logical date of the
 * run, and a sink for progress lines a person reads.
 */
public record JobContext(Lake lake, String landing, LocalDate date, Consumer<String> progress) {
    public SparkSession spark() {
        return lake.spark();
    }

    public void progress(String line) {
        progress.accept(line);
    }
}
