package org.crmlake.privacy;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.crmlake.gold.DataDictionary;
import org.crmlake.lake.DataKeys;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;

/**
 * Which keys the lake's protected values are encrypted with, and re-encryption under the current
 * key after a rotation ({@code crm keys status|reencrypt}, docs/PRIVACY.md "Key rotation").
 */
public final class Reencryption {
    /** Counted under this name: values stored without encryption. */
    public static final String CLEAR = "(clear)";
    private final Lake lake;

    public Reencryption(Lake lake) {
        this.lake = lake;
    }

    /** Every existing table with protected columns. */
    private List<TableDef> tables() {
        return DataDictionary.tables().stream().filter(t -> !t.protectedColumns().isEmpty()).filter(lake::exists).toList();
    }

    /** Per table, the number of non-null protected values per key id ({@link #CLEAR} for clear ones). */
    public Map<String, Map<String, Long>> status() {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        var keyId = udf((UDF1<String, String>) DataKeys::keyIdOf, DataTypes.StringType);
        for (TableDef t : tables()) {
            Dataset<Row> stored = lake.readStored(t);
            Dataset<Row> ids = null;
            for (String c : t.protectedColumns()) {
                Dataset<Row> one = stored.filter(col(c).isNotNull()).select(coalesce(keyId.apply(col(c)), lit(CLEAR)).as("key_id"));
                ids = ids == null ? one : ids.unionAll(one);
            }
            Map<String, Long> counts = new TreeMap<>();
            for (Row r : ids.groupBy("key_id").count().collectAsList()) {
                counts.put(r.getString(0), r.getLong(1));
            }
            result.put(t.qualifiedName(), counts);
        }
        return result;
    }

    /**
     * Rewrites every table holding a value not encrypted with the current key (one commit per
     * table), then VACUUMs it, holding the lake's admin lock so no erasure commits in between, so files with the older key's ciphertext go once they are older
     * than {@code retainHours}. Returns the summary lines.
     */
    public List<String> reencrypt(int retainHours, Consumer<String> progress) {
        return lake.exclusively("crm keys reencrypt", () -> reencryptTables(retainHours, progress));
    }

    private List<String> reencryptTables(int retainHours, Consumer<String> progress) {
        DataKeys keys = lake.keys();
        if (!keys.present()) {
            throw new IllegalArgumentException("the lake has no key file (" + keys.source() + "): set $" + DataKeys.ENV
                    + " to one made with 'crm keys new FILE'");
        }
        String current = keys.currentKeyId();
        List<String> summary = new ArrayList<>();
        int rewritten = 0;
        List<TableDef> tables = tables();
        Map<String, Map<String, Long>> before = status();
        for (TableDef t : tables) {
            Map<String, Long> counts = before.getOrDefault(t.qualifiedName(), Map.of());
            long stale = counts.entrySet().stream().filter(e -> !e.getKey().equals(current)).mapToLong(Map.Entry::getValue).sum();
            if (stale > 0) {
                progress.accept(String.format("  %-32s %8d values re-encrypted", t.qualifiedName(), stale));
                lake.overwrite(t, lake.read(t).localCheckpoint());
                rewritten++;
            }
        }
        lake.withoutRetentionCheck(() -> tables.forEach(t -> lake.vacuum(t, retainHours)));
        summary.add(String.format("re-encrypted %d of %d tables with key %s; vacuumed files older than %d h", rewritten,
                tables.size(), current, retainHours));
        Map<String, Long> byKey = new TreeMap<>();
        status().values().forEach(m -> m.forEach((k, n) -> byKey.merge(k, n, Long::sum)));
        summary.add("values by key now: " + byKey);
        return summary;
    }
}
