package org.crmlake.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.crmlake.gold.AsOf;
import org.crmlake.gold.DataDictionary;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.models.ModelRegistry;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobResult;
import org.crmlake.pipeline.SqlFiles;
import org.crmlake.training.ModelStore;
import org.crmlake.training.ScoreCustomersJob;
import org.crmlake.training.TrainModelJob;

/**
 * The analysts' DuckDB warehouse for a date (docs/WAREHOUSE.md). Each table is exported from Spark
 * as a plain Parquet snapshot (never the Delta folder's files, which include removed ones), loaded
 * with CREATE TABLE AS into a new DuckDB file beside the live one, then swapped in with one atomic
 * rename; the file it replaces stays as {@code warehouse.previous.duckdb} for rollback. E-mails,
 * phones and names are masked ({@link Masking}). The views in {@code sql/warehouse/*.sql} are
 * created last; a broken view fails the publish before the swap, so the live file stays as it was.
 */
public final class PublishWarehouseJob implements Job {
    public static final Path VIEWS_DIR = Path.of("sql", "warehouse");
    private final Path file;
    private final Path views;

    /** The default location ({@link WarehouseLocation}) and views. */
    public PublishWarehouseJob() {
        this(null, VIEWS_DIR);
    }

    public PublishWarehouseJob(Path file, Path views) {
        this.file = file;
        this.views = views;
    }

    @Override
    public String name() {
        return "publish-warehouse";
    }

    @Override
    public String description() {
        return "DuckDB warehouse for analysts and BI tools, personal data masked, swapped in atomically";
    }

    /** Warehouse table name to the lake table it comes from; true when only the date's slice is published. */
    static Map<String, Map.Entry<TableDef, Boolean>> sources() {
        Map<String, Map.Entry<TableDef, Boolean>> m = new LinkedHashMap<>();
        m.put("customer_360", Map.entry(Tables.CUSTOMER_360, true));
        m.put("scores", Map.entry(Tables.SCORES, true));
        m.put("segments", Map.entry(Tables.SEGMENTS, false));
        m.put("segment_membership", Map.entry(Tables.SEGMENT_MEMBERSHIP, false));
        m.put("funnel", Map.entry(Tables.FUNNEL, true));
        m.put("kpi_daily", Map.entry(Tables.KPI_DAILY, false));
        m.put("alerts", Map.entry(Tables.ALERTS, false));
        m.put("dq_results", Map.entry(Tables.DQ_RESULTS, false));
        m.put("ingest_log", Map.entry(Tables.INGEST_LOG, false));
        m.put("clv", Map.entry(Tables.CLV, true));
        m.put("recommendations", Map.entry(Tables.RECOMMENDATIONS, true));
        return m;
    }

    @Override
    public List<String> inputs() {
        List<String> inputs = new ArrayList<>(sources().values().stream().map(e -> e.getKey().qualifiedName()).toList());
        ScoreCustomersJob.MODELS.forEach(model -> inputs.add(TrainModelJob.registryOutput(model)));
        return inputs;
    }

    /** Not lake tables: the DuckDB file and the run report, named so the manifest shows what the job produces. */
    @Override
    public List<String> outputs() {
        return List.of("warehouse/" + WarehouseLocation.FILE_NAME, "warehouse/" + WarehouseLocation.REPORT_NAME);
    }

    /** What a publish did: the live file, rows per table, the run report, and timings. */
    public record Published(Path file, Map<String, Long> rows, Path report, double exportSeconds, double loadSeconds,
            boolean keptPrevious) {
    }

    @Override
    public JobResult run(JobContext context) {
        Published p = publish(context);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "warehouse %s for %s: %d tables, export %.1f s, load + swap %.1f s%s",
                p.file(), context.date(), p.rows().size(), p.exportSeconds(), p.loadSeconds(),
                p.keptPrevious() ? "; previous kept as " + WarehouseLocation.PREVIOUS_NAME : ""));
        p.rows().forEach((t, n) -> lines.add(String.format(Locale.ROOT, "  %-20s %10d rows", t, n)));
        lines.add("run report: " + p.report() + " (latest: " + WarehouseLocation.report(p.file()) + ")");
        return new JobResult(name(), lines);
    }

    public Published publish(JobContext context) {
        Lake lake = context.lake();
        AsOf asOf = new AsOf(context.date());
        Path live = WarehouseLocation.resolve(lake, file);
        Path dir = live.getParent();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path staging = dir.resolve(".publish-" + id);
        Path next = dir.resolve("warehouse.next-" + id + ".duckdb");
        try {
            Files.createDirectories(dir);
            String salt = Masking.salt(dir);
            long t0 = System.nanoTime();
            Map<String, Dataset<Row>> exported = new LinkedHashMap<>();
            context.spark().sparkContext().setJobGroup(name(), name() + " " + asOf.date(), false);
            try {
                for (var e : sources().entrySet()) {
                    Dataset<Row> rows = lake.read(e.getValue().getKey());
                    if (e.getValue().getValue()) {
                        rows = rows.filter(asOf.slice());
                    }
                    rows = Masking.apply(rows, salt);
                    rows.coalesce(1).write().mode("overwrite").parquet(staging.resolve(e.getKey()).toUri().toString());
                    exported.put(e.getKey(), rows);
                }
            } finally {
                context.spark().sparkContext().clearJobGroup();
            }
            double exportSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            Map<String, Long> counts = new LinkedHashMap<>();
            String report;
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + next)) {
                for (var e : exported.entrySet()) {
                    String glob = staging.resolve(e.getKey()).resolve("*.parquet").toString().replace("'", "''");
                    execute(db, "CREATE TABLE " + e.getKey() + " AS SELECT * FROM read_parquet('" + glob + "')");
                    counts.put(e.getKey(), count(db, e.getKey()));
                }
                counts.putAll(ModelTables.write(db, registry(lake, context)));
                counts.put("data_dictionary", writeDictionary(db, exported));
                for (var v : SqlFiles.load(views, VIEWS_DIR, "--views").entrySet()) {
                    try {
                        execute(db, v.getValue());
                    } catch (SQLException ex) {
                        throw new IllegalArgumentException("warehouse view file " + v.getKey() + " failed: "
                                + ex.getMessage().lines().findFirst().orElse("") + " (the live warehouse is unchanged)", ex);
                    }
                }
                execute(db, "CHECKPOINT");
                report = RunReport.render(db, asOf.date(), counts);
            }
            boolean keptPrevious = swap(next, live);
            Path reportFile = RunReport.write(report, asOf.date(), dir);
            return new Published(live, counts, reportFile, exportSeconds, (System.nanoTime() - t1) / 1e9, keptPrevious);
        } catch (SQLException e) {
            throw new IllegalStateException("building the DuckDB warehouse " + next + " failed (the live warehouse "
                    + live + " is unchanged)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("publishing the warehouse " + live + " failed", e);
        } finally {
            deleteQuietly(staging);
            deleteQuietly(next);
            deleteQuietly(next.resolveSibling(next.getFileName() + ".wal"));
        }
    }

    /** The model registry, or null when the lake has none it can reach (a remote lake without $CRM_MODELS). */
    private static ModelRegistry registry(Lake lake, JobContext context) {
        try {
            return ModelStore.open(lake);
        } catch (IllegalArgumentException e) {
            context.progress("  model tables left empty: " + e.getMessage());
            return null;
        }
    }

    /**
     * Keeps the live file as the previous one (a hard link, so the live name never disappears),
     * then renames the new file over the live one in one atomic step: a reader opens the old or the
     * new warehouse, never a missing or half-written one.
     */
    static boolean swap(Path next, Path live) throws IOException {
        boolean hadLive = Files.exists(live);
        if (hadLive) {
            Path previous = WarehouseLocation.previous(live);
            Files.deleteIfExists(previous);
            try {
                Files.createLink(previous, live);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(live, previous, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(next, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return hadLive;
    }

    /** data_dictionary: one row per column of every published table, from the catalog in Tables. */
    private static long writeDictionary(Connection db, Map<String, Dataset<Row>> exported) throws SQLException {
        execute(db, "CREATE TABLE data_dictionary (table_name VARCHAR, column_name VARCHAR, position INTEGER, "
                + "data_type VARCHAR, description VARCHAR, lake_table VARCHAR, table_description VARCHAR)");
        Map<String, TableDef> byName = new LinkedHashMap<>();
        for (TableDef t : DataDictionary.tables()) {
            byName.put(t.qualifiedName(), t);
        }
        long n = 0;
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO data_dictionary VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (var e : exported.entrySet()) {
                TableDef def = byName.get(sources().get(e.getKey()).getKey().qualifiedName());
                int position = 0;
                for (StructField f : e.getValue().schema().fields()) {
                    String masked = Masking.describe(f.name());
                    String declared = def.columns().stream().filter(c -> c.name().equals(f.name()))
                            .map(org.crmlake.lake.Column::description).findFirst().orElse(null);
                    insert.setString(1, e.getKey());
                    insert.setString(2, f.name());
                    insert.setInt(3, ++position);
                    insert.setString(4, f.dataType().simpleString());
                    insert.setString(5, masked != null ? masked : declared);
                    insert.setString(6, def.qualifiedName());
                    insert.setString(7, def.description());
                    insert.addBatch();
                    n++;
                }
            }
            for (ModelTables.WarehouseTable t : ModelTables.ALL) {
                int position = 0;
                for (ModelTables.WarehouseColumn c : t.columns()) {
                    insert.setString(1, t.name());
                    insert.setString(2, c.name());
                    insert.setInt(3, ++position);
                    insert.setString(4, c.sqlType().toLowerCase(Locale.ROOT));
                    insert.setString(5, c.description());
                    insert.setString(6, "model registry");
                    insert.setString(7, t.description());
                    insert.addBatch();
                    n++;
                }
            }
            insert.executeBatch();
        }
        return n;
    }

    /** One Statement per query: in DuckDB JDBC 2.0 a failing execute closes its Statement. */
    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection db, String table) throws SQLException {
        try (Statement s = db.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void deleteQuietly(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            // a leftover staging folder is harmless; the next publish uses a new name
        }
    }
}
