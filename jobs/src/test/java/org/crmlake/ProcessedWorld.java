package org.crmlake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;
import org.crmlake.generate.GenerateOptions;
import org.crmlake.generate.GenerateResult;
import org.crmlake.generate.WorldGenerator;
import org.crmlake.lake.Lake;
import org.crmlake.pipeline.Job;
import org.crmlake.pipeline.JobContext;
import org.crmlake.pipeline.JobRegistry;

/**
 * One generated world (200 customers, 90 days, default mess) through the daily pipeline, built
 * once per test JVM: every batch ingested, then every daily job but the quality gate run for the
 * last batch (identities resolved, gold built, warehouse published; the gate writes no personal
 * data, so {@code ForgetTest} loses nothing by its absence). That costs minutes on two
 * cores, so the test classes that need a processed world share it: each takes a {@link #copy} of
 * its own (world, lake and warehouse folders), so none sees another's changes.
 */
public final class ProcessedWorld {
    private static ProcessedWorld built;
    private final Path home;
    private final GenerateResult world;

    private ProcessedWorld(Path home, GenerateResult world) {
        this.home = home;
        this.world = world;
    }

    /** A private copy of the processed world under {@code dir}: {@code world/}, {@code lake/}, {@code warehouse/}. */
    public record Copy(GenerateResult world, Lake lake, String landing) {
    }

    public static Copy copy(SparkSession spark, Path dir) {
        ProcessedWorld shared = build(spark);
        try {
            FileUtils.copyDirectory(shared.home.toFile(), dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GenerateResult w = shared.world;
        GenerateResult world = new GenerateResult(dir.resolve("world"), w.batchDates(), w.rowsPerFile(), w.persons());
        return new Copy(world, new Lake(spark, dir.resolve("lake").toString()), dir.resolve("world/landing").toString());
    }

    private static synchronized ProcessedWorld build(SparkSession spark) {
        if (built != null) {
            return built;
        }
        try {
            Path home = Files.createTempDirectory("crm-processed-world");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteQuietly(home.toFile())));
            GenerateResult world = new WorldGenerator(new GenerateOptions(200, 90, 11L, GenerateOptions.messLevel("default"),
                    GenerateOptions.DEFAULT_END_DATE, home.resolve("world"))).generate();
            Lake lake = new Lake(spark, home.resolve("lake").toString());
            String landing = home.resolve("world/landing").toString();
            LocalDate last = world.batchDates().getLast();
            for (LocalDate d : world.batchDates()) {
                for (Job j : JobRegistry.daily()) {
                    if (j.name().startsWith("ingest-") || d.equals(last) && !j.name().equals("check-quality")) {
                        j.run(new JobContext(lake, landing, d, s -> { }));
                    }
                }
            }
            built = new ProcessedWorld(home, world);
            return built;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
