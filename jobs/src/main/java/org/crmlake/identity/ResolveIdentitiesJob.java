package org.crmlake.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * {@code crm resolve}: links the person records of every source into customers (docs/IDENTITY.md).
 * Shared e-mails and phones are found first and stop acting as keys; links come from unique keys,
 * cross-system ids, web checkouts matched to orders and Fellegi–Sunter scoring of blocked pairs;
 * customers are the connected components of the links, with ids kept stable across runs, a golden
 * record each, and web cookies stitched to them.
 */
public final class ResolveIdentitiesJob implements Job {
    private final ResolveOptions options;

    public ResolveIdentitiesJob() {
        this(ResolveOptions.DEFAULT);
    }

    public ResolveIdentitiesJob(ResolveOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "resolve-identities";
    }

    @Override
    public String description() {
        return "link person records of all sources into customers with stable ids, a golden record and stitched cookies";
    }

    @Override
    public List<String> inputs() {
        return List.of(Tables.PERSONS, Tables.WEB_EVENTS, Tables.ORDERS, Tables.ORDER_LINES).stream()
                .map(TableDef::qualifiedName).toList();
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.SHARED_KEYS, Tables.IDENTITY_LINKS, Tables.IDENTITY_HISTORY, Tables.CUSTOMERS,
                Tables.COOKIE_MAP, Tables.IDENTITY_MAP).stream().map(TableDef::qualifiedName).toList();
    }

    @Override
    public JobResult run(JobContext context) {
        Lake lake = context.lake();
        Date resolvedOn = Date.valueOf(context.date());
        Dataset<Row> persons = lake.read(Tables.PERSONS).localCheckpoint();
        Dataset<Row> features = PersonFeatures.of(persons).localCheckpoint();
        Dataset<Row> shared = PersonFeatures.sharedKeys(features).localCheckpoint();
        long sharedCount = shared.count();
        context.progress("  " + sharedCount + " e-mails and phones are shared by different people and stop acting as keys");

        MatchLinks matcher = new MatchLinks(options);
        Dataset<Row> webEvents = lake.read(Tables.WEB_EVENTS);
        Dataset<Row> links = MatchLinks.preferDeterministic(
                matcher.uniqueKeyLinks(features, shared, "email")
                        .union(matcher.uniqueKeyLinks(features, shared, "phone"))
                        .union(matcher.crmIdLinks(features))
                        .union(matcher.webOrderLinks(webEvents, lake.read(Tables.ORDERS), lake.read(Tables.ORDER_LINES)))
                        .union(matcher.probabilisticLinks(features, shared)))
                .localCheckpoint();
        context.progress("  " + links.count() + " links between records; clustering");

        Dataset<Row> components = ConnectedComponents.of(persons.select(col("record_key").as("id")),
                        links.select(col("record_a").as("src"), col("record_b").as("dst")))
                .withColumnRenamed("id", "record_key");
        StableIds.Previous previous = StableIds.previousMap(lake, context.date());
        if (!previous.exact()) {
            context.progress("  the identity map from before " + context.date() + " was vacuumed (crm forget); "
                    + "keeping the current ids and this date's recorded merges and splits");
        }
        StableIds.Assignment ids = StableIds.assign(components, previous.map(), links, context.date());
        Dataset<Row> map = ids.map().join(firstRule(links), "record_key", "left")
                .select(col("record_key"), col("customer_id"),
                        org.apache.spark.sql.functions.coalesce(col("match_rule"), lit("new")).as("match_rule"),
                        lit(resolvedOn).as("resolved_on"))
                .localCheckpoint();

        lake.overwrite(Tables.SHARED_KEYS, shared.withColumn("resolved_on", lit(resolvedOn)));
        lake.overwrite(Tables.IDENTITY_LINKS, links.withColumn("resolved_on", lit(resolvedOn)));
        if (previous.exact()) {
            lake.replaceWhere(Tables.IDENTITY_HISTORY, "resolved_on = '" + context.date() + "'", ids.history());
        } else {
            // Measured against the current map, the date's own merges and splits do not show again: keep them.
            lake.merge(Tables.IDENTITY_HISTORY, ids.history(), "t.resolved_on = s.resolved_on AND t.event = s.event "
                    + "AND t.customer_id = s.customer_id AND t.other_customer_id <=> s.other_customer_id",
                    m -> m.whenNotMatched().insertAll());
        }
        lake.overwrite(Tables.CUSTOMERS, GoldenRecord.of(persons, features, map.select("record_key", "customer_id"),
                shared, context.date()));
        lake.overwrite(Tables.COOKIE_MAP, CookieStitching.of(webEvents, map));
        lake.overwrite(Tables.IDENTITY_MAP, map);
        return new JobResult(name(), summary(lake, map, resolvedOn));
    }

    /** The rule that attached each record: the rule of any link touching it (deterministic rules first). */
    private static Dataset<Row> firstRule(Dataset<Row> links) {
        Dataset<Row> ends = links.select(col("record_a").as("record_key"), col("rule"))
                .union(links.select(col("record_b").as("record_key"), col("rule")));
        return ends.groupBy("record_key").agg(org.apache.spark.sql.functions.min("rule").as("match_rule"));
    }

    private static List<String> summary(Lake lake, Dataset<Row> map, Date resolvedOn) {
        List<String> lines = new ArrayList<>();
        long records = map.count();
        long customers = lake.read(Tables.CUSTOMERS).count();
        lines.add(String.format("identity: %,d person records -> %,d customers", records, customers));
        lake.read(Tables.IDENTITY_LINKS).groupBy("rule").count().orderBy("rule").collectAsList()
                .forEach(r -> lines.add(String.format("  links by %s: %,d", r.getString(0), r.getLong(1))));
        lake.read(Tables.SHARED_KEYS).groupBy("key_type").count().orderBy("key_type").collectAsList()
                .forEach(r -> lines.add(String.format("  shared %ss (not used as keys): %,d", r.getString(0), r.getLong(1))));
        java.util.Map<String, Long> events = new java.util.HashMap<>();
        lake.read(Tables.IDENTITY_HISTORY).filter(col("resolved_on").equalTo(lit(resolvedOn)))
                .groupBy("event").count().collectAsList().forEach(r -> events.put(r.getString(0), r.getLong(1)));
        lines.add(String.format("  this run: %,d new customers, %,d merges, %,d splits (gold.identity_history)",
                events.getOrDefault("new", 0L), events.getOrDefault("merge", 0L), events.getOrDefault("split", 0L)));
        lines.add(String.format("  web cookies stitched to customers: %,d", lake.read(Tables.COOKIE_MAP).count()));
        return lines;
    }
}
