package org.crmlake.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The edges of the match graph: links between person records, each with the rule that made it.
 * <ul>
 *   <li><b>email</b>, <b>phone</b>: records sharing an e-mail or phone that only one person uses
 *   (see {@link PersonFeatures#sharedKeys}) are linked outright.</li>
 *   <li><b>crm_id</b>: an ERP customer or a verified call that names its CRM contact.</li>
 *   <li><b>web_order</b>: a logged-in web checkout at the same second as an ERP web order with a
 *   product in common, when neither side has another candidate at that second.</li>
 *   <li><b>fellegi_sunter</b>: pairs from blocks (a shared e-mail or phone, the same name key,
 *   the same street and postcode) scored by {@link MatchWeights}; blocks larger than
 *   {@code maxBlockSize} are skipped, so comparisons stay far below n².</li>
 * </ul>
 */
final class MatchLinks {
    static final StructType LINK_SCHEMA = new StructType().add("record_a", DataTypes.StringType)
            .add("record_b", DataTypes.StringType).add("rule", DataTypes.StringType)
            .add("weight", DataTypes.DoubleType).add("evidence", DataTypes.StringType);

    private final ResolveOptions options;

    MatchLinks(ResolveOptions options) {
        this.options = options;
    }

    /** Deterministic links on e-mails and phones one person uses: each record to the group's first record. */
    Dataset<Row> uniqueKeyLinks(Dataset<Row> features, Dataset<Row> sharedKeys, String field) {
        Dataset<Row> shared = sharedKeys.filter(col("key_type").equalTo(field)).select(col("key_value"));
        Dataset<Row> carriers = features.filter(col(field).isNotNull())
                .join(shared, col(field).equalTo(col("key_value")), "left_anti")
                .select(col(field).as("key"), col("record_key"));
        Dataset<Row> hub = carriers.groupBy("key").agg(min("record_key").as("hub"));
        return carriers.join(hub, "key").filter(col("record_key").notEqual(col("hub")))
                .select(col("hub").as("record_a"), col("record_key").as("record_b"), lit(field).as("rule"),
                        lit(null).cast("double").as("weight"), concat(lit(field + "="), col("key")).as("evidence"));
    }

    /** ERP customers carrying the id of an existing CRM contact. */
    Dataset<Row> crmIdLinks(Dataset<Row> features) {
        Dataset<Row> contacts = features.filter(col("source").equalTo("crm")).select(col("record_key").as("contact_key"));
        return features.filter(col("crm_contact_id").isNotNull())
                .withColumn("contact_key", concat(lit("crm:contacts:"), col("crm_contact_id")))
                .join(contacts, "contact_key")
                .select(least(col("record_key"), col("contact_key")).as("record_a"),
                        greatest(col("record_key"), col("contact_key")).as("record_b"), lit("crm_id").as("rule"),
                        lit(null).cast("double").as("weight"), concat(lit("crm_contact_id="), col("crm_contact_id")).as("evidence"));
    }

    /**
     * A logged-in checkout and an ERP order placed at the same second with a product in common.
     * Both sides must be alone at that second, so two shoppers paying at once never link.
     */
    Dataset<Row> webOrderLinks(Dataset<Row> webEvents, Dataset<Row> orders, Dataset<Row> orderLines) {
        // The rule reads two event types, and each of them twice: scan the large event table once.
        Dataset<Row> shopping = webEvents.filter(col("event_type").isin("checkout", "add_to_cart"))
                .select("event_type", "session_id", "user_id", "event_ts", "product_id").localCheckpoint();
        Dataset<Row> checkouts = shopping.filter(col("event_type").equalTo("checkout").and(col("user_id").isNotNull()))
                .select(col("session_id"), col("user_id"), col("event_ts").as("ts"));
        Dataset<Row> carts = shopping.filter(col("event_type").equalTo("add_to_cart"))
                .select(col("session_id"), col("product_id")).distinct();
        Dataset<Row> placed = orders.filter(col("record_key").isNotNull())
                .select(col("order_id"), col("record_key"), col("ordered_at").as("ts"));
        Dataset<Row> sameSecond = checkouts.join(placed, "ts");
        Dataset<Row> alone = sameSecond.groupBy("ts").agg(count(lit(1)).as("n")).filter(col("n").equalTo(1));
        Dataset<Row> productInCommon = sameSecond.join(alone, "ts")
                .join(carts, "session_id")
                .join(orderLines.select("order_id", "product_id"), new String[] {"order_id", "product_id"}, "inner")
                .select(col("user_id"), col("record_key"), col("order_id")).distinct();
        return productInCommon.groupBy("user_id", "record_key").agg(min("order_id").as("order_id"))
                .withColumn("web_key", concat(lit("web:users:"), col("user_id")))
                .select(least(col("web_key"), col("record_key")).as("record_a"),
                        greatest(col("web_key"), col("record_key")).as("record_b"), lit("web_order").as("rule"),
                        lit(null).cast("double").as("weight"), concat(lit("order_id="), col("order_id")).as("evidence"));
    }

    /** Candidate pairs from the blocks, scored; only pairs at or above the threshold are returned. */
    Dataset<Row> probabilisticLinks(Dataset<Row> features, Dataset<Row> sharedKeys) {
        Dataset<Row> sharedEmail = sharedKeys.filter(col("key_type").equalTo("email"))
                .select(col("key_value").as("email"), lit(true).as("email_shared"));
        Dataset<Row> sharedPhone = sharedKeys.filter(col("key_type").equalTo("phone"))
                .select(col("key_value").as("phone"), lit(true).as("phone_shared"));
        Dataset<Row> sides = features.join(sharedEmail, "email", "left").join(sharedPhone, "phone", "left")
                .select(col("record_key"), struct(col("name_key"), col("email"),
                        col("email_shared").isNotNull().as("email_shared"), col("phone"),
                        col("phone_shared").isNotNull().as("phone_shared"), col("birth_date"), col("street_key"),
                        col("postcode"), col("city")).as("side"))
                .localCheckpoint();

        Dataset<Row> blocked = block(features.join(sharedEmail, "email"), col("email"))
                .union(block(features.join(sharedPhone, "phone"), col("phone")))
                .union(block(features, col("name_key")))
                .union(block(features.filter(col("street_key").isNotNull()), concat(col("postcode"), lit("|"), col("street_key"))))
                .distinct();

        MatchWeights weights = options.weights();
        UserDefinedFunction score = udf((UDF2<Row, Row, Row>) (a, b) -> {
            MatchWeights.Score s = weights.score(side(a), side(b));
            return org.apache.spark.sql.RowFactory.create(s.weight(), s.evidence());
        }, new StructType().add("weight", DataTypes.DoubleType).add("evidence", DataTypes.StringType));

        return blocked
                .join(sides.select(col("record_key").as("record_a"), col("side").as("a")), "record_a")
                .join(sides.select(col("record_key").as("record_b"), col("side").as("b")), "record_b")
                .withColumn("s", score.apply(col("a"), col("b")))
                .filter(col("s.weight").geq(weights.threshold()))
                .select(col("record_a"), col("record_b"), lit("fellegi_sunter").as("rule"), col("s.weight").as("weight"),
                        col("s.evidence").as("evidence"));
    }

    /** Ordered pairs (record_a < record_b) of records sharing a block key, blocks up to the size limit. */
    private Dataset<Row> block(Dataset<Row> records, Column key) {
        Dataset<Row> keyed = records.select(key.as("block"), col("record_key")).filter(col("block").isNotNull());
        Dataset<Row> small = keyed.groupBy("block").agg(countDistinct("record_key").as("n"))
                .filter(col("n").between(2, options.maxBlockSize())).select("block");
        Dataset<Row> members = keyed.join(small, "block");
        return members.alias("x").join(members.alias("y"), "block")
                .filter(col("x.record_key").lt(col("y.record_key")))
                .select(col("x.record_key").as("record_a"), col("y.record_key").as("record_b"));
    }

    private static MatchWeights.Side side(Row r) {
        return new MatchWeights.Side(r.getAs("name_key"), r.getAs("email"), r.<Boolean>getAs("email_shared"),
                r.getAs("phone"), r.<Boolean>getAs("phone_shared"), r.getAs("birth_date"), r.getAs("street_key"),
                r.getAs("postcode"), r.getAs("city"));
    }

    /** One row per linked pair: a deterministic rule wins over a probabilistic one. */
    static Dataset<Row> preferDeterministic(Dataset<Row> links) {
        var byPair = Window.partitionBy("record_a", "record_b")
                .orderBy(col("weight").isNotNull(), col("rule"));
        return links.withColumn("rank", org.apache.spark.sql.functions.row_number().over(byPair))
                .filter(col("rank").equalTo(1)).drop("rank");
    }
}
