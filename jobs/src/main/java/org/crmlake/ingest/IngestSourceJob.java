package org.crmlake.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.Callable;
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
import org.crmlake.pipeline.Concurrently;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;

/**
 * Lands one source's batch folder ({@code landing/<source>/<date>/}) in bronze: each entity's
 * files become rows of {@code bronze.<source>_<entity>}, every record that cannot be parsed or
 * breaks the contract goes to {@code bronze.quarantine} with the reason, and
 * {@code ops.ingest_log} records rows in = kept + quarantined + suppressed per file. Records
 * carrying a source id of a forgotten person ({@code privacy.suppressed_identifiers}, written by
 * {@code crm forget}) are dropped unread and only counted. Re-ingesting a batch replaces it; an
 * unchanged batch (same files, sizes, modification times) is skipped unless forced.
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
        return List.of("landing/" + source(), Tables.SUPPRESSED_IDENTIFIERS.qualifiedName());
    }

    @Override
    public List<String> outputs() {
        List<String> out = new ArrayList<>(Tables.bronzeTables(source()).stream().map(TableDef::qualifiedName).toList());
        out.add(Tables.QUARANTINE.qualifiedName());
        out.add(Tables.INGEST_LOG.qualifiedName());
        return out;
    }

    @Override
    public long landingBytes(JobContext ctx) {
        return LandingFolders.batchBytes(ctx.landing(), List.of(source()), ctx.date(),
                ctx.spark().sparkContext().hadoopConfiguration());
    }

    @Override
    public JobResult run(JobContext ctx) {
        Lake lake = ctx.lake();
        var spark = ctx.spark();
        String batchRel = source() + "/" + ctx.date();
        Path batchDir = new Path(ctx.landing() + "/" + batchRel);
        FileSystem fs = fileSystem(batchDir, spark);
        if (!exists(fs, batchDir)) {
            throw new IngestException("no batch folder " + batchDir + " for source " + source() + " on " + ctx.date()
                    + ". Check --landing and --date, or skip this source for the date.");
        }
        List<EntityFiles> found = new ArrayList<>();
        for (ReadSpec spec : mapping.specs().values()) {
            found.add(new EntityFiles(spec, list(fs, batchDir, spec)));
        }
        checkNoStrayFiles(fs, batchDir, batchRel, found);
        List<Row> previousLog = lake.exists(Tables.INGEST_LOG)
                ? thisBatchLog(lake, ctx).select("entity", "source_file", "file_fingerprint", "rows_kept").collectAsList()
                : List.of();
        Map<String, Long> previousRows = new HashMap<>();
        previousLog.forEach(r -> previousRows.merge(r.getString(0), r.getLong(3), Long::sum));
        if (!force && unchanged(previousLog, found, batchRel)) {
            return new JobResult(name(), List.of(source() + " " + ctx.date() + ": unchanged since the last ingest, skipped (use --force to re-ingest)"));
        }
        Batch batch = new Batch(lake, batchRel, Date.valueOf(ctx.date()), Timestamp.from(Instant.now()), new ExportReader(spark, fs),
                suppressedIdentifiers(lake));
        // Open every file (headers, encodings) before the first commit: a file that stops the run
        // must not leave other entities of the batch half-written.
        Map<String, Dataset<Row>> read = new HashMap<>();
        for (EntityFiles ef : found) {
            read.put(ef.spec.entity(), readAll(batch, ef, fs));
        }
        // Entities are independent tables: ingest them concurrently so one entity's Delta commit
        // overlaps another's parsing (most of a small batch's time is per-commit overhead).
        List<EntityOutcome> outcomes = Concurrently.run(found.stream().map(ef -> (Callable<EntityOutcome>) () -> {
            spark.sparkContext().setJobGroup(name(), name() + " " + ctx.date() + " " + ef.spec.entity(), false);
            EntityOutcome o = ingestEntity(batch, ef, read.get(ef.spec.entity()), previousRows);
            ctx.progress("  " + name() + ": " + ef.spec.entity() + " done");
            return o;
        }).toList());
        List<Row> log = new ArrayList<>();
        List<Dataset<Row>> quarantined = new ArrayList<>();
        for (EntityOutcome o : outcomes) {
            log.addAll(o.log);
            if (o.quarantined != null) {
                quarantined.add(o.quarantined);
            }
        }
        String thisBatch = "source = '" + source() + "' AND batch_date = '" + ctx.date() + "'";
        Dataset<Row> q = quarantined.stream().reduce(Dataset::unionByName)
                .orElse(spark.createDataFrame(List.of(), Tables.QUARANTINE.schema()));
        lake.replaceWhere(Tables.QUARANTINE, thisBatch, q);
        lake.replaceWhere(Tables.INGEST_LOG, thisBatch, spark.createDataFrame(log, Tables.INGEST_LOG.schema()));
        outcomes.forEach(o -> { if (o.validated != null) o.validated.unpersist(); });
        if (batch.suppressed != null) {
            batch.suppressed.unpersist();
        }

        long in = log.stream().mapToLong(r -> r.getLong(5)).sum();
        long kept = log.stream().mapToLong(r -> r.getLong(6)).sum();
        long suppressed = log.stream().mapToLong(r -> r.getLong(8)).sum();
        List<String> summary = new ArrayList<>();
        summary.add(String.format("%s %s: %d files, %d rows in = %d kept + %d quarantined%s",
                source(), ctx.date(), log.size(), in, kept, in - kept - suppressed,
                suppressed == 0 ? "" : " + " + suppressed + " suppressed (forgotten people)"));
        for (Row r : log) {
            summary.add(String.format("  %-38s %8d in %8d kept %6d quarantined%s", r.getString(3), r.getLong(5), r.getLong(6),
                    r.getLong(7), r.getLong(8) == 0 ? "" : String.format(" %6d suppressed", r.getLong(8))));
        }
        return new JobResult(name(), summary);
    }

    /** suppressed: the hashed ids of forgotten people, null when nobody was forgotten. */
    private record Batch(Lake lake, String rel, Date date, Timestamp ingestedAt, ExportReader reader, Dataset<Row> suppressed) {
    }

    private static Dataset<Row> suppressedIdentifiers(Lake lake) {
        if (!lake.exists(Tables.SUPPRESSED_IDENTIFIERS)) {
            return null;
        }
        Dataset<Row> ids = lake.read(Tables.SUPPRESSED_IDENTIFIERS).select("kind", "value_hash").cache();
        return ids.isEmpty() ? null : ids;
    }

    /**
     * Adds {@value #SUPPRESSED}: the record carries, in one of the bronze table's person-key fields,
     * an id whose keyed hash (or plain SHA-256, recorded before the lake had a key) is on the
     * suppression list for that kind of id.
     */
    private static Dataset<Row> flagSuppressed(Lake lake, Dataset<Row> validated, TableDef bronze, Dataset<Row> suppressed) {
        Column any = lit(false);
        int i = 0;
        for (var key : bronze.personKeys().entrySet()) {
            Dataset<Row> hashes = suppressed.filter(col("kind").equalTo(key.getValue().id())).select("value_hash").distinct();
            Column id = col(key.getKey());
            for (Column hashed : List.of(lake.keyedHash(id), sha2(id, 256))) {
                String hash = "_suppressed_hash" + i;
                String flag = "_suppressed_by" + i++;
                validated = validated.join(broadcast(hashes.select(col("value_hash").as(hash), lit(true).as(flag))),
                        hashed.equalTo(col(hash)), "left").drop(hash);
                any = any.or(coalesce(col(flag), lit(false)));
            }
        }
        return validated.withColumn(SUPPRESSED, any);
    }

    private static final String SUPPRESSED = "_suppressed";

    private record EntityOutcome(List<Row> log, Dataset<Row> quarantined, Dataset<Row> validated) {
    }

    /**
     * Every file of one entity, validated, as one lazy Dataset (null when there are none). A file
     * with the same bytes as an earlier file of the batch has all its records quarantined as a duplicate.
     */
    private static Dataset<Row> readAll(Batch batch, EntityFiles ef, FileSystem fs) {
        Dataset<Row> validated = null;
        Map<String, String> firstWithDigest = new HashMap<>();
        for (FileStatus f : ef.files) {
            String rel = batch.rel + "/" + f.getPath().getName();
            Dataset<Row> one = ContractValidation.validate(batch.reader.read(f.getPath(), rel, ef.spec), ef.spec);
            boolean sameSizeExists = ef.files.stream().anyMatch(o -> o != f && o.isFile() && o.getLen() == f.getLen());
            if (f.isFile() && f.getLen() > 0 && sameSizeExists) {
                String original = firstWithDigest.putIfAbsent(digest(fs, f, rel), rel);
                if (original != null) {
                    one = one.withColumn(ContractValidation.REASON, coalesce(col(ContractValidation.REASON),
                            lit("duplicate file: same bytes as " + original)));
                }
            }
            one = one.withColumn("_source_file", lit(rel)).withColumn("_fingerprint", lit(fingerprint(f)));
            validated = validated == null ? one : validated.unionByName(one);
        }
        return validated;
    }

    private static String digest(FileSystem fs, FileStatus f, String rel) {
        try (var in = fs.open(f.getPath())) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IngestException(rel + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private EntityOutcome ingestEntity(Batch batch, EntityFiles ef, Dataset<Row> validated, Map<String, Long> previousRows) {
        ReadSpec spec = ef.spec;
        TableDef bronze = Tables.bronze(source(), spec.entity());
        String thisBatch = "_batch_date = '" + batch.date + "'";
        boolean hadRows = previousRows.getOrDefault(spec.entity(), 0L) > 0;
        if (validated == null) {
            if (hadRows) { // files of a re-ingested batch were withdrawn
                batch.lake.replaceWhere(bronze, thisBatch, batch.lake.spark().createDataFrame(List.of(), bronze.schema()));
            }
            return new EntityOutcome(List.of(), null, null);
        }
        validated = batch.suppressed == null ? validated.withColumn(SUPPRESSED, lit(false))
                : flagSuppressed(batch.lake(), validated, bronze, batch.suppressed);
        validated = validated.persist(StorageLevel.MEMORY_AND_DISK());
        Column good = ContractValidation.isGood().and(not(col(SUPPRESSED)));
        Column bad = ContractValidation.isBad().and(not(col(SUPPRESSED)));
        List<Row> log = new ArrayList<>();
        long kept = 0;
        for (Row r : validated.groupBy("_source_file", "_fingerprint")
                .agg(count(lit(1)).as("n"), sum(when(bad, 1).otherwise(0)).as("bad"),
                        sum(when(col(SUPPRESSED), 1).otherwise(0)).as("suppressed"))
                .orderBy("_source_file").collectAsList()) {
            long n = r.getLong(2);
            long b = r.getLong(3);
            long sup = r.getLong(4);
            log.add(RowFactory.create(source(), spec.entity(), batch.date, r.getString(0), r.getString(1), n, n - b - sup, b,
                    sup, batch.ingestedAt));
            kept += n - b - sup;
        }
        // Empty and header-only files are logged too (0 rows in): nothing in the batch goes unrecorded.
        for (FileStatus f : ef.files) {
            String rel = batch.rel + "/" + f.getPath().getName();
            if (log.stream().noneMatch(r -> r.getString(3).equals(rel))) {
                log.add(RowFactory.create(source(), spec.entity(), batch.date, rel, fingerprint(f), 0L, 0L, 0L, 0L,
                        batch.ingestedAt));
            }
        }
        log.sort(Comparator.comparing(r -> r.getString(3)));
        // Header-only files are common in daily exports; they need no commit unless they replace rows.
        if (kept > 0 || hadRows) {
            List<Column> bronzeCols = new ArrayList<>(spec.columns().stream().map(m -> col(m.field().name())).toList());
            bronzeCols.add(col("_source_file"));
            bronzeCols.add(lit(batch.rel).as("_batch_id"));
            bronzeCols.add(lit(batch.date).as("_batch_date"));
            bronzeCols.add(lit(batch.ingestedAt).as("_ingested_at"));
            batch.lake.replaceWhere(bronze, thisBatch,
                    validated.filter(good).select(bronzeCols.toArray(Column[]::new)));
        }
        Dataset<Row> quarantined = validated.filter(bad).select(
                lit(source()).as("source"), lit(spec.entity()).as("entity"), lit(batch.date).as("batch_date"),
                col("_source_file").as("source_file"), col(ContractValidation.RAW).as("raw_record"),
                col(ContractValidation.REASON).as("reason"), lit(batch.ingestedAt).as("ingested_at"));
        return new EntityOutcome(log, quarantined, validated);
    }

    private Dataset<Row> thisBatchLog(Lake lake, JobContext ctx) {
        return lake.read(Tables.INGEST_LOG)
                .filter(col("source").equalTo(source()).and(col("batch_date").equalTo(lit(Date.valueOf(ctx.date())))));
    }

    /** Same files with the same sizes and modification times as the last ingest of this batch. */
    private static boolean unchanged(List<Row> previousLog, List<EntityFiles> found, String batchRel) {
        Set<String> now = new HashSet<>();
        for (EntityFiles ef : found) {
            for (FileStatus f : ef.files) {
                now.add(batchRel + "/" + f.getPath().getName() + "|" + fingerprint(f));
            }
        }
        Set<String> logged = new HashSet<>();
        previousLog.forEach(r -> logged.add(r.getString(1) + "|" + r.getString(2)));
        return !now.isEmpty() && now.equals(logged);
    }

    private static String fingerprint(FileStatus f) {
        return f.getLen() + "@" + f.getModificationTime();
    }

    /**
     * A file in the batch folder that no entity's pattern matches would be silently ignored (for
     * example another source's export dropped in the wrong folder): stop and name it. Hidden files,
     * Hadoop/Spark markers ({@code .name}, {@code _SUCCESS}), checksums and what the mapping file's
     * {@code ignore:} lists are not exports.
     */
    private void checkNoStrayFiles(FileSystem fs, Path batchDir, String batchRel, List<EntityFiles> found) {
        Set<String> matched = new HashSet<>();
        found.forEach(ef -> ef.files.forEach(f -> matched.add(f.getPath().getName())));
        FileStatus[] all;
        try {
            all = fs.listStatus(batchDir);
        } catch (IOException e) {
            throw new IngestException("cannot list " + batchDir + ": " + e.getMessage(), e);
        }
        for (FileStatus st : all) {
            String name = st.getPath().getName();
            if (!matched.contains(name) && !name.startsWith(".") && !name.startsWith("_") && !mapping.isIgnored(name)) {
                throw new IngestException(batchRel + "/" + name + " matches no " + source() + " entity (file patterns: "
                        + mapping.specs().values().stream().map(ReadSpec::filePattern).toList() + "). If it is another"
                        + " source's export, move it to that source's landing folder; if it is a " + source()
                        + " export under another name, rename it or map it in a mapping file (--mapping, see docs/MAPPING.md);"
                        + " if it is not an export, list it under 'ignore:' in a mapping file.");
            }
        }
    }

    /** Files matching the entity's pattern; for Parquet also folders (Spark and most tools write those). */
    private static List<FileStatus> list(FileSystem fs, Path dir, ReadSpec spec) {
        String pattern = spec.filePattern();
        try {
            FileStatus[] st = fs.globStatus(new Path(dir, pattern));
            return st == null ? List.of() : Arrays.stream(st).filter(s -> s.isFile() || spec.format().equals("parquet"))
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
