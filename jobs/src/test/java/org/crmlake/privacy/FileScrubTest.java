package org.crmlake.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audience files with glob characters in their names, and what crashed runs left behind; no Spark. */
class FileScrubTest {
    @TempDir
    Path dir;

    @Test
    void aFileNameWithGlobCharactersIsReadAsItselfNotAsAPattern() throws Exception {
        Path file = dir.resolve("tier[1]*?.csv");
        Path decoy = dir.resolve("tier1-other.csv"); // what the name matches as a glob
        Files.writeString(file, "customer_id,email\nC1,li@shop.cn\nC2,wang@shop.cn\n");
        Files.writeString(decoy, "customer_id,email\nC1,li@shop.cn\nC9,x@shop.cn\n");
        FileScrub.Outcome o = FileScrub.audienceFile(file, Set.of("li@shop.cn"), false);
        assertThat(o.rows()).isEqualTo(2);
        assertThat(o.removed()).isEqualTo(1);
        assertThat(Files.readAllLines(file)).containsExactly("customer_id,email", "C2,wang@shop.cn");
        assertThat(Files.readString(decoy)).as("the other file is untouched").contains("li@shop.cn");
    }

    @Test
    void parquetWithGlobCharactersIsRewrittenInPlace() throws Exception {
        Path file = dir.resolve("aud{a,b}[x].parquet");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES ('C1', 'h1'), ('C2', 'h2')) t(customer_id, email_sha256)) TO '"
                    + dir.resolve("plain.parquet") + "' (FORMAT parquet)");
        }
        Files.move(dir.resolve("plain.parquet"), file);
        FileScrub.Outcome o = FileScrub.audienceFile(file, Set.of("C1"), false);
        assertThat(o.removed()).isEqualTo(1);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            Files.copy(file, dir.resolve("check.parquet"));
            try (ResultSet rs = s.executeQuery("SELECT string_agg(customer_id, ',') FROM read_parquet('" + dir.resolve("check.parquet") + "')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("C2");
            }
        }
    }

    @Test
    void aDryRunCountsAndKeepsTheFile() throws Exception {
        Path file = dir.resolve("a.csv");
        Files.writeString(file, "customer_id\nC1\nC2\n");
        assertThat(FileScrub.audienceFile(file, Set.of("C1"), true).removed()).isEqualTo(1);
        assertThat(Files.readAllLines(file)).hasSize(3);
        assertThat(FileScrub.audienceFile(dir.resolve("gone.csv"), Set.of("C1"), false).exists()).isFalse();
    }

    @Test
    void rewritesACrashedForgetLeftBesideAFileAreDeleted() throws Exception {
        Path file = dir.resolve("a.csv");
        Files.writeString(file, "customer_id\nC2\n");
        Path crashed = dir.resolve(".a.csv.forget-1234");
        Files.writeString(crashed, "customer_id\nC1\n");
        Path other = dir.resolve(".b.csv.forget-1234");
        Files.writeString(other, "customer_id\nC3\n");
        FileScrub.audienceFile(file, Set.of("C1"), false);
        assertThat(crashed).doesNotExist();
        assertThat(other).as("another file's").exists();
    }

    @Test
    void whatCrashedPublishesLeftIsDeletedAndNothingElse() throws Exception {
        Path live = Files.writeString(dir.resolve("warehouse.duckdb"), "live");
        Path next = Files.writeString(dir.resolve("warehouse.next-0a1b2c3d.duckdb"), "x");
        Path wal = Files.writeString(dir.resolve("warehouse.next-0a1b2c3d.duckdb.wal"), "x");
        Path staging = Files.createDirectories(dir.resolve(".publish-0a1b2c3d/customer_360"));
        Files.writeString(staging.resolve("part-0.parquet"), "x");
        Path report = Files.writeString(dir.resolve("report.html"), "x");
        assertThat(FileScrub.publishLeftovers(dir, true)).isEqualTo(3);
        assertThat(next).exists();
        assertThat(FileScrub.publishLeftovers(dir, false)).isEqualTo(3);
        for (Path p : List.of(next, wal, dir.resolve(".publish-0a1b2c3d"))) {
            assertThat(p).doesNotExist();
        }
        assertThat(live).exists();
        assertThat(report).exists();
        assertThat(FileScrub.publishLeftovers(dir.resolve("none"), false)).isZero();
    }
}
