package org.crmlake.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes a person from files outside the lake: audience exports (CSV or Parquet, rewritten without
 * their rows through an in-memory DuckDB) and HTML run reports (their customer ids replaced). Each
 * file is rewritten beside itself and renamed over the original in one step, so a reader never
 * sees half a file.
 */
final class FileScrub {
    static final String ERASED = "[erased]";

    /** How many rows a file held and how many of them were the person's. */
    record Outcome(Path file, boolean exists, long rows, long removed) {
    }

    private FileScrub() {
    }

    /**
     * Drops every row of an audience file in which any column equals one of {@code values}
     * (customer ids, e-mails, phones and their SHA-256): the file keeps its format and columns.
     */
    static Outcome audienceFile(Path file, Collection<String> values, boolean dryRun) {
        if (!dryRun) {
            deleteCrashedRewrites(file);
        }
        if (!Files.isRegularFile(file)) {
            return new Outcome(file, false, 0, 0);
        }
        Path link = null;
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            // DuckDB expands * ? [ in a path it reads (tier[1].csv would read tier1.csv): it reads a
            // plainly named link to the file instead.
            link = plainLink(file);
            String source = (isParquet(file) ? "read_parquet('" : "read_csv('") + link.toString().replace("'", "''")
                    + (isParquet(file) ? "')" : "', header = true, all_varchar = true)");
            s.execute("CREATE TEMP TABLE erase (v VARCHAR)");
            try (PreparedStatement p = db.prepareStatement("INSERT INTO erase VALUES (?)")) {
                for (String v : values) {
                    p.setString(1, v);
                    p.addBatch();
                }
                p.executeBatch();
            }
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    columns.add("CAST(\"" + rs.getString(1).replace("\"", "\"\"") + "\" AS VARCHAR)");
                }
            }
            String theirs = "EXISTS (SELECT 1 FROM erase WHERE erase.v IN (" + String.join(", ", columns) + "))";
            long rows;
            long removed;
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE " + theirs + ") FROM " + source)) {
                rs.next();
                rows = rs.getLong(1);
                removed = rs.getLong(2);
            }
            if (removed > 0 && !dryRun) {
                Path temp = file.resolveSibling("." + file.getFileName() + ".forget-" + UUID.randomUUID());
                try {
                    s.execute("COPY (SELECT * FROM " + source + " WHERE NOT " + theirs + ") TO '"
                            + temp.toString().replace("'", "''") + "' (FORMAT " + (isParquet(file) ? "parquet" : "csv, HEADER true") + ")");
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return new Outcome(file, true, rows, removed);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audience file " + file + " to remove the person from it ("
                    + e.getMessage().lines().findFirst().orElse("") + "); fix or delete the file and run crm forget again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("rewriting " + file + " failed", e);
        } finally {
            deleteLink(link);
        }
    }

    /** A symbolic link named {@code audience} in a new temporary folder, pointing at {@code file}. */
    private static Path plainLink(Path file) throws IOException {
        Path folder = Files.createTempDirectory("crm-forget-");
        if (folder.toString().matches(".*[*?\\[\\]{}].*")) {
            Files.delete(folder);
            throw new IllegalStateException("the temporary folder " + folder + " has glob characters; set java.io.tmpdir to a plain path");
        }
        try {
            return Files.createSymbolicLink(folder.resolve("audience"), file.toAbsolutePath());
        } catch (IOException | UnsupportedOperationException e) {
            Files.delete(folder);
            throw e instanceof IOException io ? io : new IOException("cannot link to " + file + " from " + folder, e);
        }
    }

    private static void deleteLink(Path link) {
        if (link == null) {
            return;
        }
        try {
            Files.deleteIfExists(link);
            Files.deleteIfExists(link.getParent());
        } catch (IOException e) {
            // a leftover link in the temporary folder holds no data
        }
    }

    /** Rewrites of {@code file} a crashed forget left beside it ({@code .NAME.forget-UUID}): they hold the person. */
    static void deleteCrashedRewrites(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = "." + file.getFileName() + ".forget-";
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the leftover rewrites of " + file, e);
        }
    }

    /**
     * What crashed publishes left in the warehouse folder: {@code warehouse.next-ID.duckdb} (and its
     * WAL) and {@code .publish-ID} staging folders, copies of the lake's tables that hold the person.
     * Deleted unless {@code dryRun}; returns how many there were.
     */
    static int publishLeftovers(Path dir, boolean dryRun) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var s = Files.list(dir)) {
            List<Path> leftovers = s.filter(p -> PUBLISH_LEFTOVER.matcher(p.getFileName().toString()).matches()).sorted().toList();
            if (!dryRun) {
                for (Path p : leftovers) {
                    try (var all = Files.walk(p)) {
                        for (Path q : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(q);
                        }
                    }
                }
            }
            return leftovers.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete what crashed publishes left in " + dir, e);
        }
    }

    /** Names PublishWarehouseJob gives its work in progress. */
    private static final Pattern PUBLISH_LEFTOVER = Pattern.compile("warehouse\\.next-[0-9a-f]+\\.duckdb(\\.wal)?|\\.publish-[0-9a-f]+");

    /** Replaces each whole-word occurrence of the values (customer ids, e-mails), in any case, in a text file by {@value #ERASED}. */
    static Outcome report(Path file, Collection<String> customerIds, boolean dryRun) {
        if (!dryRun) {
            deleteCrashedRewrites(file);
        }
        if (customerIds.isEmpty() || !Files.isRegularFile(file)) {
            return new Outcome(file, Files.isRegularFile(file), 0, 0);
        }
        try {
            String html = Files.readString(file, StandardCharsets.UTF_8);
            // Case-insensitive: an e-mail typed into a query may be capitalised (Zed@Shop.CN).
            Pattern ids = Pattern.compile("\\b(" + String.join("|", customerIds.stream().map(Pattern::quote).toList()) + ")\\b",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            Matcher m = ids.matcher(html);
            long found = m.results().count();
            if (found > 0 && !dryRun) {
                Path temp = file.resolveSibling("." + file.getFileName() + ".forget-" + UUID.randomUUID());
                try {
                    Files.writeString(temp, ids.matcher(html).replaceAll(Matcher.quoteReplacement(ERASED)), StandardCharsets.UTF_8);
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return new Outcome(file, true, 0, found);
        } catch (IOException e) {
            throw new UncheckedIOException("rewriting the report " + file + " failed", e);
        }
    }

    private static boolean isParquet(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return new String(magic, StandardCharsets.US_ASCII).equals("PAR1");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
