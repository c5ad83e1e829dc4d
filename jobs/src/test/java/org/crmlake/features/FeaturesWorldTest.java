package org.crmlake.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.SparkTestBase;
import org.crmlake.generate.GenerateOptions;
import org.crmlake.generate.GenerateResult;
import org.crmlake.generate.WorldGenerator;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features and labels on a small generated year: point in time, labels only where observed. */
class FeaturesWorldTest extends SparkTestBase {
    @TempDir
    static Path dir;
    static Lake lake;
    static LocalDate end;

    @BeforeAll
    static void world() throws Exception {
        GenerateResult world = new WorldGenerator(new GenerateOptions(150, 240, 5L, GenerateOptions.messLevel("low"),
                GenerateOptions.DEFAULT_END_DATE, dir.resolve("world"))).generate();
        lake = new Lake(spark, dir.resolve("lake").toString());
        String landing = dir.resolve("world/landing").toString();
        end = world.batchDates().getLast();
        for (LocalDate d : world.batchDates()) {
            for (Job j : JobRegistry.daily()) {
                if (j.name().startsWith("ingest-")) {
                    j.run(new JobContext(lake, landing, d, s -> { }));
                }
            }
        }
        for (Job j : JobRegistry.daily()) {
            if (j.name().startsWith("conform-") || j.name().equals("resolve-identities")) {
                j.run(new JobContext(lake, landing, end, s -> { }));
            }
        }
    }

    static List<Row> features(LocalDate cutoff) {
        List<String> columns = new ArrayList<>(List.of("customer_id"));
        columns.addAll(Tables.featureNames());
        return new BuildFeaturesJob().build(lake, cutoff, end).selectExpr(columns.toArray(String[]::new))
                .orderBy("customer_id").collectAsList();
    }

    @Test
    void eventsAfterTheCutoffLeaveTheFeaturesUnchanged() {
        LocalDate cutoff = end.minusDays(100);
        List<Row> before = new ArrayList<>(features(cutoff));
        Dataset<Row> orders = lake.read(Tables.ORDERS);
        Dataset<Row> calls = lake.read(Tables.CALLS);
        Dataset<Row> webEvents = lake.read(Tables.WEB_EVENTS);
        try {
            // Every customer orders, calls and browses again the day after the cutoff.
            Timestamp later = Timestamp.valueOf(cutoff.plusDays(1).atTime(10, 0));
            lake.overwrite(Tables.ORDERS, orders.unionByName(orders.withColumn("order_id", org.apache.spark.sql.functions
                            .concat(col("order_id"), lit("-late"))).withColumn("ordered_at", lit(later))
                    .withColumn("order_date", lit(java.sql.Date.valueOf(cutoff.plusDays(1))))));
            lake.overwrite(Tables.CALLS, calls.unionByName(calls.withColumn("call_id",
                    org.apache.spark.sql.functions.concat(col("call_id"), lit("-late"))).withColumn("started_at", lit(later))));
            lake.overwrite(Tables.WEB_EVENTS, webEvents.unionByName(webEvents.withColumn("event_id",
                    org.apache.spark.sql.functions.concat(col("event_id"), lit("-late"))).withColumn("event_ts", lit(later))
                    .withColumn("event_date", lit(java.sql.Date.valueOf(cutoff.plusDays(1))))));
            List<Row> after = features(cutoff);
            assertThat(after).hasSameSizeAs(before);
            for (int i = 0; i < before.size(); i++) {
                for (String f : Tables.featureNames()) {
                    assertThat((Object) after.get(i).getAs(f)).as("%s of row %d", f, i).isEqualTo(before.get(i).getAs(f));
                }
            }
        } finally {
            lake.overwrite(Tables.ORDERS, orders.localCheckpoint());
            lake.overwrite(Tables.CALLS, calls.localCheckpoint());
            lake.overwrite(Tables.WEB_EVENTS, webEvents.localCheckpoint());
        }
    }

    @Test
    void labelsAreObservedOnlyWhenTheirHorizonEndsWithinTheData() {
        Dataset<Row> recent = new BuildFeaturesJob().build(lake, end.minusDays(45), end);
        assertThat(recent.filter(col("label_churn").isNotNull()).count()).as("90 days run past the data").isZero();
        assertThat(recent.filter(col("label_purchase").isNull()).count()).as("30 days are observed").isZero();

        Dataset<Row> old = new BuildFeaturesJob().build(lake, end.minusDays(100), end).cache();
        assertThat(old.filter(col("churn_eligible").and(col("label_churn").isNull())).count()).isZero();
        assertThat(old.filter(col("churn_eligible").unary_$bang().and(col("label_churn").isNotNull())).count()).isZero();
        long churned = old.filter(col("label_churn").equalTo(1)).count();
        long stayed = old.filter(col("label_churn").equalTo(0)).count();
        assertThat(churned).as("some churn").isPositive();
        assertThat(stayed).as("some stay").isGreaterThan(churned / 4);
        // A customer who stayed ordered after the cutoff, so their later snapshot shows a recent order.
        Row one = old.filter(col("label_purchase").equalTo(1)).orderBy("customer_id").first();
        Row later = new BuildFeaturesJob().build(lake, end.minusDays(70), end)
                .filter(col("customer_id").equalTo(one.<String>getAs("customer_id"))).first();
        assertThat(later.<Double>getAs("orders_30d")).isPositive();
    }
}
