package org.crmlake.lake;

import org.apache.spark.sql.types.DataType;

/** One declared column: name, Spark type and what it means (the data dictionary reads it). */
public record Column(String name, DataType type, String description) {
}
