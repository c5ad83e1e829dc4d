package org.crmlake.audience;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crmlake.SparkTestBase;
import org.crmlake.access.AccessDeniedException;
import org.crmlake.cli.CrmCommand;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * crm audience export on a hand-made world of nine customers. Segment win_back's open members are
 * C1..C7 (C9 left it); what each customer is expected to be follows from their row below:
 * C1 exported (owner OWN01), C2 opted out, C3 no consent recorded, C4 no e-mail, C5 forgotten by
 * customer id, C6 forgotten by the hash of their e-mail only, C7 exported (owner OWN02).
 */
class AudienceExportTest extends SparkTestBase {
    static final LocalDate DAY = LocalDate.parse("2026-09-30");
    static final String TEST_EMAIL_SHA256 = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
    @TempDir
    static Path dir;
    static Lake lake;
    static Path access;
    static Path out;

    @BeforeAll
    static void world() throws IOException {
        lake = new Lake(spark, dir.resolve("lake").toString());
        out = Files.createDirectories(dir.resolve("out"));
        access = dir.resolve("access.yaml");
        Files.writeString(access, """
                users:
                  mia: { role: marketing }
                  ann: { role: analyst }
                  sam: { role: sales_rep, owner_id: OWN01 }
                  ivan: { role: intern }
                  ada: { role: admin }
                  max: { role: manager, team: SMB }
                """);
        lake.overwrite(Tables.CUSTOMER_360, spark.createDataFrame(List.of(
                // C1's e-mail is deliberately not normalised: the hash must be of "test@example.com".
                c360("C1", " Test@Example.com", "+8613812345678", "opt_in", "opt_in", "OWN01"),
                c360("C2", "c2@shop.cn", "+8613900000002", "opt_out", "opt_in", "OWN01"),
                c360("C3", "c3@shop.cn", null, null, null, "OWN02"),
                c360("C4", null, "+8613900000004", "opt_in", "opt_out", "OWN02"),
                c360("C5", "c5@shop.cn", null, "opt_in", null, "OWN02"),
                c360("C6", "gone@shop.cn", null, "opt_in", null, "OWN01"),
                c360("C7", "c7@shop.cn", null, "opt_in", null, "OWN02"),
                c360("C8", "c8@shop.cn", "+14155550123", "opt_in", "opt_in", "OWN02"),
                c360("C9", "c9@shop.cn", null, "opt_in", null, "OWN01")), Tables.CUSTOMER_360.schema()));
        lake.overwrite(Tables.SCORES, spark.createDataFrame(List.of(
                score("C1", 0.90, 1), score("C2", 0.80, 2), score("C3", 0.70, 3), score("C4", 0.65, 4),
                score("C5", 0.62, 5), score("C6", 0.30, 7), score("C7", 0.20, 9), score("C8", 0.95, 1),
                score("C9", 0.10, 10)), Tables.SCORES.schema()));
        lake.overwrite(Tables.SEGMENTS, spark.createDataFrame(List.of(row(Tables.SEGMENTS, Map.of(
                "as_of_date", Date.valueOf(DAY), "segment", "win_back", "members", 7L))), Tables.SEGMENTS.schema()));
        Date entered = Date.valueOf(DAY.minusDays(30));
        List<Row> members = new java.util.ArrayList<>();
        for (String id : List.of("C1", "C2", "C3", "C4", "C5", "C6", "C7")) {
            members.add(RowFactory.create("win_back", id, entered, null));
        }
        members.add(RowFactory.create("win_back", "C9", entered, Date.valueOf(DAY)));
        lake.overwrite(Tables.SEGMENT_MEMBERSHIP, spark.createDataFrame(members, Tables.SEGMENT_MEMBERSHIP.schema()));
        // Erasure requests: C5 by id; C6's e-mail by its hash only, as a request for an unknown customer.
        lake.append(Tables.ERASURE_REQUESTS, spark.createDataFrame(List.of(
                RowFactory.create("REQ-1", "C5", null, null, Timestamp.valueOf("2026-09-01 10:00:00"), "dpo"),
                RowFactory.create("REQ-2", null, sha256("gone@shop.cn"), null, Timestamp.valueOf("2026-09-02 10:00:00"), "dpo")),
                Tables.ERASURE_REQUESTS.schema()));
    }

    static Row c360(String id, String email, String phone, String emailConsent, String smsConsent, String owner) {
        Map<String, Object> v = new HashMap<>(Map.of("as_of_date", Date.valueOf(DAY), "customer_id", id, "owner_id", owner,
                "team", owner.equals("OWN01") ? "Enterprise" : "SMB"));
        v.put("email", email);
        v.put("phone_e164", phone);
        v.put("email_consent", emailConsent);
        v.put("sms_consent", smsConsent);
        return row(Tables.CUSTOMER_360, v);
    }

    static Row score(String id, double score, int decile) {
        return row(Tables.SCORES, Map.of("as_of_date", Date.valueOf(DAY), "customer_id", id, "model", "churn",
                "version", 1, "score", score, "decile", decile, "reason_1", "few orders lately", "reason_2", "no visits"));
    }

    static Row row(TableDef table, Map<String, Object> values) {
        Object[] cells = new Object[table.columns().size()];
        values.forEach((k, v) -> cells[table.columnNames().indexOf(k)] = v);
        return RowFactory.create(cells);
    }

    /** Independent of the code under test: the JDK's SHA-256 of the UTF-8 bytes, lowercase hex. */
    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static AudienceExporter exporter() {
        return new AudienceExporter(lake, access);
    }

    static AudienceRequest request(String segment, String model, Double minScore, Integer minDecile, Channel channel,
            boolean hash, boolean unknownConsent, String file) {
        return new AudienceRequest(segment, model, minScore, minDecile, channel, hash, unknownConsent, null, out.resolve(file), null);
    }

    static List<String> csv(Path file) throws IOException {
        return Files.readAllLines(file);
    }

    static Row audit(String auditId) {
        return lake.read(Tables.AUDIT_LOG).filter(col("audit_id").equalTo(auditId)).first();
    }

    static List<Row> auditOf(String user, String outcome) {
        return lake.read(Tables.AUDIT_LOG).filter(col("user_name").equalTo(user).and(col("outcome").equalTo(outcome))).collectAsList();
    }

    @Test
    void marketingGetsClearEmailsOfConsentedMembersOnlyAndCountsReconcile() throws IOException {
        AudienceExporter.Result r = exporter().export("mia", request("win_back", null, null, null, Channel.EMAIL, false, false, "wb.csv"));
        Path file = out.resolve("wb.csv");
        assertThat(csv(file)).containsExactly("customer_id,email,score,decile,reason_1,reason_2,reason_3",
                "C1,test@example.com,,,,,", "C7,c7@shop.cn,,,,,");
        assertThat(r.selected()).isEqualTo(7);
        assertThat(r.exported()).isEqualTo(2);
        assertThat(r.suppressed()).containsExactlyInAnyOrderEntriesOf(Map.of(Suppression.FORGOTTEN, 2L,
                Suppression.OPTED_OUT, 1L, Suppression.NO_CONSENT, 1L, Suppression.NO_CONTACT_POINT, 1L));
        assertThat(r.selected()).isEqualTo(r.exported() + r.suppressedTotal());
        assertThat(r.summary()).anySatisfy(l -> assertThat(l).startsWith("selected 7 = exported 2 + suppressed 5 (forgotten 2, "));
        Row a = audit(r.auditId());
        assertThat(a.<String>getAs("user_name")).isEqualTo("mia");
        assertThat(a.<String>getAs("role")).isEqualTo("marketing");
        assertThat(a.<String>getAs("action")).isEqualTo("audience export");
        assertThat(a.<String>getAs("definition")).contains("segment=win_back", "channel=email", "hash=false", "date=2026-09-30");
        assertThat(a.<Long>getAs("rows_selected")).isEqualTo(7L);
        assertThat(a.<Long>getAs("rows_exported")).isEqualTo(2L);
        assertThat(a.<String>getAs("suppressed")).contains("forgotten=2", "opted_out=1", "no_consent=1", "no_contact_point=1");
        assertThat(a.<String>getAs("file_sha256")).isEqualTo(sha256(Files.readString(file)));
        assertThat(a.<String>getAs("outcome")).isEqualTo("allowed");
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).as("no temporary folder is left behind").noneMatch(p -> p.getFileName().toString().startsWith("."));
        }
    }

    @Test
    void anOptOutRecordedTodaySuppressesTheCustomerInTodaysExport() throws IOException {
        // customer_360 for DAY says C1 opted in; this morning (after it was built) C1 opted out by e-mail.
        // C2 opted back in this morning, but the snapshot's opt-out stands until the next customer_360.
        lake.overwrite(Tables.IDENTITY_MAP, spark.createDataFrame(List.of(
                RowFactory.create("crm:contacts:K1", "C1", "crm_id", Date.valueOf(DAY)),
                RowFactory.create("crm:contacts:K2", "C2", "crm_id", Date.valueOf(DAY))), Tables.IDENTITY_MAP.schema()));
        Timestamp today = Timestamp.valueOf(DAY.plusDays(1).atTime(8, 15));
        lake.overwrite(Tables.CONSENTS, spark.createDataFrame(List.of(
                RowFactory.create("K1", "email", "opt_in", Timestamp.valueOf("2026-01-05 09:00:00")),
                RowFactory.create("K1", "email", "opt_out", today),
                RowFactory.create("K1", "sms", "opt_in", today),
                RowFactory.create("K2", "email", "opt_out", Timestamp.valueOf("2026-03-01 09:00:00")),
                RowFactory.create("K2", "email", "opt_in", today)), Tables.CONSENTS.schema()));
        try {
            AudienceExporter.Result r = exporter().export("mia",
                    request("win_back", null, null, null, Channel.EMAIL, false, false, "wb_today.csv"));
            assertThat(csv(out.resolve("wb_today.csv"))).extracting(l -> l.split(",")[0]).containsExactly("customer_id", "C7");
            assertThat(r.suppressed()).containsEntry(Suppression.OPTED_OUT, 2L);
            assertThat(r.selected()).isEqualTo(r.exported() + r.suppressedTotal());
            // The e-mail opt-out does not touch C1's SMS consent.
            AudienceExporter.Result sms = exporter().export("mia",
                    request(null, "churn", null, 1, Channel.SMS, false, false, "sms_today.csv"));
            assertThat(csv(out.resolve("sms_today.csv"))).extracting(l -> l.split(",")[0]).contains("C1");
            assertThat(sms.selected()).isEqualTo(sms.exported() + sms.suppressedTotal());
        } finally {
            lake.overwrite(Tables.CONSENTS, spark.createDataFrame(List.of(), Tables.CONSENTS.schema()));
        }
    }

    @Test
    void unknownConsentIsIncludedOnlyWhenAskedAndOptOutsNever() throws IOException {
        AudienceExporter.Result r = exporter().export("mia", request("win_back", null, null, null, Channel.EMAIL, false, true, "wb_unknown.csv"));
        assertThat(csv(out.resolve("wb_unknown.csv"))).extracting(l -> l.split(",")[0]).containsExactly("customer_id", "C1", "C3", "C7");
        assertThat(r.suppressed()).doesNotContainKey(Suppression.NO_CONSENT).containsEntry(Suppression.OPTED_OUT, 1L);
        assertThat(r.selected()).isEqualTo(r.exported() + r.suppressedTotal());
    }

    @Test
    void segmentAndScoreIntersectAndHashTheNormalisedEmail() {
        AudienceExporter.Result r = exporter().export("mia",
                new AudienceRequest("win_back", "churn", 0.6, null, Channel.EMAIL, true, false, null, out.resolve("hashed.out"), "parquet"));
        // Members scoring >= 0.6: C1..C5 (C8 scores 0.95 but is not a member); only C1 may be contacted.
        assertThat(r.selected()).isEqualTo(5);
        assertThat(r.suppressed()).containsExactlyInAnyOrderEntriesOf(Map.of(Suppression.FORGOTTEN, 1L,
                Suppression.OPTED_OUT, 1L, Suppression.NO_CONSENT, 1L, Suppression.NO_CONTACT_POINT, 1L));
        List<Row> rows = spark.read().parquet(out.resolve("hashed.out").toString()).collectAsList();
        assertThat(rows).hasSize(1);
        Row c1 = rows.get(0);
        assertThat(List.of(rows.get(0).schema().fieldNames())).containsExactly("customer_id", "email_sha256", "score",
                "decile", "reason_1", "reason_2", "reason_3");
        assertThat(sha256("test@example.com")).as("the known vector").isEqualTo(TEST_EMAIL_SHA256);
        assertThat(c1.<String>getAs("email_sha256")).isEqualTo(TEST_EMAIL_SHA256);
        assertThat(c1.<Double>getAs("score")).isEqualTo(0.90);
        assertThat(c1.<Integer>getAs("decile")).isEqualTo(1);
        assertThat(c1.<String>getAs("reason_1")).isEqualTo("few orders lately");
        assertThat(rows.toString()).doesNotContain("@");
    }

    @Test
    void topDecileBySmsHashesTheE164Phone() throws IOException {
        AudienceExporter.Result r = exporter().export("mia", request(null, "churn", null, 1, Channel.SMS, true, false, "sms.csv"));
        assertThat(csv(out.resolve("sms.csv"))).containsExactly(
                "customer_id,phone_sha256,score,decile,reason_1,reason_2,reason_3",
                "C8," + sha256("+14155550123") + ",0.95,1,few orders lately,no visits,",
                "C1," + sha256("+8613812345678") + ",0.9,1,few orders lately,no visits,");
        assertThat(sha256("+8613812345678")).isEqualTo("2ebdcb1bacf1ff0801da3dac97a864a1d35d3b3b7aa75c47bd4b220f9f04c4e2");
        assertThat(r.selected()).isEqualTo(2);
        assertThat(r.exported()).isEqualTo(2);
    }

    @Test
    void analystGetsMaskedContactPointsAndIsRefusedHashes() throws IOException {
        AudienceExporter.Result r = exporter().export("ann", request("win_back", null, null, null, Channel.EMAIL, false, false, "ann.csv"));
        assertThat(csv(out.resolve("ann.csv"))).containsExactly("customer_id,email,score,decile,reason_1,reason_2,reason_3",
                "C1,t***@example.com,,,,,", "C7,c***@shop.cn,,,,,");
        assertThat(audit(r.auditId()).<String>getAs("role")).isEqualTo("analyst");

        assertThatThrownBy(() -> exporter().export("ann", request("win_back", null, null, null, Channel.EMAIL, true, false, "ann_hashed.csv")))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("role analyst gets masked contact points only");
        assertThat(out.resolve("ann_hashed.csv")).doesNotExist();
        List<Row> refused = auditOf("ann", "refused");
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).<String>getAs("role")).isEqualTo("analyst");
        assertThat(refused.get(0).<String>getAs("definition")).contains("hash=true");
        assertThat(refused.get(0).<Long>getAs("rows_exported")).isEqualTo(0L);
        assertThat(refused.get(0).<String>getAs("file_sha256")).isNull();
        assertThat(refused.get(0).<String>getAs("reason")).contains("masked contact points only");
    }

    @Test
    void salesRepExportsOnlyTheirOwnCustomers() throws IOException {
        AudienceExporter.Result r = exporter().export("sam", request("win_back", null, null, null, Channel.EMAIL, false, false, "sam.csv"));
        // OWN01 owns C1 (exported), C2 (opted out), C6 (forgotten); C3, C4, C7 belong to OWN02 (C5, also OWN02, is forgotten first).
        assertThat(csv(out.resolve("sam.csv"))).containsExactly("customer_id,email,score,decile,reason_1,reason_2,reason_3",
                "C1,test@example.com,,,,,");
        assertThat(r.suppressed()).containsExactlyInAnyOrderEntriesOf(Map.of(Suppression.FORGOTTEN, 2L,
                Suppression.NOT_OWNED, 3L, Suppression.OPTED_OUT, 1L));
        assertThat(r.selected()).isEqualTo(r.exported() + r.suppressedTotal()).isEqualTo(7);
        assertThat(audit(r.auditId()).<String>getAs("suppressed")).contains("not_owned=3");
        assertThat(audit(r.auditId()).<String>getAs("definition")).endsWith("; owner_id=OWN01");
    }

    @Test
    void aManagerExportsTheirTeamsCustomersAndAnAdminEveryones() throws IOException {
        AudienceExporter.Result r = exporter().export("max", request("win_back", null, null, null, Channel.EMAIL, false, false, "max.csv"));
        // Team SMB owns C3 (no consent), C4 (no e-mail), C5 (forgotten) and C7 (exported); C1, C2 and C6 are Enterprise's.
        assertThat(csv(out.resolve("max.csv"))).extracting(l -> l.split(",")[0]).containsExactly("customer_id", "C7");
        assertThat(r.suppressed()).containsExactlyInAnyOrderEntriesOf(Map.of(Suppression.FORGOTTEN, 2L,
                Suppression.NOT_OWNED, 2L, Suppression.NO_CONSENT, 1L, Suppression.NO_CONTACT_POINT, 1L));
        assertThat(r.selected()).isEqualTo(r.exported() + r.suppressedTotal()).isEqualTo(7);
        assertThat(audit(r.auditId()).<String>getAs("role")).isEqualTo("manager");
        assertThat(audit(r.auditId()).<String>getAs("definition")).endsWith("; team=SMB");

        AudienceExporter.Result admin = exporter().export("ada", request("win_back", null, null, null, Channel.EMAIL, false, false, "ada.csv"));
        assertThat(csv(out.resolve("ada.csv"))).containsExactly("customer_id,email,score,decile,reason_1,reason_2,reason_3",
                "C1,test@example.com,,,,,", "C7,c7@shop.cn,,,,,");
        assertThat(admin.suppressed()).doesNotContainKey(Suppression.NOT_OWNED);
        assertThat(audit(admin.auditId()).<String>getAs("role")).isEqualTo("admin");
    }

    @Test
    void unknownUsersAndRolesAreRefusedAndAudited() {
        assertThatThrownBy(() -> exporter().export("eve", request("win_back", null, null, null, Channel.EMAIL, false, false, "eve.csv")))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("user eve has no role in")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> exporter().export("ivan", request("win_back", null, null, null, Channel.EMAIL, false, false, "ivan.csv")))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("has role 'intern'");
        assertThat(out.resolve("eve.csv")).doesNotExist();
        assertThat(out.resolve("ivan.csv")).doesNotExist();
        Row eve = auditOf("eve", "refused").get(0);
        assertThat(eve.<String>getAs("role")).isNull();
        assertThat(eve.<String>getAs("definition")).contains("segment=win_back");
        assertThat(auditOf("ivan", "refused")).singleElement().satisfies(a -> assertThat(a.<String>getAs("role")).isEqualTo("intern"));
    }

    @Test
    void aFailedExportLeavesTheExistingFileAndIsAudited() throws IOException {
        Path file = out.resolve("kept.csv");
        Files.writeString(file, "previous audience\n");
        assertThatThrownBy(() -> exporter().export("mia", request("no_such_segment", null, null, null, Channel.EMAIL, false, false, "kept.csv")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown segment 'no_such_segment'; known: win_back");
        assertThat(Files.readString(file)).isEqualTo("previous audience\n");
        assertThat(auditOf("mia", "failed")).anySatisfy(a -> assertThat(a.<String>getAs("reason")).contains("no_such_segment"));
    }

    @Test
    void anEmptyAudienceIsAValidFileAndTheAuditLogRefusesDeletes() throws IOException {
        AudienceExporter.Result nobody = exporter().export("mia", request(null, "churn", 0.99, null, Channel.EMAIL, false, false, "nobody.csv"));
        assertThat(nobody.selected()).isZero();
        assertThat(csv(out.resolve("nobody.csv"))).as("an empty audience is a valid file with its header")
                .containsExactly("customer_id,email,score,decile,reason_1,reason_2,reason_3");
        String path = lake.path(Tables.AUDIT_LOG);
        assertThatThrownBy(() -> spark.sql("DELETE FROM delta.`" + path + "` WHERE outcome = 'refused'"))
                .hasMessageContaining("append");
        assertThat(lake.read(Tables.AUDIT_LOG).count()).isPositive();
    }

    @Test
    void theCliRefusesWithOneLineAndExitCode2AndExportsForAShippedDemoUser() throws IOException {
        StringWriter err = new StringWriter();
        CommandLine cli = CrmCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("audience", "export", "--lake", lake.root(), "--access", access.toString(), "--user", "mallory",
                "--segment", "win_back", "--channel", "email", "--out", out.resolve("mallory.csv").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("crm audience export: user mallory has no role in").doesNotContain("\n");
        assertThat(auditOf("mallory", "refused")).hasSize(1);

        Path shipped = Path.of("..", "conf", "access.yaml");
        code = CrmCommand.commandLine().execute("audience", "export", "--lake", lake.root(), "--access", shipped.toString(),
                "--user", "demo-marketing", "--segment", "win_back", "--channel", "EMAIL", "--out", out.resolve("demo.csv").toString());
        assertThat(code).isZero();
        assertThat(csv(out.resolve("demo.csv"))).hasSize(3);
    }
}
