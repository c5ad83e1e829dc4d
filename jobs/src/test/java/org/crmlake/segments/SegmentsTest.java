package org.crmlake.segments;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crmlake.SparkTestBase;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-segments over two dates on hand-made customer_360 and scores rows: the shipped segment
 * files plus two broken ones. Expected members are read off the rows below, not from the job.
 */
class SegmentsTest extends SparkTestBase {
    static final LocalDate DAY1 = LocalDate.parse("2026-06-01");
    static final LocalDate DAY2 = LocalDate.parse("2026-07-01");
    @TempDir
    static Path dir;
    static Lake lake;
    static Path folder;
    static BuildSegmentsJob.Outcome day1;
    static BuildSegmentsJob.Outcome day2;
    static List<String> afterDay2;
    static List<String> afterRerun;
    static JobResult rerunSummary;

    @BeforeAll
    static void build() throws IOException {
        lake = new Lake(spark, dir.resolve("lake").toString());
        folder = Files.createDirectories(dir.resolve("segments"));
        for (SegmentFile f : SegmentFile.load(null)) {
            Files.writeString(folder.resolve(f.file()), f.sql() + "\n");
        }
        Files.writeString(folder.resolve("broken_syntax.sql"), """
                -- name: broken_syntax
                -- description: a typo on line 5
                -- owner: tests
                select customer_id
                form customer_360
                where abc_tier = 'A'
                """);
        Files.writeString(folder.resolve("unknown_column.sql"), """
                -- name: unknown_column
                -- description: a column that does not exist, on line 6
                -- owner: tests
                select customer_id
                from customer_360
                where no_such_column = 1
                """);
        // C1 stays a Champion; C2 leaves Champions on DAY2; C5 enters; C4 (new) is gone on DAY2.
        lake.overwrite(Tables.CUSTOMER_360, spark.createDataFrame(List.of(
                c360(DAY1, "C1", "Champions", "loyal", "A", 5L),
                c360(DAY1, "C2", "Champions", "active", "B", 3L),
                c360(DAY1, "C3", "At Risk", "at risk", "A", 4L),
                c360(DAY1, "C4", "New", "new", "C", 1L),
                c360(DAY2, "C1", "Champions", "loyal", "A", 6L),
                c360(DAY2, "C2", "Loyal", "active", "B", 3L),
                c360(DAY2, "C3", "At Risk", "churned", "A", 4L),
                c360(DAY2, "C5", "Champions", "active", "B", 2L)), Tables.CUSTOMER_360.schema()));
        // Churn decile 1 makes tier-A C3 "high value at risk"; tier-A C1 has decile 8.
        lake.overwrite(Tables.SCORES, spark.createDataFrame(List.of(
                score(DAY1, "C1", "churn", 0.05, 8), score(DAY1, "C3", "churn", 0.9, 1),
                score(DAY1, "C1", "propensity", 0.7, 1), score(DAY1, "C2", "propensity", 0.6, 2),
                score(DAY2, "C3", "churn", 0.95, 1)), Tables.SCORES.schema()));
        BuildSegmentsJob job = new BuildSegmentsJob(folder);
        day1 = job.build(context(DAY1));
        day2 = job.build(context(DAY2));
        afterDay2 = membership();
        rerunSummary = job.run(context(DAY2));
        afterRerun = membership();
    }

    static JobContext context(LocalDate date) {
        return new JobContext(lake, dir.resolve("landing").toString(), date, line -> { });
    }

    static Row c360(LocalDate date, String id, String rfm, String stage, String tier, long orders) {
        return row(Tables.CUSTOMER_360, Map.of("as_of_date", Date.valueOf(date), "customer_id", id, "rfm_segment", rfm,
                "lifecycle_stage", stage, "abc_tier", tier, "orders_count", orders));
    }

    static Row score(LocalDate date, String id, String model, double score, int decile) {
        return row(Tables.SCORES, Map.of("as_of_date", Date.valueOf(date), "customer_id", id, "model", model,
                "version", 1, "score", score, "decile", decile));
    }

    static Row row(TableDef table, Map<String, Object> values) {
        Object[] cells = new Object[table.columns().size()];
        values.forEach((k, v) -> cells[table.columnNames().indexOf(k)] = v);
        return RowFactory.create(cells);
    }

    /** Every membership row as "segment customer entered_on..left_on", sorted. */
    static List<String> membership() {
        List<String> out = new ArrayList<>();
        for (Row r : lake.read(Tables.SEGMENT_MEMBERSHIP).collectAsList()) {
            out.add(r.getAs("segment") + " " + r.getAs("customer_id") + " " + r.getAs("entered_on") + ".." + r.getAs("left_on"));
        }
        return out.stream().sorted().toList();
    }

    @Test
    void shipsEveryRequiredSegmentWithItsHeader() {
        List<SegmentFile> shipped = SegmentFile.load(null);
        assertThat(shipped).extracting(SegmentFile::name).containsExactlyInAnyOrder("rfm_champions", "rfm_at_risk",
                "rfm_cant_lose", "lifecycle_new", "lifecycle_churned", "tier_a", "high_value_at_risk",
                "high_intent_no_purchase", "win_back", "cross_sell_candidates", "unhappy_customers");
        assertThat(shipped).allSatisfy(f -> {
            assertThat(f.description()).as(f.file() + " description").isNotBlank();
            assertThat(f.owner()).as(f.file() + " owner").isNotBlank();
        });
    }

    @Test
    void brokenFilesAreReportedWithFileAndLineAndOthersStillBuild() {
        assertThat(day1.errors()).extracting(SegmentError::file, SegmentError::line)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("broken_syntax.sql", 5),
                        org.assertj.core.groups.Tuple.tuple("unknown_column.sql", 6));
        assertThat(day1.members()).hasSize(11).containsEntry("rfm_champions", 2L).containsEntry("tier_a", 2L)
                .containsEntry("high_value_at_risk", 1L).containsEntry("lifecycle_new", 1L)
                .containsEntry("cross_sell_candidates", 2L).containsEntry("win_back", 1L);
        assertThat(rerunSummary.summary()).anySatisfy(l -> assertThat(l).contains("FAILED segment file broken_syntax.sql line 5"));
        List<Row> segments = lake.read(Tables.SEGMENTS).filter(col("as_of_date").equalTo(Date.valueOf(DAY1))).collectAsList();
        assertThat(segments).hasSize(11);
        assertThat(segments).extracting(r -> r.<String>getAs("segment")).doesNotContain("broken_syntax", "unknown_column");
        Row champions = segments.stream().filter(r -> r.getAs("segment").equals("rfm_champions")).findFirst().orElseThrow();
        assertThat(champions.<String>getAs("file")).isEqualTo("rfm_champions.sql");
        assertThat(champions.<String>getAs("owner")).isEqualTo("crm-analytics");
        assertThat(champions.<Long>getAs("members")).isEqualTo(2L);
    }

    @Test
    void membershipOpensAndClosesRowsAcrossTwoDates() {
        assertThat(afterDay2).filteredOn(s -> s.startsWith("rfm_champions ")).containsExactly(
                "rfm_champions C1 2026-06-01..null",
                "rfm_champions C2 2026-06-01..2026-07-01",
                "rfm_champions C5 2026-07-01..null");
        assertThat(afterDay2).contains("lifecycle_new C4 2026-06-01..2026-07-01", "lifecycle_churned C3 2026-07-01..null",
                "high_value_at_risk C3 2026-06-01..null");
        // One open row per member: no (segment, customer) twice with left_on null.
        List<String> open = afterDay2.stream().filter(s -> s.endsWith("..null")).map(s -> s.substring(0, s.lastIndexOf(' '))).toList();
        assertThat(open).doesNotHaveDuplicates();
        assertThat(day2.members()).containsEntry("rfm_champions", 2L);
    }

    @Test
    void rerunningADateChangesNothing() {
        assertThat(afterRerun).isEqualTo(afterDay2);
        assertThat(lake.read(Tables.SEGMENTS).count()).isEqualTo(22L);
    }

    @Test
    void anEarlierDateThanTheNewestIsRefused() {
        List<String> before = membership();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BuildSegmentsJob(folder).build(context(DAY1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already built for 2026-07-01").hasMessageContaining("run dates in order");
        assertThat(membership()).isEqualTo(before);
    }

    @Test
    void whoLeftChampionsIsOneQuery() {
        lake.read(Tables.SEGMENT_MEMBERSHIP).createOrReplaceTempView("segment_membership");
        List<Row> left = spark.sql("select customer_id from segment_membership where segment = 'rfm_champions' "
                + "and left_on >= date'2026-07-01' and left_on < date'2026-08-01'").collectAsList();
        assertThat(left).extracting(r -> r.getString(0)).containsExactly("C2");
    }
}
