package org.crmlake.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.crmlake.gold.AsOf;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * {@code gold.segments} and {@code gold.segment_membership} for a date: every SQL file of the
 * segment folder ({@link SegmentFile}) runs against two temporary views,
 * <ul>
 *   <li>{@code customer_360}: the date's slice of gold.customer_360, and</li>
 *   <li>{@code scores}: the date's gold.scores, one row per customer of that slice with
 *       churn_score, churn_decile, propensity_score, propensity_decile (null when not scored).</li>
 * </ul>
 * A file that fails (syntax, unknown column, no customer_id) is reported with its file and line
 * and the others still build. Membership is one Delta MERGE per run: customers selected without
 * an open row get one (entered_on = the date); open rows of built segments whose customer was not
 * selected get left_on = the date. Re-running a date changes nothing. Dates are meant to be run in
 * order (an earlier date than the newest built is refused); a broken segment's open rows are left
 * as they were.
 */
public final class BuildSegmentsJob implements Job {
    private final Path folder;

    /** Segments from {@code sql/segments} when that folder exists, else those packaged in the jar. */
    public BuildSegmentsJob() {
        this(SegmentFile.DEFAULT_DIR);
    }

    public BuildSegmentsJob(Path folder) {
        this.folder = folder;
    }

    @Override
    public String name() {
        return "build-segments";
    }

    @Override
    public String description() {
        return "segments from the SQL files in sql/segments/ and their membership history (Delta MERGE)";
    }

    @Override
    public List<String> inputs() {
        return List.of(Tables.CUSTOMER_360.qualifiedName(), Tables.SCORES.qualifiedName());
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.SEGMENTS.qualifiedName(), Tables.SEGMENT_MEMBERSHIP.qualifiedName());
    }

    /** What a run built and what failed. */
    public record Outcome(Map<String, Long> members, List<SegmentError> errors) {
    }

    @Override
    public JobResult run(JobContext context) {
        return summary(context, build(context));
    }

    public Outcome build(JobContext context) {
        Lake lake = context.lake();
        SparkSession spark = context.spark();
        AsOf asOf = new AsOf(context.date());
        List<SegmentFile> files = SegmentFile.load(folder);
        Row newest = lake.read(Tables.SEGMENTS).agg(max("as_of_date")).first();
        if (!newest.isNullAt(0) && newest.getDate(0).toLocalDate().isAfter(asOf.date())) {
            throw new IllegalArgumentException("segments were already built for " + newest.getDate(0) + ", after "
                    + asOf.date() + ": membership history is kept forward in time, so run dates in order (to rebuild it, "
                    + "delete " + Tables.SEGMENTS.qualifiedName() + " and " + Tables.SEGMENT_MEMBERSHIP.qualifiedName()
                    + " and run from the first date)");
        }
        spark.sparkContext().setJobGroup(name(), name() + " " + asOf.date(), false);
        Dataset<Row> customers = lake.read(Tables.CUSTOMER_360).filter(asOf.slice()).cache();
        Dataset<Row> scores = null;
        try {
            customers.createOrReplaceTempView("customer_360");
            scores = scoresView(lake, asOf, customers).cache();
            scores.createOrReplaceTempView("scores");
            Map<String, Long> members = new java.util.LinkedHashMap<>();
            List<SegmentError> errors = new ArrayList<>();
            List<Row> segmentRows = new ArrayList<>();
            Dataset<Row> selected = null;
            for (SegmentFile f : files) {
                Dataset<Row> ids;
                long n;
                try {
                    Dataset<Row> result = spark.sql(f.sql());
                    if (!List.of(result.columns()).contains("customer_id")) {
                        throw new IllegalArgumentException("the query must return a customer_id column (it returns "
                                + List.of(result.columns()) + ")");
                    }
                    if (members.containsKey(f.name())) {
                        throw new IllegalArgumentException("segment name '" + f.name() + "' is already used by another file");
                    }
                    ids = result.select(col("customer_id").cast("string")).filter(col("customer_id").isNotNull()).distinct();
                    n = ids.count();
                } catch (Exception e) {
                    SegmentError error = SegmentError.of(f, e);
                    errors.add(error);
                    context.progress(error.toString());
                    continue;
                }
                members.put(f.name(), n);
                segmentRows.add(RowFactory.create(Date.valueOf(asOf.date()), f.name(), f.description(), f.owner(), f.file(), n));
                Dataset<Row> tagged = ids.withColumn("segment", lit(f.name()));
                selected = selected == null ? tagged : selected.unionByName(tagged);
            }
            lake.replaceWhere(Tables.SEGMENTS, asOf.slice(), spark.createDataFrame(segmentRows, Tables.SEGMENTS.schema()));
            if (!members.isEmpty()) {
                mergeMembership(lake, asOf, selected, List.copyOf(members.keySet()));
            }
            return new Outcome(members, errors);
        } finally {
            customers.unpersist();
            if (scores != null) {
                scores.unpersist();
            }
            spark.catalog().dropTempView("customer_360");
            spark.catalog().dropTempView("scores");
            spark.sparkContext().clearJobGroup();
        }
    }

    /** One row per customer of the date: each model's score and decile, null when not scored. */
    static Dataset<Row> scoresView(Lake lake, AsOf asOf, Dataset<Row> customers) {
        Dataset<Row> pivoted = lake.read(Tables.SCORES).filter(asOf.slice()).groupBy("customer_id").agg(
                max(when(col("model").equalTo("churn"), col("score"))).as("churn_score"),
                max(when(col("model").equalTo("churn"), col("decile"))).as("churn_decile"),
                max(when(col("model").equalTo("propensity"), col("score"))).as("propensity_score"),
                max(when(col("model").equalTo("propensity"), col("decile"))).as("propensity_decile"));
        return customers.select("customer_id").join(pivoted, "customer_id", "left");
    }

    /** Opens rows for new members and closes the open rows of members who left, in one commit. */
    private static void mergeMembership(Lake lake, AsOf asOf, Dataset<Row> selected, List<String> built) {
        String date = "DATE'" + asOf.date() + "'";
        String builtList = built.stream().map(s -> "'" + s.replace("'", "''") + "'")
                .collect(java.util.stream.Collectors.joining(", "));
        String open = "t.left_on IS NULL AND t.segment IN (" + builtList + ")";
        Dataset<Row> source = selected.withColumn("entered_on", lit(Date.valueOf(asOf.date())))
                .withColumn("left_on", lit(null).cast("date"));
        lake.merge(Tables.SEGMENT_MEMBERSHIP, source,
                "t.segment = s.segment AND t.customer_id = s.customer_id AND t.left_on IS NULL",
                m -> m.whenNotMatched().insertExpr(Map.of("segment", "s.segment", "customer_id", "s.customer_id",
                                "entered_on", "s.entered_on", "left_on", "s.left_on"))
                        // A stay that began on this very date (a re-run after the SQL changed) never happened.
                        .whenNotMatchedBySource(open + " AND t.entered_on = " + date).delete()
                        .whenNotMatchedBySource(open + " AND t.entered_on < " + date).updateExpr(Map.of("left_on", date)));
    }

    public JobResult summary(JobContext context, Outcome outcome) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s %s: %d segment(s) built, %d failed", Tables.SEGMENTS.qualifiedName(),
                context.date(), outcome.members().size(), outcome.errors().size()));
        outcome.members().forEach((name, n) -> lines.add(String.format(Locale.ROOT, "  %-28s %8d members", name, n)));
        for (SegmentError e : outcome.errors()) {
            lines.add("FAILED " + e);
        }
        return new JobResult(name(), lines);
    }
}
