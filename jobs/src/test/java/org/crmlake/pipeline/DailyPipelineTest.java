package org.crmlake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.crmlake.ProcessedWorld;
import org.crmlake.SparkTestBase;
import org.crmlake.TableSnapshot;
import org.crmlake.generate.GenerateResult;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.quality.CheckQualityJob;
import org.crmlake.quality.QualityCheck;
import org.crmlake.quality.QualityGateException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest, conform and the quality gate on a small generated world that went through the daily
 * pipeline ({@link ProcessedWorld}): real files, real Spark, real Delta.
 */
class DailyPipelineTest extends SparkTestBase {
    @TempDir
    static Path dir;
    static Lake lake;
    static GenerateResult world;
    static String landing;

    @BeforeAll
    static void processedWorld() {
        ProcessedWorld.Copy copy = ProcessedWorld.copy(spark, dir);
        world = copy.world();
        lake = copy.lake();
        landing = copy.landing();
    }

    @Test
    void everyExportRowIsKeptOrQuarantinedPerFile() {
        for (Row r : lake.read(Tables.INGEST_LOG).collectAsList()) {
            String file = r.getAs("source_file");
            long generated = world.rowsPerFile().getOrDefault("landing/" + file, -1L);
            assertThat(r.<Long>getAs("rows_in")).as("rows in for %s", file).isEqualTo(generated);
            assertThat(r.<Long>getAs("rows_kept") + r.<Long>getAs("rows_quarantined")).as(file).isEqualTo(r.<Long>getAs("rows_in"));
        }
        long quarantined = lake.read(Tables.QUARANTINE).count();
        long logged = lake.read(Tables.INGEST_LOG).agg(org.apache.spark.sql.functions.sum("rows_quarantined")).first().getLong(0);
        assertThat(quarantined).isEqualTo(logged).as("the mess makes some malformed lines").isPositive();
        assertThat(lake.read(Tables.QUARANTINE).filter(col("reason").contains("malformed")).count()).isPositive();
    }

    @Test
    void silverPersonsHoldEveryPersonRecordWithStandardContactPoints() throws IOException {
        List<Row> persons = lake.read(Tables.PERSONS).collectAsList();
        Set<String> keys = persons.stream().map(r -> r.<String>getAs("record_key")).collect(Collectors.toSet());
        assertThat(keys).as("record keys are unique").hasSize(persons.size());
        assertThat(persons).allSatisfy(p -> {
            String phone = p.getAs("phone_e164");
            assertThat(phone == null || phone.matches("\\+[1-9]\\d{6,14}")).as("E.164: %s", phone).isTrue();
            String email = p.getAs("email");
            assertThat(email == null || email.equals(email.trim().toLowerCase())).as(email).isTrue();
        });
        // Every truth record of these kinds that was not quarantined reaches silver.
        Set<String> truth = Files.readAllLines(dir.resolve("world/truth/record_person.csv")).stream().skip(1)
                .map(l -> l.split(",")).filter(a -> a[1].equals("contacts") || a[1].equals("customers"))
                .map(a -> a[0] + ":" + a[1] + ":" + a[2]).collect(Collectors.toSet());
        long quarantinedPersons = lake.read(Tables.QUARANTINE).filter(col("entity").isin("contacts", "customers")).count();
        long found = truth.stream().filter(keys::contains).count();
        assertThat(found).isGreaterThanOrEqualTo(truth.size() - quarantinedPersons);
        assertThat(persons.stream().filter(p -> "crm".equals(p.getAs("source")) && p.getAs("name_key") != null)).isNotEmpty();
    }

    @Test
    void webEventsAreSessionisedAndCallsScored() {
        Row s = lake.read(Tables.WEB_EVENTS).agg(org.apache.spark.sql.functions.count_distinct(col("session_id")),
                org.apache.spark.sql.functions.count_distinct(col("cookie_id"))).first();
        assertThat(s.getLong(0)).as("sessions >= cookies").isGreaterThanOrEqualTo(s.getLong(1)).isPositive();
        assertThat(lake.read(Tables.CALLS).filter(col("sentiment_score").isNull().and(col("transcript").isNotNull())).count()).isZero();
        assertThat(lake.read(Tables.CALLS).filter(col("is_negative")).count()).isPositive();
    }

    @Test
    void rerunningConformGivesTheSameSilverTables() {
        TableDef t = Tables.PERSONS;
        List<Row> before = lake.read(t).orderBy("record_key").collectAsList();
        new org.crmlake.conform.ConformPersonsJob().run(new JobContext(lake, landing, LocalDate.now(), s -> { }));
        assertThat(lake.read(t).orderBy("record_key").collectAsList()).isEqualTo(before);
    }

    /**
     * The other conform jobs and the quality check, re-run for the same date as a second DAG run would
     * (conform-persons: the test above).
     */
    @Test
    void rerunningEveryConformJobAndTheQualityCheckChangesNoTable() {
        LocalDate last = world.batchDates().getLast();
        CheckQualityJob quality = new CheckQualityJob(QualityCheck.defaults());
        quality.run(new JobContext(lake, landing, last, s -> { }));
        List<TableDef> tables = new java.util.ArrayList<>(Tables.SILVER);
        tables.add(Tables.DQ_RESULTS);
        var before = TableSnapshot.of(lake, tables);
        assertThat(before.get(Tables.DQ_RESULTS.qualifiedName())).isNotEmpty();
        for (Job j : JobRegistry.daily()) {
            if (j.name().startsWith("conform-") && !j.name().equals("conform-persons")) {
                j.run(new JobContext(lake, landing, last, s -> { }));
            }
        }
        quality.run(new JobContext(lake, landing, last, s -> { }));
        assertThat(TableSnapshot.of(lake, tables)).isEqualTo(before);
    }

    @Test
    void qualityGateRecordsMeasuresAndNamesEachBreach() {
        LocalDate last = world.batchDates().getFirst();
        new CheckQualityJob(QualityCheck.defaults()).run(new JobContext(lake, landing, last, s -> { }));
        assertThat(lake.read(Tables.DQ_RESULTS).filter(col("metric").equalTo("validity")).count()).isPositive();
        // Measures over fewer than 20 rows are recorded but never judged; the others with a threshold are.
        var judged = lake.read(Tables.DQ_RESULTS).filter(col("threshold").isNotNull());
        assertThat(judged.filter(col("rows").lt(20).and(col("passed").isNotNull())).count()).isZero();
        assertThat(judged.filter(col("rows").geq(20).and(col("passed").isNull())).count()).isZero();

        // A measure the messy batch falls short of by two rows or more (one bad row never breaches), made a minimum of 1.
        Row imperfect = lake.read(Tables.DQ_RESULTS).filter(col("batch_date").equalTo(java.sql.Date.valueOf(last))
                .and(col("metric").equalTo("validity")).and(col("rows").geq(20))
                .and(col("rows").multiply(org.apache.spark.sql.functions.lit(1.0).minus(col("value"))).geq(1.5)))
                .orderBy("source", "entity", "field").first();
        String source = imperfect.getAs("source");
        String entity = imperfect.getAs("entity");
        String field = imperfect.getAs("field");
        var strict = List.of(new QualityCheck(source, entity, field, "validity", 1.0));
        assertThatThrownBy(() -> new CheckQualityJob(strict).run(new JobContext(lake, landing, last, s -> { })))
                .isInstanceOf(QualityGateException.class)
                .hasMessageContaining(source + " " + entity + "." + field + " validity")
                .hasMessageContaining("< 1.000");
    }
}
