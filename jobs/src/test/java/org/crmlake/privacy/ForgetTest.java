package org.crmlake.privacy;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.crmlake.ProcessedWorld;
import org.crmlake.SparkTestBase;
import org.crmlake.audience.AudienceExporter;
import org.crmlake.audience.AudienceRequest;
import org.crmlake.audience.Channel;
import org.crmlake.generate.GenerateResult;
import org.crmlake.gold.DataDictionary;
import org.crmlake.ingest.IngestSourceJob;
import org.crmlake.lake.Lake;
import org.crmlake.lake.PersonKey;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.JobContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * crm forget on a small generated world that went through the whole daily pipeline (warehouse and
 * run report included) and two audience exports: afterwards a scan of every lake file (data files,
 * Delta logs and checkpoints), every warehouse table and report, and the audience files finds
 * nothing of the person, and re-ingesting their old export does not bring them back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForgetTest extends SparkTestBase {
    @TempDir
    static Path dir;
    static Lake lake;
    static GenerateResult world;
    static String landing;
    static Path access;
    static Path warehouseDir;
    static List<Path> audiences = new ArrayList<>();
    static String customer;
    /** What identifies the person anywhere: ids, contact points as stored and as exported, unique names. */
    static Set<String> traces = new TreeSet<>();
    /** The traces that are contact data or names in clear (no ids, no hashes). */
    static Set<String> clearTraces = new TreeSet<>();

    @BeforeAll
    static void worldThroughThePipelineAndAnAudience() throws IOException {
        ProcessedWorld.Copy copy = ProcessedWorld.copy(spark, dir);
        world = copy.world();
        lake = copy.lake();
        landing = copy.landing();
        warehouseDir = dir.resolve("warehouse");
        access = dir.resolve("access.yaml");
        Files.writeString(access, """
                users:
                  dpo-admin: {role: admin}
                  mia: {role: marketing}
                """);
        AudienceExporter exporter = new AudienceExporter(lake, access);
        for (String name : List.of("tier_a.csv", "tier_a.parquet")) {
            Path out = dir.resolve("audiences").resolve(name);
            exporter.export("mia", new AudienceRequest("tier_a", null, null, null, Channel.parse("email"), name.endsWith(".parquet"),
                    true, null, out, null));
            audiences.add(out);
        }
        // Someone in the CSV export who is known in more than one source.
        Set<String> exported = new TreeSet<>(Files.readAllLines(audiences.getFirst()).stream().skip(1)
                .map(l -> l.substring(0, l.indexOf(','))).toList());
        customer = lake.read(Tables.IDENTITY_MAP).filter(col("customer_id").isin(exported.toArray()))
                .groupBy("customer_id").count().orderBy(col("count").desc(), col("customer_id")).first().getString(0);
        Footprint f = Footprint.find(lake, Footprint.By.CUSTOMER, customer, "DPO-TEST");
        for (PersonKey k : PersonKey.values()) {
            traces.addAll(f.ids(k));
        }
        clearTraces.addAll(f.emails());
        clearTraces.addAll(f.phones());
        f.emails().forEach(e -> traces.add(Hashes.sha256(e)));
        f.phones().forEach(p -> traces.add(Hashes.sha256(p)));
        // The contact points as exported (raw spelling), and names nobody else carries.
        List<Row> raw = lake.read(Tables.bronze("crm", "contacts")).filter(col("contact_id").isin(f.ids(PersonKey.CRM_CONTACT).toArray()))
                .select("email", "phone").unionByName(lake.read(Tables.bronze("erp", "customers"))
                        .filter(col("customer_no").isin(f.ids(PersonKey.ERP_CUSTOMER).toArray())).select("email", "phone"))
                .collectAsList();
        for (Row r : raw) {
            for (int i = 0; i < 2; i++) {
                if (r.getString(i) != null && isTheirs(r.getString(i), f)) {
                    clearTraces.add(r.getString(i));
                }
            }
        }
        List<Row> names = lake.read(Tables.PERSONS).filter(col("record_key").isin(f.ids(PersonKey.RECORD).toArray()))
                .select("full_name").distinct().collectAsList();
        for (Row r : names) {
            String name = r.getString(0);
            if (name != null && lake.read(Tables.PERSONS).filter(col("full_name").equalTo(name)
                    .and(org.apache.spark.sql.functions.not(col("record_key").isin(f.ids(PersonKey.RECORD).toArray())))).isEmpty()) {
                clearTraces.add(name);
            }
        }
        traces.addAll(clearTraces);
    }

    /** An e-mail or phone as exported whose normalised form is one of the person's (not a shared one). */
    private static boolean isTheirs(String raw, Footprint f) {
        if (raw.contains("@")) {
            return f.emails().contains(org.crmlake.normalize.Emails.normalize(raw));
        }
        String digits = raw.replaceAll("[^0-9]", "");
        return digits.length() >= 9 && f.phones().stream().anyMatch(p -> p.endsWith(digits.substring(digits.length() - 9)));
    }

    @Test
    @Order(1)
    void everyColumnThatIdentifiesAPersonIsDeclared() {
        Set<String> identifying = Set.of("customer_id", "other_customer_id", "record_key", "record_a", "record_b", "contact_id",
                "customer_ref", "customer_no", "order_id", "opportunity_id", "user_id", "cookie_id", "call_id", "raw_record", "crm_contact_id");
        List<String> undeclared = new ArrayList<>();
        for (TableDef t : DataDictionary.tables()) {
            if (t.layer() == org.crmlake.lake.Layer.PRIVACY) {
                continue; // the erasure requests themselves: hashed identifiers, kept by design
            }
            t.columnNames().stream().filter(c -> identifying.contains(c) && !t.personKeys().containsKey(c))
                    .forEach(c -> undeclared.add(t.qualifiedName() + "." + c));
        }
        assertThat(undeclared).as("columns that identify a person but are not declared with TableDef.personKey").isEmpty();
    }

    @Test
    @Order(2)
    void theScanFindsThePersonBeforehand() throws Exception {
        assertThat(traces).as("the person's identifiers").hasSizeGreaterThan(5);
        Map<String, Integer> hits = scanEverything();
        assertThat(hits.keySet()).as("places holding the person before forget")
                .anyMatch(p -> p.contains("/lake/silver/persons/"))
                .anyMatch(p -> p.contains("/lake/bronze/"))
                .anyMatch(p -> p.endsWith(".duckdb"))
                .anyMatch(p -> p.endsWith("tier_a.csv"))
                .anyMatch(p -> p.endsWith("tier_a.parquet"));
    }

    @Test
    @Order(3)
    void onlyAnAdminMayForgetAndMistakesGetOneLine() {
        Cli refused = crm("--user", "mia", "--customer", customer, "--request-id", "DPO-1");
        assertThat(refused.code).isEqualTo(2);
        assertThat(refused.err.strip()).startsWith("crm forget: only an admin may erase people").doesNotContain("\n");
        assertThat(lake.read(Tables.AUDIT_LOG).filter(col("action").equalTo("forget").and(col("outcome").equalTo("refused")))
                .count()).as("the refusal is audited").isEqualTo(1);
        assertThat(crm("--user", "dpo-admin", "--customer", customer, "--request-id", "DPO 1!").err)
                .contains("--request-id 'DPO 1!': use letters, digits");
        assertThat(crm("--user", "dpo-admin", "--email", "not-an-address", "--request-id", "DPO-1").err)
                .contains("is not a valid e-mail address");
        assertThat(crm("--user", "dpo-admin", "--email", "noemail@example.com", "--request-id", "DPO-1").err)
                .as("a placeholder names nobody").contains("is a placeholder or shared by several people");
        assertThat(crm("--user", "dpo-admin", "--customer", customer, "--email", "a@b.cn", "--request-id", "DPO-1").code)
                .as("one way to name the person").isEqualTo(2);
    }

    @Test
    @Order(4)
    void aDryRunCountsAndChangesNothing() throws Exception {
        long persons = lake.read(Tables.PERSONS).count();
        List<String> summary = erasure().forget("dpo-admin", request(true), s -> { });
        assertThat(String.join("\n", summary)).contains("dry run").contains("silver.persons").contains("would remove");
        assertThat(lake.read(Tables.PERSONS).count()).isEqualTo(persons);
        assertThat(Files.readString(audiences.getFirst())).contains(customer);
    }

    @Test
    @Order(5)
    void afterForgetNothingOfThePersonIsLeftAnywhere() throws Exception {
        long personsBefore = lake.read(Tables.PERSONS).count();
        long recordsOfThePerson = lake.read(Tables.IDENTITY_MAP).filter(col("customer_id").equalTo(customer)).count();
        Cli run = crm("--user", "dpo-admin", "--customer", customer, "--request-id", "DPO-1");
        String text = run.out;
        System.out.println(text);
        assertThat(run.code).as(run.err).isZero();
        assertThat(text).contains("removed").contains("audience files: 2 in the audit log, 2 rewritten").contains("republished");

        Map<String, Integer> hits = scanEverything();
        System.out.printf("scan after forget: %d Parquet files read value by value, %d files read as text, %d DuckDB tables, "
                + "%d traces looked for, %d found%n", parquetFiles, textFiles, duckDbTables, traces.size(), hits.size());
        assertThat(hits).as("files still holding any of " + traces).isEmpty();

        assertThat(lake.read(Tables.PERSONS).count()).as("only the person's records went")
                .isEqualTo(personsBefore - recordsOfThePerson);
        assertThat(Files.readAllLines(audiences.getFirst())).as("the rest of the audience stays").hasSizeGreaterThan(1);
        assertThat(Files.exists(warehouseDir.resolve("warehouse.previous.duckdb"))).isFalse();
        assertThat(lake.read(Tables.ERASURE_LOG).filter(col("request_id").equalTo("DPO-1")).count()).isGreaterThan(10);
        Row audit = lake.read(Tables.AUDIT_LOG).filter(col("action").equalTo("forget").and(col("outcome").equalTo("allowed")))
                .first();
        assertThat(audit.<String>getAs("user_name")).isEqualTo("dpo-admin");
        assertThat(audit.<String>getAs("definition")).doesNotContain(customer).contains("request_id=DPO-1");
    }

    @Test
    @Order(6)
    void reIngestingAnOldExportDoesNotBringThePersonBack() throws IOException {
        LocalDate again = world.batchDates().getLast().plusDays(1);
        for (String source : List.of("crm", "erp", "web", "calls")) {
            for (LocalDate d : world.batchDates()) {
                Path from = Path.of(landing, source, d.toString());
                if (Files.isDirectory(from)) {
                    FileUtils.copyDirectory(from.toFile(), Path.of(landing, source, again.toString()).toFile());
                    break; // the first batch: the full export the person was in from the start
                }
            }
            IngestSourceJob.builtIn(source).run(new JobContext(lake, landing, again, s -> { }));
        }
        List<Row> log = lake.read(Tables.INGEST_LOG).filter(col("batch_date").equalTo(java.sql.Date.valueOf(again))).collectAsList();
        long suppressed = 0;
        for (Row r : log) {
            long in = r.getAs("rows_in");
            long kept = r.getAs("rows_kept");
            long q = r.getAs("rows_quarantined");
            long s = r.getAs("rows_suppressed");
            assertThat(in).as(r.<String>getAs("source_file") + ": in = kept + quarantined + suppressed").isEqualTo(kept + q + s);
            suppressed += s;
        }
        assertThat(suppressed).as("the person's records in the old export").isPositive();
        Map<String, Integer> hits = new LinkedHashMap<>();
        scanLake(hits);
        assertThat(hits).as("the lake after re-ingesting the old export").isEmpty();
    }

    private static Erasure erasure() {
        return new Erasure(lake, access, null, org.crmlake.warehouse.PublishWarehouseJob.VIEWS_DIR, landing);
    }

    record Cli(int code, String out, String err) {
    }

    /** Runs {@code crm forget} in this JVM (the shared SparkSession) on the test's lake. */
    private static Cli crm(String... args) {
        List<String> all = new ArrayList<>(List.of("forget", "--lake", lake.root(), "--landing", landing,
                "--access", access.toString()));
        all.addAll(List.of(args));
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = org.crmlake.cli.CrmCommand.commandLine().execute(all.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Erasure.Request request(boolean dryRun) {
        return new Erasure.Request(Footprint.By.CUSTOMER, customer, "DPO-1", 0, dryRun);
    }

    // ------------------------------------------------------------------ the scan

    /** What the last scan read, for the closing figures: Parquet files, text files, DuckDB tables. */
    static int parquetFiles;
    static int textFiles;
    static int duckDbTables;

    private static Map<String, Integer> scanEverything() throws IOException, SQLException {
        parquetFiles = 0;
        textFiles = 0;
        duckDbTables = 0;
        Map<String, Integer> hits = new LinkedHashMap<>();
        scanLake(hits);
        try (Stream<Path> files = Files.walk(warehouseDir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (p.toString().endsWith(".duckdb")) {
                    scanDuckDb(p, hits);
                } else {
                    scanText(p, traces, hits);
                }
            }
        }
        for (Path a : audiences) {
            if (a.toString().endsWith(".parquet")) {
                scanParquet(a, traces, hits);
            } else {
                scanText(a, traces, hits);
            }
        }
        return hits;
    }

    /**
     * Every file under the lake: Parquet data and checkpoint files value by value, everything else as
     * text. The privacy layer is the suppression list: it holds the person's customer ids and hashes
     * by design, so there only their clear e-mails, phones and names count.
     */
    private static void scanLake(Map<String, Integer> hits) throws IOException {
        Path privacy = dir.resolve("lake").resolve("privacy");
        try (Stream<Path> files = Files.walk(dir.resolve("lake"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Set<String> wanted = p.startsWith(privacy) ? clearTraces : traces;
                if (p.getFileName().toString().endsWith(".parquet")) {
                    scanParquet(p, wanted, hits);
                } else {
                    scanText(p, wanted, hits);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void scanText(Path file, Set<String> wanted, Map<String, Integer> hits) throws IOException {
        textFiles++;
        count(file, new String(Files.readAllBytes(file), StandardCharsets.UTF_8), wanted, hits);
    }

    private static void scanParquet(Path file, Set<String> wanted, Map<String, Integer> hits) throws SQLException {
        parquetFiles++;
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + file.toString().replace("'", "''") + "')")) {
            count(file, text(rs), wanted, hits);
        }
    }

    private static void scanDuckDb(Path file, Map<String, Integer> hits) throws SQLException {
        Properties ro = new Properties();
        ro.setProperty("duckdb.read_only", "true");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + file, ro); Statement s = db.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            StringBuilder all = new StringBuilder();
            for (String t : tables) {
                duckDbTables++;
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    all.append(text(rs));
                }
            }
            count(file, all.toString(), traces, hits);
        }
    }

    private static String text(ResultSet rs) throws SQLException {
        StringBuilder b = new StringBuilder();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            for (int i = 1; i <= n; i++) {
                b.append(rs.getString(i)).append('\u0001');
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void count(Path file, String content, Set<String> wanted, Map<String, Integer> hits) {
        int n = 0;
        for (String t : wanted) {
            if (Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(t) + "(?![A-Za-z0-9])").matcher(content).find()) {
                n++;
            }
        }
        if (n > 0) {
            hits.merge(file.toString(), n, Integer::sum);
        }
    }
}
