package org.crmlake.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmlake.cli.CrmCommand;
import org.crmlake.lake.SparkSessions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Faults on the real launcher (issue 7): a {@code crm ingest} killed with SIGKILL in the middle of
 * writing, two runs of one date started at once, and a full disk. Each faulty run is a child process
 * ({@code ./crm}). The three runs start together (to keep the test short); the killed lake, once re-run,
 * must equal the lake the concurrent runs left. The re-runs after a fault (what an Airflow retry does)
 * are the same {@code crm ingest} command line run in this JVM: what they test is the lake the fault
 * left, and a child JVM would only add its start-up. Run by maven-failsafe after {@code package}.
 */
class FaultsIT {
    private static final Path ROOT = Path.of(System.getProperty("crm.root", "..")).toAbsolutePath().normalize();
    private static final Path DIR = Path.of(System.getProperty("crm.it.dir", "target/cluster-it")).toAbsolutePath()
            .resolveSibling("faults-it");
    private static final Path LANDING = DIR.resolve("world/landing");
    private static final Path CONCURRENT = DIR.resolve("concurrent");
    private static final Path KILLED = DIR.resolve("killed");
    /** Columns that differ between two runs of the same batch by design. */
    private static final List<String> RUN_STAMPS = List.of("_ingested_at", "ingested_at");
    private static String date;
    private static int firstExit;
    private static int secondExit;
    private static Map<String, Long> visibleAfterKill;

    @BeforeAll
    static void runConcurrentlyAndKillOne() throws Exception {
        // A run killed half-way may have left its tmpfs mounted.
        new ProcessBuilder("umount", DIR.resolve("full-disk").toString()).redirectErrorStream(true).start().waitFor();
        deleteTree(DIR);
        Files.createDirectories(DIR);
        assertThat(CrmCommand.commandLine().execute("generate", "--customers", "120", "--days", "30",
                "--out", DIR.resolve("world").toString())).isZero();
        try (Stream<Path> batches = Files.list(LANDING.resolve("crm"))) {
            date = batches.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
        Process first = ingest(CONCURRENT, "concurrent-1");
        Process second = ingest(CONCURRENT, "concurrent-2");
        Process killed = ingest(KILLED, "killed");
        // Kill as soon as the first table has committed: some tables are whole, others mid-write.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (committedTables(KILLED).isEmpty() && killed.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(killed.isAlive()).as("the ingest was still writing when killed; see %s", log("killed")).isTrue();
        killTree(killed);
        visibleAfterKill = counts(KILLED);
        firstExit = finish(first);
        secondExit = finish(second);
        System.out.println("FaultsIT: concurrent runs exited " + firstExit + " and " + secondExit
                + "; after SIGKILL tables visible " + visibleAfterKill);
    }

    @Test
    void twoRunsOfOneDateAtOnceOneWinsAndTheTablesReconcile() throws Exception {
        assertThat(List.of(firstExit, secondExit)).as("one run wins; see %s and %s", log("concurrent-1"),
                log("concurrent-2")).contains(0);
        // A run that lost stops with crm's one line (the lines before it may be Spark's logging).
        List<Integer> exits = List.of(firstExit, secondExit);
        for (int i = 0; i < 2; i++) {
            if (exits.get(i) != 0) {
                String run = "concurrent-" + (i + 1);
                assertThat(Files.readString(log(run)).lines()).as(run).anyMatch(l -> l.startsWith("crm ingest: "));
            }
        }
        if (firstExit != 0 || secondExit != 0) {
            // The loser is safe to run again, as Airflow's retry would.
            assertThat(ingestHere(CONCURRENT, "concurrent-retry", "crm")).as("retry; see %s", log("concurrent-retry")).isZero();
        }
        // One ingest_log row per landed file, and bronze holds exactly the rows it says were kept.
        long files;
        try (Stream<Path> landed = Files.list(LANDING.resolve("crm").resolve(date))) {
            files = landed.count();
        }
        Dataset<Row> log = read(CONCURRENT.resolve("ops/ingest_log"));
        assertThat(log.count()).isEqualTo(files);
        for (Row r : log.collectAsList()) {
            String entity = r.getAs("entity");
            long in = r.<Long>getAs("rows_in");
            long kept = r.<Long>getAs("rows_kept");
            long quarantined = r.<Long>getAs("rows_quarantined");
            assertThat(in).as(entity).isEqualTo(kept + quarantined);
            assertThat(read(CONCURRENT.resolve("bronze/crm_" + entity)).count()).as(entity).isEqualTo(kept);
        }
    }

    @Test
    void aRunKilledWhileWritingLeavesNoPartialTableAndARerunMatchesAnUninterruptedRun() throws Exception {
        Map<String, Long> complete = counts(CONCURRENT);
        assertThat(visibleAfterKill).as("a table had committed before the kill").isNotEmpty();
        // Every table a reader can see holds the whole batch or does not exist yet.
        visibleAfterKill.forEach((table, rows) -> assertThat(rows).as(table).isEqualTo(complete.get(table)));

        assertThat(ingestHere(KILLED, "killed-rerun", "crm")).as("re-run after the kill; see %s", log("killed-rerun")).isZero();
        assertSameTables(KILLED, CONCURRENT);
    }

    @Test
    void aFullDiskGivesOneLineAndLeavesTheTablesWhole() throws Exception {
        // A small tmpfs holds a copy of the ingested lake; a filler file takes the rest of its space.
        Path mount = Files.createDirectories(DIR.resolve("full-disk"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(m.waitFor() == 0, "mounting a tmpfs needs root: " + new String(m.getInputStream().readAllBytes()));
        try {
            Path lake = mount.resolve("lake");
            copyTree(CONCURRENT, lake);
            Map<String, Long> before = counts(lake);
            Path filler = mount.resolve("filler");
            new ProcessBuilder("dd", "if=/dev/zero", "of=" + filler, "bs=64k").redirectErrorStream(true)
                    .redirectOutput(log("filler").toFile()).start().waitFor();
            assertThat(finish(ingest(lake, "full-disk", "erp"))).as("see %s", log("full-disk")).isEqualTo(4);
            // Spark logs its failed tasks; crm's own word is one line naming the problem and the fix.
            String out = Files.readString(log("full-disk"));
            // (Spark's task threads may still be logging after it, so look for the line, not at the end.)
            assertThat(out.lines()).anyMatch(l -> l.startsWith(
                    "crm ingest: the lake's storage refused a write (No space left on device). Free space"));
            assertThat(counts(lake)).as("tables after the failed write").isEqualTo(before);

            Files.delete(filler);
            assertThat(ingestHere(lake, "full-disk-rerun", "erp")).as("see %s", log("full-disk-rerun")).isZero();
            assertThat(counts(lake).keySet()).contains("bronze/erp_orders").containsAll(before.keySet());
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }

    private static Process ingest(Path lake, String name) throws IOException {
        return ingest(lake, name, "crm");
    }

    private static Process ingest(Path lake, String name, String source) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("crm").toString(), "ingest", "--source", source,
                "--date", date, "--lake", lake.toString(), "--landing", LANDING.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log(name).toFile());
        pb.environment().put("CRM_AOT", "off");
        // A child lives seconds: C1 alone costs less CPU than C2's compiles would pay back.
        pb.environment().put("CRM_JAVA_OPTS", "-Xmx1g -Dcrm.shuffle.partitions=2 -Dcrm.codegen=off -XX:TieredStopAtLevel=1");
        return pb.start();
    }

    /**
     * The same {@code crm ingest} command line in this JVM and its Spark session. crm's own error line
     * goes to the named log; its progress goes to this test's output (failsafe's report).
     */
    private static int ingestHere(Path lake, String name, String source) throws IOException {
        StringWriter out = new StringWriter();
        CommandLine cli = CrmCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("ingest", "--source", source, "--date", date, "--lake", lake.toString(),
                "--landing", LANDING.toString());
        Files.writeString(log(name), out.toString());
        return code;
    }

    private static int finish(Process p) throws InterruptedException {
        if (!p.waitFor(6, TimeUnit.MINUTES)) {
            killTree(p);
            throw new AssertionError("crm ingest did not finish in 6 minutes");
        }
        return p.exitValue();
    }

    /** SIGKILL to the launcher and the JVM it started: nothing gets to clean up. */
    private static void killTree(Process p) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            h.onExit().join();
        }
    }

    private static Path log(String name) {
        return DIR.resolve(name + ".log");
    }

    /** Rows of every Delta table in the lake (a folder with a {@code _delta_log}), by path. */
    private static Map<String, Long> counts(Path lake) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Path table : committedTables(lake)) {
            out.put(lake.relativize(table).toString(), read(table).count());
        }
        return out;
    }

    private static void assertSameTables(Path lake, Path expected) throws IOException {
        List<String> tables = committedTables(expected).stream().map(t -> expected.relativize(t).toString()).toList();
        assertThat(committedTables(lake).stream().map(t -> lake.relativize(t).toString()).toList())
                .containsExactlyInAnyOrderElementsOf(tables);
        for (String table : tables) {
            Dataset<Row> got = withoutStamps(read(lake.resolve(table)));
            Dataset<Row> want = withoutStamps(read(expected.resolve(table)));
            assertThat(got.count()).as(table + " rows").isEqualTo(want.count());
            assertThat(got.exceptAll(want).count()).as(table + " rows not in the uninterrupted run").isZero();
            assertThat(want.exceptAll(got).count()).as(table + " rows missing").isZero();
        }
    }

    private static Dataset<Row> withoutStamps(Dataset<Row> rows) {
        return rows.drop(RUN_STAMPS.toArray(String[]::new));
    }

    private static Dataset<Row> read(Path table) {
        return spark().read().format("delta").load(table.toString());
    }

    private static List<Path> committedTables(Path lake) throws IOException {
        if (!Files.isDirectory(lake)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.walk(lake)) {
            // A table exists for readers once its first commit (version 0) is in its log.
            return dirs.filter(d -> Files.exists(d.resolve("_delta_log").resolve("%020d.json".formatted(0))))
                    .sorted().toList();
        }
    }

    private static SparkSession spark() {
        return SparkSessions.getOrCreate("faults-it");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
