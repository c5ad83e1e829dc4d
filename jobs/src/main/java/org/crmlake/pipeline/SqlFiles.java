package org.crmlake.pipeline;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code *.sql} files of a folder of the repository's {@code sql/} tree (segments, warehouse
 * views). The repository folder is the one source of truth; the jobs pom copies it into the jar
 * under {@code sql/}, so a folder that does not exist on disk is read from the jar instead.
 */
public final class SqlFiles {
    private SqlFiles() {
    }

    /**
     * File name to text, sorted by name: from {@code dir} when it is a folder; else, when
     * {@code dir} is the default ({@code sql/<name>} relative to the working folder), from the jar's
     * {@code sql/<name>}; any other missing folder is an error.
     */
    public static Map<String, String> load(Path dir, Path defaultDir, String option) {
        if (dir != null && Files.isDirectory(dir)) {
            return readFolder(dir);
        }
        if (dir != null && !dir.equals(defaultDir)) {
            throw new IllegalArgumentException("folder " + dir.toAbsolutePath() + " does not exist; give " + option
                    + " a folder of *.sql files, or leave it out to use the files shipped in the jar");
        }
        String resource = defaultDir.toString().replace('\\', '/');
        URL url = SqlFiles.class.getClassLoader().getResource(resource);
        if (url == null) {
            return Map.of();
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
            return readFolder(fs.getPath(resource));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list the SQL files packaged at " + url, e);
        }
    }

    private static Map<String, String> readFolder(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".sql"))
                    .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList()) {
                out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SQL files in " + dir, e);
        }
    }
}
