package org.crmlake.gold;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * {@code gold.customer_360}: one row per customer (distinct customer_id of gold.identity_map) per
 * as-of date, from silver only and only from data up to the as-of date. Contact points, consents,
 * owner, value and RFM, ABC tier, purchase cycle, web engagement, service; then the rules of
 * {@code rules/customer_rules.sql} add the RFM segment name, lifecycle stage and tags. Re-running a
 * date replaces that date's rows. Windows and thresholds: {@link GoldConfig} ({@code gold.yaml}).
 */
public final class BuildCustomer360Job implements Job {
    private static final int[] WEB_WINDOWS = {7, 30, 90, 365};
    /** record_key prefix of a web account's person record. */
    private static final String WEB_ACCOUNT_KEY = "web:users:";
    /** Every aggregate is per customer and as-of date. */
    public static final String[] KEY = {AsOfDates.COLUMN, "customer_id"};
    private final GoldConfig config;

    public BuildCustomer360Job() {
        this(GoldConfig.defaults());
    }

    public BuildCustomer360Job(GoldConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "build-customer-360";
    }

    @Override
    public String description() {
        return "one row per customer for the date: contact points, consents, value, RFM, ABC, web, service, lifecycle, tags";
    }

    @Override
    public List<String> inputs() {
        List<String> in = new ArrayList<>(List.of(Tables.IDENTITY_MAP.qualifiedName(), Tables.COOKIE_MAP.qualifiedName()));
        for (TableDef t : List.of(Tables.PERSONS, Tables.OWNERS, Tables.ORDERS, Tables.ORDER_LINES, Tables.RETURNS,
                Tables.WEB_EVENTS, Tables.CALLS, Tables.TICKETS, Tables.LEADS, Tables.OPPORTUNITIES, Tables.ACTIVITIES,
                Tables.CONSENTS)) {
            in.add(t.qualifiedName());
        }
        return in;
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.CUSTOMER_360.qualifiedName());
    }

    @Override
    public JobResult run(JobContext context) {
        Lake lake = context.lake();
        AsOf asOf = new AsOf(context.date());
        context.spark().sparkContext().setJobGroup(name(), name() + " " + asOf.date(), false);
        try {
            Dataset<Row> rows = build(lake, asOf);
            lake.replaceWhere(Tables.CUSTOMER_360, asOf.slice(), rows);
        } finally {
            context.spark().sparkContext().clearJobGroup();
        }
        List<Row> stats = lake.read(Tables.CUSTOMER_360).filter(asOf.slice())
                .groupBy("lifecycle_stage").count().orderBy("lifecycle_stage").collectAsList();
        long total = stats.stream().mapToLong(r -> r.getLong(1)).sum();
        StringBuilder stages = new StringBuilder();
        for (Row r : stats) {
            stages.append(stages.isEmpty() ? "" : ", ").append(r.getString(0)).append(' ').append(r.getLong(1));
        }
        return new JobResult(name(), List.of(Tables.CUSTOMER_360.qualifiedName() + " " + asOf.date() + ": " + total
                + " customers" + (total == 0 ? " (gold.identity_map is empty: run resolve-identities first)" : " (" + stages + ")")));
    }

    /** The table's rows for the date (not written). */
    public Dataset<Row> build(Lake lake, AsOf asOf) {
        return build(lake, AsOfDates.of(asOf.date()));
    }

    /**
     * The table's rows for several as-of dates in one query (the training snapshots), each row
     * with its {@code as_of_date}; not written.
     */
    public Dataset<Row> build(Lake lake, AsOfDates at) {
        Dataset<Row> idm = lake.read(Tables.IDENTITY_MAP).select("record_key", "customer_id");
        Dataset<Row> customers = at.every(idm.select("customer_id").distinct());

        Dataset<Row> base = customers
                .join(contactPoints(lake, at, idm), KEY, "left")
                .join(consents(lake, at, idm), KEY, "left")
                .join(value(lake, at, idm), KEY, "left")
                .join(web(lake, at, idm), KEY, "left")
                .join(service(lake, at, idm), KEY, "left")
                .join(sales(lake, at, idm), KEY, "left");
        base = base.na().fill(0L, zeroWhenMissing())
                .withColumn("days_since_first_order", datediff(at.date(), col("first_order_date")))
                .withColumn("days_since_last_order", datediff(at.date(), col("last_order_date")))
                .withColumn("days_since_last_contact", datediff(at.date(), to_date(col("last_contact_at"))))
                .withColumn("csat_below_4", col("last_csat").lt(4));
        return CustomerRules.apply(tiers(rfm(base)), config);
    }

    private static String[] zeroWhenMissing() {
        List<String> cols = new ArrayList<>(List.of("person_records", "orders_count", "revenue", "returns_count",
                "returned_amount", "lifetime_value", "open_tickets", "complaints", "calls_count", "leads_count",
                "open_opportunities"));
        for (int d : WEB_WINDOWS) {
            for (String m : List.of("sessions", "product_views", "add_to_carts", "abandoned_carts")) {
                cols.add(m + "_" + d + "d");
            }
        }
        return cols.toArray(String[]::new);
    }

    /**
     * Best contact point per attribute: among the customer's person records that have it, CRM
     * before ERP before web before calls, then the latest updated_at. {@code min} over a struct
     * compares field by field, so the first field decides, then the next.
     */
    private static Dataset<Row> contactPoints(Lake lake, AsOfDates at, Dataset<Row> idm) {
        // A record with no first_seen_at counts at every date.
        Dataset<Row> persons = at.pair(lake.read(Tables.PERSONS),
                        d -> col("first_seen_at").isNull().or(AsOfDates.upTo(col("first_seen_at"), d)))
                .join(idm, "record_key")
                .withColumn("priority", when(col("source").equalTo("crm"), 1).when(col("source").equalTo("erp"), 2)
                        .when(col("source").equalTo("web"), 3).otherwise(4))
                .withColumn("staleness", coalesce(unix_seconds(col("updated_at")).multiply(-1), lit(Long.MAX_VALUE)));
        Dataset<Row> best = persons.groupBy(AsOfDates.COLUMN, "customer_id").agg(
                count(lit(1)).as("person_records"),
                best("full_name", col("full_name").isNotNull()),
                best("email", col("email").isNotNull().and(coalesce(col("email_is_placeholder"), lit(false)).unary_$bang())),
                best("phone_e164", col("phone_e164").isNotNull()),
                best("city", col("city").isNotNull()),
                best("country", col("country").isNotNull()),
                best("owner_id", col("owner_id").isNotNull()));
        Dataset<Row> owners = lake.read(Tables.OWNERS).select("owner_id", "owner_name", "team", "region");
        return best.join(owners, "owner_id", "left");
    }

    private static Column best(String attribute, Column has) {
        return min(when(has, struct(col("priority"), col("staleness"), col(attribute).as("v")))).getField("v").as(attribute);
    }

    /** Latest consent event per channel up to the date; at the same instant an opt-out wins. */
    private static Dataset<Row> consents(Lake lake, AsOfDates at, Dataset<Row> idm) {
        Dataset<Row> events = at.visible(AsOf.withContactKey(lake.read(Tables.CONSENTS)), col("recorded_at"))
                .join(idm, "record_key");
        Dataset<Row> latest = events.groupBy(AsOfDates.COLUMN, "customer_id", "channel")
                .agg(max(struct(col("recorded_at"), col("status").equalTo("opt_out").as("out"), col("status")))
                        .getField("status").as("status"));
        return latest.groupBy(AsOfDates.COLUMN, "customer_id").pivot("channel", List.of("email", "sms", "phone")).agg(first("status"))
                .withColumnRenamed("email", "email_consent").withColumnRenamed("sms", "sms_consent")
                .withColumnRenamed("phone", "phone_consent");
    }

    /** Orders, revenue, first/last order, returns, lifetime value and the purchase cycle. */
    private static Dataset<Row> value(Lake lake, AsOfDates at, Dataset<Row> idm) {
        Dataset<Row> orders = at.visible(lake.read(Tables.ORDERS)
                        .filter(coalesce(col("status"), lit("")).notEqual("cancelled")), col("ordered_at"))
                .join(idm, "record_key");
        WindowSpec byTime = Window.partitionBy(AsOfDates.COLUMN, "customer_id").orderBy("ordered_at", "order_id");
        Dataset<Row> totals = orders
                .withColumn("gap_days", datediff(col("order_date"), lag(col("order_date"), 1).over(byTime)))
                .groupBy(AsOfDates.COLUMN, "customer_id").agg(
                        count("order_id").as("orders_count"),
                        sum("total_amount").as("revenue"),
                        min("order_date").as("first_order_date"),
                        max("order_date").as("last_order_date"),
                        median(col("gap_days")).as("median_days_between_orders"))
                .withColumn("avg_order_value", try_divide(col("revenue"), col("orders_count")))
                .withColumn("expected_next_order_date", date_add(col("last_order_date"),
                        round(col("median_days_between_orders")).cast("int")));

        Dataset<Row> linePrices = lake.read(Tables.ORDER_LINES).groupBy("order_id", "product_id")
                .agg(max("unit_price").as("unit_price"));
        Dataset<Row> returns = at.visible(lake.read(Tables.RETURNS), col("returned_at"))
                .join(orders.select(AsOfDates.COLUMN, "order_id", "customer_id"), new String[] {AsOfDates.COLUMN, "order_id"})
                .join(linePrices, new String[] {"order_id", "product_id"}, "left")
                .groupBy(AsOfDates.COLUMN, "customer_id").agg(count("return_id").as("returns_count"),
                        sum(coalesce(col("quantity").multiply(col("unit_price")), lit(0.0))).as("returned_amount"));
        return totals.join(returns, KEY, "left")
                .withColumn("returns_count", coalesce(col("returns_count"), lit(0L)))
                .withColumn("returned_amount", coalesce(col("returned_amount"), lit(0.0)))
                .withColumn("lifetime_value", col("revenue").minus(col("returned_amount")));
    }

    /**
     * RFM scores: quintiles ({@code ntile(5)}) over the customers with orders; ties are broken by
     * customer_id so a re-run gives the same scores. Recency orders by last order date, so the most
     * recent buyers score 5.
     */
    private static Dataset<Row> rfm(Dataset<Row> base) {
        Column buyer = col("orders_count").gt(0);
        Column partition = when(buyer, lit(1)).otherwise(lit(0));
        WindowSpec r = Window.partitionBy(col(AsOfDates.COLUMN), partition).orderBy(col("last_order_date"), col("customer_id"));
        WindowSpec f = Window.partitionBy(col(AsOfDates.COLUMN), partition).orderBy(col("orders_count"), col("customer_id"));
        WindowSpec m = Window.partitionBy(col(AsOfDates.COLUMN), partition).orderBy(col("revenue"), col("customer_id"));
        return base.withColumn("recency_score", when(buyer, ntile(5).over(r)))
                .withColumn("frequency_score", when(buyer, ntile(5).over(f)))
                .withColumn("monetary_score", when(buyer, ntile(5).over(m)));
    }

    /**
     * ABC tier by cumulative revenue share: customers sorted by revenue, biggest first; a customer
     * is A while the customers before it make less than a_share of all revenue (so A is the smallest
     * group reaching a_share), B while they make less than a_share + b_share, else C. No revenue: C.
     */
    private Dataset<Row> tiers(Dataset<Row> base) {
        WindowSpec running = Window.partitionBy(AsOfDates.COLUMN).orderBy(col("revenue").desc(), col("customer_id"))
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Column cumulative = sum("revenue").over(running);
        Column total = sum("revenue").over(Window.partitionBy(AsOfDates.COLUMN));
        Dataset<Row> shares = base.withColumn("cumulative_revenue_share", try_divide(cumulative, total))
                .withColumn("share_before", try_divide(cumulative.minus(col("revenue")), total));
        return shares.withColumn("abc_tier",
                        when(col("revenue").leq(0), "C")
                                .when(col("share_before").lt(config.abcAShare()), "A")
                                .when(col("share_before").lt(config.abcAShare() + config.abcBShare()), "B")
                                .otherwise("C"))
                .drop("share_before");
    }

    /**
     * Web events of the customer: its cookies (gold.cookie_map, visits before the login included)
     * and its logged-in web account (web:users:&lt;user_id&gt;), each event counted once.
     */
    private static Dataset<Row> web(Lake lake, AsOfDates at, Dataset<Row> idm) {
        Dataset<Row> cookies = lake.read(Tables.COOKIE_MAP).select(col("cookie_id"), col("customer_id").as("cookie_customer"));
        Dataset<Row> accounts = idm.filter(col("record_key").startsWith(WEB_ACCOUNT_KEY))
                .select(col("record_key").as("account_key"), col("customer_id").as("account_customer"));
        // One pass: each event looks up the customer of its cookie and of its account (a cookie and a
        // record have one customer each) and counts once for each distinct one. Cheaper than a union
        // of the two paths, which read the events twice and de-duplicated them in a hash aggregate.
        Column owners = array_distinct(filter(array(col("cookie_customer"), col("account_customer")), Column::isNotNull));
        Dataset<Row> mine = at.visible(lake.read(Tables.WEB_EVENTS), col("event_ts"))
                .withColumn("account_key", concat(lit(WEB_ACCOUNT_KEY), col("user_id")))
                .join(broadcast(cookies), "cookie_id", "left")
                .join(broadcast(accounts), "account_key", "left")
                .select(col(AsOfDates.COLUMN), explode(owners).as("customer_id"), col("event_ts"), col("event_date"), col("session_id"),
                        col("event_type"));

        // One pass over the events: per session first (with the event-dated window counts), then per customer.
        List<Column> sessionAggs = new ArrayList<>(List.of(
                min("event_date").as("session_date"),
                max(col("event_type").equalTo("add_to_cart")).as("has_cart"),
                max(col("event_type").equalTo("checkout")).as("has_checkout"),
                max("event_ts").as("last_event_at")));
        List<Column> customerAggs = new ArrayList<>(List.of(max("last_event_at").as("last_visit_at")));
        for (int d : WEB_WINDOWS) {
            Column inE = at.within(col("event_date"), d);
            sessionAggs.add(count(when(inE.and(col("event_type").equalTo("product_view")), lit(1))).as("views_" + d));
            sessionAggs.add(count(when(inE.and(col("event_type").equalTo("add_to_cart")), lit(1))).as("carts_" + d));
            Column in = at.within(col("session_date"), d);
            customerAggs.add(count(when(in.and(col("session_id").isNotNull()), lit(1))).as("sessions_" + d + "d"));
            customerAggs.add(count(when(in.and(col("has_cart")).and(col("has_checkout").unary_$bang()), lit(1)))
                    .as("abandoned_carts_" + d + "d"));
            customerAggs.add(sum("views_" + d).as("product_views_" + d + "d"));
            customerAggs.add(sum("carts_" + d).as("add_to_carts_" + d + "d"));
        }
        return mine.groupBy(AsOfDates.COLUMN, "customer_id", "session_id")
                .agg(sessionAggs.getFirst(), sessionAggs.subList(1, sessionAggs.size()).toArray(Column[]::new))
                .groupBy(AsOfDates.COLUMN, "customer_id")
                .agg(customerAggs.getFirst(), customerAggs.subList(1, customerAggs.size()).toArray(Column[]::new));
    }

    /** Tickets and calls: backlog, resolution time, complaints, sentiment and the latest CSAT. */
    private static Dataset<Row> service(Lake lake, AsOfDates at, Dataset<Row> idm) {
        Dataset<Row> tickets = at.visible(AsOf.withContactKey(lake.read(Tables.TICKETS)), col("opened_at"))
                .join(idm, "record_key")
                .withColumn("resolved", at.upTo(col("resolved_at")));
        Dataset<Row> t = tickets.groupBy(AsOfDates.COLUMN, "customer_id").agg(
                count(when(col("resolved").unary_$bang(), lit(1))).as("open_tickets"),
                median(when(col("resolved"), col("hours_to_resolve"))).as("median_hours_to_resolve"),
                count(when(col("category").equalTo("complaint"), lit(1))).as("ticket_complaints"),
                max(when(col("resolved").and(col("csat").isNotNull()),
                        struct(col("resolved_at").as("at"), col("csat").as("score")))).as("ticket_csat"),
                max("opened_at").as("last_ticket_at"));

        Dataset<Row> calls = at.visible(lake.read(Tables.CALLS), col("started_at")).join(idm, "record_key");
        Dataset<Row> c = calls.groupBy(AsOfDates.COLUMN, "customer_id").agg(
                count("call_id").as("calls_count"),
                avg(when(col("is_negative"), 1.0).otherwise(0.0)).as("negative_call_share"),
                count(when(col("is_complaint"), lit(1))).as("call_complaints"),
                max(when(col("survey_score").isNotNull(),
                        struct(col("started_at").as("at"), col("survey_score").as("score")))).as("call_csat"),
                max("started_at").as("last_call_at"));

        Dataset<Row> activities = at.visible(AsOf.withContactKey(lake.read(Tables.ACTIVITIES)), col("occurred_at"))
                .join(idm, "record_key").groupBy(AsOfDates.COLUMN, "customer_id").agg(max("occurred_at").as("last_activity_at"));

        return t.join(c, KEY, "full_outer").join(activities, KEY, "full_outer").select(
                col(AsOfDates.COLUMN),
                col("customer_id"),
                coalesce(col("open_tickets"), lit(0L)).as("open_tickets"),
                col("median_hours_to_resolve"),
                coalesce(col("ticket_complaints"), lit(0L)).plus(coalesce(col("call_complaints"), lit(0L))).as("complaints"),
                coalesce(col("calls_count"), lit(0L)).as("calls_count"),
                col("negative_call_share"),
                greatest(col("ticket_csat"), col("call_csat")).getField("score").as("last_csat"),
                greatest(col("last_ticket_at"), col("last_call_at"), col("last_activity_at")).as("last_contact_at"));
    }

    /** Leads and open opportunities of the customer's CRM contacts (for the lifecycle stage). */
    private static Dataset<Row> sales(Lake lake, AsOfDates at, Dataset<Row> idm) {
        Dataset<Row> leads = at.visible(AsOf.withContactKey(lake.read(Tables.LEADS)), col("created_at"))
                .join(idm, "record_key").groupBy(AsOfDates.COLUMN, "customer_id").agg(count("lead_id").as("leads_count"));
        Dataset<Row> opps = at.visible(AsOf.withContactKey(lake.read(Tables.OPPORTUNITIES)), col("created_at"))
                .join(idm, "record_key").groupBy(AsOfDates.COLUMN, "customer_id")
                .agg(count(when(at.upTo(col("closed_at")).unary_$bang(), lit(1))).as("open_opportunities"));
        return leads.join(opps, KEY, "full_outer");
    }
}
