package org.crmlake.cli;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.crmlake.generate.GenerateResult;
import org.crmlake.generate.WorldGenerator;
import org.crmlake.lake.DataKeys;
import org.crmlake.lake.Lake;
import org.crmlake.lake.SparkSessions;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.BatchReplay;
import org.crmlake.features.LabelSpec;
import org.crmlake.models.Algorithm;
import org.crmlake.models.PromotionPolicy;
import org.crmlake.training.ModelTraining;
import org.crmlake.training.ScoreCustomersJob;
import org.crmlake.training.TrainRequest;
import org.crmlake.warehouse.WarehouseLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generate a small world and run every pipeline step on it, batch by batch, then print a",
                "summary: per source files, rows in, kept and quarantined; data-quality scores; silver tables;",
                "where the lake is. Starts from an empty lake under --home each time.",
                "Example: crm demo   (2000 customers over two years: about 6 minutes on 2 cores)",
                "         crm demo --customers 200 --days 60 --mess high"})
final class DemoCommand implements Callable<Integer> {
    /** Churn's validation cutoff is 90 days before the end, its two training cutoffs 90 and 120 days before that. */
    static final int MIN_DAYS_TO_TRAIN = 240;
    private final List<String> modelSummary = new java.util.ArrayList<>();

    @Mixin
    WorldOptions world;

    @Option(names = "--home", defaultValue = "work/demo", description = "Folder for the world and the lake (default ${DEFAULT-VALUE}).")
    Path home;

    @Override
    public Integer call() throws IOException {
        Console console = new Console();
        Path worldDir = home.resolve("world").toAbsolutePath();
        Path lakeDir = home.resolve("lake").toAbsolutePath();
        deleteTree(lakeDir);
        console.progress(String.format("generating %d customers over %d days (mess %s, seed %d)", world.customers, world.days, world.mess, world.seed));
        GenerateResult generated = new WorldGenerator(world.toOptions(worldDir)).onProgress(console::progress).generate();

        DataKeys keys = demoKeys(console, lakeDir);
        console.progress("starting Spark");
        Lake lake = new Lake(SparkSessions.getOrCreate("crm-demo"), lakeDir.toString(), keys);
        String landing = worldDir.resolve("landing").toString();
        BatchReplay.run(generated.batchDates(), (job, date) -> runJob(console, lake, landing, date, job),
                () -> trainModels(console, lake, worldDir), (name, outputs, work) -> work.run());
        printSummary(console, lake, generated, worldDir, lakeDir);
        return 0;
    }

    /**
     * The key file the demo lake's personal columns are encrypted with: $CRM_KEY_FILE when set,
     * else one made once in keys/ beside the lake, where the other commands find it.
     */
    static DataKeys demoKeys(Console console, Path lakeDir) throws IOException {
        Path beside = DataKeys.besideLake(lakeDir.toString());
        if (System.getProperty(DataKeys.PROPERTY) == null && System.getenv(DataKeys.ENV) == null && !Files.exists(beside)) {
            DataKeys.create(beside);
            console.progress("made a key file for the demo lake: " + beside + " (a real lake keeps it elsewhere: $" + DataKeys.ENV + ")");
        }
        DataKeys keys = DataKeys.forLake(lakeDir.toString());
        console.progress("personal columns are encrypted with key " + keys.currentKeyId() + " of " + keys.source());
        return keys;
    }

    private static void runJob(Console console, Lake lake, String landing, LocalDate date, Job job) {
        console.progress(job.name() + " " + date);
        job.run(new JobContext(lake, landing, date, console::progress).sizedFor(job)).summary().stream()
                .filter(l -> !l.startsWith("  ")).forEach(l -> console.progress("  " + l));
    }

    private void printSummary(Console console, Lake lake, GenerateResult generated, Path world, Path lakeDir) {
        System.out.println();
        System.out.printf("== crm demo: %d customers, %d days, mess %s, seed %d, batches %s ==%n", this.world.customers,
                this.world.days, this.world.mess, this.world.seed, generated.batchDates());
        System.out.printf("%-7s %6s %10s %10s %12s%n", "source", "files", "rows in", "kept", "quarantined");
        long in = 0;
        long kept = 0;
        long bad = 0;
        long suppressed = 0;
        for (Row r : lake.read(Tables.INGEST_LOG).groupBy("source")
                .agg(count_distinct(col("source_file")), sum("rows_in"), sum("rows_kept"), sum("rows_quarantined"),
                        sum("rows_suppressed"))
                .orderBy("source").collectAsList()) {
            System.out.printf("%-7s %6d %10d %10d %12d%n", r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
            in += r.getLong(2);
            kept += r.getLong(3);
            bad += r.getLong(4);
            suppressed += r.isNullAt(5) ? 0 : r.getLong(5);
        }
        // Records of forgotten people (crm forget) are dropped at ingest and counted apart; every
        // record counted as quarantined must be in bronze.quarantine.
        long inQuarantine = lake.read(Tables.QUARANTINE).count();
        System.out.printf("%-7s %6s %10d %10d %12d   (rows in = kept + quarantined%s: %s)%n", "total", "", in, kept, bad,
                suppressed == 0 ? "" : " + " + suppressed + " suppressed",
                in == kept + bad + suppressed && inQuarantine == bad ? "yes" : "NO, " + inQuarantine + " rows in bronze.quarantine");
        System.out.println();
        System.out.println("Quarantine reasons (top 5):");
        lake.read(Tables.QUARANTINE).withColumn("why", org.apache.spark.sql.functions.regexp_replace(col("reason"), "'.*'", "'…'"))
                .groupBy("source", "entity", "why").count().orderBy(col("count").desc()).limit(5).collectAsList()
                .forEach(r -> System.out.printf("  %6d  %s %s: %s%n", r.getLong(3), r.getString(0), r.getString(1), r.getString(2)));
        System.out.println();
        System.out.println("Data quality over all batches (lowest value per measure; thresholds in quality.yaml):");
        System.out.printf("%-7s %11s %13s %9s %11s  %s%n", "source", "parse rate", "completeness", "validity", "uniqueness", "breaches");
        for (Row r : lake.read(Tables.DQ_RESULTS).groupBy("source").agg(
                        min(org.apache.spark.sql.functions.when(col("metric").equalTo("parse_rate"), col("value"))),
                        min(org.apache.spark.sql.functions.when(col("metric").equalTo("completeness"), col("value"))),
                        min(org.apache.spark.sql.functions.when(col("metric").equalTo("validity"), col("value"))),
                        min(org.apache.spark.sql.functions.when(col("metric").equalTo("uniqueness"), col("value"))),
                        sum(org.apache.spark.sql.functions.when(col("passed").equalTo(false), 1).otherwise(0)))
                .orderBy("source").collectAsList()) {
            System.out.printf("%-7s %11s %13s %9s %11s  %d%n", r.getString(0), pct(r, 1), pct(r, 2), pct(r, 3), pct(r, 4), r.getLong(5));
        }
        System.out.println();
        System.out.println("Silver tables:");
        for (TableDef t : Tables.SILVER) {
            System.out.printf("  %-26s %9d rows%n", t.qualifiedName(), lake.read(t).count());
        }
        System.out.println();
        System.out.printf("Identity: %d person records -> %d customers; links by rule: %s%n",
                lake.read(Tables.IDENTITY_MAP).count(), lake.read(Tables.CUSTOMERS).count(),
                lake.read(Tables.IDENTITY_LINKS).groupBy("rule").count().orderBy("rule").collectAsList().stream()
                        .map(r -> r.getString(0) + " " + r.getLong(1)).toList());
        System.out.println("Gold tables:");
        for (TableDef t : List.of(Tables.CUSTOMERS, Tables.CUSTOMER_360, Tables.FUNNEL, Tables.KPI_DAILY, Tables.ALERTS,
                Tables.FEATURES, Tables.SCORES)) {
            System.out.printf("  %-26s %9d rows%n", t.qualifiedName(), lake.read(t).count());
        }
        lake.read(Tables.CUSTOMER_360).groupBy("lifecycle_stage").count().orderBy(col("count").desc()).collectAsList()
                .forEach(r -> System.out.printf("  lifecycle %-16s %6d customers%n", r.getString(0), r.getLong(1)));
        if (!modelSummary.isEmpty()) {
            System.out.println();
            System.out.println("Models (validation on a later cutoff than training; oracle = the generator's own probabilities):");
            modelSummary.forEach(System.out::println);
            lake.read(Tables.SCORES).filter(col("decile").equalTo(1)).groupBy("model").agg(avg("score"))
                    .orderBy("model").collectAsList().forEach(r -> System.out.printf(
                            "  %-11s top-decile customers average score %.3f (gold.scores)%n", r.getString(0), r.getDouble(1)));
        }
        lake.read(Tables.SEGMENTS).orderBy(col("members").desc()).limit(6).collectAsList().forEach(r -> System.out.printf(
                "  segment %-24s %6d members%n", r.<String>getAs("segment"), r.<Long>getAs("members")));
        Path warehouse = WarehouseLocation.resolve(lake, null);
        System.out.println();
        System.out.println("Warehouse for analysts (DuckDB, e-mails and phones masked): " + warehouse);
        System.out.println("  crm sql --user demo-analyst --warehouse " + warehouse + " --file sql/examples/segment_sizes_over_time.sql");
        System.out.println("Run report (open in a browser): " + WarehouseLocation.report(warehouse));
        System.out.println("Notebooks on this warehouse:    CRM_WAREHOUSE=" + warehouse + " jupyter lab notebooks/");
        System.out.println();
        System.out.println("Export an audience for marketing (consent-suppressed, audited; users and roles in conf/access.yaml):");
        System.out.println("  crm audience export --lake " + lakeDir + " --user demo-marketing --segment win_back --channel email"
                + " --out " + lakeDir.resolveSibling("audiences").resolve("win_back.csv"));
        System.out.println();
        System.out.println("Measure identity resolution against the ground truth:");
        System.out.println("  crm evaluate identity --world " + world + " --lake " + lakeDir);
        System.out.println("World (exports + ground truth): " + world);
        System.out.println("Lake (Delta tables):            " + lakeDir);
        System.out.println("Finished in " + console.elapsed() + ". Inspect a table: crm jobs, or read " + lakeDir + "/silver/persons with Spark.");
    }

    /**
     * Trains both models the way the weekly training DAG does, with two training cutoffs so a
     * year-long demo world is enough; a short world gets a line saying why it is skipped.
     */
    private void trainModels(Console console, Lake lake, Path worldDir) {
        if (world.days < MIN_DAYS_TO_TRAIN) {
            console.progress("skipping model training: " + world.days + " days of history; churn labels need 90 days after "
                    + "each cutoff and cutoffs need history (crm demo --days " + MIN_DAYS_TO_TRAIN + " or more)");
            return;
        }
        modelSummary.addAll(trainAllModels(lake, worldDir, world.seed, console::progress));
    }

    /** Trains every model the scoring job uses, each with every algorithm; the lines summarise each model's run. */
    static List<String> trainAllModels(Lake lake, Path worldDir, long seed, java.util.function.Consumer<String> progress) {
        List<String> summary = new java.util.ArrayList<>();
        java.util.Set<java.time.LocalDate> snapshots = new java.util.HashSet<>();
        List<TrainRequest> requests = ScoreCustomersJob.MODELS.stream().map(model -> new TrainRequest(model,
                List.of(Algorithm.values()), LabelSpec.defaults(), 2, 30, PromotionPolicy.defaults(), worldDir, seed)).toList();
        // Both models' snapshots at once: one query instead of one per model.
        ModelTraining.buildSnapshots(lake, requests, snapshots, progress);
        for (TrainRequest request : requests) {
            String model = request.model();
            List<String> lines = ModelTraining.run(lake, request, snapshots, progress).lines();
            summary.add(model + ":");
            summary.add(lines.getFirst().stripTrailing());
            summary.addAll(lines.subList(lines.size() - 2, lines.size()));
        }
        return summary;
    }

    private static String pct(Row r, int i) {
        return r.isNullAt(i) ? "-" : String.format("%.3f", r.getDouble(i));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
