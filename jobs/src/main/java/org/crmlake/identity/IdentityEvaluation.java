package org.crmlake.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;

/**
 * Compares {@code gold.identity_map} with labelled truth: pairwise precision (of the record pairs
 * we put in one customer, the share that truly are one person), recall (of the true same-person
 * pairs, the share we found) and F1, plus cluster counts. Truth is either the generator's
 * {@code truth/record_person.csv} or a team's own CSV with columns {@code source, record_id,
 * entity_id} for records ingested through the mapping path. Only records present in both count.
 */
public final class IdentityEvaluation {

    public record Result(long records, long unmatchedTruthRecords, long trueClusters, long foundClusters,
                         long truePairs, long foundPairs, long correctPairs, List<String> examples) {
        public double precision() {
            return foundPairs == 0 ? 1.0 : (double) correctPairs / foundPairs;
        }

        public double recall() {
            return truePairs == 0 ? 1.0 : (double) correctPairs / truePairs;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format("records evaluated   %,d (%,d truth records not in the lake)", records, unmatchedTruthRecords));
            lines.add(String.format("customers           true %,d, found %,d", trueClusters, foundClusters));
            lines.add(String.format("pairs               true %,d, found %,d, correct %,d", truePairs, foundPairs, correctPairs));
            lines.add(String.format("precision %.4f   recall %.4f   F1 %.4f", precision(), recall(), f1()));
            return lines;
        }
    }

    private IdentityEvaluation() {
    }

    /** Truth from a generated world's folder (its {@code truth/record_person.csv}). */
    public static Dataset<Row> generatorTruth(Lake lake, Path world) {
        Path file = world.resolve("truth").resolve("record_person.csv");
        requireFile(file, "--world must be a folder made by crm generate or crm demo (it has truth/record_person.csv)");
        return lake.spark().read().option("header", "true").csv(file.toString())
                .select(concat_ws(":", col("source"), col("entity"), col("record_id")).as("record_key"),
                        col("person_id").as("entity_id"));
    }

    /** Truth from a team's labelled CSV: source, record_id, entity_id. */
    public static Dataset<Row> labelledTruth(Lake lake, Path csv) {
        requireFile(csv, "--truth must be a CSV file with the header source,record_id,entity_id");
        Dataset<Row> labels = lake.spark().read().option("header", "true").csv(csv.toString());
        for (String c : List.of("source", "record_id", "entity_id")) {
            if (!List.of(labels.columns()).contains(c)) {
                throw new IllegalArgumentException(csv + " has no column '" + c
                        + "'; the truth file needs the header source,record_id,entity_id");
            }
        }
        return labels.join(lake.read(Tables.PERSONS).select("record_key", "source", "record_id"),
                        new String[] {"source", "record_id"}, "inner")
                .select("record_key", "entity_id");
    }

    public static Result evaluate(Lake lake, Dataset<Row> truth, int examples) {
        Dataset<Row> map = lake.read(Tables.IDENTITY_MAP).select("record_key", "customer_id");
        Dataset<Row> persons = lake.read(Tables.PERSONS).select("record_key");
        Dataset<Row> relevant = truth.join(persons, "record_key");
        long truthRecords = relevant.count();
        Dataset<Row> both = relevant.join(map, "record_key").localCheckpoint();
        long records = both.count();
        long truePairs = pairs(both.groupBy("entity_id").agg(count(lit(1)).as("n")));
        long foundPairs = pairs(both.groupBy("customer_id").agg(count(lit(1)).as("n")));
        long correct = pairs(both.groupBy("entity_id", "customer_id").agg(count(lit(1)).as("n")));
        long trueClusters = both.select("entity_id").distinct().count();
        long foundClusters = both.select("customer_id").distinct().count();
        return new Result(records, truthRecords - records, trueClusters, foundClusters, truePairs, foundPairs, correct,
                examples(lake, both, examples));
    }

    private static long pairs(Dataset<Row> counts) {
        Row r = counts.agg(sum(col("n").multiply(col("n").minus(1)).divide(2)).cast("long")).first();
        return r.isNullAt(0) ? 0 : r.getLong(0);
    }

    /** A few true persons split over several customers, and customers holding several persons, with their records. */
    private static List<String> examples(Lake lake, Dataset<Row> both, int limit) {
        List<String> lines = new ArrayList<>();
        if (limit <= 0) {
            return lines;
        }
        Dataset<Row> persons = lake.read(Tables.PERSONS);
        Dataset<Row> split = both.groupBy("entity_id").agg(countDistinct("customer_id").as("k")).filter(col("k").gt(1))
                .orderBy("entity_id").limit(limit);
        Dataset<Row> merged = both.groupBy("customer_id").agg(countDistinct("entity_id").as("k")).filter(col("k").gt(1))
                .orderBy("customer_id").limit(limit);
        lines.add("missed links (one person, several customers):");
        describe(both.join(split, "entity_id"), persons, lines);
        lines.add("false merges (one customer, several persons):");
        describe(both.join(merged, "customer_id"), persons, lines);
        return lines;
    }

    private static void describe(Dataset<Row> records, Dataset<Row> persons, List<String> lines) {
        records.join(persons, "record_key").orderBy("entity_id", "customer_id", "record_key")
                .select("entity_id", "customer_id", "record_key", "full_name", "email", "phone_e164", "birth_date",
                        "postcode", "street")
                .collectAsList().forEach(r -> lines.add("  " + r.mkString(" | ")));
    }

    private static void requireFile(Path file, String hint) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no file " + file + ": " + hint);
        }
    }
}
