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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running crm resolve for the last date after crm forget VACUUMed the identity map with
 * --retain-hours 0: the version it time-travels to is gone, so it starts from the current map and
 * keeps the date's recorded merge.
 */
class StableIdsVacuumTest extends SparkTestBase {
    static final LocalDate DAY1 = LocalDate.of(2026, 9, 1);
    static final LocalDate DAY2 = LocalDate.of(2026, 9, 2);
    @TempDir
    static Path dir;

    @Test
    void reRunningTheLastDateAfterAVacuumKeepsIdsAndHistory() {
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        List<Row> day1 = List.of(
                person("crm:contacts:A1", "Ann Lee", "ann@example.cn", null),
                person("erp:customers:A2", "Ann Lee", null, "+8613800000009"),
                person("crm:contacts:B1", "Bob Kent", "bob@example.cn", null));
        lake.overwrite(Tables.PERSONS, spark.createDataFrame(day1, Tables.PERSONS.schema()));
        new ResolveIdentitiesJob().run(new JobContext(lake, "", DAY1, s -> { }));
        List<Row> day2 = new ArrayList<>(day1);
        // Carries both of Ann's keys: her two customers merge on day 2.
        day2.add(person("web:users:A3", "Ann Lee", "ann@example.cn", "+8613800000009"));
        lake.overwrite(Tables.PERSONS, spark.createDataFrame(day2, Tables.PERSONS.schema()));
        new ResolveIdentitiesJob().run(new JobContext(lake, "", DAY2, s -> { }));
        Map<String, String> before = map(lake);
        assertThat(merges(lake)).as("day 2 merged Ann's customers").isEqualTo(1);

        // What crm forget does to Bob: delete his rows, VACUUM with --retain-hours 0.
        lake.overwrite(Tables.PERSONS, spark.createDataFrame(day2.subList(0, 2), Tables.PERSONS.schema())
                .unionByName(spark.createDataFrame(day2.subList(3, 4), Tables.PERSONS.schema())));
        StructType key = new StructType().add("record_key", DataTypes.StringType);
        lake.deleteMatching(Tables.IDENTITY_MAP, spark.createDataFrame(List.of(RowFactory.create("crm:contacts:B1")), key),
                "t.record_key = s.record_key");
        lake.withoutRetentionCheck(() -> lake.vacuum(Tables.IDENTITY_MAP, 0));
        assertThat(StableIds.previousMap(lake, DAY2).exact()).as("day 1's version is vacuumed").isFalse();

        List<String> progress = new ArrayList<>();
        new ResolveIdentitiesJob().run(new JobContext(lake, "", DAY2, progress::add));
        Map<String, String> after = map(lake);
        before.remove("crm:contacts:B1");
        assertThat(after).as("Ann's ids as before the forget").isEqualTo(before);
        assertThat(merges(lake)).as("day 2's merge is still recorded").isEqualTo(1);
        assertThat(progress).anyMatch(p -> p.contains("was vacuumed"));
    }

    private static Map<String, String> map(Lake lake) {
        return lake.read(Tables.IDENTITY_MAP).collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
    }

    private static long merges(Lake lake) {
        return lake.read(Tables.IDENTITY_HISTORY).filter(col("event").equalTo("merge")
                .and(col("resolved_on").equalTo(Date.valueOf(DAY2)))).count();
    }

    private static Row person(String key, String name, String email, String phone) {
        String[] parts = key.split(":");
        Timestamp updated = Timestamp.valueOf("2026-08-01 12:00:00");
        return RowFactory.create(key, parts[0], parts[1], parts[2], name, null, null, Names.latinKey(name), null,
                email, false, phone, null, null, null, null, null, null, null, updated, updated, Date.valueOf("2026-08-31"));
    }
}
