package org.crmlake.clv;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crmlake.SparkTestBase;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fit-clv and recommend-products on a small hand-made silver layer: 300 customers with seeded random
 * orders, plus two written out by hand. Expected sets (who has orders, what each bought) are kept by
 * the test while it writes the rows, independently of the jobs.
 *
 * <pre>
 * c000-c297  random orders from 2025-10 to after the as-of date; every 5th buys PA and PB together
 * c298       orders 2026-01-10 (100 + 50, same day), 03-10 (200), 05-10 (999, cancelled), 08-10 (100): P1 only
 * c299       2026-06-01 PA only; 07-01 PB cancelled; 10-05 PB (after the date)
 * c300       known since 2026-02-01, never bought: the most-bought products only
 * c301       first seen after the date: no recommendations
 * </pre>
 */
class ClvJobsTest extends SparkTestBase {
    static final LocalDate AS_OF = LocalDate.parse("2026-09-30");
    static final List<String> PRODUCTS = List.of("PA", "PB", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8");

    @TempDir
    static Path dir;
    static Lake lake;
    /** customer -> products bought up to the date (not cancelled), kept while writing the fixture. */
    static final Map<String, Set<String>> bought = new TreeMap<>();
    /** customer -> products bought (not cancelled) in the 60 days after the date. */
    static final Map<String, Set<String>> boughtLater = new TreeMap<>();
    static List<Row> clvFirst;
    static List<Row> clvSecond;
    static List<Row> recsFirst;
    static List<Row> recsSecond;
    static JobResult clvResult;
    static Map<String, Row> clv;

    @BeforeAll
    static void build() {
        lake = new Lake(spark, dir.resolve("lake").toString());
        writeFixture();
        JobContext ctx = new JobContext(lake, "unused", AS_OF, s -> { });
        clvResult = new FitClvJob().run(ctx);
        clvFirst = snapshot(Tables.CLV, "customer_id");
        new FitClvJob().run(ctx);
        clvSecond = snapshot(Tables.CLV, "customer_id");
        new RecommendProductsJob().run(ctx);
        recsFirst = snapshot(Tables.RECOMMENDATIONS, "customer_id", "rank");
        new RecommendProductsJob().run(ctx);
        recsSecond = snapshot(Tables.RECOMMENDATIONS, "customer_id", "rank");
        clv = new HashMap<>();
        clvSecond.forEach(r -> clv.put(r.getAs("customer_id"), r));
        clvResult.summary().forEach(l -> System.out.println("ClvJobsTest: " + l));
    }

    static List<Row> snapshot(TableDef t, String... order) {
        return lake.read(t).filter(col("as_of_date").equalTo(AS_OF.toString())).orderBy(order[0],
                java.util.Arrays.stream(order).skip(1).toArray(String[]::new)).collectAsList();
    }

    @Test
    void clvHasOneRowPerCustomerWithOrdersAndSaneValues() {
        assertThat(clv.keySet()).as("customers with an order up to the date").isEqualTo(bought.keySet());
        assertThat(clvSecond).allSatisfy(r -> {
            String id = r.getAs("customer_id");
            double alive = r.getAs("p_alive");
            double e90 = r.getAs("expected_purchases_90d");
            double e365 = r.getAs("expected_purchases_365d");
            assertThat(alive).as("p_alive %s", id).isBetween(0.0, 1.0);
            assertThat(e90).as("e90 %s", id).isGreaterThanOrEqualTo(0.0);
            assertThat(e365).as("e365 >= e90 for %s", id).isGreaterThanOrEqualTo(e90);
            if (alive > 1e-6) {
                assertThat(e365).as("e365 > e90 for %s", id).isGreaterThan(e90);
            }
            assertThat(r.<Double>getAs("clv_365d")).as("clv %s", id)
                    .isCloseTo(e365 * r.<Double>getAs("expected_order_value"), within(1e-9 * Math.max(1, e365 * 1000)));
            long x = r.getAs("frequency");
            assertThat(r.<Integer>getAs("recency_days")).isLessThanOrEqualTo(r.<Integer>getAs("age_days"));
            assertThat(r.getAs("avg_order_value") == null).as("avg null iff no repeat, %s", id).isEqualTo(x == 0);
        });
    }

    @Test
    void summariesAreComputedFromOrderDaysUpToTheDate() {
        Row c298 = clv.get("c298");
        assertThat(c298.<Long>getAs("frequency")).as("3 order days, cancelled excluded").isEqualTo(2L);
        assertThat(c298.<Integer>getAs("recency_days")).isEqualTo(days("2026-01-10", "2026-08-10"));
        assertThat(c298.<Integer>getAs("age_days")).isEqualTo(days("2026-01-10", "2026-09-30"));
        assertThat(c298.<Double>getAs("avg_order_value")).as("(200 + 100) / 2, first day excluded").isEqualTo(150.0);

        Row c299 = clv.get("c299");
        assertThat(c299.<Long>getAs("frequency")).isZero();
        assertThat(c299.<Integer>getAs("age_days")).isEqualTo(days("2026-06-01", "2026-09-30"));
        assertThat(c299.<Double>getAs("p_alive")).as("BG/NBD: no repeat purchase, alive").isEqualTo(1.0);
        Map<String, Double> gg = new HashMap<>();
        lake.read(Tables.CLV_PARAMETERS).filter(col("model").equalTo("gamma_gamma")).collectAsList()
                .forEach(r -> gg.put(r.getAs("parameter"), r.getAs("value")));
        assertThat(c299.<Double>getAs("expected_order_value")).as("population mean p gamma / (q - 1)")
                .isCloseTo(gg.get("p") * gg.get("gamma") / (gg.get("q") - 1), within(1e-6));
    }

    @Test
    void parametersAreStoredAndRerunReplacesTheDate() {
        List<Row> params = lake.read(Tables.CLV_PARAMETERS).collectAsList();
        assertThat(params).as("4 BG/NBD + 3 Gamma-Gamma parameters, one date").hasSize(7);
        assertThat(params).allSatisfy(r -> assertThat(r.<Double>getAs("value")).isPositive());
        assertThat(params.stream().filter(r -> r.getAs("model").equals("bg_nbd")).map(r -> r.<Long>getAs("customers_fitted")))
                .containsOnly((long) bought.size());
        assertThat(clvSecond).as("same rows after re-running the date").isEqualTo(clvFirst);
        assertThat(lake.read(Tables.CLV).count()).isEqualTo(bought.size());
        assertThat(String.join("\n", clvResult.summary())).contains("bg_nbd (days) r=", "gamma_gamma p=", "mean p_alive");
    }

    @Test
    void recommendationsNeverRepeatAPurchaseAndRankOneToThree() {
        assertThat(recsFirst).isNotEmpty();
        Map<String, List<Integer>> ranks = new TreeMap<>();
        for (Row r : recsSecond) {
            String id = r.getAs("customer_id");
            Set<String> own = bought.getOrDefault(id, Set.of());
            assertThat(own).as("%s already bought %s", id, r.getAs("product_id")).doesNotContain(r.<String>getAs("product_id"));
            if (r.getAs("basis").equals("bought_with")) {
                assertThat(own).as("because is a bought product").contains(r.<String>getAs("because_product_id"));
                assertThat(r.<Double>getAs("score")).as("a sum of cosine similarities, at most one per bought product")
                        .isPositive().isLessThanOrEqualTo(own.size());
            }
            assertThat(r.<String>getAs("product_name")).isEqualTo("Name " + r.getAs("product_id"));
            ranks.computeIfAbsent(id, k -> new ArrayList<>()).add(r.getAs("rank"));
        }
        ranks.forEach((id, rs) -> assertThat(rs).as(id).isEqualTo(List.of(1, 2, 3).subList(0, rs.size())));
        assertThat(recsSecond).as("same rows after re-running the date").isEqualTo(recsFirst);
    }

    @Test
    void everyCustomerKnownByTheDateGetsThreeFilledWithTheMostBoughtProducts() {
        Map<String, List<Row>> byCustomer = new TreeMap<>();
        recsSecond.forEach(r -> byCustomer.computeIfAbsent(r.getAs("customer_id"), k -> new ArrayList<>()).add(r));
        assertThat(byCustomer).as("c301 was first seen after the date").doesNotContainKey("c301");
        for (int i = 0; i <= 300; i++) {
            String id = String.format("c%03d", i);
            int canGet = Math.min(3, PRODUCTS.size() - bought.getOrDefault(id, Set.of()).size());
            List<Row> rows = byCustomer.getOrDefault(id, List.of());
            assertThat(rows).as("recommendations of %s", id).hasSize(canGet);
            assertThat(rows).extracting(r -> r.<String>getAs("product_id")).as("distinct products, %s", id).doesNotHaveDuplicates();
            List<String> bases = rows.stream().map(r -> r.<String>getAs("basis")).toList();
            assertThat(bases).as("co-purchases rank before the fill, %s", id)
                    .isSortedAccordingTo(java.util.Comparator.comparing(b -> b.equals("popular")));
        }
        // The fill by hand: products by how many customers bought them up to the date, ties by id.
        List<String> byPopularity = byPopularity();
        List<Row> c300 = byCustomer.get("c300");
        assertThat(c300).extracting(r -> r.<String>getAs("product_id")).isEqualTo(byPopularity.subList(0, 3));
        assertThat(c300).allSatisfy(r -> {
            assertThat(r.<String>getAs("basis")).isEqualTo("popular");
            assertThat(r.<String>getAs("because_product_id")).isNull();
            long buyers = bought.values().stream().filter(ps -> ps.contains(r.<String>getAs("product_id"))).count();
            assertThat(r.<Double>getAs("score")).as("share of buyers").isCloseTo((double) buyers / bought.size(), within(1e-9));
        });
    }

    @Test
    void aBuyerOfAOnlyGetsBFirstBecauseOfA() {
        Row first = recsSecond.stream().filter(r -> r.getAs("customer_id").equals("c299") && r.<Integer>getAs("rank") == 1)
                .findFirst().orElseThrow(() -> new AssertionError("no recommendation for c299"));
        assertThat(first.<String>getAs("product_id")).as("PB is always bought with PA; PB after the date or cancelled does not count")
                .isEqualTo("PB");
        assertThat(first.<String>getAs("because_product_id")).isEqualTo("PA");
        assertThat(first.<String>getAs("because_product_name")).isEqualTo("Name PA");
        assertThat(first.<String>getAs("category")).isEqualTo("lighting");
    }

    @Test
    void evaluationCountsWhatWasBoughtLaterForOursAndThePopularityBaseline() {
        RecommendationEvaluation.Result result = RecommendationEvaluation.evaluate(lake, AS_OF, 60);
        Map<String, List<String>> ours = new TreeMap<>();
        Map<String, List<String>> coPurchased = new TreeMap<>();
        recsSecond.forEach(r -> ours.computeIfAbsent(r.getAs("customer_id"), k -> new ArrayList<>()).add(r.getAs("product_id")));
        recsSecond.stream().filter(r -> r.getAs("basis").equals("bought_with"))
                .forEach(r -> coPurchased.computeIfAbsent(r.getAs("customer_id"), k -> new ArrayList<>()).add(r.getAs("product_id")));
        List<String> byPopularity = byPopularity();
        Map<String, List<String>> popular = new TreeMap<>();
        ours.keySet().forEach(c -> popular.put(c, byPopularity.stream()
                .filter(p -> !bought.getOrDefault(c, Set.of()).contains(p)).limit(3).toList()));

        assertThat(result.customers()).isEqualTo(ours.size());
        assertScore(result.ours(), ours);
        assertScore(result.coPurchased(), coPurchased);
        assertScore(result.popular(), popular);
        assertThat(result.ours().hits()).as("c299 bought PB after the date").isPositive();
        assertThat(result.lines().getFirst()).as("the fixture's orders stop before 60 days after the date")
                .contains("days the data has after it (asked for 60; orders end 2026-11-2");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> RecommendationEvaluation.evaluate(lake, AS_OF.minusDays(1), 60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crm recommend --date 2026-09-29");
    }

    /** Products by how many customers bought them up to the date, ties by id. */
    private static List<String> byPopularity() {
        Map<String, Long> buyers = new TreeMap<>();
        bought.values().forEach(ps -> ps.forEach(p -> buyers.merge(p, 1L, Long::sum)));
        return buyers.keySet().stream()
                .sorted(java.util.Comparator.comparing((String p) -> -buyers.get(p)).thenComparing(p -> p)).toList();
    }

    private static void assertScore(RecommendationEvaluation.Score score, Map<String, List<String>> recommended) {
        long recs = recommended.values().stream().mapToLong(List::size).sum();
        long hits = 0;
        long customersHit = 0;
        for (var e : recommended.entrySet()) {
            long h = e.getValue().stream().filter(boughtLater.getOrDefault(e.getKey(), Set.of())::contains).count();
            hits += h;
            customersHit += h > 0 ? 1 : 0;
        }
        assertThat(score).isEqualTo(new RecommendationEvaluation.Score(recs, hits, customersHit));
    }

    static int days(String from, String to) {
        return (int) ChronoUnit.DAYS.between(LocalDate.parse(from), LocalDate.parse(to));
    }

    // ------------------------------------------------------------------ fixture

    static final List<Row> orders = new ArrayList<>();
    static final List<Row> lines = new ArrayList<>();
    static int orderNo;

    static void order(String customer, LocalDate day, double amount, String status, String... products) {
        String id = "O" + (++orderNo);
        Timestamp at = Timestamp.valueOf(day.atTime(10, 0));
        orders.add(RowFactory.create(id, "E" + customer, "erp:customers:E" + customer, at, Date.valueOf(day), "web",
                "EUR", amount, status));
        int n = 0;
        for (String p : products) {
            lines.add(RowFactory.create(id, ++n, p, null, 1, amount / products.length, amount / products.length));
        }
        if (!day.isAfter(AS_OF) && !status.equals("cancelled")) {
            bought.computeIfAbsent(customer, k -> new HashSet<>()).addAll(List.of(products));
        }
        if (day.isAfter(AS_OF) && !day.isAfter(AS_OF.plusDays(60)) && !status.equals("cancelled")) {
            boughtLater.computeIfAbsent(customer, k -> new HashSet<>()).addAll(List.of(products));
        }
    }

    static void writeFixture() {
        SplittableRandom rng = new SplittableRandom(11);
        List<Row> idm = new ArrayList<>();
        LocalDate start = LocalDate.parse("2025-10-01");
        List<Row> persons = new ArrayList<>();
        for (int i = 0; i < 302; i++) {
            String c = String.format("c%03d", i);
            idm.add(RowFactory.create("erp:customers:E" + c, c, "new", Date.valueOf(AS_OF)));
            persons.add(person("E" + c, i == 301 ? AS_OF.plusDays(1) : start));
            if (i >= 298) {
                continue;
            }
            double meanGap = 15 + 120 * rng.nextDouble();
            double dropout = 0.1 + 0.4 * rng.nextDouble();
            LocalDate day = start.plusDays(rng.nextInt(350));
            boolean firstOrder = true;
            while (day.isBefore(AS_OF.plusDays(60))) {
                List<String> products = new ArrayList<>();
                products.add(PRODUCTS.get(2 + rng.nextInt(8)));
                if (rng.nextBoolean()) {
                    products.add(PRODUCTS.get(2 + rng.nextInt(8)));
                }
                if (firstOrder && i % 5 == 0) {
                    products.addAll(List.of("PA", "PB"));
                }
                String status = rng.nextDouble() < 0.05 ? "cancelled" : "completed";
                order(c, day, 20 + Math.round(200 * rng.nextDouble()), status,
                        products.stream().distinct().toArray(String[]::new));
                firstOrder = false;
                if (rng.nextDouble() < dropout) {
                    break;
                }
                day = day.plusDays(1 + (long) (-meanGap * Math.log(1 - rng.nextDouble())));
            }
        }
        order("c298", LocalDate.parse("2026-01-10"), 100, "completed", "P1");
        order("c298", LocalDate.parse("2026-01-10"), 50, "completed", "P1");
        order("c298", LocalDate.parse("2026-03-10"), 200, "completed", "P1");
        order("c298", LocalDate.parse("2026-05-10"), 999, "cancelled", "P1");
        order("c298", LocalDate.parse("2026-08-10"), 100, "completed", "P1");
        order("c299", LocalDate.parse("2026-06-01"), 80, "completed", "PA");
        order("c299", LocalDate.parse("2026-07-01"), 30, "cancelled", "PB");
        order("c299", LocalDate.parse("2026-10-05"), 30, "completed", "PB");

        List<Row> products = new ArrayList<>();
        for (String p : PRODUCTS) {
            products.add(RowFactory.create(p, "Name " + p, p.equals("PA") || p.equals("PB") ? "lighting" : "misc", 10.0));
        }
        write(Tables.IDENTITY_MAP, idm);
        write(Tables.PERSONS, persons);
        write(Tables.ORDERS, orders);
        write(Tables.ORDER_LINES, lines);
        write(Tables.PRODUCTS, products);
    }

    /** An ERP customer record first seen on the day; the other columns of silver.persons are null. */
    static Row person(String recordId, LocalDate firstSeen) {
        var fields = Tables.PERSONS.schema().fieldNames();
        Object[] values = new Object[fields.length];
        Map<String, Object> known = Map.of("record_key", "erp:customers:" + recordId, "source", "erp", "entity", "customers",
                "record_id", recordId, "first_seen_at", Timestamp.valueOf(firstSeen.atTime(9, 0)));
        for (int k = 0; k < fields.length; k++) {
            values[k] = known.get(fields[k]);
        }
        return RowFactory.create(values);
    }

    static void write(TableDef t, List<Row> rows) {
        lake.overwrite(t, spark.createDataFrame(rows, t.schema()));
    }
}
