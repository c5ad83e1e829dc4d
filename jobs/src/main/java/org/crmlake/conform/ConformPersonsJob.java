package org.crmlake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.crmlake.conform.NormalizeUdfs.EMAIL;
import static org.crmlake.conform.NormalizeUdfs.EMAIL_IS_PLACEHOLDER;
import static org.crmlake.conform.NormalizeUdfs.NAME;
import static org.crmlake.conform.NormalizeUdfs.NAME_KEY;
import static org.crmlake.conform.NormalizeUdfs.PHONE_E164;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;

/**
 * {@code silver.persons}: every person record of every source in one shape, with contact points
 * standardised (E.164 phones, normalised e-mails, names with a script-independent key). Sources:
 * CRM contacts, ERP customers, web accounts (from signup/login events) and call-centre callers.
 */
public final class ConformPersonsJob extends ConformJob {

    @Override
    public String name() {
        return "conform-persons";
    }

    @Override
    public String description() {
        return "standardise person records of every source (E.164 phones, e-mails, names) into silver.persons";
    }

    @Override
    protected List<String[]> bronzeInputs() {
        return List.of(new String[] {"crm", "contacts"}, new String[] {"erp", "customers"},
                new String[] {"web", "events"}, new String[] {"calls", "calls"});
    }

    @Override
    protected List<TableDef> silverOutputs() {
        return List.of(Tables.PERSONS);
    }

    @Override
    protected Dataset<Row> build(TableDef table, Lake lake) {
        Dataset<Row> contacts = latest(lake, "crm", "contacts");
        // Chinese names are written family name first, without a space.
        Column han = col("last_name").rlike("\\p{IsHan}");
        Dataset<Row> crm = contacts.select(
                col("contact_id").as("record_id"),
                NAME.apply(when(han, concat(coalesce(col("last_name"), lit("")), coalesce(col("first_name"), lit(""))))
                        .otherwise(concat_ws(" ", col("first_name"), col("last_name")))).as("full_name"),
                NAME.apply(col("first_name")).as("first_name"), NAME.apply(col("last_name")).as("last_name"),
                NAME.apply(col("account_name")).as("company"),
                col("email").as("email_raw"), col("phone").as("phone_raw"), col("country"),
                col("birth_date"), col("street"), col("city"), col("postcode"),
                col("owner_id"), col("created_at").as("first_seen_at"),
                coalesce(col("updated_at"), col("created_at")).as("updated_at"), col("_batch_date"));

        Dataset<Row> erp = latest(lake, "erp", "customers").select(
                col("customer_no").as("record_id"),
                NAME.apply(col("billing_name")).as("full_name"),
                col("email").as("email_raw"), col("phone").as("phone_raw"), col("country"),
                col("street"), col("city"), col("postcode"), col("crm_contact_id"),
                col("created_at").as("first_seen_at"), col("created_at").as("updated_at"), col("_batch_date"));

        // Three aggregates read the account events: de-duplicate the event table (a shuffle of every
        // event) once, not three times.
        Dataset<Row> events = latest(lake, "web", "events").filter(col("user_id").isNotNull())
                .select("user_id", "first_name", "last_name", "email", "event_ts", "_batch_date").localCheckpoint();
        // The name comes from the signup; the e-mail from the latest signup or login that carries one.
        Dataset<Row> named = events.filter(col("last_name").isNotNull()).groupBy("user_id")
                .agg(max_by(struct(col("first_name"), col("last_name")), col("event_ts")).as("n"));
        Dataset<Row> mailed = events.filter(col("email").isNotNull()).groupBy("user_id")
                .agg(max_by(col("email"), col("event_ts")).as("email_raw"));
        Column webHan = col("n.last_name").rlike("\\p{IsHan}");
        Dataset<Row> web = events.groupBy("user_id")
                .agg(min("event_ts").as("first_seen_at"), max("event_ts").as("updated_at"), max("_batch_date").as("_batch_date"))
                .join(named, "user_id", "left").join(mailed, "user_id", "left")
                .select(col("user_id").as("record_id"),
                        NAME.apply(when(webHan, concat(col("n.last_name"), coalesce(col("n.first_name"), lit(""))))
                                .otherwise(concat_ws(" ", col("n.first_name"), col("n.last_name")))).as("full_name"),
                        NAME.apply(col("n.first_name")).as("first_name"), NAME.apply(col("n.last_name")).as("last_name"),
                        col("email_raw"), col("first_seen_at"), col("updated_at"), col("_batch_date"));

        Dataset<Row> calls = latest(lake, "calls", "calls")
                .filter(col("caller_number").isNotNull().or(col("customer_ref").isNotNull()))
                .select(col("call_id").as("record_id"), col("customer_ref").as("crm_contact_id"),
                        NAME.apply(col("caller_name")).as("full_name"), col("caller_number").as("phone_raw"),
                        col("started_at").as("first_seen_at"), col("started_at").as("updated_at"), col("_batch_date"));

        Dataset<Row> all = origin(crm, "crm", "contacts").unionByName(origin(erp, "erp", "customers"), true)
                .unionByName(origin(web, "web", "users"), true).unionByName(origin(calls, "calls", "calls"), true);
        // Spread the records over the cores before the per-record work (phone parsing, name keys,
        // then encryption in the write): the union of the de-duplicated sources ran in one task.
        return all.repartition(lake.spark().sparkContext().defaultParallelism())
                .select(concat_ws(":", col("source"), col("entity"), col("record_id")).as("record_key"),
                        col("source"), col("entity"), col("record_id"), col("full_name"), col("first_name"), col("last_name"),
                        NAME_KEY.apply(col("full_name")).as("name_key"), col("company"),
                        EMAIL.apply(col("email_raw")).as("email"),
                        EMAIL_IS_PLACEHOLDER.apply(EMAIL.apply(col("email_raw"))).as("email_is_placeholder"),
                        PHONE_E164.apply(col("phone_raw"), col("country")).as("phone_e164"),
                        col("birth_date"), col("street"), col("city"), col("postcode"), col("country"),
                        col("crm_contact_id"), col("owner_id"), col("first_seen_at"), col("updated_at"),
                        col("_batch_date").as("batch_date"));
    }

    private static Dataset<Row> origin(Dataset<Row> records, String source, String entity) {
        return records.withColumn("source", lit(source)).withColumn("entity", lit(entity));
    }
}
