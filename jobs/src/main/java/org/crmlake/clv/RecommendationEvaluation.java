package org.crmlake.clv;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;

/**
 * Whether the recommendations of a date came true: of the products recommended to a customer, how
 * many it bought in the following days (precision at 3), and how many customers bought at least one
 * (hit rate). The same for a baseline every shop has: the three most-bought products up to the date
 * that the customer does not own yet. A recommender worth running beats it. Our rows that came from
 * co-purchases are also scored apart, since the rest are that same baseline filling up to 3.
 */
public final class RecommendationEvaluation {
    public record Score(long recommendations, long hits, long customersHit) {
        public double precision() {
            return recommendations == 0 ? 0 : (double) hits / recommendations;
        }
    }

    /** {@code dataEnd}: the last order date in the lake; the window is cut there when shorter. */
    public record Result(LocalDate asOf, int days, LocalDate dataEnd, long customers, Score ours, Score coPurchased,
            Score popular) {
        public double hitRate(Score s) {
            return customers == 0 ? 0 : (double) s.customersHit() / customers;
        }

        public List<String> lines() {
            LocalDate to = asOf.plusDays(days);
            String window = dataEnd != null && dataEnd.isBefore(to)
                    ? "the " + Math.max(0, dataEnd.toEpochDay() - asOf.toEpochDay()) + " days the data has after it (asked for "
                            + days + "; orders end " + dataEnd + ")"
                    : "the next " + days + " days (to " + to + ")";
            return List.of(
                    "recommendations of " + asOf + " against the orders of " + window + ":",
                    String.format(Locale.ROOT, "  %,d customers, %,d recommendations", customers, ours.recommendations()),
                    "                  bought (precision@3)   customers who bought one",
                    row("ours", ours),
                    String.format(Locale.ROOT, "    co-purchases %8.4f (%,d of %,d)   (our rows with basis bought_with)",
                            coPurchased.precision(), coPurchased.hits(), coPurchased.recommendations()),
                    row("popularity", popular) + "   (the 3 most-bought products the customer does not own)");
        }

        private String row(String name, Score s) {
            return String.format(Locale.ROOT, "  %-12s %8.4f (%,d of %,d) %10.4f (%,d)", name, s.precision(), s.hits(),
                    s.recommendations(), hitRate(s), s.customersHit());
        }
    }

    private RecommendationEvaluation() {
    }

    public static Result evaluate(Lake lake, LocalDate asOf, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("--days must be at least 1, got " + days);
        }
        // Rows written before the fill existed have no basis (older lakes not even the column): all were co-purchases.
        Dataset<Row> stored = lake.read(Tables.RECOMMENDATIONS);
        Column basis = java.util.Arrays.asList(stored.columns()).contains("basis")
                ? coalesce(col("basis"), lit(RecommendProductsJob.BOUGHT_WITH)) : lit(RecommendProductsJob.BOUGHT_WITH);
        Dataset<Row> recommended = stored.filter(col("as_of_date").equalTo(lit(asOf.toString()).cast("date")))
                .select(col("customer_id"), col("product_id"), basis.as("basis"));
        Dataset<Row> idm = lake.read(Tables.IDENTITY_MAP).select("record_key", "customer_id");
        Dataset<Row> purchases = lake.read(Tables.ORDERS)
                .filter(coalesce(col("status"), lit("")).notEqual("cancelled"))
                .join(idm, "record_key")
                .join(lake.read(Tables.ORDER_LINES).select("order_id", "product_id"), "order_id")
                .filter(col("product_id").isNotNull())
                .select("customer_id", "product_id", "order_date");
        Row end = purchases.agg(max("order_date")).first();
        LocalDate dataEnd = end.isNullAt(0) ? null : end.getDate(0).toLocalDate();
        Dataset<Row> owned = purchases.filter(col("order_date").leq(lit(asOf.toString()).cast("date")))
                .select("customer_id", "product_id").distinct();
        Dataset<Row> later = purchases.filter(col("order_date").gt(lit(asOf.toString()).cast("date"))
                        .and(col("order_date").leq(lit(asOf.plusDays(days).toString()).cast("date"))))
                .select("customer_id", "product_id").distinct().withColumn("bought", lit(true));

        Dataset<Row> customers = recommended.select("customer_id").distinct();
        long customerCount = customers.count();
        if (customerCount == 0) {
            throw new IllegalArgumentException("gold.recommendations has no rows for " + asOf
                    + ": run crm recommend --date " + asOf + " first");
        }
        Dataset<Row> baseline = RecommendProductsJob.mostBoughtNotOwned(customers, owned,
                        owned.groupBy("product_id").agg(count(lit(1)).as("buyers")))
                .withColumn("rank", row_number().over(Window.partitionBy("customer_id")
                        .orderBy(col("buyers").desc(), col("product_id"))))
                .filter(col("rank").leq(RecommendProductsJob.TOP))
                .select("customer_id", "product_id");
        return new Result(asOf, days, dataEnd, customerCount, score(recommended, later),
                score(recommended.filter(col("basis").equalTo(RecommendProductsJob.BOUGHT_WITH)), later), score(baseline, later));
    }

    private static Score score(Dataset<Row> recommended, Dataset<Row> later) {
        Row r = recommended.join(later, new String[] {"customer_id", "product_id"}, "left")
                .agg(count(lit(1)), count("bought"), count_distinct(when(col("bought"), col("customer_id"))))
                .first();
        return new Score(r.getLong(0), r.getLong(1), r.getLong(2));
    }
}
