package org.crmlake;

import org.apache.spark.sql.SparkSession;
import org.crmlake.lake.SparkSessions;
import org.junit.jupiter.api.BeforeAll;

/** One local SparkSession per test JVM: Spark takes seconds to start on two cores. */
public abstract class SparkTestBase {
    protected static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        if (spark == null) {
            System.setProperty("crm.shuffle.partitions", "2");
            spark = SparkSessions.getOrCreate("crm-tests");
        }
    }
}
