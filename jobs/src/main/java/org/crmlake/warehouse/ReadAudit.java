package org.crmlake.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every query on the warehouse, allowed or refused, as one JSON line in
 * {@code audit/reads-YYYY-MM.jsonl} beside the warehouse file: who (user, role, book), when, the
 * query, the rows it returned, the outcome. A file rather than {@code ops.audit_log}: a query
 * starts no Spark, and the audit must not make it slow. Query texts may name customer ids, so
 * {@code crm forget} rewrites them like the run reports.
 */
public final class ReadAudit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadAudit() {
    }

    /** The folder of the read logs for a warehouse file. */
    public static Path folder(Path warehouse) {
        return warehouse.toAbsolutePath().getParent().resolve("audit");
    }

    /** Appends one line; rows is -1 when the query did not run. */
    public static void record(Path warehouse, String user, String role, String book, String sql, long rows, String outcome) {
        Instant now = Instant.now();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", now.toString());
        line.put("user", user);
        line.put("role", role);
        line.put("book", book);
        line.put("warehouse", warehouse.toAbsolutePath().normalize().toString());
        line.put("query", sql);
        line.put("rows", rows < 0 ? null : rows);
        line.put("outcome", outcome);
        Path file = folder(warehouse).resolve("reads-" + now.atOffset(ZoneOffset.UTC).toString().substring(0, 7) + ".jsonl");
        try {
            Files.createDirectories(file.getParent());
            // One write of one line with O_APPEND: concurrent queries do not interleave their lines.
            Files.write(file, (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the read audit " + file + "; the query was not run", e);
        }
    }
}
