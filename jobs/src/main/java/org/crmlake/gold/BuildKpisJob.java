package org.crmlake.gold;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * {@code gold.kpi_daily} and {@code gold.alerts} for the as-of date, from that date's
 * gold.customer_360 (so it runs after build-customer-360) and the day's orders and tickets. Orders
 * and tickets count when their buyer or contact belongs to a customer; a customer's region is its
 * owner's region, 'unknown' without one; region 'all' is the whole business.
 *
 * <p>Alert rules (settings in gold.yaml, section alerts):
 * <ol>
 *   <li>{@code region_orders_drop}: a region's orders on the date are below
 *       (1 - orders_drop_margin) x its average daily orders over the orders_baseline_days days
 *       before the date, and that average is at least min_baseline_daily_orders.</li>
 *   <li>{@code tier_a_at_risk}: a customer in ABC tier A whose lifecycle stage is "at risk" on the
 *       date and was another stage in the previous customer_360 snapshot (the latest earlier date).</li>
 * </ol>
 * Both tables replace the date's rows, so a re-run gives the same tables. The alerts are also the
 * job's summary lines, so a run prints them.
 */
public final class BuildKpisJob implements Job {
    static final String ORDERS_DROP = "region_orders_drop";
    static final String TIER_A_AT_RISK = "tier_a_at_risk";
    private final GoldConfig config;

    public BuildKpisJob() {
        this(GoldConfig.defaults());
    }

    public BuildKpisJob(GoldConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "build-kpis";
    }

    @Override
    public String description() {
        return "daily KPIs overall and per region, and the documented alert rules (orders drop, tier-A customer at risk)";
    }

    @Override
    public List<String> inputs() {
        return List.of(Tables.CUSTOMER_360.qualifiedName(), Tables.IDENTITY_MAP.qualifiedName(),
                Tables.ORDERS.qualifiedName(), Tables.TICKETS.qualifiedName());
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.KPI_DAILY.qualifiedName(), Tables.ALERTS.qualifiedName());
    }

    @Override
    public JobResult run(JobContext context) {
        Lake lake = context.lake();
        AsOf asOf = new AsOf(context.date());
        context.spark().sparkContext().setJobGroup(name(), name() + " " + asOf.date(), false);
        List<Row> alerts;
        try {
            Dataset<Row> customers = lake.read(Tables.CUSTOMER_360).filter(asOf.slice())
                    .withColumn("region", coalesce(col("region"), lit("unknown")));
            Dataset<Row> idm = lake.read(Tables.IDENTITY_MAP).select("record_key", "customer_id");
            Dataset<Row> orders = lake.read(Tables.ORDERS)
                    .filter(asOf.upTo(col("ordered_at")).and(coalesce(col("status"), lit("")).notEqual("cancelled")))
                    .filter(col("order_date").geq(lit(asOf.date().minusDays(config.ordersBaselineDays()).toString()).cast("date")))
                    .join(idm, "record_key")
                    .join(customers.select("customer_id", "region"), "customer_id");
            lake.replaceWhere(Tables.KPI_DAILY, asOf.slice(), kpis(lake, asOf, customers, idm, orders));
            alerts = new ArrayList<>(ordersDrop(asOf, orders, customers));
            alerts.addAll(tierAAtRisk(lake, asOf, customers));
            lake.replaceWhere(Tables.ALERTS, asOf.slice() + " AND rule <> 'model_drift'",
                    context.spark().createDataFrame(alerts, Tables.ALERTS.schema()));
        } finally {
            context.spark().sparkContext().clearJobGroup();
        }
        List<String> summary = new ArrayList<>();
        List<Row> all = lake.read(Tables.KPI_DAILY).filter(asOf.slice()).filter(col("region").equalTo("all")).collectAsList();
        if (all.isEmpty()) {
            summary.add(Tables.KPI_DAILY.qualifiedName() + " " + asOf.date() + ": no customers in gold.customer_360 for the date");
        } else {
            Row k = all.getFirst();
            summary.add(String.format(Locale.ROOT, "%s %s: %d customers, %d new, %d orders, revenue %.2f, %d active,"
                            + " %d churned, ticket backlog %d", Tables.KPI_DAILY.qualifiedName(), asOf.date(),
                    k.<Long>getAs("customers"), k.<Long>getAs("new_customers"), k.<Long>getAs("orders"),
                    k.<Double>getAs("revenue"), k.<Long>getAs("active_customers"), k.<Long>getAs("churned_customers"),
                    k.<Long>getAs("ticket_backlog")));
        }
        summary.add(alerts.size() + " alert(s) on " + asOf.date() + (alerts.isEmpty() ? "" : ":"));
        for (Row a : alerts) {
            summary.add("ALERT " + a.<String>getAs(1) + ": " + a.<String>getAs(5));
        }
        return new JobResult(name(), summary);
    }

    private Dataset<Row> kpis(Lake lake, AsOf asOf, Dataset<Row> customers, Dataset<Row> idm, Dataset<Row> orders) {
        Dataset<Row> perCustomer = withAll(customers).groupBy("region").agg(
                count(lit(1)).as("customers"),
                count(when(col("first_order_date").equalTo(asOf.dateLit()), lit(1))).as("new_customers"),
                count(when(col("days_since_last_order").lt(config.activeDays()), lit(1))).as("active_customers"),
                count(when(col("lifecycle_stage").equalTo("churned"), lit(1))).as("churned_customers"),
                coalesce(sum("open_tickets"), lit(0L)).as("ticket_backlog"));
        Dataset<Row> perOrder = withAll(orders.filter(col("order_date").equalTo(asOf.dateLit()))).groupBy("region")
                .agg(count("order_id").as("orders"), sum("total_amount").as("revenue"));
        Column resolvedToday = col("resolved_at").isNotNull().and(asOf.upTo(col("resolved_at")))
                .and(org.apache.spark.sql.functions.to_date(col("resolved_at")).equalTo(asOf.dateLit()));
        Dataset<Row> csat = withAll(AsOf.withContactKey(lake.read(Tables.TICKETS).filter(resolvedToday))
                .join(idm, "record_key").join(customers.select("customer_id", "region"), "customer_id"))
                .groupBy("region").agg(avg("csat").as("csat"));
        return perCustomer.join(perOrder, "region", "left").join(csat, "region", "left")
                .withColumn("orders", coalesce(col("orders"), lit(0L)))
                .withColumn("revenue", coalesce(col("revenue"), lit(0.0)))
                .withColumn("as_of_date", asOf.dateLit());
    }

    /** Each row once under its region and once under 'all'. */
    private static Dataset<Row> withAll(Dataset<Row> rows) {
        return rows.withColumn("region", explode(array(col("region"), lit("all"))));
    }

    /** Rule 1, per region: orders on the date against the trailing daily average. */
    private List<Row> ordersDrop(AsOf asOf, Dataset<Row> orders, Dataset<Row> customers) {
        int days = config.ordersBaselineDays();
        List<Row> perRegion = orders.groupBy("region").agg(
                count(when(col("order_date").equalTo(asOf.dateLit()), lit(1))).as("today"),
                count(when(col("order_date").lt(asOf.dateLit()), lit(1))).as("before")).collectAsList();
        List<Row> alerts = new ArrayList<>();
        for (Row r : perRegion.stream().sorted(java.util.Comparator.comparing(x -> x.<String>getAs("region"))).toList()) {
            double baseline = r.<Long>getAs("before") / (double) days;
            long today = r.getAs("today");
            if (baseline >= config.minBaselineDailyOrders() && today < baseline * (1 - config.ordersDropMargin())) {
                String region = r.getAs("region");
                alerts.add(RowFactory.create(java.sql.Date.valueOf(asOf.date()), ORDERS_DROP, region, (double) today, baseline,
                        String.format(Locale.ROOT, "region %s: %d orders on %s, below %.0f%% of its trailing %d-day"
                                        + " average of %.2f a day", region, today, asOf.date(),
                                (1 - config.ordersDropMargin()) * 100, days, baseline)));
            }
        }
        return alerts;
    }

    /** Rule 2: tier-A customers whose lifecycle turned "at risk" since the previous snapshot. */
    private static List<Row> tierAAtRisk(Lake lake, AsOf asOf, Dataset<Row> customers) {
        Row previous = lake.read(Tables.CUSTOMER_360).filter(col("as_of_date").lt(asOf.dateLit()))
                .agg(org.apache.spark.sql.functions.max("as_of_date")).first();
        if (previous.isNullAt(0)) {
            return List.of();
        }
        LocalDate before = previous.getDate(0).toLocalDate();
        Dataset<Row> then = lake.read(Tables.CUSTOMER_360).filter(col("as_of_date").equalTo(lit(before.toString()).cast("date")))
                .select(col("customer_id"), col("lifecycle_stage").as("previous_stage"));
        List<Row> turned = customers.filter(col("abc_tier").equalTo("A").and(col("lifecycle_stage").equalTo("at risk")))
                .join(then, "customer_id")
                .filter(col("previous_stage").notEqual("at risk"))
                .select("customer_id", "previous_stage").orderBy("customer_id").collectAsList();
        List<Row> alerts = new ArrayList<>();
        for (Row r : turned) {
            String id = r.getString(0);
            alerts.add(RowFactory.create(java.sql.Date.valueOf(asOf.date()), TIER_A_AT_RISK, id, null, null,
                    "customer " + id + " (tier A) turned at risk on " + asOf.date() + " (was " + r.getString(1)
                            + " on " + before + ")"));
        }
        return alerts;
    }
}
