package org.crmlake.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Web cookies stitched to customers: a cookie belongs to the customer of the web account that
 * logged in or signed up on it, and from then on all its events, including the anonymous visits
 * before the login, count for that customer. A cookie used by several accounts (a shared
 * computer) goes to the account with most logged-in events on it.
 */
final class CookieStitching {
    private CookieStitching() {
    }

    static Dataset<Row> of(Dataset<Row> webEvents, Dataset<Row> map) {
        Dataset<Row> accounts = map.select(col("record_key").as("web_key"), col("customer_id"));
        Dataset<Row> perCustomer = webEvents.filter(col("user_id").isNotNull())
                .withColumn("web_key", concat(lit("web:users:"), col("user_id")))
                .join(accounts, "web_key")
                .groupBy("cookie_id", "customer_id")
                .agg(count(lit(1)).as("events"), min("event_ts").as("stitched_at"));
        return perCustomer.withColumn("rank", row_number().over(Window.partitionBy("cookie_id")
                        .orderBy(col("events").desc(), col("stitched_at"), col("customer_id"))))
                .filter(col("rank").equalTo(1))
                .select("cookie_id", "customer_id", "stitched_at");
    }
}
