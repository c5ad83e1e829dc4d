package org.crmlake.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crmlake.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four sources are ingested at once and share bronze.quarantine and ops.ingest_log, so on a
 * new lake their first writes to one table race: none may replace another's rows.
 */
class ConcurrentFirstWritesTest extends SparkTestBase {
    private static final List<String> SOURCES = List.of("crm", "erp", "web", "calls");

    @TempDir
    Path dir;

    @Test
    void sourcesWritingANewTableAtOnceAllKeepTheirRows() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SOURCES.size());
        try {
            for (int round = 0; round < 3; round++) {
                Lake lake = new Lake(spark, dir.resolve("lake-" + round).toString());
                List<Future<?>> writes = new ArrayList<>();
                for (String source : SOURCES) {
                    writes.add(pool.submit(() -> lake.replaceWhere(Tables.QUARANTINE,
                            "source = '" + source + "' AND batch_date = '2026-06-01'", quarantined(source))));
                }
                for (Future<?> w : writes) {
                    w.get();
                }
                assertThat(lake.read(Tables.QUARANTINE).select("source").distinct().as(
                        org.apache.spark.sql.Encoders.STRING()).collectAsList())
                        .as("round %d", round).containsExactlyInAnyOrderElementsOf(SOURCES);
                assertThat(lake.read(Tables.QUARANTINE).count()).as("round %d", round).isEqualTo(2L * SOURCES.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Each job opens the lake itself (one JVM per Airflow task, one session per ingest in crm demo):
     * on a new lake one of them writes the key marker while the others may already read it.
     */
    @Test
    void jobsOpeningANewLakeAtOnceAgreeOnItsKeyMarker() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SOURCES.size());
        try {
            for (int round = 0; round < 20; round++) {
                String root = dir.resolve("keys-" + round).toString();
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<Future<String>> checks = new ArrayList<>();
                for (int job = 0; job < SOURCES.size(); job++) {
                    checks.add(pool.submit(() -> {
                        start.await();
                        return new Lake(spark, root).keys().fingerprint();
                    }));
                }
                start.countDown();
                for (Future<String> c : checks) {
                    assertThat(c.get()).as("round %d", round).isNotBlank();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static org.apache.spark.sql.Dataset<Row> quarantined(String source) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rows.add(RowFactory.create(source, "contacts", Date.valueOf("2026-06-01"), source + "/contacts.csv",
                    "bad line " + i, "missing required field last_name", new Timestamp(0)));
        }
        return spark.createDataFrame(rows, Tables.QUARANTINE.schema());
    }
}
