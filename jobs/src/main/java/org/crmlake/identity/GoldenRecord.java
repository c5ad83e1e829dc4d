package org.crmlake.identity;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The golden record of each customer. Survivorship rules, attribute by attribute:
 * <ol>
 *   <li>only valid values compete: a name that is not a company name, an e-mail that parsed and is
 *   not a placeholder, a phone that parsed to E.164, an address with a street;</li>
 *   <li>phones nobody else uses beat shared ones (a family landline is a poor contact point);</li>
 *   <li>source priority: CRM (typed by staff who know the person), ERP (billing), web (typed by the
 *   person), calls;</li>
 *   <li>within a source, the most recently updated record wins; then the smallest record key.</li>
 * </ol>
 * Each chosen attribute keeps the record key it came from.
 */
final class GoldenRecord {
    private GoldenRecord() {
    }

    static Dataset<Row> of(Dataset<Row> persons, Dataset<Row> features, Dataset<Row> map, Dataset<Row> sharedKeys,
                           LocalDate date) {
        Dataset<Row> sharedPhones = sharedKeys.filter(col("key_type").equalTo("phone"))
                .select(col("key_value").as("shared_phone"));
        Dataset<Row> records = persons
                .join(features.select(col("record_key"), col("name_key").as("person_name_key")), "record_key")
                .withColumn("name_is_company", col("person_name_key").isNull().and(col("full_name").isNotNull()))
                .join(map, "record_key")
                .join(sharedPhones, substring(col("phone_e164"), -10, 10).equalTo(col("shared_phone")), "left")
                .withColumn("source_rank", when(col("source").equalTo("crm"), 1).when(col("source").equalTo("erp"), 2)
                        .when(col("source").equalTo("web"), 3).otherwise(4))
                .withColumn("staleness", lit(0L).minus(unix_timestamp(col("updated_at"))));

        return records.groupBy("customer_id").agg(
                        best(col("full_name").isNotNull().and(col("name_is_company").equalTo(false)),
                                struct(col("full_name"), col("record_key").as("src"))).as("name"),
                        best(col("email").isNotNull().and(col("email_is_placeholder").equalTo(false)),
                                struct(col("email"), col("record_key").as("src"))).as("mail"),
                        min_by(when(col("phone_e164").isNotNull(), struct(col("phone_e164"), col("record_key").as("src"))),
                                when(col("phone_e164").isNotNull(), struct(col("shared_phone").isNotNull(),
                                        col("source_rank"), col("staleness"), col("record_key")))).as("phone"),
                        best(col("birth_date").isNotNull(), struct(col("birth_date"))).as("birth"),
                        best(col("street").isNotNull(), struct(col("street"), col("city"), col("postcode"), col("country"),
                                col("record_key").as("src"))).as("address"),
                        best(col("company").isNotNull(), struct(col("company"))).as("org"),
                        best(col("owner_id").isNotNull(), struct(col("owner_id"))).as("owner"),
                        count(lit(1)).as("records"),
                        array_join(array_sort(collect_set("source")), ",").as("sources"),
                        min("first_seen_at").as("first_seen_at"), max("updated_at").as("updated_at"))
                .select(col("customer_id"), col("name.full_name"), col("name.src").as("name_source"),
                        col("mail.email"), col("mail.src").as("email_source"),
                        col("phone.phone_e164"), col("phone.src").as("phone_source"), col("birth.birth_date"),
                        col("address.street"), col("address.city"), col("address.postcode"), col("address.country"),
                        col("address.src").as("address_source"), col("org.company"), col("owner.owner_id"),
                        col("records"), col("sources"), col("first_seen_at"), col("updated_at"),
                        lit(java.sql.Date.valueOf(date)).as("resolved_on"));
    }

    /** The value of the best record among those where {@code valid} holds: source priority, then recency. */
    private static Column best(Column valid, Column value) {
        return min_by(when(valid, value), when(valid, struct(col("source_rank"), col("staleness"), col("record_key"))));
    }
}
