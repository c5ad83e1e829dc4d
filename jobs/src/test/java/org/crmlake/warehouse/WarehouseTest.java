package org.crmlake.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crmlake.SparkTestBase;
import org.crmlake.access.Caller;
import org.crmlake.access.Role;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.JobContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * publish-warehouse on hand-made gold rows with real-looking contact data: the DuckDB file opens
 * over JDBC with the expected tables and counts, holds no raw e-mail, phone or name, and a second
 * publish keeps the first as warehouse.previous.duckdb.
 */
class WarehouseTest extends SparkTestBase {
    static final LocalDate DAY1 = LocalDate.parse("2026-06-01");
    static final LocalDate DAY2 = LocalDate.parse("2026-07-01");
    static final List<String> RAW = List.of("jane.doe@example.com", "+15551234567", "Jane Doe", "bob@corp.example",
            "+447700900123", "Bob Stone");
    @TempDir
    static Path dir;
    static Lake lake;
    static Path live;
    static PublishWarehouseJob.Published first;
    static PublishWarehouseJob.Published second;
    static Map<String, Long> firstLiveCounts;
    static final List<Long> readerCounts = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final List<String> readerErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void publish() throws Exception {
        lake = new Lake(spark, dir.resolve("lake").toString());
        lake.overwrite(Tables.CUSTOMER_360, spark.createDataFrame(List.of(
                c360(DAY1, "C1", "Jane Doe", "jane.doe@example.com", "+15551234567", "Champions", "A", "north"),
                c360(DAY1, "C2", "Bob Stone", "bob@corp.example", "+447700900123", "At Risk", "B", "south"),
                c360(DAY2, "C1", "Jane Doe", "jane.doe@example.com", "+15551234567", "Champions", "A", "north"),
                c360(DAY2, "C2", "Bob Stone", "bob@corp.example", "+447700900123", "Loyal", "A", "south"),
                c360(DAY2, "C3", "Ann Lee", null, null, null, "C", null)), Tables.CUSTOMER_360.schema()));
        lake.overwrite(Tables.SCORES, spark.createDataFrame(List.of(
                row(Tables.SCORES, Map.of("as_of_date", Date.valueOf(DAY1), "customer_id", "C1", "model", "churn", "score", 0.2, "decile", 5)),
                row(Tables.SCORES, Map.of("as_of_date", Date.valueOf(DAY2), "customer_id", "C2", "model", "churn", "score", 0.8, "decile", 1))),
                Tables.SCORES.schema()));
        lake.overwrite(Tables.SEGMENTS, spark.createDataFrame(List.of(
                segment(DAY1, "rfm_champions", 1L), segment(DAY2, "rfm_champions", 1L), segment(DAY2, "tier_a", 2L)),
                Tables.SEGMENTS.schema()));
        lake.overwrite(Tables.SEGMENT_MEMBERSHIP, spark.createDataFrame(List.of(
                RowFactory.create("rfm_champions", "C1", Date.valueOf(DAY1), null),
                RowFactory.create("tier_a", "C1", Date.valueOf(DAY1), null),
                RowFactory.create("rfm_champions", "C2", Date.valueOf(DAY1), Date.valueOf(DAY2)),
                RowFactory.create("tier_a", "C2", Date.valueOf(DAY2), null)), Tables.SEGMENT_MEMBERSHIP.schema()));
        lake.overwrite(Tables.FUNNEL, spark.createDataFrame(List.of(row(Tables.FUNNEL, Map.of("as_of_date", Date.valueOf(DAY2),
                "period_month", Date.valueOf("2026-06-01"), "owner_id", "O1", "owner_name", "Olga", "channel", "web",
                "leads", 10L, "qualified", 4L, "won", 2L, "lost", 1L))), Tables.FUNNEL.schema()));
        lake.overwrite(Tables.ALERTS, spark.createDataFrame(List.of(
                row(Tables.ALERTS, Map.of("as_of_date", Date.valueOf(DAY2), "rule", "tier_a_at_risk", "subject", "C2",
                        "message", "customer C2 (tier A) turned at risk")),
                row(Tables.ALERTS, Map.of("as_of_date", Date.valueOf(DAY2), "rule", "region_orders_drop", "subject", "north",
                        "value", 1.0, "baseline", 9.0, "message", "north: 1 orders, baseline 9.0"))), Tables.ALERTS.schema()));
        live = dir.resolve("wh").resolve("warehouse.duckdb");
        PublishWarehouseJob job = new PublishWarehouseJob(live, null);
        first = job.publish(new JobContext(lake, "unused", DAY1, line -> { }));
        firstLiveCounts = counts(live);
        // A reader keeps opening the live file while the second publish runs and swaps.
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (publishing.get()) {
                try (Connection db = WarehouseQuery.openReadOnly(live); Statement st = db.createStatement();
                     ResultSet rs = st.executeQuery("select count(*) from customer_360")) {
                    rs.next();
                    readerCounts.add(rs.getLong(1));
                    Thread.sleep(20);
                } catch (Exception e) {
                    readerErrors.add(e.toString());
                }
            }
        }, "warehouse-reader");
        reader.start();
        try {
            second = job.publish(new JobContext(lake, "unused", DAY2, line -> { }));
        } finally {
            publishing.set(false);
            reader.join();
        }
        System.out.println("WarehouseTest: reader during publish: " + readerCounts.size() + " reads, counts "
                + new java.util.TreeSet<>(readerCounts) + ", errors " + readerErrors);
        System.out.println("WarehouseTest: first " + first + "\nWarehouseTest: second " + second);
    }

    static Row c360(LocalDate d, String id, String name, String email, String phone, String rfm, String tier, String region) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("as_of_date", Date.valueOf(d));
        v.put("customer_id", id);
        v.put("full_name", name);
        v.put("email", email);
        v.put("phone_e164", phone);
        v.put("rfm_segment", rfm);
        v.put("abc_tier", tier);
        v.put("region", region);
        v.put("tags", List.of("high value"));
        // Books for the role tests: sales rep OWN01 owns C1, team Enterprise holds C1 and C2.
        v.put("owner_id", Map.of("C1", "OWN01", "C2", "OWN02").getOrDefault(id, "OWN03"));
        v.put("team", Map.of("C1", "Enterprise", "C2", "Enterprise").getOrDefault(id, "SMB"));
        Row r = row(Tables.CUSTOMER_360, v);
        return r;
    }

    static Row segment(LocalDate d, String name, long members) {
        return RowFactory.create(Date.valueOf(d), name, "desc", "owner", name + ".sql", members);
    }

    static Row row(TableDef table, Map<String, Object> values) {
        Object[] cells = new Object[table.columns().size()];
        values.forEach((k, v) -> cells[table.columnNames().indexOf(k)] = v instanceof List<?> l
                ? scala.jdk.javaapi.CollectionConverters.asScala(l).toSeq() : v);
        return RowFactory.create(cells);
    }

    static Map<String, Long> counts(Path file) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection db = WarehouseQuery.openReadOnly(file)) {
            List<String> tables = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                    "select table_name from information_schema.tables where table_type = 'BASE TABLE' order by table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + t)) {
                    rs.next();
                    out.put(t, rs.getLong(1));
                }
            }
        }
        return out;
    }

    @Test
    void opensOverJdbcWithTheExpectedTablesAndRowCounts() throws Exception {
        Map<String, Long> now = counts(live);
        assertThat(now.keySet()).containsExactlyInAnyOrder("customer_360", "scores", "segments", "segment_membership",
                "funnel", "kpi_daily", "alerts", "dq_results", "ingest_log", "clv", "recommendations", "model_versions",
                "model_deciles", "model_calibration", "data_dictionary");
        assertThat(now).containsEntry("customer_360", 3L).containsEntry("scores", 1L).containsEntry("segments", 3L)
                .containsEntry("segment_membership", 4L).containsEntry("alerts", 2L).containsEntry("funnel", 1L)
                .containsEntry("dq_results", 0L).containsEntry("model_versions", 0L); // no registry in this lake
        assertThat(second.rows()).containsEntry("customer_360", 3L);
        assertThat(now.get("data_dictionary")).isGreaterThan(Tables.CUSTOMER_360.columns().size());
        List<String> views = WarehouseQuery.run(live, "select table_name from information_schema.tables "
                + "where table_type = 'VIEW' order by 1", 10).rows().stream().map(r -> r.getFirst()).toList();
        assertThat(views).containsExactly("customer_scores", "segment_sizes");
        assertThat(WarehouseQuery.run(live, "select churn_decile from customer_scores where customer_id = 'C2'", 5).rows())
                .containsExactly(List.of("1"));
    }

    @Test
    void holdsNoRawEmailPhoneOrNameInAnyTextColumn() throws Exception {
        try (Connection db = WarehouseQuery.openReadOnly(live)) {
            List<String[]> textColumns = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select c.table_name, c.column_name "
                    + "from information_schema.columns c join information_schema.tables t using (table_name) "
                    + "where t.table_type = 'BASE TABLE' and c.data_type in ('VARCHAR', 'VARCHAR[]')")) {
                while (rs.next()) {
                    textColumns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            assertThat(textColumns).hasSizeGreaterThan(20);
            for (String[] tc : textColumns) {
                for (String raw : RAW) {
                    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("select count(*) from "
                            + tc[0] + " where cast(\"" + tc[1] + "\" as varchar) ilike '%" + raw.replace("'", "''") + "%'")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as(tc[0] + "." + tc[1] + " holds " + raw).isZero();
                    }
                }
            }
        }
    }

    @Test
    void masksAndHashesAsDocumented() throws Exception {
        String salt = Files.readString(live.resolveSibling("warehouse.salt")).strip();
        String expectedHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((salt + "jane.doe@example.com").getBytes(StandardCharsets.UTF_8)));
        String expectedPhoneHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((salt + "+15551234567").getBytes(StandardCharsets.UTF_8)));
        List<List<String>> rows = WarehouseQuery.run(live, "select full_name, email, email_sha256, phone_e164, phone_e164_sha256 "
                + "from customer_360 where customer_id = 'C1'", 5).rows();
        assertThat(rows).containsExactly(List.of("J. D.", "j***@example.com", expectedHash, "+1******4567", expectedPhoneHash));
        assertThat(WarehouseQuery.run(live, "select email, phone_e164 from customer_360 where customer_id = 'C3'", 5).rows())
                .containsExactly(List.of("NULL", "NULL"));
        assertThat(WarehouseQuery.run(live, "select description from data_dictionary where table_name = 'customer_360' "
                + "and column_name = 'email'", 5).rows().getFirst().getFirst()).startsWith("masked e-mail");
    }

    @Test
    void secondPublishKeepsThePreviousFileForRollback() throws Exception {
        assertThat(first.keptPrevious()).isFalse();
        assertThat(second.keptPrevious()).isTrue();
        Path previous = live.resolveSibling(WarehouseLocation.PREVIOUS_NAME);
        assertThat(counts(previous)).isEqualTo(firstLiveCounts).containsEntry("customer_360", 2L);
        assertThat(counts(live)).containsEntry("customer_360", 3L);
        try (var files = Files.list(live.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("report.html", "reports", "warehouse.duckdb", "warehouse.previous.duckdb", "warehouse.salt");
        }
    }

    @Test
    void aReaderDuringPublishSeesTheOldOrTheNewWarehouseNeverAnError() throws Exception {
        assertThat(readerErrors).as("errors of the reader during publish").isEmpty();
        assertThat(readerCounts).as("customer_360 rows the reader saw").isNotEmpty().isSubsetOf(2L, 3L);
        // After the swap a new reader sees the new warehouse.
        assertThat(counts(live)).containsEntry("customer_360", 3L);
    }

    @Test
    void readersRacingTheRenameItselfSeeTheOldOrTheNewFileNeverAnError() throws Exception {
        // Two complete warehouses swapped over one live name again and again while readers open it:
        // unlike the publish above, nearly every open here straddles a rename.
        Path raceDir = Files.createDirectories(dir.resolve("race"));
        Path raceLive = raceDir.resolve("warehouse.duckdb");
        Files.copy(live.resolveSibling(WarehouseLocation.PREVIOUS_NAME), raceLive);
        Map<Long, Path> byCount = Map.of(2L, live.resolveSibling(WarehouseLocation.PREVIOUS_NAME), 3L, live);
        List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean swapping = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable read = () -> {
            while (swapping.get()) {
                try (Connection db = WarehouseQuery.openReadOnly(raceLive); Statement st = db.createStatement();
                     ResultSet rs = st.executeQuery("select count(*) from customer_360")) {
                    rs.next();
                    seen.add(rs.getLong(1));
                } catch (Exception e) {
                    errors.add(e.toString());
                }
            }
        };
        List<Thread> readers = List.of(new Thread(read, "race-reader-1"), new Thread(read, "race-reader-2"));
        readers.forEach(Thread::start);
        // At least 200 swaps, and on until the readers have read both files 40 times between them: how many
        // reads fit in 200 swaps depends on the machine's load, so the count is a stop condition, not an assertion.
        // An even number of swaps ends on the 2-row file.
        int minReads = 40;
        int swaps = 0;
        try {
            while (swaps < 200 || swaps % 2 == 1 || (seen.size() < minReads || !seen.containsAll(List.of(2L, 3L))) && swaps < 100_000) {
                Path next = raceDir.resolve("warehouse.next-" + swaps + ".duckdb");
                Files.copy(byCount.get(swaps % 2 == 0 ? 3L : 2L), next);
                PublishWarehouseJob.swap(next, raceLive);
                swaps++;
            }
        } finally {
            swapping.set(false);
            for (Thread t : readers) {
                t.join();
            }
        }
        System.out.println("WarehouseTest: rename race: " + swaps + " swaps, " + seen.size() + " reads, counts "
                + new java.util.TreeSet<>(seen) + ", errors " + errors.size());
        assertThat(errors).as("errors of readers racing the rename").isEmpty();
        assertThat(seen).hasSizeGreaterThanOrEqualTo(minReads).isSubsetOf(2L, 3L).contains(2L, 3L);
        assertThat(counts(raceLive)).containsEntry("customer_360", 2L); // the last swap (odd) put in the 2-row file
        // A connection open across a swap keeps reading the file it opened. (DuckDB shares one database
        // instance per path within a process while a connection is open, so in this JVM new connections
        // also see the old file until it closes; another process sees the new one.)
        try (Connection held = WarehouseQuery.openReadOnly(raceLive)) {
            Path next = raceDir.resolve("warehouse.next-held.duckdb");
            Files.copy(live, next);
            PublishWarehouseJob.swap(next, raceLive);
            try (Statement st = held.createStatement(); ResultSet rs = st.executeQuery("select count(*) from customer_360")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2L);
            }
        }
        assertThat(counts(raceLive)).containsEntry("customer_360", 3L);
    }

    @Test
    void eachPublishWritesARunReportWithChartsAndNoRawPersonalData() throws Exception {
        Path reports = live.resolveSibling(RunReport.HISTORY_DIR);
        assertThat(first.report()).isEqualTo(reports.resolve("report-" + DAY1 + ".html"));
        assertThat(second.report()).isEqualTo(reports.resolve("report-" + DAY2 + ".html"));
        String latest = Files.readString(WarehouseLocation.report(live));
        assertThat(latest).isEqualTo(Files.readString(second.report()))
                .startsWith("<!DOCTYPE html>")
                .contains("CRM run report for " + DAY2, "id=\"quality\"", "id=\"segments\"", "id=\"scores\"",
                        "id=\"models\"", "id=\"funnel\"", "id=\"kpis\"", "id=\"alerts\"",
                        "aria-label=\"Members per segment on " + DAY2 + "\"", "<title>tier_a: 2</title>",
                        "aria-label=\"Scores of churn", "aria-label=\"Funnel stages\"", "No model in the registry yet")
                .doesNotContain("http://", "https://", "jane.doe@example.com", "Jane Doe", "+15551234567");
        assertThat(Files.readString(first.report())).contains("CRM run report for " + DAY1);
    }

    @Test
    void everyExampleQueryReturnsRows() {
        Map<String, String> examples = org.crmlake.pipeline.SqlFiles.load(Path.of("sql", "examples"), Path.of("sql", "examples"), "");
        assertThat(examples.keySet()).contains("segment_sizes_over_time.sql", "churn_risk_by_region_and_tier.sql",
                "customers_who_left_champions.sql", "funnel_conversion_by_owner.sql", "revenue_concentration.sql");
        examples.forEach((file, sql) -> assertThat(WarehouseQuery.run(live, sql, 100).total()).as(file).isPositive());
        assertThat(WarehouseQuery.run(live, examples.get("customers_who_left_champions.sql"), 10).rows())
                .extracting(r -> r.getFirst()).containsExactly("C2");
    }

    @Test
    void aQueryShowsOnlyTheCallersBookAndCannotReachFiles() {
        Caller analyst = new Caller("ann", Role.ANALYST, null, null);
        Caller manager = new Caller("max", Role.MANAGER, null, "Enterprise");
        Caller rep = new Caller("sam", Role.SALES_REP, "OWN01", null);
        String customers = "select customer_id from customer_360 order by 1";
        assertThat(firstColumn(WarehouseQuery.run(live, customers, 10, analyst))).containsExactly("C1", "C2", "C3");
        assertThat(firstColumn(WarehouseQuery.run(live, customers, 10, manager))).containsExactly("C1", "C2");
        assertThat(firstColumn(WarehouseQuery.run(live, customers, 10, rep))).containsExactly("C1");
        // Every table with a customer_id is cut to the book, views included; the others are whole.
        // An alert about a customer outside the book goes; one about a region stays.
        String counts = "select (select count(*) from scores), (select count(*) from segment_membership), "
                + "(select count(*) from customer_scores), (select count(*) from funnel), (select count(*) from segments), "
                + "(select count(*) from alerts)";
        assertThat(WarehouseQuery.run(live, counts, 1, manager).rows()).containsExactly(List.of("1", "4", "2", "1", "3", "2"));
        assertThat(WarehouseQuery.run(live, counts, 1, rep).rows()).containsExactly(List.of("0", "2", "1", "1", "3", "1"));
        assertThat(WarehouseQuery.run(live, "select subject from alerts", 5, rep).rows()).containsExactly(List.of("north"));
        for (Caller c : List.of(analyst, rep)) {
            Path other = live.resolveSibling(WarehouseLocation.PREVIOUS_NAME); // exists, not open
            assertThatThrownBy(() -> WarehouseQuery.run(live, "attach '" + other + "' as w", 1, c))
                    .as(c.user()).hasMessageContaining("query failed").hasMessageContaining("disabled");
            assertThatThrownBy(() -> WarehouseQuery.run(live, "select * from read_csv('" + live.resolveSibling("warehouse.salt") + "')", 1, c))
                    .as(c.user()).hasMessageContaining("query failed").hasMessageContaining("disabled");
            assertThatThrownBy(() -> WarehouseQuery.run(live, "set lock_configuration = false", 1, c))
                    .as(c.user()).hasMessageContaining("query failed").hasMessageContaining("locked");
        }
    }

    @Test
    void everyQueryIsAuditedAndAUserWithoutARoleIsRefused() throws Exception {
        Path access = dir.resolve("access.yaml");
        Files.writeString(access, "users:\n  sam: {role: sales_rep, owner_id: OWN01}\n");
        Path audit = ReadAudit.folder(live);
        org.apache.commons.io.FileUtils.deleteDirectory(audit.toFile());
        var cli = org.crmlake.cli.CrmCommand.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err, true));
        String sql = "select customer_id from customer_360";
        assertThat(cli.execute("sql", "--warehouse", live.toString(), "--access", access.toString(), "--user", "sam", sql)).isZero();
        assertThat(cli.execute("sql", "--warehouse", live.toString(), "--access", access.toString(), "--user", "eve", sql)).isEqualTo(2);
        assertThat(err.toString()).contains("crm sql: user eve has no role in");
        List<String> lines;
        try (var files = Files.list(audit)) {
            lines = files.flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(lines).hasSize(2);
        var allowed = json.readTree(lines.get(0));
        assertThat(allowed.get("user").asText()).isEqualTo("sam");
        assertThat(allowed.get("role").asText()).isEqualTo("sales_rep");
        assertThat(allowed.get("book").asText()).isEqualTo("owner_id=OWN01");
        assertThat(allowed.get("query").asText()).isEqualTo(sql);
        assertThat(allowed.get("rows").asLong()).isEqualTo(1);
        assertThat(allowed.get("outcome").asText()).isEqualTo("allowed");
        var denied = json.readTree(lines.get(1));
        assertThat(denied.get("user").asText()).isEqualTo("eve");
        assertThat(denied.get("outcome").asText()).startsWith("denied: user eve has no role");
        assertThat(denied.get("rows").isNull()).isTrue();
    }

    private static List<String> firstColumn(WarehouseQuery.Result r) {
        return r.rows().stream().map(List::getFirst).toList();
    }

    @Test
    void sqlRendersAnAlignedTableAndLimitsRows() {
        List<String> out = WarehouseQuery.render(WarehouseQuery.run(live,
                "select segment, members from segments order by as_of_date, segment", 2));
        assertThat(out).containsExactly(
                "segment       | members",
                "--------------+--------",
                "rfm_champions |       1",
                "rfm_champions |       1",
                "(3 rows, first 2 shown; --max-rows N for more)");
        assertThatThrownBy(() -> WarehouseQuery.run(live, "select nope from segments", 5))
                .hasMessageContaining("query failed").hasMessageContaining("nope");
        assertThatThrownBy(() -> WarehouseQuery.run(live, "create table x (a int)", 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
