package org.crmlake.audience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An audience as one CSV or Parquet file, written atomically: Spark writes a single part file into
 * a hidden folder beside the target, and {@link Staged#publish()} renames it over the target in one
 * step (same folder, so same file system). A killed export leaves the target as it was, plus at
 * worst a hidden {@code .<name>.tmp-*} folder.
 */
final class AudienceFile {
    private AudienceFile() {
    }

    /** A written file not yet at its destination, and its checksum. */
    record Staged(Path folder, Path part, Path target, String sha256) implements AutoCloseable {
        void publish() throws IOException {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        /** Removes the hidden folder (and the part file when it was not published). */
        @Override
        public void close() {
            deleteQuietly(folder);
        }
    }

    static Staged stage(Dataset<Row> rows, Path target, String format) {
        Path folder = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(target.getParent());
            var writer = rows.coalesce(1).write().mode("overwrite");
            if (format.equals("csv")) {
                writer.option("header", "true").csv(folder.toUri().toString());
            } else {
                writer.parquet(folder.toUri().toString());
            }
            Path part;
            try (Stream<Path> files = Files.list(folder)) {
                List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
                if (parts.size() != 1) {
                    throw new IllegalStateException("expected one part file in " + folder + ", found " + parts.size());
                }
                part = parts.get(0);
            }
            return new Staged(folder, part, target, org.crmlake.privacy.Hashes.sha256(part));
        } catch (IOException e) {
            deleteQuietly(folder);
            throw new UncheckedIOException("writing the audience file " + target + " failed", e);
        } catch (RuntimeException e) {
            deleteQuietly(folder);
            throw e;
        }
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover hidden temp folder is harmless; the target is untouched
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
