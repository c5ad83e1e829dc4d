package org.crmlake.identity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;

/**
 * Customer ids that survive new data. A component of the match graph keeps the previous id most
 * of its records had; when two previous customers now form one component (a merge) the larger
 * keeps its id; when a previous customer's records fall apart (a split) the part with most of
 * them keeps the id and the rest get new ones. New ids are derived from the component's smallest
 * record key and the run date, so re-running a date gives the same ids. Every merge, split and new
 * customer becomes a row of {@code gold.identity_history} with the reason.
 */
final class StableIds {
    private static final int HISTORY_VERSIONS_SEARCHED = 30;

    private StableIds() {
    }

    record Assignment(Dataset<Row> map, Dataset<Row> history) {
    }

    /**
     * The identity map as it stood before any run for {@code date}: the newest table version whose
     * rows were resolved on an earlier date. Re-running a date therefore starts from the same place.
     * {@code exact} is false when that version's files are gone and the current table stands in.
     */
    record Previous(Dataset<Row> map, boolean exact) {
    }

    static Previous previousMap(Lake lake, LocalDate date) {
        var empty = lake.spark().createDataFrame(List.of(), Tables.IDENTITY_MAP.schema());
        if (!lake.exists(Tables.IDENTITY_MAP)) {
            return new Previous(empty, true);
        }
        String path = lake.path(Tables.IDENTITY_MAP);
        List<Long> versions = DeltaTable.forPath(lake.spark(), path).history(HISTORY_VERSIONS_SEARCHED)
                .select("version").orderBy(col("version").desc()).collectAsList()
                .stream().map(r -> r.getLong(0)).toList();
        boolean vacuumed = false;
        for (long v : versions) {
            Dataset<Row> at = lake.spark().read().format("delta").option("versionAsOf", v).load(path);
            if (!filesExist(lake, at)) {
                vacuumed = true; // crm forget VACUUMs with --retain-hours 0: older versions lose their files
                continue;
            }
            Row newest = at.agg(org.apache.spark.sql.functions.max("resolved_on")).first();
            if (newest.isNullAt(0) || newest.getDate(0).toLocalDate().isBefore(date)) {
                return new Previous(at, true);
            }
        }
        // No readable version from before the date: the current map keeps today's ids stable, which
        // is what a re-run of the last date needs (its merges and splits are already recorded).
        return vacuumed ? new Previous(lake.read(Tables.IDENTITY_MAP), false) : new Previous(empty, true);
    }

    /** Whether every data file of a table version is still on disk (VACUUM removes those of old versions). */
    private static boolean filesExist(Lake lake, Dataset<Row> version) {
        var conf = lake.spark().sparkContext().hadoopConfiguration();
        try {
            for (String f : version.inputFiles()) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f);
                if (!p.getFileSystem(conf).exists(p)) {
                    return false;
                }
            }
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot check the files of " + Tables.IDENTITY_MAP.qualifiedName(), e);
        }
    }

    /**
     * @param components record_key, component (smallest record_key of the component)
     * @param previous   the previous identity map (record_key, customer_id)
     * @param links      accepted links, to name the reason of a merge
     */
    static Assignment assign(Dataset<Row> components, Dataset<Row> previous, Dataset<Row> links, LocalDate date) {
        Dataset<Row> overlap = components.join(previous.select(col("record_key"), col("customer_id").as("prev_id")),
                        "record_key")
                .groupBy("component", "prev_id").agg(count(lit(1)).as("n"));
        // A previous id belongs to the component holding most of its records.
        Dataset<Row> ranked = overlap.withColumn("holder_rank", row_number().over(
                Window.partitionBy("prev_id").orderBy(col("n").desc(), col("component"))));
        Dataset<Row> held = ranked.filter(col("holder_rank").equalTo(1)).withColumn("pick_rank", row_number().over(
                Window.partitionBy("component").orderBy(col("n").desc(), col("prev_id"))));
        Dataset<Row> kept = held.filter(col("pick_rank").equalTo(1)).select(col("component"), col("prev_id").as("kept_id"));

        Dataset<Row> sizes = components.groupBy("component").agg(count(lit(1)).as("records"));
        Dataset<Row> ids = sizes.join(kept, "component", "left")
                .withColumn("customer_id", coalesce(col("kept_id"),
                        concat(lit("C"), substring(sha2(concat(col("component"), lit("|" + date)), 256), 1, 12))))
                .localCheckpoint();
        Dataset<Row> map = components.join(ids.select("component", "customer_id"), "component")
                .select(col("record_key"), col("customer_id"));

        Dataset<Row> componentIds = ids.select("component", "customer_id");
        Dataset<Row> mergeReasons = mergeReasons(links, previous);
        Dataset<Row> merges = held.filter(col("pick_rank").gt(1)).join(componentIds, "component")
                .join(mergeReasons, col("prev_id").equalTo(col("reason_prev_id")), "left")
                .select(lit("merge").as("event"), col("customer_id"), col("prev_id").as("other_customer_id"),
                        col("n").as("records"), coalesce(col("reason"), lit("records of both customers now link"))
                                .as("reason"));
        Dataset<Row> splits = ranked.filter(col("holder_rank").gt(1)).join(componentIds, "component")
                .select(lit("split").as("event"), col("customer_id"), col("prev_id").as("other_customer_id"),
                        col("n").as("records"),
                        lit("these records no longer link to the rest of the previous customer").as("reason"));
        Dataset<Row> fresh = ids.filter(col("kept_id").isNull())
                .join(overlap.select("component").distinct(), "component", "left_anti")
                .select(lit("new").as("event"), col("customer_id"), lit(null).cast("string").as("other_customer_id"),
                        col("records"), lit("records seen for the first time").as("reason"));
        Dataset<Row> history = merges.unionByName(splits).unionByName(fresh)
                .withColumn("resolved_on", lit(java.sql.Date.valueOf(date)));
        return new Assignment(map, history);
    }

    /** For each previous id, one accepted link from its records to a record outside it (another customer's or new). */
    private static Dataset<Row> mergeReasons(Dataset<Row> links, Dataset<Row> previous) {
        Dataset<Row> a = previous.select(col("record_key").as("record_a"), col("customer_id").as("id_a"));
        Dataset<Row> b = previous.select(col("record_key").as("record_b"), col("customer_id").as("id_b"));
        Dataset<Row> crossing = links.join(a, new String[] {"record_a"}, "left").join(b, new String[] {"record_b"}, "left")
                .filter(coalesce(col("id_a"), lit("")).notEqual(coalesce(col("id_b"), lit(""))))
                .withColumn("why", concat(lit("linked by "), col("rule"), lit(": "), col("evidence")));
        return crossing.filter(col("id_a").isNotNull()).select(col("id_a").as("reason_prev_id"), col("why"))
                .unionByName(crossing.filter(col("id_b").isNotNull()).select(col("id_b").as("reason_prev_id"), col("why")))
                .groupBy("reason_prev_id").agg(min("why").as("reason"));
    }
}
