package org.crmlake.lake;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.ArrayList;
import java.util.List;
import org.crmlake.ingest.EntityContract;
import org.crmlake.ingest.FieldSpec;
import org.crmlake.ingest.SourceContract;

/**
 * The catalog: every table of the lake is declared here once (bronze tables from the source
 * contracts). Jobs, tests and the data dictionary read these definitions.
 */
public final class Tables {
    private Tables() {
    }

    // ---------------------------------------------------------------- bronze and ingest bookkeeping

    /** Ingest metadata columns every bronze table carries after the contract's fields. */
    public static final List<Column> INGEST_METADATA = List.of(
            new Column("_source_file", StringType, "export file the record came from, relative to the landing folder"),
            new Column("_batch_id", StringType, "source/batch date, e.g. crm/2026-09-30"),
            new Column("_batch_date", DateType, "date of the landing batch folder"),
            new Column("_ingested_at", TimestampType, "when the batch was ingested"));

    /** {@code bronze.<source>_<entity>}: the contract's typed fields as received, plus ingest metadata. */
    public static TableDef bronze(String source, String entity) {
        EntityContract e = SourceContract.load(source).entity(entity);
        List<Column> cols = new ArrayList<>();
        for (FieldSpec f : e.fields()) {
            cols.add(new Column(f.name(), f.sparkType(), (f.required() ? "required " : "") + f.type() + " from the export"));
        }
        cols.addAll(INGEST_METADATA);
        return TableDef.builder(Layer.BRONZE, source + "_" + entity, "raw " + source + " " + entity + " as received")
                .cols(cols).partitionBy("_batch_date").build();
    }

    public static List<TableDef> bronzeTables(String source) {
        return SourceContract.load(source).entities().keySet().stream().map(e -> bronze(source, e)).toList();
    }

    public static final TableDef QUARANTINE = TableDef.builder(Layer.BRONZE, "quarantine",
                    "records that could not be parsed or broke the source contract, with the reason")
            .col("source", StringType, "crm, erp, web or calls")
            .col("entity", StringType, "file kind, e.g. contacts")
            .col("batch_date", DateType, "landing batch date")
            .col("source_file", StringType, "export file, relative to the landing folder")
            .col("raw_record", StringType, "the record as received (the raw line, or its fields as JSON)")
            .col("reason", StringType, "why it was rejected, e.g. 'missing required field last_name'")
            .col("ingested_at", TimestampType, "when the batch was ingested")
            .partitionBy("source", "batch_date").build();

    public static final TableDef INGEST_LOG = TableDef.builder(Layer.OPS, "ingest_log",
                    "one row per ingested file: rows in = rows kept + rows quarantined")
            .col("source", StringType, "source system")
            .col("entity", StringType, "file kind")
            .col("batch_date", DateType, "landing batch date")
            .col("source_file", StringType, "export file, relative to the landing folder")
            .col("file_fingerprint", StringType, "size and modification time; an unchanged batch is not re-ingested")
            .col("rows_in", LongType, "records read from the file")
            .col("rows_kept", LongType, "records written to bronze")
            .col("rows_quarantined", LongType, "records written to bronze.quarantine")
            .col("ingested_at", TimestampType, "when the batch was ingested")
            .key("source", "batch_date", "source_file")
            .partitionBy("source").build();

    public static final TableDef DQ_RESULTS = TableDef.builder(Layer.OPS, "dq_results",
                    "data-quality measurements per source, batch, entity and field, kept over time")
            .col("source", StringType, "source system")
            .col("entity", StringType, "file kind")
            .col("batch_date", DateType, "landing batch date")
            .col("field", StringType, "field measured, or * for whole records")
            .col("metric", StringType, "completeness, validity, uniqueness or parse_rate")
            .col("value", DoubleType, "share between 0 and 1")
            .col("threshold", DoubleType, "configured minimum, null when only tracked")
            .col("passed", BooleanType, "value >= threshold")
            .col("rows", LongType, "rows the share is computed over")
            .col("measured_at", TimestampType, "when the check ran")
            .key("source", "batch_date", "entity", "field", "metric")
            .partitionBy("source").build();

    // ---------------------------------------------------------------- silver

    public static final TableDef PERSONS = TableDef.builder(Layer.SILVER, "persons",
                    "every person record of every source, conformed; input of identity resolution")
            .col("record_key", StringType, "source:entity:record_id, unique")
            .col("source", StringType, "crm, erp, web or calls")
            .col("entity", StringType, "contacts, customers, users or calls")
            .col("record_id", StringType, "the record's id in its source")
            .col("full_name", StringType, "normalised name (whitespace, full-width folded, Title Case for Latin)")
            .col("first_name", StringType, "normalised given name, when the source splits names")
            .col("last_name", StringType, "normalised family name, when the source splits names")
            .col("name_key", StringType, "script-independent matching key: Han transliterated to pinyin, tokens sorted")
            .col("company", StringType, "company for B2B contacts")
            .col("email", StringType, "normalised e-mail, null when invalid")
            .col("email_is_placeholder", BooleanType, "e-mail is a placeholder such as noemail@example.com")
            .col("phone_e164", StringType, "phone in E.164, null when invalid")
            .col("birth_date", DateType, "birth date when known")
            .col("street", StringType, "street line")
            .col("city", StringType, "city")
            .col("postcode", StringType, "postal code")
            .col("country", StringType, "country as exported")
            .col("crm_contact_id", StringType, "cross-system id: the CRM contact an ERP customer points to")
            .col("owner_id", StringType, "CRM owner (sales rep)")
            .col("first_seen_at", TimestampType, "earliest timestamp of the record")
            .col("updated_at", TimestampType, "latest change of the record")
            .col("batch_date", DateType, "batch the surviving version came from")
            .key("record_key").build();

    public static final TableDef OWNERS = TableDef.builder(Layer.SILVER, "owners", "sales reps and their teams")
            .col("owner_id", StringType, "CRM user id").col("owner_name", StringType, "rep name")
            .col("team", StringType, "sales team").col("region", StringType, "sales region")
            .key("owner_id").build();

    public static final TableDef PRODUCTS = TableDef.builder(Layer.SILVER, "products", "ERP product catalogue")
            .col("product_id", StringType, "ERP product id").col("product_name", StringType, "name")
            .col("category", StringType, "category").col("unit_price", DoubleType, "list price")
            .key("product_id").build();

    public static final TableDef ORDERS = TableDef.builder(Layer.SILVER, "orders", "ERP orders, deduplicated")
            .col("order_id", StringType, "ERP order number")
            .col("customer_no", StringType, "ERP customer number")
            .col("record_key", StringType, "person record of the buyer (erp:customers:<customer_no>)")
            .col("ordered_at", TimestampType, "order time, UTC")
            .col("order_date", DateType, "order date, UTC")
            .col("channel", StringType, "sales channel").col("currency", StringType, "currency")
            .col("total_amount", DoubleType, "order total").col("status", StringType, "order status")
            .key("order_id").partitionBy().build();

    public static final TableDef ORDER_LINES = TableDef.builder(Layer.SILVER, "order_lines", "ERP order lines")
            .col("order_id", StringType, "order").col("line_no", IntegerType, "line number")
            .col("product_id", StringType, "product").col("category", StringType, "product category")
            .col("quantity", IntegerType, "units").col("unit_price", DoubleType, "price per unit")
            .col("line_amount", DoubleType, "line total")
            .key("order_id", "line_no").build();

    public static final TableDef INVOICES = TableDef.builder(Layer.SILVER, "invoices", "ERP invoices and payments")
            .col("invoice_id", StringType, "invoice").col("order_id", StringType, "order")
            .col("invoiced_at", TimestampType, "invoice time").col("amount", DoubleType, "invoiced amount")
            .col("paid_at", TimestampType, "payment time, null when unpaid")
            .col("payment_method", StringType, "payment method")
            .col("days_to_pay", IntegerType, "days from invoice to payment")
            .key("invoice_id").build();

    public static final TableDef RETURNS = TableDef.builder(Layer.SILVER, "returns", "ERP returns")
            .col("return_id", StringType, "return").col("order_id", StringType, "order")
            .col("product_id", StringType, "product").col("quantity", IntegerType, "units returned")
            .col("returned_at", TimestampType, "return time").col("reason", StringType, "return reason")
            .key("return_id").build();

    public static final TableDef WEB_EVENTS = TableDef.builder(Layer.SILVER, "web_events",
                    "web click events, deduplicated and sessionised (30 minutes of inactivity ends a session)")
            .col("event_id", StringType, "event id").col("event_ts", TimestampType, "event time, UTC")
            .col("event_date", DateType, "event date, UTC")
            .col("cookie_id", StringType, "browser cookie")
            .col("user_id", StringType, "web account id when logged in on this event")
            .col("session_id", StringType, "cookie_id + session number")
            .col("event_type", StringType, "page_view, product_view, add_to_cart, checkout, login, signup")
            .col("url", StringType, "page").col("product_id", StringType, "product viewed or added")
            .col("utm_source", StringType, "campaign source").col("utm_medium", StringType, "campaign medium")
            .col("utm_campaign", StringType, "campaign name")
            .key("event_id").partitionBy("event_date").build();

    public static final TableDef CALLS = TableDef.builder(Layer.SILVER, "calls",
                    "call-centre calls with a sentiment score of the transcript")
            .col("call_id", StringType, "call id")
            .col("record_key", StringType, "person record of the caller (calls:calls:<call_id>)")
            .col("caller_e164", StringType, "caller phone in E.164, null when invalid or withheld")
            .col("agent_id", StringType, "agent").col("started_at", TimestampType, "start, UTC")
            .col("duration_seconds", IntegerType, "duration").col("direction", StringType, "inbound or outbound")
            .col("reason", StringType, "call reason").col("outcome", StringType, "outcome")
            .col("transcript", StringType, "short transcript")
            .col("sentiment_score", DoubleType, "lexicon sentiment of the transcript, -1..1 (docs/NORMALISATION.md)")
            .col("is_negative", BooleanType, "sentiment below the negative threshold")
            .col("is_complaint", BooleanType, "reason is a complaint or the transcript is negative")
            .col("survey_score", IntegerType, "post-call survey 1-5")
            .key("call_id").build();

    public static final TableDef TICKETS = TableDef.builder(Layer.SILVER, "tickets", "CRM service tickets")
            .col("ticket_id", StringType, "ticket").col("contact_id", StringType, "CRM contact")
            .col("category", StringType, "category").col("priority", StringType, "priority")
            .col("opened_at", TimestampType, "opened").col("resolved_at", TimestampType, "resolved, null when open")
            .col("hours_to_resolve", DoubleType, "resolution time in hours").col("csat", IntegerType, "satisfaction 1-5")
            .key("ticket_id").build();

    public static final TableDef LEADS = TableDef.builder(Layer.SILVER, "leads", "CRM leads")
            .col("lead_id", StringType, "lead").col("contact_id", StringType, "CRM contact")
            .col("channel", StringType, "acquisition channel").col("campaign", StringType, "campaign")
            .col("status", StringType, "lead status").col("created_at", TimestampType, "created")
            .key("lead_id").build();

    public static final TableDef OPPORTUNITIES = TableDef.builder(Layer.SILVER, "opportunities", "CRM opportunities")
            .col("opportunity_id", StringType, "opportunity").col("contact_id", StringType, "CRM contact")
            .col("lead_id", StringType, "originating lead").col("owner_id", StringType, "owner")
            .col("amount", DoubleType, "amount").col("created_at", TimestampType, "created")
            .col("closed_at", TimestampType, "closed, null when open").col("stage", StringType, "current stage")
            .key("opportunity_id").build();

    public static final TableDef OPPORTUNITY_STAGES = TableDef.builder(Layer.SILVER, "opportunity_stages",
                    "stage history of opportunities: lead, qualified, quote, won or lost")
            .col("opportunity_id", StringType, "opportunity").col("stage", StringType, "stage entered")
            .col("entered_at", TimestampType, "when the stage was entered")
            .key("opportunity_id", "stage").build();

    public static final TableDef ACTIVITIES = TableDef.builder(Layer.SILVER, "activities", "CRM sales activities")
            .col("activity_id", StringType, "activity").col("contact_id", StringType, "CRM contact")
            .col("owner_id", StringType, "owner").col("activity_type", StringType, "email, call, meeting")
            .col("occurred_at", TimestampType, "when").col("subject", StringType, "subject")
            .key("activity_id").build();

    public static final TableDef CONSENTS = TableDef.builder(Layer.SILVER, "consents",
                    "marketing consent events per contact and channel")
            .col("contact_id", StringType, "CRM contact").col("channel", StringType, "email, sms or phone")
            .col("status", StringType, "opt_in or opt_out").col("recorded_at", TimestampType, "when recorded")
            .key("contact_id", "channel", "recorded_at").build();

    // ---------------------------------------------------------------- identity resolution (crm resolve)

    public static final TableDef IDENTITY_MAP = TableDef.builder(Layer.GOLD, "identity_map",
                    "which customer each person record belongs to; the input every gold table joins on")
            .col("record_key", StringType, "silver.persons record_key (source:entity:record_id)")
            .col("customer_id", StringType, "stable customer id")
            .col("match_rule", StringType, "how the record joined its customer: e.g. email, phone, crm_id, fuzzy_name_address, new")
            .col("resolved_on", DateType, "logical date of the resolve run")
            .key("record_key").build();

    public static final TableDef COOKIE_MAP = TableDef.builder(Layer.GOLD, "cookie_map",
                    "web cookies stitched to a customer once the cookie logged in or signed up (earlier visits included)")
            .col("cookie_id", StringType, "browser cookie")
            .col("customer_id", StringType, "customer the cookie belongs to")
            .col("stitched_at", TimestampType, "first login or signup seen on the cookie")
            .key("cookie_id").build();

    public static final TableDef IDENTITY_LINKS = TableDef.builder(Layer.GOLD, "identity_links",
                    "accepted links between person records, with the rule and the match weight; explains every merge")
            .col("record_a", StringType, "record_key of one side (the smaller key)")
            .col("record_b", StringType, "record_key of the other side")
            .col("rule", StringType, "email, phone, crm_id, web_order or fellegi_sunter (docs/IDENTITY.md)")
            .col("weight", DoubleType, "Fellegi-Sunter match weight in bits; null for deterministic rules")
            .col("evidence", StringType, "what agreed and what did not, e.g. 'name=exact phone=shared birth=agree'")
            .col("resolved_on", DateType, "logical date of the resolve run")
            .key("record_a", "record_b").build();

    public static final TableDef SHARED_KEYS = TableDef.builder(Layer.GOLD, "shared_keys",
                    "e-mails and phones used by several different people (a family landline, a shop's switchboard); "
                            + "they stop acting as match keys")
            .col("key_type", StringType, "email or phone")
            .col("key_value", StringType, "the normalised e-mail, or the last ten digits of the E.164 phone")
            .col("records", LongType, "person records carrying the value")
            .col("distinct_names", IntegerType, "distinct personal names among those records")
            .col("reason", StringType, "why the value counts as shared")
            .col("resolved_on", DateType, "logical date of the resolve run")
            .key("key_type", "key_value").build();

    public static final TableDef IDENTITY_HISTORY = TableDef.builder(Layer.GOLD, "identity_history",
                    "how customer ids changed between resolve runs: new customers, merges and splits, with the reason")
            .col("resolved_on", DateType, "logical date of the resolve run")
            .col("event", StringType, "new, merge or split")
            .col("customer_id", StringType, "the id that survives (merge), keeps its records (split) or is new")
            .col("other_customer_id", StringType, "the id merged into customer_id, or the id a split took records from")
            .col("records", LongType, "person records affected")
            .col("reason", StringType, "what caused it, e.g. the link rule that joined two customers")
            .key("resolved_on", "event", "customer_id", "other_customer_id")
            .partitionBy("resolved_on").build();

    public static final TableDef CUSTOMERS = TableDef.builder(Layer.GOLD, "customers",
                    "golden record: one row per customer, each attribute chosen by the survivorship rules "
                            + "(docs/IDENTITY.md) with the source it came from")
            .col("customer_id", StringType, "stable customer id")
            .col("full_name", StringType, "best personal name (not a company name)")
            .col("name_source", StringType, "record_key the name came from")
            .col("email", StringType, "best valid, non-placeholder e-mail")
            .col("email_source", StringType, "record_key the e-mail came from")
            .col("phone_e164", StringType, "best valid phone, preferring one not shared with other people")
            .col("phone_source", StringType, "record_key the phone came from")
            .col("birth_date", DateType, "birth date")
            .col("street", StringType, "street line of the best address")
            .col("city", StringType, "city of the best address")
            .col("postcode", StringType, "postal code of the best address")
            .col("country", StringType, "country of the best address")
            .col("address_source", StringType, "record_key the address came from")
            .col("company", StringType, "company for B2B contacts")
            .col("owner_id", StringType, "CRM owner of the most recent CRM contact")
            .col("records", LongType, "person records merged into the customer")
            .col("sources", StringType, "sources the customer is known in, e.g. crm,erp,web")
            .col("first_seen_at", TimestampType, "earliest timestamp of any of the records")
            .col("updated_at", TimestampType, "latest change of any of the records")
            .col("resolved_on", DateType, "logical date of the resolve run")
            .key("customer_id").build();

    // ---------------------------------------------------------------- gold customer 360 and analytics

    /** Silver tables in the order a reader meets them. */
    public static final List<TableDef> SILVER = List.of(PERSONS, OWNERS, PRODUCTS, ORDERS, ORDER_LINES, INVOICES,
            RETURNS, WEB_EVENTS, CALLS, TICKETS, LEADS, OPPORTUNITIES, OPPORTUNITY_STAGES, ACTIVITIES, CONSENTS);
}
