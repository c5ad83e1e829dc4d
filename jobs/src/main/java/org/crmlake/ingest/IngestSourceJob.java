package org.crmlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * Lands one source's batch folder ({@code landing/<source>/<date>/}) in bronze: each entity's
 * files become rows of {@code bronze.<source>_<entity>}, every record that cannot be parsed or
 * breaks the contract goes to {@code bronze.quarantine} with the reason, and
 * {@code ops.ingest_log} records rows in = kept + quarantined per file. Re-ingesting a batch
 * replaces it; an unchanged batch (same files, sizes, modification times) is skipped unless forced.
 */
public final class IngestSourceJob implements Job {
    private final SourceMapping mapping;
    private final boolean force;

    public IngestSourceJob(SourceMapping mapping, boolean force) {
        this.mapping = mapping;
        this.force = force;
    }

    public static IngestSourceJob builtIn(String source) {
        return new IngestSourceJob(SourceMapping.builtIn(source), false);
    }

    public String source() {
        return mapping.contract().source();
    }

    @Override
    public String name() {
        return "ingest-" + source();
    }

    @Override
    public String description() {
        return "land the " + source() + " export of one batch date in bronze, quarantining bad records";
    }

    @Override
    public List<String> inputs() {
        return List.of("landing/" + source());
    }

    @Override
    public List<String> outputs() {
        List<String> out = new ArrayList<>(Tables.bronzeTables(source()).stream().map(TableDef::qualifiedName).toList());
        out.add(Tables.QUARANTINE.qualifiedName());
        out.add(Tables.INGEST_LOG.qualifiedName());
        return out;
    }

    @Override
    public JobResult run(JobContext ctx) {
        Lake lake = ctx.lake();
        var spark = ctx.spark();
        spark.sparkContext().setJobGroup(name(), name() + " " + ctx.date(), false);
        String batchRel = source() + "/" + ctx.date();
        Path batchDir = new Path(ctx.landing() + "/" + batchRel);
        FileSystem fs = fileSystem(batchDir, spark);
        if (!exists(fs, batchDir)) {
            throw new IngestException("no batch folder " + batchDir + " for source " + source() + " on " + ctx.date()
                    + ". Check --landing and --date, or skip this source for the date.");
        }
        List<EntityFiles> found = new ArrayList<>();
        for (ReadSpec spec : mapping.specs().values()) {
            found.add(new EntityFiles(spec, list(fs, batchDir, spec.filePattern())));
        }
        if (!force && unchanged(lake, found, ctx)) {
            return new JobResult(name(), List.of(source() + " " + ctx.date() + ": unchanged since the last ingest, skipped (use --force to re-ingest)"));
        }
        Timestamp ingestedAt = Timestamp.from(Instant.now());
        Date batchDate = Date.valueOf(ctx.date());
        ExportReader reader = new ExportReader(spark, fs);
        List<Dataset<Row>> quarantined = new ArrayList<>();
        List<Row> log = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        long in = 0;
        long kept = 0;
        long bad = 0;
        for (EntityFiles ef : found) {
            ReadSpec spec = ef.spec;
            TableDef bronze = Tables.bronze(source(), spec.entity());
            Dataset<Row> validated = null;
            for (FileStatus f : ef.files) {
                String rel = batchRel + "/" + f.getPath().getName();
                Dataset<Row> one = ContractValidation.validate(reader.read(f.getPath(), rel, spec), spec)
                        .withColumn("_source_file", lit(rel))
                        .withColumn("_fingerprint", lit(fingerprint(f)));
                validated = validated == null ? one : validated.unionByName(one);
            }
            if (validated == null) {
                if (lake.exists(bronze)) { // files of a re-ingested batch may have been withdrawn
                    lake.replaceWhere(bronze, "_batch_date = '" + ctx.date() + "'",
                            spark.createDataFrame(List.of(), bronze.schema()));
                }
                continue;
            }
            validated = validated.persist(StorageLevel.MEMORY_AND_DISK());
            for (Row r : validated.groupBy("_source_file", "_fingerprint")
                    .agg(count(lit(1)).as("n"), sum(when(ContractValidation.isBad(), 1).otherwise(0)).as("bad"))
                    .orderBy("_source_file").collectAsList()) {
                long n = r.getLong(2);
                long b = r.getLong(3);
                log.add(RowFactory.create(source(), spec.entity(), batchDate, r.getString(0), r.getString(1),
                        n, n - b, b, ingestedAt));
                in += n;
                kept += n - b;
                bad += b;
                summary.add(String.format("  %-38s %8d in %8d kept %6d quarantined", r.getString(0), n, n - b, b));
            }
            List<Column> bronzeCols = new ArrayList<>(spec.columns().stream().map(m -> col(m.field().name())).toList());
            bronzeCols.add(col("_source_file"));
            bronzeCols.add(lit(batchRel).as("_batch_id"));
            bronzeCols.add(lit(batchDate).as("_batch_date"));
            bronzeCols.add(lit(ingestedAt).as("_ingested_at"));
            lake.replaceWhere(bronze, "_batch_date = '" + ctx.date() + "'",
                    validated.filter(ContractValidation.isGood()).select(bronzeCols.toArray(Column[]::new)));
            quarantined.add(validated.filter(ContractValidation.isBad()).select(
                    lit(source()).as("source"), lit(spec.entity()).as("entity"), lit(batchDate).as("batch_date"),
                    col("_source_file").as("source_file"), col(ContractValidation.RAW).as("raw_record"),
                    col(ContractValidation.REASON).as("reason"), lit(ingestedAt).as("ingested_at")));
            ctx.progress("  " + name() + ": " + spec.entity() + " done");
        }
        String thisBatch = "source = '" + source() + "' AND batch_date = '" + ctx.date() + "'";
        Dataset<Row> q = quarantined.stream().reduce(Dataset::unionByName)
                .orElse(spark.createDataFrame(List.of(), Tables.QUARANTINE.schema()));
        lake.replaceWhere(Tables.QUARANTINE, thisBatch, q);
        lake.replaceWhere(Tables.INGEST_LOG, thisBatch, spark.createDataFrame(log, Tables.INGEST_LOG.schema()));
        spark.sharedState().cacheManager().clearCache(); // drop this batch's persisted reads
        summary.addFirst(String.format("%s %s: %d files, %d rows in = %d kept + %d quarantined",
                source(), ctx.date(), log.size(), in, kept, bad));
        return new JobResult(name(), summary);
    }

    private boolean unchanged(Lake lake, List<EntityFiles> found, JobContext ctx) {
        if (!lake.exists(Tables.INGEST_LOG)) {
            return false;
        }
        Set<String> now = new HashSet<>();
        String batchRel = source() + "/" + ctx.date();
        for (EntityFiles ef : found) {
            for (FileStatus f : ef.files) {
                now.add(batchRel + "/" + f.getPath().getName() + "|" + fingerprint(f));
            }
        }
        Set<String> logged = new HashSet<>();
        for (Row r : lake.read(Tables.INGEST_LOG)
                .filter(col("source").equalTo(source()).and(col("batch_date").equalTo(lit(Date.valueOf(ctx.date())))))
                .select("source_file", "file_fingerprint").collectAsList()) {
            logged.add(r.getString(0) + "|" + r.getString(1));
        }
        return !now.isEmpty() && now.equals(logged);
    }

    private static String fingerprint(FileStatus f) {
        return f.getLen() + "@" + f.getModificationTime();
    }

    private static List<FileStatus> list(FileSystem fs, Path dir, String pattern) {
        try {
            FileStatus[] st = fs.globStatus(new Path(dir, pattern));
            return st == null ? List.of() : Arrays.stream(st).filter(FileStatus::isFile)
                    .sorted(Comparator.comparing(s -> s.getPath().getName())).toList();
        } catch (IOException e) {
            throw new IngestException("cannot list " + dir + "/" + pattern + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(FileSystem fs, Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw new IngestException("cannot access " + p + ": " + e.getMessage(), e);
        }
    }

    private static FileSystem fileSystem(Path p, org.apache.spark.sql.SparkSession spark) {
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new IngestException("cannot open the file system of " + p + ": " + e.getMessage(), e);
        }
    }

    private record EntityFiles(ReadSpec spec, List<FileStatus> files) {
    }
}
