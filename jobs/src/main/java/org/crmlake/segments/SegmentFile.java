package org.crmlake.segments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crmlake.pipeline.SqlFiles;

/**
 * One segment: a SQL file whose header lines {@code -- name:}, {@code -- description:} and
 * {@code -- owner:} describe it and whose body selects {@code customer_id} from the views
 * {@code customer_360} and {@code scores}. The text is kept whole, so line numbers in Spark's
 * errors are the file's line numbers.
 *
 * <p>The files live in the repository's {@code sql/segments/} folder (the one source of truth);
 * the jobs pom copies them into the jar as {@code sql/segments/*.sql} so the jar works from any
 * folder. {@link #load(Path)} reads a folder when given one that exists, else the jar's copies.
 */
public record SegmentFile(String file, String name, String description, String owner, String sql) {
    public static final Path DEFAULT_DIR = Path.of("sql", "segments");

    /** Parses a file's text; the name defaults to the file name without {@code .sql}. */
    public static SegmentFile parse(String file, String text) {
        String name = header(text, "name");
        return new SegmentFile(file, name == null ? file.replaceFirst("\\.sql$", "") : name,
                header(text, "description"), header(text, "owner"), text.stripTrailing().replaceFirst(";$", ""));
    }

    private static String header(String text, String key) {
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("--")) {
                String body = l.substring(2).strip();
                if (body.regionMatches(true, 0, key + ":", 0, key.length() + 1)) {
                    return body.substring(key.length() + 1).strip();
                }
            }
        }
        return null;
    }

    /**
     * The segment files in {@code dir} when it is a folder, else (for the default folder) the
     * copies packaged in the jar, sorted by file name.
     */
    public static List<SegmentFile> load(Path dir) {
        List<SegmentFile> out = new ArrayList<>();
        SqlFiles.load(dir == null ? DEFAULT_DIR : dir, DEFAULT_DIR, "--segments").forEach((file, text) -> out.add(parse(file, text)));
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no segment files (*.sql) in " + (dir == null ? DEFAULT_DIR : dir).toAbsolutePath()
                    + " nor in the jar");
        }
        return out;
    }
}
