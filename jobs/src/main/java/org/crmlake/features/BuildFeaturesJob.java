package org.crmlake.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.gold.AsOf;
import org.crmlake.gold.AsOfDates;
import org.crmlake.gold.BuildCustomer360Job;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * {@code gold.features} for one cutoff date (the run's date): the customer 360 measures as of the
 * cutoff plus recent-window counts, all from data up to the end of the cutoff day, and the labels
 * observed after it. Only customers with a record first seen by the cutoff are in the snapshot (the
 * identity map itself is today's: links found later also join older records). A label is null when its horizon runs past the last ERP batch, so the newest
 * cutoffs are scored but never trained on. Re-running a cutoff replaces its slice.
 */
public final class BuildFeaturesJob implements Job {
    /** "Days since" of something that never happened: longer than any horizon a model looks at. */
    static final double NEVER_DAYS = 730;
    /** The long window that rates are measured over: a year evens out the seasons. */
    static final int RATE_WINDOW_DAYS = 365;
    /** Activity subjects that mean a retention conversation, lower-cased. */
    static final String RETENTION_SUBJECT = "retention|win[- ]?back|cancel";

    private final LabelSpec labels;

    public BuildFeaturesJob() {
        this(LabelSpec.defaults());
    }

    public BuildFeaturesJob(LabelSpec labels) {
        this.labels = labels;
    }

    @Override
    public String name() {
        return "build-features";
    }

    @Override
    public String description() {
        return "model features as of the date (point in time) and the churn and purchase labels observed after it";
    }

    @Override
    public List<String> inputs() {
        List<String> in = new ArrayList<>(new BuildCustomer360Job().inputs());
        in.add(Tables.INGEST_LOG.qualifiedName());
        return in;
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.FEATURES.qualifiedName());
    }

    @Override
    public JobResult run(JobContext context) {
        return new JobResult(name(), buildSnapshots(context.lake(), List.of(context.date())));
    }

    /**
     * Builds and writes the snapshots of the cutoffs in one query and one commit (each cutoff's
     * slice replaced), and says per cutoff how many customers and labels it holds.
     */
    public List<String> buildSnapshots(Lake lake, List<LocalDate> cutoffs) {
        AsOfDates at = AsOfDates.of(cutoffs);
        LocalDate dataEnd = lastErpBatch(lake);
        lake.spark().sparkContext().setJobGroup(name(), name() + " " + at.dates(), false);
        try {
            lake.replaceWhere(Tables.FEATURES, at.slices("cutoff_date"), build(lake, at, dataEnd));
        } finally {
            lake.spark().sparkContext().clearJobGroup();
        }
        Map<LocalDate, Row> counts = new HashMap<>();
        lake.read(Tables.FEATURES).filter(at.slices("cutoff_date")).groupBy("cutoff_date")
                .agg(count(lit(1)), count("label_churn"), sum("label_churn"), count("label_purchase"), sum("label_purchase"))
                .collectAsList().forEach(r -> counts.put(r.getDate(0).toLocalDate(), r));
        List<String> summary = new ArrayList<>();
        for (LocalDate cutoff : at.dates()) {
            Row r = counts.get(cutoff);
            summary.add(Tables.FEATURES.qualifiedName() + " " + cutoff + ": " + countAt(r, 1) + " customers, "
                    + Tables.featureNames().size() + " features");
            summary.add(labelLine("churn", countAt(r, 2), countAt(r, 3), labels.churnDays(), cutoff, dataEnd));
            summary.add(labelLine("purchase", countAt(r, 4), countAt(r, 5), labels.purchaseDays(), cutoff, dataEnd));
        }
        return summary;
    }

    /** A count or sum of the summary row; 0 when the cutoff has no rows or the sum is over none. */
    private static long countAt(Row r, int i) {
        return r == null || r.isNullAt(i) ? 0 : r.getLong(i);
    }

    private static String labelLine(String label, long labelled, long positives, int horizon, LocalDate cutoff,
            LocalDate dataEnd) {
        if (labelled == 0) {
            return "  " + label + " labels: none (" + horizon + " days after " + cutoff + " run past the data, which ends "
                    + (dataEnd == null ? "nowhere: no ERP batch ingested" : dataEnd) + ")";
        }
        return String.format(java.util.Locale.ROOT, "  %s labels: %d customers, %d positive (%.1f%%)", label, labelled,
                positives, 100.0 * positives / labelled);
    }

    /** The last day orders are known for: the newest ERP batch ingested, null when none. */
    public static LocalDate lastErpBatch(Lake lake) {
        Row r = lake.read(Tables.INGEST_LOG).filter(col("source").equalTo("erp")).agg(max("batch_date")).first();
        return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
    }

    /** One cutoff's rows (not written). {@code dataEnd} null: no labels. */
    public Dataset<Row> build(Lake lake, LocalDate cutoff, LocalDate dataEnd) {
        return build(lake, AsOfDates.of(cutoff), dataEnd);
    }

    /** The rows of every cutoff, each with its cutoff_date (not written). {@code dataEnd} null: no labels. */
    public Dataset<Row> build(Lake lake, AsOfDates at, LocalDate dataEnd) {
        Dataset<Row> idm = lake.read(Tables.IDENTITY_MAP).select("record_key", "customer_id");
        Dataset<Row> c360 = new BuildCustomer360Job().build(lake, at);
        Dataset<Row> orders = lake.read(Tables.ORDERS)
                .filter(coalesce(col("status"), lit("")).notEqual("cancelled"))
                .join(idm, "record_key");
        // The first batch of a source often carries years of history, so its date does not say when the data begins.
        Row oldestOrder = lake.read(Tables.ORDERS).agg(min("order_date")).first();
        LocalDate historyStart = oldestOrder.isNullAt(0) ? null : oldestOrder.getDate(0).toLocalDate();
        String[] key = BuildCustomer360Job.KEY;

        // Customers first seen after the cutoff did not exist yet: their snapshot would be all zeros.
        Dataset<Row> rows = c360.filter(col("person_records").gt(0))
                .join(recentOrders(orders, at), key, "left")
                .join(recentService(lake, at, idm), key, "left")
                .join(retentionSignals(lake, at, idm), key, "left")
                .join(profile(lake, at, idm), key, "left")
                .join(labels(lake, orders, at, dataEnd), key, "left")
                .withColumn("cutoff_date", at.date())
                .withColumn("avg_order_value", coalesce(col("avg_order_value"), lit(0.0)))
                .withColumn("days_since_first_order", daysOrNever(col("days_since_first_order")))
                .withColumn("days_since_last_order", daysOrNever(col("days_since_last_order")))
                .withColumn("median_days_between_orders", daysOrNever(col("median_days_between_orders")))
                .withColumn("days_past_expected_order",
                        coalesce(datediff(at.date(), col("expected_next_order_date")).cast("double"), lit(0.0)))
                .withColumn("days_since_last_visit", daysOrNever(datediff(at.date(), to_date(col("last_visit_at")))))
                .withColumn("days_since_last_contact", daysOrNever(col("days_since_last_contact")))
                .withColumn("days_since_last_call", daysOrNever(datediff(at.date(), col("last_call_day"))))
                .withColumn("days_since_last_ticket", daysOrNever(datediff(at.date(), col("last_ticket_day"))))
                .withColumn("email_consent", consent(col("email_consent")))
                .withColumn("sms_consent", consent(col("sms_consent")))
                .withColumn("label_definition", lit(labels.describe()))
                .withColumn("return_rate", when(col("orders_count").gt(0), col("returns_count").divide(col("orders_count")))
                        .otherwise(0.0));
        rows = withRates(rows, at, historyStart);
        for (String zero : List.of("recency_score", "frequency_score", "monetary_score", "median_hours_to_resolve",
                "negative_call_share", "last_csat", "orders_30d", "orders_90d", "orders_365d", "revenue_365d",
                "tickets_90d", "calls_90d", "negative_calls_90d", "sessions_365d", "tickets_30d",
                "complaint_tickets_60d", "csat_60d", "inbound_calls_30d", "negative_calls_30d", "complaint_calls_60d",
                "cancellation_calls", "retention_contacts_60d", "opt_outs_60d", "age_years", "is_b2b", "csat_365d")) {
            rows = rows.withColumn(zero, coalesce(col(zero).cast("double"), lit(0.0)));
        }
        return rows.withColumn("churn_eligible", coalesce(col("orders_in_active_window"), lit(0L)).gt(0))
                .withColumn("label_churn", when(col("churn_eligible"), col("label_churn")));
    }

    /**
     * How often the customer orders, visits, opens tickets and calls: counts over the last year
     * divided by the days of that year the customer could be seen (since their first record, and
     * since the order history begins), per 30 days. A person's buying rate and service experience
     * are slow traits, and a year of evidence estimates them better than the recent windows do.
     */
    private static Dataset<Row> withRates(Dataset<Row> rows, AsOfDates at, LocalDate historyStart) {
        Column since = historyStart == null ? col("first_seen_day")
                : greatest(col("first_seen_day"), lit(historyStart.toString()).cast("date"));
        rows = rows.withColumn("known_days",
                coalesce(least(lit(RATE_WINDOW_DAYS), datediff(at.date(), since).plus(1)).cast("double"), lit(1.0)));
        for (String[] rate : new String[][] {{"order_rate_365d", "orders_365d"}, {"visit_rate_365d", "sessions_365d"},
                {"ticket_rate_365d", "tickets_365d"}, {"inbound_call_rate_365d", "inbound_calls_365d"}}) {
            rows = rows.withColumn(rate[0],
                    coalesce(col(rate[1]), lit(0)).multiply(30.0).divide(greatest(col("known_days"), lit(1.0))));
        }
        return rows;
    }

    private static Column daysOrNever(Column days) {
        return coalesce(days.cast("double"), lit(NEVER_DAYS));
    }

    private static Column consent(Column status) {
        return when(status.equalTo("opt_in"), 1.0).when(status.equalTo("opt_out"), -1.0).otherwise(0.0);
    }

    private Dataset<Row> recentOrders(Dataset<Row> orders, AsOfDates at) {
        return at.visible(orders, col("ordered_at")).groupBy(key()).agg(
                count(when(at.within(col("order_date"), 30), lit(1))).as("orders_30d"),
                count(when(at.within(col("order_date"), 90), lit(1))).as("orders_90d"),
                count(when(at.within(col("order_date"), 365), lit(1))).as("orders_365d"),
                count(when(at.within(col("order_date"), labels.activeDays()), lit(1))).as("orders_in_active_window"),
                sum(when(at.within(col("order_date"), 365), col("total_amount"))).as("revenue_365d"));
    }

    /**
     * Service in recent windows. The weeks before someone leaves show as more and angrier calls and
     * complaints and worse ratings; a cancellation call says it outright.
     */
    private static Dataset<Row> recentService(Lake lake, AsOfDates at, Dataset<Row> idm) {
        Dataset<Row> tickets = at.visible(AsOf.withContactKey(lake.read(Tables.TICKETS)), col("opened_at"))
                .join(idm, "record_key")
                .withColumn("day", to_date(col("opened_at")))
                // A rating exists from the ticket's resolution on; one given after the cutoff is not known yet.
                .withColumn("csat", when(at.upTo(col("resolved_at")), col("csat")))
                .groupBy(key()).agg(
                        count(when(at.within(col("day"), RATE_WINDOW_DAYS), lit(1))).as("tickets_365d"),
                        avg(when(at.within(col("day"), RATE_WINDOW_DAYS), col("csat"))).as("csat_365d"),
                        count(when(at.within(col("day"), 90), lit(1))).as("tickets_90d"),
                        count(when(at.within(col("day"), 30), lit(1))).as("tickets_30d"),
                        count(when(at.within(col("day"), 60).and(lower(col("category")).equalTo("complaint")), lit(1)))
                                .as("complaint_tickets_60d"),
                        avg(when(at.within(col("day"), 60), col("csat"))).as("csat_60d"),
                        max("day").as("last_ticket_day"));
        Dataset<Row> calls = at.visible(lake.read(Tables.CALLS), col("started_at")).join(idm, "record_key")
                .withColumn("day", to_date(col("started_at")))
                .withColumn("inbound", lower(col("direction")).equalTo("inbound"))
                .groupBy(key()).agg(
                        count(when(at.within(col("day"), 90), lit(1))).as("calls_90d"),
                        count(when(at.within(col("day"), 90).and(col("is_negative")), lit(1))).as("negative_calls_90d"),
                        count(when(at.within(col("day"), 30).and(col("inbound")), lit(1))).as("inbound_calls_30d"),
                        count(when(at.within(col("day"), RATE_WINDOW_DAYS).and(col("inbound")), lit(1)))
                                .as("inbound_calls_365d"),
                        count(when(at.within(col("day"), 30).and(col("is_negative")), lit(1))).as("negative_calls_30d"),
                        count(when(at.within(col("day"), 60).and(col("is_complaint")), lit(1))).as("complaint_calls_60d"),
                        count(when(lower(col("reason")).equalTo("cancellation"), lit(1))).as("cancellation_calls"),
                        max("day").as("last_call_day"));
        return tickets.join(calls, BuildCustomer360Job.KEY, "full_outer");
    }

    /**
     * What the sales team and the consent log know: retention contacts (an activity whose subject
     * says retention, win-back or cancellation) and consents withdrawn, both in the last 60 days.
     */
    private static Dataset<Row> retentionSignals(Lake lake, AsOfDates at, Dataset<Row> idm) {
        Dataset<Row> contacts = at.visible(AsOf.withContactKey(lake.read(Tables.ACTIVITIES)), col("occurred_at"))
                .join(idm, "record_key")
                .groupBy(key()).agg(count(when(at.within(to_date(col("occurred_at")), 60)
                        .and(lower(col("subject")).rlike(RETENTION_SUBJECT)), lit(1))).as("retention_contacts_60d"));
        Dataset<Row> optOuts = at.visible(AsOf.withContactKey(lake.read(Tables.CONSENTS)), col("recorded_at"))
                .join(idm, "record_key")
                .groupBy(key()).agg(count(when(at.within(to_date(col("recorded_at")), 60)
                        .and(col("status").equalTo("opt_out")), lit(1))).as("opt_outs_60d"));
        return contacts.join(optOuts, BuildCustomer360Job.KEY, "full_outer");
    }

    /**
     * Age and whether the customer buys for a company, from the source records first seen by the
     * cutoff (the golden record is today's and may know a company added later).
     */
    private static Dataset<Row> profile(Lake lake, AsOfDates at, Dataset<Row> idm) {
        return at.visible(lake.read(Tables.PERSONS), col("first_seen_at")).join(idm, "record_key")
                .groupBy(key()).agg(
                        min(to_date(col("first_seen_at"))).as("first_seen_day"),
                        max(floor(months_between(at.date(), col("birth_date")).divide(12))).as("age_years"),
                        max(when(col("company").isNotNull().and(trim(col("company")).notEqual("")), 1.0).otherwise(0.0))
                                .as("is_b2b"));
    }

    /**
     * Labels from the orders after the cutoff; null when the horizon runs past {@code dataEnd}.
     * Churn eligibility (an order in the active window) is applied by the caller.
     */
    private Dataset<Row> labels(Lake lake, Dataset<Row> orders, AsOfDates at, LocalDate dataEnd) {
        Column churnKnown = known(at, labels.churnDays(), dataEnd);
        Column purchaseKnown = known(at, labels.purchaseDays(), dataEnd);
        Column inPurchase = col("order_date").leq(date_add(at.date(), labels.purchaseDays()));
        if (labels.purchaseCategory() != null) {
            Dataset<Row> inCategory = lake.read(Tables.ORDER_LINES)
                    .filter(col("category").equalTo(labels.purchaseCategory())).select("order_id").distinct()
                    .withColumn("in_category", lit(true));
            orders = orders.join(inCategory, "order_id", "left");
            inPurchase = inPurchase.and(coalesce(col("in_category"), lit(false)));
        }
        Column inChurn = col("order_date").leq(date_add(at.date(), labels.churnDays()));
        Dataset<Row> bought = at.pair(orders, d -> col("order_date").gt(d)).groupBy(key()).agg(
                max(inChurn).as("bought_in_churn_horizon"), max(inPurchase).as("bought_in_purchase_horizon"));
        Dataset<Row> customers = at.every(lake.read(Tables.IDENTITY_MAP).select("customer_id").distinct())
                .join(bought, BuildCustomer360Job.KEY, "left");
        return customers.select(col(AsOfDates.COLUMN), col("customer_id"),
                when(churnKnown, when(coalesce(col("bought_in_churn_horizon"), lit(false)), 0).otherwise(1))
                        .as("label_churn"),
                when(purchaseKnown, when(coalesce(col("bought_in_purchase_horizon"), lit(false)), 1).otherwise(0))
                        .as("label_purchase"));
    }

    /** Whether the horizon after the cutoff ends by the last day orders are known for. */
    private static Column known(AsOfDates at, int horizonDays, LocalDate dataEnd) {
        return dataEnd == null ? lit(false) : date_add(at.date(), horizonDays).leq(lit(dataEnd.toString()).cast("date"));
    }

    private static Column[] key() {
        return new Column[] {col(AsOfDates.COLUMN), col("customer_id")};
    }
}
