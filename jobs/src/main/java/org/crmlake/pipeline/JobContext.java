package org.crmlake.pipeline;

import java.time.LocalDate;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.crmlake.lake.Lake;
import org.crmlake.lake.SparkSessions;

/**
 * What a job run needs: the Spark session, the lake, where exports land, the logical date of the
 * run, and a sink for progress lines a person reads.
 */
public record JobContext(Lake lake, String landing, LocalDate date, Consumer<String> progress) {
    public SparkSession spark() {
        return lake.spark();
    }

    /**
     * This context for running {@code job}: in a session of its own whose queries are compiled or
     * interpreted by the job's input size ({@link SparkSessions#forJob}), or this one unchanged.
     */
    public JobContext sizedFor(Job job) {
        SparkSession session = SparkSessions.forJob(spark(), job.landingBytes(this));
        return session == spark() ? this : new JobContext(lake.withSession(session), landing, date, progress);
    }

    public void progress(String line) {
        progress.accept(line);
    }
}
