package org.crmlake.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.SparkTestBase;
import org.crmlake.features.BuildFeaturesJob;
import org.crmlake.gold.AsOf;
import org.crmlake.gold.AsOfDates;
import org.crmlake.gold.BuildCustomer360Job;
import org.crmlake.features.LabelSpec;
import org.crmlake.generate.GenerateOptions;
import org.crmlake.generate.GenerateResult;
import org.crmlake.generate.WorldGenerator;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.models.Algorithm;
import org.crmlake.models.ModelRegistry;
import org.crmlake.models.PromotionPolicy;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobRegistry;
import org.crmlake.pipeline.JobResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features, training and scoring on one small generated world (real files, Spark, Delta, Smile):
 * features are point in time, labels appear only where observed, a trained model is registered
 * and promoted by the rule, and the champion scores every customer with reasons and drift.
 */
class ModelsWorldTest extends SparkTestBase {
    @TempDir
    static Path dir;
    static Lake lake;
    static String landing;
    static LocalDate end;
    static ModelTraining.Outcome propensity;

    @BeforeAll
    static void worldAndModel() throws Exception {
        GenerateResult world = new WorldGenerator(new GenerateOptions(150, 240, 5L, GenerateOptions.messLevel("low"),
                GenerateOptions.DEFAULT_END_DATE, dir.resolve("world"))).generate();
        lake = new Lake(spark, dir.resolve("lake").toString());
        landing = dir.resolve("world/landing").toString();
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
        // Propensity: every customer has its label, where churn applies only to recent buyers (too few here).
        propensity = ModelTraining.run(lake, new TrainRequest("propensity",
                List.of(Algorithm.GRADIENT_BOOSTING, Algorithm.LOGISTIC_REGRESSION), LabelSpec.defaults(), 3, 30,
                new PromotionPolicy(0.002, 0.25), dir.resolve("world"), 42L), System.out::println);
        propensity.lines().forEach(System.out::println);
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
        List<Row> before = features(cutoff);
        Dataset<Row> orders = lake.read(Tables.ORDERS).localCheckpoint();
        Dataset<Row> calls = lake.read(Tables.CALLS).localCheckpoint();
        Dataset<Row> web = lake.read(Tables.WEB_EVENTS).localCheckpoint();
        Dataset<Row> tickets = lake.read(Tables.TICKETS).localCheckpoint();
        Dataset<Row> activities = lake.read(Tables.ACTIVITIES).localCheckpoint();
        Dataset<Row> consents = lake.read(Tables.CONSENTS).localCheckpoint();
        try {
            // Every order, call, web event, ticket, sales activity and consent happens again the day after the cutoff.
            Timestamp later = Timestamp.valueOf(cutoff.plusDays(1).atTime(10, 0));
            java.sql.Date laterDay = java.sql.Date.valueOf(cutoff.plusDays(1));
            lake.overwrite(Tables.ORDERS, orders.unionByName(orders.withColumn("order_id", concat(col("order_id"), lit("-late")))
                    .withColumn("ordered_at", lit(later)).withColumn("order_date", lit(laterDay))));
            lake.overwrite(Tables.CALLS, calls.unionByName(calls.withColumn("call_id", concat(col("call_id"), lit("-late")))
                    .withColumn("started_at", lit(later))));
            lake.overwrite(Tables.WEB_EVENTS, web.unionByName(web.withColumn("event_id", concat(col("event_id"), lit("-late")))
                    .withColumn("event_ts", lit(later)).withColumn("event_date", lit(laterDay))));
            lake.overwrite(Tables.TICKETS, tickets.unionByName(tickets.withColumn("ticket_id", concat(col("ticket_id"), lit("-late")))
                    .withColumn("opened_at", lit(later)).withColumn("category", lit("complaint"))));
            lake.overwrite(Tables.ACTIVITIES, activities.unionByName(activities
                    .withColumn("activity_id", concat(col("activity_id"), lit("-late")))
                    .withColumn("occurred_at", lit(later)).withColumn("subject", lit("Retention call"))));
            lake.overwrite(Tables.CONSENTS, consents.unionByName(consents.withColumn("recorded_at", lit(later))
                    .withColumn("status", lit("opt_out"))));
            List<Row> after = features(cutoff);
            assertThat(after).hasSameSizeAs(before);
            for (int i = 0; i < before.size(); i++) {
                for (String f : Tables.featureNames()) {
                    // Sums of doubles may add up in another order: equal to the cent.
                    assertThat(after.get(i).<Number>getAs(f).doubleValue()).as("%s of %s", f, before.get(i).get(0))
                            .isCloseTo(before.get(i).<Number>getAs(f).doubleValue(), within(1e-6));
                }
            }
        } finally {
            lake.overwrite(Tables.ORDERS, orders);
            lake.overwrite(Tables.CALLS, calls);
            lake.overwrite(Tables.WEB_EVENTS, web);
            lake.overwrite(Tables.TICKETS, tickets);
            lake.overwrite(Tables.ACTIVITIES, activities);
            lake.overwrite(Tables.CONSENTS, consents);
        }
    }

    @Test
    void snapshotsOfSeveralCutoffsBuiltInOneQueryEqualThoseBuiltOneAtATime() {
        // Training built its four cutoffs' features in one query; one of them alone gives the same rows.
        LocalDate cutoff = end.minusDays(90);
        Dataset<Row> stored = slice(90);
        Dataset<Row> alone = new BuildFeaturesJob().build(lake, cutoff, end).select(java.util.Arrays.stream(stored.schema().fields())
                .map(f -> col(f.name()).cast(f.dataType()).as(f.name())).toArray(org.apache.spark.sql.Column[]::new));
        assertSameRows(stored, alone, "features " + cutoff);
        // Customer 360 of two dates at once, against one of them alone (contact points, consents, segments, tags).
        Dataset<Row> both = new BuildCustomer360Job().build(lake, AsOfDates.of(List.of(cutoff.minusDays(60), cutoff)));
        assertSameRows(both.filter(col("as_of_date").equalTo(lit(cutoff.toString()).cast("date"))),
                new BuildCustomer360Job().build(lake, new AsOf(cutoff)), "customer 360 " + cutoff);
    }

    /** Same rows, column by column (doubles to 1e-9: sums may add up in another order). */
    private static void assertSameRows(Dataset<Row> together, Dataset<Row> alone, String what) {
        String[] columns = alone.columns();
        List<Row> a = together.selectExpr(columns).orderBy("customer_id").collectAsList();
        List<Row> b = alone.selectExpr(columns).orderBy("customer_id").collectAsList();
        assertThat(a).as(what).hasSameSizeAs(b).isNotEmpty();
        for (int i = 0; i < a.size(); i++) {
            for (int c = 0; c < columns.length; c++) {
                Object x = a.get(i).get(c);
                Object y = b.get(i).get(c);
                if (x instanceof Double dx && y instanceof Double dy) {
                    assertThat(dx).as("%s: %s of %s", what, columns[c], b.get(i).getAs("customer_id")).isCloseTo(dy, within(1e-9));
                } else {
                    assertThat(x).as("%s: %s of %s", what, columns[c], b.get(i).getAs("customer_id")).isEqualTo(y);
                }
            }
        }
    }

    /** A cutoff's slice of gold.features as training wrote it (cutoffs 30, 60, 90 and 120 days before the end). */
    static Dataset<Row> slice(int daysBeforeEnd) {
        LocalDate cutoff = end.minusDays(daysBeforeEnd);
        return lake.read(Tables.FEATURES).filter(col("cutoff_date").equalTo(lit(cutoff.toString()).cast("date")));
    }

    @Test
    void labelsAreObservedOnlyWhenTheirHorizonEndsWithinTheData() {
        Dataset<Row> recent = slice(60);
        assertThat(recent.count()).isPositive();
        assertThat(recent.filter(col("label_churn").isNotNull()).count()).as("90 days run past the data").isZero();
        assertThat(recent.filter(col("label_purchase").isNull()).count()).as("30 days are observed").isZero();

        Dataset<Row> old = slice(120).cache();
        assertThat(old.filter(col("churn_eligible").and(col("label_churn").isNull())).count()).isZero();
        assertThat(old.filter(col("churn_eligible").unary_$bang().and(col("label_churn").isNotNull())).count()).isZero();
        assertThat(old.filter(col("label_churn").equalTo(1)).count()).as("some churn").isPositive();
        assertThat(old.filter(col("label_churn").equalTo(0)).count()).as("some stay").isPositive();
        // A customer who bought within 30 days of the cutoff shows that order in the snapshot 30 days later.
        Row buyer = old.filter(col("label_purchase").equalTo(1)).orderBy("customer_id").first();
        Row later = slice(90).filter(col("customer_id").equalTo(buyer.<String>getAs("customer_id"))).first();
        assertThat(later.<Double>getAs("orders_30d")).isPositive();
    }

    @Test
    void trainingRegistersBothAlgorithmsAndPromotesTheBestByTheRule() throws Exception {
        ModelRegistry registry = ModelStore.open(lake);
        assertThat(registry.list("propensity")).hasSize(2);
        assertThat(propensity.decision().promote()).as(propensity.decision().reason()).isTrue();
        assertThat(registry.champion("propensity")).isPresent();
        assertThat(Files.readString(propensity.report())).contains("<svg");
        String report = String.join("\n", propensity.lines());
        assertThat(report).contains("oracle AUC").contains("latent-state oracle AUC").contains("Brier").contains("lift");
        double best = registry.list("propensity").stream().mapToDouble(v -> v.rocAuc()).max().orElseThrow();
        assertThat(best).as("the model learns something on 150 customers").isGreaterThan(0.6);
        for (var v : registry.list("propensity")) {
            assertThat(Drift.read(v.dir())).containsKeys("score", "days_since_last_order");
        }
    }

    @Test
    void theChampionScoresEveryCustomerWithReasonsAndDrift() {
        new BuildFeaturesJob().run(new JobContext(lake, landing, end, s -> { }));
        JobResult first = new ScoreCustomersJob().run(new JobContext(lake, landing, end, s -> { }));
        List<Row> scores = lake.read(Tables.SCORES).filter(col("model").equalTo("propensity")).orderBy("customer_id").collectAsList();
        long customers = lake.read(Tables.FEATURES).filter(col("cutoff_date").equalTo(lit(end.toString()).cast("date"))).count();
        assertThat(scores).hasSize((int) customers);
        assertThat(scores).allSatisfy(r -> {
            assertThat(r.<Double>getAs("score")).isBetween(0.0, 1.0);
            assertThat(r.<Integer>getAs("decile")).isBetween(1, 10);
            assertThat(r.<String>getAs("reason_1")).isNotBlank();
        });
        assertThat(scores.stream().filter(r -> r.<Integer>getAs("decile") == 1).mapToDouble(r -> r.getAs("score")).min().orElseThrow())
                .as("decile 1 holds the highest scores")
                .isGreaterThanOrEqualTo(scores.stream().filter(r -> r.<Integer>getAs("decile") == 10)
                        .mapToDouble(r -> r.getAs("score")).max().orElseThrow());
        assertThat(first.summary()).anyMatch(l -> l.startsWith("churn: no champion"));
        assertThat(lake.read(Tables.MODEL_DRIFT).filter(col("model").equalTo("propensity")).count())
                .isEqualTo(Tables.featureNames().size() + 1);

        List<Row> once = lake.read(Tables.SCORES).filter(col("model").equalTo("propensity")).orderBy("customer_id")
                .drop("scored_at").collectAsList();
        new ScoreCustomersJob().run(new JobContext(lake, landing, end, s -> { }));
        assertThat(lake.read(Tables.SCORES).filter(col("model").equalTo("propensity")).orderBy("customer_id").drop("scored_at")
                .collectAsList()).as("re-scoring the date gives the same rows").isEqualTo(once);
    }

    @Test
    void aTeamTrainsOnItsOwnFeatureTableByNamingTheLabel() throws Exception {
        // Visits raise the chance of an order, tenure does nothing; ids decide the validation split.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        StringBuilder csv = new StringBuilder("customer,visits,tenure,bought\n");
        for (int i = 0; i < 800; i++) {
            int visits = rng.nextInt(10);
            csv.append("c").append(i).append(',').append(visits).append(',').append(rng.nextInt(50)).append(',')
                    .append(rng.nextDouble() < 0.1 + 0.08 * visits ? 1 : 0).append('\n');
        }
        Path file = dir.resolve("own.csv");
        Files.writeString(file, csv);
        ModelTraining.Outcome own = ModelTraining.ownTable(lake, new OwnTable(file, "bought", "customer", "my_model"),
                List.of(Algorithm.LOGISTIC_REGRESSION), 1L, new PromotionPolicy(0.002, 0.10), s -> { });
        ModelRegistry registry = ModelStore.open(lake);
        assertThat(registry.list("my_model")).hasSize(1);
        assertThat(registry.list("my_model").getFirst().rocAuc()).isGreaterThan(0.7);
        assertThat(registry.load("my_model", 1).importance().keySet().iterator().next()).isEqualTo("visits");
        assertThat(String.join("\n", own.lines())).contains("ROC AUC");

        Files.writeString(file, "customer,visits,segment,bought\nc1,3,gold,1\nc2,4,silver,0\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelTraining.ownTable(lake,
                        new OwnTable(file, "bought", "customer", "my_model"), List.of(Algorithm.LOGISTIC_REGRESSION), 1L,
                        PromotionPolicy.defaults(), s -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'segment'");
    }

    @Test
    void psiIsZeroOnTheTrainingDistributionAndFlagsAShift() {
        double[][] train = new double[1000][1];
        for (int i = 0; i < train.length; i++) {
            train[i][0] = i % 100;
        }
        Map<String, Drift.Bins> reference = Drift.reference(List.of("v"), train);
        Dataset<Row> same = spark.range(1000).selectExpr("cast(id % 100 as double) as v");
        Dataset<Row> shifted = spark.range(1000).selectExpr("cast(id % 100 + 40 as double) as v");
        assertThat(Drift.psi(same, reference).get("v")).isCloseTo(0.0, within(1e-9));
        assertThat(Drift.psi(shifted, reference).get("v")).isGreaterThan(Drift.ALERT_PSI);
    }
}
