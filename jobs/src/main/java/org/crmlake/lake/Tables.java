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
        var b = TableDef.builder(Layer.BRONZE, source + "_" + entity, "raw " + source + " " + entity + " as received")
                .cols(cols).partitionBy("_batch_date");
        for (FieldSpec f : e.fields()) {
            PersonKey kind = BRONZE_PERSON_KEYS.get(f.name());
            if (kind != null && (kind != PersonKey.CALL || source.equals("calls"))) {
                b.personKey(f.name(), kind);
            }
        }
        return b.build();
    }

    /** Contract fields that tie a bronze record to a person (the same names in every source contract). */
    private static final java.util.Map<String, PersonKey> BRONZE_PERSON_KEYS = java.util.Map.of(
            "contact_id", PersonKey.CRM_CONTACT, "customer_ref", PersonKey.CRM_CONTACT,
            "opportunity_id", PersonKey.CRM_OPPORTUNITY, "customer_no", PersonKey.ERP_CUSTOMER,
            "order_id", PersonKey.ERP_ORDER, "user_id", PersonKey.WEB_USER, "cookie_id", PersonKey.WEB_COOKIE,
            "call_id", PersonKey.CALL, "crm_contact_id", PersonKey.CRM_CONTACT);

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
            .partitionBy("source", "batch_date").personKey("raw_record", PersonKey.TEXT).build();

    public static final TableDef INGEST_LOG = TableDef.builder(Layer.OPS, "ingest_log",
                    "one row per ingested file: rows in = rows kept + rows quarantined + rows suppressed")
            .col("source", StringType, "source system")
            .col("entity", StringType, "file kind")
            .col("batch_date", DateType, "landing batch date")
            .col("source_file", StringType, "export file, relative to the landing folder")
            .col("file_fingerprint", StringType, "size and modification time; an unchanged batch is not re-ingested")
            .col("rows_in", LongType, "records read from the file")
            .col("rows_kept", LongType, "records written to bronze")
            .col("rows_quarantined", LongType, "records written to bronze.quarantine")
            .col("rows_suppressed", LongType, "records of people who were forgotten (privacy.suppressed_identifiers), dropped unread")
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
            .col("passed", BooleanType, "value >= threshold, or only one row failing; null when only tracked or computed over fewer than 20 rows (too few to judge)")
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
            .col("crm_contact_id", StringType, "cross-system id: the CRM contact an ERP customer or a verified call points to")
            .col("owner_id", StringType, "CRM owner (sales rep)")
            .col("first_seen_at", TimestampType, "earliest timestamp of the record")
            .col("updated_at", TimestampType, "latest change of the record")
            .col("batch_date", DateType, "batch the surviving version came from")
            .key("record_key").personKey("record_key", PersonKey.RECORD).personKey("crm_contact_id", PersonKey.CRM_CONTACT).build();

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
            .key("order_id").partitionBy().personKey("record_key", PersonKey.RECORD).personKey("customer_no", PersonKey.ERP_CUSTOMER).personKey("order_id", PersonKey.ERP_ORDER).build();

    public static final TableDef ORDER_LINES = TableDef.builder(Layer.SILVER, "order_lines", "ERP order lines")
            .col("order_id", StringType, "order").col("line_no", IntegerType, "line number")
            .col("product_id", StringType, "product").col("category", StringType, "product category")
            .col("quantity", IntegerType, "units").col("unit_price", DoubleType, "price per unit")
            .col("line_amount", DoubleType, "line total")
            .key("order_id", "line_no").personKey("order_id", PersonKey.ERP_ORDER).build();

    public static final TableDef INVOICES = TableDef.builder(Layer.SILVER, "invoices", "ERP invoices and payments")
            .col("invoice_id", StringType, "invoice").col("order_id", StringType, "order")
            .col("invoiced_at", TimestampType, "invoice time").col("amount", DoubleType, "invoiced amount")
            .col("paid_at", TimestampType, "payment time, null when unpaid")
            .col("payment_method", StringType, "payment method")
            .col("days_to_pay", IntegerType, "days from invoice to payment")
            .key("invoice_id").personKey("order_id", PersonKey.ERP_ORDER).build();

    public static final TableDef RETURNS = TableDef.builder(Layer.SILVER, "returns", "ERP returns")
            .col("return_id", StringType, "return").col("order_id", StringType, "order")
            .col("product_id", StringType, "product").col("quantity", IntegerType, "units returned")
            .col("returned_at", TimestampType, "return time").col("reason", StringType, "return reason")
            .key("return_id").personKey("order_id", PersonKey.ERP_ORDER).build();

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
            .key("event_id").partitionBy("event_date").personKey("user_id", PersonKey.WEB_USER).personKey("cookie_id", PersonKey.WEB_COOKIE).build();

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
            .key("call_id").personKey("record_key", PersonKey.RECORD).personKey("call_id", PersonKey.CALL).build();

    public static final TableDef TICKETS = TableDef.builder(Layer.SILVER, "tickets", "CRM service tickets")
            .col("ticket_id", StringType, "ticket").col("contact_id", StringType, "CRM contact")
            .col("category", StringType, "category").col("priority", StringType, "priority")
            .col("opened_at", TimestampType, "opened").col("resolved_at", TimestampType, "resolved, null when open")
            .col("hours_to_resolve", DoubleType, "resolution time in hours").col("csat", IntegerType, "satisfaction 1-5")
            .key("ticket_id").personKey("contact_id", PersonKey.CRM_CONTACT).build();

    public static final TableDef LEADS = TableDef.builder(Layer.SILVER, "leads", "CRM leads")
            .col("lead_id", StringType, "lead").col("contact_id", StringType, "CRM contact")
            .col("channel", StringType, "acquisition channel").col("campaign", StringType, "campaign")
            .col("status", StringType, "lead status").col("created_at", TimestampType, "created")
            .key("lead_id").personKey("contact_id", PersonKey.CRM_CONTACT).build();

    public static final TableDef OPPORTUNITIES = TableDef.builder(Layer.SILVER, "opportunities", "CRM opportunities")
            .col("opportunity_id", StringType, "opportunity").col("contact_id", StringType, "CRM contact")
            .col("lead_id", StringType, "originating lead").col("owner_id", StringType, "owner")
            .col("amount", DoubleType, "amount").col("created_at", TimestampType, "created")
            .col("closed_at", TimestampType, "closed, null when open").col("stage", StringType, "current stage")
            .key("opportunity_id").personKey("opportunity_id", PersonKey.CRM_OPPORTUNITY).personKey("contact_id", PersonKey.CRM_CONTACT).build();

    public static final TableDef OPPORTUNITY_STAGES = TableDef.builder(Layer.SILVER, "opportunity_stages",
                    "stage history of opportunities: lead, qualified, quote, won or lost")
            .col("opportunity_id", StringType, "opportunity").col("stage", StringType, "stage entered")
            .col("entered_at", TimestampType, "when the stage was entered")
            .key("opportunity_id", "stage").personKey("opportunity_id", PersonKey.CRM_OPPORTUNITY).build();

    public static final TableDef ACTIVITIES = TableDef.builder(Layer.SILVER, "activities", "CRM sales activities")
            .col("activity_id", StringType, "activity").col("contact_id", StringType, "CRM contact")
            .col("owner_id", StringType, "owner").col("activity_type", StringType, "email, call, meeting")
            .col("occurred_at", TimestampType, "when").col("subject", StringType, "subject")
            .key("activity_id").personKey("contact_id", PersonKey.CRM_CONTACT).build();

    public static final TableDef CONSENTS = TableDef.builder(Layer.SILVER, "consents",
                    "marketing consent events per contact and channel")
            .col("contact_id", StringType, "CRM contact").col("channel", StringType, "email, sms or phone")
            .col("status", StringType, "opt_in or opt_out").col("recorded_at", TimestampType, "when recorded")
            .key("contact_id", "channel", "recorded_at").personKey("contact_id", PersonKey.CRM_CONTACT).build();

    // ---------------------------------------------------------------- identity resolution (crm resolve)

    public static final TableDef IDENTITY_MAP = TableDef.builder(Layer.GOLD, "identity_map",
                    "which customer each person record belongs to; the input every gold table joins on")
            .col("record_key", StringType, "silver.persons record_key (source:entity:record_id)")
            .col("customer_id", StringType, "stable customer id")
            .col("match_rule", StringType, "how the record joined its customer: e.g. email, phone, crm_id, fuzzy_name_address, new")
            .col("resolved_on", DateType, "logical date of the resolve run")
            .key("record_key").personKey("record_key", PersonKey.RECORD).personKey("customer_id", PersonKey.CUSTOMER).build();

    public static final TableDef COOKIE_MAP = TableDef.builder(Layer.GOLD, "cookie_map",
                    "web cookies stitched to a customer once the cookie logged in or signed up (earlier visits included)")
            .col("cookie_id", StringType, "browser cookie")
            .col("customer_id", StringType, "customer the cookie belongs to")
            .col("stitched_at", TimestampType, "first login or signup seen on the cookie")
            .key("cookie_id").personKey("cookie_id", PersonKey.WEB_COOKIE).personKey("customer_id", PersonKey.CUSTOMER).build();

    public static final TableDef IDENTITY_LINKS = TableDef.builder(Layer.GOLD, "identity_links",
                    "accepted links between person records, with the rule and the match weight; explains every merge")
            .col("record_a", StringType, "record_key of one side (the smaller key)")
            .col("record_b", StringType, "record_key of the other side")
            .col("rule", StringType, "email, phone, crm_id, web_order or fellegi_sunter (docs/IDENTITY.md)")
            .col("weight", DoubleType, "Fellegi-Sunter match weight in bits; null for deterministic rules")
            .col("evidence", StringType, "what agreed and what did not, e.g. 'name=exact phone=shared birth=agree'")
            .col("resolved_on", DateType, "logical date of the resolve run")
            .key("record_a", "record_b").personKey("record_a", PersonKey.RECORD).personKey("record_b", PersonKey.RECORD).build();

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
            .partitionBy("resolved_on").personKey("customer_id", PersonKey.CUSTOMER).personKey("other_customer_id", PersonKey.CUSTOMER).build();

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
            .key("customer_id").personKey("customer_id", PersonKey.CUSTOMER).build();

    /** Identity resolution tables, in the order a reader meets them. */
    public static final List<TableDef> IDENTITY = List.of(IDENTITY_MAP, CUSTOMERS, IDENTITY_LINKS, SHARED_KEYS,
            IDENTITY_HISTORY, COOKIE_MAP);

    // ---------------------------------------------------------------- gold customer 360 and analytics

    public static final TableDef CUSTOMER_360 = TableDef.builder(Layer.GOLD, "customer_360",
                    "one row per customer per as-of date, from silver only; data after the as-of date is ignored")
            .col("as_of_date", DateType, "logical date of the snapshot (the run's --date)")
            .col("customer_id", StringType, "customer, from gold.identity_map")
            .col("person_records", LongType, "person records (all sources) linked to the customer")
            .col("full_name", StringType, "best name: CRM first, then ERP, web, calls; latest updated_at within a source")
            .col("email", StringType, "best e-mail (placeholders skipped), same source preference")
            .col("phone_e164", StringType, "best phone in E.164, same source preference")
            .col("city", StringType, "best city, same source preference")
            .col("country", StringType, "best country, same source preference")
            .col("email_consent", StringType, "opt_in or opt_out: latest e-mail consent event up to the date, null when none")
            .col("sms_consent", StringType, "opt_in or opt_out: latest SMS consent event up to the date, null when none")
            .col("phone_consent", StringType, "opt_in or opt_out: latest phone consent event up to the date, null when none")
            .col("owner_id", StringType, "CRM owner (sales rep) of the best record that has one")
            .col("owner_name", StringType, "owner's name, from silver.owners")
            .col("team", StringType, "owner's sales team")
            .col("region", StringType, "owner's sales region")
            .col("orders_count", LongType, "orders up to the date, cancelled orders excluded")
            .col("revenue", DoubleType, "sum of order totals up to the date")
            .col("avg_order_value", DoubleType, "revenue / orders_count, null without orders")
            .col("first_order_date", DateType, "date of the first order")
            .col("last_order_date", DateType, "date of the latest order")
            .col("days_since_first_order", IntegerType, "as_of_date - first_order_date in days")
            .col("days_since_last_order", IntegerType, "as_of_date - last_order_date in days")
            .col("returns_count", LongType, "returns up to the date of the customer's orders")
            .col("returned_amount", DoubleType, "returned units x unit price of the returned order line")
            .col("lifetime_value", DoubleType, "historical lifetime value: revenue - returned_amount")
            .col("recency_score", IntegerType, "RFM R 1-5: ntile(5) over customers with orders by last order date; most recent = 5")
            .col("frequency_score", IntegerType, "RFM F 1-5: ntile(5) by orders_count; most orders = 5")
            .col("monetary_score", IntegerType, "RFM M 1-5: ntile(5) by revenue; highest = 5")
            .col("rfm_segment", StringType, "standard R x FM segment name (rules/customer_rules.sql), null without orders")
            .col("cumulative_revenue_share", DoubleType, "share of all customers' revenue of this customer and every bigger one")
            .col("abc_tier", StringType, "A: customers making the top a_share of revenue, B: the next b_share, C: rest and no revenue (gold.yaml)")
            .col("median_days_between_orders", DoubleType, "typical purchase cycle: median days between consecutive orders")
            .col("expected_next_order_date", DateType, "last_order_date + median_days_between_orders (rounded)")
            .col("sessions_7d", LongType, "web sessions started in the 7 days ending on the date")
            .col("sessions_30d", LongType, "web sessions started in the 30 days ending on the date")
            .col("sessions_90d", LongType, "web sessions started in the 90 days ending on the date")
            .col("sessions_365d", LongType, "web sessions started in the 365 days ending on the date")
            .col("product_views_7d", LongType, "product_view events in 7 days")
            .col("product_views_30d", LongType, "product_view events in 30 days")
            .col("product_views_90d", LongType, "product_view events in 90 days")
            .col("product_views_365d", LongType, "product_view events in 365 days")
            .col("add_to_carts_7d", LongType, "add_to_cart events in 7 days")
            .col("add_to_carts_30d", LongType, "add_to_cart events in 30 days")
            .col("add_to_carts_90d", LongType, "add_to_cart events in 90 days")
            .col("add_to_carts_365d", LongType, "add_to_cart events in 365 days")
            .col("abandoned_carts_7d", LongType, "sessions in 7 days with an add_to_cart and no checkout")
            .col("abandoned_carts_30d", LongType, "sessions in 30 days with an add_to_cart and no checkout")
            .col("abandoned_carts_90d", LongType, "sessions in 90 days with an add_to_cart and no checkout")
            .col("abandoned_carts_365d", LongType, "sessions in 365 days with an add_to_cart and no checkout")
            .col("last_visit_at", TimestampType, "latest web event (cookies via gold.cookie_map, logins via web:users)")
            .col("open_tickets", LongType, "tickets opened by the date and not resolved by then")
            .col("median_hours_to_resolve", DoubleType, "median hours_to_resolve of tickets resolved by the date")
            .col("complaints", LongType, "complaint tickets + complaint calls up to the date")
            .col("calls_count", LongType, "call-centre calls up to the date")
            .col("negative_call_share", DoubleType, "share of calls with negative sentiment, null without calls")
            .col("last_csat", IntegerType, "latest satisfaction score 1-5: ticket CSAT at resolution or post-call survey")
            .col("csat_below_4", BooleanType, "last_csat < 4")
            .col("leads_count", LongType, "CRM leads of the customer created by the date")
            .col("open_opportunities", LongType, "CRM opportunities created by the date and not closed by then")
            .col("last_contact_at", TimestampType, "latest sales activity, call or ticket")
            .col("days_since_last_contact", IntegerType, "as_of_date - date of last_contact_at")
            .col("lifecycle_stage", StringType, "prospect, lead, new, active, loyal, at risk or churned (rules/customer_rules.sql)")
            .col("tags", org.apache.spark.sql.types.DataTypes.createArrayType(StringType),
                    "high value, churn risk, high intent, unhappy, cart abandoner (rules/customer_rules.sql)")
            .key("as_of_date", "customer_id").partitionBy("as_of_date").personKey("customer_id", PersonKey.CUSTOMER).build();

    public static final TableDef FUNNEL = TableDef.builder(Layer.GOLD, "funnel",
                    "sales funnel lead -> qualified -> quote -> won/lost per month of entry, owner, team and channel")
            .col("as_of_date", DateType, "stages entered after this date are not counted")
            .col("period_month", DateType, "first day of the month the lead entered the funnel")
            .col("owner_id", StringType, "opportunity owner, 'unassigned' for leads without an opportunity")
            .col("owner_name", StringType, "owner's name")
            .col("team", StringType, "owner's sales team")
            .col("channel", StringType, "acquisition channel of the lead, 'none' for opportunities without a lead")
            .col("leads", LongType, "leads and opportunities that entered the funnel")
            .col("qualified", LongType, "of those, reached qualified (or a later stage other than lost)")
            .col("quotes", LongType, "reached quote (or won)")
            .col("won", LongType, "won")
            .col("lost", LongType, "lost")
            .col("lead_to_qualified_rate", DoubleType, "qualified / leads")
            .col("qualified_to_quote_rate", DoubleType, "quotes / qualified, null when no qualified")
            .col("quote_to_won_rate", DoubleType, "won / quotes, null when no quotes")
            .col("win_rate", DoubleType, "won / (won + lost), null when none closed")
            .col("median_days_lead_to_qualified", DoubleType, "median days from entry to qualified")
            .col("median_days_qualified_to_quote", DoubleType, "median days from qualified to quote")
            .col("median_days_quote_to_won", DoubleType, "median days from quote to won")
            .col("median_days_lead_to_close", DoubleType, "median days from entry to won or lost")
            .key("period_month", "owner_id", "channel").build();

    public static final TableDef KPI_DAILY = TableDef.builder(Layer.GOLD, "kpi_daily",
                    "daily KPIs for the whole business (region 'all') and per sales region")
            .col("as_of_date", DateType, "the date")
            .col("region", StringType, "'all', an owner region, or 'unknown' for customers without an owner")
            .col("customers", LongType, "customers in gold.customer_360 on the date")
            .col("new_customers", LongType, "customers whose first order is on the date")
            .col("orders", LongType, "orders placed on the date (cancelled excluded)")
            .col("revenue", DoubleType, "order totals on the date")
            .col("active_customers", LongType, "customers who ordered within kpi.active_days (gold.yaml)")
            .col("churned_customers", LongType, "customers in lifecycle stage churned")
            .col("ticket_backlog", LongType, "tickets open at the end of the date")
            .col("csat", DoubleType, "average CSAT of tickets resolved on the date, null when none")
            .key("as_of_date", "region").partitionBy("as_of_date").build();

    public static final TableDef ALERTS = TableDef.builder(Layer.GOLD, "alerts",
                    "anomalies found on a date by the documented rules of build-kpis and score-customers")
            .col("as_of_date", DateType, "the date")
            .col("rule", StringType, "region_orders_drop, tier_a_at_risk (build-kpis) or model_drift (score-customers)")
            .col("subject", StringType, "the region, the customer_id, or model/feature the alert is about")
            .col("value", DoubleType, "orders on the date (region_orders_drop), PSI (model_drift); null for tier_a_at_risk")
            .col("baseline", DoubleType, "trailing daily average orders (region_orders_drop), the PSI threshold (model_drift)")
            .col("message", StringType, "one line a person reads")
            .key("as_of_date", "rule", "subject").partitionBy("as_of_date").personKey("subject", PersonKey.CUSTOMER).build();

    /** Gold tables built by the customer 360 and analytics jobs. */
    public static final List<TableDef> GOLD_ANALYTICS = List.of(CUSTOMER_360, FUNNEL, KPI_DAILY, ALERTS);

    // ---------------------------------------------------------------- gold model features and scores

    /**
     * Model features as of a cutoff date: only data up to the end of the cutoff day is used, so a
     * snapshot rebuilt later is the same (point in time). The text before ';' of each feature's
     * description is its plain name in score reasons. Never-happened "days since" values are 730.
     */
    public static final TableDef FEATURES = TableDef.builder(Layer.GOLD, "features",
                    "model features per customer as of a cutoff date, and the labels observed after it (docs/MODELS.md)")
            .col("cutoff_date", DateType, "features use data up to the end of this day only")
            .col("customer_id", StringType, "customer, from gold.identity_map")
            .col("orders_count", DoubleType, "orders so far")
            .col("revenue", DoubleType, "revenue so far")
            .col("avg_order_value", DoubleType, "average order value; 0 without orders")
            .col("orders_30d", DoubleType, "orders in the last 30 days")
            .col("orders_90d", DoubleType, "orders in the last 90 days")
            .col("orders_365d", DoubleType, "orders in the last 365 days")
            .col("revenue_365d", DoubleType, "revenue in the last 365 days")
            .col("order_rate_365d", DoubleType, "orders per 30 days over the days of the last 365 the customer could be seen (known_days)")
            .col("days_since_first_order", DoubleType, "days since the first order; 730 when none")
            .col("days_since_last_order", DoubleType, "days since the last order; 730 when none")
            .col("median_days_between_orders", DoubleType, "usual days between orders; 730 with fewer than two orders")
            .col("days_past_expected_order", DoubleType,
                    "days past the expected next order; last order + usual gap, negative when not yet due, 0 when unknown")
            .col("returns_count", DoubleType, "returns so far")
            .col("returned_amount", DoubleType, "value returned so far")
            .col("return_rate", DoubleType, "returns per order so far; 0 without orders")
            .col("recency_score", DoubleType, "RFM recency score; 1-5, 0 without orders")
            .col("frequency_score", DoubleType, "RFM frequency score; 1-5, 0 without orders")
            .col("monetary_score", DoubleType, "RFM monetary score; 1-5, 0 without orders")
            .col("sessions_7d", DoubleType, "web visits in the last 7 days")
            .col("sessions_30d", DoubleType, "web visits in the last 30 days")
            .col("sessions_90d", DoubleType, "web visits in the last 90 days")
            .col("product_views_30d", DoubleType, "product views in the last 30 days")
            .col("product_views_90d", DoubleType, "product views in the last 90 days")
            .col("add_to_carts_30d", DoubleType, "items added to the cart in the last 30 days")
            .col("abandoned_carts_90d", DoubleType, "abandoned carts in the last 90 days")
            .col("sessions_365d", DoubleType, "web visits in the last 365 days")
            .col("visit_rate_365d", DoubleType, "web visits per 30 days over known_days")
            .col("days_since_last_visit", DoubleType, "days since the last web visit; 730 when none")
            .col("open_tickets", DoubleType, "open service tickets")
            .col("tickets_30d", DoubleType, "service tickets opened in the last 30 days")
            .col("tickets_90d", DoubleType, "service tickets opened in the last 90 days")
            .col("complaint_tickets_60d", DoubleType, "complaint tickets opened in the last 60 days")
            .col("csat_60d", DoubleType, "average satisfaction score of tickets opened in the last 60 days and rated by the cutoff; 0 when none rated")
            .col("csat_365d", DoubleType, "average satisfaction score of tickets opened in the last 365 days and rated by the cutoff; 0 when none rated")
            .col("ticket_rate_365d", DoubleType, "service tickets opened per 30 days over known_days")
            .col("days_since_last_ticket", DoubleType, "days since the last service ticket; 730 when none")
            .col("median_hours_to_resolve", DoubleType, "usual hours to resolve a ticket; 0 without resolved tickets")
            .col("complaints", DoubleType, "complaints so far (tickets and calls)")
            .col("calls_count", DoubleType, "calls to the call centre so far")
            .col("calls_90d", DoubleType, "calls in the last 90 days")
            .col("negative_calls_90d", DoubleType, "calls with negative sentiment in the last 90 days")
            .col("inbound_calls_30d", DoubleType, "calls from the customer in the last 30 days")
            .col("inbound_call_rate_365d", DoubleType, "calls from the customer per 30 days over known_days")
            .col("negative_calls_30d", DoubleType, "calls with negative sentiment in the last 30 days")
            .col("complaint_calls_60d", DoubleType, "complaint calls in the last 60 days")
            .col("cancellation_calls", DoubleType, "calls to cancel so far")
            .col("days_since_last_call", DoubleType, "days since the last call; 730 when none")
            .col("negative_call_share", DoubleType, "share of calls with negative sentiment; 0 without calls")
            .col("last_csat", DoubleType, "latest satisfaction score; 1-5, 0 when never rated")
            .col("leads_count", DoubleType, "sales leads so far")
            .col("open_opportunities", DoubleType, "open sales opportunities")
            .col("days_since_last_contact", DoubleType, "days since the last sales or service contact; 730 when none")
            .col("email_consent", DoubleType, "e-mail consent; 1 opted in, -1 opted out, 0 unknown")
            .col("sms_consent", DoubleType, "SMS consent; 1 opted in, -1 opted out, 0 unknown")
            .col("opt_outs_60d", DoubleType, "consents withdrawn on any channel in the last 60 days")
            .col("retention_contacts_60d", DoubleType,
                    "retention contacts by sales in the last 60 days; activities whose subject says retention, win-back or cancel")
            .col("age_years", DoubleType, "age in years; 0 when the birth date is unknown")
            .col("is_b2b", DoubleType, "buys for a company; 1 when a source record names a company, else 0")
            .col("known_days", DoubleType,
                    "days of the last 365 the customer could be seen: since their first record and the start of the order history")
            .col("person_records", DoubleType, "source records linked to the customer")
            .col("churn_eligible", BooleanType, "ordered in the label's activity window (default 365 days) before the cutoff")
            .col("label_churn", IntegerType,
                    "1 when an eligible customer placed no order in the churn horizon (default 90 days) after the cutoff; "
                            + "null when not eligible or the horizon runs past the data")
            .col("label_purchase", IntegerType,
                    "1 when the customer ordered (in the label category, if set) within the purchase horizon "
                            + "(default 30 days) after the cutoff; null when the horizon runs past the data")
            .col("label_definition", StringType, "the label settings used, e.g. churn 90d after active 365d; purchase 30d any category")
            .key("cutoff_date", "customer_id").partitionBy("cutoff_date").personKey("customer_id", PersonKey.CUSTOMER).build();

    /** Names of the model features: the FEATURES columns between customer_id and the labels. */
    public static List<String> featureNames() {
        List<String> names = FEATURES.columnNames();
        return List.copyOf(names.subList(names.indexOf("customer_id") + 1, names.indexOf("churn_eligible")));
    }

    public static final TableDef SCORES = TableDef.builder(Layer.GOLD, "scores",
                    "champion model scores per customer and date, with the top three reasons in plain words; churn "
                            + "scores only customers who ordered within the active window (the churn model's population)")
            .col("as_of_date", DateType, "features as of this date were scored")
            .col("customer_id", StringType, "customer")
            .col("model", StringType, "churn or propensity")
            .col("version", IntegerType, "registry version of the champion that scored")
            .col("score", DoubleType, "calibrated probability of the label (churn in 90 days, order in 30 days by default)")
            .col("decile", IntegerType, "1 = the tenth of customers with the highest scores on the date, 10 = lowest")
            .col("reason_1", StringType, "the feature that moved this customer's score most, in plain words")
            .col("reason_2", StringType, "the second reason")
            .col("reason_3", StringType, "the third reason")
            .col("scored_at", TimestampType, "when the scoring ran")
            .key("as_of_date", "model", "customer_id").partitionBy("as_of_date", "model").personKey("customer_id", PersonKey.CUSTOMER).build();

    public static final TableDef MODEL_DRIFT = TableDef.builder(Layer.GOLD, "model_drift",
                    "population stability index (PSI) of each feature and of the score on a date against the training data")
            .col("as_of_date", DateType, "scoring date")
            .col("model", StringType, "churn or propensity")
            .col("version", IntegerType, "champion version")
            .col("feature", StringType, "feature name, or 'score'")
            .col("psi", DoubleType, "sum over training deciles of (now - train) x ln(now / train); above 0.2 is drift")
            .col("drifted", BooleanType, "psi above 0.2; also written to gold.alerts as rule model_drift")
            .key("as_of_date", "model", "feature").partitionBy("as_of_date").build();

    /** Model tables: features, scores and drift. */
    public static final List<TableDef> MODELS = List.of(FEATURES, SCORES, MODEL_DRIFT);


    // ---------------------------------------------------------------- gold value models

    public static final TableDef CLV = TableDef.builder(Layer.GOLD, "clv",
                    "probabilistic customer lifetime value per customer with orders per as-of date: BG/NBD purchases x Gamma-Gamma spend (docs/CLV.md)")
            .col("as_of_date", DateType, "end of the calibration period: orders up to the end of this day (UTC)")
            .col("customer_id", StringType, "customer, from gold.identity_map; only customers with an order up to the date")
            .col("frequency", LongType, "x: repeat purchase days = distinct order days - 1 (cancelled orders excluded)")
            .col("recency_days", IntegerType, "t_x: days from the first order day to the last order day")
            .col("age_days", IntegerType, "T: days from the first order day to as_of_date")
            .col("avg_order_value", DoubleType, "mean value of the repeat order days (first order day excluded); null when frequency = 0")
            .col("p_alive", DoubleType, "BG/NBD probability the customer is still active; 1 when frequency = 0 (the model's assumption)")
            .col("expected_purchases_90d", DoubleType, "BG/NBD expected order days in the 90 days after as_of_date")
            .col("expected_purchases_365d", DoubleType, "BG/NBD expected order days in the 365 days after as_of_date")
            .col("expected_order_value", DoubleType, "Gamma-Gamma expected value of a future order day; population mean when frequency = 0")
            .col("clv_365d", DoubleType, "expected_purchases_365d x expected_order_value: undiscounted 365-day revenue, no margin")
            .key("as_of_date", "customer_id").partitionBy("as_of_date").personKey("customer_id", PersonKey.CUSTOMER).build();

    public static final TableDef CLV_PARAMETERS = TableDef.builder(Layer.GOLD, "clv_parameters",
                    "fitted parameters of the CLV models per as-of date, one row per parameter (time unit: days)")
            .col("as_of_date", DateType, "end of the calibration period")
            .col("model", StringType, "bg_nbd or gamma_gamma")
            .col("parameter", StringType, "bg_nbd: r, alpha (days), a, b; gamma_gamma: p, q, gamma")
            .col("value", DoubleType, "maximum-likelihood estimate")
            .col("customers_fitted", LongType, "customers the model was fitted on (gamma_gamma: those with a repeat order of positive value)")
            .col("log_likelihood", DoubleType, "log-likelihood of the fitted customers at the estimate")
            .key("as_of_date", "model", "parameter").partitionBy("as_of_date").build();

    public static final TableDef RECOMMENDATIONS = TableDef.builder(Layer.GOLD, "recommendations",
                    "next-best products per customer: co-purchase patterns first, the most-bought products filling up to 3; "
                            + "products the customer already bought excluded")
            .col("as_of_date", DateType, "orders up to the end of this day (UTC) are used")
            .col("customer_id", StringType, "customer, from gold.identity_map")
            .col("rank", IntegerType, "1 = best; 1 to 3")
            .col("product_id", StringType, "recommended product, never one the customer bought up to the date")
            .col("product_name", StringType, "name from silver.products")
            .col("category", StringType, "category from silver.products")
            .col("score", DoubleType,
                    "bought_with: sum over the customer's bought products X of the cosine similarity co-buyers / sqrt(buyers of X "
                            + "x buyers of the recommended one), pairs with 3+ co-buyers and lift > 1, each product's 20 most similar; "
                            + "popular: share of the customers who bought anything up to the date who bought it")
            .col("basis", StringType, "bought_with (co-purchases of the customer's products) or popular (filling up to 3, "
                    + "e.g. for customers who never bought); bought_with rows rank first")
            .col("because_product_id", StringType,
                    "bought_with: the bought product most similar to the recommended one ('bought with ...'); popular: null")
            .col("because_product_name", StringType, "its name")
            .key("as_of_date", "customer_id", "rank").partitionBy("as_of_date").personKey("customer_id", PersonKey.CUSTOMER).build();

    /** Gold tables of the value models (fit-clv, recommend-products). */
    public static final List<TableDef> GOLD_VALUE = List.of(CLV, CLV_PARAMETERS, RECOMMENDATIONS);

    // ---------------------------------------------------------------- gold segments

    public static final TableDef SEGMENTS = TableDef.builder(Layer.GOLD, "segments",
                    "segments built on a date from the SQL files in sql/segments/ (job build-segments), with their size")
            .col("as_of_date", DateType, "date whose customer_360 and scores the segment SQL selected from")
            .col("segment", StringType, "segment name, from the file's '-- name:' header line")
            .col("description", StringType, "from the '-- description:' header line")
            .col("owner", StringType, "who maintains the segment, from the '-- owner:' header line")
            .col("file", StringType, "the segment's SQL file name, e.g. rfm_champions.sql")
            .col("members", LongType, "distinct customers the SQL selected on the date")
            .key("as_of_date", "segment").partitionBy("as_of_date").build();

    public static final TableDef SEGMENT_MEMBERSHIP = TableDef.builder(Layer.GOLD, "segment_membership",
                    "when each customer entered and left each segment: one open row (left_on null) per current member, "
                            + "kept with Delta MERGE by build-segments")
            .col("segment", StringType, "segment name, as in gold.segments")
            .col("customer_id", StringType, "customer, from gold.customer_360")
            .col("entered_on", DateType, "first as-of date of this stay in the segment")
            .col("left_on", DateType, "first as-of date the customer was no longer selected; null while a member")
            .key("segment", "customer_id", "entered_on").personKey("customer_id", PersonKey.CUSTOMER).build();

    /** Segment tables (build-segments). */
    public static final List<TableDef> GOLD_SEGMENTS = List.of(SEGMENTS, SEGMENT_MEMBERSHIP);

    // ---------------------------------------------------------------- governance: erasure requests and the audit log

    /**
     * One row per erasure ({@code crm forget}) or recorded request: identifiers only as unsalted SHA-256,
     * so a person who comes back under a new customer id (or only as an e-mail on a list) is still
     * recognised by audiences, and no clear personal data is kept.
     */
    public static final TableDef ERASURE_REQUESTS = TableDef.builder(Layer.PRIVACY, "erasure_requests",
                    "people who asked to be forgotten; never exported again (matched on customer_id or a hashed "
                            + "identifier); one row per request, more when the person had several ids, e-mails or phones; "
                            + "holds no clear personal data")
            .col("request_id", StringType, "id of the request, e.g. the ticket that recorded it")
            .col("customer_id", StringType, "customer the request was about, when known")
            .col("email_hash", StringType, "keyed hash (HMAC-SHA256 with the lake's hash key, lowercase hex; plain SHA-256 "
                    + "when the lake has no key file) of the trimmed, lower-cased e-mail; null when none")
            .col("phone_hash", StringType, "keyed hash, as email_hash, of the E.164 phone including '+'; null when none")
            .col("requested_at", TimestampType, "when the person asked")
            .col("recorded_by", StringType, "user who recorded the request")
            .build();

    public static final TableDef SUPPRESSED_IDENTIFIERS = TableDef.builder(Layer.PRIVACY, "suppressed_identifiers",
                    "source ids of forgotten people, hashed: a re-ingested old export does not bring them back "
                            + "(ingest drops records carrying one)")
            .col("request_id", StringType, "erasure request the identifier was recorded for")
            .col("kind", StringType, "crm_contact, crm_opportunity, erp_customer, erp_order, web_user, web_cookie or call")
            .col("value_hash", StringType, "keyed hash (HMAC-SHA256 with the lake's hash key, lowercase hex; plain SHA-256 "
                    + "when the lake has no key file) of the id as exported")
            .key("kind", "value_hash").build();

    public static final TableDef ERASURE_LOG = TableDef.builder(Layer.PRIVACY, "erasure_log",
                    "what each erasure removed, table by table and file by file; counts only, no personal data")
            .col("request_id", StringType, "erasure request")
            .col("target", StringType, "table (bronze.crm_contacts), audience file path, or the warehouse file")
            .col("kind", StringType, "table, audience_file, warehouse, report or read_audit")
            .col("rows_removed", LongType, "rows of the person removed")
            .col("erased_at", TimestampType, "when the target was rewritten")
            .key("request_id", "target").build();

    public static final TableDef AUDIT_LOG = TableDef.builder(Layer.OPS, "audit_log",
                    "every export of personal data, allowed, refused or failed: who, as which role, what, how many rows "
                            + "and the file's checksum; Delta append-only (updates and deletes are refused)")
            .col("audit_id", StringType, "random id of the entry")
            .col("logged_at", TimestampType, "when the attempt finished")
            .col("user_name", StringType, "who ran it: --user, else $CRM_USER, else the OS user")
            .col("role", StringType, "role from the access file (admin, marketing, analyst, manager, sales_rep), null for an unknown user")
            .col("action", StringType, "what was attempted, e.g. audience export")
            .col("definition", StringType, "the request, e.g. segment=win_back; model=churn; min_score=0.6; channel=email; hash=true")
            .col("output_file", StringType, "absolute path of the file written, or asked for when refused or failed")
            .col("rows_selected", LongType, "customers the definition selected; null when refused before selecting")
            .col("rows_exported", LongType, "rows in the file; 0 when refused or failed")
            .col("suppressed", StringType, "suppressed customers by reason, e.g. opted_out=3, forgotten=1")
            .col("file_sha256", StringType, "SHA-256 (lowercase hex) of the file as written; null when no file")
            .col("outcome", StringType, "allowed, refused (access) or failed (a mistake in the request, or an error)")
            .col("reason", StringType, "why it was refused or failed; null when allowed")
            .appendOnly().build();

    /** Governance tables: erasure requests, suppressed identifiers, what erasures removed, and the audit log. */
    public static final List<TableDef> GOVERNANCE = List.of(ERASURE_REQUESTS, SUPPRESSED_IDENTIFIERS, ERASURE_LOG, AUDIT_LOG);

    /** Silver tables in the order a reader meets them. */
    public static final List<TableDef> SILVER = List.of(PERSONS, OWNERS, PRODUCTS, ORDERS, ORDER_LINES, INVOICES,
            RETURNS, WEB_EVENTS, CALLS, TICKETS, LEADS, OPPORTUNITIES, OPPORTUNITY_STAGES, ACTIVITIES, CONSENTS);
}
