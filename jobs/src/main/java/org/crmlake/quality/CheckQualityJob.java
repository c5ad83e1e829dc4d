package org.crmlake.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crmlake.conform.NormalizeUdfs;
import org.crmlake.ingest.EntityContract;
import org.crmlake.ingest.LandingFolders;
import org.crmlake.ingest.SourceContract;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Concurrently;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * Measures each source's batch for the run date (parse rate, completeness, validity, uniqueness),
 * appends the figures to {@code ops.dq_results} (one row per measure, kept over time; a re-run
 * replaces the date's rows) and fails with every breach named when a measure is below its
 * threshold ({@code quality.yaml}). Parse rate and key uniqueness are tracked for every entity.
 */
public final class CheckQualityJob implements Job {
    private final List<QualityCheck> checks;

    public CheckQualityJob(List<QualityCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    @Override
    public String name() {
        return "check-quality";
    }

    @Override
    public String description() {
        return "measure completeness, validity and uniqueness per source batch; fail on a threshold breach";
    }

    @Override
    public List<String> inputs() {
        List<String> in = new ArrayList<>(List.of(Tables.INGEST_LOG.qualifiedName()));
        for (String s : SourceContract.SOURCES) {
            Tables.bronzeTables(s).forEach(t -> in.add(t.qualifiedName()));
        }
        return in;
    }

    @Override
    public List<String> outputs() {
        return List.of(Tables.DQ_RESULTS.qualifiedName());
    }

    @Override
    public boolean gate() {
        return true;
    }

    /** The batch's export files: the bronze rows it checks came from them. */
    @Override
    public long landingBytes(JobContext ctx) {
        return LandingFolders.batchBytes(ctx.landing(), SourceContract.SOURCES, ctx.date(),
                ctx.spark().sparkContext().hadoopConfiguration());
    }

    /** Fewer rows than this and a measure is recorded but not judged (passed is null). */
    static final int MIN_ROWS_TO_JUDGE = 20;

    private record Measure(String field, String metric, Double threshold) {
    }

    @Override
    public JobResult run(JobContext ctx) {
        Lake lake = ctx.lake();
        ctx.spark().sparkContext().setJobGroup(name(), name() + " " + ctx.date(), false);
        Date batch = Date.valueOf(ctx.date());
        Timestamp now = Timestamp.from(Instant.now());
        Map<String, long[]> parse = parseCounts(lake, batch);
        List<Callable<List<Row>>> perEntity = new ArrayList<>();
        for (String source : SourceContract.SOURCES) {
            for (EntityContract e : SourceContract.load(source).entities().values()) {
                long[] inKept = parse.get(source + "." + e.name());
                if (inKept == null || inKept[0] == 0) {
                    continue; // the entity had no rows in this batch
                }
                perEntity.add(() -> measureEntity(lake, source, e, batch, inKept, now));
            }
        }
        List<Row> results = Concurrently.run(perEntity).stream().flatMap(List::stream).toList();
        lake.replaceWhere(Tables.DQ_RESULTS, "batch_date = '" + ctx.date() + "'",
                ctx.spark().createDataFrame(results, Tables.DQ_RESULTS.schema()));
        List<String> summary = new ArrayList<>();
        List<String> breaches = new ArrayList<>();
        for (Row r : results) {
            String line = String.format("  %-5s %-10s %-14s %-12s %6.3f%s", r.getString(0), r.getString(1), r.getString(3),
                    r.getString(4), r.getDouble(5), r.isNullAt(6) ? "" : String.format("  (min %.2f)%s", r.getDouble(6),
                            r.isNullAt(7) ? ", too few rows to judge" : r.getBoolean(7) ? "" : "  BREACH"));
            summary.add(line);
            if (!r.isNullAt(7) && !r.getBoolean(7)) {
                breaches.add(String.format("%s %s.%s %s %.3f < %.3f", r.getString(0), r.getString(1), r.getString(3),
                        r.getString(4), r.getDouble(5), r.getDouble(6)));
            }
        }
        if (!breaches.isEmpty()) {
            throw new QualityGateException("data-quality gate failed for batch " + ctx.date() + ": "
                    + String.join("; ", breaches) + ". Fix the source export, or change the thresholds (--thresholds FILE).");
        }
        summary.addFirst("data quality " + ctx.date() + ": " + results.size() + " measures, all thresholds met");
        return new JobResult(name(), summary);
    }

    private List<Row> measureEntity(Lake lake, String source, EntityContract e, Date batch, long[] inKept, Timestamp now) {
        List<Row> rows = new ArrayList<>();
        Map<String, Measure> measures = measuresFor(source, e);
        for (Measure m : measures.values()) {
            if (m.metric.equals("parse_rate")) {
                rows.add(row(source, e.name(), batch, m, (double) inKept[1] / inKept[0], inKept[0], now));
            }
        }
        List<Measure> fieldMeasures = measures.values().stream().filter(m -> !m.metric.equals("parse_rate")).toList();
        if (!fieldMeasures.isEmpty()) {
            rows.addAll(measureFields(lake, source, e.name(), batch, fieldMeasures, now));
        }
        return rows;
    }

    private Map<String, Measure> measuresFor(String source, EntityContract e) {
        Map<String, Measure> measures = new LinkedHashMap<>();
        measures.put("*|parse_rate", new Measure("*", "parse_rate", null));
        if (e.key().size() == 1) {
            measures.put(e.key().get(0) + "|uniqueness", new Measure(e.key().get(0), "uniqueness", null));
        }
        for (QualityCheck c : checks) {
            if (c.source().equals(source) && c.entity().equals(e.name())) {
                measures.put(c.field() + "|" + c.metric(), new Measure(c.field(), c.metric(), c.min()));
            }
        }
        return measures;
    }

    /** Rows read and kept per source.entity; records of forgotten people (suppressed) are not parse failures. */
    private static Map<String, long[]> parseCounts(Lake lake, Date batch) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Row r : lake.read(Tables.INGEST_LOG).filter(col("batch_date").equalTo(lit(batch))).groupBy("source", "entity")
                .agg(sum(col("rows_in").minus(coalesce(col("rows_suppressed"), lit(0L)))), sum("rows_kept")).collectAsList()) {
            out.put(r.getString(0) + "." + r.getString(1), new long[] {r.getLong(2), r.getLong(3)});
        }
        return out;
    }

    /** All field measures of one entity in one pass over its batch. */
    private static List<Row> measureFields(Lake lake, String source, String entity, Date batch, List<Measure> measures,
                                           Timestamp now) {
        Dataset<Row> rows = lake.read(Tables.bronze(source, entity)).filter(col("_batch_date").equalTo(lit(batch)));
        List<Column> aggs = new ArrayList<>(List.of(count(lit(1))));
        for (Measure m : measures) {
            Column c = col(m.field);
            aggs.add(count(c));
            aggs.add(switch (m.metric) {
                case "uniqueness" -> count_distinct(c);
                case "validity" -> count(when(QualityCheck.Validity.of(m.field) == QualityCheck.Validity.EMAIL
                        ? NormalizeUdfs.EMAIL.apply(c).isNotNull()
                        : NormalizeUdfs.PHONE_E164.apply(c, lit(null).cast("string")).isNotNull(), 1));
                default -> count(c);
            });
        }
        Row r = rows.agg(aggs.getFirst(), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
        long total = r.getLong(0);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < measures.size(); i++) {
            Measure m = measures.get(i);
            long nonNull = r.getLong(1 + 2 * i);
            long hits = r.getLong(2 + 2 * i);
            long base = m.metric.equals("completeness") ? total : nonNull;
            double value = base == 0 ? (m.metric.equals("completeness") ? 0.0 : 1.0) : (double) hits / base;
            out.add(row(source, entity, batch, m, value, base, now));
        }
        return out;
    }

    private static Row row(String source, String entity, Date batch, Measure m, double value, long rows, Timestamp now) {
        // A share over a handful of rows says little (one bad phone in a two-call batch is 0.5): it is
        // recorded, but judged only from MIN_ROWS_TO_JUDGE rows on, and one bad row alone never breaches
        // (one duplicate among 27 contacts is 0.963, under a 0.97 minimum).
        long failing = Math.round(rows * (1 - value));
        Boolean passed = m.threshold == null || rows < MIN_ROWS_TO_JUDGE ? null : value >= m.threshold - 1e-12 || failing < 2;
        return RowFactory.create(source, entity, batch, m.field, m.metric, value, m.threshold, passed, rows, now);
    }
}
