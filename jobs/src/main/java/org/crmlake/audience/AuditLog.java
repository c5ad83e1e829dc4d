package org.crmlake.audience;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.RowFactory;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;

/** Appends one row per export attempt to ops.audit_log (append-only; see Tables.AUDIT_LOG). */
public final class AuditLog {
    public static final String ALLOWED = "allowed";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";

    /** One attempt; null fields are unknown at the point the attempt ended. */
    public record Entry(String user, String role, String action, String definition, String outputFile,
                        Long rowsSelected, long rowsExported, String suppressed, String fileSha256,
                        String outcome, String reason) {
    }

    private AuditLog() {
    }

    /** Writes the entry in one Delta commit and returns its audit_id. */
    public static String append(Lake lake, Entry e) {
        String id = UUID.randomUUID().toString();
        var row = RowFactory.create(id, Timestamp.from(Instant.now()), e.user(), e.role(), e.action(), e.definition(),
                e.outputFile(), e.rowsSelected(), e.rowsExported(), e.suppressed(), e.fileSha256(), e.outcome(), e.reason());
        lake.append(Tables.AUDIT_LOG, lake.spark().createDataFrame(List.of(row), Tables.AUDIT_LOG.schema()));
        return id;
    }
}
