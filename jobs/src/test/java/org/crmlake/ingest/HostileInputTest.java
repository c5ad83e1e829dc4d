package org.crmlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.crmlake.SparkTestBase;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 7, "bad input, tried systematically": every kind of hostile export, each a test. One lake
 * for the class: a GOOD batch of every source is ingested first (2026-09-01); the hostile files
 * that quarantine records are batched per source into one ingest each (2026-09-02), the ones that
 * must stop the run get a date of their own. After every test the good batch is compared with its
 * snapshot, and every file's ops.ingest_log row must reconcile with what bronze and
 * bronze.quarantine actually hold for it (rows in = rows kept + rows quarantined).
 */
class HostileInputTest extends SparkTestBase {
    private static final LocalDate GOOD = LocalDate.of(2026, 9, 1);
    private static final LocalDate HOSTILE = LocalDate.of(2026, 9, 2);
    private static final Charset GB18030 = Charset.forName("GB18030");
    static final String CONTACTS = "contact_id,account_name,first_name,last_name,email,phone,birth_date,"
            + "street,city,postcode,country,owner_id,created_at,updated_at";
    static final String CUSTOMERS = "customer_no;billing_name;email;phone;street;city;postcode;country;crm_contact_id;created_at";
    static final String CALLS = "call_id,caller_number,caller_name,agent_id,started_at,duration_seconds,direction,reason,"
            + "outcome,transcript,survey_score,customer_ref";

    @TempDir
    static Path dir;
    private static Map<String, List<String>> goodSnapshot;
    private static final Map<String, FileOutcome> outcomes = new HashMap<>();

    /** One file's ops.ingest_log row, checked against bronze and quarantine, and its quarantine reasons by raw record. */
    record FileOutcome(long in, long kept, long quarantined, List<Row> keptRows, Map<String, String> reasonByRaw) {
        String reasons() {
            return String.join(" | ", reasonByRaw.values());
        }
    }

    private static JobContext context(LocalDate date) {
        return new JobContext(new Lake(spark, dir.resolve("lake").toString()), dir.resolve("landing").toString(), date, s -> { });
    }

    private static Lake lake() {
        return context(GOOD).lake();
    }

    private static Path batch(String source, LocalDate date) throws IOException {
        return Files.createDirectories(dir.resolve("landing").resolve(source).resolve(date.toString()));
    }

    private static void write(Path folder, String name, String text) throws IOException {
        Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String contact(String id, String lastName, String birthDate, String createdAt) {
        return id + ",,Ann," + lastName + "," + id.toLowerCase() + "@example.com,,"
                + birthDate + ",,,,US,O1," + createdAt + ",";
    }

    @BeforeAll
    static void ingestGoodThenHostileBatches() throws IOException {
        // ---- the good batch: every source, a few rows each
        Path crm = batch("crm", GOOD);
        write(crm, "contacts.csv", CONTACTS + "\n" + contact("G1", "Good", "1980-01-01", "2026-01-01 10:00:00") + "\n"
                + contact("G2", "Fine", "", "2026-01-02 10:00:00") + "\n");
        write(crm, "owners.csv", "owner_id,owner_name,team,region\nO1,Olga,Team A,North\n");
        write(batch("erp", GOOD), "customers.csv", CUSTOMERS + "\nK1;Good GmbH;k1@example.com;;;;;DE;G1;2026-01-01 09:00:00\n");
        write(batch("web", GOOD), "events.jsonl",
                "{\"event_id\":\"W1\",\"event_ts\":\"2026-09-01 10:00:00\",\"cookie_id\":\"ck1\",\"event_type\":\"page_view\"}\n");
        Files.write(batch("calls", GOOD).resolve("calls.csv"), (CALLS + "\nK1,13800138000,张伟,A1,2026-09-01 09:00:00,60,inbound,"
                + "complaint,resolved,很好,5,G1\n").getBytes(GB18030));
        for (String s : SourceContract.SOURCES) {
            IngestSourceJob.builtIn(s).run(context(GOOD));
        }
        goodSnapshot = snapshot();

        // ---- hostile files whose bad records are quarantined: one batch per source
        Path h = batch("crm", HOSTILE);
        write(h, "contacts_truncated.csv", CONTACTS + "\n" + contact("T1", "Kept", "", "2026-01-01 10:00:00")
                + "\nT2,,Cut,Off,t2@exa");                                    // file ends mid-row
        write(h, "contacts_unclosed_quote.csv", CONTACTS + "\n" + contact("Q1", "Kept", "", "2026-01-01 10:00:00")
                + "\nQ2,,\"Never closed,Lee,q2@x.com,,,,,,US,O1,2026-01-01 10:00:00,\n"
                + contact("Q3", "Swallowed", "", "2026-01-01 10:00:00") + "\n");
        // a UTF-8 file cut in the middle of a character: last_name is the last column here
        byte[] cut = ("contact_id,created_at,last_name\nM1,2026-01-01 10:00:00,Wang\nM2,2026-01-01 10:00:00,张")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(h.resolve("contacts_cut_in_char.csv"), Arrays.copyOf(cut, cut.length - 1));
        Files.write(h.resolve("contacts_empty.csv"), new byte[0]);
        write(h, "contacts_header_only.csv", CONTACTS + "\n");
        write(h, "contacts_bom.csv", "\uFEFF" + CONTACTS + "\n" + contact("B1", "Bom", "", "2026-01-01 10:00:00") + "\n");
        write(h, "contacts_quotes_newlines.csv", CONTACTS + "\r\n"
                + "N1,\"Acme, Inc.\",\"Bob \"\"The Builder\"\"\",Lee,,,,\"1 Main St\r\nSuite 2\",,,US,O1,2026-01-01 10:00:00,\r\n"
                + "N2,,O\"Neil,Ryan,,,,,,,IE,O1,2026-01-01 10:00:00,\r\n"
                + "N3,,\"\",\"Multi\nLine\nName\",,,,,,,US,O1,2026-01-01 10:00:00,\r\n");
        write(h, "contacts_schema_drift.csv", "created_at,favourite_colour,last_name,contact_id\n"
                + "2026-01-01 10:00:00,blue,Drift,D1\n"            // reordered, an extra column, optional columns absent
                + "2026-01-01 10:00:00,red,Extra,D2,surplus\n"     // one field too many
                + "2026-01-01 10:00:00,green,Short\n");            // one field too few
        StringBuilder dates = new StringBuilder(CONTACTS + "\n");
        for (String[] d : DATE_CASES) {
            dates.append(contact(d[0], "Dates", d[1], d[2])).append('\n');
        }
        write(h, "contacts_dates.csv", dates.toString());
        write(h, "contacts_huge.csv", CONTACTS + "\n"
                + "H1,,Ann,Huge,,,,\"" + "x".repeat(300_000) + "\",,,US,O1,2026-01-01 10:00:00,\n"
                + contact("H2", "HugeBadDate", "9".repeat(100_000), "2026-01-01 10:00:00") + "\n");
        Files.write(h.resolve("contacts_gb18030.csv"), (CONTACTS + "\n" + contact("GB1", "张伟", "", "2026-01-01 10:00:00")
                + "\n" + contact("GB2", "Ascii", "", "2026-01-01 10:00:00") + "\n").getBytes(GB18030));
        String dup = CONTACTS + "\n" + contact("DUP1", "Twice", "", "2026-01-01 10:00:00") + "\n";
        write(h, "contacts_dup_a.csv", dup);
        write(h, "contacts_dup_b.csv", dup);
        write(h, "opportunities_types.csv", "opportunity_id,contact_id,amount,created_at,stage\n"
                + "P1,G1,100.5,2026-01-01 10:00:00,won\n"
                + "P2,G1,abc,2026-01-01 10:00:00,won\n"
                + "P3,G1,\"12,5\",2026-01-01 10:00:00,won\n"
                + "P4,G1,  42  ,2026-01-01 10:00:00,won\n"
                + "P5,G1,0x1F,2026-01-01 10:00:00,won\n");
        write(h, "tickets_types.csv", "ticket_id,contact_id,opened_at,csat\n"
                + "TK1,G1,2026-01-01 10:00:00,5\n"
                + "TK2,G1,2026-01-01 10:00:00,4.5\n"
                + "TK3,G1,2026-01-01 10:00:00,99999999999\n"
                + "TK4,G1,2026-01-01 10:00:00,five\n");
        run("crm", HOSTILE);

        Path w = batch("web", HOSTILE);
        write(w, "events_not_json.jsonl", String.join("\n", JSON_LINES) + "\n");
        write(w, "events_truncated.jsonl", event("WT1") + "\n{\"event_id\":\"WT2\",\"event_ts\":\"2026-09-02 1");
        write(w, "events_bom.jsonl", "\uFEFF" + event("WB1") + "\n" + event("WB2") + "\n");
        Files.write(w.resolve("events_gb18030.jsonl"), (event("WG1").replace("}", ",\"first_name\":\"张伟\"}") + "\n")
                .getBytes(GB18030));
        Files.write(w.resolve("events_empty.jsonl"), new byte[0]);
        write(w, "events_huge.jsonl", event("WH1").replace("}", ",\"url\":\"/" + "p".repeat(300_000) + "\"}") + "\n");
        run("web", HOSTILE);

        Files.write(batch("calls", HOSTILE).resolve("calls_hostile.csv"), (CALLS + "\n"
                + "KC1,13800138000,李娜,A1,2026-09-02 09:00:00,60,inbound,complaint,open,\"她说：\"\"快递，还没到\"\"\n第二行\",2,\n"
                + "KC2,13800138000,李娜,A1,2026-09-02 09:00:00,六十,inbound,,,,,\n"
                + "KC3,13800138000,李娜,A1,2026/09/02 09:00,60,inbound,,,,,\n").getBytes(GB18030));
        run("calls", HOSTILE);

        write(batch("erp", HOSTILE), "order_lines_types.csv", "order_id;line_no;product_id;quantity;unit_price;line_amount\n"
                + "R1;1;SKU1;2;9.99;19.98\n"
                + "R1;2.0;SKU1;2;9.99;19.98\n"
                + "R1;3;SKU1;-;9.99;19.98\n"
                + "R1;4;SKU1;1;12,50;12,50\n"
                + "R1;5;SKU1;1;€12.50;12.50\n");
        run("erp", HOSTILE);
    }

    /** id, birth_date, created_at; the test below pins which of them are kept. */
    static final String[][] DATE_CASES = {
            {"DT01", "1990-09-30", "2026-09-30 10:00:00"},
            {"DT02", "30/09/1990", "2026-09-30 10:00:00"},
            {"DT03", "1990/09/30", "2026-09-30 10:00:00"},
            {"DT04", "19900930", "2026-09-30 10:00:00"},
            {"DT05", "Sep 30 1990", "2026-09-30 10:00:00"},
            {"DT06", "1990-02-30", "2026-09-30 10:00:00"},
            {"DT07", "1990-13-01", "2026-09-30 10:00:00"},
            {"DT08", "0001-01-01", "2026-09-30 10:00:00"},
            {"DT09", "9999-12-31", "2026-09-30 10:00:00"},
            {"DT10", "1899-12-31", "2026-09-30 10:00:00"},
            {"DT11", "1900-01-01", "2026-09-30 10:00:00"},
            {"DT12", "2101-01-01", "2026-09-30 10:00:00"},
            {"DT13", "", "2026-09-30T10:00:00"},
            {"DT14", "", "2026-09-30T10:00:00Z"},
            {"DT15", "", "2026-09-30 10:00"},
            {"DT16", "", "2026-09-30"},
            {"DT17", "", "1759226400"},
            {"DT18", "", "30.09.2026 10:00:00"},
            {"DT19", "", "2026-09-30 25:00:00"},
            {"DT20", "", "-2026-09-30 10:00:00"},
            {"DT21", "", "+12026-09-30 10:00:00"},
    };

    private static String event(String id) {
        return "{\"event_id\":\"" + id + "\",\"event_ts\":\"2026-09-02 10:00:00\",\"cookie_id\":\"ck\",\"event_type\":\"page_view\"}";
    }

    static final String[] JSON_LINES = {
            event("WJ1"),                                                   // good
            "event_id,event_ts,cookie_id,event_type",                       // CSV, not JSON
            "WJ2,2026-09-02 10:00:00,ck,page_view",
            "42",
            "\"just a string\"",
            "null",
            "{}",                                                           // JSON, but no required field
            "{broken",
            event("WJ3") + " trailing",
            "{\"event_id\":{\"nested\":1},\"event_ts\":\"2026-09-02 10:00:00\",\"cookie_id\":\"ck\",\"event_type\":\"x\"}",
            "{\"event_id\":123,\"event_ts\":\"2026-09-02 10:00:00\",\"cookie_id\":\"ck\",\"event_type\":\"x\"}",
            "{\"event_id\":\"WJ4\",\"event_id\":\"WJ4b\",\"event_ts\":\"2026-09-02 10:00:00\",\"cookie_id\":\"ck\",\"event_type\":\"x\"}",
            "{",                                                            // pretty-printed: one object over three lines
            "  \"event_id\": \"WJ5\"",
            "}",
            "",
            "\u0000\u0001\u0002garbage\u00ff",
            event("WJ6").replace("page_view", "\\ud800"),                   // a lone surrogate escape
    };

    // ------------------------------------------------------------------ helpers

    private static JobResult run(String source, LocalDate date) {
        JobResult r = new IngestSourceJob(SourceMapping.builtIn(source), true).run(context(date));
        record(source, date);
        assertGoodBatchUndamaged();
        return r;
    }

    /** Reads back every file of the batch: the log row, the bronze rows and the quarantine rows it claims. */
    private static void record(String source, LocalDate date) {
        Lake lake = lake();
        String d = date.toString();
        List<Row> log = lake.read(Tables.INGEST_LOG).filter("source = '" + source + "' AND batch_date = '" + d + "'").collectAsList();
        Map<String, Map<String, String>> reasons = new HashMap<>();
        Map<String, Long> quarantinedRows = new HashMap<>();
        for (Row q : lake.read(Tables.QUARANTINE).filter("source = '" + source + "' AND batch_date = '" + d + "'").collectAsList()) {
            reasons.computeIfAbsent(q.<String>getAs("source_file"), k -> new java.util.LinkedHashMap<>())
                    .put(q.getAs("raw_record"), q.getAs("reason"));
            quarantinedRows.merge(q.getAs("source_file"), 1L, Long::sum);
        }
        Map<String, List<Row>> keptByFile = new HashMap<>();
        for (String entity : SourceMapping.builtIn(source).specs().keySet()) {
            TableDef t = Tables.bronze(source, entity);
            if (lake.exists(t)) {
                for (Row r : lake.read(t).filter(col("_batch_date").equalTo(d)).collectAsList()) {
                    keptByFile.computeIfAbsent(r.getAs("_source_file"), k -> new ArrayList<>()).add(r);
                }
            }
        }
        for (Row l : log) {
            String file = l.getAs("source_file");
            long in = l.getAs("rows_in");
            long kept = l.getAs("rows_kept");
            long q = l.getAs("rows_quarantined");
            List<Row> keptRows = keptByFile.getOrDefault(file, List.of());
            Map<String, String> rs = reasons.getOrDefault(file, Map.of());
            assertThat(in).as(file + ": rows in = kept + quarantined").isEqualTo(kept + q);
            assertThat((long) keptRows.size()).as(file + ": bronze holds the kept rows").isEqualTo(kept);
            assertThat(rs.values()).as(file + ": every quarantined row has a reason").allSatisfy(r -> assertThat(r).isNotBlank());
            assertThat(quarantinedRows.getOrDefault(file, 0L)).as(file + ": quarantine holds the quarantined rows").isEqualTo(q);
            outcomes.put(file.substring(file.lastIndexOf('/') + 1), new FileOutcome(in, kept, q, keptRows, rs));
        }
        for (String file : keptByFile.keySet()) {
            assertThat(log).as("bronze rows of " + file + " have a log row").anySatisfy(l -> assertThat(l.<String>getAs("source_file")).isEqualTo(file));
        }
    }

    private static FileOutcome outcome(String file) {
        assertThat(outcomes).as("ingest_log has a row for " + file).containsKey(file);
        return outcomes.get(file);
    }

    private static Map<String, List<String>> snapshot() {
        Map<String, List<String>> s = new HashMap<>();
        Lake lake = lake();
        for (String source : SourceContract.SOURCES) {
            for (String entity : SourceMapping.builtIn(source).specs().keySet()) {
                TableDef t = Tables.bronze(source, entity);
                if (goodSnapshot == null ? lake.exists(t) : goodSnapshot.containsKey(t.qualifiedName())) {
                    s.put(t.qualifiedName(), lake.read(t).filter(col("_batch_date").equalTo(GOOD.toString()))
                            .collectAsList().stream().map(Row::toString).sorted().toList());
                }
            }
        }
        s.put("log", lake.read(Tables.INGEST_LOG).filter(col("batch_date").equalTo(GOOD.toString()))
                .collectAsList().stream().map(Row::toString).sorted().toList());
        return s;
    }

    /** Called after every ingest run of the class (hostile batches and stopped runs): the good batch is as it was. */
    private static void assertGoodBatchUndamaged() {
        assertThat(snapshot()).as("the good batch of " + GOOD + " is unchanged").isEqualTo(goodSnapshot);
    }

    private static List<String> keptIds(FileOutcome o, String key) {
        return o.keptRows().stream().map(r -> r.<Object>getAs(key).toString()).sorted().toList();
    }

    // ------------------------------------------------------------------ records quarantined, the run carries on

    @Test
    void theGoodBatchIsThere() {
        assertThat(goodSnapshot.get("bronze.crm_contacts")).hasSize(2);
        assertThat(goodSnapshot.get("bronze.calls_calls")).hasSize(1);
    }

    @Test
    void aTruncatedFileLosesOnlyItsLastRow() {
        FileOutcome o = outcome("contacts_truncated.csv");
        assertThat(keptIds(o, "contact_id")).containsExactly("T1");
        assertThat(o.reasons()).contains("malformed record");
        assertThat(o.in()).isEqualTo(2);
    }

    @Test
    void anUnclosedQuoteSwallowsTheRestOfTheFileIntoOneQuarantinedRecord() {
        FileOutcome o = outcome("contacts_unclosed_quote.csv");
        assertThat(keptIds(o, "contact_id")).containsExactly("Q1");
        assertThat(o.quarantined()).isEqualTo(1);
        assertThat(o.reasonByRaw().keySet().iterator().next()).contains("Q3");
    }

    @Test
    void aFileCutInsideAMultiByteCharacterQuarantinesThatRecord() {
        FileOutcome o = outcome("contacts_cut_in_char.csv");
        assertThat(keptIds(o, "contact_id")).containsExactly("M1");
        assertThat(o.reasons()).contains("undecodable");
    }

    @Test
    void emptyAndHeaderOnlyFilesAreLoggedWithZeroRows() {
        assertThat(outcome("contacts_empty.csv").in()).isZero();
        assertThat(outcome("contacts_header_only.csv").in()).isZero();
        assertThat(outcome("events_empty.jsonl").in()).isZero();
    }

    @Test
    void aUtf8ByteOrderMarkIsIgnored() {
        assertThat(keptIds(outcome("contacts_bom.csv"), "contact_id")).containsExactly("B1");
        assertThat(keptIds(outcome("events_bom.jsonl"), "event_id")).containsExactly("WB1", "WB2");
    }

    @Test
    void embeddedNewlinesAndQuotesSurvive() {
        FileOutcome o = outcome("contacts_quotes_newlines.csv");
        assertThat(keptIds(o, "contact_id")).containsExactly("N1", "N2", "N3");
        Map<String, Row> byId = new HashMap<>();
        o.keptRows().forEach(r -> byId.put(r.getAs("contact_id"), r));
        assertThat(byId.get("N1").<String>getAs("first_name")).isEqualTo("Bob \"The Builder\"");
        assertThat(byId.get("N1").<String>getAs("account_name")).isEqualTo("Acme, Inc.");
        assertThat(byId.get("N1").<String>getAs("street")).as("CRLF inside quotes is normalised").isEqualTo("1 Main St\nSuite 2");
        assertThat(byId.get("N2").<String>getAs("first_name")).isEqualTo("O\"Neil");
        assertThat(byId.get("N3").<String>getAs("last_name")).isEqualTo("Multi\nLine\nName");
        assertThat(byId.get("N3").<String>getAs("first_name")).isNull();
    }

    @Test
    void schemaDriftReorderedExtraAndMissingOptionalColumnsIsReadByNameAndBadRowsQuarantined() {
        FileOutcome o = outcome("contacts_schema_drift.csv");
        assertThat(keptIds(o, "contact_id")).containsExactly("D1");
        assertThat(o.keptRows().getFirst().<String>getAs("last_name")).isEqualTo("Drift");
        assertThat(o.keptRows().getFirst().<String>getAs("email")).isNull();
        assertThat(o.quarantined()).isEqualTo(2);
        assertThat(o.reasons()).contains("malformed record");
    }

    @Test
    void datesInOtherFormatsOrOutOfRangeAreQuarantinedWithTheValue() {
        FileOutcome o = outcome("contacts_dates.csv");
        assertThat(o.in()).isEqualTo(DATE_CASES.length);
        assertThat(keptIds(o, "contact_id")).containsExactly("DT01", "DT11", "DT13", "DT16");
        assertThat(o.reasons()).contains("field birth_date: '30/09/1990' is not a date")
                .contains("field birth_date: '0001-01-01' is not a date")
                .contains("field birth_date: '2101-01-01' is not a date")
                .contains("field created_at: '1759226400' is not a timestamp");
    }

    @Test
    void wrongTypesAreQuarantinedWithTheValue() {
        FileOutcome opp = outcome("opportunities_types.csv");
        assertThat(keptIds(opp, "opportunity_id")).containsExactly("P1", "P4");
        assertThat(opp.reasons()).contains("field amount: 'abc' is not a double").contains("field amount: '12,5' is not a double");
        FileOutcome tickets = outcome("tickets_types.csv");
        assertThat(keptIds(tickets, "ticket_id")).containsExactly("TK1");
        assertThat(tickets.reasons()).contains("field csat: '4.5' is not a int").contains("field csat: '99999999999' is not a int");
        FileOutcome lines = outcome("order_lines_types.csv");
        assertThat(keptIds(lines, "line_no")).containsExactly("1");
        assertThat(lines.reasons()).contains("field unit_price: '12,50' is not a double").contains("field quantity: '-' is not a int");
        FileOutcome calls = outcome("calls_hostile.csv");
        assertThat(keptIds(calls, "call_id")).containsExactly("KC1");
        assertThat(calls.reasons()).contains("field duration_seconds: '六十' is not a int")
                .contains("field started_at: '2026/09/02 09:00' is not a timestamp");
        assertThat(calls.keptRows().getFirst().<String>getAs("transcript")).isEqualTo("她说：\"快递，还没到\"\n第二行");
    }

    @Test
    void hugeFieldsAreKeptAndHugeBadValuesShortenedInTheReason() {
        FileOutcome o = outcome("contacts_huge.csv");
        assertThat(keptIds(o, "contact_id")).containsExactly("H1");
        assertThat(o.keptRows().getFirst().<String>getAs("street")).hasSize(300_000);
        assertThat(o.reasons()).hasSizeLessThan(200).contains("…");
        assertThat(outcome("events_huge.jsonl").keptRows().getFirst().<String>getAs("url")).hasSize(300_001);
    }

    @Test
    void gb18030ReadAsUtf8IsQuarantinedNotKeptAsMojibake() {
        FileOutcome o = outcome("contacts_gb18030.csv");
        assertThat(keptIds(o, "contact_id")).containsExactly("GB2");
        assertThat(o.reasons()).contains("field last_name: undecodable bytes");
        FileOutcome web = outcome("events_gb18030.jsonl");
        assertThat(web.kept()).isZero();
        assertThat(web.reasons()).as("the JSON parser rejects the bytes itself").contains("malformed record");
    }

    @Test
    void aDuplicateFileIsQuarantinedAsADuplicate() {
        assertThat(keptIds(outcome("contacts_dup_a.csv"), "contact_id")).containsExactly("DUP1");
        FileOutcome b = outcome("contacts_dup_b.csv");
        assertThat(b.kept()).isZero();
        assertThat(b.quarantined()).isEqualTo(1);
        assertThat(b.reasons()).contains("duplicate file: same bytes as crm/2026-09-02/contacts_dup_a.csv");
    }

    @Test
    void jsonThatIsNotJsonIsQuarantinedLineByLine() {
        FileOutcome o = outcome("events_not_json.jsonl");
        assertThat(o.in()).as("18 lines, the blank one is not a record").isEqualTo(17);
        // kept: the good line; an object followed by garbage (the parser stops after the object);
        // a nested object or a number where a string is expected (kept as its JSON text); a
        // duplicate key (the last wins); a lone surrogate escape (decoded as '?')
        assertThat(keptIds(o, "event_id")).containsExactly("123", "WJ1", "WJ3", "WJ4b", "WJ6", "{\"nested\":1}");
        assertThat(o.quarantined()).isEqualTo(11);
        assertThat(o.reasonByRaw()).containsEntry("42", "malformed record: wrong number of fields, bad quoting or broken JSON")
                .containsEntry("WJ2,2026-09-02 10:00:00,ck,page_view", "malformed record: wrong number of fields, bad quoting or broken JSON")
                .containsEntry("  \"event_id\": \"WJ5\"", "malformed record: wrong number of fields, bad quoting or broken JSON")
                .containsEntry("{}", "missing required field event_id; missing required field event_ts; missing required field cookie_id;"
                        + " missing required field event_type");
        FileOutcome t = outcome("events_truncated.jsonl");
        assertThat(keptIds(t, "event_id")).containsExactly("WT1");
        assertThat(t.reasons()).contains("malformed record");
    }

    // ------------------------------------------------------------------ the run stops, naming the file and the fix

    private static LocalDate stopDate = LocalDate.of(2026, 9, 10);

    private static synchronized LocalDate nextDate() {
        stopDate = stopDate.plusDays(1);
        return stopDate;
    }

    /** The run stops; nothing of the batch is in the lake (no log row, no bronze rows of any entity). */
    private static void assertStopsAndLeavesNoTrace(String source, LocalDate date, String... messageParts) {
        var thrown = assertThatThrownBy(() -> new IngestSourceJob(SourceMapping.builtIn(source), true).run(context(date)))
                .isInstanceOf(IngestException.class);
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
        assertGoodBatchUndamaged();
        Lake lake = lake();
        assertThat(lake.read(Tables.INGEST_LOG).filter(col("batch_date").equalTo(date.toString())).count()).isZero();
        for (String entity : SourceMapping.builtIn(source).specs().keySet()) {
            TableDef t = Tables.bronze(source, entity);
            if (lake.exists(t)) {
                assertThat(lake.read(t).filter(col("_batch_date").equalTo(date.toString())).count())
                        .as("no " + entity + " rows of a stopped batch").isZero();
            }
        }
    }

    @Test
    void aWrongDelimiterStopsWithTheFileAndTheDelimiter() throws IOException {
        LocalDate d = nextDate();
        Path b = batch("crm", d);
        write(b, "owners.csv", "owner_id,owner_name,team,region\nO9,Otto,Team B,South\n"); // a good file of another entity
        write(b, "contacts.csv", CONTACTS.replace(',', ';') + "\n" + contact("S1", "Semi", "", "2026-01-01 10:00:00").replace(',', ';') + "\n");
        assertStopsAndLeavesNoTrace("crm", d, "crm/" + d + "/contacts.csv", "is the delimiter ',' right?", "--mapping");

        // the bad file in an entity that is ingested late: earlier entities must not be committed either
        LocalDate late = nextDate();
        Path l = batch("crm", late);
        write(l, "contacts.csv", CONTACTS + "\n" + contact("S7", "Early", "", "2026-01-01 10:00:00") + "\n");
        write(l, "owners.csv", "owner_id,owner_name,team,region\nO8,Oda,Team C,East\n");
        write(l, "leads.csv", "lead_id,contact_id,created_at\nL1,S7,2026-01-01 10:00:00\n");
        write(l, "tickets.csv", "ticket_id;contact_id;category;priority;opened_at;resolved_at;csat\nT1;S7;;;2026-01-01 10:00:00;;\n");
        assertStopsAndLeavesNoTrace("crm", late, "crm/" + late + "/tickets.csv", "is the delimiter ',' right?");

        LocalDate e = nextDate();
        write(batch("erp", e), "customers.csv", CUSTOMERS.replace(';', ',') + "\nK9,Comma Ltd,,,,,,,,2026-01-01 09:00:00\n");
        assertStopsAndLeavesNoTrace("erp", e, "erp/" + e + "/customers.csv", "is the delimiter ';' right?");
    }

    @Test
    void aMissingRequiredColumnStopsWithTheColumnsAndTheHeaderFound() throws IOException {
        LocalDate d = nextDate();
        write(batch("crm", d), "contacts.csv", CONTACTS.replace("last_name", "lastname") + "\n"
                + contact("S2", "Renamed", "", "2026-01-01 10:00:00") + "\n");
        assertStopsAndLeavesNoTrace("crm", d, "crm/" + d + "/contacts.csv", "required column(s) [last_name]", "lastname",
                "map the columns in a mapping file");
    }

    @Test
    void aFileOfAnotherSourceStops() throws IOException {
        LocalDate d = nextDate();
        Path b = batch("crm", d);
        write(b, "contacts.csv", CONTACTS + "\n" + contact("S3", "Fine", "", "2026-01-01 10:00:00") + "\n");
        write(b, "customers.csv", CUSTOMERS + "\nK1;Wrong Place;;;;;;;;2026-01-01 09:00:00\n");
        assertStopsAndLeavesNoTrace("crm", d, "crm/" + d + "/customers.csv", "matches no crm entity", "contacts*.csv");

        LocalDate e = nextDate();
        write(batch("erp", e), "customers.csv", CONTACTS + "\n" + contact("S4", "Misnamed", "", "2026-01-01 10:00:00") + "\n");
        assertStopsAndLeavesNoTrace("erp", e, "erp/" + e + "/customers.csv", "required column(s)", "billing_name");
    }

    @Test
    void utf8ReadAsGb18030Stops() throws IOException {
        LocalDate d = nextDate();
        write(batch("calls", d), "calls.csv", CALLS + "\nK9,13800138000,张伟,A1,2026-09-01 09:00:00,60,inbound,,,很好,5,\n");
        assertStopsAndLeavesNoTrace("calls", d, "calls/" + d + "/calls.csv", "UTF-8", "GB18030", "mapping file");

        LocalDate e = nextDate();
        write(batch("calls", e), "calls.csv", "\uFEFF" + CALLS + "\nK9,13800138000,Li,A1,2026-09-01 09:00:00,60,inbound,,,ok,5,\n");
        assertStopsAndLeavesNoTrace("calls", e, "calls/" + e + "/calls.csv", "byte-order mark", "GB18030");
    }

    @Test
    void aHugeHeaderStopsWithTheFile() throws IOException {
        LocalDate d = nextDate();
        write(batch("crm", d), "contacts.csv", CONTACTS + ",\"" + "h".repeat(200_000) + "\"\n"
                + contact("S5", "Wide", "", "2026-01-01 10:00:00") + ",x\n");
        assertStopsAndLeavesNoTrace("crm", d, "crm/" + d + "/contacts.csv", "header");
    }

    @Test
    void aBlankFirstLineStops() throws IOException {
        LocalDate d = nextDate();
        write(batch("crm", d), "contacts.csv", "\n" + CONTACTS + "\n" + contact("S6", "Late", "", "2026-01-01 10:00:00") + "\n");
        assertStopsAndLeavesNoTrace("crm", d, "crm/" + d + "/contacts.csv", "first line is blank");
    }

    @Test
    void reIngestingTheGoodBatchUnchangedIsSkipped() {
        assertThat(IngestSourceJob.builtIn("crm").run(context(GOOD)).summary().getFirst()).contains("unchanged");
        assertThat(IngestSourceJob.builtIn("web").run(context(GOOD)).summary().getFirst()).contains("unchanged");
        assertGoodBatchUndamaged();
    }

    @Test
    void aBatchWithOnlyEmptyFilesIsAlsoSkippedWhenUnchanged() throws IOException {
        LocalDate d = nextDate();
        Files.write(batch("web", d).resolve("events.jsonl"), new byte[0]);
        assertThat(IngestSourceJob.builtIn("web").run(context(d)).summary().getFirst()).contains("1 files, 0 rows in");
        assertThat(IngestSourceJob.builtIn("web").run(context(d)).summary().getFirst()).contains("unchanged");
    }

    // ------------------------------------------------------------------ mapping files with mistakes

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not YAML           | 'source: crm\\n  entities: [\\n'                                          | cannot be read as YAML
            empty              | ''                                                                     | has no 'source:' line
            no source          | 'entities: {}\\n'                                                      | has no 'source:' line
            unknown source     | 'source: sap\\n'                                                       | use one of [crm, erp, web, calls]
            unknown format     | 'source: crm\\nformat: xml\\n'                                         | format 'xml' is not one of
            long delimiter     | 'source: crm\\ndelimiter: \"||\"\\n'                                    | delimiter must be one character
            unknown encoding   | 'source: crm\\nencoding: UTF-9\\n'                                     | encoding 'UTF-9' is unknown
            unknown entity     | 'source: crm\\nentities:\\n  customers: {}\\n'                          | which source crm does not have
            unknown field      | 'source: crm\\nentities:\\n  contacts:\\n    columns: {surname: X}\\n'   | field 'surname', which is not in the contract
            list for a column  | 'source: crm\\nentities:\\n  contacts:\\n    columns: {last_name: [a, b]}\\n' | write either a column name
            bad date pattern   | 'source: crm\\nentities:\\n  contacts:\\n    columns: {created_at: {from: c, formats: [\"dd.MM.yyyy {x}\"]}}\\n' | date format 'dd.MM.yyyy {x}' is invalid
            formats not a list | 'source: crm\\nentities:\\n  contacts:\\n    columns: {created_at: {from: c, formats: dd.MM.yyyy}}\\n' | formats must be a list
            empty formats      | 'source: crm\\nentities:\\n  contacts:\\n    columns: {created_at: {from: c, formats: []}}\\n' | formats must be a list
            week-based pattern | 'source: crm\\nentities:\\n  contacts:\\n    columns: {created_at: {from: c, formats: [YYYY-MM-dd]}}\\n' | week-based
            formats on a string| 'source: crm\\nentities:\\n  contacts:\\n    columns: {last_name: {from: c, formats: [dd.MM.yyyy]}}\\n' | formats apply to date and timestamp fields only
            entities a list    | 'source: crm\\nentities: [contacts]\\n'                                | entities: must map
            columns a list     | 'source: crm\\nentities:\\n  contacts:\\n    columns: [last_name]\\n'     | columns: must map
            """)
    void mappingMistakesAreReportedBeforeAnyDataIsRead(String name, String yaml, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("mapping-" + name.replace(' ', '-') + ".yaml"), yaml.replace("\\n", "\n"));
        assertThatThrownBy(() -> SourceMapping.fromFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(expected);
    }

    @Test
    void aMappingFileThatIsMissingStopsWithItsName() {
        Path missing = dir.resolve("no-such-mapping.yaml");
        assertThatThrownBy(() -> SourceMapping.fromFile(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void checksumsAndWhatTheMappingIgnoresAreNotStrayFiles() throws IOException {
        LocalDate d = nextDate();
        Path b = batch("crm", d);
        write(b, "contacts.csv", CONTACTS + "\n" + contact("S9", "Checked", "", "2026-01-01 10:00:00") + "\n");
        write(b, "contacts.csv.md5", "0123456789abcdef0123456789abcdef  contacts.csv\n");
        write(b, "manifest.json", "{\"files\": [\"contacts.csv\"]}\n");
        Files.createDirectories(b.resolve("archive"));
        assertStopsAndLeavesNoTrace("crm", d, "crm/" + d + "/", "list it under 'ignore:'");

        Path mapping = Files.writeString(dir.resolve("ignoring.yaml"), """
                source: crm
                ignore: [manifest.json, archive]
                """);
        new IngestSourceJob(SourceMapping.fromFile(mapping), true).run(context(d));
        assertThat(lake().read(Tables.INGEST_LOG).filter("source = 'crm' AND batch_date = '" + d + "'")
                .select("source_file").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
                .containsExactly("crm/" + d + "/contacts.csv");

        Path bad = Files.writeString(dir.resolve("bad-ignore.yaml"), "source: crm\nignore: manifest.json\n");
        assertThatThrownBy(() -> SourceMapping.fromFile(bad)).hasMessageContaining("ignore: must be a list");
    }

    @Test
    void aMappingWhoseColumnIsNotInTheExportStopsWithTheFile() throws IOException {
        LocalDate d = nextDate();
        write(batch("crm", d), "Kontakte.csv", "ID|Nachname|Erstellt\nX1|Müller|31.12.2025 14:30\n");
        Path mapping = Files.writeString(dir.resolve("kontakte.yaml"), """
                source: crm
                delimiter: "|"
                entities:
                  contacts:
                    file: Kontakte*.csv
                    columns: {contact_id: ID, last_name: Nachname, created_at: {from: Angelegt, formats: ["dd.MM.yyyy HH:mm"]}}
                """);
        assertThatThrownBy(() -> new IngestSourceJob(SourceMapping.fromFile(mapping), true).run(context(d)))
                .isInstanceOf(IngestException.class).hasMessageContaining("crm/" + d + "/Kontakte.csv").hasMessageContaining("[Angelegt]")
                .hasMessageContaining("[ID, Nachname, Erstellt]");
    }
}
