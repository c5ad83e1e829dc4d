package org.crmlake.privacy;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.crmlake.SparkTestBase;
import org.crmlake.lake.Lake;
import org.crmlake.lake.PersonKey;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * crm forget on a hand-made lake of two people: Li (the person, customer CA, formerly CA_OLD1 and
 * before that CA_OLD2) and Wang (CB), who shares a family browser with Li and whose e-mail and CRM id
 * contain Li's ({@code wangli@shop.cn}, {@code CT-10}). Only Li's rows go.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErasureSmallLakeTest extends SparkTestBase {
    static final Date DAY = Date.valueOf("2026-09-30");
    @TempDir
    static Path dir;
    static Lake lake;

    @BeforeAll
    static void twoPeople() throws Exception {
        lake = new Lake(spark, dir.resolve("lake").toString());
        write(Tables.PERSONS,
                row(Tables.PERSONS, "record_key", "crm:contacts:CT-1", "source", "crm", "entity", "contacts", "record_id", "CT-1",
                        "email", "li@shop.cn", "phone_e164", "+8613800000001"),
                row(Tables.PERSONS, "record_key", "web:users:U1", "source", "web", "entity", "users", "record_id", "U1"),
                row(Tables.PERSONS, "record_key", "erp:customers:E1", "source", "erp", "entity", "customers", "record_id", "E1",
                        "crm_contact_id", "CT-1"),
                row(Tables.PERSONS, "record_key", "crm:contacts:CT-10", "source", "crm", "entity", "contacts", "record_id", "CT-10",
                        "email", "wangli@shop.cn"),
                row(Tables.PERSONS, "record_key", "web:users:U2", "source", "web", "entity", "users", "record_id", "U2"),
                // Another customer's ERP record pointing to Li's CRM contact.
                row(Tables.PERSONS, "record_key", "erp:customers:E4", "source", "erp", "entity", "customers", "record_id", "E4",
                        "crm_contact_id", "CT-1"));
        write(Tables.IDENTITY_MAP, map("crm:contacts:CT-1", "CA"), map("web:users:U1", "CA"), map("erp:customers:E1", "CA"),
                map("crm:contacts:CT-10", "CB"), map("web:users:U2", "CB"), map("erp:customers:E4", "CB"));
        write(Tables.IDENTITY_HISTORY, history("new", "CA_OLD2", null), history("merge", "CA_OLD1", "CA_OLD2"),
                history("merge", "CA", "CA_OLD1"), history("split", "CN", "CA"), history("new", "CB", null));
        write(Tables.COOKIE_MAP, cookie("K1", "CA"), cookie("K2", "CB"), cookie("K3", "CB"));
        // K1 is Li's alone; K2 the family browser; K3 stitched to Wang; K4 (bronze only) also used by a third account.
        write(Tables.WEB_EVENTS, event(Tables.WEB_EVENTS, "ev1", "K1", "U1"), event(Tables.WEB_EVENTS, "ev2", "K1", null),
                event(Tables.WEB_EVENTS, "ev3", "K2", "U1"), event(Tables.WEB_EVENTS, "ev4", "K2", "U2"),
                event(Tables.WEB_EVENTS, "ev5", "K2", null), event(Tables.WEB_EVENTS, "ev6", "K3", "U1"),
                event(Tables.WEB_EVENTS, "ev7", "K3", null));
        TableDef bronzeWeb = Tables.bronze("web", "events");
        write(bronzeWeb, event(bronzeWeb, "bev1", "K1", "U1"), event(bronzeWeb, "bev2", "K4", "U1"), event(bronzeWeb, "bev3", "K4", "U3"));
        TableDef erp = Tables.bronze("erp", "customers");
        write(erp, erpCustomer(erp, "E1", "CT-1"), erpCustomer(erp, "E2", "CT-1"), erpCustomer(erp, "E3", "CT-10"));
        write(Tables.QUARANTINE, quarantined("CT-1;Li;li@shop.cn"), quarantined("CT-10;Wang;wangli@shop.cn"),
                quarantined("{\"email\":\"xx.li@shop.cn\"}"), quarantined("{\"note\":\"write to LI@SHOP.CN.\"}"),
                quarantined("note: call +86 138 0000 0001"));
    }

    @Test
    @Order(1)
    void aCustomerIdMergedAwayTwoMergesDeepFindsThePerson() {
        Footprint f = Footprint.find(lake, Footprint.By.CUSTOMER, "CA_OLD2", "R-1");
        assertThat(f.ids(PersonKey.CUSTOMER)).as("merges followed both ways, splits not").containsExactly("CA", "CA_OLD1", "CA_OLD2");
        assertThat(f.ids(PersonKey.RECORD)).containsExactlyInAnyOrder("crm:contacts:CT-1", "web:users:U1", "erp:customers:E1");
    }

    @Test
    @Order(2)
    void onlyTheCookiesNobodyElseUsedAreThePersons() {
        Footprint f = Footprint.find(lake, Footprint.By.EMAIL, "li@shop.cn", "R-1");
        assertThat(f.ids(PersonKey.WEB_COOKIE)).containsExactly("K1");
        assertThat(f.sharedCookies()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void anUnknownCustomerIdIsRefused() {
        assertThatThrownBy(() -> Footprint.find(lake, Footprint.By.CUSTOMER, "C-TYPO", "R-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customer C-TYPO is in neither gold.identity_map nor gold.identity_history")
                .hasMessageNotContaining("\n");
    }

    @Test
    @Order(4)
    void forgetRemovesOnlyThePersonsRows() throws Exception {
        Path access = Files.writeString(dir.resolve("access.yaml"), "users:\n  dpo: {role: admin}\n");
        Path warehouse = Files.createDirectories(dir.resolve("warehouse")).resolve("warehouse.duckdb");
        Path crashed = Files.writeString(warehouse.resolveSibling("warehouse.next-0a1b2c3d.duckdb"), "x");
        List<String> summary = new Erasure(lake, access, warehouse, null, "")
                .forget("dpo", new Erasure.Request(Footprint.By.CUSTOMER, "CA", "DPO-7", 0, false), s -> { });
        String text = String.join("\n", summary);
        assertThat(text).contains("3 web cookies shared with other people kept").contains("1 leftovers of crashed publishes deleted");
        assertThat(crashed).doesNotExist();

        assertThat(keys(Tables.PERSONS, "record_key")).containsExactlyInAnyOrder("crm:contacts:CT-10", "web:users:U2");
        assertThat(keys(Tables.bronze("erp", "customers"), "customer_no")).as("by customer_no or crm_contact_id").containsExactly("E3");
        assertThat(keys(Tables.WEB_EVENTS, "event_id")).as("Li's logged-in events go, the family's stay")
                .containsExactlyInAnyOrder("ev4", "ev5", "ev7");
        assertThat(keys(Tables.bronze("web", "events"), "event_id")).containsExactly("bev3");
        assertThat(keys(Tables.COOKIE_MAP, "cookie_id")).containsExactlyInAnyOrder("K2", "K3");
        assertThat(keys(Tables.QUARANTINE, "raw_record")).as("whole words only")
                .containsExactlyInAnyOrder("CT-10;Wang;wangli@shop.cn", "{\"email\":\"xx.li@shop.cn\"}");
        assertThat(keys(Tables.IDENTITY_HISTORY, "customer_id")).as("the split names CA too").containsExactly("CB");
        assertThat(lake.read(Tables.SUPPRESSED_IDENTIFIERS).filter(col("kind").equalTo("web_cookie")).count())
                .as("the family's cookies are not suppressed").isEqualTo(1);
    }

    @Test
    @Order(5)
    void aReRunAfterACrashInTheLastRoundsFindsThePersonThroughTheRecordedRequest() throws Exception {
        // Zed's erasure DPO-8 crashed after persons was erased: his e-mail names no record any more,
        // but identity_map and cookie_map still hold him.
        lake.append(Tables.IDENTITY_MAP, spark.createDataFrame(List.of(map("crm:contacts:CT-7", "CZ")), Tables.IDENTITY_MAP.schema()));
        lake.append(Tables.COOKIE_MAP, spark.createDataFrame(List.of(cookie("K7", "CZ")), Tables.COOKIE_MAP.schema()));
        lake.append(Tables.ERASURE_REQUESTS, spark.createDataFrame(List.of(RowFactory.create("DPO-8", "CZ",
                lake.keys().hash("zed@shop.cn"), null, new Timestamp(System.currentTimeMillis()), "dpo")), Tables.ERASURE_REQUESTS.schema()));
        Path access = dir.resolve("access.yaml");
        Path reads = Files.createDirectories(dir.resolve("warehouse").resolve("audit")).resolve("reads-2026-11.jsonl");
        Files.writeString(reads, "{\"user\":\"ann\",\"query\":\"select * from customer_360 where customer_id in ('CZ', 'CB')\"}\n"
                + "{\"user\":\"ann\",\"query\":\"select 1 where 'Zed@Shop.CN' <> 'CZZ'\"}\n");
        List<String> summary = new Erasure(lake, access, dir.resolve("warehouse").resolve("warehouse.duckdb"), null, "")
                .forget("dpo", new Erasure.Request(Footprint.By.EMAIL, "zed@shop.cn", "DPO-8", 0, false), s -> { });
        assertThat(String.join("\n", summary)).contains("gold.identity_map").contains("gold.cookie_map");
        assertThat(keys(Tables.IDENTITY_MAP, "customer_id")).doesNotContain("CZ");
        assertThat(keys(Tables.COOKIE_MAP, "cookie_id")).containsExactlyInAnyOrder("K2", "K3");
        // crm sql's audited query texts: the person's id and e-mail replaced, whole words only.
        assertThat(String.join("\n", summary)).contains("2 mentions in audited queries replaced");
        assertThat(Files.readAllLines(reads)).containsExactly(
                "{\"user\":\"ann\",\"query\":\"select * from customer_360 where customer_id in ('[erased]', 'CB')\"}",
                "{\"user\":\"ann\",\"query\":\"select 1 where '[erased]' <> 'CZZ'\"}");
    }

    private static List<String> keys(TableDef t, String column) {
        return lake.read(t).select(column).collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    private static void write(TableDef t, Row... rows) {
        lake.overwrite(t, spark.createDataFrame(List.of(rows), t.schema()));
    }

    /** A row of {@code t} with the given columns set and the rest null. */
    private static Row row(TableDef t, Object... namesAndValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        List<Object> cells = new ArrayList<>();
        for (StructField f : t.schema().fields()) {
            cells.add(values.remove(f.name()));
        }
        assertThat(values).as("columns %s has not", t.qualifiedName()).isEmpty();
        return RowFactory.create(cells.toArray());
    }

    private static Row map(String record, String customer) {
        return row(Tables.IDENTITY_MAP, "record_key", record, "customer_id", customer, "resolved_on", DAY);
    }

    private static Row history(String event, String customer, String other) {
        return row(Tables.IDENTITY_HISTORY, "resolved_on", DAY, "event", event, "customer_id", customer, "other_customer_id", other);
    }

    private static Row cookie(String cookie, String customer) {
        return row(Tables.COOKIE_MAP, "cookie_id", cookie, "customer_id", customer);
    }

    private static Row event(TableDef t, String id, String cookie, String user) {
        Timestamp ts = Timestamp.valueOf("2026-09-30 10:00:00");
        return t == Tables.WEB_EVENTS
                ? row(t, "event_id", id, "event_ts", ts, "event_date", DAY, "cookie_id", cookie, "user_id", user, "event_type", "page_view")
                : row(t, "event_id", id, "event_ts", ts, "cookie_id", cookie, "user_id", user, "event_type", "page_view", "_batch_date", DAY);
    }

    private static Row erpCustomer(TableDef t, String no, String contact) {
        return row(t, "customer_no", no, "billing_name", "Someone", "crm_contact_id", contact, "_batch_date", DAY);
    }

    private static Row quarantined(String raw) {
        return row(Tables.QUARANTINE, "source", "crm", "entity", "contacts", "batch_date", DAY, "raw_record", raw, "reason", "test");
    }
}
