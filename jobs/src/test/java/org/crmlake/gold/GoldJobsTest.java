package org.crmlake.gold;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.SparkTestBase;
import org.crmlake.TableSnapshot;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Concurrently;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gold jobs on {@link GoldFixture}: every expected figure below is computed by hand from the
 * fixture, not by the code under test.
 */
class GoldJobsTest extends SparkTestBase {
    @TempDir
    static Path dir;
    static Lake lake;
    static Map<String, Row> c360;
    static List<Row> firstRun;
    static List<Row> secondRun;
    static JobResult kpiResult;
    static Map<String, Row> funnel;
    static Map<String, Row> kpis;
    static Map<String, List<String>> funnelAndKpisFirst;
    static Map<String, List<String>> funnelAndKpisSecond;

    /** Defaults, but a trailing average of 0.05 orders a day is enough for the orders-drop rule. */
    static GoldConfig alertConfig(double minBaseline) {
        GoldConfig d = GoldConfig.defaults();
        return new GoldConfig(d.abcAShare(), d.abcBShare(), d.newDays(), d.atRiskDays(), d.churnedDays(),
                d.loyalMinOrders(), d.churnRiskDays(), d.highIntentMinViews(), d.ordersDropMargin(),
                d.ordersBaselineDays(), minBaseline, d.activeDays());
    }

    @BeforeAll
    static void build() {
        long t0 = System.nanoTime();
        lake = new Lake(spark, dir.resolve("lake").toString());
        GoldFixture.write(lake);
        lap("fixture", t0);
        BuildCustomer360Job job = new BuildCustomer360Job();
        job.run(context(GoldFixture.PREVIOUS));
        lap("c360 previous", t0);
        job.run(context(GoldFixture.AS_OF));
        firstRun = snapshot(GoldFixture.AS_OF);
        lap("c360", t0);
        job.run(context(GoldFixture.AS_OF));
        secondRun = snapshot(GoldFixture.AS_OF);
        lap("c360 again", t0);
        new BuildFunnelJob().run(context(GoldFixture.AS_OF));
        funnel = new HashMap<>();
        for (Row r : lake.read(Tables.FUNNEL).collectAsList()) {
            funnel.put(r.getAs("period_month") + "|" + r.getAs("owner_id") + "|" + r.getAs("channel"), r);
        }
        lap("funnel", t0);
        kpiResult = new BuildKpisJob(alertConfig(0.05)).run(context(GoldFixture.AS_OF));
        kpis = new HashMap<>();
        for (Row r : lake.read(Tables.KPI_DAILY).collectAsList()) {
            kpis.put(r.getAs("region"), r);
        }
        lap("kpis", t0);
        // A second run of the date, as a re-run of the DAG does: the same funnel, KPIs and alerts.
        List<TableDef> funnelAndKpis = List.of(Tables.FUNNEL, Tables.KPI_DAILY, Tables.ALERTS);
        funnelAndKpisFirst = TableSnapshot.of(lake, funnelAndKpis);
        new BuildFunnelJob().run(context(GoldFixture.AS_OF));
        new BuildKpisJob(alertConfig(0.05)).run(context(GoldFixture.AS_OF));
        funnelAndKpisSecond = TableSnapshot.of(lake, funnelAndKpis);
        lap("funnel and kpis again", t0);
        c360 = new HashMap<>();
        for (Row r : secondRun) {
            c360.put(r.getAs("customer_id"), r);
        }
    }

    static void lap(String what, long t0) {
        System.out.printf("GoldJobsTest: %s done after %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    static JobContext context(LocalDate date) {
        return new JobContext(lake, "unused", date, s -> { });
    }

    static List<Row> snapshot(LocalDate date) {
        return lake.read(Tables.CUSTOMER_360).filter(col("as_of_date").equalTo(date.toString()))
                .orderBy("customer_id").collectAsList();
    }

    static Row c(String id) {
        assertThat(c360).as("customer_360 rows").containsKey(id);
        return c360.get(id);
    }

    @Test
    void oneRowPerCustomerOfTheIdentityMapAndRerunIsIdempotent() {
        assertThat(c360.keySet()).containsExactlyInAnyOrder("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8");
        assertThat(secondRun).as("same rows after re-running the date").isEqualTo(firstRun);
        assertThat(lake.read(Tables.CUSTOMER_360).count()).as("two dates x 8 customers").isEqualTo(16);
    }

    @Test
    void rerunningFunnelAndKpisForADateChangesNothing() {
        assertThat(funnelAndKpisFirst.get(Tables.FUNNEL.qualifiedName())).isNotEmpty();
        assertThat(funnelAndKpisFirst.get(Tables.KPI_DAILY.qualifiedName())).isNotEmpty();
        assertThat(funnelAndKpisSecond).as("same funnel, KPIs and alerts after re-running the date")
                .isEqualTo(funnelAndKpisFirst);
    }

    @Test
    void contactPointsPreferCrmThenErpThenLatestWithinSourceAndIgnoreFutureRecords() {
        Row c1 = c("c1");
        assertThat(c1.<String>getAs("full_name")).as("latest CRM record").isEqualTo("Ann B. Lee");
        assertThat(c1.<String>getAs("email")).as("placeholder skipped").isEqualTo("ann@crm.com");
        assertThat(c1.<String>getAs("phone_e164")).as("CRM has none: ERP").isEqualTo("+33123456789");
        assertThat(c1.<String>getAs("city")).isEqualTo("Paris");
        assertThat(c1.<String>getAs("country")).isEqualTo("FR");
        assertThat(c1.<Long>getAs("person_records")).as("K1c is first seen after the date").isEqualTo(5L);
        assertThat(c1.<String>getAs("owner_id")).isEqualTo("O1");
        assertThat(c1.<String>getAs("owner_name")).isEqualTo("Alice");
        assertThat(c1.<String>getAs("team")).isEqualTo("Team North");
        assertThat(c1.<String>getAs("region")).isEqualTo("North");
        assertThat(c("c2").<String>getAs("region")).isNull();
    }

    @Test
    void consentsLatestWinsAsOfTheDate() {
        Row c1 = c("c1");
        assertThat(c1.<String>getAs("email_consent")).as("opt-in after the date ignored").isEqualTo("opt_out");
        assertThat(c1.<String>getAs("sms_consent")).isEqualTo("opt_in");
        assertThat(c1.<String>getAs("phone_consent")).isNull();
        assertThat(c("c5").<String>getAs("email_consent")).as("same instant: opt-out wins").isEqualTo("opt_out");
    }

    @Test
    void valueIgnoresCancelledAndLaterOrdersAndReturns() {
        Row c1 = c("c1");
        assertThat(c1.<Long>getAs("orders_count")).isEqualTo(4L);
        assertThat(c1.<Double>getAs("revenue")).isEqualTo(1000.0);
        assertThat(c1.<Double>getAs("avg_order_value")).isEqualTo(250.0);
        assertThat(c1.getAs("first_order_date").toString()).isEqualTo("2026-03-01");
        assertThat(c1.getAs("last_order_date").toString()).isEqualTo("2026-06-20");
        assertThat(c1.<Integer>getAs("days_since_last_order")).isEqualTo(10);
        assertThat(c1.<Long>getAs("returns_count")).isEqualTo(1L);
        assertThat(c1.<Double>getAs("returned_amount")).isEqualTo(50.0);
        assertThat(c1.<Double>getAs("lifetime_value")).isEqualTo(950.0);
        Row c6 = c("c6");
        assertThat(c6.<Long>getAs("orders_count")).isZero();
        assertThat(c6.<Double>getAs("revenue")).isZero();
        assertThat(c6.<Double>getAs("avg_order_value")).isNull();
    }

    @Test
    void purchaseCycleIsTheMedianGapAndPredictsTheNextOrder() {
        assertThat(c("c1").<Double>getAs("median_days_between_orders")).as("gaps 31, 30, 50").isEqualTo(31.0);
        assertThat(c("c1").getAs("expected_next_order_date").toString()).isEqualTo("2026-07-21");
        assertThat(c("c3").<Double>getAs("median_days_between_orders")).as("gaps 22, 28").isEqualTo(25.0);
        assertThat(c("c3").getAs("expected_next_order_date").toString()).isEqualTo("2026-03-26");
        assertThat(c("c2").<Double>getAs("median_days_between_orders")).as("one order").isNull();
        assertThat(c("c2").<Object>getAs("expected_next_order_date")).isNull();
    }

    @Test
    void rfmScoresAreQuintilesAndSegmentsFollowTheRxFmGrid() {
        // recency: c4 < c3 < c5 < c1 < c2; frequency: c2 < c4 < c5 < c3 < c1; monetary: c2 < c4 < c5 < c1 < c3
        Map<String, int[]> expected = Map.of("c1", new int[] {4, 5, 4}, "c2", new int[] {5, 1, 1},
                "c3", new int[] {2, 4, 5}, "c4", new int[] {1, 2, 2}, "c5", new int[] {3, 3, 3});
        expected.forEach((id, rfm) -> {
            Row r = c(id);
            assertThat(new int[] {r.<Integer>getAs("recency_score"), r.<Integer>getAs("frequency_score"),
                    r.<Integer>getAs("monetary_score")}).as("RFM of %s", id).isEqualTo(rfm);
        });
        // FM = round((F + M) / 2): c1 5, c2 1, c3 5, c4 2, c5 3
        assertThat(c("c1").<String>getAs("rfm_segment")).isEqualTo("Loyal");
        assertThat(c("c2").<String>getAs("rfm_segment")).isEqualTo("New");
        assertThat(c("c3").<String>getAs("rfm_segment")).isEqualTo("Can't Lose");
        assertThat(c("c4").<String>getAs("rfm_segment")).isEqualTo("Hibernating");
        assertThat(c("c5").<String>getAs("rfm_segment")).isEqualTo("Need Attention");
        assertThat(c("c6").<Integer>getAs("recency_score")).as("no orders, no score").isNull();
        assertThat(c("c6").<String>getAs("rfm_segment")).isNull();
    }

    @Test
    void abcTiersByCumulativeRevenueShare() {
        // revenue desc: c3 7500, c1 1000, c5 900, c4 500, c2 50 (total 9950); share before each:
        // 0 (A), 0.754 (A), 0.854 (B), 0.945 (B), 0.995 (C)
        assertThat(List.of("c3", "c1", "c5", "c4", "c2", "c6").stream().map(id -> c(id).<String>getAs("abc_tier")))
                .containsExactly("A", "A", "B", "B", "C", "C");
        assertThat(c("c3").<Double>getAs("cumulative_revenue_share")).isCloseTo(7500 / 9950.0, within(1e-9));
        assertThat(c("c2").<Double>getAs("cumulative_revenue_share")).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void webEngagementOverSevenThirtyAndNinetyDays() {
        Row c1 = c("c1");
        assertThat(List.of(c1.<Long>getAs("sessions_7d"), c1.<Long>getAs("sessions_30d"), c1.<Long>getAs("sessions_90d")))
                .containsExactly(1L, 2L, 3L);
        assertThat(List.of(c1.<Long>getAs("product_views_7d"), c1.<Long>getAs("product_views_30d"),
                c1.<Long>getAs("product_views_90d"))).containsExactly(1L, 2L, 3L);
        assertThat(List.of(c1.<Long>getAs("add_to_carts_7d"), c1.<Long>getAs("add_to_carts_30d"),
                c1.<Long>getAs("add_to_carts_90d"))).containsExactly(1L, 2L, 2L);
        assertThat(List.of(c1.<Long>getAs("abandoned_carts_7d"), c1.<Long>getAs("abandoned_carts_30d"),
                c1.<Long>getAs("abandoned_carts_90d"))).containsExactly(0L, 1L, 1L);
        assertThat(c1.<Timestamp>getAs("last_visit_at").toInstant().toString()).as("07-01 visit ignored")
                .isEqualTo("2026-06-28T10:20:00Z");
        assertThat(c("c6").<Long>getAs("product_views_30d")).isEqualTo(3L);
        assertThat(c("c8").<Long>getAs("sessions_90d")).isZero();
    }

    @Test
    void serviceMeasuresAsOfTheDate() {
        Row c1 = c("c1");
        assertThat(c1.<Long>getAs("open_tickets")).as("T2 open, T3 resolved only after the date").isEqualTo(2L);
        assertThat(c1.<Double>getAs("median_hours_to_resolve")).as("48 and 24").isEqualTo(36.0);
        assertThat(c1.<Long>getAs("complaints")).as("ticket T1 + call CL1").isEqualTo(2L);
        assertThat(c1.<Long>getAs("calls_count")).isEqualTo(2L);
        assertThat(c1.<Double>getAs("negative_call_share")).isEqualTo(0.5);
        assertThat(c1.<Integer>getAs("last_csat")).as("call survey 06-05 is later than ticket CSAT 06-03").isEqualTo(4);
        assertThat(c1.<Boolean>getAs("csat_below_4")).isFalse();
        assertThat(c1.<Timestamp>getAs("last_contact_at").toInstant().toString()).isEqualTo("2026-06-26T00:00:00Z");
        assertThat(c("c5").<Integer>getAs("last_csat")).isEqualTo(2);
        assertThat(c("c5").<Boolean>getAs("csat_below_4")).isTrue();
        assertThat(c("c6").<Boolean>getAs("csat_below_4")).isNull();
    }

    @Test
    void lifecycleAndTagsFromTheRulesFile() {
        Map<String, String> stages = Map.of("c1", "loyal", "c2", "new", "c3", "at risk", "c4", "churned",
                "c5", "active", "c6", "prospect", "c7", "lead", "c8", "prospect");
        stages.forEach((id, stage) -> assertThat(c(id).<String>getAs("lifecycle_stage")).as(id).isEqualTo(stage));
        Map<String, List<String>> tags = Map.of("c1", List.of("high value", "unhappy", "cart abandoner"),
                "c2", List.of(), "c3", List.of("high value"), "c4", List.of("churn risk"), "c5", List.of("unhappy"),
                "c6", List.of("high intent", "cart abandoner"), "c7", List.of(), "c8", List.of());
        tags.forEach((id, expected) -> assertThat(c(id).<String>getList(c(id).fieldIndex("tags")))
                .as("tags of %s", id).containsExactlyElementsOf(expected));
        Row before = lake.read(Tables.CUSTOMER_360).filter(col("as_of_date").equalTo(GoldFixture.PREVIOUS.toString()))
                .filter(col("customer_id").equalTo("c3")).first();
        assertThat(before.<String>getAs("lifecycle_stage")).as("c3 on %s", GoldFixture.PREVIOUS).isEqualTo("active");
    }

    @Test
    void funnelCountsRatesAndMedianCycleDays() {
        assertThat(funnel.keySet()).containsExactlyInAnyOrder("2026-05-01|O1|web", "2026-05-01|unassigned|web",
                "2026-06-01|O2|none", "2026-06-01|unassigned|event");
        Row may = funnel.get("2026-05-01|O1|web");
        // OP1 won; OP2 quote then lost; OP3 qualified then lost; OP5 lost as a lead; OP6 quote (won after the date)
        assertThat(List.of(may.<Long>getAs("leads"), may.<Long>getAs("qualified"), may.<Long>getAs("quotes"),
                may.<Long>getAs("won"), may.<Long>getAs("lost"))).containsExactly(5L, 4L, 3L, 1L, 3L);
        assertThat(may.<Double>getAs("lead_to_qualified_rate")).isEqualTo(0.8);
        assertThat(may.<Double>getAs("qualified_to_quote_rate")).isEqualTo(0.75);
        assertThat(may.<Double>getAs("quote_to_won_rate")).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(may.<Double>getAs("win_rate")).isEqualTo(0.25);
        assertThat(may.<Double>getAs("median_days_lead_to_qualified")).as("4, 6, 2, 3").isEqualTo(3.5);
        assertThat(may.<Double>getAs("median_days_qualified_to_quote")).as("10, 10, 41").isEqualTo(10.0);
        assertThat(may.<Double>getAs("median_days_quote_to_won")).isEqualTo(10.0);
        assertThat(may.<Double>getAs("median_days_lead_to_close")).as("24, 36, 10, 10").isEqualTo(17.0);
        assertThat(may.<String>getAs("team")).isEqualTo("Team North");
        Row unassigned = funnel.get("2026-05-01|unassigned|web");
        assertThat(unassigned.<Long>getAs("leads")).isEqualTo(1L);
        assertThat(unassigned.<Double>getAs("lead_to_qualified_rate")).isZero();
        assertThat(unassigned.<Double>getAs("qualified_to_quote_rate")).isNull();
        Row june = funnel.get("2026-06-01|O2|none");
        assertThat(june.<Long>getAs("qualified")).as("OP8 entered after the date").isEqualTo(1L);
        assertThat(june.<Double>getAs("median_days_lead_to_qualified")).isEqualTo(2.0);
    }

    @Test
    void dailyKpisOverallAndPerRegion() {
        assertThat(kpis.keySet()).containsExactlyInAnyOrder("all", "North", "South", "unknown");
        // customers, new, orders, active, churned, backlog
        assertThat(kpiCounts("all")).containsExactly(8L, 1L, 1L, 3L, 1L, 2L);
        assertThat(kpiCounts("North")).containsExactly(2L, 0L, 0L, 2L, 0L, 2L);
        assertThat(kpiCounts("South")).containsExactly(2L, 0L, 0L, 0L, 1L, 0L);
        assertThat(kpiCounts("unknown")).containsExactly(4L, 1L, 1L, 1L, 0L, 0L);
        assertThat(kpis.get("all").<Double>getAs("revenue")).isEqualTo(50.0);
        assertThat(kpis.get("all").<Double>getAs("csat")).as("T5 resolved on the date").isEqualTo(2.0);
        assertThat(kpis.get("North").<Double>getAs("csat")).isEqualTo(2.0);
        assertThat(kpis.get("South").<Double>getAs("csat")).isNull();
    }

    static List<Long> kpiCounts(String region) {
        Row k = kpis.get(region);
        return List.of(k.<Long>getAs("customers"), k.<Long>getAs("new_customers"), k.<Long>getAs("orders"),
                k.<Long>getAs("active_customers"), k.<Long>getAs("churned_customers"), k.<Long>getAs("ticket_backlog"));
    }

    @Test
    void bothAlertRulesFireAndAreSummarised() {
        List<Row> alerts = lake.read(Tables.ALERTS).orderBy("rule").collectAsList();
        // North: 2 orders in the 28 days before the date (0.071 a day >= 0.05) and none on the date.
        // South and unknown have no orders in the trailing window. c3 (tier A) was active on 05-15.
        assertThat(alerts).extracting(r -> r.getAs("rule") + ":" + r.getAs("subject"))
                .containsExactly("region_orders_drop:North", "tier_a_at_risk:c3");
        assertThat(alerts.getFirst().<Double>getAs("baseline")).isCloseTo(2 / 28.0, within(1e-9));
        assertThat(kpiResult.summary()).anyMatch(l -> l.startsWith("ALERT region_orders_drop: region North"))
                .anyMatch(l -> l.startsWith("ALERT tier_a_at_risk: customer c3"));

        // The baseline guard: 0.071 orders a day is below a minimum of 0.1, so no orders-drop alert;
        // re-running the date replaces its alerts.
        new BuildKpisJob(alertConfig(0.1)).run(context(GoldFixture.AS_OF));
        assertThat(lake.read(Tables.ALERTS).collectAsList()).extracting(r -> r.<String>getAs("rule"))
                .containsExactly("tier_a_at_risk");
        assertThat(lake.read(Tables.KPI_DAILY).count()).isEqualTo(4);
    }

    @Test
    void rulesAppliedOnTwoThreadsAtOnceEachReadTheirOwnRows() {
        // Temporary views are shared by the session: with one view name for every call, one thread's
        // rules could read the rows the other thread had just registered.
        List<Callable<List<String>>> threads = new ArrayList<>();
        for (LocalDate date : List.of(GoldFixture.PREVIOUS, GoldFixture.AS_OF)) {
            Dataset<Row> base = lake.read(Tables.CUSTOMER_360).filter(col("as_of_date").equalTo(date.toString()))
                    .drop("rfm_segment", "lifecycle_stage", "tags");
            threads.add(() -> {
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    seen.add(CustomerRules.apply(base, GoldConfig.defaults()).select("as_of_date").distinct().first().get(0)
                            .toString());
                }
                return seen;
            });
        }
        List<List<String>> seen = Concurrently.run(threads);
        assertThat(seen.get(0)).containsOnly(GoldFixture.PREVIOUS.toString());
        assertThat(seen.get(1)).containsOnly(GoldFixture.AS_OF.toString());
    }

    @Test
    void emptyIdentityMapGivesEmptyGoldTables() {
        Lake empty = new Lake(spark, dir.resolve("empty").toString());
        empty.overwrite(Tables.IDENTITY_MAP, spark.createDataFrame(List.of(), Tables.IDENTITY_MAP.schema()));
        empty.overwrite(Tables.ORDERS, spark.createDataFrame(GoldFixture.rows(Tables.ORDERS,
                "order_id,record_key,ordered_at,order_date,total_amount", "X1,erp:customers:E1,2026-06-30 10:00:00,2026-06-30,10"),
                Tables.ORDERS.schema()));
        JobContext ctx = new JobContext(empty, "unused", GoldFixture.AS_OF, s -> { });
        JobResult r = new BuildCustomer360Job().run(ctx);
        new BuildFunnelJob().run(ctx);
        new BuildKpisJob().run(ctx);
        assertThat(r.summary().getFirst()).contains("0 customers");
        for (var t : Tables.GOLD_ANALYTICS) {
            assertThat(empty.exists(t)).as("%s written", t.qualifiedName()).isTrue();
            assertThat(empty.read(t).count()).as(t.qualifiedName()).isZero();
        }
    }
}
