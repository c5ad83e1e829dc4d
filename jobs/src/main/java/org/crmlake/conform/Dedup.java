package org.crmlake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Silver deduplication: for each key one record survives, the version from the latest batch.
 * Exact duplicates (same key, same values) collapse to one; ties break on a hash of the record,
 * so the result does not depend on file or partition order.
 */
final class Dedup {
    private Dedup() {
    }

    static Dataset<Row> latestPerKey(Dataset<Row> bronze, List<String> keys) {
        List<String> fields = Arrays.stream(bronze.columns()).filter(c -> !c.startsWith("_")).toList();
        Column recordHash = xxhash64(fields.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
        var byKey = Window.partitionBy(keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
                .orderBy(col("_batch_date").desc(), col("_ingested_at").desc(), recordHash.desc());
        return bronze.withColumn("_rank", row_number().over(byKey)).filter(col("_rank").equalTo(1)).drop("_rank");
    }
}
