package org.crmlake.lake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A table declared once: layer, name, columns with descriptions, key and partition columns.
 * Jobs write through {@link Lake} with this definition, so the stored schema is the declared one.
 */
public record TableDef(Layer layer, String name, String description, List<Column> columns,
                       List<String> keys, List<String> partitionBy, boolean appendOnly,
                       Map<String, PersonKey> personKeys) {

    public TableDef {
        Objects.requireNonNull(layer);
        Objects.requireNonNull(name);
        columns = List.copyOf(columns);
        keys = List.copyOf(keys);
        partitionBy = List.copyOf(partitionBy);
        personKeys = Collections.unmodifiableMap(new LinkedHashMap<>(personKeys));
        for (String k : personKeys.keySet()) {
            if (columns.stream().noneMatch(c -> c.name().equals(k))) {
                throw new IllegalArgumentException("table " + name + ": person key column " + k + " is not declared");
            }
        }
        for (String k : keys) {
            if (columns.stream().noneMatch(c -> c.name().equals(k))) {
                throw new IllegalArgumentException("table " + name + ": key column " + k + " is not declared");
            }
        }
    }

    /** Qualified name as used in logs, manifests and the DAG: {@code silver.orders}. */
    public String qualifiedName() {
        return layer.dir() + "." + name;
    }

    public StructType schema() {
        return new StructType(columns.stream()
                .map(c -> new StructField(c.name(), c.type(), true, Metadata.empty()))
                .toArray(StructField[]::new));
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * Columns holding contact points, names, addresses or free text about a person: stored
     * encrypted when the lake has a key ({@link DataKeys}), and decrypted by {@link Lake#read}.
     * One rule by column name, so bronze tables (named after the contracts' fields), silver and gold
     * get it alike and a new table with an {@code email} column is protected without a declaration.
     */
    public static final java.util.Set<String> PROTECTED_NAMES = java.util.Set.of("email", "phone", "phone_e164",
            "caller_e164", "caller_number", "caller_name", "first_name", "last_name", "full_name", "name_key",
            "billing_name", "street", "postcode", "raw_record", "transcript", "key_value");

    /** This table's {@link #PROTECTED_NAMES} columns (text columns only), in declared order. */
    public List<String> protectedColumns() {
        return columns.stream().filter(c -> PROTECTED_NAMES.contains(c.name())
                && c.type() instanceof org.apache.spark.sql.types.StringType).map(Column::name).toList();
    }

    /**
     * The columns Delta keeps min/max statistics of in its transaction log: numbers, dates and
     * timestamps, never text or birth dates. The log outlives VACUUM, so a person's e-mail or id
     * must never become a file's min or max there (docs/PRIVACY.md). Partition columns are
     * excluded: Delta keeps their values per file anyway.
     */
    public List<String> statisticsColumns() {
        return columns.stream().filter(c -> !c.name().equals("birth_date") && !partitionBy.contains(c.name()))
                .filter(c -> c.type() instanceof org.apache.spark.sql.types.NumericType
                        || c.type() instanceof org.apache.spark.sql.types.DateType
                        || c.type() instanceof org.apache.spark.sql.types.TimestampType)
                .map(Column::name).toList();
    }

    public static Builder builder(Layer layer, String name, String description) {
        return new Builder(layer, name, description);
    }

    /** Fluent declaration, so a table reads like a small data dictionary entry. */
    public static final class Builder {
        private final Layer layer;
        private final String name;
        private final String description;
        private final List<Column> columns = new ArrayList<>();
        private List<String> keys = List.of();
        private List<String> partitionBy = List.of();
        private boolean appendOnly;
        private final Map<String, PersonKey> personKeys = new LinkedHashMap<>();

        private Builder(Layer layer, String name, String description) {
            this.layer = layer;
            this.name = name;
            this.description = description;
        }

        public Builder col(String column, DataType type, String meaning) {
            columns.add(new Column(column, type, meaning));
            return this;
        }

        public Builder cols(List<Column> more) {
            columns.addAll(more);
            return this;
        }

        public Builder key(String... columnNames) {
            keys = List.of(columnNames);
            return this;
        }

        public Builder partitionBy(String... columnNames) {
            partitionBy = List.of(columnNames);
            return this;
        }

        /** Created with Delta's {@code delta.appendOnly}: Delta itself refuses updates and deletes. */
        public Builder appendOnly() {
            appendOnly = true;
            return this;
        }

        /** The column identifies the person a row belongs to ({@code crm forget} deletes by it). */
        public Builder personKey(String column, PersonKey kind) {
            personKeys.put(column, kind);
            return this;
        }

        public TableDef build() {
            return new TableDef(layer, name, description, columns, keys, partitionBy, appendOnly, personKeys);
        }
    }
}
