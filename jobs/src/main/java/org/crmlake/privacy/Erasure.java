package org.crmlake.privacy;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.crmlake.access.AccessDeniedException;
import org.crmlake.access.AccessPolicy;
import org.crmlake.access.Caller;
import org.crmlake.access.Role;
import org.crmlake.audience.AuditLog;
import org.crmlake.gold.DataDictionary;
import org.crmlake.lake.Lake;
import org.crmlake.lake.PersonKey;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Concurrently;
import org.crmlake.pipeline.JobContext;
import org.crmlake.warehouse.PublishWarehouseJob;
import org.crmlake.warehouse.ReadAudit;
import org.crmlake.warehouse.WarehouseLocation;
import org.crmlake.warehouse.WarehouseQuery;

/**
 * Right to be forgotten ({@code crm forget}, docs/PRIVACY.md): removes one person from every lake
 * table that declares person keys (bronze, quarantine, silver, gold), VACUUMs those tables so no
 * older file keeps them, removes their rows from the audience files the audit log knows, republishes
 * the warehouse without them and replaces their customer ids in run reports. Their source ids go
 * on the suppression list first, so a re-ingested old export does not bring them back, and the
 * erasure is audited with counts only.
 */
public final class Erasure {
    private static final String ACTION = "forget";
    /**
     * The tables the footprint is looked up in, erased after all others and in the order they are
     * needed, so a re-run after a crash at any point still finds what is left: the source-id
     * tables need persons and cookie_map, persons needs identity_map, identity_map needs the
     * customer ids (recorded in privacy.erasure_requests before anything is deleted) and
     * identity_history's merges.
     */
    private static final List<List<String>> LOOKUP_ROUNDS = List.of(
            List.of(Tables.OPPORTUNITIES.qualifiedName(), Tables.ORDERS.qualifiedName(), Tables.WEB_EVENTS.qualifiedName(),
                    "bronze.crm_opportunities", "bronze.erp_orders", "bronze.web_events"),
            List.of(Tables.COOKIE_MAP.qualifiedName(), Tables.PERSONS.qualifiedName()),
            List.of(Tables.IDENTITY_MAP.qualifiedName(), Tables.IDENTITY_HISTORY.qualifiedName()));

    /** Who is to be forgotten and how thoroughly. */
    public record Request(Footprint.By by, String value, String requestId, int retainHours, boolean dryRun) {
        public Request {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("name the person: --customer ID, --email ADDRESS or --phone E164");
            }
            if (requestId == null || requestId.isBlank() || !requestId.matches("[A-Za-z0-9._:-]{1,64}")) {
                throw new IllegalArgumentException("--request-id '" + requestId + "': use letters, digits and . _ : - (at most 64), e.g. the DPO ticket DPO-2026-0042");
            }
            if (retainHours < 0) {
                throw new IllegalArgumentException("--retain-hours must be 0 or more");
            }
        }
    }

    private final Lake lake;
    private final Path accessFile;
    private final Path warehouse;
    private final Path views;
    private final String landing;

    public Erasure(Lake lake, Path accessFile, Path warehouse, Path views, String landing) {
        this.lake = lake;
        this.accessFile = accessFile;
        this.warehouse = warehouse;
        this.views = views;
        this.landing = landing;
    }

    /** Forgets the person and returns the summary lines; only an admin may. */
    public List<String> forget(String user, Request req, Consumer<String> progress) {
        String definition = "request_id=" + req.requestId() + "; by=" + req.by().name().toLowerCase(java.util.Locale.ROOT)
                + "; retain_hours=" + req.retainHours() + (req.dryRun() ? "; dry_run=true" : "");
        Caller caller;
        try {
            caller = AccessPolicy.load(accessFile).identify(user);
            if (caller.role() != Role.ADMIN) {
                throw new AccessDeniedException("only an admin may erase people, and " + user + " is "
                        + caller.role().id() + "; ask an admin (or your DPO's admin account) to run crm forget", caller.role().id());
            }
        } catch (AccessDeniedException e) {
            AuditLog.append(lake, new AuditLog.Entry(user, e.role(), ACTION, definition, null, null, 0, null, null,
                    AuditLog.REFUSED, e.getMessage()));
            throw e;
        }
        try {
            return req.dryRun() ? run(caller, req, definition, progress)
                    : lake.exclusively("crm forget " + req.requestId(), () -> run(caller, req, definition, progress));
        } catch (RuntimeException e) {
            AuditLog.append(lake, new AuditLog.Entry(caller.user(), caller.role().id(), ACTION, definition, null, null, 0,
                    null, null, AuditLog.FAILED, e.getClass().getSimpleName()));
            throw e;
        }
    }

    private List<String> run(Caller caller, Request req, String definition, Consumer<String> progress) {
        progress.accept("finding everything that identifies the person");
        Footprint footprint = Footprint.find(lake, req.by(), req.value(), req.requestId());
        List<String> summary = new ArrayList<>();
        summary.add(String.format("forget %s by %s (%s)%s: %s", req.requestId(), caller.user(), caller.role().id(),
                req.dryRun() ? ", dry run (nothing changed)" : "", describe(footprint)));
        Timestamp now = Timestamp.from(Instant.now());
        if (!req.dryRun()) {
            recordRequest(footprint, req, caller, now);
        }
        Dataset<Row> matches = footprint.matchRows(lake.spark()).cache();
        List<TableDef> personal = personalTables().stream().filter(lake::exists).toList();
        Map<String, Long> removed = new LinkedHashMap<>();
        // Tables are independent: erased a few at a time (most of a small table's time is Delta
        // overhead); the lookup tables last, round by round (LOOKUP_ROUNDS).
        List<String> lookups = LOOKUP_ROUNDS.stream().flatMap(List::stream).toList();
        List<List<TableDef>> rounds = new ArrayList<>();
        rounds.add(personal.stream().filter(t -> !lookups.contains(t.qualifiedName())).toList());
        LOOKUP_ROUNDS.forEach(names -> rounds.add(personal.stream().filter(t -> names.contains(t.qualifiedName())).toList()));
        lake.withoutRetentionCheck(() -> eraseRound(rounds.getFirst(), footprint, matches, req, progress, removed));

        // The files next, while the lookup tables still know every e-mail and phone of the person:
        // a re-run after a crash in the lookup rounds finds them by customer id only.
        List<Row> log = new ArrayList<>();
        List<String> fileLines = new ArrayList<>();
        Set<String> fileValues = fileValues(footprint);
        List<FileScrub.Outcome> audiences = audienceFiles().stream()
                .map(f -> FileScrub.audienceFile(f, fileValues, req.dryRun())).toList();
        audiences.stream().filter(o -> o.removed() > 0)
                .forEach(o -> log.add(RowFactory.create(req.requestId(), o.file().toString(), "audience_file", o.removed(), now)));
        fileLines.add(String.format("audience files: %d in the audit log, %d %s (%d rows), %d no longer exist",
                audiences.size(), audiences.stream().filter(o -> o.removed() > 0).count(), req.dryRun() ? "hold the person" : "rewritten",
                audiences.stream().mapToLong(FileScrub.Outcome::removed).sum(), audiences.stream().filter(o -> !o.exists()).count()));
        fileLines.add(warehouse(footprint, req, log, now, progress));

        lake.withoutRetentionCheck(() -> rounds.subList(1, rounds.size())
                .forEach(round -> eraseRound(round, footprint, matches, req, progress, removed)));
        matches.unpersist();
        long tableRows = removed.values().stream().mapToLong(Long::longValue).sum();
        summary.add(String.format("%s %d rows in %d tables (%s); %s", req.dryRun() ? "would remove" : "removed", tableRows,
                removed.size(), byLayer(removed), req.dryRun() ? "nothing vacuumed"
                        : "vacuumed " + personal.size() + " personal tables (files older than "
                        + req.retainHours() + " h deleted)"));
        removed.forEach((table, n) -> summary.add(String.format("  %-32s %6d", table, n)));
        List<Row> tableLog = new ArrayList<>();
        removed.forEach((table, n) -> tableLog.add(RowFactory.create(req.requestId(), table, "table", n, now)));
        log.addAll(0, tableLog);
        summary.addAll(fileLines);

        if (!req.dryRun() && !log.isEmpty()) {
            lake.append(Tables.ERASURE_LOG, lake.spark().createDataFrame(log, Tables.ERASURE_LOG.schema()));
        }
        long total = log.stream().mapToLong(r -> r.getLong(3)).sum();
        String auditId = AuditLog.append(lake, new AuditLog.Entry(caller.user(), caller.role().id(),
                req.dryRun() ? ACTION + " (dry run)" : ACTION, definition, null, total, 0, null, null, AuditLog.ALLOWED, null));
        summary.add(req.dryRun() ? "audit: ops.audit_log " + auditId
                : String.format("suppressed %d source ids (privacy.suppressed_identifiers); counts in privacy.erasure_log; audit: ops.audit_log %s",
                footprint.suppressedIdentifiers(req.requestId(), lake.keys()).size(), auditId));
        return summary;
    }

    /** Erases the person from the round's tables, a few at a time, and adds what each removed to {@code removed}. */
    private void eraseRound(List<TableDef> round, Footprint footprint, Dataset<Row> matches, Request req, Consumer<String> progress,
            Map<String, Long> removed) {
        List<Long> counts = Concurrently.run(round.stream()
                .map(t -> (Callable<Long>) () -> erase(t, footprint, matches, req, progress)).toList());
        for (int i = 0; i < round.size(); i++) {
            if (counts.get(i) > 0) {
                removed.put(round.get(i).qualifiedName(), counts.get(i));
            }
        }
    }

    /** Every table declaring person keys. */
    static List<TableDef> personalTables() {
        return DataDictionary.tables().stream().filter(t -> !t.personKeys().isEmpty()).toList();
    }

    /** Deletes the person's rows from one table and VACUUMs it; returns the rows (to be) removed. */
    private long erase(TableDef t, Footprint footprint, Dataset<Row> matches, Request req, Consumer<String> progress) {
        String condition = Footprint.condition(t);
        long n = footprint.isEmpty() ? 0 : lake.read(t).as("t").join(broadcast(matches).as("s"), expr(condition), "left_semi").count();
        if (!req.dryRun()) {
            if (n > 0) {
                lake.restrictStatistics(t); // before the rewrite, so the new files carry no text statistics
                lake.deleteMatching(t, matches, condition);
            }
            // Every personal table: files of older versions (an e-mail the person changed, yesterday's snapshot) go too.
            lake.vacuum(t, req.retainHours());
        }
        if (n > 0) {
            progress.accept(String.format("  %-32s %6d rows%s", t.qualifiedName(), n, req.dryRun() ? "" : " removed"));
        }
        return n;
    }

    /**
     * The request (customer ids and hashed contact points, for audiences) and the hashed source ids
     * (for ingest), before anything is deleted: a crash half way still keeps the person out.
     */
    private void recordRequest(Footprint footprint, Request req, Caller caller, Timestamp now) {
        List<String> customers = new ArrayList<>(footprint.ids(PersonKey.CUSTOMER));
        List<String> emails = new ArrayList<>(footprint.emails());
        List<String> phones = new ArrayList<>(footprint.phones());
        int n = Math.max(1, Math.max(customers.size(), Math.max(emails.size(), phones.size())));
        List<Row> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(RowFactory.create(req.requestId(), i < customers.size() ? customers.get(i) : null,
                    i < emails.size() ? lake.keys().hash(emails.get(i)) : null, i < phones.size() ? lake.keys().hash(phones.get(i)) : null,
                    now, caller.user()));
        }
        lake.merge(Tables.ERASURE_REQUESTS, lake.spark().createDataFrame(requests, Tables.ERASURE_REQUESTS.schema()),
                "t.request_id = s.request_id AND t.customer_id <=> s.customer_id AND t.email_hash <=> s.email_hash "
                        + "AND t.phone_hash <=> s.phone_hash", m -> m.whenNotMatched().insertAll());
        List<Row> ids = footprint.suppressedIdentifiers(req.requestId(), lake.keys());
        if (!ids.isEmpty()) {
            lake.merge(Tables.SUPPRESSED_IDENTIFIERS, lake.spark().createDataFrame(ids, Tables.SUPPRESSED_IDENTIFIERS.schema()),
                    "t.kind = s.kind AND t.value_hash = s.value_hash", m -> m.whenNotMatched().insertAll());
        }
    }

    /** Files the audit log says an audience export wrote. */
    private List<Path> audienceFiles() {
        if (!lake.exists(Tables.AUDIT_LOG)) {
            return List.of();
        }
        return lake.read(Tables.AUDIT_LOG).filter(col("action").equalTo("audience export")
                        .and(col("outcome").equalTo(AuditLog.ALLOWED)).and(col("output_file").isNotNull()))
                .select("output_file").distinct().collectAsList().stream().map(r -> Path.of(r.getString(0))).sorted().toList();
    }

    /**
     * Republishes the live warehouse for its date from the erased lake, deletes the previous copy
     * kept for rollback (it holds the person) and replaces their customer ids in the run reports.
     */
    private String warehouse(Footprint footprint, Request req, List<Row> log, Timestamp now, Consumer<String> progress) {
        Path live;
        try {
            live = WarehouseLocation.resolve(lake, warehouse);
        } catch (IllegalArgumentException e) {
            return "warehouse: none on local disk (" + e.getMessage() + ")";
        }
        Set<String> customers = footprint.ids(PersonKey.CUSTOMER);
        StringBuilder line = new StringBuilder("warehouse: ");
        if (Files.isRegularFile(live)) {
            long rows;
            LocalDate date;
            try (Connection db = WarehouseQuery.openReadOnly(live); Statement s = db.createStatement()) {
                rows = personRows(s, customers);
                try (ResultSet rs = s.executeQuery("SELECT max(as_of_date) FROM customer_360")) {
                    rs.next();
                    Date d = rs.getDate(1);
                    date = d == null ? null : d.toLocalDate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the warehouse " + live + ": " + e.getMessage(), e);
            }
            if (rows > 0 && date == null) {
                throw new IllegalStateException("the warehouse " + live + " holds the person but no customer_360 date to republish; "
                        + "delete it and publish again (crm publish --date D)");
            }
            if (rows > 0 && !req.dryRun()) {
                progress.accept("republishing the warehouse for " + date + " without the person");
                new PublishWarehouseJob(live, views).run(new JobContext(lake, landing, date, progress));
                log.add(RowFactory.create(req.requestId(), live.toString(), "warehouse", rows, now));
            }
            line.append(rows == 0 ? "does not hold the person" : (req.dryRun() ? "would be republished" : "republished for " + date)
                    + " (" + rows + " rows of the person)");
        } else {
            line.append("none published yet");
        }
        Path previous = WarehouseLocation.previous(live);
        if (Files.isRegularFile(previous) && !req.dryRun()) {
            try {
                Files.delete(previous);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the previous warehouse " + previous, e);
            }
            line.append("; previous copy deleted");
        }
        int leftovers = FileScrub.publishLeftovers(live.getParent(), req.dryRun());
        if (leftovers > 0) {
            line.append("; ").append(leftovers).append(" leftovers of crashed publishes").append(req.dryRun() ? " to delete" : " deleted");
        }
        List<Path> reports = new ArrayList<>();
        reports.add(WarehouseLocation.report(live));
        reports.addAll(files(live.resolveSibling("reports"), ".html"));
        long scrubbed = 0;
        for (Path report : reports) {
            FileScrub.Outcome o = FileScrub.report(report, customers, req.dryRun());
            if (o.removed() > 0) {
                scrubbed++;
                log.add(RowFactory.create(req.requestId(), report.toString(), "report", o.removed(), now));
            }
        }
        line.append("; ").append(scrubbed).append(" run reports named the person").append(req.dryRun() ? "" : ", ids replaced");
        // Query texts of crm sql's read audit may name the person (a customer id, an e-mail typed in a filter).
        List<String> named = new ArrayList<>(customers);
        named.addAll(footprint.emails());
        long queries = 0;
        for (Path audit : files(ReadAudit.folder(live), ".jsonl")) {
            FileScrub.Outcome o = FileScrub.report(audit, named, req.dryRun());
            if (o.removed() > 0) {
                queries += o.removed();
                log.add(RowFactory.create(req.requestId(), audit.toString(), "read_audit", o.removed(), now));
            }
        }
        return line.append("; ").append(queries).append(" mentions in audited queries").append(req.dryRun() ? "" : " replaced")
                .toString();
    }

    /** The files of a folder whose names end with {@code suffix}, sorted; none when the folder does not exist. */
    private static List<Path> files(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** Rows of every warehouse table with a customer_id column that belong to the customers. */
    private static long personRows(Statement s, Set<String> customers) throws SQLException {
        if (customers.isEmpty()) {
            return 0;
        }
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
                + "USING (table_schema, table_name) WHERE c.column_name = 'customer_id' AND t.table_type = 'BASE TABLE'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        String in = String.join(", ", customers.stream().map(c -> "'" + c.replace("'", "''") + "'").toList());
        long rows = 0;
        for (String t : tables) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + t + "\" WHERE customer_id IN (" + in + ")")) {
                rs.next();
                rows += rs.getLong(1);
            }
        }
        return rows;
    }

    /** Values that identify the person in an exported file: customer ids, e-mails, phones and their SHA-256. */
    private static Set<String> fileValues(Footprint f) {
        Set<String> values = new TreeSet<>(f.ids(PersonKey.CUSTOMER));
        for (String v : f.emails()) {
            values.add(v);
            values.add(Hashes.sha256(v));
        }
        for (String v : f.phones()) {
            values.add(v);
            values.add(Hashes.sha256(v));
        }
        return values;
    }

    private static String describe(Footprint f) {
        if (f.ids(PersonKey.RECORD).isEmpty() && f.ids(PersonKey.CUSTOMER).isEmpty()) {
            return "no records of the person in the lake" + (f.isEmpty() ? "" : " (the e-mail or phone is still searched"
                    + " for in quarantined records and put on the suppression list)");
        }
        List<String> parts = new ArrayList<>();
        for (PersonKey k : PersonKey.values()) {
            int n = f.ids(k).size();
            if (n > 0) {
                parts.add(n + " " + k.id().replace('_', ' ') + (n == 1 ? "" : "s"));
            }
        }
        parts.add(f.emails().size() + " e-mail" + (f.emails().size() == 1 ? "" : "s"));
        parts.add(f.phones().size() + " phone" + (f.phones().size() == 1 ? "" : "s"));
        if (f.sharedCookies() > 0) {
            parts.add(f.sharedCookies() + " web cookie" + (f.sharedCookies() == 1 ? "" : "s") + " shared with other people kept");
        }
        return String.join(", ", parts);
    }

    private static String byLayer(Map<String, Long> removed) {
        Map<String, Long> layers = new LinkedHashMap<>();
        removed.forEach((t, n) -> layers.merge(t.substring(0, t.indexOf('.')), n, Long::sum));
        return layers.isEmpty() ? "none" : String.join(", ", layers.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }
}
