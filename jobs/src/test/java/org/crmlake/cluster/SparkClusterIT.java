package org.crmlake.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.functions;
import org.crmlake.cli.CrmCommand;
import org.crmlake.lake.Lake;
import org.crmlake.lake.SparkSessions;
import org.crmlake.lake.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar on a real Spark standalone cluster: scripts/spark-cluster starts a master and a
 * worker on 127.0.0.1, SparkSubmit runs crm jobs on it, and the Delta tables they wrote are read
 * back here with a local session. Run by maven-failsafe after {@code package}, so the jar exists.
 */
class SparkClusterIT {
    private static final Path ROOT = Path.of(System.getProperty("crm.root", "..")).toAbsolutePath().normalize();
    private static final Path DIR = Path.of(System.getProperty("crm.it.dir", "target/cluster-it")).toAbsolutePath();
    private static final Path CLUSTER = DIR.resolve("cluster");
    private static final Path LAKE = DIR.resolve("lake");
    private static final Path WORLD = DIR.resolve("world");
    private static final Path SCRIPT_LOG = DIR.resolve("script.log");

    @BeforeAll
    static void startCluster() throws Exception {
        Files.createDirectories(DIR);
        // A run killed half-way may have left daemons behind: stop them before their state file goes.
        script("stop");
        deleteTree(DIR);
        Files.createDirectories(DIR);
        int generated = CrmCommand.commandLine().execute("generate", "--customers", "100", "--days", "30",
                "--out", WORLD.toString());
        assertThat(generated).isZero();
        script("start");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        script("stop");
    }

    @Test
    void ingestAndConformRunOnTheClusterAndTheirTablesReadBack() throws Exception {
        // The first batch holds the full CRM export; later ones are small deltas.
        String date;
        try (Stream<Path> batches = Files.list(WORLD.resolve("landing/crm"))) {
            date = batches.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
        for (String job : List.of("ingest-crm", "conform-crm")) {
            script("submit", "run", job, "--date", date, "--lake", LAKE.toString(),
                    "--landing", WORLD.resolve("landing").toString());
        }

        // The master saw both applications finish, and each ran tasks in an executor on the worker.
        JsonNode master = masterJson();
        assertThat(master.get("aliveworkers").asInt()).isEqualTo(1);
        List<String> finished = new ArrayList<>();
        for (JsonNode app : master.get("completedapps")) {
            assertThat(app.get("state").asText()).as(app.toString()).isEqualTo("FINISHED");
            finished.add(app.get("name").asText());
            Path stderr = CLUSTER.resolve("work").resolve(app.get("id").asText()).resolve("0/stderr");
            assertThat(Files.readString(stderr)).as(stderr.toString()).contains("Finished task");
        }
        assertThat(finished).containsExactlyInAnyOrder("crm-ingest-crm", "crm-conform-crm");

        Lake lake = new Lake(SparkSessions.getOrCreate("cluster-it-readback"), LAKE.toString());
        long kept = lake.read(Tables.INGEST_LOG).where(functions.col("entity").equalTo("contacts"))
                .agg(functions.sum("rows_kept")).first().getLong(0);
        long contacts = lake.read(Tables.bronze("crm", "contacts")).count();
        assertThat(contacts).isPositive().isEqualTo(kept);
        assertThat(lake.read(Tables.OWNERS).count()).isPositive();
        assertThat(lake.read(Tables.CONSENTS).count()).isPositive();
        assertThat(lake.read(Tables.LEADS).count()).isPositive();
    }

    /** Runs scripts/spark-cluster with our cluster dir; its output goes to script.log, shown on failure. */
    private static void script(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/spark-cluster").toString(),
                "--dir", CLUSTER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(SCRIPT_LOG.toFile()));
        // Smaller shuffles and heap for the tiny world; the cluster has two cores in all.
        pb.environment().put("CRM_JAVA_OPTS", "-Xmx1g -Dcrm.shuffle.partitions=2");
        Process p = pb.start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("spark-cluster " + args[0] + " timed out; see " + SCRIPT_LOG);
        }
        assertThat(p.exitValue()).as("spark-cluster %s exit code; last lines of %s:%n%s",
                String.join(" ", args), SCRIPT_LOG, tail(SCRIPT_LOG, 40)).isZero();
    }

    private static JsonNode masterJson() throws IOException, InterruptedException {
        Properties state = new Properties();
        try (var in = Files.newBufferedReader(CLUSTER.resolve("cluster.env"))) {
            state.load(in);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(state.getProperty("MASTER_WEBUI") + "/json/")).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return new ObjectMapper().readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    private static String tail(Path file, int lines) throws IOException {
        // Lenient decoding: the log mixes Spark's output with the jobs' own.
        List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
