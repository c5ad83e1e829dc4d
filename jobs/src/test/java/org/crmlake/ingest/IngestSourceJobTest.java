package org.crmlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.crmlake.SparkTestBase;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.JobContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestSourceJobTest extends SparkTestBase {
    private static final LocalDate DAY = LocalDate.of(2026, 9, 30);
    private static final String CONTACTS_HEADER = "contact_id,account_name,first_name,last_name,email,phone,birth_date,"
            + "street,city,postcode,country,owner_id,created_at,updated_at";

    @TempDir
    Path dir;

    private JobContext context() {
        return new JobContext(new Lake(spark, dir.resolve("lake").toString()), dir.resolve("landing").toString(), DAY, s -> { });
    }

    private Path batch(String source) throws IOException {
        return Files.createDirectories(dir.resolve("landing").resolve(source).resolve(DAY.toString()));
    }

    @Test
    void quarantinesEveryKindOfBadRecordWithItsReasonAndCountsReconcile() throws IOException {
        Files.writeString(batch("crm").resolve("contacts.csv"), String.join("\n",
                CONTACTS_HEADER,
                "C1,,Wei,张,zhang@example.cn,13800138000,1980-02-01,路 1号,上海,200000,CN,O1,2026-01-01 10:00:00,",
                "C2,Acme,\"Smith, Jr\",Smith,bob@acme.com,(415) 555-0132,,\"1 Main St\nSuite 2\",SF,94105,US,O1,2026-01-02 10:00:00,",
                "C3,,Ann,,ann@x.com,,,,,,US,O2,2026-01-03 10:00:00,",          // missing required last_name
                "C4,,Tom,Lee,tom@x.com,,31/12/1990,,,,US,O2,2026-01-03 10:00:00,", // unparseable birth date
                "C5,,Kim,Park,kim@x.com,,1850-01-01,,,,US,O2,2026-01-03 10:00:00,", // birth date out of range
                "C6,,Trunc,Ated,t@x.com"                                        // truncated row
        ) + "\n");
        var result = IngestSourceJob.builtIn("crm").run(context());

        Lake lake = context().lake();
        List<Row> bronze = lake.read(Tables.bronze("crm", "contacts")).orderBy("contact_id").collectAsList();
        assertThat(bronze).extracting(r -> r.getAs("contact_id")).containsExactly("C1", "C2");
        assertThat(bronze.get(1).<String>getAs("street")).as("quoted newline kept").isEqualTo("1 Main St\nSuite 2");
        assertThat(bronze.get(1).<String>getAs("first_name")).isEqualTo("Smith, Jr");

        List<String> reasons = lake.read(Tables.QUARANTINE).orderBy("raw_record").collectAsList().stream()
                .map(r -> r.<String>getAs("reason")).toList();
        assertThat(reasons).hasSize(4);
        assertThat(String.join("|", reasons))
                .contains("missing required field last_name")
                .contains("field birth_date: '31/12/1990' is not a date")
                .contains("field birth_date: '1850-01-01' is not a date")
                .contains("malformed record");

        Row log = lake.read(Tables.INGEST_LOG).filter("entity = 'contacts'").first();
        assertThat(log.<Long>getAs("rows_in")).isEqualTo(6L);
        assertThat(log.<Long>getAs("rows_kept")).isEqualTo(2L);
        assertThat(log.<Long>getAs("rows_quarantined")).isEqualTo(4L);
        assertThat(result.summary().getFirst()).contains("6 rows in = 2 kept + 4 quarantined");
    }

    /** A multi-line CSV is parsed in one task, then spread over partitions (ExportReader.spread): nothing may be lost. */
    @Test
    void aLargeCsvIsSpreadOverPartitionsAndEveryRowIsAccountedFor() throws IOException {
        StringBuilder csv = new StringBuilder(CONTACTS_HEADER).append('\n');
        int rows = 60_000;
        int bad = 0;
        for (int i = 0; i < rows; i++) {
            boolean missingLastName = i % 1000 == 999;
            bad += missingLastName ? 1 : 0;
            String street = i % 997 == 0 ? "\"" + i + " Main St\nSuite 2\"" : i + " Main St";
            csv.append(String.format("C%06d,,First,%s,user%d@x.com,13800138000,1980-02-01,%s,City,200000,CN,O1,"
                    + "2026-01-01 10:00:00,%n", i, missingLastName ? "" : "Last" + i, i, street));
        }
        Path file = batch("crm").resolve("contacts.csv");
        Files.writeString(file, csv);
        assertThat(Files.size(file)).as("above the 4 MB at which a file is split in two").isGreaterThan(5L << 20);

        IngestSourceJob.builtIn("crm").run(context());

        Lake lake = context().lake();
        Row log = lake.read(Tables.INGEST_LOG).filter("entity = 'contacts'").first();
        assertThat(log.<Long>getAs("rows_in")).isEqualTo(rows);
        assertThat(log.<Long>getAs("rows_quarantined")).isEqualTo(bad);
        assertThat(log.<Long>getAs("rows_kept")).isEqualTo(rows - bad);
        var bronze = lake.read(Tables.bronze("crm", "contacts"));
        assertThat(bronze.count()).isEqualTo(rows - bad);
        assertThat(bronze.select("contact_id").distinct().count()).isEqualTo(rows - bad);
        assertThat(bronze.filter("contact_id = 'C000997'").first().<String>getAs("street")).isEqualTo("997 Main St\nSuite 2");
        assertThat(bronze.inputFiles()).as("written by more than one task").hasSizeGreaterThan(1);
    }

    @Test
    void readsGb18030CallsAndBrokenJson() throws IOException {
        String calls = "call_id,caller_number,caller_name,agent_id,started_at,duration_seconds,direction,reason,outcome,transcript,survey_score\n"
                + "K1,13800138000,张伟,A1,2026-09-30 09:00:00,120,inbound,complaint,resolved,我的订单还没到，非常失望,2\n";
        Files.write(batch("calls").resolve("calls.csv"), calls.getBytes(Charset.forName("GB18030")));
        IngestSourceJob.builtIn("calls").run(context());
        Row call = context().lake().read(Tables.bronze("calls", "calls")).first();
        assertThat(call.<String>getAs("transcript")).isEqualTo("我的订单还没到，非常失望");
        assertThat(call.<String>getAs("caller_name")).isEqualTo("张伟");

        Files.writeString(batch("web").resolve("events.jsonl"), String.join("\n",
                "{\"event_id\":\"E1\",\"event_ts\":\"2026-09-30 10:00:00\",\"cookie_id\":\"ck1\",\"event_type\":\"page_view\"}",
                "{\"event_id\":\"E2\",\"event_ts\":\"2026-09-30 10:01:00\",\"cookie_",
                "{\"event_id\":\"E3\",\"event_ts\":\"2026-09-30 10:02:00\",\"cookie_id\":\"ck1\",\"event_type\":\"login\",\"user_id\":\"U1\"}") + "\n",
                StandardCharsets.UTF_8);
        IngestSourceJob.builtIn("web").run(context());
        assertThat(context().lake().read(Tables.bronze("web", "events")).count()).isEqualTo(2);
        assertThat(context().lake().read(Tables.QUARANTINE).filter("source = 'web'").first().<String>getAs("raw_record"))
                .startsWith("{\"event_id\":\"E2\"");
    }

    @Test
    void reingestReplacesTheBatchAndAnUnchangedBatchIsSkipped() throws IOException {
        Path file = batch("crm").resolve("contacts.csv");
        Files.writeString(file, CONTACTS_HEADER + "\nC1,,Wei,Zhang,,,,,,,CN,O1,2026-01-01 10:00:00,\n");
        IngestSourceJob.builtIn("crm").run(context());
        var skipped = IngestSourceJob.builtIn("crm").run(context());
        assertThat(skipped.summary().getFirst()).contains("unchanged");

        Files.writeString(file, CONTACTS_HEADER + "\nC1,,Wei,Zhang,,,,,,,CN,O1,2026-01-01 10:00:00,\nC2,,Li,Na,,,,,,,CN,O1,2026-01-01 10:00:00,\n");
        new IngestSourceJob(SourceMapping.builtIn("crm"), true).run(context());
        new IngestSourceJob(SourceMapping.builtIn("crm"), true).run(context());
        assertThat(context().lake().read(Tables.bronze("crm", "contacts")).count()).isEqualTo(2);
        assertThat(context().lake().read(Tables.INGEST_LOG).filter("entity = 'contacts'").count()).isEqualTo(1);
    }

    @Test
    void aMissingRequiredColumnStopsWithTheFileAndTheFix() throws IOException {
        Files.writeString(batch("crm").resolve("contacts.csv"), "contact_id;last_name;created_at\nC1;Zhang;2026-01-01 10:00:00\n");
        assertThatThrownBy(() -> IngestSourceJob.builtIn("crm").run(context()))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("crm/2026-09-30/contacts.csv")
                .hasMessageContaining("is the delimiter ',' right?");
    }

    @Test
    void aMappingFileTurnsAnotherCrmsExportIntoTheContract() throws IOException {
        Files.writeString(batch("crm").resolve("Kontakte.csv"), "ID|Nachname|Vorname|Angelegt\nX1|Müller|Hans|31.12.2025 14:30\n");
        Path mappingFile = Files.writeString(dir.resolve("mapping.yaml"), """
                source: crm
                delimiter: "|"
                entities:
                  contacts:
                    file: Kontakte*.csv
                    columns:
                      contact_id: ID
                      last_name: Nachname
                      first_name: Vorname
                      created_at: {from: Angelegt, formats: ["dd.MM.yyyy HH:mm"]}
                """);
        new IngestSourceJob(SourceMapping.fromFile(mappingFile), false).run(context());
        Row r = context().lake().read(Tables.bronze("crm", "contacts")).first();
        assertThat(r.<String>getAs("last_name")).isEqualTo("Müller");
        assertThat(r.getAs("created_at").toString()).startsWith("2025-12-31 14:30");
    }

    @Test
    void mappingMistakesAreNamed() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "source: crm\nentities:\n  contacts:\n    columns:\n      surname: Nachname\n");
        assertThatThrownBy(() -> SourceMapping.fromFile(bad)).hasMessageContaining("bad.yaml")
                .hasMessageContaining("field 'surname', which is not in the contract");
        Path badFormat = Files.writeString(dir.resolve("f.yaml"),
                "source: crm\nentities:\n  contacts:\n    columns:\n      created_at: {from: x, formats: [\"dd.MM.yyyy {x}\"]}\n");
        assertThatThrownBy(() -> SourceMapping.fromFile(badFormat)).hasMessageContaining("date format");
        Path badSource = Files.writeString(dir.resolve("s.yaml"), "source: sap\n");
        assertThatThrownBy(() -> SourceMapping.fromFile(badSource)).hasMessageContaining("use one of [crm, erp, web, calls]");
    }

    @Test
    void theDocumentedExampleMappingIsValid() {
        SourceMapping m = SourceMapping.fromFile(Path.of("../docs/examples/hubspot-contacts.yaml"));
        ReadSpec contacts = m.specs().get("contacts");
        assertThat(contacts.encoding()).isEqualTo("ISO-8859-1");
        assertThat(contacts.columns()).anySatisfy(c -> {
            assertThat(c.field().name()).isEqualTo("created_at");
            assertThat(c.sourceColumn()).isEqualTo("Create Date");
        });
    }

    @Test
    void aParquetExportIsReadThroughItsMapping() throws IOException {
        String out = batch("erp").resolve("Kunden.parquet").toString();
        spark.sql("select 'K-1' as Kundennummer, 'Anna Schmidt' as Name, '2026-03-01 08:00:00' as Angelegt "
                + "union all select 'K-2', null, '2026-03-02 08:00:00'").coalesce(1).write().parquet(out);
        Path mappingFile = Files.writeString(dir.resolve("erp.yaml"), """
                source: erp
                format: parquet
                entities:
                  customers:
                    file: Kunden.parquet
                    columns: {customer_no: Kundennummer, billing_name: Name, created_at: Angelegt}
                """);
        var result = new IngestSourceJob(SourceMapping.fromFile(mappingFile), false).run(context());
        assertThat(result.summary().getFirst()).contains("2 rows in = 1 kept + 1 quarantined");
        assertThat(context().lake().read(Tables.bronze("erp", "customers")).first().<String>getAs("billing_name"))
                .isEqualTo("Anna Schmidt");
        assertThat(context().lake().read(Tables.QUARANTINE).first().<String>getAs("reason"))
                .isEqualTo("missing required field billing_name");
    }
}
