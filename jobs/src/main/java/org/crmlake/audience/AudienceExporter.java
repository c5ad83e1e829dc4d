package org.crmlake.audience;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.crmlake.access.AccessDeniedException;
import org.crmlake.access.AccessPolicy;
import org.crmlake.access.Caller;
import org.crmlake.gold.AsOf;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.crmlake.warehouse.Masking;

/**
 * {@code crm audience export} (docs/AUDIENCES.md): selects a segment's current members and/or a
 * model's scored customers above a threshold on a customer_360 date, suppresses whoever may not be
 * contacted on the channel or seen by the caller ({@link Suppression}), and writes customer_id,
 * the contact point (clear, SHA-256, or masked for analysts), score, decile and reasons to one file,
 * atomically. Every attempt, allowed, refused or failed, appends a row to ops.audit_log; an allowed
 * export's row is committed before the file is moved into place, so no file exists unaudited.
 */
public final class AudienceExporter {
    public static final String ACTION = "audience export";
    private static final String REASON = "suppressed_reason";
    private static final List<String> SCORE_COLUMNS = List.of("score", "decile", "reason_1", "reason_2", "reason_3");

    private final Lake lake;
    private final Path accessFile;

    /** Roles come from {@code accessFile} ({@link AccessPolicy}), read on each export so a refusal is audited too. */
    public AudienceExporter(Lake lake, Path accessFile) {
        this.lake = lake;
        this.accessFile = accessFile;
    }

    /** What an allowed export did; selected = exported + the suppressed counts. */
    public record Result(Caller caller, AudienceRequest request, long selected, Map<Suppression, Long> suppressed,
                         long exported, String sha256, String auditId) {
        public long suppressedTotal() {
            return suppressed.values().stream().mapToLong(Long::longValue).sum();
        }

        public List<String> summary() {
            String contact = request.hash() ? "SHA-256 of the " + request.channel().id() + " contact point"
                    : caller.role().seesClearContactPoints() ? request.channel().contactColumn() + " in clear"
                    : request.channel().contactColumn() + " masked";
            return List.of(
                    "audience export by " + caller.user() + " (" + caller.role().id() + "): " + request.definition(),
                    "selected " + selected + " = exported " + exported + " + suppressed " + suppressedTotal()
                            + (suppressed.isEmpty() ? "" : " (" + suppressed.entrySet().stream()
                            .map(e -> e.getKey().id() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")"),
                    "wrote " + request.out() + ": " + request.format() + ", " + exported + " rows, " + contact
                            + ", sha256 " + sha256,
                    "audit: " + Tables.AUDIT_LOG.qualifiedName() + " " + auditId);
        }
    }

    /** Exports for {@code user}, or throws (AccessDeniedException when refused) after writing the audit row. */
    public Result export(String user, AudienceRequest request) {
        String role = null;
        AudienceRequest req = request;
        try {
            Caller caller = AccessPolicy.load(accessFile).identify(user);
            role = caller.role().id();
            req = request.validated();
            if (req.hash() && !caller.role().seesClearContactPoints()) {
                throw new AccessDeniedException("role " + role + " gets masked contact points only: --hash (for ad-platform "
                        + "uploads) needs a role that sees contact points in clear (admin, marketing, manager or sales_rep)", role);
            }
            req = withDate(req);
            return export(caller, req);
        } catch (AccessDeniedException e) {
            throw audited(e, user, e.role() != null ? e.role() : role, req, AuditLog.REFUSED);
        } catch (RuntimeException e) {
            throw audited(e, user, role, req, AuditLog.FAILED);
        }
    }

    private Result export(Caller caller, AudienceRequest req) {
        Dataset<Row> classified = classify(caller, req).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<Suppression, Long> suppressed = new EnumMap<>(Suppression.class);
            long exported = 0;
            for (Row r : classified.groupBy(REASON).count().collectAsList()) {
                if (r.isNullAt(0)) {
                    exported = r.getLong(1);
                } else {
                    suppressed.put(Suppression.valueOf(r.getString(0).toUpperCase(Locale.ROOT)), r.getLong(1));
                }
            }
            long selected = exported + suppressed.values().stream().mapToLong(Long::longValue).sum();
            try (AudienceFile.Staged staged = AudienceFile.stage(output(caller, req, classified), req.out(), req.format())) {
                // The owner id is part of what was exported: the access file may change later.
                String definition = req.definition() + caller.bookDescription();
                String auditId = AuditLog.append(lake, new AuditLog.Entry(caller.user(), caller.role().id(), ACTION,
                        definition, req.out().toString(), selected, exported, describe(suppressed), staged.sha256(),
                        AuditLog.ALLOWED, null));
                staged.publish();
                return new Result(caller, req, selected, suppressed, exported, staged.sha256(), auditId);
            } catch (IOException e) {
                throw new UncheckedIOException("moving the audience file into place at " + req.out() + " failed", e);
            }
        } finally {
            classified.unpersist();
        }
    }

    /** The request with its date decided: the given one, else the newest customer_360 date. */
    private AudienceRequest withDate(AudienceRequest req) {
        Dataset<Row> c360 = lake.read(Tables.CUSTOMER_360);
        LocalDate date = req.date();
        if (date == null) {
            Date newest = c360.agg(max("as_of_date")).first().getDate(0);
            if (newest == null) {
                throw new IllegalArgumentException("gold.customer_360 is empty: run crm build360 --date D first");
            }
            date = newest.toLocalDate();
        } else if (c360.filter(col("as_of_date").equalTo(lit(Date.valueOf(date)))).limit(1).count() == 0) {
            throw new IllegalArgumentException("gold.customer_360 has no rows for " + date + ": run crm build360 --date " + date);
        }
        return new AudienceRequest(req.segment(), req.model(), req.minScore(), req.minDecile(), req.channel(), req.hash(),
                req.includeUnknownConsent(), date, req.out(), req.format());
    }

    /** Every selected customer with the channel's contact point, scores, and the suppression reason (null = exported). */
    private Dataset<Row> classify(Caller caller, AudienceRequest req) {
        Column onDate = col("as_of_date").equalTo(lit(Date.valueOf(req.date())));
        Dataset<Row> selected = null;
        if (req.segment() != null) {
            List<String> known = lake.read(Tables.SEGMENTS).select("segment").distinct()
                    .collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
            if (!known.contains(req.segment())) {
                throw new IllegalArgumentException("unknown segment '" + req.segment() + "'" + (known.isEmpty()
                        ? ": gold.segments is empty (run crm segment --date D)" : "; known: " + String.join(", ", known)));
            }
            selected = lake.read(Tables.SEGMENT_MEMBERSHIP)
                    .filter(col("segment").equalTo(req.segment()).and(col("left_on").isNull()))
                    .select("customer_id").distinct();
        }
        if (req.model() != null) {
            Dataset<Row> scores = lake.read(Tables.SCORES).filter(onDate.and(col("model").equalTo(req.model())));
            if (scores.limit(1).count() == 0) {
                throw new IllegalArgumentException("gold.scores has no " + req.model() + " scores for " + req.date()
                        + ": run crm score --date " + req.date() + " (it needs a promoted champion)");
            }
            if (req.minScore() != null) {
                scores = scores.filter(col("score").geq(req.minScore()));
            }
            if (req.minDecile() != null) {
                scores = scores.filter(col("decile").leq(req.minDecile()));
            }
            scores = scores.select("customer_id", SCORE_COLUMNS.toArray(String[]::new));
            selected = selected == null ? scores : selected.join(scores, "customer_id");
        } else {
            // A segment without --model carries no scores: which model's would be a guess.
            selected = selected.withColumn("score", lit(null).cast("double")).withColumn("decile", lit(null).cast("int"))
                    .withColumn("reason_1", lit(null).cast("string")).withColumn("reason_2", lit(null).cast("string"))
                    .withColumn("reason_3", lit(null).cast("string"));
        }
        Dataset<Row> contact = lake.read(Tables.CUSTOMER_360).filter(onDate).select(col("customer_id"),
                expr(req.channel().normalisedExpression()).as("contact"),
                col(req.channel().consentColumn()).as("consent"), col("owner_id"), col("team"),
                expr("lower(trim(email))").as("email_norm"), expr("trim(phone_e164)").as("phone_norm"));
        Dataset<Row> optedOut = latestOptOuts(req.channel());
        if (optedOut != null) {
            contact = contact.join(optedOut, "customer_id", "left").withColumn("consent",
                    when(col("opted_out_latest"), lit("opt_out")).otherwise(col("consent"))).drop("opted_out_latest");
        }
        Dataset<Row> erasures = lake.read(Tables.ERASURE_REQUESTS);
        Dataset<Row> rows = selected.join(contact, "customer_id", "left")
                .join(flags(erasures, "customer_id", "customer_id", "forgotten_id"), "customer_id", "left")
                .withColumn("forgotten_email", forgotten(erasures, "email_hash", col("email_norm")))
                .withColumn("forgotten_phone", forgotten(erasures, "phone_hash", col("phone_norm")));
        Column notOwned = switch (caller.role().book()) {
            case ALL -> lit(false);
            case TEAM -> col("team").isNull().or(col("team").notEqual(caller.team()));
            case OWN -> col("owner_id").isNull().or(col("owner_id").notEqual(caller.ownerId()));
        };
        Column noConsent = expr("coalesce(consent, '') <> 'opt_in'");
        if (req.includeUnknownConsent()) {
            noConsent = noConsent.and(col("consent").isNotNull());
        }
        return rows.withColumn(REASON,
                when(col("forgotten_id").or(col("forgotten_email")).or(col("forgotten_phone")), Suppression.FORGOTTEN.id())
                        .when(notOwned, Suppression.NOT_OWNED.id())
                        .when(col("consent").equalTo("opt_out"), Suppression.OPTED_OUT.id())
                        .when(col("contact").isNull().or(col("contact").equalTo("")), Suppression.NO_CONTACT_POINT.id())
                        .when(noConsent, Suppression.NO_CONSENT.id()));
    }

    /**
     * Customers whose latest consent event for the channel in silver.consents is an opt-out, however
     * recent: an opt-out recorded after the date's customer_360 was built (today, say) is honoured in
     * today's export. A later opt-in does not lift a snapshot's opt-out; the next customer_360 does.
     * Null when the lake has no consents or identity map yet.
     */
    private Dataset<Row> latestOptOuts(Channel channel) {
        if (!lake.exists(Tables.CONSENTS) || !lake.exists(Tables.IDENTITY_MAP)) {
            return null;
        }
        Dataset<Row> events = AsOf.withContactKey(lake.read(Tables.CONSENTS).filter(col("channel").equalTo(channel.id())))
                .join(lake.read(Tables.IDENTITY_MAP).select("record_key", "customer_id"), "record_key");
        // At the same instant an opt-out wins, as in customer_360.
        return events.groupBy("customer_id")
                .agg(max(struct(col("recorded_at"), col("status").equalTo("opt_out").as("out"), col("status")))
                        .getField("status").as("latest"))
                .filter(col("latest").equalTo("opt_out")).select(col("customer_id"), lit(true).as("opted_out_latest"));
    }

    /** Distinct non-null values of an erasure column as {@code key}, each with {@code flag} = true. */
    /**
     * True when {@code value} hashes onto one of the erasure requests' {@code column}: keyed with
     * the lake's hash key, or plain SHA-256 for requests recorded before the lake had a key.
     * Requests are few (one per forgotten person), so their hashes are compared as a list.
     */
    private Column forgotten(Dataset<Row> erasures, String column, Column value) {
        Object[] hashes = erasures.filter(col(column).isNotNull()).select(column).distinct().collectAsList().stream()
                .map(r -> r.get(0)).toArray();
        if (hashes.length == 0) {
            return lit(false);
        }
        return value.isNotNull().and(lake.keyedHash(value).isin(hashes).or(sha2(value, 256).isin(hashes)));
    }

    private static Dataset<Row> flags(Dataset<Row> erasures, String column, String key, String flag) {
        return erasures.filter(col(column).isNotNull()).select(col(column).as(key)).distinct().withColumn(flag, lit(true));
    }

    /** The file's rows: exported customers, best scores first; the contact point as the caller's role may see it. */
    private static Dataset<Row> output(Caller caller, AudienceRequest req, Dataset<Row> classified) {
        Column contact = req.hash() ? sha2(col("contact"), 256).as(req.channel().hashColumn())
                : col("contact").as(req.channel().contactColumn());
        List<Column> cols = new ArrayList<>(List.of(col("customer_id"), contact));
        SCORE_COLUMNS.forEach(c -> cols.add(col(c)));
        // One file anyway: sorting its single partition avoids the sampling job of a global orderBy.
        Dataset<Row> rows = classified.filter(col(REASON).isNull()).select(cols.toArray(Column[]::new))
                .coalesce(1).sortWithinPartitions(col("score").desc_nulls_last(), col("customer_id"));
        return req.hash() || caller.role().seesClearContactPoints() ? rows : Masking.mask(rows);
    }

    private static String describe(Map<Suppression, Long> suppressed) {
        return suppressed.entrySet().stream().map(e -> e.getKey().id() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Writes the refused or failed attempt's audit row; the original error is what the caller sees. */
    private RuntimeException audited(RuntimeException e, String user, String role, AudienceRequest req, String outcome) {
        try {
            AuditLog.append(lake, new AuditLog.Entry(user, role, ACTION, req.definition(),
                    req.out() == null ? null : req.out().toAbsolutePath().normalize().toString(), null, 0, null, null, outcome,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("")));
        } catch (RuntimeException auditFailure) {
            e.addSuppressed(auditFailure);
        }
        return e;
    }
}
