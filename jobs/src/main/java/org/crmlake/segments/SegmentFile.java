package org.crmlake.segments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
    static final String RESOURCE_DIR = "sql/segments";

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
     * The segment files in {@code dir} when it is a folder, else the copies packaged in the jar,
     * sorted by file name.
     */
    public static List<SegmentFile> load(Path dir) {
        if (dir != null && Files.isDirectory(dir)) {
            return readFolder(dir);
        }
        if (dir != null && !dir.equals(DEFAULT_DIR)) {
            throw new IllegalArgumentException("segment folder " + dir.toAbsolutePath() + " does not exist; give --segments "
                    + "a folder of *.sql files, or leave it out to use the segments shipped in the jar");
        }
        URL url = SegmentFile.class.getClassLoader().getResource(RESOURCE_DIR);
        if (url == null) {
            throw new IllegalStateException("no segment folder: " + DEFAULT_DIR.toAbsolutePath()
                    + " does not exist and the jar has no " + RESOURCE_DIR + " resources");
        }
        try {
            URI uri = url.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return readFolder(Path.of(uri));
            }
            FileSystem fs;
            try {
                fs = FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                fs = FileSystems.newFileSystem(uri, Map.of());
            }
            return readFolder(fs.getPath(RESOURCE_DIR));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list the segment files packaged at " + url, e);
        }
    }

    private static List<SegmentFile> readFolder(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<SegmentFile> out = new ArrayList<>();
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList()) {
                out.add(parse(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the segment files in " + dir, e);
        }
    }
}
