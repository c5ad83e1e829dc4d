package org.crmlake.ingest;

import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** One field of a source contract: name, type and whether a record without it is rejected. */
public record FieldSpec(String name, String type, boolean required) {
    static final Set<String> TYPES = Set.of("string", "int", "long", "double", "date", "timestamp");

    public FieldSpec {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("field " + name + ": type '" + type + "' is not one of " + TYPES);
        }
    }

    public DataType sparkType() {
        return switch (type) {
            case "int" -> DataTypes.IntegerType;
            case "long" -> DataTypes.LongType;
            case "double" -> DataTypes.DoubleType;
            case "date" -> DataTypes.DateType;
            case "timestamp" -> DataTypes.TimestampType;
            default -> DataTypes.StringType;
        };
    }

    /** The formats the contract's own exports use; mapping files may declare others. */
    public java.util.List<String> defaultFormats() {
        return switch (type) {
            case "date" -> java.util.List.of("yyyy-MM-dd");
            case "timestamp" -> java.util.List.of("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd");
            default -> java.util.List.of();
        };
    }
}
