package org.crmlake.lake;

import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The lake root ({@code file:}, {@code s3a:} or {@code hdfs:}) and the only place that reads and
 * writes Delta tables. Every write is one Delta commit, so a killed job leaves the previous version
 * visible, never a partial one. Protected columns ({@link TableDef#protectedColumns}) are encrypted
 * on every write and decrypted on every read when the lake has a key ({@link DataKeys}).
 */
public final class Lake {
    private static final int MAX_ATTEMPTS = 5;
    /** The SQL name of the decryption function, for conditions Delta evaluates on stored rows (MERGE). */
    private static final String DECRYPT_FUNCTION = "crm_decrypt";
    private final SparkSession spark;
    private final String root;
    /** File at the lake root holding the fingerprint of the key file the lake is encrypted with. */
    public static final String KEY_MARKER = "_crm_key_fingerprint";
    /** File at the lake root that exists while crm forget or crm keys reencrypt runs. */
    public static final String ADMIN_LOCK = "_crm_admin.lock";
    private DataKeys keys;
    private boolean keysChecked;

    /** A lake whose keys come from the key file configured for it ({@link DataKeys#forLake}). */
    public Lake(SparkSession spark, String root) {
        this(spark, root, null);
    }

    /** A lake with the given keys; null finds them when first needed ({@link DataKeys#forLake}). */
    public Lake(SparkSession spark, String root, DataKeys keys) {
        this.spark = spark;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.keys = keys;
    }

    /**
     * The keys personal columns are encrypted with ({@link DataKeys#NONE} when the lake has none),
     * checked against the lake's marker ({@value #KEY_MARKER}) before first use.
     */
    public synchronized DataKeys keys() {
        if (keys == null) {
            keys = DataKeys.forLake(root);
        }
        if (!keysChecked && spark != null) {
            checkKeyMarker(keys);
            keysChecked = true;
        }
        return keys;
    }

    /** Before writing a table with protected columns: the keys, checked against the lake's marker (nothing written yet). */
    private void checkedKeys(TableDef table) {
        if (!table.protectedColumns().isEmpty()) {
            keys();
        }
    }

    /**
     * A lake once written with a key records that key file's fingerprint: a job run later without
     * the key (it would write clear values and hash the suppression list differently, letting
     * forgotten people back in) or with another key file is refused before it reads or writes.
     */
    private void checkKeyMarker(DataKeys k) {
        org.apache.hadoop.fs.Path marker = new org.apache.hadoop.fs.Path(root + "/" + KEY_MARKER);
        try {
            org.apache.hadoop.fs.FileSystem fs = marker.getFileSystem(spark.sparkContext().hadoopConfiguration());
            String recorded = null;
            if (fs.exists(marker)) {
                try (var in = fs.open(marker)) {
                    recorded = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                }
            }
            if (recorded == null && k.present()) {
                // Written aside and renamed into place: jobs opening a new lake at once (Airflow's four
                // ingests) never read a marker another job has created but not yet written.
                var written = new org.apache.hadoop.fs.Path(root + "/" + KEY_MARKER + "." + java.util.UUID.randomUUID() + ".tmp");
                try (var out = fs.create(written, false)) {
                    out.write((k.fingerprint() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                if (!fs.rename(written, marker)) {
                    fs.delete(written, false);
                    if (!fs.exists(marker)) {
                        throw new java.io.IOException("cannot rename " + written + " to " + marker);
                    } // else another job's marker came first
                }
                checkKeyMarker(k); // compare with the marker in place, ours or another job's
            } else if (recorded != null && !k.present()) {
                throw new DataKeys.KeyException("the lake " + root + " holds encrypted personal data but no key file is configured: set $"
                        + DataKeys.ENV + " to the lake's key file (docs/PRIVACY.md)");
            } else if (recorded != null && !recorded.equals(k.fingerprint())) {
                throw new DataKeys.KeyException("the lake " + root + " was encrypted with another key file than " + k.source()
                        + " (fingerprint " + recorded + ", this file's " + k.fingerprint() + "): set $" + DataKeys.ENV
                        + " to the lake's key file");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read or write the lake's key marker " + marker, e);
        }
    }

    public SparkSession spark() {
        return spark;
    }

    /** The same lake through another session of the same Spark context, which has SQL settings of its own. */
    public synchronized Lake withSession(SparkSession session) {
        Lake other = new Lake(session, root, keys);
        other.keysChecked = keysChecked;
        return other;
    }

    public String root() {
        return root;
    }

    public String path(TableDef table) {
        return root + "/" + table.layer().dir() + "/" + table.name();
    }

    public boolean exists(TableDef table) {
        return DeltaTable.isDeltaTable(spark, path(table));
    }

    /**
     * Reads a table, its protected columns decrypted; a table never written reads as empty with
     * its declared schema.
     */
    public Dataset<Row> read(TableDef table) {
        if (!exists(table)) {
            return spark.createDataFrame(List.of(), table.schema());
        }
        return decrypted(table, readStored(table));
    }

    /** The table as stored: protected columns as ciphertext (for re-encryption and tests). */
    public Dataset<Row> readStored(TableDef table) {
        return spark.read().format("delta").load(path(table));
    }

    private Dataset<Row> decrypted(TableDef table, Dataset<Row> stored) {
        return transform(table, stored, decryptFunction());
    }

    private Dataset<Row> encrypted(TableDef table, Dataset<Row> clear) {
        return transform(table, clear, encryptFunction());
    }

    /** Applies {@code f} to the table's protected columns present in {@code rows}, keeping column order. */
    private static Dataset<Row> transform(TableDef table, Dataset<Row> rows, UserDefinedFunction f) {
        List<String> protect = table.protectedColumns();
        if (protect.isEmpty()) {
            return rows;
        }
        return rows.select(java.util.Arrays.stream(rows.columns())
                .map(c -> protect.contains(c) ? f.apply(functions.col(c)).as(c) : functions.col(c))
                .toArray(org.apache.spark.sql.Column[]::new));
    }

    /**
     * The keyed hash ({@link DataKeys#hash}: HMAC-SHA256 with the lake's hash key, plain SHA-256
     * without keys) of a text column, for matching identifiers without keeping them.
     */
    public org.apache.spark.sql.Column keyedHash(org.apache.spark.sql.Column value) {
        DataKeys k = keys();
        return functions.udf((UDF1<String, String>) k::hash, DataTypes.StringType).apply(value);
    }

    private UserDefinedFunction decryptFunction() {
        DataKeys k = keys();
        return functions.udf((UDF1<String, String>) k::decrypt, DataTypes.StringType);
    }

    private UserDefinedFunction encryptFunction() {
        DataKeys k = keys();
        // A fresh nonce per value: the same e-mail is stored differently in every row.
        return functions.udf((UDF1<String, String>) k::encrypt, DataTypes.StringType).asNondeterministic();
    }

    /**
     * Runs {@code work} holding the lake's admin lock ({@value #ADMIN_LOCK} at the root): erasure and
     * re-encryption rewrite tables from what they read, so one must not undo the other's commit.
     */
    public <T> T exclusively(String what, java.util.function.Supplier<T> work) {
        org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(root + "/" + ADMIN_LOCK);
        org.apache.hadoop.fs.FileSystem fs;
        try {
            fs = lock.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (var out = fs.create(lock, false)) {
                out.write((what + " since " + java.time.Instant.now() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException busy) {
            throw new IllegalArgumentException("another crm forget or crm keys reencrypt is running on " + root + " (lock " + lock
                    + "); wait for it, or delete the lock file if that command crashed");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot take the lake's admin lock " + lock, e);
        }
        try {
            return work.get();
        } finally {
            try {
                fs.delete(lock, false);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot release the lake's admin lock " + lock + "; delete it by hand", e);
            }
        }
    }

    /** Replaces the whole table in one commit. */
    public void overwrite(TableDef table, Dataset<Row> rows) {
        checkedKeys(table);
        retryingConflicts(table, () -> writer(table, conform(table, rows)).mode("overwrite")
                .option("overwriteSchema", "true").save(path(table)));
    }

    /**
     * Replaces only the rows matching {@code predicate} (e.g. one source's batch) in one commit:
     * re-running the same batch gives the same table, never duplicates.
     */
    public void replaceWhere(TableDef table, String predicate, Dataset<Row> rows) {
        checkedKeys(table);
        // Always with replaceWhere, also when the table is missing: sources ingested at once share
        // bronze.quarantine and ops.ingest_log, and a plain overwrite whose transaction starts just
        // after another source created the table would replace that source's rows. Two creations at
        // once conflict instead, and the loser retries.
        retryingConflicts(table, () -> writer(table, conform(table, rows)).mode("overwrite")
                .option("replaceWhere", predicate).option("mergeSchema", "true").save(path(table)));
    }

    /**
     * Adds rows in one commit. A table declared {@link TableDef#appendOnly()} is first created with
     * {@code delta.appendOnly=true}, so Delta refuses any later UPDATE or DELETE on it.
     */
    public void append(TableDef table, Dataset<Row> rows) {
        checkedKeys(table);
        retryingConflicts(table, () -> {
            if (!exists(table)) {
                var create = DeltaTable.createIfNotExists(spark).location(path(table)).addColumns(table.schema());
                if (!table.partitionBy().isEmpty()) {
                    create = create.partitionedBy(table.partitionBy().toArray(String[]::new));
                }
                if (table.appendOnly()) {
                    create = create.property("delta.appendOnly", "true");
                }
                for (var p : statisticsProperty(table).entrySet()) {
                    create = create.property(p.getKey(), p.getValue());
                }
                create.execute();
            }
            writer(table, conform(table, rows)).mode("append").option("mergeSchema", "true").save(path(table));
        });
    }

    /**
     * Delta MERGE of {@code source} (alias {@code s}) into the table (alias {@code t}) on
     * {@code condition}, in one commit; {@code clauses} adds the when-matched / when-not-matched
     * actions. A table never written is first created empty with its declared schema.
     */
    public void merge(TableDef table, Dataset<Row> source, String condition,
            java.util.function.UnaryOperator<io.delta.tables.DeltaMergeBuilder> clauses) {
        checkedKeys(table);
        if (!exists(table)) {
            overwrite(table, spark.createDataFrame(List.of(), table.schema()));
        }
        for (String c : table.protectedColumns()) {
            if (condition.contains(c)) {
                throw new IllegalStateException("merging into " + table.qualifiedName() + ": the condition names the protected column "
                        + c + ", whose stored values are encrypted with a fresh nonce each and never compare equal");
            }
        }
        Dataset<Row> stored = encrypted(table, source);
        retryingConflicts(table, () -> clauses.apply(DeltaTable.forPath(spark, path(table)).as("t")
                .merge(stored.as("s"), condition)).execute());
    }

    /**
     * Writers of different sources share a few tables (quarantine, ingest log) and may commit at
     * the same moment, or race to create the table. Our writes replace a well-defined slice, so
     * repeating one after Delta reports a concurrent change is safe.
     */
    private static void retryingConflicts(TableDef table, Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (io.delta.exceptions.DeltaConcurrentModificationException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("writing " + table.qualifiedName() + " failed " + MAX_ATTEMPTS
                            + " times because other jobs were writing it at the same time", e);
                }
                try {
                    Thread.sleep(200L * attempt + (long) (Math.random() * 300));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while retrying a write to " + table.qualifiedName(), ie);
                }
            }
        }
    }

    /**
     * Deletes, in one commit, the rows of {@code table} that {@code condition} pairs with a row of
     * {@code matches} (alias {@code s}; the table is {@code t}). A MERGE rather than a DELETE: Delta
     * records a DELETE's predicate, values included, in the transaction log, which VACUUM never
     * removes, while a MERGE's condition names only columns. Protected columns must be written
     * {@code t.`column`} in the condition, so they are compared decrypted.
     */
    public void deleteMatching(TableDef table, Dataset<Row> matches, String condition) {
        String onClear = condition;
        if (!table.protectedColumns().isEmpty()) {
            // Delta evaluates the condition on stored rows: protected columns are compared decrypted.
            spark.udf().register(DECRYPT_FUNCTION, decryptFunction());
            for (String c : table.protectedColumns()) {
                onClear = onClear.replace("t.`" + c + "`", DECRYPT_FUNCTION + "(t.`" + c + "`)");
            }
        }
        String effective = onClear;
        retryingConflicts(table, () -> DeltaTable.forPath(spark, path(table)).as("t")
                .merge(matches.as("s"), effective).whenMatched().delete().execute());
    }

    /**
     * Removes the files no version newer than {@code retainHours} needs (Delta's VACUUM), so deleted
     * rows are gone from disk too. Below Delta's 7-day default, run it inside
     * {@link #withoutRetentionCheck}; a reader of an older version may then fail.
     */
    public void vacuum(TableDef table, int retainHours) {
        DeltaTable.forPath(spark, path(table)).vacuum(retainHours);
    }

    /**
     * Runs {@code work} with Delta's guard against VACUUM retention below 7 days off (a session
     * setting: set once around all concurrent VACUUMs, not per table).
     */
    public void withoutRetentionCheck(Runnable work) {
        String key = "spark.databricks.delta.retentionDurationCheck.enabled";
        String before = spark.conf().get(key, "true");
        spark.conf().set(key, "false");
        try {
            work.run();
        } finally {
            spark.conf().set(key, before);
        }
    }

    /**
     * Sets the table's statistics columns ({@link TableDef#statisticsColumns}) on a table created
     * before they were declared; files written from then on carry no text statistics.
     */
    public void restrictStatistics(TableDef table) {
        var props = statisticsProperty(table);
        var current = DeltaTable.forPath(spark, path(table)).detail().select("properties").first().getJavaMap(0);
        boolean same = props.entrySet().stream().allMatch(p -> p.getValue().equals(current.get(p.getKey())));
        if (!same) {
            String assignments = String.join(", ", props.entrySet().stream()
                    .map(p -> "'" + p.getKey() + "' = '" + p.getValue() + "'").toList());
            spark.sql("ALTER TABLE delta.`" + path(table) + "` SET TBLPROPERTIES (" + assignments + ")");
        }
    }

    /**
     * Delta keeps each file's min and max per column in its log, which outlives VACUUM: only the
     * table's statistics columns get them, so no e-mail, name or id of a person ends up there.
     */
    private static java.util.Map<String, String> statisticsProperty(TableDef table) {
        List<String> cols = table.statisticsColumns();
        return cols.isEmpty() ? java.util.Map.of("delta.dataSkippingNumIndexedCols", "0")
                : java.util.Map.of("delta.dataSkippingStatsColumns", String.join(",", cols));
    }

    private org.apache.spark.sql.DataFrameWriter<Row> writer(TableDef table, Dataset<Row> rows) {
        var w = rows.write().format("delta");
        if (!exists(table)) {
            for (var p : statisticsProperty(table).entrySet()) {
                w = w.option(p.getKey(), p.getValue());
            }
        }
        if (!table.partitionBy().isEmpty()) {
            w = w.partitionBy(table.partitionBy().toArray(String[]::new));
        }
        return w;
    }

    /**
     * Selects the declared columns in declared order with declared types (a missing column fails
     * loudly) and encrypts the protected ones.
     */
    private Dataset<Row> conform(TableDef table, Dataset<Row> rows) {
        return encrypted(table, declared(table, rows));
    }

    private static Dataset<Row> declared(TableDef table, Dataset<Row> rows) {
        List<String> have = List.of(rows.columns());
        for (String c : table.columnNames()) {
            if (!have.contains(c)) {
                throw new IllegalStateException("writing " + table.qualifiedName() + ": column " + c
                        + " is declared but the job did not produce it (produced: " + have + ")");
            }
        }
        return rows.select(table.columns().stream()
                .map(c -> functions.col(c.name()).cast(c.type()).as(c.name()))
                .toArray(org.apache.spark.sql.Column[]::new));
    }
}
