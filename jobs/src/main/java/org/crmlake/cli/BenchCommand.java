package org.crmlake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.crmlake.bench.StageMeter;
import org.crmlake.bench.StageMeter.Cost;
import org.crmlake.generate.GenerateOptions;
import org.crmlake.generate.GenerateResult;
import org.crmlake.generate.WorldGenerator;
import org.crmlake.lake.DataKeys;
import org.crmlake.lake.Lake;
import org.crmlake.lake.SparkSessions;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.BatchReplay;
import org.crmlake.pipeline.JobContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Generate a world, then run the whole daily pipeline on it in this JVM (every batch, as crm demo",
                "does, models included) and measure each stage: wall time, CPU time, peak resident memory, peak heap,",
                "rows written and rows per second. Writes bench.json under --out and prints a table. bench/run runs it",
                "for several sizes beside the peer tools and draws the charts (docs/BENCHMARKS.md).",
                "Example: crm bench --customers 10000 --days 365 --out bench/work/10k"})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--customers", required = true, description = "Persons to simulate.")
    int customers;

    @Option(names = "--days", defaultValue = "365", description = "Days of history (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--mess", defaultValue = "default", description = "Mess level: low, default or high (default ${DEFAULT-VALUE}).")
    String mess;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Folder for the world, the lake and bench.json (emptied first).")
    Path out;

    /** One stage's measurements, summed over the batches it ran for. */
    private static final class Stage {
        final String name;
        double wall;
        double cpu;
        long peakRss = -1;
        long peakHeap = -1;
        long rows;
        int runs;

        Stage(String name) {
            this.name = name;
        }

        void add(Cost c, long rowsNow) {
            wall += c.wallSeconds();
            cpu += c.cpuSeconds();
            peakRss = Math.max(peakRss, c.peakRssMib());
            peakHeap = Math.max(peakHeap, c.peakHeapMib());
            rows += rowsNow;
            runs++;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (customers < 1 || days < 30) {
            throw new IllegalArgumentException("--customers must be at least 1 and --days at least 30");
        }
        Console console = new Console();
        Path home = out.toAbsolutePath();
        DemoCommand.deleteTree(home);
        Path worldDir = home.resolve("world");
        Path lakeDir = home.resolve("lake");
        GenerateOptions options = new GenerateOptions(customers, days, seed, GenerateOptions.messLevel(mess),
                GenerateOptions.DEFAULT_END_DATE, worldDir);
        console.progress(String.format("generating %d customers over %d days (mess %s, seed %d)", customers, days, mess, seed));
        GenerateResult[] generated = new GenerateResult[1];
        Cost generate = StageMeter.measure(() -> {
            try {
                generated[0] = new WorldGenerator(options).onProgress(console::progress).generate();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long exportRows = generated[0].rowsPerFile().values().stream().mapToLong(Long::longValue).sum();

        DataKeys keys = DemoCommand.demoKeys(console, lakeDir);
        console.progress("starting Spark");
        SparkSession spark = SparkSessions.getOrCreate("crm-bench");
        Lake lake = new Lake(spark, lakeDir.toString(), keys);
        String landing = worldDir.resolve("landing").toString();
        Map<String, Stage> stages = new LinkedHashMap<>();
        List<String> modelLines = new ArrayList<>();
        LocalDate[] current = new LocalDate[1];
        Cost replay = StageMeter.measure(() -> BatchReplay.run(generated[0].batchDates(),
                (job, date) -> {
                    current[0] = date;
                    console.progress(job.name() + " " + date);
                    job.run(new JobContext(lake, landing, date, console::progress).sizedFor(job));
                },
                () -> {
                    if (days >= DemoCommand.MIN_DAYS_TO_TRAIN) {
                        modelLines.addAll(DemoCommand.trainAllModels(lake, worldDir, seed, console::progress));
                    } else {
                        console.progress("skipping model training: --days " + DemoCommand.MIN_DAYS_TO_TRAIN + " or more is needed");
                    }
                },
                (name, outputs, work) -> {
                    Cost cost = StageMeter.measure(work);
                    long rows = name.equals(BatchReplay.INGEST) ? rowsIngested(lake, current[0]) : rowsIn(lake, outputs);
                    stages.computeIfAbsent(name, Stage::new).add(cost, rows);
                    // Peaks on every line: a run stopped half way still says how much memory each stage took.
                    console.progress(String.format(Locale.ROOT, "  %s: %.1f s wall, %.1f s CPU, %d rows, peak RSS %d MiB,"
                            + " peak heap %d MiB", name, cost.wallSeconds(), cost.cpuSeconds(), rows, cost.peakRssMib(),
                            cost.peakHeapMib()));
                }));

        // Each stage resets the peaks, so the whole run's peaks are the largest of the stages'.
        Cost pipeline = new Cost(replay.wallSeconds(), replay.cpuSeconds(),
                stages.values().stream().mapToLong(s -> s.peakRss).max().orElse(-1),
                stages.values().stream().mapToLong(s -> s.peakHeap).max().orElse(-1));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", machine(spark));
        result.put("world", Map.of("customers", customers, "days", days, "mess", mess, "seed", seed,
                "batches", generated[0].batchDates().size(), "export_rows", exportRows));
        result.put("generate", costMap(generate, exportRows));
        result.put("pipeline", costMap(pipeline, exportRows));
        List<Map<String, Object>> stageList = new ArrayList<>();
        for (Stage s : stages.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", s.name);
            m.put("runs", s.runs);
            m.put("wall_s", round(s.wall));
            m.put("cpu_s", round(s.cpu));
            m.put("peak_rss_mib", s.peakRss);
            m.put("peak_heap_mib", s.peakHeap);
            m.put("rows", s.rows);
            m.put("rows_per_s", s.wall > 0 && s.rows > 0 ? round(s.rows / s.wall) : null);
            stageList.add(m);
        }
        result.put("stages", stageList);
        result.put("models", modelLines);
        Files.createDirectories(home);
        Path json = home.resolve("bench.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);

        System.out.println();
        System.out.printf(Locale.ROOT, "== crm bench: %d customers, %d days, %d export rows in %d batches ==%n", customers, days,
                exportRows, generated[0].batchDates().size());
        System.out.printf(Locale.ROOT, "%-22s %8s %8s %9s %9s %11s %10s%n", "stage", "wall s", "CPU s", "RSS MiB", "heap MiB",
                "rows", "rows/s");
        System.out.println(row("generate (excluded)", generate, exportRows));
        for (Stage s : stages.values()) {
            System.out.println(row(s.name, new Cost(s.wall, s.cpu, s.peakRss, s.peakHeap), s.rows));
        }
        System.out.println(row("pipeline", pipeline, exportRows));
        System.out.println("results: " + json);
        return 0;
    }

    /** Export rows the batch's ingest read, from ops.ingest_log. */
    private static long rowsIngested(Lake lake, LocalDate date) {
        return lake.read(Tables.INGEST_LOG).where(org.apache.spark.sql.functions.col("batch_date").equalTo(java.sql.Date.valueOf(date)))
                .agg(org.apache.spark.sql.functions.sum("rows_in")).first().getLong(0);
    }

    /** Rows now in the tables a stage writes (whole tables: a stage may replace only part of one). */
    private static long rowsIn(Lake lake, List<String> tables) {
        long rows = 0;
        for (String table : tables) {
            Path dir = Path.of(lake.root(), table.replace('.', '/'));
            if (Files.isDirectory(dir.resolve("_delta_log"))) {
                rows += lake.spark().read().format("delta").load(dir.toString()).count();
            }
        }
        return rows;
    }

    private static Map<String, Object> machine(SparkSession spark) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memory_gib", round(os.getTotalMemorySize() / (double) (1L << 30)));
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        m.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        m.put("spark", spark.version());
        m.put("spark_master", spark.conf().get("spark.master"));
        m.put("shuffle_partitions", spark.conf().get("spark.sql.shuffle.partitions"));
        return m;
    }

    private static Map<String, Object> costMap(Cost c, long rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_s", round(c.wallSeconds()));
        m.put("cpu_s", round(c.cpuSeconds()));
        m.put("peak_rss_mib", c.peakRssMib());
        m.put("peak_heap_mib", c.peakHeapMib());
        m.put("rows_per_s", c.wallSeconds() > 0 ? round(rows / c.wallSeconds()) : null);
        return m;
    }

    private static String row(String name, Cost c, long rows) {
        return String.format(Locale.ROOT, "%-22s %8.1f %8.1f %9d %9d %11d %10s", name, c.wallSeconds(), c.cpuSeconds(),
                c.peakRssMib(), c.peakHeapMib(), rows, rows > 0 && c.wallSeconds() > 0 ? String.format(Locale.ROOT, "%.0f", rows / c.wallSeconds()) : "-");
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
