package org.crmlake.lake;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every job uses. The master is never set here when spark-submit or
 * {@code spark.master} already chose one; only then do we fall back to {@code local[*]}.
 *
 * <p>{@code -Dcrm.codegen=off} runs queries interpreted instead of compiling them to Java. On a
 * tiny lake (tests, small demo worlds) Spark spends a third of a job's CPU compiling code that then
 * runs on a few hundred rows; interpreted, the Java tests' GoldJobsTest takes 58 s instead of 87 s.
 * The gain shrinks as data grows (a 2000-customer demo: 313 s instead of 337 s) and compiled code
 * wins on real data, so compiled stays the default (README, "Development").
 */
public final class SparkSessions {
    /** The system property that turns query compilation off: {@code on} (default) or {@code off}. */
    public static final String CODEGEN = "crm.codegen";

    private SparkSessions() {
    }

    public static SparkSession getOrCreate(String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC")
                // Small-machine Delta tuning measured in STACK_NOTES: 2.5x faster on 2 cores.
                .config("spark.databricks.delta.snapshotPartitions", "4")
                .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "4")
                .config("spark.sql.shuffle.partitions", System.getProperty("crm.shuffle.partitions", "8"))
                .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                // Exports come in GB18030 and other Java charsets; Spark 4 only allows a few by default.
                .config("spark.sql.legacy.javaCharsets", "true");
        if (!compileQueries()) {
            b.config("spark.sql.codegen.wholeStage", "false").config("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        }
        if (System.getProperty("spark.master") == null) {
            b.master("local[*]").config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** Whether {@value #CODEGEN} leaves compilation on; a value other than on or off is a mistake worth a clear message. */
    static boolean compileQueries() {
        String value = System.getProperty(CODEGEN, "on");
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("-D" + CODEGEN + "=" + value + ": use on or off");
        };
    }
}
