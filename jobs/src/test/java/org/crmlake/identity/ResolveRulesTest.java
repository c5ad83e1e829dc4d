package org.crmlake.identity;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmlake.SparkTestBase;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.normalize.Names;
import org.crmlake.pipeline.JobContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matching rules, the over-merge guard, survivorship and stable ids on hand-made person records,
 * re-runs included (after a VACUUM too).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResolveRulesTest extends SparkTestBase {
    static final LocalDate DAY1 = LocalDate.of(2026, 9, 1);
    static final LocalDate DAY2 = LocalDate.of(2026, 9, 2);
    @TempDir
    static Path dir;
    static Lake lake;
    static Map<String, String> run1;
    static List<Row> history1;
    static Map<String, String> run2;
    static List<Row> history2;

    @BeforeAll
    static void resolveTwice() {
        lake = new Lake(spark, dir.resolve("lake").toString());
        List<Row> day1 = new ArrayList<>(List.of(
                // Zhang Wei: Han in CRM, pinyin in ERP; the third record has only name and address.
                person("crm:contacts:A1", "张伟", null, null, "+8613800000001", "1990-01-01", "建国路88号", "100001", null, 1),
                person("erp:customers:A2", "Wei Zhang", null, "zw@example.cn", "+8613800000001", null, null, null, null, 5),
                person("erp:customers:A3", "Zhang Wei", null, null, null, null, "建国路88号", "100001", null, 2),
                // A family on one landline; one nameless call and one named call from it.
                person("crm:contacts:F1", "John Smith", null, "john@example.com", "+12125550100", "1970-05-05", "1 Main St", "10001", null, 1),
                person("crm:contacts:F2", "Mary Smith", null, "mary@example.com", "+12125550100", "1972-06-06", "1 Main St", "10001", null, 1),
                person("calls:calls:K1", null, null, null, "+12125550100", null, null, null, null, 3),
                person("calls:calls:K2", "Mary Smith", null, null, "+12125550100", null, null, null, null, 3),
                // Two strangers with the placeholder e-mail.
                person("crm:contacts:P1", "Ann Lee", null, "noemail@example.com", null, null, null, null, null, 1),
                person("crm:contacts:P2", "Bob Kent", null, "noemail@example.com", null, null, null, null, null, 1),
                // An invoice addressed to the company, and a colleague.
                person("crm:contacts:B2", "Anna Berg", "Contoso Labs Inc", "anna@contoso.com", null, null, null, null, null, 1),
                person("erp:customers:B1", "Contoso Labs Inc", null, "anna@contoso.com", null, null, null, null, null, 2),
                person("crm:contacts:B3", "Tom Hale", "Contoso Labs Inc", "tom@contoso.com", null, null, null, null, null, 1),
                // Lena Ott: nothing links her two records on day 1.
                person("crm:contacts:H1", "Lena Ott", null, "lena@example.com", null, null, null, null, null, 1),
                person("erp:customers:H2", "Lena Ott", null, null, "+13035550199", null, null, null, null, 2)));
        lake.overwrite(Tables.PERSONS, spark.createDataFrame(day1, Tables.PERSONS.schema()));
        new ResolveIdentitiesJob().run(new JobContext(lake, "", DAY1, s -> { }));
        run1 = map();
        history1 = lake.read(Tables.IDENTITY_HISTORY).collectAsList();

        List<Row> day2 = new ArrayList<>(day1);
        day2.add(person("web:users:UA", "Wei Zhang", null, "zw@example.cn", null, null, null, null, null, 4));
        day2.add(person("crm:contacts:H4", "Lena Ott", null, "lena@example.com", "+13035550199", null, null, null, null, 6));
        day2.add(person("crm:contacts:G1", "Gus Grant", null, "gus@example.com", null, null, null, null, null, 6));
        lake.overwrite(Tables.PERSONS, spark.createDataFrame(day2, Tables.PERSONS.schema()));
        lake.overwrite(Tables.WEB_EVENTS, spark.createDataFrame(List.of(
                event("e1", "2026-09-01 10:00:00", "cookie-1", null, "page_view"),
                event("e2", "2026-09-01 10:05:00", "cookie-1", "UA", "login"),
                event("e3", "2026-09-01 11:00:00", "cookie-2", null, "page_view")), Tables.WEB_EVENTS.schema()));
        new ResolveIdentitiesJob().run(new JobContext(lake, "", DAY2, s -> { }));
        run2 = map();
        history2 = lake.read(Tables.IDENTITY_HISTORY).filter(col("resolved_on").equalTo(Date.valueOf(DAY2))).collectAsList();
    }

    @Test
    void strongKeysAndFuzzyCrossScriptMatchLinkOnePerson() {
        assertThat(run1.get("crm:contacts:A1")).isEqualTo(run1.get("erp:customers:A2")).isEqualTo(run1.get("erp:customers:A3"));
        assertThat(lake.read(Tables.IDENTITY_LINKS).filter(col("rule").equalTo("fellegi_sunter")
                .and(col("evidence").contains("name=exact"))).count()).isPositive();
    }

    @Test
    void sharedLandlineAndPlaceholderEmailDoNotMergeDifferentPeople() {
        assertThat(run1.get("crm:contacts:F1")).isNotEqualTo(run1.get("crm:contacts:F2"));
        assertThat(run1.get("calls:calls:K1")).as("a nameless call on a family line stays apart")
                .isNotIn(run1.get("crm:contacts:F1"), run1.get("crm:contacts:F2"));
        assertThat(run1.get("calls:calls:K2")).as("a named call joins the right family member")
                .isEqualTo(run1.get("crm:contacts:F2"));
        assertThat(run1.get("crm:contacts:P1")).isNotEqualTo(run1.get("crm:contacts:P2"));
        assertThat(lake.read(Tables.SHARED_KEYS).filter(col("key_value").equalTo("2125550100")).count()).isEqualTo(1);
    }

    @Test
    void aCompanyNameDoesNotCountAsAPersonsName() {
        assertThat(run1.get("erp:customers:B1")).isEqualTo(run1.get("crm:contacts:B2")).isNotEqualTo(run1.get("crm:contacts:B3"));
        Row anna = golden(run2.get("crm:contacts:B2"));
        assertThat(anna.<String>getAs("full_name")).isEqualTo("Anna Berg");
        assertThat(anna.<String>getAs("company")).isEqualTo("Contoso Labs Inc");
    }

    @Test
    void goldenRecordFollowsSurvivorshipAndNamesItsSources() {
        Row zhang = golden(run2.get("crm:contacts:A1"));
        assertThat(zhang.<String>getAs("full_name")).as("CRM outranks ERP and web").isEqualTo("张伟");
        assertThat(zhang.<String>getAs("name_source")).isEqualTo("crm:contacts:A1");
        assertThat(zhang.<String>getAs("email")).as("the only valid e-mail, wherever it is").isEqualTo("zw@example.cn");
        assertThat(zhang.<String>getAs("email_source")).isEqualTo("erp:customers:A2");
        assertThat(zhang.<String>getAs("phone_source")).isEqualTo("crm:contacts:A1");
        assertThat(zhang.<Long>getAs("records")).isEqualTo(4L);
        assertThat(zhang.<String>getAs("sources")).isEqualTo("crm,erp,web");
        Row mary = golden(run2.get("crm:contacts:F2"));
        assertThat(mary.<String>getAs("phone_e164")).as("a shared landline still beats no phone").isEqualTo("+12125550100");
    }

    @Test
    void idsAreStableAcrossRunsAndMergesAreRecorded() {
        assertThat(history1).allMatch(r -> r.<String>getAs("event").equals("new"));
        assertThat(run2.get("crm:contacts:A1")).as("a new record joins an existing customer").isEqualTo(run1.get("crm:contacts:A1"));
        assertThat(run2.get("web:users:UA")).isEqualTo(run1.get("crm:contacts:A1"));
        for (String key : List.of("crm:contacts:F1", "crm:contacts:F2", "crm:contacts:B2", "calls:calls:K1")) {
            assertThat(run2.get(key)).as(key).isEqualTo(run1.get(key));
        }
        // Lena's two customers of day 1 become one; one of the two ids survives.
        assertThat(run1.get("crm:contacts:H1")).isNotEqualTo(run1.get("erp:customers:H2"));
        String lena = run2.get("crm:contacts:H1");
        assertThat(lena).isEqualTo(run2.get("erp:customers:H2")).isIn(run1.get("crm:contacts:H1"), run1.get("erp:customers:H2"));
        assertThat(history2).anySatisfy(r -> {
            assertThat(r.<String>getAs("event")).isEqualTo("merge");
            assertThat(r.<String>getAs("customer_id")).isEqualTo(lena);
            assertThat(r.<String>getAs("reason")).startsWith("linked by");
        });
        assertThat(history2).filteredOn(r -> r.<String>getAs("event").equals("new"))
                .extracting(r -> r.<String>getAs("customer_id")).containsExactly(run2.get("crm:contacts:G1"));
    }

    @Test
    void cookiesAreStitchedFromTheirFirstLoginIncludingEarlierVisits() {
        List<Row> cookies = lake.read(Tables.COOKIE_MAP).collectAsList();
        assertThat(cookies).hasSize(1);
        assertThat(cookies.getFirst().<String>getAs("cookie_id")).isEqualTo("cookie-1");
        assertThat(cookies.getFirst().<String>getAs("customer_id")).isEqualTo(run2.get("crm:contacts:A1"));
    }

    @Test
    void rerunningADateGivesTheSameIdsAndHistory() {
        new ResolveIdentitiesJob().run(new JobContext(lake, "", DAY2, s -> { }));
        assertThat(map()).isEqualTo(run2);
        assertThat(lake.read(Tables.IDENTITY_HISTORY).filter(col("resolved_on").equalTo(Date.valueOf(DAY2))).collectAsList())
                .containsExactlyInAnyOrderElementsOf(history2);
    }

    /**
     * What crm forget does to a person (their rows deleted, the identity map VACUUMed with
     * --retain-hours 0), then crm resolve re-run for the last date: the version it time-travels to is
     * gone, so it starts from the current map, keeps everyone else's ids and the date's recorded merge.
     */
    @Test
    @Order(Integer.MAX_VALUE) // last: it changes the tables the other tests read
    void reRunningTheLastDateAfterAVacuumKeepsIdsAndHistory() {
        String gus = "crm:contacts:G1";
        StructType key = new StructType().add("record_key", DataTypes.StringType);
        lake.overwrite(Tables.PERSONS, lake.read(Tables.PERSONS).filter(col("record_key").notEqual(gus)).localCheckpoint());
        lake.deleteMatching(Tables.IDENTITY_MAP, spark.createDataFrame(List.of(RowFactory.create(gus)), key),
                "t.record_key = s.record_key");
        lake.withoutRetentionCheck(() -> lake.vacuum(Tables.IDENTITY_MAP, 0));
        assertThat(StableIds.previousMap(lake, DAY2).exact()).as("day 1's version is vacuumed").isFalse();

        List<String> progress = new ArrayList<>();
        new ResolveIdentitiesJob().run(new JobContext(lake, "", DAY2, progress::add));
        Map<String, String> expected = new java.util.HashMap<>(run2);
        expected.remove(gus);
        assertThat(map()).as("everyone else's ids as before the forget").isEqualTo(expected);
        assertThat(lake.read(Tables.IDENTITY_HISTORY).filter(col("event").equalTo("merge")
                .and(col("resolved_on").equalTo(Date.valueOf(DAY2)))).count()).as("day 2's merge is still recorded")
                .isEqualTo(history2.stream().filter(r -> r.<String>getAs("event").equals("merge")).count()).isPositive();
        assertThat(progress).anyMatch(p -> p.contains("was vacuumed"));
    }

    private static Map<String, String> map() {
        return lake.read(Tables.IDENTITY_MAP).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    }

    private static Row golden(String customerId) {
        return lake.read(Tables.CUSTOMERS).filter(col("customer_id").equalTo(customerId)).first();
    }

    private static Row person(String key, String name, String company, String email, String phone, String birth,
                              String street, String postcode, String crmContactId, int updatedDay) {
        String[] parts = key.split(":");
        Timestamp updated = Timestamp.valueOf("2026-08-" + String.format("%02d", updatedDay) + " 12:00:00");
        return RowFactory.create(key, parts[0], parts[1], parts[2], name, null, null, Names.latinKey(name), company,
                email, "noemail@example.com".equals(email), phone, birth == null ? null : Date.valueOf(birth), street,
                postcode == null ? null : "Somewhere", postcode, null, crmContactId, parts[0].equals("crm") ? "O1" : null,
                updated, updated, Date.valueOf("2026-08-31"));
    }

    private static Row event(String id, String ts, String cookie, String user, String type) {
        Timestamp t = Timestamp.valueOf(ts);
        return RowFactory.create(id, t, new Date(t.getTime()), cookie, user, cookie + "-1", type, "/", null, null, null, null);
    }
}
