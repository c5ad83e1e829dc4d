package org.crmlake.lake;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every job uses. The master is never set here when spark-submit or
 * {@code spark.master} already chose one; only then do we fall back to {@code local[*]}.
 *
 * <p>{@code -Dcrm.codegen} says whether queries are compiled to Java: {@code on}, {@code off}
 * (interpreted), or {@code auto} (the default: compiled, except a job whose landing input is under
 * {@link #SMALL_INPUT_BYTES}, see {@link #compileQueriesFor}). On a tiny lake (tests, small demo
 * worlds) Spark spends a third of a job's CPU compiling code that then runs on a few hundred rows;
 * interpreted, the Java tests' GoldJobsTest takes 58 s instead of 87 s. Compiled code wins on real
 * data (customer 360 at 100k customers: 80 s compiled, 112 s interpreted), so only small inputs
 * switch it off (README, "Development").
 */
public final class SparkSessions {
    /** The system property that chooses query compilation: {@code auto} (default), {@code on} or {@code off}. */
    public static final String CODEGEN = "crm.codegen";
    /**
     * Landing bytes under which a job runs interpreted with {@code auto}: a daily batch of the 100k
     * world (2.7 MB over four sources) ingested in its own JVM took 63–69 s compiled and 48–49 s
     * interpreted; the first batch of that world (845 MB) is bulk work that compiled code does faster.
     */
    public static final long SMALL_INPUT_BYTES = 32L << 20;

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
        if (codegen().equals("off")) {
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

    /**
     * With {@code auto}, runs the session's next queries interpreted when a job's landing input is
     * known ({@code inputBytes} &ge; 0) and under {@link #SMALL_INPUT_BYTES}, compiled otherwise: for
     * a session that runs one job ({@link #forJob} makes one). {@code on} and {@code off} are left as set.
     *
     * @return whether queries are compiled from now on
     */
    static boolean compileQueriesFor(SparkSession spark, long inputBytes) {
        String mode = codegen();
        if (!mode.equals("auto")) {
            return mode.equals("on");
        }
        boolean compile = inputBytes < 0 || inputBytes >= SMALL_INPUT_BYTES;
        spark.conf().set("spark.sql.codegen.wholeStage", Boolean.toString(compile));
        spark.conf().set("spark.sql.codegen.factoryMode", compile ? "FALLBACK" : "NO_CODEGEN");
        return compile;
    }

    /**
     * The session one job of several sharing this JVM runs in ({@code crm demo}, {@code crm bench}, and
     * {@code crm run} alike): with {@code auto} and a known input size, a new session of the same Spark
     * context whose compilation follows {@link #compileQueriesFor}, so one job's choice does not change
     * it for the jobs running beside it (the four sources' ingests run at once). Otherwise the shared
     * session itself.
     */
    public static SparkSession forJob(SparkSession shared, long inputBytes) {
        if (inputBytes < 0 || !codegen().equals("auto")) {
            return shared;
        }
        SparkSession own = shared.newSession();
        compileQueriesFor(own, inputBytes);
        return own;
    }

    /** The value of {@value #CODEGEN}; a value other than auto, on or off is a mistake worth a clear message. */
    static String codegen() {
        String value = System.getProperty(CODEGEN, "auto");
        return switch (value) {
            case "auto", "on", "off" -> value;
            default -> throw new IllegalArgumentException("-D" + CODEGEN + "=" + value + ": use auto, on or off");
        };
    }
}
