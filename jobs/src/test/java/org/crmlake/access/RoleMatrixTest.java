package org.crmlake.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.crmlake.SparkTestBase;
import org.crmlake.cli.CrmCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role of the access file against every command that shows or changes people's data,
 * through the real CLI: who is let in, who is refused with one line, and a user without a role
 * refused everywhere. (What an allowed role then sees is tested per command: WarehouseTest for
 * crm sql, AudienceExportTest for exports, ForgetTest for erasure.)
 */
class RoleMatrixTest extends SparkTestBase {
    private static final List<String> USERS = List.of("ada", "mia", "ann", "max", "sam", "eve");
    @TempDir
    static Path dir;
    static Path access;
    static Path warehouse;

    @BeforeAll
    static void files() throws Exception {
        access = dir.resolve("access.yaml");
        Files.writeString(access, """
                users:
                  ada: {role: admin}
                  mia: {role: marketing}
                  ann: {role: analyst}
                  max: {role: manager, team: Enterprise}
                  sam: {role: sales_rep, owner_id: OWN01}
                """);
        warehouse = dir.resolve("wh").resolve("warehouse.duckdb");
        Files.createDirectories(warehouse.getParent());
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + warehouse); Statement s = db.createStatement()) {
            s.execute("create table customer_360 as select * from (values ('C1', 'OWN01', 'Enterprise'), "
                    + "('C2', 'OWN02', 'Enterprise'), ('C3', 'OWN03', 'SMB')) t(customer_id, owner_id, team)");
        }
    }

    @Test
    void sqlLetsEveryRoleInAndShowsEachItsBook() {
        Map<String, Integer> rows = Map.of("ada", 3, "mia", 3, "ann", 3, "max", 2, "sam", 1);
        for (String user : USERS) {
            Outcome o = crm("sql", "--warehouse", warehouse.toString(), "--access", access.toString(), "--user", user,
                    "select customer_id from customer_360");
            if (user.equals("eve")) {
                assertThat(o.code).isEqualTo(2);
                assertThat(o.err).startsWith("crm sql: user eve has no role in");
            } else {
                assertThat(o.code).as(user).isZero();
                assertThat(o.out).as(user).contains("(" + rows.get(user) + (rows.get(user) == 1 ? " row)" : " rows)"));
            }
        }
    }

    @Test
    void forgetAndReencryptionAreForAdminsOnly() {
        String lake = dir.resolve("lake").toString();
        for (String user : USERS) {
            Outcome forget = crm("forget", "--lake", lake, "--access", access.toString(), "--user", user,
                    "--customer", "C1", "--request-id", "R-" + user, "--dry-run");
            Outcome reencrypt = crm("keys", "reencrypt", "--lake", lake, "--access", access.toString(), "--user", user);
            if (user.equals("ada")) {
                // Past the role check, forget looks the customer up: this lake has none.
                assertThat(forget.code).as("admin").isEqualTo(2);
                assertThat(forget.err).as("admin").startsWith("crm forget: customer C1 is in neither gold.identity_map");
                assertThat(reencrypt.code).as("admin").isZero();
                assertThat(reencrypt.out).contains("re-encrypted 0 of 0 tables");
            } else {
                assertThat(forget.code).as(user).isEqualTo(2);
                assertThat(reencrypt.code).as(user).isEqualTo(2);
                String why = user.equals("eve") ? "user eve has no role" : "is " + roleOf(user);
                assertThat(forget.err).as(user).startsWith("crm forget: ").contains(why);
                assertThat(reencrypt.err).as(user).startsWith("crm keys reencrypt: ").contains(why);
            }
        }
    }

    private static String roleOf(String user) {
        return Map.of("mia", "marketing", "ann", "analyst", "max", "manager", "sam", "sales_rep").get(user);
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome crm(String... args) {
        var cli = CrmCommand.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        var stdout = System.out;
        var captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            int code = cli.execute(args);
            return new Outcome(code, captured.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }
}
